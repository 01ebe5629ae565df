"""Counts, with pyshacl and the official DCAT-AP 3.0.1 shapes (shapes.ttl + range.ttl of the
modular release), the violations of each dataset the catalog lists, per shape: the
property (sh:resultPath) and the constraint broken (sh:sourceConstraintComponent).

Usage: shacl_by_shape.py BASE_URL SHAPES_DIR
Prints one JSON object: {"by_shape": {"<path> <constraint>": n}, "datasets": {"<page>": n}}
(only datasets with violations are listed).
"""
import json
import sys
import urllib.request

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT_RECORD = URIRef("http://www.w3.org/ns/dcat#record")


def fetch(url, base):
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle", publicID=base)
    return graph


def short(component):
    text = str(component)
    prefix = str(SH)
    return "sh:" + text[len(prefix):] if text.startswith(prefix) else text


def main():
    base, shapes_dir = sys.argv[1].rstrip("/") + "/", sys.argv[2]
    shapes = Graph()
    shapes.parse(f"{shapes_dir}/shapes.ttl", format="turtle")
    shapes.parse(f"{shapes_dir}/range.ttl", format="turtle")
    catalog = fetch(base, base)
    records = sorted(str(o) for o in catalog.objects(None, DCAT_RECORD))
    by_shape, datasets = {}, {}
    for record in records:
        page = base + "datasets/" + record.rsplit("/", 1)[1]
        data = fetch(page, base)
        _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False)
        found = list(report.subjects(SH.resultSeverity, SH.Violation))
        for result in found:
            path = report.value(result, SH.resultPath)
            component = report.value(result, SH.sourceConstraintComponent)
            key = f"{path if path is not None else '-'} {short(component)}"
            by_shape[key] = by_shape.get(key, 0) + 1
        if found:
            datasets[page] = len(found)
    print(json.dumps({"by_shape": by_shape, "datasets": datasets}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
