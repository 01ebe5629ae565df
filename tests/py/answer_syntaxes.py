"""An outside client's view of a CONSTRUCT answer: rdflib reads it in every RDF syntax the
endpoint writes and finds the same graph each time.

Usage: answer_syntaxes.py ENDPOINT QUERY
Prints the number of triples; exits non-zero on the first disagreement.
"""
import sys
import urllib.parse
import urllib.request

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

SYNTAXES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
}


def fetch(endpoint, query, accept):
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


def parse(text, syntax, base):
    if syntax == "trig":
        dataset = Dataset()
        dataset.parse(data=text, format=syntax, publicID=base)
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=text, format=syntax, publicID=base)


def main():
    endpoint, query = sys.argv[1], sys.argv[2]
    graphs = {m: parse(fetch(endpoint, query, m), s, endpoint) for m, s in SYNTAXES.items()}
    reference = graphs["application/n-triples"]
    if len(reference) == 0:
        raise SystemExit("the answer is empty")
    for media_type, graph in graphs.items():
        if not isomorphic(graph, reference):
            raise SystemExit(f"{media_type}: {len(graph)} triples, not the graph of the "
                             f"N-Triples answer ({len(reference)} triples)")
    print(len(reference))


if __name__ == "__main__":
    main()
