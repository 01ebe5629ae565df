"""Writes a synthetic DCAT catalog of N datasets as N-Triples, under a base IRI.

Each dataset looks like the demo ones: fr/en titles and descriptions, keywords, 1-2 themes,
a publisher among 50, a contact point and a period (blank nodes), 2-3 distributions with
formats, media types and licences from the bundled vocabularies.

Usage: gen_catalog.py BASE N OUT.nt
"""
import random
import sys

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("GEOJSON", "application/geo+json"), ("ZIP", "application/zip")]
LICENCES = ["CC_BY_4_0", "CC0", "ODC_BL"]


def iri(value):
    return f"<{value}>"


def lit(value, lang=None, datatype=None):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def main():
    base, count, out = sys.argv[1].rstrip("/") + "/", int(sys.argv[2]), sys.argv[3]
    rng = random.Random(42)
    with open(out, "w", encoding="utf-8") as f:
        def t(s, p, o):
            f.write(f"{s} {iri(p)} {o} .\n")

        for a in range(50):
            agent = iri(f"{base}agents/org-{a}")
            t(agent, RDF_TYPE, iri(FOAF + "Organization"))
            t(agent, RDF_TYPE, iri(FOAF + "Agent"))
            t(agent, FOAF + "name", lit(f"Organisation {a}", "fr"))
        for n in range(count):
            ds = iri(f"{base}datasets/ds-{n}")
            t(ds, RDF_TYPE, iri(DCAT + "Dataset"))
            t(ds, DCT + "title", lit(f"Jeu de données {n}", "fr"))
            t(ds, DCT + "title", lit(f"Dataset {n}", "en"))
            t(ds, DCT + "description", lit(f"Description du jeu de données synthétique {n}.", "fr"))
            t(ds, DCT + "description", lit(f"Description of synthetic dataset {n}.", "en"))
            t(ds, DCT + "identifier", lit(f"ds-{n}"))
            for k in rng.sample(["eau", "air", "sol", "vélo", "énergie", "budget", "école", "santé"], 3):
                t(ds, DCAT + "keyword", lit(k, "fr"))
            for theme in rng.sample(THEMES, rng.randint(1, 2)):
                t(ds, DCAT + "theme", iri(EU + "data-theme/" + theme))
            t(ds, DCT + "publisher", iri(f"{base}agents/org-{rng.randrange(50)}"))
            t(ds, DCT + "accrualPeriodicity", iri(EU + "frequency/ANNUAL"))
            t(ds, DCT + "language", iri(EU + "language/FRA"))
            t(ds, DCT + "issued", lit("2024-01-15", datatype=XSD + "date"))
            t(ds, DCT + "modified", lit("2025-06-01", datatype=XSD + "date"))
            t(ds, DCAT + "contactPoint", f"_:c{n}")
            t(f"_:c{n}", RDF_TYPE, iri(VCARD + "Kind"))
            t(f"_:c{n}", VCARD + "fn", lit(f"Contact {n}"))
            t(f"_:c{n}", VCARD + "hasEmail", iri(f"mailto:contact{n}@example.org"))
            t(ds, DCT + "temporal", f"_:p{n}")
            t(f"_:p{n}", RDF_TYPE, iri(DCT + "PeriodOfTime"))
            t(f"_:p{n}", DCAT + "startDate", lit("2020-01-01", datatype=XSD + "date"))
            for d in range(rng.randint(2, 3)):
                dist = iri(f"{base}distributions/ds-{n}-{d}")
                code, media = FORMATS[(n + d) % len(FORMATS)]
                t(ds, DCAT + "distribution", dist)
                t(dist, RDF_TYPE, iri(DCAT + "Distribution"))
                t(dist, DCT + "title", lit(f"Fichier {d} du jeu {n}", "fr"))
                t(dist, DCAT + "accessURL", iri(f"https://files.example.org/{n}/{d}"))
                t(dist, DCAT + "downloadURL", iri(f"https://files.example.org/{n}/{d}.{code.lower()}"))
                t(dist, DCT + "format", iri(EU + "file-type/" + code))
                t(dist, DCAT + "mediaType", iri("http://www.iana.org/assignments/media-types/" + media))
                t(dist, DCT + "license", iri(EU + "licence/" + LICENCES[n % 3]))
                t(dist, DCAT + "byteSize", lit(str(1000 + n * 7 + d), datatype=XSD + "nonNegativeInteger"))


if __name__ == "__main__":
    main()
