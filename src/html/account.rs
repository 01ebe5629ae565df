//! The pages of a person's account: signing in with a token, and what they may edit.

use super::{Frame, PageError, Pages};
use serde::Serialize;
use serde_json::json;

/// Someone signed in, as the pages show them.
#[derive(Debug, Clone, Serialize)]
pub struct Visitor {
    /// Their token's name.
    pub name: String,
    /// Whether they may edit everything.
    pub admin: bool,
    /// The publishers whose records they may edit (empty for an admin).
    pub publishers: Vec<String>,
    /// The secret their forms carry (CSRF).
    pub csrf: String,
}

/// The sign-in form as it is to be shown.
pub struct SignInForm<'a> {
    /// The secret the form carries, matched with a cookie set with it.
    pub csrf: &'a str,
    /// Where to go once signed in.
    pub next: Option<&'a str>,
    /// Why the last try failed, as a message key.
    pub problem: Option<&'static str>,
}

impl Pages {
    /// `{base}signin`.
    pub fn sign_in(&self, form: &SignInForm<'_>, frame: &Frame<'_>) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        self.render(
            "signin.html",
            frame,
            json!({
                "title": t.get("signin_title"),
                "csrf": form.csrf,
                "next": form.next,
                "problem": form.problem.and_then(|key| t.get(key)),
            }),
        )
    }

    /// `{base}account`: who is signed in and what they may edit.
    pub fn account(
        &self,
        visitor: &Visitor,
        done: Option<&str>,
        frame: &Frame<'_>,
    ) -> Result<String, PageError> {
        let t = super::messages(frame.language);
        let search = format!("{}search", frame.base);
        let publishers: Vec<_> = visitor
            .publishers
            .iter()
            .map(|iri| {
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("publisher", iri)
                    .finish();
                let ours = iri.starts_with(frame.base);
                let reports = ours.then(|| format!("{iri}/feedback"));
                let edit = ours.then(|| format!("{iri}/edit"));
                json!({ "iri": iri, "search": format!("{search}?{query}"), "reports": reports, "edit": edit })
            })
            .collect();
        self.render(
            "account.html",
            frame,
            json!({
                "title": t.get("account_title"),
                "publishers": publishers,
                "done": done.and_then(|key| t.get(key)),
            }),
        )
    }
}
