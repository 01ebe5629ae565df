"""Scrapes a Passerelle metrics URL as Prometheus would and parses it with the official
Python client's text-format parser; prints every sample as JSON.

Usage: metrics_scrape.py URL [TOKEN]
Fails if the answer is not the text format (0.0.4) or does not parse, or if a family is
declared twice or a sample has no family (what a scraper would refuse).
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def main():
    url = sys.argv[1]
    request = urllib.request.Request(url)
    if len(sys.argv) > 2:
        request.add_header("Authorization", "Bearer " + sys.argv[2])
    with urllib.request.urlopen(request, timeout=30) as response:
        content_type = response.headers.get("Content-Type", "")
        text = response.read().decode("utf-8")
    if not content_type.startswith("text/plain") or "version=0.0.4" not in content_type:
        sys.exit(f"not the Prometheus text format: {content_type!r}")
    samples = []
    families = {}
    for family in text_string_to_metric_families(text):
        if family.name in families:
            sys.exit(f"family {family.name} declared twice")
        families[family.name] = family.type
        for sample in family.samples:
            samples.append([sample.name, sample.labels, sample.value])
    if not samples:
        sys.exit("no samples")
    print(json.dumps({"families": families, "samples": samples}))


if __name__ == "__main__":
    main()
