"""Walks a filtered search as a harvester would (RDF pages, following hydra:next) and
validates each page with pyshacl and the official DCAT-AP 3.0.1 shapes.

Usage: shacl_search.py SEARCH_URL SHAPES_DIR
SEARCH_URL is a search with its filters (e.g. .../search?theme=...&page_size=2). Prints a
JSON summary: pages walked, datasets seen (each page's catalog links), datasets seen more
than once, and violations.
"""
import json
import sys

from rdflib import Graph, Namespace

from shacl_catalog import violations
from shacl_feed import HYDRA, fetch

DCAT = Namespace("http://www.w3.org/ns/dcat#")


def main():
    start, shapes_dir = sys.argv[1], sys.argv[2]
    shapes = Graph()
    shapes.parse(f"{shapes_dir}/shapes.ttl", format="turtle")
    shapes.parse(f"{shapes_dir}/range.ttl", format="turtle")
    summary = {}
    for media_type in ["text/turtle", "application/ld+json"]:
        url, pages, seen, repeated, count, failures = start, 0, set(), 0, 0, []
        while url:
            graph = fetch(url, media_type)
            pages += 1
            for dataset in graph.objects(None, DCAT.dataset):
                repeated += dataset in seen
                seen.add(dataset)
            _, found, text = violations(graph, shapes)
            count += found
            if found:
                failures.append(f"{url}: {found} violations\n{text}")
            following = list(graph.objects(None, HYDRA.next))
            url = str(following[0]) if following else None
        summary[media_type] = {"pages": pages, "datasets": len(seen), "repeated": repeated,
                               "violations": count}
        for failure in failures[:3]:
            print(failure, file=sys.stderr)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
