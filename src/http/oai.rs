//! `GET|POST {base}oai`: the OAI-PMH 2.0 provider (see `oai/`). Lists walk the store's
//! OAI order (the DCAT feed's datasets and tombstones, and the data papers) a page at a
//! time; each record is described, filtered by set and format, and written in the format
//! asked. Protocol errors are 200 answers with an `error` element, as OAI-PMH wants.

use super::AppState;
use super::errors::HttpError;
use crate::exports::Work;
use crate::exports::work::Catalog;
use crate::model::time::now_millis;
use crate::model::{BaseIri, RecordId, ResourceKind};
use crate::oai::respond::{self, Envelope, Identity, Item, Resumption};
use crate::oai::{
    ListRequest, MetadataFormat, OaiError, PAGE_SIZE, ResumptionToken, Set, Verb, sets, token,
};
use crate::store::{
    CatalogStore, Description, FeedEntry, FeedKey, FeedOrder, Lookups, OaiEntry, OaiKind, OaiOrder,
    OaiQuery, Records, StoreError,
};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode};

/// Records looked at for one page of a list filtered by set or format, at most: a sparse
/// set answers with fewer records (and a token) rather than reading the whole catalog.
const SCAN_LIMIT: usize = 2000;

/// `GET|POST {base}oai`.
pub async fn oai(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, HttpError> {
    let mut pairs: Vec<(String, String)> =
        form_urlencoded::parse(request.query_string().as_bytes())
            .into_owned()
            .collect();
    if request.method() == actix_web::http::Method::POST {
        pairs.extend(form_urlencoded::parse(&body).into_owned());
    }
    let base = state.store.base().clone();
    let contact = state.contact_email.clone();
    let xml = state
        .blocking(move |store| answer(store, (&base, &contact), &pairs))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .content_type("text/xml; charset=utf-8")
        .body(xml))
}

/// The response to `pairs`, protocol errors included (`contact`: the `adminEmail`).
fn answer(
    store: &CatalogStore,
    (base, contact): (&BaseIri, &str),
    pairs: &[(String, String)],
) -> Result<String, StoreError> {
    let base_url = format!("{base}oai");
    let response_date = datestamp(now_millis());
    let envelope = Envelope {
        base_url: &base_url,
        response_date: &response_date,
        arguments: pairs,
    };
    let provider = Provider {
        store,
        base,
        contact,
        host: host_of(base),
        titles: std::cell::OnceCell::new(),
        sources: std::cell::OnceCell::new(),
        pool: std::cell::RefCell::default(),
    };
    let verb = match crate::oai::parse(pairs, now_millis()) {
        Ok(verb) => verb,
        Err(error) => return Ok(respond::error(&envelope, &error)),
    };
    let written = match verb {
        Verb::Identify => provider.identify(&envelope),
        Verb::ListMetadataFormats(identifier) => provider.formats(&envelope, identifier.as_deref()),
        Verb::ListSets => provider.sets(&envelope),
        Verb::ListIdentifiers(list) => provider.list(&envelope, list, false),
        Verb::ListRecords(list) => provider.list(&envelope, list, true),
        Verb::GetRecord(identifier, format) => provider.get_record(&envelope, &identifier, format),
    };
    match written {
        Ok(xml) => Ok(xml),
        Err(Failure::Protocol(error)) => Ok(respond::error(&envelope, &error)),
        Err(Failure::Store(error)) => Err(error),
    }
}

/// Why a verb could not be answered.
enum Failure {
    /// A protocol error, answered in the response.
    Protocol(OaiError),
    /// A store failure (a 5xx).
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<OaiError> for Failure {
    fn from(error: OaiError) -> Self {
        Self::Protocol(error)
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` for a time in milliseconds.
fn datestamp(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// The base IRI's host name, for identifiers.
fn host_of(base: &BaseIri) -> String {
    let rest = base.as_str().split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    host.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// A record read for the provider.
struct Read {
    item: Item,
    work: Option<Work>,
    quads: Vec<oxigraph::model::Quad>,
}

struct Provider<'a> {
    store: &'a CatalogStore,
    base: &'a BaseIri,
    /// The `adminEmail` (setting `contact-email`).
    contact: &'a str,
    host: String,
    /// The catalog's titles, read once per response (every record's export names it).
    titles: std::cell::OnceCell<Vec<Literal>>,
    /// The harvest sources, by the URL their records name as their feed: read once.
    sources: std::cell::OnceCell<Vec<(String, String)>>,
    /// What linked resources lent the datasets read so far (see [`Provider::describe`]).
    pool: std::cell::RefCell<Pool>,
}

/// Types and labels lent once per response, and which resources lent them.
#[derive(Default)]
struct Pool {
    lent: std::collections::HashSet<String>,
    /// The lent quads, by their subject's IRI.
    quads: std::collections::HashMap<String, Vec<oxigraph::model::Quad>>,
}

/// The IRIs `quads` link to.
fn objects(quads: &[oxigraph::model::Quad]) -> Vec<String> {
    quads
        .iter()
        .filter_map(|q| match &q.object {
            oxigraph::model::Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

impl Provider<'_> {
    fn catalog_titles(&self) -> Result<Vec<Literal>, StoreError> {
        if let Some(titles) = self.titles.get() {
            return Ok(titles.clone());
        }
        let titles = self.store.catalog_titles()?;
        Ok(self.titles.get_or_init(|| titles).clone())
    }

    fn identify(&self, envelope: &Envelope<'_>) -> Result<String, Failure> {
        let titles = self.catalog_titles()?;
        let name = titles
            .iter()
            .find(|t| t.language() == Some("en"))
            .or(titles.first())
            .map_or_else(|| "Passerelle".to_owned(), |t| t.value().to_owned());
        let first = self.store.oai_slice(&OaiQuery {
            datasets: true,
            papers: true,
            limit: 1,
            ..OaiQuery::default()
        })?;
        let earliest = datestamp(first.entries.first().map_or(0, |e| e.key.modified));
        // The oai-identifier scheme wants a domain name (with a dot).
        let domain = self.host.contains('.').then_some(self.host.as_str());
        let sample = domain.map(|host| crate::oai::identifier(host, "some-dataset"));
        let identity = Identity {
            name: &name,
            admin_email: self.contact,
            earliest: &earliest,
            host: domain,
            sample: sample.as_deref(),
        };
        Ok(respond::identify(envelope, &identity))
    }

    fn formats(
        &self,
        envelope: &Envelope<'_>,
        identifier: Option<&str>,
    ) -> Result<String, Failure> {
        let Some(identifier) = identifier else {
            return Ok(respond::metadata_formats(envelope, &MetadataFormat::ALL));
        };
        let read = self.read_identified(identifier, None)?;
        let has_doi = read.work.as_ref().is_some_and(|w| w.doi.is_some());
        let formats: Vec<MetadataFormat> = MetadataFormat::ALL
            .into_iter()
            .filter(|f| *f != MetadataFormat::DataCite || has_doi || read.item.deleted)
            .collect();
        Ok(respond::metadata_formats(envelope, &formats))
    }

    fn sets(&self, envelope: &Envelope<'_>) -> Result<String, Failure> {
        let (publishers, themes) = self.store.oai_set_members("en")?;
        let mut listed: Vec<(String, String)> = vec![
            (Set::Datasets.spec(), "Datasets".into()),
            (Set::DataPapers.spec(), "Data papers".into()),
            (Set::Publisher(None).spec(), "By publisher".into()),
            (Set::Theme(None).spec(), "By EU data theme".into()),
        ];
        for (iri, name) in publishers {
            if let Some(id) = self.publisher_id(&iri)? {
                listed.push((Set::Publisher(Some(id)).spec(), name));
            }
        }
        for (iri, label) in themes {
            if let Some(code) = iri.as_str().strip_prefix(sets::EU_THEMES) {
                listed.push((Set::Theme(Some(code.to_owned())).spec(), label));
            }
        }
        if !self.sources().is_empty() {
            listed.push((Set::Source(None).spec(), "By harvest source".into()));
        }
        for (url, name) in self.sources() {
            listed.push((
                Set::Source(Some(name.clone())).spec(),
                format!("{name} ({url})"),
            ));
        }
        listed.retain(|(spec, _)| Set::parse(spec).is_some());
        listed.dedup_by(|a, b| a.0 == b.0);
        Ok(respond::sets(envelope, &listed))
    }

    /// The harvest sources as (feed URL, name).
    fn sources(&self) -> &[(String, String)] {
        self.sources.get_or_init(|| {
            crate::harvest::sources::sources(self.store)
                .unwrap_or_default()
                .into_iter()
                .map(|s| (s.url, s.name))
                .collect()
        })
    }

    /// The name of the source whose feed is `feed`.
    fn source_named(&self, feed: &str) -> Option<&str> {
        self.sources()
            .iter()
            .find(|(url, _)| url == feed)
            .map(|(_, name)| name.as_str())
    }

    /// A publisher's record id, which names its set.
    fn publisher_id(&self, iri: &NamedNode) -> Result<Option<String>, StoreError> {
        if let Some(id) = self.base.local_id(ResourceKind::Agent, iri.as_str()) {
            return Ok(Some(id.to_string()));
        }
        Ok(self.store.record_id_of(iri)?.map(|id| id.to_string()))
    }

    fn get_record(
        &self,
        envelope: &Envelope<'_>,
        identifier: &str,
        format: MetadataFormat,
    ) -> Result<String, Failure> {
        let read = self.read_identified(identifier, Some(format))?;
        if !read.item.deleted && !self.offers(&read, format) {
            return Err(OaiError::CannotDisseminateFormat(format.prefix().into()).into());
        }
        Ok(respond::get_record(envelope, &read.item))
    }

    /// Reads the record an identifier names.
    fn read_identified(
        &self,
        identifier: &str,
        format: Option<MetadataFormat>,
    ) -> Result<Read, Failure> {
        let missing = || OaiError::IdDoesNotExist(identifier.to_owned());
        let id = crate::oai::record_id(&self.host, identifier)
            .and_then(|id| RecordId::parse(id).ok())
            .ok_or_else(missing)?;
        let entry = self.store.oai_entry(&id)?.ok_or_else(missing)?;
        self.read(&entry, format)?.ok_or_else(|| missing().into())
    }

    /// Whether `format` can be given for the record (DataCite needs a DOI).
    fn offers(&self, read: &Read, format: MetadataFormat) -> bool {
        format != MetadataFormat::DataCite || read.work.as_ref().is_some_and(|w| w.doi.is_some())
    }

    /// The header (and, with `format`, the metadata) of the record at `entry`; `None`
    /// when it went away meanwhile.
    fn read(
        &self,
        entry: &OaiEntry,
        format: Option<MetadataFormat>,
    ) -> Result<Option<Read>, StoreError> {
        let identifier = crate::oai::identifier(&self.host, entry.key.id.as_str());
        let stamp = datestamp(entry.key.modified);
        let kind = match entry.kind {
            OaiKind::Deleted => {
                let item = Item {
                    identifier,
                    datestamp: stamp,
                    specs: vec![Set::Datasets.spec()],
                    deleted: true,
                    metadata: None,
                };
                return Ok(Some(Read {
                    item,
                    work: None,
                    quads: Vec::new(),
                }));
            }
            OaiKind::Dataset => ResourceKind::Dataset,
            OaiKind::DataPaper => ResourceKind::DataPaper,
        };
        let Some(description) = self.describe(entry, kind, format)? else {
            return Ok(None);
        };
        let page = self.base.resource(kind, &entry.key.id);
        let titles = if format.is_some() {
            self.catalog_titles()?
        } else {
            Vec::new()
        };
        let catalog = Catalog {
            iri: self.base.as_str(),
            titles: &titles,
        };
        let Some(work) = Work::read(&description, page.as_str(), &catalog) else {
            return Ok(None);
        };
        let publisher = match work.publisher.as_ref().and_then(|p| p.iri.as_deref()) {
            Some(iri) => self.publisher_id(&NamedNode::new_unchecked(iri))?,
            None => None,
        };
        let themes: Vec<String> = work.themes.iter().map(|t| t.iri.clone()).collect();
        let feed = description.harvest_feed();
        let memberships = sets::Memberships {
            publisher: publisher.as_deref(),
            themes: &themes,
            source: feed.as_deref().and_then(|f| self.source_named(f)),
        };
        let item = Item {
            identifier,
            datestamp: stamp,
            specs: sets::specs_of(work.kind, memberships),
            deleted: false,
            metadata: None,
        };
        let mut read = Read {
            item,
            work: Some(work),
            quads: description.quads,
        };
        if let Some(format) = format {
            read.item.metadata = read.work.as_ref().and_then(|work| {
                crate::oai::metadata::write(work, &read.quads, format, description.modified)
            });
        }
        Ok(Some(read))
    }

    /// The description of the record at `entry`. A dataset in a list is read as the
    /// feed reads it (from its snapshot, the labels of what it links to lent once per
    /// response and kept in a pool the next records read too); in `dcat_ap`, where the
    /// record's RDF is the metadata, and for papers, it is described on its own.
    fn describe(
        &self,
        entry: &OaiEntry,
        kind: ResourceKind,
        format: Option<MetadataFormat>,
    ) -> Result<Option<Description>, StoreError> {
        if kind != ResourceKind::Dataset || format == Some(MetadataFormat::DcatAp) {
            return self.store.describe(kind, &entry.key.id);
        }
        let feed_entry = FeedEntry {
            key: entry.key.clone(),
            withdrawn: false,
        };
        let mut pool = self.pool.borrow_mut();
        let quads = self
            .store
            .describe_feed_entry(&feed_entry, &mut pool.lent)?;
        let Some(NamedOrBlankNode::NamedNode(topic)) = quads.first().map(|q| q.subject.clone())
        else {
            return Ok(None);
        };
        let graph: GraphName = self.base.record_graph(&entry.key.id).into();
        let mut all = quads;
        let own = all.len();
        for quad in all.iter().filter(|q| q.graph_name != graph) {
            if let NamedOrBlankNode::NamedNode(subject) = &quad.subject {
                pool.quads
                    .entry(subject.as_str().to_owned())
                    .or_default()
                    .push(quad.clone());
            }
        }
        // What the record links to, and what that links to (a person's affiliations),
        // from the pool: lent by this record or by one before it.
        let mut linked: Vec<String> = objects(&all[..own]);
        let mut added = std::collections::HashSet::new();
        for _ in 0..2 {
            let mut next = Vec::new();
            for iri in linked {
                if let Some(lent) = pool.quads.get(&iri)
                    && added.insert(iri)
                {
                    next.extend(objects(lent));
                    all.extend(lent.iter().filter(|q| q.graph_name != graph).cloned());
                }
            }
            linked = next;
        }
        Ok(Some(Description {
            topic,
            quads: all,
            modified: time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(entry.key.modified) * 1_000_000,
            )
            .ok(),
            version: Some(entry.key.modified),
        }))
    }

    /// A page of `ListIdentifiers` or `ListRecords`.
    fn list(
        &self,
        envelope: &Envelope<'_>,
        list: ListRequest,
        records: bool,
    ) -> Result<String, Failure> {
        let (arguments, after, cursor) = match list {
            ListRequest::Start(arguments) => (arguments, None, 0),
            ListRequest::Resume(token) => (token.arguments, Some(token.after), token.cursor),
        };
        let set = match &arguments.set {
            Some(spec) => Some(Set::parse(spec).ok_or(OaiError::NoRecordsMatch)?),
            None => None,
        };
        let (datasets, papers) = set.as_ref().map_or((true, true), Set::kinds);
        let filtered = set.is_some() || arguments.format == MetadataFormat::DataCite;
        let mut items = Vec::new();
        let mut last: Option<FeedKey> = after.clone();
        let mut scanned = 0;
        let (mut more, mut total) = (true, 0);
        while items.len() < PAGE_SIZE && more && scanned < SCAN_LIMIT {
            let slice = self.store.oai_slice(&OaiQuery {
                datasets,
                papers,
                from: arguments.from,
                until: arguments.until,
                after: last.clone(),
                limit: PAGE_SIZE - items.len(),
            })?;
            total = slice.total;
            more = slice.more;
            for entry in &slice.entries {
                scanned += 1;
                last = Some(entry.key.clone());
                // DataCite is for records with a DOI: the others are not read at all.
                if arguments.format == MetadataFormat::DataCite
                    && entry.kind != OaiKind::Deleted
                    && !self.store.record_has_doi(&entry.key.id)?
                {
                    continue;
                }
                let format = records.then_some(arguments.format);
                let Some(read) = self.read(entry, format)? else {
                    continue;
                };
                let in_set = set
                    .as_ref()
                    .is_none_or(|s| read.item.deleted || s.holds(&read.item.specs));
                if in_set && (read.item.deleted || self.offers(&read, arguments.format)) {
                    items.push(read.item);
                }
            }
            if slice.entries.is_empty() {
                break;
            }
        }
        if items.is_empty() && after.is_none() && !more {
            return Err(OaiError::NoRecordsMatch.into());
        }
        let resumption = match (more, last) {
            (true, Some(last)) => {
                let expires = now_millis() + token::LIFETIME_MS;
                let token = ResumptionToken {
                    arguments: arguments.clone(),
                    after: last,
                    cursor: cursor + items.len() as u64,
                    expires,
                };
                Some(Resumption {
                    token: token.write(),
                    cursor,
                    complete_size: (!filtered).then_some(total),
                    expires: Some(datestamp(expires)),
                })
            }
            // The last page of a resumed list says the list is complete.
            _ if after.is_some() => Some(Resumption {
                token: String::new(),
                cursor,
                complete_size: (!filtered).then_some(total),
                expires: None,
            }),
            _ => None,
        };
        let verb = if records {
            "ListRecords"
        } else {
            "ListIdentifiers"
        };
        Ok(respond::list(envelope, verb, &items, resumption.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datestamps_and_hosts() {
        assert_eq!(datestamp(1_700_000_000_999), "2023-11-14T22:13:20Z");
        let base = BaseIri::parse("https://user@data.example.org:8443/portal/")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(host_of(&base), "data.example.org");
    }
}
