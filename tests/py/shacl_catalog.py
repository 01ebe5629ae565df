"""Validates the catalog as served over HTTP with pyshacl and the official DCAT-AP 3.0.1
shapes (shapes.ttl + range.ttl of the modular release).

Usage: shacl_catalog.py BASE_URL SHAPES_DIR MEDIA_TYPE
Validates (1) the catalog merged with every dataset, (2) each dataset alone. Datasets are
fetched at their local pages, found through the catalog's records.
Prints a JSON summary with the number of violations; exits non-zero if any.
"""
import json
import sys
import urllib.request

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT_RECORD = URIRef("http://www.w3.org/ns/dcat#record")
SYNTAX = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


def fetch(url, media_type, base):
    request = urllib.request.Request(url, headers={"Accept": media_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    graph = Graph()
    graph.parse(data=text, format=SYNTAX[media_type], publicID=base)
    return graph


def violations(data, shapes):
    conforms, report, text = validate(data, shacl_graph=shapes, inference="none", advanced=False)
    found = list(report.subjects(SH.resultSeverity, SH.Violation))
    return conforms, len(found), text


def main():
    base, shapes_dir, media_type = sys.argv[1].rstrip("/") + "/", sys.argv[2], sys.argv[3]
    shapes = Graph()
    shapes.parse(f"{shapes_dir}/shapes.ttl", format="turtle")
    shapes.parse(f"{shapes_dir}/range.ttl", format="turtle")
    catalog = fetch(base, media_type, base)
    merged = Graph()
    merged += catalog
    # Each dataset's local page is {base}datasets/{id} for its record {base}records/{id}
    # (a loaded dataset keeps its foreign IRI, which we cannot fetch from here).
    records = sorted(str(o) for o in catalog.objects(None, DCAT_RECORD))
    datasets = [base + "datasets/" + r.rsplit("/", 1)[1] for r in records]
    if not datasets:
        raise SystemExit("the catalog lists no dataset: nothing to validate")
    failures = []
    for iri in datasets:
        graph = fetch(iri, media_type, base)
        merged += graph
        conforms, count, text = violations(graph, shapes)
        if count:
            failures.append(f"{iri}: {count} violations\n{text}")
    conforms, count, text = violations(merged, shapes)
    if count:
        failures.append(f"catalog + datasets: {count} violations\n{text}")
    print(json.dumps({"datasets": len(datasets), "triples": len(merged), "violations": count, "failures": len(failures)}))
    if failures:
        print("\n".join(failures)[:20000], file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
