//! Vocabulary terms we read or write, as constants, so a typo in an IRI is a compile error
//! in one place rather than a silent mismatch in many.

use oxigraph::model::NamedNodeRef;

/// Namespaces with the prefixes we use when serializing (Turtle, TriG, RDF/XML, JSON-LD).
///
/// Order matters for JSON-LD compaction: the longest matching namespace wins, so
/// overlapping namespaces are harmless, but keep the list sorted by prefix for readers.
pub const PREFIXES: &[(&str, &str)] = &[
    ("adms", "http://www.w3.org/ns/adms#"),
    ("bibo", "http://purl.org/ontology/bibo/"),
    ("cito", "http://purl.org/spar/cito/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("fabio", "http://purl.org/spar/fabio/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("frbr", "http://purl.org/vocab/frbr/core#"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ("locn", "http://www.w3.org/ns/locn#"),
    ("odrl", "http://www.w3.org/ns/odrl/2/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prism", "http://prismstandard.org/namespaces/basic/2.0/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

macro_rules! terms {
    ($(#[$doc:meta])* $module:ident, $ns:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use super::NamedNodeRef;
            $(
                #[doc = concat!("`", $ns, $local, "`")]
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($ns, $local));
            )*
        }
    };
}

terms!(
    /// [DCAT 3](https://www.w3.org/TR/vocab-dcat-3/).
    dcat, "http://www.w3.org/ns/dcat#", {
    CATALOG = "Catalog",
    CATALOG_RECORD = "CatalogRecord",
    DATASET = "Dataset",
    DISTRIBUTION = "Distribution",
    DATASET_PROP = "dataset",
    RECORD = "record",
    DISTRIBUTION_PROP = "distribution",
    ACCESS_URL = "accessURL",
    DOWNLOAD_URL = "downloadURL",
    MEDIA_TYPE = "mediaType",
    BYTE_SIZE = "byteSize",
    KEYWORD = "keyword",
    THEME = "theme",
    LANDING_PAGE = "landingPage",
    CONTACT_POINT = "contactPoint",
    START_DATE = "startDate",
    END_DATE = "endDate",
    BBOX = "bbox",
    DATASET_SERIES = "DatasetSeries",
});

terms!(
    /// [DCMI Metadata Terms](https://www.dublincore.org/specifications/dublin-core/dcmi-terms/).
    dct, "http://purl.org/dc/terms/", {
    TITLE = "title",
    DESCRIPTION = "description",
    IDENTIFIER = "identifier",
    PUBLISHER = "publisher",
    CREATOR = "creator",
    LICENSE = "license",
    ISSUED = "issued",
    MODIFIED = "modified",
    CONFORMS_TO = "conformsTo",
    FORMAT = "format",
    TEMPORAL = "temporal",
    SPATIAL = "spatial",
    LANGUAGE = "language",
    ACCRUAL_PERIODICITY = "accrualPeriodicity",
    ACCESS_RIGHTS = "accessRights",
    RIGHTS = "rights",
    IS_REFERENCED_BY = "isReferencedBy",
    SOURCE = "source",
    IS_PART_OF = "isPartOf",
    AVAILABLE = "available",
    LICENSE_DOCUMENT = "LicenseDocument",
    MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent",
    FREQUENCY = "Frequency",
    RIGHTS_STATEMENT = "RightsStatement",
    MEDIA_TYPE = "MediaType",
    CREATED = "created",
    DATE = "date",
    TYPE = "type",
    ABSTRACT = "abstract",
    BIBLIOGRAPHIC_CITATION = "bibliographicCitation",
    STANDARD = "Standard",
});

terms!(
    /// [FOAF](http://xmlns.com/foaf/spec/).
    foaf, "http://xmlns.com/foaf/0.1/", {
    AGENT = "Agent",
    ORGANIZATION = "Organization",
    PERSON = "Person",
    NAME = "name",
    GIVEN_NAME = "givenName",
    FAMILY_NAME = "familyName",
    HOMEPAGE = "homepage",
    MBOX = "mbox",
    DOCUMENT = "Document",
    PRIMARY_TOPIC = "primaryTopic",
    NICK = "nick",
});

terms!(
    /// [SKOS](https://www.w3.org/TR/skos-reference/).
    skos, "http://www.w3.org/2004/02/skos/core#", {
    CONCEPT = "Concept",
    CONCEPT_SCHEME = "ConceptScheme",
    PREF_LABEL = "prefLabel",
    IN_SCHEME = "inScheme",
    NOTATION = "notation",
    SCOPE_NOTE = "scopeNote",
});

terms!(
    /// [vCard](https://www.w3.org/TR/vcard-rdf/), for contact points.
    vcard, "http://www.w3.org/2006/vcard/ns#", {
    FN = "fn",
    HAS_EMAIL = "hasEmail",
    HAS_URL = "hasURL",
    ORGANIZATION_NAME = "organization-name",
});

terms!(
    /// [SPAR FaBiO](http://purl.org/spar/fabio), for data papers.
    fabio, "http://purl.org/spar/fabio/", {
    DATA_PAPER = "DataPaper",
    JOURNAL = "Journal",
});

terms!(
    /// [FRBR core](http://purl.org/vocab/frbr/core): a data paper is `frbr:partOf` its journal.
    frbr, "http://purl.org/vocab/frbr/core#", {
    PART_OF = "partOf",
});

terms!(
    /// [BIBO](http://purl.org/ontology/bibo/): the authors of a work in their order.
    bibo, "http://purl.org/ontology/bibo/", {
    AUTHOR_LIST = "authorList",
});

terms!(
    /// [W3C ORG](https://www.w3.org/TR/vocab-org/): a person's affiliations.
    org, "http://www.w3.org/ns/org#", {
    MEMBER_OF = "memberOf",
});

terms!(
    /// [SPAR CiTO](http://purl.org/spar/cito): a data paper `cito:describes` its dataset.
    cito, "http://purl.org/spar/cito/", {
    DESCRIBES = "describes",
    IS_DESCRIBED_BY = "isDescribedBy",
});

terms!(
    /// [PRISM](http://prismstandard.org/namespaces/basic/2.0/), for DOIs and where in a
    /// journal a paper is.
    prism, "http://prismstandard.org/namespaces/basic/2.0/", {
    DOI = "doi",
    VOLUME = "volume",
    STARTING_PAGE = "startingPage",
    ENDING_PAGE = "endingPage",
});

terms!(
    /// RDF Schema.
    rdfs, "http://www.w3.org/2000/01/rdf-schema#", {
    LABEL = "label",
});

terms!(
    /// [Hydra Core](https://www.hydra-cg.com/spec/latest/core/), for the feed's paging.
    hydra, "http://www.w3.org/ns/hydra/core#", {
    COLLECTION = "Collection",
    PARTIAL_COLLECTION_VIEW = "PartialCollectionView",
    TOTAL_ITEMS = "totalItems",
    VIEW = "view",
    FIRST = "first",
    PREVIOUS = "previous",
    NEXT = "next",
    NEXT_PAGE = "nextPage",
    PAGED_COLLECTION = "PagedCollection",
    LAST = "last",
});

terms!(
    /// [PROV-O](https://www.w3.org/TR/prov-o/), for the history of records.
    prov, "http://www.w3.org/ns/prov#", {
    ENTITY = "Entity",
    ACTIVITY = "Activity",
    AGENT = "Agent",
    SPECIALIZATION_OF = "specializationOf",
    WAS_REVISION_OF = "wasRevisionOf",
    WAS_GENERATED_BY = "wasGeneratedBy",
    GENERATED_AT_TIME = "generatedAtTime",
    WAS_ASSOCIATED_WITH = "wasAssociatedWith",
    ENDED_AT_TIME = "endedAtTime",
    VALUE = "value",
    INFLUENCED = "influenced",
    WAS_INVALIDATED_BY = "wasInvalidatedBy",
});

terms!(
    /// [SPDX](https://spdx.org/rdf/terms/), as DCAT uses it for checksums.
    spdx, "http://spdx.org/rdf/terms#", {
    CHECKSUM = "checksum",
    CHECKSUM_CLASS = "Checksum",
    ALGORITHM = "algorithm",
    CHECKSUM_VALUE = "checksumValue",
    SHA256 = "checksumAlgorithm_sha256",
});

terms!(
    /// [ADMS](https://www.w3.org/TR/vocab-adms/): a catalog record's status.
    adms, "http://www.w3.org/ns/adms#", {
    STATUS = "status",
    IDENTIFIER = "identifier",
});

terms!(
    /// [Web Annotation](https://www.w3.org/TR/annotation-vocab/): reusers' feedback.
    oa, "http://www.w3.org/ns/oa#", {
    ANNOTATION = "Annotation",
    TEXTUAL_BODY = "TextualBody",
    HAS_TARGET = "hasTarget",
    HAS_BODY = "hasBody",
    MOTIVATED_BY = "motivatedBy",
    COMMENTING = "commenting",
    QUESTIONING = "questioning",
    EDITING = "editing",
    ASSESSING = "assessing",
    REPLYING = "replying",
    TAGGING = "tagging",
    REVIEWING = "reviewing",
    LINKING = "linking",
    HAS_PURPOSE = "hasPurpose",
});

terms!(
    /// [Activity Streams 2.0](https://www.w3.org/TR/activitystreams-vocabulary/): the
    /// service that announced a notification.
    activity_streams, "http://www.w3.org/ns/activitystreams#", {
    GENERATOR = "generator",
});

terms!(
    /// [Dublin Core elements](http://purl.org/dc/elements/1.1/), as Web Annotation bodies
    /// say their format and language.
    dce, "http://purl.org/dc/elements/1.1/", {
    FORMAT = "format",
    LANGUAGE = "language",
});

/// Predicates whose values name a resource for people, best first (pages, feed pages
/// and search documents lend labels by them).
pub const LABELS: [NamedNodeRef<'static>; 5] = [
    skos::PREF_LABEL,
    foaf::NAME,
    dct::TITLE,
    rdfs::LABEL,
    vcard::FN,
];

/// The EU *dataset-status* code a withdrawn dataset's catalog record carries.
pub const WITHDRAWN: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
    "http://publications.europa.eu/resource/authority/dataset-status/WITHDRAWN",
);

/// `rdf:type`, re-exported so callers import every term from here.
pub use oxigraph::model::vocab::rdf::TYPE as RDF_TYPE;

/// The application profile our catalog records declare with `dct:conformsTo`.
pub const DCAT_AP_PROFILE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://semiceu.github.io/DCAT-AP/releases/3.0.1/");

/// The terms of RDF collections (`( a b c )` in Turtle), re-exported like [`RDF_TYPE`].
pub mod rdf_list {
    pub use oxigraph::model::vocab::rdf::{FIRST, NIL, REST};
}
