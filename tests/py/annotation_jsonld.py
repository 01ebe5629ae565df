"""A JSON-LD processor reads an annotation as the Web Annotation model says: pyld expands
the annotation's JSON-LD against the W3C context (the copy the server bundles, read
offline), and the triples it means are exactly those the server serves in Turtle
(rdflib, graph isomorphism). Also checks the Web Annotation shape of the document.

Usage: annotation_jsonld.py ANNOTATION_URL ANNO_CONTEXT_FILE
Prints a JSON summary; exits non-zero on the first failure.
"""
import json
import sys
import urllib.request

from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

url, context_file = sys.argv[1:3]
ANNO = "http://www.w3.org/ns/anno.jsonld"


def fetch(accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["Content-Type"], response.read().decode("utf-8")


with open(context_file, encoding="utf-8") as f:
    CONTEXT = json.load(f)


def loader(target, options=None):
    if target.rstrip("/") != ANNO:
        raise jsonld.JsonLdError(f"offline: {target}", "loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None,
            "documentUrl": target, "document": CONTEXT}


content_type, text = fetch("application/ld+json")
assert "profile=\"http://www.w3.org/ns/anno.jsonld\"" in content_type, content_type
document = json.loads(text)
assert document["@context"] == ANNO, document
bodies = document["body"] if isinstance(document["body"], list) else [document["body"]]
# A body is a TextualBody, or (an announced review, a related article) a resource's IRI.
assert document["type"] == "Annotation", document
assert all(isinstance(b, str) or b["type"] == "TextualBody" for b in bodies), document
nquads = jsonld.to_rdf(document, {"documentLoader": loader, "format": "application/n-quads"})
from_jsonld = Graph().parse(data=nquads, format="nquads")
_, turtle = fetch("text/turtle")
from_turtle = Graph().parse(data=turtle, format="turtle")
assert len(from_jsonld) >= 8, nquads
same = isomorphic(from_jsonld, from_turtle)
if not same:
    print("only in JSON-LD:", sorted(set(from_jsonld) - set(from_turtle)), file=sys.stderr)
    print("only in Turtle:", sorted(set(from_turtle) - set(from_jsonld)), file=sys.stderr)
assert same, "the JSON-LD and the Turtle say different things"
expanded = jsonld.expand(document, {"documentLoader": loader})
motivation = expanded[0]["http://www.w3.org/ns/oa#motivatedBy"][0]["@id"]
print(json.dumps({"triples": len(from_jsonld), "motivation": motivation,
                  "value": bodies[0] if isinstance(bodies[0], str) else bodies[0]["value"]}))
