"""What quality scoring costs a harvest, and how fast the dashboard answers at scale.

1. `gen_catalog.py` writes N datasets, cut into N-Triples pages served from loopback as
   `harvest.py` does (each page repeats the publishers, `hydra:next` to the next).
2. Side by side, each on a fresh store: a server started with `--quality-scoring true`
   (the default) and one with `--quality-scoring false` harvest the feed through the API
   (`POST /api/harvest/sources`, then the job polled until it ends). Validation against
   the DCAT-AP shapes runs in both (it is part of the harvest); with scoring on, the run
   is timed until the quality board has scored every dataset too (`GET /quality`).
   Target (issue 31): scoring adds at most 20 % to the harvest's time.
3. On the scoring server, `GET /quality` (JSON and HTML) timed --reads times each,
   medians. Target: at most 50 ms at 100 000 datasets.

Usage: python3 bench/quality.py [--datasets 100000] [--page-size 1000] [--reads 30]
(after `cargo build --release`; set PASSERELLE to another binary if needed).
"""
import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from deref import free_port, wait_for
from harvest import REMOTE, Pages, write_pages
from write import BINARY, TOKEN

HERE = os.path.dirname(os.path.abspath(__file__))


def serve(store, port, scoring):
    process = subprocess.Popen(
        [BINARY, "serve", "--data-dir", store, "--listen", f"127.0.0.1:{port}",
         "--admin-token", TOKEN, "--quality-scoring", "true" if scoring else "false",
         "--harvest-allow-private", "true"],
        stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
    wait_for(f"http://127.0.0.1:{port}/health")
    return process


def call(url, body=None, accept="application/json"):
    """The answer's body and its `Location` (a POST when `body` is given)."""
    headers = {"Accept": accept, "Authorization": f"Bearer {TOKEN}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=600) as answer:
        return answer.read(), answer.headers.get("Location")


def board_count(base):
    """How many datasets the quality board has scored, and whether its first pass ended."""
    summary = json.loads(call(f"{base}/quality")[0])
    return summary["datasets"], summary["ready"]


def harvest(port, feed, datasets, scoring):
    """Seconds from the job's start to its end (and, scoring, to the board's last score)."""
    base = f"http://127.0.0.1:{port}"
    before = 0
    while scoring:
        before, ready = board_count(base)
        if ready:
            break
        time.sleep(0.1)
    call(f"{base}/api/harvest/sources", {"name": "bench", "url": feed})
    started = time.monotonic()
    _, location = call(f"{base}/api/harvest/sources/bench/run", b"")
    job_url = location if location.startswith("http") else base + location
    while True:
        job = json.loads(call(job_url)[0])
        if job["status"] not in ("running", "queued"):
            break
        time.sleep(0.2)
    harvested = time.monotonic() - started
    if job["status"] != "succeeded" or job["created"] != datasets:
        sys.exit(f"the harvest did not create every dataset: {json.dumps(job)[:2000]}")
    done = harvested
    if scoring:
        while board_count(base)[0] < before + datasets:
            time.sleep(0.1)
        done = time.monotonic() - started
    return harvested, done


def dashboard(port, reads):
    """Median milliseconds of `GET /quality` as JSON and as HTML."""
    medians = {}
    for accept in ("application/json", "text/html"):
        times = []
        for _ in range(reads):
            started = time.perf_counter()
            call(f"http://127.0.0.1:{port}/quality", accept=accept)
            times.append((time.perf_counter() - started) * 1000)
        medians[accept] = statistics.median(times)
    return medians


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="passerelle-quality-bench-")
    try:
        catalog = os.path.join(work, "catalog.nt")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_catalog.py"), REMOTE, str(args.datasets), catalog], check=True)
        pages_dir = os.path.join(work, "pages")
        os.mkdir(pages_dir)
        pages_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Pages, directory=pages_dir))
        url = f"http://127.0.0.1:{pages_server.server_address[1]}/"
        pages, datasets, triples = write_pages(catalog, pages_dir, args.page_size, url)
        threading.Thread(target=pages_server.serve_forever, daemon=True).start()
        print(f"{datasets} datasets, {triples} triples, {pages} pages of {args.page_size}", file=sys.stderr)
        results = {}
        for scoring in (False, True):
            port = free_port()
            process = serve(os.path.join(work, f"store-{scoring}"), port, scoring)
            try:
                results[scoring] = harvest(port, f"{url}page-0.nt", datasets, scoring)
                if scoring:
                    results["dashboard"] = dashboard(port, args.reads)
            finally:
                process.terminate()
                process.wait()
        off, _ = results[False]
        harvested, scored = results[True]
        print(f"harvest, scoring off: {off:.1f} s")
        print(f"harvest, scoring on: {harvested:.1f} s (job), {scored:.1f} s (every dataset scored)")
        print(f"ratio: {scored / off:.3f} (target <= 1.20)")
        for accept, ms in results["dashboard"].items():
            print(f"GET /quality {accept}: median {ms:.1f} ms over {args.reads} (target <= 50)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
