"""The `signposting` client (FAIR Signposting) reads every demo dataset's and data paper's
signposts from the Link headers of its page and of its RDF, and from its linkset in both
media types, and finds the same cite-as, describedby, item, license and author links.

Usage: signposting_client.py BASE_URL
Prints a JSON summary; exits non-zero on the first failure.
"""
import json
import sys
import urllib.parse
import urllib.request

import requests
from signposting import find_signposting_http_link, find_signposting_linkset

DATACITE = "application/vnd.datacite.datacite+xml"


def records(base):
    query = (
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX fabio: <http://purl.org/spar/fabio/> "
        "SELECT DISTINCT ?r WHERE { GRAPH ?g { { ?r a dcat:Dataset } UNION { ?r a fabio:DataPaper } } }"
    )
    url = base + "sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    ours = ("/datasets/", "/data-papers/")
    return sorted(r["r"]["value"] for r in rows if any(o in r["r"]["value"] for o in ours))


def from_headers(url, accept):
    response = requests.get(url, headers={"Accept": accept}, timeout=30)
    response.raise_for_status()
    links = response.headers.get("Link")
    assert links, (url, accept, "no Link header")
    return find_signposting_http_link([links], url)


def summary_of(signposting, url):
    assert signposting.citeAs, (url, "cite-as")
    described = {(str(d.target), d.type) for d in signposting.describedBy}
    types = {d.type for d in signposting.describedBy}
    assert DATACITE in types and "text/turtle" in types, (url, types)
    return {
        "cite_as": str(signposting.citeAs.target),
        "described": sorted(described),
        "items": sorted((str(i.target), i.type) for i in signposting.items),
        "license": signposting.license and str(signposting.license.target),
        "authors": sorted(str(a.target) for a in signposting.authors),
        "types": sorted(str(t.target) for t in signposting.types),
    }


def main():
    base = sys.argv[1].rstrip("/") + "/"
    counts = {"records": 0, "items": 0, "authors": 0, "licensed": 0, "doi": 0}
    for url in records(base):
        page = summary_of(from_headers(url, "text/html"), url)
        rdf = summary_of(from_headers(url, "text/turtle"), url)
        assert page == rdf, (url, page, rdf)
        for media_type in ("application/linkset+json", "application/linkset"):
            linkset = find_signposting_linkset(url + "/linkset", media_type).for_context(url)
            assert summary_of(linkset, url) == page, (url, media_type)
        # What each signpost says matches the record: its DataCite document is there, and
        # a DOI is what it is cited as when it has one.
        datacite = [t for t, kind in page["described"] if kind == DATACITE][0]
        document = requests.get(datacite, timeout=30)
        assert document.ok and "<resource" in document.text, datacite
        if "<identifier identifierType=\"DOI\">" in document.text:
            assert page["cite_as"].startswith("https://doi.org/10."), page["cite_as"]
            counts["doi"] += 1
        else:
            assert page["cite_as"] == url, page["cite_as"]
        if "/data-papers/" in url:
            assert page["authors"] and all(a.startswith("https://orcid.org/") for a in page["authors"]), page
            assert "https://schema.org/ScholarlyArticle" in page["types"], page
        else:
            assert "https://schema.org/Dataset" in page["types"], page
        counts["records"] += 1
        counts["items"] += len(page["items"])
        counts["authors"] += len(page["authors"])
        counts["licensed"] += page["license"] is not None
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
