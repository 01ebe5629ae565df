"""Benchmark: what one answer costs, counted rather than timed, for the catalog queries of
`sparql.py`: CPU instructions (valgrind's callgrind) and system calls (strace) per request,
Passerelle's `/sparql` against the read-write Oxigraph server (`oxigraph serve`), same data.

Why counts: on a shared VM a server's throughput moves by up to 40 % between its own runs,
too much to tell 5 % apart; instruction and system-call counts do not move. They cannot see
cache misses, context switches or scheduling, which the timed rounds of `sparql.py` do.

Under valgrind a query runs some 50 times slower, over the 4 ms in which Passerelle runs a
query on the request's own thread: what is counted for us is the blocking-pool path, which
does more than the inline one (a thread hand-off, a channel, a chunk writer).

Usage: python3 bench/cost.py [--datasets 20000] [--seconds 20] [--passerelle PATH]
Needs valgrind and strace (apt), and the `oxigraph` server binary; see README.
"""
import argparse
import glob
import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse

from deref import common_args, free_port, prepare_stores, wait_for, wait_quiet
from sparql import queries

# Seconds a server is left alone to measure what it does without requests (timers,
# RocksDB's threads), which is then taken off each query's count.
IDLE = 10


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=20000)
    parser.add_argument("--seconds", type=float, default=20,
                        help="how long each query is repeated under valgrind (at least 3 requests)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="passerelle-cost-bench-")
    p_port, o_port = free_port(), free_port()
    base = f"http://localhost:{p_port}/"
    try:
        prepare_stores(args, work, base)
        servers = {
            "Passerelle": ([args.passerelle, "serve", "--data-dir", os.path.join(work, "p"),
                            "--listen", f"127.0.0.1:{p_port}", "--base-iri", base],
                           p_port, "/sparql", "/health"),
            "Oxigraph `serve`": ([args.oxigraph, "serve", "--location", os.path.join(work, "o"),
                                  "--bind", f"127.0.0.1:{o_port}", "--union-default-graph"],
                                 o_port, "/query", "/query?query=ASK%7B%7D"),
        }
        fast = [(label, accept, query) for label, accept, query, *slow in queries(base) if not slow]
        counts = {}
        for name, server in servers.items():
            # strace first: that run also waits for the compactions RocksDB does after a
            # load, which would take minutes under valgrind.
            counts[name] = {
                "system calls": measure(server, fast, work, name, system_calls(work, name)),
                "instructions": measure(server, fast, work, name, instructions(work, name, args.seconds)),
            }
        print(f"\n{args.datasets} datasets; counts per request, each server's idle activity "
              f"over the same time taken off\n")
        print("| query | Passerelle instructions | Oxigraph instructions | ratio "
              "| Passerelle system calls | Oxigraph system calls |")
        print("|---|---|---|---|---|---|")
        ours, theirs = counts["Passerelle"], counts["Oxigraph `serve`"]
        for label, _, _ in fast:
            p, o = ours["instructions"][label], theirs["instructions"][label]
            print(f"| {label} | {p / 1e6:.3f} M | {o / 1e6:.3f} M | {p / o:.3f} "
                  f"| {ours['system calls'][label]:.1f} | {theirs['system calls'][label]:.1f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(server, fast, work, name, counter):
    """Starts `server` (under the counter's tool), then counts each query's requests."""
    command, port, path, ready = server
    process = subprocess.Popen(counter.wrap(command), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=dict(os.environ, RUST_LOG="warn"))
    try:
        wait_for(f"http://127.0.0.1:{port}{ready}", timeout=600)
        wait_quiet(process.pid, timeout=900)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        idle_rate = counter.count(process.pid, lambda: time.sleep(IDLE)) / IDLE
        results = {}
        for label, accept, query in fast:
            target = f"{path}?query={urllib.parse.quote(query, safe='')}"
            for _ in range(3):
                get(connection, target, accept)
            done = []
            started = time.monotonic()
            total = counter.count(process.pid, lambda: done.append(
                repeat(connection, target, accept, counter.seconds)))
            elapsed = time.monotonic() - started
            results[label] = (total - idle_rate * elapsed) / done[0]
            print(f"{name}, {label}: {results[label]:.0f} {counter.tool} counts per request "
                  f"({done[0]} requests)", flush=True)
        return results
    finally:
        process.terminate()
        process.wait()


def get(connection, target, accept):
    connection.request("GET", target, headers={"Accept": accept})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{target}: status {response.status}")


def repeat(connection, target, accept, seconds):
    """Sends the request again and again for `seconds` (at least 3 times); how many."""
    started, done = time.monotonic(), 0
    while done < 3 or time.monotonic() - started < seconds:
        get(connection, target, accept)
        done += 1
    return done


class instructions:
    """Instructions executed by every thread of the server, from callgrind."""
    tool = "callgrind"

    def __init__(self, work, name, seconds):
        self.prefix = os.path.join(work, "callgrind-" + re.sub(r"\W", "", name))
        self.seconds = seconds

    def wrap(self, command):
        return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.prefix}.%p", *command]

    def count(self, pid, action):
        subprocess.run(["callgrind_control", "-z", str(pid)], check=True, capture_output=True)
        action()
        before = set(glob.glob(f"{self.prefix}.{pid}.*"))
        subprocess.run(["callgrind_control", "-d", str(pid)], check=True, capture_output=True)
        (dump,) = set(glob.glob(f"{self.prefix}.{pid}.*")) - before
        with open(dump) as f:
            return int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))


class system_calls:
    """System calls made by every thread of the server, from `strace -c -f`."""
    tool = "strace"
    # Natively a request takes well under a second; strace slows each system call.
    seconds = 5

    def __init__(self, work, name):
        self.prefix = os.path.join(work, "strace-" + re.sub(r"\W", "", name))
        self.runs = 0

    def wrap(self, command):
        return command

    def count(self, pid, action):
        self.runs += 1
        output = f"{self.prefix}.{self.runs}"
        tracer = subprocess.Popen(["strace", "-c", "-f", "-p", str(pid), "-o", output],
                                  stderr=subprocess.PIPE, text=True)
        # strace says it attached once per thread; wait for the first line.
        tracer.stderr.readline()
        time.sleep(0.5)
        action()
        tracer.send_signal(signal.SIGINT)
        tracer.communicate()
        with open(output) as f:
            # % time, seconds, usecs/call, calls, errors (may be blank), "total".
            (total,) = [line.split() for line in f if line.rstrip().endswith(" total")]
        return int(total[3])


if __name__ == "__main__":
    main()
