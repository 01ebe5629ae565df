"""Validates the catalog feed's pages with pyshacl and the official DCAT-AP 3.0.1 shapes
(shapes.ttl + range.ttl of the modular release), each page on its own, as a harvester
receives it.

Usage: shacl_feed.py BASE_URL SHAPES_DIR TOKEN
Walks the full feed (page_size=10) in Turtle and in JSON-LD following hydra:next, then
deletes one dataset (SPARQL Update with TOKEN) and validates the incremental feed that
lists it as withdrawn. Prints a JSON summary; exits non-zero on any violation.
"""
import datetime
import json
import sys
import urllib.parse
import urllib.request

from rdflib import Graph, Namespace, URIRef

from shacl_catalog import SYNTAX, violations

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def fetch(url, media_type):
    request = urllib.request.Request(url, headers={"Accept": media_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    graph = Graph()
    graph.parse(data=text, format=SYNTAX[media_type], publicID=url)
    return graph


def pages(start, media_type):
    url = start
    while url:
        graph = fetch(url, media_type)
        yield url, graph
        following = list(graph.objects(None, HYDRA.next))
        url = str(following[0]) if following else None


def delete_one(base, token):
    query = "SELECT ?r ?d WHERE { ?r a <http://www.w3.org/ns/dcat#CatalogRecord> ; <http://xmlns.com/foaf/0.1/primaryTopic> ?d } LIMIT 1"
    request = urllib.request.Request(base + "sparql?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        row = json.loads(response.read())["results"]["bindings"][0]
    record, dataset = row["r"]["value"], row["d"]["value"]
    update = f"""DROP GRAPH <{record}> ;
        DELETE DATA {{ GRAPH <{base}graphs/catalog> {{ <{base}> <{DCAT.dataset}> <{dataset}> ; <{DCAT.record}> <{record}> }} }}"""
    request = urllib.request.Request(base + "sparql", data=update.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update",
                                              "Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request, timeout=30).close()


def main():
    base, shapes_dir, token = sys.argv[1].rstrip("/") + "/", sys.argv[2], sys.argv[3]
    shapes = Graph()
    shapes.parse(f"{shapes_dir}/shapes.ttl", format="turtle")
    shapes.parse(f"{shapes_dir}/range.ttl", format="turtle")
    checked, total, failures = 0, 0, []

    def check(url, graph):
        nonlocal checked, total
        conforms, count, text = violations(graph, shapes)
        checked += 1
        total += count
        if count:
            failures.append(f"{url}: {count} violations\n{text}")

    for media_type in ["text/turtle", "application/ld+json"]:
        for url, graph in pages(base + "catalog?page_size=10", media_type):
            check(url, graph)

    since = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
    delete_one(base, token)
    withdrawn = 0
    for media_type in ["text/turtle"]:
        url = base + "catalog?" + urllib.parse.urlencode({"modified_since": since})
        for url, graph in pages(url, media_type):
            withdrawn += len(list(graph.subject_objects(ADMS_STATUS)))
    for media_type in ["text/turtle", "application/ld+json"]:
        url = base + "catalog?" + urllib.parse.urlencode({"modified_since": since})
        for url, graph in pages(url, media_type):
            check(url, graph)

    print(json.dumps({"pages": checked, "withdrawn": withdrawn, "violations": total}))
    if failures:
        print("\n".join(failures)[:20000], file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
