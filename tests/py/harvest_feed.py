"""An outside harvester of the catalog feed, written as a portal's harvester would be:
rdflib, following `hydra:next` only.

Usage: harvest_feed.py URL TOKEN PAGE_SIZE

1. Walks the whole feed and checks it lists every dataset of the store (asked by SPARQL)
   exactly once.
2. Walks it again while datasets are created, deleted and rewritten between pages (through
   SPARQL Update with the admin token), and checks that every dataset unchanged during the
   walk is listed exactly once, and nothing listed is unknown.
3. Control: the same changes against a walk by page number alone (`?page=N`, no cursor)
   must go wrong, or the scenario would not test anything.

Prints a JSON summary; exits non-zero on any failure.
"""
import collections
import datetime
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


def get(url, accept="text/turtle"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8")


def page_graph(url):
    graph = Graph()
    graph.parse(data=get(url), format="turtle", publicID=url)
    return graph


def next_link(graph):
    links = list(graph.objects(None, HYDRA.next))
    if len(links) > 1:
        raise SystemExit(f"a page has {len(links)} next links")
    return str(links[0]) if links else None


def datasets_of(graph):
    return [str(d) for d in graph.subjects(RDF.type, DCAT.Dataset)]


def walk(start, between_pages=None, by_number=False):
    """Every dataset listed, in order, with repeats; `between_pages(n)` runs after page n."""
    listed, url, pages = [], start, 0
    while url:
        graph = page_graph(url)
        listed.extend(datasets_of(graph))
        pages += 1
        if pages > 200:
            raise SystemExit("the walk does not end")
        if between_pages:
            between_pages(pages, listed)
        following = next_link(graph)
        if by_number and following:
            # What a harvester that ignores the cursor would ask for.
            parts = urllib.parse.urlsplit(following)
            query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "after"]
            following = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
        url = following
    return listed, pages


class Store:
    """The store as its SPARQL endpoint shows it, and writes through SPARQL Update."""

    def __init__(self, url, token):
        self.url, self.token = url, token
        self.base = url.rstrip("/") + "/"
        self.created = 0

    def datasets(self):
        query = "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?d WHERE { ?d a dcat:Dataset }"
        text = get(self.base + "sparql?" + urllib.parse.urlencode({"query": query}), "application/sparql-results+json")
        return {b["d"]["value"] for b in json.loads(text)["results"]["bindings"]}

    def update(self, text):
        request = urllib.request.Request(
            self.base + "sparql", data=text.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status in (200, 204), response.status
        except urllib.error.HTTPError as error:
            raise SystemExit(f"update refused ({error.code}): {error.read().decode()}\n{text}")

    def record_of(self, dataset):
        query = f"SELECT ?r WHERE {{ ?r <http://xmlns.com/foaf/0.1/primaryTopic> <{dataset}> }}"
        text = get(self.base + "sparql?" + urllib.parse.urlencode({"query": query}), "application/sparql-results+json")
        return json.loads(text)["results"]["bindings"][0]["r"]["value"]

    def delete(self, dataset):
        record = self.record_of(dataset)
        self.update(f"""
            DROP GRAPH <{record}> ;
            DELETE DATA {{ GRAPH <{self.base}graphs/catalog> {{
                <{self.base}> <http://www.w3.org/ns/dcat#dataset> <{dataset}> ;
                              <http://www.w3.org/ns/dcat#record> <{record}> }} }}""")

    def touch(self, dataset):
        record = self.record_of(dataset)
        self.update(f"""
            PREFIX dct: <http://purl.org/dc/terms/>
            DELETE {{ GRAPH <{record}> {{ <{record}> dct:modified ?m }} }}
            INSERT {{ GRAPH <{record}> {{ <{record}> dct:modified "{now()}"^^<http://www.w3.org/2001/XMLSchema#dateTime> }} }}
            WHERE {{ GRAPH <{record}> {{ <{record}> dct:modified ?m }} }}""")

    def create(self):
        self.created += 1
        name = f"harvest-test-{self.created}-{datetime.datetime.now().timestamp():.0f}"
        record, dataset = f"{self.base}records/{name}", f"{self.base}datasets/{name}"
        self.update(f"""
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX dct: <http://purl.org/dc/terms/>
            INSERT DATA {{
              GRAPH <{record}> {{
                <{record}> a dcat:CatalogRecord ; <http://xmlns.com/foaf/0.1/primaryTopic> <{dataset}> ;
                    dct:modified "{now()}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
                <{dataset}> a dcat:Dataset ; dct:title "Created during a harvest"@en ;
                    dct:description "A dataset added while a harvester walks the feed."@en .
              }}
              GRAPH <{self.base}graphs/catalog> {{ <{self.base}> dcat:dataset <{dataset}> ; dcat:record <{record}> }}
            }}""")
        return dataset


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def changing_walk(store, start, by_number):
    """Walks while, after each of the first pages, one dataset already listed and one not yet
    listed are deleted, one of each is rewritten, and one is created."""
    before = store.datasets()
    changed, created = set(), set()

    def between_pages(page, listed):
        if page > 3:
            return
        seen = [d for d in listed if d not in changed]
        unseen = sorted(before - set(listed) - changed)
        victims = [seen[0]] if seen else []
        victims += unseen[:1]
        for dataset in victims:
            store.delete(dataset)
            changed.add(dataset)
        rewritten = [d for d in seen[1:2] + unseen[1:2] if d not in changed]
        for dataset in rewritten:
            store.touch(dataset)
            changed.add(dataset)
        created.add(store.create())

    listed, pages = walk(start, between_pages, by_number)
    counts = collections.Counter(listed)
    unchanged = before - changed
    problems = []
    problems += [f"missed unchanged {d}" for d in sorted(unchanged) if counts[d] == 0]
    problems += [f"listed {counts[d]} times: {d}" for d in sorted(unchanged) if counts[d] > 1]
    problems += [f"unknown dataset listed: {d}" for d in sorted(set(listed) - before - created)]
    return {"pages": pages, "listed": len(listed), "unchanged": len(unchanged),
            "changed": len(changed), "created": len(created)}, problems


def main():
    url, token, page_size = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3])
    store = Store(url, token)
    start = f"{url}/catalog?page_size={page_size}"

    expected = store.datasets()
    listed, pages = walk(start)
    counts = collections.Counter(listed)
    failures = [f"listed {n} times: {d}" for d, n in counts.items() if n != 1]
    failures += [f"missing: {d}" for d in sorted(expected - set(listed))]
    failures += [f"not in the store: {d}" for d in sorted(set(listed) - expected)]
    quiet = {"pages": pages, "datasets": len(expected)}

    changing, problems = changing_walk(store, start, by_number=False)
    failures += problems
    control, control_problems = changing_walk(store, start, by_number=True)
    if not control_problems:
        failures.append("control: a walk by page number saw no anomaly, so the scenario tests nothing")

    print(json.dumps({"quiet": quiet, "changing": changing, "control": control,
                      "control_anomalies": len(control_problems), "failures": failures}))
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
