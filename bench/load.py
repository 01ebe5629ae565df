#!/usr/bin/env python3
"""The load campaign (issue 32): CLIENTS clients for SECONDS seconds of a realistic mix
against the real server on loopback, with a harvest running, and the figures that matter:
5xx answers, connection errors, p50/p99 per route, the server's resident memory.

The mix, per client request: a dataset dereferenced in a syntax drawn from the six we serve
(HTML included), feed pages (full and incremental), SPARQL (cheap ASKs, a GROUP BY over the
catalog, a three-way join with a FILTER), searches with facets, quality pages, OAI-PMH
lists; two of the clients write (create, then replace, through the API). A harvest of a
real portal's feed (ckanext-dcat's example catalog, served by a local HTTP server) runs
from the start, again each time it ends.

Usage: bench/load.py [--clients 64] [--seconds 60] [--binary PATH] [--keep DIR]
Prints a table and writes bench/load-last.json.
"""
import argparse
import http.client
import http.server
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEED = os.path.join(ROOT, "..", "shared", "fixtures", "feeds", "ckanext-dcat", "examples", "dcat", "catalog.rdf")
TOKEN = "load-admin-secret"
SYNTAXES = [
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf"),
    ("application/n-triples", "nt"), ("application/n-quads", "nq"), ("text/html", "html"),
]
SPARQL = {
    "sparql-ask": "ASK { ?d a <http://www.w3.org/ns/dcat#Dataset> }",
    "sparql-group": "SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/publisher> ?p } GROUP BY ?p ORDER BY DESC(?n)",
    "sparql-join": "SELECT ?d ?t ?f WHERE { ?d <http://purl.org/dc/terms/title> ?t ; <http://www.w3.org/ns/dcat#distribution> ?x . ?x <http://purl.org/dc/terms/format> ?f FILTER(LANG(?t) = \"fr\") } LIMIT 200",
}
SEARCHES = ["eau", "air", "mediation numerique", "biodiversite", "transport", "budget"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_feed():
    """Serves the fixture feed on loopback; its URL."""
    directory = os.path.dirname(os.path.abspath(FEED))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=directory, **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/{os.path.basename(FEED)}"


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.statuses = {}
        self.errors = {}

    def add(self, route, status, took):
        with self.lock:
            self.times.setdefault(route, []).append(took)
            key = f"{status // 100}xx"
            self.statuses.setdefault(route, {}).setdefault(key, 0)
            self.statuses[route][key] += 1

    def error(self, route, what):
        with self.lock:
            self.errors.setdefault(route, []).append(what)


def request(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    data = answer.read()
    return answer.status, answer.getheader("ETag"), data


def reader(port, ids, results, until, seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.time() < until:
        pick = rng.random()
        if pick < 0.35:
            media, name = rng.choice(SYNTAXES)
            route, path, headers = f"deref-{name}", f"/datasets/{rng.choice(ids)}", {"Accept": media}
        elif pick < 0.45:
            page = rng.randint(1, 3)
            route, path, headers = "feed", f"/catalog?page={page}&page_size=10", {"Accept": "text/turtle"}
        elif pick < 0.5:
            since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86400))
            route, path, headers = "feed-incremental", f"/catalog?modified_since={since}", {"Accept": "application/ld+json"}
        elif pick < 0.7:
            route = rng.choice(list(SPARQL))
            query = urllib.parse.quote(SPARQL[route])
            path, headers = f"/sparql?query={query}", {"Accept": "application/sparql-results+json"}
        elif pick < 0.85:
            q = urllib.parse.quote(rng.choice(SEARCHES))
            route, path, headers = "search", f"/search?q={q}&format=json&sort=relevance", {}
        elif pick < 0.92:
            route, path, headers = "quality", f"/datasets/{rng.choice(ids)}/quality", {"Accept": "application/json"}
        else:
            route, path, headers = "oai", "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc", {}
        started = time.perf_counter()
        try:
            status, _, _ = request(conn, "GET", path, headers)
            results.add(route, status, time.perf_counter() - started)
        except Exception as error:  # a broken connection is a finding, not a crash of the bench
            results.error(route, repr(error))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def writer(port, name, results, until):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    n = 0
    while time.time() < until:
        n += 1
        ident = f"load-{name}-{n}"
        body = (
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
            f"<{ident}> a dcat:Dataset ; dct:title \"Charge {n}\"@fr ; dct:description \"Essai de charge.\"@fr ;"
            " dct:publisher <../agents/ecobio> .\n"
        )
        try:
            started = time.perf_counter()
            status, etag, _ = request(conn, "POST", "/api/datasets", auth, body.encode())
            results.add("api-create", status, time.perf_counter() - started)
            if status == 201 and etag:
                started = time.perf_counter()
                replaced = body.replace(f"Charge {n}", f"Charge {n} (bis)").encode()
                status, _, _ = request(conn, "PUT", f"/api/datasets/{ident}", {**auth, "If-Match": etag}, replaced)
                results.add("api-replace", status, time.perf_counter() - started)
        except Exception as error:
            results.error("api", repr(error))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def harvester(port, results, until):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    runs = 0
    while time.time() < until:
        try:
            status, _, _ = request(conn, "POST", "/api/harvest/sources/feed/run", auth)
            if status == 202:
                runs += 1
            elif status != 409:
                results.add("harvest-run", status, 0)
        except Exception as error:
            results.error("harvest", repr(error))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        time.sleep(1)
    return runs


def rss_of(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/passerelle-target")), "release", "passerelle"))
    parser.add_argument("--keep", default=None)
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="passerelle-load-")
    binary = os.path.join(work, "passerelle")
    shutil.copy(args.binary, binary)
    port = free_port()
    data = os.path.join(work, "data")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen(
        [binary, "serve", "--data-dir", data, "--listen", f"127.0.0.1:{port}", "--admin-token", TOKEN,
         "--harvest-allow-private", "true", "--max-concurrent-queries-per-client", str(args.clients)],
        stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        for _ in range(600):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                if request(conn, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        query = urllib.parse.quote("SELECT ?d WHERE { GRAPH ?g { ?r <http://xmlns.com/foaf/0.1/primaryTopic> ?d . ?d a <http://www.w3.org/ns/dcat#Dataset> } }")
        _, _, body = request(conn, "GET", f"/sparql?query={query}", {"Accept": "application/sparql-results+json"})
        prefix = f"http://localhost:{port}/datasets/"
        ids = [b["d"]["value"][len(prefix):] for b in json.loads(body)["results"]["bindings"] if b["d"]["value"].startswith(prefix)]
        source = json.dumps({"name": "feed", "url": serve_feed()}).encode()
        request(conn, "POST", "/api/harvest/sources", {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}, source)
        results = Results()
        until = time.time() + args.seconds
        threads = [threading.Thread(target=writer, args=(port, f"w{i}", results, until)) for i in range(2)]
        threads.append(threading.Thread(target=harvester, args=(port, results, until)))
        threads += [threading.Thread(target=reader, args=(port, ids, results, until, i)) for i in range(args.clients - 2)]
        for thread in threads:
            thread.start()
        rss = []
        while time.time() < until:
            rss.append(rss_of(server.pid))
            time.sleep(1)
        for thread in threads:
            thread.join()
        rss.append(rss_of(server.pid))
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=60)
    total = sum(len(t) for t in results.times.values())
    five = sum(s.get("5xx", 0) for s in results.statuses.values())
    errors = sum(len(e) for e in results.errors.values())
    print(f"{args.clients} clients, {args.seconds} s: {total} requests ({total / args.seconds:.0f}/s), "
          f"5xx {five}, connection errors {errors}, server alive {alive}, "
          f"RSS max {max(rss) / 2**20:.0f} MiB, last {rss[-1] / 2**20:.0f} MiB")
    print(f"{'route':<18} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    summary = {}
    for route in sorted(results.times):
        times = results.times[route]
        p50, p99 = percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000
        print(f"{route:<18} {len(times):>7} {p50:>8.1f} {p99:>8.1f}  {results.statuses[route]}")
        summary[route] = {"count": len(times), "p50_ms": p50, "p99_ms": p99, "statuses": results.statuses[route]}
    for route, errs in results.errors.items():
        print(f"errors on {route}: {len(errs)}, e.g. {errs[0]}")
    with open(os.path.join(ROOT, "bench", "load-last.json"), "w") as out:
        json.dump({"clients": args.clients, "seconds": args.seconds, "requests": total, "5xx": five,
                   "connection_errors": errors, "alive": alive, "rss_max": max(rss), "rss_last": rss[-1],
                   "routes": summary}, out, indent=2)
    return 0 if five == 0 and errors == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
