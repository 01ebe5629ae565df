"""Validates RDF files with pyshacl and the official DCAT-AP 3.0.1 shapes (shapes.ttl +
range.ttl of the modular release), for comparison with our own profile.

Usage: profile_crosscheck.py SHAPES_DIR FILE...
Prints one JSON object: file name -> {"conforms": bool, "violations": [focus path...]}.
Only sh:Violation results count, as in our profile (warnings never block a write).
"""
import json
import os
import sys

from pyshacl import validate
from rdflib import Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")


def main():
    shapes_dir, files = sys.argv[1], sys.argv[2:]
    shapes = Graph()
    shapes.parse(os.path.join(shapes_dir, "shapes.ttl"), format="turtle")
    shapes.parse(os.path.join(shapes_dir, "range.ttl"), format="turtle")
    verdicts = {}
    for path in files:
        data = Graph()
        data.parse(path, format="turtle")
        _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False)
        found = [
            f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}"
            for r in report.subjects(SH.resultSeverity, SH.Violation)
        ]
        verdicts[os.path.basename(path)] = {"conforms": not found, "violations": sorted(found)}
    print(json.dumps(verdicts, indent=1))


if __name__ == "__main__":
    main()
