"""An outside SPARQL client: SPARQLWrapper runs SELECT (JSON and XML), ASK, CONSTRUCT
(Turtle) and an UPDATE with the admin token against the endpoint, and checks the answers.

Usage: sparqlwrapper_client.py ENDPOINT TOKEN
Prints a JSON summary; exits non-zero on a wrong answer.
"""
import json
import sys

from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

DATASETS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }"


def client(endpoint, query, fmt):
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def main():
    endpoint, token = sys.argv[1], sys.argv[2]
    summary = {}

    result = client(endpoint, DATASETS, JSON).queryAndConvert()
    summary["select_json"] = int(result["results"]["bindings"][0]["n"]["value"])

    document = client(endpoint, DATASETS, XML).queryAndConvert()  # an xml.dom document
    summary["select_xml"] = int(document.getElementsByTagName("literal")[0].firstChild.data)

    summary["ask"] = client(endpoint, "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }", JSON).queryAndConvert()["boolean"]

    graph = client(endpoint, "CONSTRUCT { ?d a <http://www.w3.org/ns/dcat#Dataset> } WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }", TURTLE).queryAndConvert()
    # SPARQLWrapper hands Turtle back as bytes; parse it with rdflib to count triples.
    from rdflib import Graph
    summary["construct_turtle"] = len(Graph().parse(data=graph, format="turtle"))

    insert = "INSERT DATA { GRAPH <urn:example:wrapper> { <urn:example:s> <urn:example:p> \"from SPARQLWrapper\" } }"
    refused = client(endpoint, insert, JSON)
    refused.setMethod(POST)
    try:
        refused.query()
        summary["update_without_token"] = "accepted"
    except SPARQLWrapperException as error:
        summary["update_without_token"] = type(error).__name__

    update = client(endpoint, insert, JSON)
    update.setMethod(POST)
    update.addCustomHttpHeader("Authorization", f"Bearer {token}")
    update.query()
    summary["after_update"] = client(endpoint, "ASK { GRAPH <urn:example:wrapper> { ?s ?p \"from SPARQLWrapper\" } }", JSON).queryAndConvert()["boolean"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
