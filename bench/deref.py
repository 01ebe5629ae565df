"""Benchmark: dereferencing a dataset on Passerelle vs the equivalent SPARQL CONSTRUCT on
the plain Oxigraph server (same version, same data), under wrk on loopback.

Usage: python3 bench/deref.py [--datasets 20000] [--duration 10] [--passerelle PATH]
Needs: wrk (apt), and the `oxigraph` server binary of the crate oxigraph-cli 0.5.13; see README.
Prints requests/s, p50 and p99 for each target at 1 and 16 connections, and the ratios.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CONSTRUCT = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
CONSTRUCT {{ <{ds}> ?p ?o . ?d ?dp ?do }}
WHERE {{ {{ <{ds}> ?p ?o }} UNION {{ <{ds}> dcat:distribution ?d . ?d ?dp ?do }} }}"""


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def cpu_seconds(pid):
    """CPU time (user and system) process `pid` has used, its ended threads included, at the
    kernel's 10 ms resolution."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pid, timeout=300, seconds=3):
    """Waits until process `pid` uses under 5 % of a CPU in each of `seconds` seconds in a
    row. A store opened after a large load may compact in the background for seconds after
    it answers, which would weigh on the first measured runs (seen: RocksDB rewriting every
    file of Passerelle's store once, 2-3 s of CPU, after `passerelle load`)."""
    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.05 else 0
        if quiet == seconds:
            return
    raise SystemExit(f"process {pid} did not settle within {timeout} s")


def run(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, **kw)


def on_cpus(cpus):
    """For Popen's preexec_fn: run the child on `cpus` only (None: anywhere)."""
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def wrk(paths_file, accept, host, connections, duration, timeout=2, cpus=None):
    env = dict(os.environ, WRK_PATHS=paths_file, WRK_ACCEPT=accept)
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
         "--timeout", f"{timeout}s", "-s", os.path.join(HERE, "paths.lua"), host],
        check=True, capture_output=True, text=True, env=env, preexec_fn=on_cpus(cpus)).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} errors:\n{out}")

    def percentile(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    answers = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, percentile(50), percentile(99), answers


def common_args(parser, datasets, duration=None):
    """The options every benchmark takes: catalog size, run length (for the timed ones),
    the two servers."""
    parser.add_argument("--datasets", type=int, default=datasets)
    if duration is not None:
        parser.add_argument("--duration", type=int, default=duration)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/passerelle-target"))
    parser.add_argument("--passerelle", default=os.path.join(target, "release", "passerelle"))
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph")


def start_servers(args, work, base, p_port, o_port, cpus=None, rw_port=None):
    """Passerelle on `work/p` and the Oxigraph server on `work/o` (all on `cpus`, if
    given), once they answer and are idle. With `rw_port`, also `oxigraph serve` (read-write,
    like ours) on a copy of `work/o`: RocksDB lets one process write a store. Returns the
    processes in that order: `oxigraph serve` (with `rw_port`), Passerelle,
    `oxigraph serve-read-only`."""
    extra = []
    if rw_port:
        shutil.copytree(os.path.join(work, "o"), os.path.join(work, "o-rw"))
        extra.append(subprocess.Popen(
            [args.oxigraph, "serve", "--location", os.path.join(work, "o-rw"),
             "--bind", f"127.0.0.1:{rw_port}", "--union-default-graph"],
            stderr=subprocess.DEVNULL, preexec_fn=on_cpus(cpus)))
    servers = extra + [
        # wrk's clients all come from one address: the bound on a client's concurrent
        # queries (one per two cores by default) is lifted, as the Oxigraph server has none.
        subprocess.Popen([args.passerelle, "serve", "--data-dir", os.path.join(work, "p"),
                          "--listen", f"127.0.0.1:{p_port}", "--base-iri", base,
                          "--max-concurrent-queries-per-client", "1000"],
                         stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"),
                         preexec_fn=on_cpus(cpus)),
        subprocess.Popen([args.oxigraph, "serve-read-only", "--location", os.path.join(work, "o"),
                          "--bind", f"127.0.0.1:{o_port}", "--union-default-graph"],
                         stderr=subprocess.DEVNULL, preexec_fn=on_cpus(cpus)),
    ]
    try:
        wait_for(f"http://127.0.0.1:{p_port}/health")
        wait_for(f"http://127.0.0.1:{o_port}/query?query=ASK%7B%7D")
        if rw_port:
            wait_for(f"http://127.0.0.1:{rw_port}/query?query=ASK%7B%7D")
        for server in servers:
            wait_quiet(server.pid)
    except BaseException:
        for server in servers:
            server.kill()
        raise
    return servers


def prepare_stores(args, work, base):
    """The same synthetic catalog in Passerelle's store (`work/p`, loaded by `passerelle
    load`) and in an Oxigraph server store (`work/o`, loaded from Passerelle's dump)."""
    nt = os.path.join(work, "catalog.nt")
    run([sys.executable, os.path.join(HERE, "gen_catalog.py"), base, str(args.datasets), nt])
    run([args.passerelle, "load", "--data-dir", os.path.join(work, "p"), "--base-iri", base, nt])
    dump = os.path.join(work, "dump.nq")
    run([args.passerelle, "dump", "--data-dir", os.path.join(work, "p"), "--base-iri", base, "--output", dump])
    run([args.oxigraph, "load", "--location", os.path.join(work, "o"), "--file", dump])
    run([args.oxigraph, "optimize", "--location", os.path.join(work, "o")])


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=20000, duration=10)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="passerelle-bench-")
    p_port, o_port = free_port(), free_port()
    base = f"http://localhost:{p_port}/"
    prepare_stores(args, work, base)

    oxigraph = subprocess.Popen(
        [args.oxigraph, "serve-read-only", "--location", os.path.join(work, "o"),
         "--bind", f"127.0.0.1:{o_port}", "--union-default-graph"],
        stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{o_port}/query?query=ASK%7B%7D")
        rng = random.Random(7)
        ids = [rng.randrange(args.datasets) for _ in range(2000)]
        p_paths = os.path.join(work, "p_paths.txt")
        o_paths = os.path.join(work, "o_paths.txt")
        with open(p_paths, "w") as f:
            f.writelines(f"/datasets/ds-{n}\n" for n in ids)
        with open(o_paths, "w") as f:
            for n in ids:
                query = CONSTRUCT.format(ds=f"{base}datasets/ds-{n}")
                f.write("/query?query=" + urllib.parse.quote(query, safe="") + "\n")

        results = {}
        for label, cache in [("cached", "4096"), ("uncached", "0")]:
            server = subprocess.Popen(
                [args.passerelle, "serve", "--data-dir", os.path.join(work, "p"),
                 "--listen", f"127.0.0.1:{p_port}", "--base-iri", base, "--cache-entries", cache],
                stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
            try:
                wait_for(f"http://127.0.0.1:{p_port}/health")
                wait_quiet(server.pid)
                if label == "cached":
                    check_same_answer(base, ids[0], p_port, o_port)
                for accept in ACCEPTS:
                    for connections in CONNECTIONS:
                        results[(label, accept, connections)] = wrk(
                            p_paths, accept, f"http://127.0.0.1:{p_port}", connections, args.duration)
            finally:
                server.terminate()
                server.wait()
        for accept in ACCEPTS:
            for connections in CONNECTIONS:
                results[("oxigraph", accept, connections)] = wrk(
                    o_paths, accept, f"http://127.0.0.1:{o_port}", connections, args.duration)

        print(f"\n{args.datasets} datasets, 2000 distinct ones requested at random, {args.duration} s per run, "
              f"wrk on loopback, {os.cpu_count()} cores\n")
        print("| format | clients | Passerelle (cache) req/s | p50 ms | p99 ms | Passerelle (no cache) req/s | p50 ms | p99 ms "
              "| Oxigraph CONSTRUCT req/s | p50 ms | p99 ms | ratio cache | ratio no cache |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for accept in ACCEPTS:
            for c in CONNECTIONS:
                p, u, o = (results[(k, accept, c)] for k in ("cached", "uncached", "oxigraph"))
                print(f"| {accept} | {c} | {p[0]:.0f} | {p[1]:.2f} | {p[2]:.2f} | {u[0]:.0f} | {u[1]:.2f} | {u[2]:.2f} "
                      f"| {o[0]:.0f} | {o[1]:.2f} | {o[2]:.2f} | {p[0] / o[0]:.1f}x | {u[0] / o[0]:.1f}x |")
    finally:
        oxigraph.terminate()
        oxigraph.wait()
        shutil.rmtree(work, ignore_errors=True)


ACCEPTS = ["text/turtle", "application/ld+json"]
CONNECTIONS = [1, 16]


def check_same_answer(base, n, p_port, o_port):
    """The CONSTRUCT's triples (blank-node labels aside) are all in our description."""
    sample = f"{base}datasets/ds-{n}"
    ours = fetch(f"http://127.0.0.1:{p_port}/datasets/ds-{n}", "application/n-triples")
    theirs = fetch(f"http://127.0.0.1:{o_port}/query?query=" + urllib.parse.quote(CONSTRUCT.format(ds=sample), safe=""),
                   "application/n-triples")
    named = lambda text: {line for line in text.splitlines() if line and "_:" not in line}
    # Oxigraph stores dcat:byteSize as xsd:integer; we restore DCAT-AP's nonNegativeInteger.
    theirs = theirs.replace(
        '"^^<http://www.w3.org/2001/XMLSchema#integer>', '"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>')
    missing = named(theirs) - named(ours)
    print(f"sample {sample}: Passerelle {len(ours.splitlines())} triples, CONSTRUCT {len(theirs.splitlines())}, "
          f"CONSTRUCT triples (without blank nodes) missing from ours: {len(missing)}", file=sys.stderr)
    if missing:
        raise SystemExit(f"answers differ: {sorted(missing)[:5]}")


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


if __name__ == "__main__":
    main()
