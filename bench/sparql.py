"""Benchmark: the same catalog queries against Passerelle's SPARQL endpoint and the plain
Oxigraph server (same version, same data, union default graph), under wrk on loopback.

Usage: python3 bench/sparql.py [--datasets 20000] [--duration 3] [--rounds 12] [--only LABEL]
       [--shared-cpus] [--passerelle PATH]
Needs wrk and the `oxigraph` server binary (cargo install oxigraph-cli --version 0.5.13); see README.
Prints requests/s, p50 and p99 at 1 and 16 connections for Passerelle, the Oxigraph server
read-write (`oxigraph serve`, a store that takes writes, as ours does) and read-only
(`oxigraph serve-read-only`), and our ratio to each: the median over rounds of the ratio
within a round, the servers having run one after another; and each server's CPU time per
answer, ours beside the read-write server's.
"""
import argparse
import itertools
import math
import os
import shutil
import statistics
import tempfile
import urllib.parse

from deref import (common_args, cpu_seconds, free_port, prepare_stores, start_servers,
                   wait_quiet, wrk)

PREFIXES = ("PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX theme: <http://publications.europa.eu/resource/authority/data-theme/> ")


def queries(base):
    return [
        ("list by theme, page 6", "application/sparql-results+json",
         PREFIXES + "SELECT ?d WHERE { ?d dcat:theme theme:ENVI } ORDER BY ?d LIMIT 20 OFFSET 100"),
        ("count by publisher", "application/sparql-results+json",
         PREFIXES + "SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d dct:publisher ?p } GROUP BY ?p ORDER BY DESC(?n)"),
        ("keyword filter", "application/sparql-results+json",
         PREFIXES + "SELECT ?d WHERE { ?d dcat:keyword ?k FILTER(CONTAINS(STR(?k), \"vélo\")) } LIMIT 50"),
        ("title lookup (ASK)", "application/sparql-results+json",
         PREFIXES + "ASK { ?d dct:title \"Dataset 4242\"@en }"),
        ("DESCRIBE one dataset", "text/turtle", f"DESCRIBE <{base}datasets/ds-4242>"),
        ("catalog page CONSTRUCT", "text/turtle",
         PREFIXES + "CONSTRUCT { ?d ?p ?o } WHERE { { SELECT ?d WHERE { ?d a dcat:Dataset } LIMIT 10 OFFSET 50 } ?d ?p ?o }"),
        # Sorting 20 000 IRIs takes either server most of a second, so at 16 clients an
        # answer takes over ten: one long run per server, to count several of them.
        ("catalog page CONSTRUCT, sorted", "text/turtle",
         PREFIXES + "CONSTRUCT { ?d ?p ?o } WHERE { { SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d LIMIT 10 OFFSET 50 } ?d ?p ?o }",
         Slow(duration=60)),
    ]


class Slow:
    """A query that takes seconds: one run of `duration` seconds per server."""

    def __init__(self, duration):
        self.duration = duration


def placement(shared):
    """The CPUs of wrk and of the servers. By default wrk gets the first CPU and the servers
    the others, as a client on another machine would: sharing CPUs, the figures measure
    how the scheduler interleaves wrk with each server as much as the servers (see
    README). `None` lets a process run anywhere."""
    cpus = sorted(os.sched_getaffinity(0))
    if shared or len(cpus) < 2:
        return None, None
    return {cpus[0]}, set(cpus[1:])


# How many answers each client should get in a run, at least. wrk counts only the answers
# that end within the run: each client's last request, cut off, is lost. With answers of a
# second at 16 clients, 3 s runs counted some 30 answers: one answer more or less moved a
# round's ratio by 3 %.
ANSWERS_PER_CLIENT = 10


def run_length(least, connections, warm_up):
    """Seconds per run: `least`, or longer for a slow query, so that each client gets about
    `ANSWERS_PER_CLIENT` answers at the slowest server's pace in the warm-up run. That run
    has one client; on one CPU the servers get no faster with more, and may get slower
    (the theme listing: 14 answers/s at one client, 11 at 16), hence half as long again."""
    pace = min(run[0] for run in warm_up)
    if pace <= 0:
        raise SystemExit("a query answered nothing in its warm-up run: mark it Slow")
    return max(least, math.ceil(1.5 * ANSWERS_PER_CLIENT * connections / pace))


def measure(file, accept, port, pid, connections, duration, cpus):
    """One wrk run against the server `pid`: requests/s, p50 and p99 ms, and, at one client,
    the server's CPU ms per answer (user and system, to the end of the run). That figure
    does not depend on how fast the client turns around, so it shows a difference in the
    servers' own work that throughput at one client blurs. At 16 clients it would count
    the work on the queries cut off at the end, which the servers do not share alike
    (Passerelle stops a query whose client is gone, the Oxigraph server finishes it)."""
    before = cpu_seconds(pid)
    rps, p50, p99, answers = wrk(file, accept, f"http://127.0.0.1:{port}", connections,
                                 duration, timeout=60, cpus=cpus)
    spent = cpu_seconds(pid) - before
    cpu = spent * 1000 / answers if connections == 1 and answers > 0 else math.nan
    return rps, p50, p99, cpu


def median_run(runs):
    """The run with the median throughput (its own latencies go with it)."""
    return sorted(runs, key=lambda run: run[0])[len(runs) // 2]


def paired_ratio(ours, theirs):
    """The median, lowest and highest over rounds of our throughput over theirs in the same
    round; `None` when they never answered in time. Pairing cancels most of what the
    machine's load does to both servers alike, which comparing medians of separate runs
    does not; the spread shows what it leaves."""
    ratios = [a[0] / b[0] for a, b in zip(ours, theirs) if b[0] > 0]
    return (statistics.median(ratios), min(ratios), max(ratios)) if ratios else None


def paired_cpu(ours, theirs):
    """Our median CPU per answer, theirs, and the median over rounds of ours over theirs."""
    pairs = [(a[3], b[3]) for a, b in zip(ours, theirs)
             if math.isfinite(a[3]) and math.isfinite(b[3]) and b[3] > 0]
    if not pairs:
        return None
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))


def main():
    parser = argparse.ArgumentParser()
    common_args(parser, datasets=20000, duration=3)
    parser.add_argument("--only", help="run only the queries whose label contains this; "
                        "a whole label runs that query alone")
    parser.add_argument("--shared-cpus", action="store_true",
                        help="let wrk and the servers share every CPU instead of giving wrk one of its own")
    parser.add_argument("--rounds", type=int, default=12,
                        help="runs per server and concurrency, alternating servers; medians are "
                             "reported. A multiple of 6 goes through every order of the 3 servers "
                             "equally often. With 6, a round's spread on a shared VM (0.87-1.13) "
                             "moved the median of a one-client ratio by several percent between runs")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="passerelle-sparql-bench-")
    p_port, o_port, w_port = free_port(), free_port(), free_port()
    base = f"http://localhost:{p_port}/"
    prepare_stores(args, work, base)
    client_cpus, server_cpus = placement(args.shared_cpus)
    servers = start_servers(args, work, base, p_port, o_port, cpus=server_cpus, rw_port=w_port)
    assert len(servers) == 3
    pids = dict(zip("wpo", (server.pid for server in servers)))
    try:
        rows = []
        chosen = queries(base)
        if args.only:
            whole = [q for q in chosen if q[0] == args.only]
            chosen = whole or [q for q in chosen if args.only in q[0]]
        for label, accept, query, *slow in chosen:
            rounds = 1 if slow else args.rounds
            encoded = urllib.parse.quote(query, safe="")
            paths = {
                "p": (os.path.join(work, "p.txt"), f"/sparql?query={encoded}", p_port),
                "w": (os.path.join(work, "w.txt"), f"/query?query={encoded}", w_port),
                "o": (os.path.join(work, "o.txt"), f"/query?query={encoded}", o_port),
            }
            for file, path, _ in paths.values():
                with open(file, "w") as f:
                    f.write(path + "\n")
            # A first short run per server, not counted: the first answers of a server
            # just started pay for cold caches and start-up work.
            warm_up = [wrk(file, accept, f"http://127.0.0.1:{port}", 1, 2, timeout=60,
                           cpus=client_cpus) for file, _, port in paths.values()]
            durations = {c: slow[0].duration if slow else run_length(args.duration, c, warm_up)
                         for c in [1, 16]}
            # Rounds alternate the servers, going through every order of them, so that a
            # noisy neighbour on this shared machine weighs on all, and so does the place in
            # the round and the server run just before (the first server of a round measured
            # 5-10 % slower at one client in A/B runs with a fixed order). A ratio compares
            # runs of the same round, seconds apart; each figure is the median of its rounds.
            orders = list(itertools.permutations(paths.items()))
            runs = {}
            for round_number in range(rounds):
                order = orders[round_number % len(orders)]
                for connections in [1, 16]:
                    for key, (file, _, port) in order:
                        runs.setdefault((key, connections), []).append(
                            measure(file, accept, port, pids[key], connections,
                                    durations[connections], client_cpus))
                        # Queries still running when wrk stops are finished by their
                        # server, on the CPU the next run gets: wait for them.
                        for server in servers:
                            wait_quiet(server.pid, seconds=1)
            results = {key: median_run(values) for key, values in runs.items()}
            for connections in [1, 16]:
                ours = runs[("p", connections)]
                ratios = [paired_ratio(ours, runs[(key, connections)]) for key in "wo"]
                rows.append((label, connections, durations[connections],
                             *(results[(key, connections)] for key in "pwo"), *ratios,
                             paired_cpu(ours, runs[("w", connections)])))
        where = ("wrk and the servers sharing every CPU" if server_cpus is None
                 else f"wrk on CPU {sorted(client_cpus)}, the servers on CPUs {sorted(server_cpus)}")
        print(f"\n{args.datasets} datasets, median of {args.rounds} rounds of the length in the "
              f"table, at least {args.duration} s and enough for some {ANSWERS_PER_CLIENT} "
              f"answers per client (the sorted page: one run of 60 s), wrk on loopback, {where}; "
              f"ratios: median (lowest-highest) over rounds; CPU at one client\n")
        print("| query | clients | run s | Passerelle req/s | p50 ms | p99 ms "
              "| Oxigraph `serve` req/s | p50 ms | p99 ms | ratio "
              "| Oxigraph `serve-read-only` req/s | p50 ms | p99 ms | ratio "
              "| server CPU ms per answer, ours / `serve` |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        rate = lambda r: f"{r:.0f}" if r >= 10 else f"{r:.2f}"
        ratio = lambda r: (f"{r[0]:.2f}x ({r[1]:.2f}-{r[2]:.2f})" if r is not None
                           else "n/a (no answer in time)")
        cpu = lambda c: f"{c[0]:.3g} / {c[1]:.3g} ({c[2]:.2f}x)" if c is not None else "-"
        for label, c, seconds, p, w, o, to_w, to_o, cpu_w in rows:
            print(f"| {label} | {c} | {seconds} | {rate(p[0])} | {p[1]:.2f} | {p[2]:.2f} "
                  f"| {rate(w[0])} | {w[1]:.2f} | {w[2]:.2f} | {ratio(to_w)} "
                  f"| {rate(o[0])} | {o[1]:.2f} | {o[2]:.2f} | {ratio(to_o)} | {cpu(cpu_w)} |")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
