"""Benchmark: pages of the harvestable feed on Passerelle vs the equivalent SPARQL CONSTRUCT
on the plain Oxigraph server (same version, same data), on loopback.

Usage: python3 bench/feed.py [--datasets 100000] [--duration 5] [--page-size 100] [--passerelle PATH]
Needs wrk and the `oxigraph` server binary (cargo install oxigraph-cli --version 0.5.13); see README.

Passerelle: `GET /catalog?page=N&page_size=M` under wrk (1 and 16 connections), in Turtle
and JSON-LD, for the first, middle and last pages by number, and for a page reached by the
`next` cursor. Oxigraph: a CONSTRUCT of the same page (the records ordered by
modification time then IRI, their datasets and distributions), timed sequentially since it
takes seconds. Prints throughputs, latencies and ratios.
"""
import argparse
import os
import shutil
import tempfile
import time
import urllib.parse
import urllib.request

from deref import common_args, free_port, prepare_stores, start_servers, wrk

# The page as a SPARQL user who knows the layout (one named graph per record, named like
# the record) would ask for it; without `GRAPH ?r` the engine joins the UNION badly and
# the query is 15x slower, which would flatter our ratio.
PAGE_CONSTRUCT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CONSTRUCT {{ ?r ?rp ?ro . ?d ?p ?o . ?dist ?dp ?do }}
WHERE {{
  {{ SELECT ?r ?d WHERE {{ ?r a dcat:CatalogRecord ; dct:modified ?m ; foaf:primaryTopic ?d }}
     ORDER BY ?m ?r LIMIT {limit} OFFSET {offset} }}
  GRAPH ?r {{ {{ ?r ?rp ?ro }} UNION {{ ?d ?p ?o }} UNION {{ ?d dcat:distribution ?dist . ?dist ?dp ?do }} }}
}}"""


def time_construct(port, query, accept, runs, budget):
    """Seconds per answer of a CONSTRUCT, median of `runs` (fewer if past `budget` s)."""
    url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": query})
    times, started = [], time.time()
    for _ in range(runs):
        t = time.time()
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=600) as r:
            body = r.read()
        times.append(time.time() - t)
        if time.time() - started > budget:
            break
    times.sort()
    return times[len(times) // 2], len(body)


def peak_rss_mib(pid):
    """The process's peak resident memory so far (VmHWM), in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def fetch_all(port, path, accept):
    url = f"http://127.0.0.1:{port}{path}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=600) as r:
        return len(r.read())


def next_cursor_path(port, page_size):
    """The path of page 2 as the first page's `next` link gives it."""
    url = f"http://127.0.0.1:{port}/catalog?page_size={page_size}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/turtle"})) as r:
        link = r.headers["Link"]
    for part in link.split(","):
        if 'rel="next"' in part:
            target = part.split(";")[0].strip()[1:-1]
            parts = urllib.parse.urlsplit(target)
            return f"{parts.path}?{parts.query}"
    raise SystemExit("no next link")


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=100000, duration=5)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--construct-runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternated runs of the first and last pages, for their medians")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="passerelle-feed-bench-")
    p_port, o_port = free_port(), free_port()
    base = f"http://localhost:{p_port}/"
    prepare_stores(args, work, base)
    servers = start_servers(args, work, base, p_port, o_port)
    try:
        size = args.page_size
        last = -(-args.datasets // size)
        pages = [("page 1", f"/catalog?page=1&page_size={size}", 1),
                 (f"page {last // 2}", f"/catalog?page={last // 2}&page_size={size}", last // 2),
                 (f"page {last} (last)", f"/catalog?page={last}&page_size={size}", last),
                 ("page 2 by next cursor", next_cursor_path(p_port, size), 2)]
        rows = []
        for accept in ["text/turtle", "application/ld+json"]:
            for label, path, number in pages:
                paths = os.path.join(work, "paths.txt")
                with open(paths, "w") as f:
                    f.write(path + "\n")
                results = [wrk(paths, accept, f"http://127.0.0.1:{p_port}", c, args.duration) for c in (1, 16)]
                query = PAGE_CONSTRUCT.format(limit=size, offset=(number - 1) * size)
                seconds, length = time_construct(o_port, query, accept, args.construct_runs, 120)
                rows.append((accept, label, results, seconds, length))
                print(f"{accept} {label}: {results[0][0]:.0f} / {results[1][0]:.0f} req/s; "
                      f"CONSTRUCT {seconds:.2f} s", flush=True)
        # Page time against page number: the first and last pages alternated, medians.
        timing = []
        for accept in ["text/turtle", "application/ld+json"]:
            runs = {1: [], last: []}
            for _ in range(args.rounds):
                for number in (1, last):
                    paths = os.path.join(work, "paths.txt")
                    with open(paths, "w") as f:
                        f.write(f"/catalog?page={number}&page_size={size}\n")
                    runs[number].append(wrk(paths, accept, f"http://127.0.0.1:{p_port}", 1, 3))
            medians = {n: sorted(r[1] for r in v)[len(v) // 2] for n, v in runs.items()}
            sizes = {n: fetch_all(p_port, f"/catalog?page={n}&page_size={size}", accept) for n in (1, last)}
            timing.append((accept, medians, sizes))
        # Streaming: the peak memory after pages of 100 vs after the largest pages allowed.
        before = peak_rss_mib(servers[0].pid)
        largest = 0
        for number in range(1, min(10, -(-args.datasets // 1000)) + 1):
            for accept in ["text/turtle", "application/ld+json"]:
                largest = max(largest, fetch_all(p_port, f"/catalog?page={number}&page_size=1000", accept))
        after = peak_rss_mib(servers[0].pid)
        print(f"\npeak memory: {before:.0f} MiB after the runs above, {after:.0f} MiB after 20 pages "
              f"of up to 1000 datasets (largest {largest / 1e6:.1f} MB)")
        print(f"\n{args.datasets} datasets, pages of {size}, wrk {args.duration} s on loopback, "
              f"{os.cpu_count()} cores\n")
        print("| format | page | Passerelle req/s (1 / 16 clients) | p50 ms (1) | p99 ms (1) | "
              "Oxigraph CONSTRUCT s/page | ratio (1 client) | ratio (16 clients) |")
        print("|---|---|---|---|---|---|---|---|")
        for accept, label, results, seconds, _ in rows:
            single, many = results
            print(f"| {accept} | {label} | {single[0]:.0f} / {many[0]:.0f} | {single[1]:.2f} | "
                  f"{single[2]:.2f} | {seconds:.2f} | {single[0] * seconds:.0f}x | {many[0] * seconds:.0f}x |")
        print(f"\nPage time by page number, median p50 of {args.rounds} alternated 3 s runs (1 client):\n")
        print(f"| format | page 1 ms | page {last} ms | difference | page 1 bytes | page {last} bytes |")
        print("|---|---|---|---|---|---|")
        for accept, medians, sizes in timing:
            a, b = medians[1], medians[last]
            print(f"| {accept} | {a:.2f} | {b:.2f} | {abs(a - b) / min(a, b) * 100:.0f} % | {sizes[1]} | {sizes[last]} |")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
