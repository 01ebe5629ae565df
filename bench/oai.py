"""Benchmark: OAI-PMH list walks against the DCAT feed's walk, and exports of one record
against its Turtle, on the same store in the same run.

Usage: python3 bench/oai.py [--datasets 100000] [--reuse DIR] [--duration 8]

1. A synthetic catalog (`gen_catalog.py`; every other dataset with a DOI) is loaded, or
   the store of an earlier run reused (`--reuse`, as `search.py` leaves one).
2. A whole `ListRecords` walk in `oai_dc` and in `oai_datacite` (100 records a page), each
   page timed; then page 1 and page 1000 fetched again (their tokens
   kept), fetched in turn fifteen times each, medians compared: the time per page must
   not grow along the walk.
3. A whole walk of `{base}catalog` (Turtle, 100 a page, by its `next` links), timed: the
   OAI-PMH walk's records per second against the feed's.
4. `wrk` at 16 clients on one dataset's DataCite XML, schema.org JSON-LD and BibTeX
   against its Turtle (all from the cache of rendered answers).
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

from deref import HERE, common_args, free_port, run, wait_for, wrk


def fetch(url, accept="*/*"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        headers = response.headers
    return time.perf_counter() - started, body.decode("utf-8"), headers


TOKEN = re.compile(r"<resumptionToken[^>]*>([^<]*)</resumptionToken>")


def walk_oai(host, prefix):
    """Seconds per page of a whole ListRecords walk, records seen, and the URLs of page 1
    and page 1000 (to time them again; the last full page for a shorter walk)."""
    url = f"{host}/oai?verb=ListRecords&metadataPrefix={prefix}"
    times, records, urls = [], 0, []
    while True:
        urls.append(url)
        seconds, body, _ = fetch(url)
        times.append(seconds)
        records += body.count("<record>")
        match = TOKEN.search(body)
        if not match or not match.group(1):
            break
        token = match.group(1).replace("&amp;", "&")
        url = f"{host}/oai?verb=ListRecords&resumptionToken={urllib.parse.quote(token, safe='')}"
    kept = {1: urls[0], 1000: urls[min(999, max(len(urls) - 2, 0))]}
    return times, records, kept


def walk_feed(host):
    """Seconds of a whole walk of the DCAT feed by its next links, and the datasets seen."""
    url = f"{host}/catalog?page_size=100"
    started, datasets = time.perf_counter(), 0
    while url:
        _, body, headers = fetch(url, "text/turtle")
        datasets += body.count("a dcat:CatalogRecord")
        following = [p.split(";")[0].strip()[1:-1] for p in (headers["Link"] or "").split(",")
                     if 'rel="next"' in p]
        url = None
        if following:
            parts = urllib.parse.urlsplit(following[0])
            url = f"{host}{parts.path}?{parts.query}"
    return time.perf_counter() - started, datasets


def alternated_medians(first, later, times=15):
    """Median seconds of `first` and of `later`, fetched in turn (drift in the machine's
    speed falls on both alike)."""
    a, b = [], []
    for _ in range(times):
        a.append(fetch(first)[0])
        b.append(fetch(later)[0])
    return statistics.median(a), statistics.median(b)


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, 100000, duration=8)
    parser.add_argument("--reuse", metavar="DIR", help="the work dir of an earlier run")
    args = parser.parse_args()
    if args.reuse:
        work = args.reuse
        with open(os.path.join(work, "port")) as f:
            port = int(f.read())
    else:
        work = tempfile.mkdtemp(prefix="passerelle-oai-bench-")
        port = free_port()
    base = f"http://localhost:{port}/"
    if not args.reuse:
        nt = os.path.join(work, "catalog.nt")
        run(["python3", os.path.join(HERE, "gen_catalog.py"), base, str(args.datasets), nt])
        run([args.passerelle, "load", "--data-dir", os.path.join(work, "p"), "--base-iri", base, nt])
        with open(os.path.join(work, "port"), "w") as f:
            f.write(str(port))
    token = "oai-bench-admin"
    server = subprocess.Popen(
        [args.passerelle, "serve", "--data-dir", os.path.join(work, "p"), "--listen",
         f"127.0.0.1:{port}", "--base-iri", base, "--admin-token", token],
        stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
    host = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{host}/health")
        ensure_dois(host, token, work)
        rows = {}
        for prefix in ("oai_dc", "oai_datacite"):
            times, records, kept = walk_oai(host, prefix)
            first, thousandth = alternated_medians(kept[1], kept[1000])
            rows[prefix] = (sum(times), records, len(times), first, thousandth)
            print(f"{prefix}: {records} records, {len(times)} pages in {sum(times):.1f} s; "
                  f"page 1 {first * 1000:.1f} ms, page 1000 {thousandth * 1000:.1f} ms", flush=True)
        feed_seconds, feed_datasets = walk_feed(host)
        print(f"feed: {feed_datasets} datasets in {feed_seconds:.1f} s", flush=True)
        exports = export_rates(args, work, host)
    finally:
        server.terminate()
        server.wait()
    print(f"\n{args.datasets} datasets, {os.cpu_count()} cores, sequential walks on loopback\n")
    print("| walk | records | pages | seconds | records/s | vs feed | page 1 ms | page 1000 (or last) ms | difference |")
    print("|---|---|---|---|---|---|---|---|---|")
    feed_rate = feed_datasets / feed_seconds
    print(f"| feed (Turtle) | {feed_datasets} | | {feed_seconds:.1f} | {feed_rate:.0f} | 1.00x | | | |")
    for prefix, (seconds, records, pages, first, thousandth) in rows.items():
        rate = records / seconds
        print(f"| ListRecords {prefix} | {records} | {pages} | {seconds:.1f} | {rate:.0f} | "
              f"{rate / feed_rate:.2f}x | {first * 1000:.1f} | {thousandth * 1000:.1f} | "
              f"{(thousandth - first) / first * 100:+.0f} % |")
    print("\nOne dataset, 16 clients, from the cache:\n")
    print("| answer | req/s | p50 ms | p99 ms | vs Turtle |")
    print("|---|---|---|---|---|")
    turtle = exports[0][1][0]
    for label, (rps, p50, p99, _) in exports:
        print(f"| {label} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {rps / turtle:.2f}x |")


def ensure_dois(host, token, work):
    """Gives every other dataset a DOI (once per store), so that `oai_datacite` lists half
    the catalog."""
    marker = os.path.join(work, "dois")
    if os.path.exists(marker):
        return
    update = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX dct: <http://purl.org/dc/terms/>
INSERT { GRAPH ?g { ?d prism:doi ?doi } }
WHERE { GRAPH ?g { ?d a dcat:Dataset ; dct:identifier ?id }
        FILTER(STRENDS(?id, "0") || STRENDS(?id, "2") || STRENDS(?id, "4") || STRENDS(?id, "6") || STRENDS(?id, "8"))
        BIND(CONCAT("10.5072/bench.", ?id) AS ?doi) }"""
    data = urllib.parse.urlencode({"update": update}).encode()
    request = urllib.request.Request(f"{host}/sparql", data=data,
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=3600) as response:
        response.read()
    open(marker, "w").close()


def export_rates(args, work, host):
    """wrk at 16 clients on one dataset: Turtle, then each export."""
    _, body, _ = fetch(f"{host}/oai?verb=ListIdentifiers&metadataPrefix=oai_datacite")
    record = re.search(r"<identifier>oai:[^:]+:([^<]+)</identifier>", body).group(1)
    path = f"/datasets/{record}"
    paths = os.path.join(work, "export-paths.txt")
    with open(paths, "w") as f:
        f.write(path + "\n")
    out = []
    for label, accept in [("Turtle", "text/turtle"),
                          ("DataCite XML", "application/vnd.datacite.datacite+xml"),
                          ("schema.org JSON-LD", "application/vnd.schemaorg.ld+json"),
                          ("BibTeX", "application/x-bibtex")]:
        out.append((label, wrk(paths, accept, host, 16, args.duration)))
        print(f"{label}: {out[-1][1][0]:.0f} req/s", flush=True)
    return out


if __name__ == "__main__":
    main()
