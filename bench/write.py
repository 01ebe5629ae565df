"""What quality scoring costs the write path: API writes timed on a server that scores
every dataset in the background (the default) and on one started with
`--quality-scoring false`, side by side in the same run, each on a fresh store of the same
catalog (the demo, or a generated one with --datasets), rounds alternating.

Each write is a `POST /api/datasets` of a dataset with three distributions (so the scorer
has work: SHACL, then the MQA indicators), timed from request to answer, one at a time
(the scorer runs between writes, as it does on a server in use). The target (issue 31):
the median write grows by 10 % at most.

Usage: python3 bench/write.py [--writes 300] [--rounds 4] [--datasets 0]
(after `cargo build --release`; set PASSERELLE to another binary if needed).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from deref import free_port, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get(
    "PASSERELLE",
    os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/passerelle-target")), "release", "passerelle"),
)
TOKEN = "bench-admin"


def dataset(n):
    distributions = ", ".join(
        f"""[ a dcat:Distribution ; dct:title "Fichier {k}"@fr ;
            dcat:accessURL <https://files.example.org/{n}/{k}> ;
            dcat:downloadURL <https://files.example.org/{n}/{k}.csv> ;
            dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
            dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ]"""
        for k in range(3))
    return f"""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
[] a dcat:Dataset ; dct:title "Mesures {n}"@fr ; dct:description "Des mesures, série {n}."@fr ;
   dcat:keyword "mesure"@fr ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
   dcat:distribution {distributions} .""".encode()


def serve(store, port, scoring):
    process = subprocess.Popen(
        [BINARY, "serve", "--data-dir", store, "--listen", f"127.0.0.1:{port}",
         "--admin-token", TOKEN, "--quality-scoring", "true" if scoring else "false"],
        stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
    wait_for(f"http://127.0.0.1:{port}/health")
    return process


def writes(port, first, count):
    """The times of `count` dataset creations, in milliseconds."""
    times = []
    for n in range(first, first + count):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/datasets", data=dataset(n), method="POST",
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()
            assert answer.status == 201, answer.status
        times.append((time.perf_counter() - started) * 1000)
    return times


def prepare(work, datasets):
    """A store with the catalog (the demo, or `datasets` generated ones loaded)."""
    store = os.path.join(work, "template")
    if datasets:
        catalog = os.path.join(work, "catalog.nt")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_catalog.py"),
                        "http://remote.example.org/", str(datasets), catalog], check=True)
        subprocess.run([BINARY, "load", "--data-dir", store, catalog], check=True,
                       stderr=subprocess.DEVNULL)
    else:
        process = serve(store, free_port(), True)
        process.terminate()
        process.wait()
    return store


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--datasets", type=int, default=0)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="passerelle-write-bench-")
    try:
        template = prepare(work, args.datasets)
        medians = {True: [], False: []}
        for round_ in range(args.rounds):
            for scoring in ([True, False] if round_ % 2 == 0 else [False, True]):
                store = os.path.join(work, f"r{round_}-{scoring}")
                shutil.copytree(template, store)
                port = free_port()
                process = serve(store, port, scoring)
                try:
                    time.sleep(3)  # the start-up scoring pass and search catch-up
                    times = writes(port, 1_000_000, args.writes)
                finally:
                    process.terminate()
                    process.wait()
                median = statistics.median(times)
                medians[scoring].append(median)
                p90 = statistics.quantiles(times, n=10)[-1]
                print(f"round {round_} scoring={'on ' if scoring else 'off'} p50 {median:.2f} ms  p90 {p90:.2f} ms",
                      flush=True)
        on, off = statistics.median(medians[True]), statistics.median(medians[False])
        print(f"median of the rounds' p50: scoring on {on:.2f} ms, off {off:.2f} ms, ratio {on / off:.3f}"
              f" (target <= 1.10)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
