"""An outside client's view of a CONSTRUCT answer: rdflib reads it in every RDF syntax the
endpoint writes and finds the same graph each time.

Usage: answer_syntaxes.py ENDPOINT QUERY
Prints the number of triples; exits non-zero on the first disagreement.
"""
import sys
import urllib.parse

from rdflib.compare import isomorphic

from formats import SYNTAXES, fetch, parse


def main():
    endpoint, query = sys.argv[1], sys.argv[2]
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    graphs = {m: parse(fetch(url, m), m, endpoint) for m in SYNTAXES}
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
