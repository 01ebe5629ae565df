"""`passerelle load` of a large synthetic catalog against pyoxigraph's bulk loader on the
same file, in one run: time, peak memory and the rate ratio; then the server's start-up
on the loaded store.

Targets (issue 32): peak RSS <= 2 GB, rate >= 0.7x the bulk loader's, start-up <= 1 s.

Usage: python3 bench/import.py [--datasets 1000000] [--workdir DIR] [--keep]

The catalog is written by gen_catalog.py (N-Triples) into the work dir and reused while
it exists; pyoxigraph (the Oxigraph version Passerelle builds on) is installed into a
venv beside the build.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/passerelle-target"))
# A copy of the binary can be named, so that builds may go on during a long run.
PASSERELLE = os.environ.get("PASSERELLE_BIN", os.path.join(TARGET, "release", "passerelle"))
PYOXIGRAPH = "pyoxigraph==0.5.13"
BASE = "http://localhost:8931/"


def venv_python():
    venv = os.path.join(TARGET, "bench-venv")
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, "." + PYOXIGRAPH)
    if not os.path.exists(stamp):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", PYOXIGRAPH], check=True)
        open(stamp, "w").close()
    return python


def timed(command, **kwargs):
    """Runs `command`; its wall time in seconds and peak resident memory in MiB."""
    started = time.monotonic()
    child = subprocess.Popen(command, **kwargs)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{command[0]} failed ({code})")
    return elapsed, usage.ru_maxrss / 1024


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def start_up(data_dir, port):
    """Seconds from starting the server on `data_dir` to its first 200 on /health."""
    started = time.monotonic()
    server = subprocess.Popen(
        [PASSERELLE, "serve", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}",
         "--base-iri", BASE],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            if time.monotonic() - started > 600:
                sys.exit("the server did not answer within 10 minutes")
            time.sleep(0.01)
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=1_000_000)
    parser.add_argument("--workdir", default=os.path.join(TARGET, "bench-import"))
    parser.add_argument("--keep", action="store_true", help="keep the stores for a look")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    catalog = os.path.join(args.workdir, f"catalog-{args.datasets}.nt")
    if not os.path.exists(catalog):
        print(f"generating {args.datasets} datasets...", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_catalog.py"), BASE,
                        str(args.datasets), catalog + ".part"], check=True)
        os.rename(catalog + ".part", catalog)
    triples = count_lines(catalog)
    size = os.path.getsize(catalog) / 2**20
    print(f"{args.datasets} datasets, {triples} triples, {size:.0f} MiB of N-Triples", flush=True)

    python = venv_python()
    bulk_dir = os.path.join(args.workdir, "pyoxigraph-store")
    ours_dir = os.path.join(args.workdir, "passerelle-data")
    for stale in (bulk_dir, ours_dir):
        shutil.rmtree(stale, ignore_errors=True)
    bulk = ("import sys, pyoxigraph as o\n"
            "s = o.Store(sys.argv[1])\n"
            "s.bulk_load(path=sys.argv[2], format=o.RdfFormat.N_TRIPLES)\n"
            "s.flush()\n")
    print("pyoxigraph bulk_load...", flush=True)
    bulk_time, bulk_rss = timed([python, "-c", bulk, bulk_dir, catalog])
    print(f"  {bulk_time:.1f} s, peak {bulk_rss:.0f} MiB", flush=True)
    shutil.rmtree(bulk_dir, ignore_errors=True)

    print("passerelle load...", flush=True)
    ours_time, ours_rss = timed(
        [PASSERELLE, "load", "--data-dir", ours_dir, "--base-iri", BASE, catalog],
        stderr=subprocess.DEVNULL if not os.environ.get("SHOW") else None)
    print(f"  {ours_time:.1f} s, peak {ours_rss:.0f} MiB", flush=True)

    boot = start_up(ours_dir, 8931)
    again = start_up(ours_dir, 8931)
    ratio = bulk_time / ours_time
    print()
    print("| run | seconds | triples/s | peak RSS (MiB) |")
    print("|---|---|---|---|")
    print(f"| pyoxigraph `bulk_load` (default graph) | {bulk_time:.1f} | {triples / bulk_time:.0f} | {bulk_rss:.0f} |")
    print(f"| `passerelle load` (records, history) | {ours_time:.1f} | {triples / ours_time:.0f} | {ours_rss:.0f} |")
    print()
    print(f"rate ratio (target >= 0.7): {ratio:.2f}x; peak RSS (target <= 2048 MiB): {ours_rss:.0f} MiB")
    print(f"start-up to the first /health (target <= 1 s): {boot:.2f} s, then {again:.2f} s")
    if not args.keep:
        shutil.rmtree(ours_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
