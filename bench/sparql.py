"""Benchmark: the same catalog queries against Passerelle's SPARQL endpoint and the plain
Oxigraph server (same version, same data, union default graph), under wrk on loopback.

Usage: python3 bench/sparql.py [--datasets 20000] [--duration 5] [--rounds 3] [--only LABEL] [--passerelle PATH]
Needs wrk and the `oxigraph` server binary (cargo install oxigraph-cli --version 0.5.13); see README.
Prints requests/s, p50 and p99 for both at 1 and 16 connections, and the ratio.
"""
import argparse
import os
import shutil
import tempfile
import urllib.parse

from deref import common_args, free_port, prepare_stores, start_servers, wrk

PREFIXES = ("PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX theme: <http://publications.europa.eu/resource/authority/data-theme/> ")


def queries(base):
    return [
        ("list by theme, page 6", "application/sparql-results+json",
         PREFIXES + "SELECT ?d WHERE { ?d dcat:theme theme:ENVI } ORDER BY ?d LIMIT 20 OFFSET 100"),
        ("count by publisher", "application/sparql-results+json",
         PREFIXES + "SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d dct:publisher ?p } GROUP BY ?p ORDER BY DESC(?n)"),
        ("keyword filter", "application/sparql-results+json",
         PREFIXES + "SELECT ?d WHERE { ?d dcat:keyword ?k FILTER(CONTAINS(STR(?k), \"vélo\")) } LIMIT 50"),
        ("title lookup (ASK)", "application/sparql-results+json",
         PREFIXES + "ASK { ?d dct:title \"Dataset 4242\"@en }"),
        ("DESCRIBE one dataset", "text/turtle", f"DESCRIBE <{base}datasets/ds-4242>"),
        ("catalog page CONSTRUCT", "text/turtle",
         PREFIXES + "CONSTRUCT { ?d ?p ?o } WHERE { { SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d LIMIT 10 OFFSET 50 } ?d ?p ?o }"),
    ]


def median_run(runs):
    """The run with the median throughput (its own latencies go with it)."""
    return sorted(runs, key=lambda run: run[0])[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=20000, duration=5)
    parser.add_argument("--only", help="run only the queries whose label contains this")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs per server and concurrency, alternating servers; medians are reported")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="passerelle-sparql-bench-")
    p_port, o_port = free_port(), free_port()
    base = f"http://localhost:{p_port}/"
    prepare_stores(args, work, base)
    servers = start_servers(args, work, base, p_port, o_port)
    try:
        rows = []
        for label, accept, query in queries(base):
            if args.only and args.only not in label:
                continue
            encoded = urllib.parse.quote(query, safe="")
            paths = {
                "p": (os.path.join(work, "p.txt"), f"/sparql?query={encoded}", p_port),
                "o": (os.path.join(work, "o.txt"), f"/query?query={encoded}", o_port),
            }
            for file, path, _ in paths.values():
                with open(file, "w") as f:
                    f.write(path + "\n")
            # Rounds alternate the two servers, so that a noisy neighbour on this shared
            # machine weighs on both; each figure is the median of its rounds.
            runs = {}
            for _ in range(args.rounds):
                for connections in [1, 16]:
                    for key, (file, _, port) in paths.items():
                        runs.setdefault((key, connections), []).append(
                            wrk(file, accept, f"http://127.0.0.1:{port}", connections, args.duration))
            results = {key: median_run(values) for key, values in runs.items()}
            for connections in [1, 16]:
                rows.append((label, connections, results[("p", connections)], results[("o", connections)]))
        print(f"\n{args.datasets} datasets, median of {args.rounds} runs of {args.duration} s, wrk on loopback, {os.cpu_count()} cores\n")
        print("| query | clients | Passerelle req/s | p50 ms | p99 ms | Oxigraph req/s | p50 ms | p99 ms | ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, c, p, o in rows:
            ratio = f"{p[0] / o[0]:.2f}x" if o[0] > 0 else "n/a (no answer in time)"
            print(f"| {label} | {c} | {p[0]:.0f} | {p[1]:.2f} | {p[2]:.2f} | {o[0]:.0f} | {o[1]:.2f} | {o[2]:.2f} | {ratio} |")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
