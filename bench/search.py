"""Benchmark: search with facets against the same keyword search done as SPARQL, on one
store, in one run (issue 28).

Usage: python3 bench/search.py [--datasets 100000] [--duration 10] [--passerelle PATH]
Needs wrk; see README.

Loads the synthetic catalog (`gen_catalog.py`) with `passerelle load`, starts the server
and times how long it takes to index every dataset for search (the index is new), then
under wrk at 1 and 16 clients:
- `GET /search?q=WORD&theme=T` (a keyword with one facet filter; the answer holds the total,
  the first page and every facet's counts), over several words and themes;
- the same search as SPARQL on the server's own endpoint: the datasets of the theme whose
  title, description or a keyword `CONTAINS` the word, counted (the total the search
  answer gives; stemming and folding make the search's total larger, both are printed).
Prints requests/s and latencies of both and their ratio, the time to index, the index's
size on disk and the server's resident memory before and after indexing.
"""
import argparse
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

from deref import common_args, free_port, run, wait_for, wait_quiet, wrk, HERE

WORDS = ["vélo", "eau", "école", "santé"]
THEMES = ["ENVI", "TRAN", "EDUC", "HEAL"]
EU = "http://publications.europa.eu/resource/authority/data-theme/"
# The fields the search reads (titles, descriptions, keywords), searched as a SPARQL user
# would: CONTAINS on each, lowercased, no stemming.
SPARQL = ("PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> "
          "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d dcat:theme <{theme}> . "
          "{{ ?d dct:title ?t }} UNION {{ ?d dct:description ?t }} UNION {{ ?d dcat:keyword ?t }} "
          "FILTER(CONTAINS(LCASE(STR(?t)), \"{word}\")) }}")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def dir_mib(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total / (1024 * 1024)


def search_ready(url, timeout):
    """Seconds until `url` answers 200 (503 while the index is first built)."""
    start = time.time()
    while time.time() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.time() - start
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} was not ready within {timeout} s")


def json_get(url, accept="application/json"):
    import json
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def paths_file(work, name, paths):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write("\n".join(paths) + "\n")
    return path


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, 100000, duration=10)
    parser.add_argument("--reuse", metavar="DIR",
                        help="the work dir of an earlier run: skip the catalog's generation "
                             "and load (a quarter of an hour at 100 000 datasets)")
    args = parser.parse_args()
    if args.reuse:
        work = args.reuse
        with open(os.path.join(work, "port")) as f:
            port = int(f.read())
    else:
        work = tempfile.mkdtemp(prefix="passerelle-search-bench-")
        port = free_port()
    base = f"http://localhost:{port}/"
    nt = os.path.join(work, "catalog.nt")
    if not args.reuse:
        run(["python3", os.path.join(HERE, "gen_catalog.py"), base, str(args.datasets), nt])
        run([args.passerelle, "load", "--data-dir", os.path.join(work, "p"), "--base-iri", base,
             nt])
        with open(os.path.join(work, "port"), "w") as f:
            f.write(str(port))
    server = subprocess.Popen(
        [args.passerelle, "serve", "--data-dir", os.path.join(work, "p"), "--listen",
         f"127.0.0.1:{port}", "--base-iri", base, "--max-concurrent-queries-per-client", "1000",
         "--query-timeout", "120"],
        stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
    try:
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/health")
        before = rss_mib(server.pid)
        indexing = search_ready(f"{host}/search?q=eau", timeout=1800)
        wait_quiet(server.pid)
        after = rss_mib(server.pid)
        index_size = dir_mib(os.path.join(work, "p", "search"))
        search_paths = [
            "/search?" + urllib.parse.urlencode({"q": w, "theme": EU + t})
            for w in WORDS for t in THEMES]
        sparql_paths = [
            "/sparql?" + urllib.parse.urlencode({"query": SPARQL.format(theme=EU + t, word=w)})
            for w in WORDS for t in THEMES]
        totals = [(json_get(host + search_paths[0])["total"],
                   int(json_get(host + sparql_paths[0], "application/sparql-results+json")
                       ["results"]["bindings"][0]["n"]["value"]))]
        searches = paths_file(work, "search.txt", search_paths)
        queries = paths_file(work, "sparql.txt", sparql_paths)
        rows = []
        for clients in (1, 16):
            ours = wrk(searches, "application/json", host, clients, args.duration)
            theirs = wrk(queries, "application/sparql-results+json", host, clients,
                         args.duration, timeout=120)
            rows.append((clients, ours, theirs))
        peak = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait()
    print(f"\n{args.datasets} datasets; index built on start in {indexing:.1f} s; "
          f"index on disk {index_size:.0f} MiB; server RSS {before:.0f} MiB before indexing, "
          f"{after:.0f} MiB after ({after - before:+.0f}), {peak:.0f} MiB after the runs\n")
    print(f"totals for {WORDS[0]!r} in {THEMES[0]}: search {totals[0][0]}, SPARQL {totals[0][1]} "
          "(where they differ, stemming and folding find more)\n")
    print("| clients | search req/s | p50 ms | p99 ms | SPARQL CONTAINS req/s | p50 ms | p99 ms | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for clients, (rps, p50, p99, _), (s_rps, s_p50, s_p99, _) in rows:
        print(f"| {clients} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {s_rps:.2f} | {s_p50:.0f} | "
              f"{s_p99:.0f} | {rps / s_rps:.0f}x |")


if __name__ == "__main__":
    main()
