"""Benchmark: what the patched SPARQL engine (`vendor/`, issue 26) costs, Passerelle against
Passerelle: the same build with the published engine, same data, same queries, under wrk
on loopback, the two servers side by side on one CPU and wrk on the other, rounds
alternating their order. It isolates the engine's per-operator cancellation checks from
everything else that differs between Passerelle and the Oxigraph server.

The unpatched build: copy `vendor/spareval` and `vendor/sparopt` elsewhere, undo the patches
there (`patch -R -p1 < vendor/spareval.patch`, the same for sparopt), point
`[patch.crates-io]` at the copies, `cargo build --release`, copy the binary aside and put
Cargo.toml back (the lock file does not change: same versions).

Usage: python3 bench/engine.py --unpatched PATH [--datasets 20000] [--rounds 8]
       [--only LABEL] [--passerelle PATH]
Needs wrk.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import urllib.parse

from deref import common_args, free_port, on_cpus, run, wait_for, wait_quiet
from sparql import measure, paired_cpu, paired_ratio, queries

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=20000, duration=3)
    parser.add_argument("--unpatched", required=True, help="Passerelle built with the published engine")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--only", help="run only the queries whose label contains this")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="passerelle-engine-bench-")
    base = "http://localhost:8080/"
    binaries = {"patched": args.passerelle, "unpatched": args.unpatched}
    ports = {name: free_port() for name in binaries}
    servers = {}
    try:
        nt = os.path.join(work, "catalog.nt")
        run(["python3", os.path.join(HERE, "gen_catalog.py"), base, str(args.datasets), nt])
        run([args.passerelle, "load", "--data-dir", os.path.join(work, "patched"), "--base-iri", base, nt])
        shutil.copytree(os.path.join(work, "patched"), os.path.join(work, "unpatched"))
        for name, binary in binaries.items():
            servers[name] = subprocess.Popen(
                [binary, "serve", "--data-dir", os.path.join(work, name), "--listen",
                 f"127.0.0.1:{ports[name]}", "--base-iri", base,
                 "--max-concurrent-queries-per-client", "1000"],
                stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"),
                preexec_fn=on_cpus({1}))
        for name in binaries:
            wait_for(f"http://127.0.0.1:{ports[name]}/health")
            wait_quiet(servers[name].pid, timeout=900)
        print(f"\n{args.datasets} datasets, {args.rounds} rounds of {args.duration} s at one client, "
              "wrk on CPU 0, both servers on CPU 1\n")
        print("| query | patched req/s | unpatched req/s | ratio (lowest-highest) "
              "| CPU ms per answer, patched / unpatched |")
        print("|---|---|---|---|---|")
        for label, accept, query, *slow in queries(base):
            if slow or (args.only and args.only not in label):
                continue
            paths = os.path.join(work, "paths.txt")
            with open(paths, "w") as f:
                f.write("/sparql?query=" + urllib.parse.quote(query, safe="") + "\n")
            runs = {name: [] for name in binaries}
            for round_ in range(args.rounds):
                order = list(binaries) if round_ % 2 == 0 else list(reversed(binaries))
                for name in order:
                    runs[name].append(measure(paths, accept, ports[name], servers[name].pid,
                                              1, args.duration, {0}))
            ratio = paired_ratio(runs["patched"], runs["unpatched"])
            cpu = paired_cpu(runs["patched"], runs["unpatched"])
            print(f"| {label} | {statistics.median(r[0] for r in runs['patched']):.0f} "
                  f"| {statistics.median(r[0] for r in runs['unpatched']):.0f} "
                  f"| {ratio[0]:.2f}x ({ratio[1]:.2f}-{ratio[2]:.2f}) "
                  f"| {cpu[0]:.3g} / {cpu[1]:.3g} ({cpu[2]:.2f}x) |", flush=True)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
