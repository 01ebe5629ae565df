"""Outside clients read every export of every demo dataset and data paper:

- DataCite XML validates against the official DataCite 4.7 XSD (xmlschema), with the
  resource type, the paper/dataset relations both ways, ORCID and ROR identifiers;
- BibTeX parses with bibtexparser; CSL-JSON formats with citeproc-py; RIS is well formed;
- the formatted reference follows Accept-Language;
- schema.org JSON-LD, negotiated and embedded in the HTML page, expands with pyld (the
  schema.org context read offline) to a Dataset or ScholarlyArticle with a name and, for
  datasets, a description of 50 to 5000 characters (Google Dataset Search's requirements).

Usage: exports.py BASE_URL FIXTURES_DIR [--harvested]
With --harvested (a store of other portals' feeds), descriptions may be shorter than
Google wants and records need not be ours: what is checked is that every export of every
record is valid and parses.
Prints a JSON summary; exits non-zero on the first failure.
"""
import html.parser
import json
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import bibtexparser
import xmlschema
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pyld import jsonld

DATACITE = "{http://datacite.org/schema/kernel-4}"
SCHEMA = "http://schema.org/"


def fetch(url, accept, language=None):
    headers = {"Accept": accept}
    if language:
        headers["Accept-Language"] = language
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        content_type = response.headers["Content-Type"]
        if not content_type.startswith(accept.split(",")[0]):
            raise SystemExit(f"{url}: asked {accept}, got {content_type}")
        return response.read().decode("utf-8"), response.headers


def records(base):
    """Every dataset and data paper, by SPARQL: their pages here (a harvested dataset keeps
    its IRI; its page is named after its record)."""
    query = (
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX fabio: <http://purl.org/spar/fabio/> "
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "SELECT DISTINCT ?g ?k WHERE { GRAPH ?g { ?g foaf:primaryTopic ?r . "
        "{ ?r a dcat:Dataset BIND('d' AS ?k) } UNION { ?r a fabio:DataPaper BIND('p' AS ?k) } } }"
    )
    url = base + "sparql?" + urllib.parse.urlencode({"query": query})
    text, _ = fetch(url, "application/sparql-results+json")
    rows = json.loads(text)["results"]["bindings"]
    pages = []
    for row in rows:
        record, kind = row["g"]["value"], row["k"]["value"]
        if "/records/" not in record:
            continue
        segment = "datasets/" if kind == "d" else "data-papers/"
        pages.append((base + segment + record.rsplit("/records/", 1)[1], kind))
    return pages


def check_datacite(schema, url, kind):
    text, headers = fetch(url, "application/vnd.datacite.datacite+xml")
    assert headers["Content-Profile"] == "<http://datacite.org/schema/kernel-4>", headers
    errors = list(schema.iter_errors(text))
    if errors:
        raise SystemExit(f"{url}: DataCite XML invalid: {errors[0]}")
    root = ET.fromstring(text)
    general = root.find(f"{DATACITE}resourceType").get("resourceTypeGeneral")
    expected = "Dataset" if kind == "d" else "DataPaper"
    assert general == expected, (url, general)
    relations = [
        (r.get("relationType"), r.get("relatedIdentifierType"), r.text)
        for r in root.iter(f"{DATACITE}relatedIdentifier")
    ]
    assert ("IsPartOf", "URL") in [(t, k) for t, k, _ in relations], relations
    if kind == "p":
        assert any(t == "Describes" for t, _, _ in relations), (url, relations)
        creators = list(root.iter(f"{DATACITE}creator"))
        assert creators, url
        for creator in creators:
            ids = [n.get("nameIdentifierScheme") for n in creator.iter(f"{DATACITE}nameIdentifier")]
            assert ids == ["ORCID"], (url, ids)
            rors = [a.get("affiliationIdentifier") for a in creator.iter(f"{DATACITE}affiliation")]
            assert any(r and r.startswith("https://ror.org/") for r in rors), (url, rors)
    return relations


def check_bibtex(url, kind, harvested=False):
    text, _ = fetch(url, "application/x-bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, (url, text)
    assert len(library.entries) == 1, (url, text)
    entry = library.entries[0]
    assert entry.entry_type == ("misc" if kind == "d" else "article"), (url, entry.entry_type)
    fields = {f.key: f.value for f in entry.fields}
    # (A harvested record may have no date at all: then no year, rather than a wrong one.)
    for name in ("title", "url") if harvested else ("title", "year", "url"):
        assert fields.get(name), (url, name, fields)
    if kind == "p":
        assert fields.get("journal") and fields.get("doi"), (url, fields)
        assert " and " in fields["author"], (url, fields["author"])
    return fields


def check_csl(url, kind):
    text, _ = fetch(url, "application/vnd.citationstyles.csl+json")
    items = json.loads(text)
    assert isinstance(items, list) and len(items) == 1, url
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    citation = Citation([CitationItem(items[0]["id"])])
    bibliography.register(citation)
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert rendered and items[0]["title"][:20] in rendered[0], (url, rendered)
    assert items[0]["type"] == ("dataset" if kind == "d" else "article-journal"), url
    return rendered[0]


def check_ris(url, harvested=False):
    text, _ = fetch(url, "application/x-research-info-systems")
    lines = [line for line in text.split("\r\n") if line]
    assert lines[0].startswith("TY  - "), (url, lines[0])
    assert lines[-1] == "ER  - ", (url, lines[-1])
    tags = {line[:2] for line in lines}
    assert ({"TI", "UR"} if harvested else {"TI", "PY", "UR"}) <= tags, (url, tags)


def check_reference(url, kind):
    english, _ = fetch(url, "text/x-bibliography", "en")
    french, _ = fetch(url, "text/x-bibliography", "fr-FR,fr;q=0.9")
    if kind == "d":
        assert "[Data set" in english and "[Jeu de données" in french, (url, english, french)
    return english.strip()


class JsonLdScripts(html.parser.HTMLParser):
    """The `<script type="application/ld+json">` blocks of a page."""

    def __init__(self):
        super().__init__()
        self.blocks, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def loader_for(context_path):
    with open(context_path, encoding="utf-8") as f:
        context = json.load(f)

    def load(url, options=None):
        if url.rstrip("/") in ("http://schema.org", "https://schema.org"):
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": context}
        raise jsonld.JsonLdError(f"offline: {url}", "loading document failed")

    return load


def check_schema_org(url, kind, loader, document, downloads, harvested=False):
    expanded = jsonld.expand(document, {"documentLoader": loader})
    assert len(expanded) == 1, (url, expanded)
    node = expanded[0]
    expected = SCHEMA + ("Dataset" if kind == "d" else "ScholarlyArticle")
    assert expected in node["@type"], (url, node["@type"])
    names = node.get(SCHEMA + "name", [])
    assert names and names[0]["@value"].strip(), (url, "name")
    descriptions = node.get(SCHEMA + "description", [])
    assert descriptions or harvested, (url, "description")
    length = len(descriptions[0]["@value"]) if descriptions else 0
    if kind == "d":
        assert length <= 5000 and (harvested or length >= 50), (url, length)
        # A DataDownload for each file with a download URL (DataCite's HasPart).
        assert len(node.get(SCHEMA + "distribution", [])) == downloads, (url, "distribution")
        assert node.get(SCHEMA + "includedInDataCatalog"), (url, "catalog")
    return node


def main():
    base = sys.argv[1].rstrip("/") + "/"
    fixtures = sys.argv[2].rstrip("/")
    harvested = "--harvested" in sys.argv[3:]
    schema = xmlschema.XMLSchema(f"{fixtures}/schemas/datacite-4.7/metadata.xsd")
    loader = loader_for(f"{fixtures}/schemaorg/schemaorgcontext.jsonld")
    summary = {"datasets": 0, "papers": 0, "described": 0, "embedded": 0}
    for url, kind in sorted(records(base)):
        relations = check_datacite(schema, url, kind)
        if kind == "d" and any(t == "IsDescribedBy" for t, _, _ in relations):
            summary["described"] += 1
        check_bibtex(url, kind, harvested)
        check_csl(url, kind)
        check_ris(url, harvested)
        check_reference(url, kind)
        negotiated, headers = fetch(url, "application/vnd.schemaorg.ld+json")
        assert headers["Content-Profile"] == "<https://schema.org/>", headers
        downloads = sum(1 for t, _, _ in relations if t == "HasPart")
        check_schema_org(url, kind, loader, json.loads(negotiated), downloads, harvested)
        page, _ = fetch(url, "text/html")
        scripts = JsonLdScripts()
        scripts.feed(page)
        assert len(scripts.blocks) == 1, (url, len(scripts.blocks))
        check_schema_org(url, kind, loader, json.loads(scripts.blocks[0]), downloads, harvested)
        summary["embedded"] += 1
        summary["datasets" if kind == "d" else "papers"] += 1
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
