"""An outside client's view: rdflib fetches every dataset of the catalog in every RDF
syntax and checks that all parse to isomorphic graphs.

Usage: formats.py BASE_URL
Prints a JSON summary; exits non-zero on the first disagreement.
"""
import json
import sys
import urllib.request

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic

SYNTAXES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#dataset")


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        content_type = response.headers["Content-Type"]
        if not content_type.startswith(accept):
            raise SystemExit(f"{url}: asked {accept}, got {content_type}")
        return response.read().decode("utf-8")


def parse(text, media_type, base):
    syntax = SYNTAXES[media_type]
    if syntax in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=text, format=syntax, publicID=base)
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    graph = Graph()
    graph.parse(data=text, format=syntax, publicID=base)
    return graph


def main():
    base = sys.argv[1].rstrip("/") + "/"
    catalog = parse(fetch(base, "text/turtle"), "text/turtle", base)
    datasets = sorted(str(o) for o in catalog.objects(None, DCAT_DATASET))
    if len(datasets) < 25:
        raise SystemExit(f"only {len(datasets)} datasets in the catalog")
    triples = 0
    for iri in datasets:
        graphs = {m: parse(fetch(iri, m), m, base) for m in SYNTAXES}
        reference = graphs["text/turtle"]
        if len(reference) < 20:
            raise SystemExit(f"{iri}: only {len(reference)} triples")
        for media_type, graph in graphs.items():
            if not isomorphic(reference, graph):
                only_turtle = len(to_isomorphic(reference) - to_isomorphic(graph))
                raise SystemExit(f"{iri}: {media_type} is not isomorphic to Turtle ({only_turtle} triples differ)")
        triples += len(reference)
    print(json.dumps({"datasets": len(datasets), "triples": triples}))


if __name__ == "__main__":
    main()
