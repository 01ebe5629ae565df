"""OAI-PMH harvesters against {base}oai.

Modes:
  walk BASE FIXTURES
      Walks ListRecords in oai_dc and oai_datacite page by page, validating every response
      against the official OAI-PMH, oai_dc, oai-identifier and DataCite schemas (lxml,
      offline), then harvests with Sickle (GET) and oaipmh-scythe (POST): every record
      once, sets filter, a bad token is the protocol's error.
  validate BASE FIXTURES
      Only the walks and their validation (for stores of other portals' records).
  since BASE FROM
      Harvests ListIdentifiers from FROM with Sickle; prints the live and deleted ids.

Prints a JSON summary; exits non-zero on the first failure.
"""
import json
import sys
import urllib.parse
import urllib.request

from lxml import etree
from oaipmh_scythe import HTTPConfig, Scythe
from oaipmh_scythe import BadResumptionToken as ScytheBadToken
from oaipmh_scythe import NoRecordsMatch as ScytheNoRecords
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, CannotDisseminateFormat, NoRecordsMatch

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def schema(fixtures):
    """A wrapper schema importing every payload schema, URLs mapped to the fixtures."""
    local = {
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "schemas/oai-pmh-2.0/OAI-PMH.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "schemas/oai-pmh-2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd": "schemas/oai-pmh-2.0/oai-identifier.xsd",
        "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "schemas/oai-pmh-2.0/simpledc20021212.xsd",
        "http://www.w3.org/2001/03/xml.xsd": "schemas/datacite-4.7/include/xml.xsd",
        "http://schema.datacite.org/oai/oai-1.1/oai.xsd": "schemas/datacite-oai-1.1/oai.xsd",
        "https://schema.datacite.org/meta/kernel-4.7/metadata.xsd": "schemas/datacite-4.7/metadata.xsd",
    }

    class Offline(etree.Resolver):
        def resolve(self, url, public_id, context):
            if url in local:
                return self.resolve_filename(f"{fixtures}/{local[url]}", context)
            return None

    imports = [
        ("http://www.openarchives.org/OAI/2.0/", "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai_dc/", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
        ("http://www.openarchives.org/OAI/2.0/oai-identifier", "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"),
        ("http://schema.datacite.org/oai/oai-1.1/", "http://schema.datacite.org/oai/oai-1.1/oai.xsd"),
        ("http://datacite.org/schema/kernel-4", "https://schema.datacite.org/meta/kernel-4.7/metadata.xsd"),
    ]
    wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports
    ) + "</xs:schema>"
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Offline())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200, (url, response.status)
        assert response.headers["Content-Type"].startswith("text/xml"), response.headers
        return response.read()


def walk(base, checker, prefix):
    """Every page of ListRecords in `prefix`, validated; the identifiers in order. Some
    records are asked for again with GetRecord: their metadata must be the same."""
    endpoint = base + "oai"
    query = {"verb": "ListRecords", "metadataPrefix": prefix}
    identifiers, pages, cursors, listed = [], 0, [], {}
    while True:
        body = get(endpoint + "?" + urllib.parse.urlencode(query))
        document = etree.fromstring(body)
        if not checker.validate(document):
            raise SystemExit(f"{prefix} page {pages + 1} invalid: {checker.error_log.last_error}")
        pages += 1
        for header in document.iter(f"{OAI}header"):
            identifiers.append(header.findtext(f"{OAI}identifier"))
        for record in document.iter(f"{OAI}record"):
            metadata = record.find(f"{OAI}metadata")
            if metadata is not None and len(listed) < 400:
                identifier = record.find(f"{OAI}header").findtext(f"{OAI}identifier")
                listed[identifier] = etree.tostring(metadata[0], method="c14n")
        token = document.find(f".//{OAI}resumptionToken")
        if token is None or not (token.text or "").strip():
            break
        cursors.append(int(token.get("cursor")))
        query = {"verb": "ListRecords", "resumptionToken": token.text}
    assert cursors == sorted(cursors), cursors
    for identifier in list(listed)[::37]:
        query = urllib.parse.urlencode({"verb": "GetRecord", "metadataPrefix": prefix, "identifier": identifier})
        document = etree.fromstring(get(f"{endpoint}?{query}"))
        alone = etree.tostring(document.find(f".//{OAI}metadata")[0], method="c14n")
        assert alone == listed[identifier], (identifier, alone, listed[identifier])
    return identifiers, pages


def check_errors(base, checker):
    endpoint = base + "oai"
    cases = {
        "verb=Dance": "badVerb",
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc": "badArgument",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30": "badArgument",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-01": "badArgument",
        "verb=ListRecords&resumptionToken=v1,oai_dc,,,,1.x,0,9999999999999,000000000000": "badResumptionToken",
        "verb=ListRecords&metadataPrefix=marc21": "cannotDisseminateFormat",
        "verb=GetRecord&identifier=oai:nowhere:x&metadataPrefix=oai_dc": "idDoesNotExist",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2100-01-01": "noRecordsMatch",
        "verb=ListSets&resumptionToken=x": "badResumptionToken",
    }
    for query, code in cases.items():
        document = etree.fromstring(get(endpoint + "?" + query))
        assert checker.validate(document), (query, checker.error_log.last_error)
        error = document.find(f"{OAI}error")
        assert error is not None and error.get("code") == code, (query, etree.tostring(document))
        request = document.find(f"{OAI}request")
        if code in ("badVerb", "badArgument"):
            assert not request.attrib, (query, request.attrib)
    # Identify, formats and sets validate too.
    for query in ("verb=Identify", "verb=ListMetadataFormats", "verb=ListSets"):
        document = etree.fromstring(get(endpoint + "?" + query))
        assert checker.validate(document), (query, checker.error_log.last_error)
    return len(cases)


def harvest_with_clients(base, expected):
    endpoint = base + "oai"
    sickle = Sickle(endpoint)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    ids = [r.header.identifier for r in records]
    assert sorted(ids) == sorted(expected), (len(ids), len(expected))
    assert all(r.metadata.get("title") for r in records), "oai_dc without titles"
    papers = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="data-papers")]
    themed = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="theme:ENVI"))
    assert themed and all("theme:ENVI" in h.setSpecs for h in themed), "theme set"
    try:
        list(sickle.ListRecords(resumptionToken="forged"))
        raise SystemExit("a forged token was accepted")
    except BadResumptionToken:
        pass
    try:
        sickle.GetRecord(identifier=ids[0], metadataPrefix="nonsense")
        raise SystemExit("an unknown format was accepted")
    except CannotDisseminateFormat:
        pass
    scythe = Scythe(endpoint, http_config=HTTPConfig(http_method="POST"))
    scythed = [r.header.identifier for r in scythe.list_records(metadata_prefix="oai_datacite")]
    assert len(scythed) == len(set(scythed)), "a record twice"
    sets = [s.setSpec for s in scythe.list_sets()]
    assert {"datasets", "data-papers"} <= set(sets), sets
    one = scythe.get_record(identifier=papers[0], metadata_prefix="oai_datacite")
    assert "DataPaper" in etree.tostring(one.xml).decode(), "paper as DataCite"
    scythed_papers = [h.identifier for h in scythe.list_identifiers(metadata_prefix="oai_dc", set_="data-papers")]
    assert sorted(scythed_papers) == sorted(papers), (scythed_papers, papers)
    try:
        list(scythe.list_records(resumption_token="forged"))
        raise SystemExit("scythe: a forged token was accepted")
    except ScytheBadToken:
        pass
    return {"sickle": len(ids), "papers": len(papers), "themed": len(themed), "scythe_datacite": len(scythed), "sets": len(sets)}


def main():
    mode, base = sys.argv[1], sys.argv[2].rstrip("/") + "/"
    if mode == "since":
        sickle = Sickle(base + "oai")
        live, deleted = [], []
        try:
            for header in sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": sys.argv[3]}):
                (deleted if header.deleted else live).append(header.identifier)
        except NoRecordsMatch:
            pass
        # oaipmh-scythe, by POST, sees the same.
        scythe = Scythe(base + "oai", http_config=HTTPConfig(http_method="POST"))
        seen = {"live": [], "deleted": []}
        try:
            for header in scythe.list_identifiers(metadata_prefix="oai_dc", from_=sys.argv[3]):
                seen["deleted" if header.deleted else "live"].append(header.identifier)
        except ScytheNoRecords:
            pass
        assert seen == {"live": live, "deleted": deleted}, (seen, live, deleted)
        print(json.dumps({"live": live, "deleted": deleted}))
        return
    checker = schema(sys.argv[3].rstrip("/"))
    dc, dc_pages = walk(base, checker, "oai_dc")
    if mode == "validate":
        datacite, _ = walk(base, checker, "oai_datacite")
        print(json.dumps({"oai_dc": len(dc), "oai_datacite": len(datacite)}))
        return
    assert len(dc) == len(set(dc)), "a record listed twice in oai_dc"
    datacite, _ = walk(base, checker, "oai_datacite")
    assert len(datacite) == len(set(datacite)) and set(datacite) <= set(dc), "datacite walk"
    summary = {"oai_dc": len(dc), "pages": dc_pages, "oai_datacite": len(datacite)}
    summary["errors"] = check_errors(base, checker)
    summary.update(harvest_with_clients(base, dc))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
