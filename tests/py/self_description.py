"""Reads what a catalog says about itself with outside tools: the shapes at /shapes run by
pyshacl, the VoID description at /.well-known/void parsed by rdflib and checked against
SPARQL counts, and the dump at /dump.nq.gz parsed by rdflib as a fresh dataset and
compared, graph by graph (isomorphism), with what the SPARQL endpoint holds.

Usage: self_description.py URL BASE_IRI DATASET_PAGE (URL: where the server answers;
BASE_IRI: the IRIs it mints)
Prints a JSON summary.
"""
import gzip
import json
import sys
import urllib.parse
import urllib.request

from pyshacl import validate
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def get(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def turtle(url, base):
    graph = Graph()
    graph.parse(data=get(url, "text/turtle").decode("utf-8"), format="turtle", publicID=base)
    return graph


def select(base, query):
    url = base + "sparql?" + urllib.parse.urlencode({"query": query})
    return json.loads(get(url, "application/sparql-results+json"))["results"]["bindings"]


def term(binding):
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode(binding["value"])
    return Literal(binding["value"], lang=binding.get("xml:lang"),
                   datatype=binding.get("datatype"))


def shapes_check(base, page):
    shapes = turtle(base + "shapes", base)
    datasets = turtle(base + "shapes/datasets", base)
    data = turtle(page, base)
    conforms, _, _ = validate(data, shacl_graph=datasets, inference="none")
    broken = Graph()
    broken.parse(data="""@prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <http://ex.org/d> a dcat:Dataset ; dct:title "Sans description"@fr .""", format="turtle")
    caught, _, _ = validate(broken, shacl_graph=shapes, inference="none")
    return {"shapes_triples": len(shapes), "dataset_shapes_triples": len(datasets),
            "page_conforms": conforms, "broken_conforms": caught}


def void_check(base, iri):
    void = turtle(base + ".well-known/void", iri)
    dataset = URIRef(iri + ".well-known/void#catalog")
    triples = int(void.value(dataset, VOID.triples))
    counted = int(select(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]["value"])
    datasets = None
    for part in void.objects(dataset, VOID.classPartition):
        if void.value(part, VOID["class"]) == DCAT.Dataset:
            datasets = int(void.value(part, VOID.entities))
    typed = int(select(base, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a <http://www.w3.org/ns/dcat#Dataset> } }")[0]["n"]["value"])
    return {"void_triples": triples, "sparql_triples": counted, "void_datasets": datasets,
            "sparql_datasets": typed,
            "dump_link": str(void.value(dataset, VOID.dataDump)),
            "endpoint_link": str(void.value(dataset, VOID.sparqlEndpoint))}


def dump_check(base):
    dump = Dataset()
    dump.parse(data=gzip.decompress(get(base + "dump.nq.gz", "application/gzip")).decode("utf-8"),
               format="nquads")
    dumped = {str(g.identifier): g for g in dump.graphs() if len(g)}
    served = {}
    for row in select(base, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"):
        graph = served.setdefault(row["g"]["value"], Graph())
        graph.add((term(row["s"]), term(row["p"]), term(row["o"])))
    differing = sorted(g for g in set(dumped) | set(served)
                       if g not in dumped or g not in served or not isomorphic(dumped[g], served[g]))
    return {"dump_graphs": len(dumped), "served_graphs": len(served),
            "dump_quads": sum(len(g) for g in dumped.values()), "differing": differing[:5]}


def main():
    base, iri, page = sys.argv[1].rstrip("/") + "/", sys.argv[2], sys.argv[3]
    summary = {}
    summary.update(shapes_check(base, page))
    summary.update(void_check(base, iri))
    summary.update(dump_check(base))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
