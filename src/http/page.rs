//! What a page of the server needs besides what it shows, owned: the base, its IRI, the
//! reader's language and who is signed in (shared by the handlers that render pages).

use super::AppState;
use crate::html::PageContext;
use actix_web::HttpRequest;

/// What [`PageContext`] borrows, owned.
pub(super) struct Page {
    pub(super) base: String,
    pub(super) iri: String,
    pub(super) kind: &'static str,
    pub(super) language: &'static str,
    pub(super) here: String,
    /// Who is signed in, if anyone.
    pub(super) visitor: Option<crate::html::Visitor>,
}

impl Page {
    /// The page's context, with no dataset or paper to show.
    pub(super) fn context(&self) -> PageContext<'_> {
        PageContext {
            base: &self.base,
            iri: &self.iri,
            kind: self.kind,
            language: self.language,
            here: &self.here,
            work: None,
            visitor: self.visitor.as_ref(),
            annotations: &[],
            reuses: &[],
        }
    }

    /// The page at `iri` for `request`'s reader.
    pub(super) fn new(
        (request, state): (&HttpRequest, &AppState),
        iri: &str,
        kind: &'static str,
        language: &'static str,
    ) -> Self {
        Self {
            base: state.store.base().as_str().to_owned(),
            iri: iri.to_owned(),
            kind,
            language,
            here: iri.to_owned(),
            visitor: super::session::visitor(request).map(|v| v.view()),
        }
    }
}
