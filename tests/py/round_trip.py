"""Compares the datasets of one Passerelle instance (A) with those another (B) harvested
from A's feed, as an outside client: rdflib over plain HTTP.

Usage: round_trip.py A_URL B_URL

For every dataset A lists (asked by SPARQL), fetches its description from A (its IRI's
page) and from B (B's page of its catalog record for that IRI), leaves out what is not
the dataset's description (catalog records and the profile they name, and the data
papers that point at it: B harvests datasets only), and checks that both graphs are
isomorphic.

Prints a JSON summary; exits non-zero if a dataset is missing from B or differs.
"""
import json
import sys
import urllib.parse
import urllib.request

from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic, graph_diff, to_isomorphic
from rdflib.namespace import RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FABIO = Namespace("http://purl.org/spar/fabio/")
DCT = Namespace("http://purl.org/dc/terms/")


def get(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


def select(endpoint, query):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": query})
    answer = json.loads(get(url, "application/sparql-results+json"))
    return [row for row in answer["results"]["bindings"]]


def description(url):
    graph = Graph()
    graph.parse(data=get(url, "application/n-triples"), format="nt")
    # Not the dataset's own description: catalog records (each catalog keeps its own, B's
    # says where it came from) with the profile each names (each catalog's own shapes),
    # and the resources that only point at the dataset.
    records = set(graph.subjects(RDF.type, DCAT.CatalogRecord))
    drop = records | {p for r in records for p in graph.objects(r, DCT.conformsTo)}
    drop |= set(graph.subjects(RDF.type, FABIO.DataPaper))
    for node in drop:
        graph.remove((node, None, None))
    return graph


def main():
    a_url, b_url = sys.argv[1], sys.argv[2]
    datasets = [
        row["d"]["value"]
        for row in select(a_url, "SELECT DISTINCT ?d WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }")
    ]
    missing, different, same = [], [], 0
    for dataset in sorted(datasets):
        a_page = a_url + "/" + dataset.split("/", 3)[3]
        records = select(
            b_url,
            "SELECT ?r WHERE { ?r a <http://www.w3.org/ns/dcat#CatalogRecord> ; "
            f"<http://xmlns.com/foaf/0.1/primaryTopic> <{dataset}> ; "
            "<http://purl.org/dc/terms/source> ?s }",
        )
        if len(records) != 1:
            missing.append(dataset)
            continue
        record = records[0]["r"]["value"]
        b_page = b_url + "/datasets/" + record.rsplit("/", 1)[1]
        a, b = description(a_page), description(b_page)
        if isomorphic(a, b):
            same += 1
        else:
            _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
            different.append(
                {
                    "dataset": dataset,
                    "only_in_a": sorted(" ".join(x.n3() for x in t) for t in only_a)[:5],
                    "only_in_b": sorted(" ".join(x.n3() for x in t) for t in only_b)[:5],
                }
            )
    summary = {"datasets": len(datasets), "isomorphic": same, "missing": missing, "different": different}
    print(json.dumps(summary, indent=1))
    if missing or different or not datasets:
        sys.exit(1)


if __name__ == "__main__":
    main()
