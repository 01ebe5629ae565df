"""Harvest throughput: a synthetic remote catalog served in pages from loopback, harvested
by `passerelle harvest run`, against bulk loads of the same triples measured in the same run.

1. `gen_catalog.py` writes N datasets under a remote base IRI; this script cuts them into
   N-Triples pages of --page-size datasets, each with the 50 publishers' descriptions (as a
   real feed repeats them) and a `hydra:next` link to the following page.
2. A threaded HTTP server serves the pages on loopback.
3. Timed, each on a fresh store: `passerelle harvest run` of the first page (every page,
   every dataset fingerprinted and written with its revision, then the store compacted);
   `passerelle load` of the whole catalog in one file (the same triples, the same record
   layout and history); and, when an `oxigraph` binary is on PATH:
   - the bulk load of the same quads: what the harvest wrote (its public and private
     stores, dumped untimed to N-Quads) loaded by `oxigraph load` into fresh stores, then
     compacted by `oxigraph optimize` as our command compacts its own;
   - `oxigraph load` of the catalog's triples into one default graph (no records, no
     history): the floor of what writing the triples costs at all.
4. A second harvest run (nothing changed: every page answers 304 Not Modified).

Usage: python3 bench/harvest.py [--datasets 100000] [--page-size 1000] [--skip-passerelle-load]
(after `cargo build --release`; set PASSERELLE to another binary if needed).
"""
import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get(
    "PASSERELLE",
    os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/passerelle-target")), "release", "passerelle"),
)
REMOTE = "http://remote.example.org/"
DATASET_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> ."


def write_pages(catalog, directory, page_size, url):
    """Cuts `catalog` (as gen_catalog.py writes it: agents, then one block per dataset) into
    pages; returns how many."""
    with open(catalog, encoding="utf-8") as f:
        lines = f.readlines()
    first = next(i for i, line in enumerate(lines) if line.rstrip().endswith(DATASET_TYPE))
    agents, rest = lines[:first], lines[first:]
    blocks, current = [], []
    for line in rest:
        if line.rstrip().endswith(DATASET_TYPE) and current:
            blocks.append(current)
            current = []
        current.append(line)
    blocks.append(current)
    pages = (len(blocks) + page_size - 1) // page_size
    for page in range(pages):
        with open(os.path.join(directory, f"page-{page}.nt"), "w", encoding="utf-8") as out:
            out.writelines(agents)
            for block in blocks[page * page_size:(page + 1) * page_size]:
                out.writelines(block)
            if page + 1 < pages:
                out.write(f"<{url}page-{page}.nt> <http://www.w3.org/ns/hydra/core#next> <{url}page-{page + 1}.nt> .\n")
    return pages, len(blocks), len(lines)


class Pages(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".nt": "application/n-triples"}

    def log_message(self, *args):
        pass


def timed(command, env=None):
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--skip-passerelle-load", action="store_true", help="skip the slowest baseline")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="passerelle-harvest-bench-")
    try:
        catalog = os.path.join(work, "catalog.nt")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_catalog.py"), REMOTE, str(args.datasets), catalog], check=True)
        pages_dir = os.path.join(work, "pages")
        os.mkdir(pages_dir)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Pages, directory=pages_dir))
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        pages, datasets, triples = write_pages(catalog, pages_dir, args.page_size, url)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"{datasets} datasets, {triples} triples, {pages} pages of {args.page_size}", file=sys.stderr)

        env = dict(os.environ, PASSERELLE_HARVEST_ALLOW_PRIVATE="true", RUST_LOG="warn")
        harvest_dir = os.path.join(work, "harvested")
        harvest_s, report = timed([BINARY, "--data-dir", harvest_dir, "harvest", "run", f"{url}page-0.nt"], env)
        if f"{datasets} created" not in report:
            sys.exit(f"the harvest did not create every dataset:\n{report}")
        oxigraph = shutil.which("oxigraph")
        dumps = []
        if oxigraph:
            # What the harvest wrote, public and private, for the same-quads baseline.
            for store in (harvest_dir, os.path.join(harvest_dir, "private")):
                dump = os.path.join(work, f"dump-{len(dumps)}.nq")
                timed([oxigraph, "dump", "--location", store, "--file", dump])
                dumps.append(dump)
        again_s, report = timed([BINARY, "--data-dir", harvest_dir, "harvest", "run", f"{url}page-0.nt"], env)
        if f"{datasets} unchanged" not in report:
            sys.exit(f"the second harvest did not find every dataset unchanged:\n{report}")
        load_s = None
        if not args.skip_passerelle_load:
            load_s, _ = timed([BINARY, "--data-dir", os.path.join(work, "loaded"), "load", catalog], env)
        same_s = same_optimized_s = oxigraph_s = None
        if oxigraph:
            same_s = same_optimized_s = 0.0
            for index, dump in enumerate(dumps):
                location = os.path.join(work, f"same-{index}")
                seconds, _ = timed([oxigraph, "load", "--location", location, "--file", dump])
                same_s += seconds
                seconds, _ = timed([oxigraph, "optimize", "--location", location])
                same_optimized_s += seconds
            same_optimized_s += same_s
            oxigraph_s, _ = timed([oxigraph, "load", "--location", os.path.join(work, "oxigraph"), "--file", catalog])
        server.shutdown()

        rows = [
            ("harvest (every page fetched, fingerprinted, written, compacted)", harvest_s),
            ("harvest again (nothing changed: all 304)", again_s),
        ]
        if load_s is not None:
            rows.append(("passerelle load (one file, same triples, records and history)", load_s))
        if oxigraph:
            rows += [
                ("oxigraph load + optimize of the same quads (public + private)", same_optimized_s),
                ("oxigraph load of the same quads, not compacted", same_s),
                ("oxigraph load of the triples into the default graph (no records)", oxigraph_s),
            ]
        print(f"| run | seconds | datasets/s | harvest ÷ this (speed ratio) |")
        print("|---|---|---|---|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.1f} | {datasets / seconds:.0f} | {seconds / harvest_s:.2f}x |")
        print(json.dumps({"datasets": datasets, "triples": triples, "pages": pages, "harvest_s": harvest_s,
                          "again_s": again_s, "load_s": load_s, "same_quads_s": same_s,
                          "same_quads_optimized_s": same_optimized_s, "oxigraph_s": oxigraph_s}), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
