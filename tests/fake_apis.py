"""A real HTTP server on 127.0.0.1 that answers in the shapes Crossref's REST API and arXiv's
export API use, with scripted faults. Written for these tests from the APIs' documented shapes.

`World` holds Crossref work items and arXiv entries and answers searches by word overlap;
`FakeApis.script(path_prefix, [...])` queues faults or fixed answers for the next requests.
`VirtualClock` is the time the client sees: its sleeps return at once, so no test waits on pacing
or backoff, while the client's arithmetic still runs on the real intervals.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

from refexport.resolve.settings import Settings


def dblp_record(key: str, title: str, authors: list[str], year: int, venue: str, *, booktitle: str = "",
                kind: str = "Conference and Workshop Papers", pages: str = "", doi: str = "") -> dict[str, Any]:
    """A dblp record as its search shows it (`info`), with the proceedings title its BibTeX gives."""
    info: dict[str, Any] = {"authors": {"author": [{"@pid": f"00/{n}", "text": name} for n, name in enumerate(authors)]},
                            "title": title + ".", "venue": venue, "year": str(year), "type": kind, "key": key,
                            "ee": f"https://example.org/{key}", "url": f"https://dblp.org/rec/{key}", "booktitle": booktitle}
    if pages:
        info["pages"] = pages
    if doi:
        info["doi"] = doi
    return info


def crossref_item(
    doi: str,
    title: str,
    authors: list[tuple[str, str]],
    year: int | None,
    *,
    kind: str = "proceedings-article",
    container: str = "",
    event: str = "",
    subtitle: str = "",
    preprint: str = "",
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "DOI": doi.lower(),
        "URL": f"https://doi.org/{doi.lower()}",
        "type": kind,
        "title": [title],
        "subtitle": [subtitle] if subtitle else [],
        "author": [
            {"given": given, "family": family, "sequence": "first" if n == 0 else "additional", "affiliation": []}
            for n, (family, given) in enumerate(authors)
        ],
        "container-title": [container] if container else [],
        "publisher": "ACM",
        "issued": {"date-parts": [[year]]},
        "relation": {},
    }
    if event:
        item["event"] = {"name": event, "location": "Somewhere"}
    if preprint:
        item["relation"] = {"has-preprint": [{"id-type": "doi", "id": f"10.48550/ARXIV.{preprint}", "asserted-by": "subject"}]}
    return item


def arxiv_entry(arxiv_id: str, title: str, authors: list[str], year: int, *, doi: str = "", version: int = 1,
                category: str = "cs.LG") -> dict[str, Any]:
    return {"id": arxiv_id, "title": title, "authors": authors, "year": year, "doi": doi, "version": version,
            "category": category}


def atom_feed(entries: list[dict[str, Any]], query: str = "") -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
        ' xmlns:arxiv="http://arxiv.org/schemas/atom">',
        f'  <title type="html">ArXiv Query: {escape(query)}</title>',
        f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>",
        "  <opensearch:startIndex>0</opensearch:startIndex>",
    ]
    for entry in entries:
        # arXiv breaks long titles over lines and versions the id.
        title = escape(entry["title"]).replace(" ", "\n  ", 1)
        parts += [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{entry['id']}v{entry['version']}</id>",
            f"    <published>{entry['year']}-03-01T10:00:00Z</published>",
            f"    <updated>{entry['year']}-06-01T10:00:00Z</updated>",
            f"    <title>{title}</title>",
            "    <summary>An abstract.</summary>",
            *[f"    <author><name>{escape(name)}</name></author>" for name in entry["authors"]],
            *([f"    <arxiv:doi>{escape(entry['doi'])}</arxiv:doi>"] if entry["doi"] else []),
            f'    <link href="http://arxiv.org/abs/{entry["id"]}v{entry["version"]}" rel="alternate" type="text/html"/>',
            f'    <arxiv:primary_category term="{entry["category"]}"/>',
            f'    <category term="{entry["category"]}" scheme="http://arxiv.org/schemas/atom"/>',
            "  </entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def atom_error(message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <entry>\n    <id>https://arxiv.org/api/errors#incorrect_id_format</id>\n    <title>Error</title>\n"
        f"    <summary>{escape(message)}</summary>\n  </entry>\n</feed>\n"
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


class VirtualClock:
    """A monotonic clock that sleeping advances, shared by the client's threads."""

    def __init__(self) -> None:
        self._now = 1000.0
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += max(seconds, 0.0)
            self.slept += max(seconds, 0.0)


def local_settings(apis: FakeApis, clock: VirtualClock | None = None, **changes: Any) -> Settings:
    """Settings for the local server, on a virtual clock: arXiv's real 3 s interval, never waited for."""
    clock = clock or VirtualClock()
    urls = {"crossref": apis.url, "arxiv": apis.url + "/api/query", "doi.org": apis.url + "/doi", "dblp": apis.url} | changes.pop("urls", {})
    return replace(Settings(urls=urls, cache_path=None, clock=clock.now, sleep=clock.sleep), **changes)


@dataclass
class World:
    crossref: list[dict[str, Any]] = field(default_factory=list)
    arxiv: list[dict[str, Any]] = field(default_factory=list)
    datacite: list[dict[str, Any]] = field(default_factory=list)  # DOIs only doi.org knows (Zenodo, …)
    dblp: list[dict[str, Any]] = field(default_factory=list)  # dblp records: the search's `info` plus "booktitle"

    def dblp_search(self, query: str) -> list[dict[str, Any]]:
        """dblp's way: every query term (one word, or alternatives `a|b`) must begin a word of the
        title, authors, venue or year."""
        wanted = [term.split("|") for term in query.lower().split()]
        hits = []
        for record in self.dblp:
            authors = " ".join(a["text"] for a in record.get("authors", {}).get("author", []))
            words = re.findall(r"[a-z0-9]+", f"{record['title']} {authors} {record.get('venue', '')} {record.get('year', '')}".lower())
            if wanted and all(any(word.startswith(w) for word in words for w in term) for term in wanted):
                hits.append(record)
        return hits

    def crossref_search(self, query: str, rows: int) -> list[dict[str, Any]]:
        wanted = _words(query)
        scored = []
        for item in self.crossref:
            if item.get("unsearchable"):  # found by DOI only, as a search sometimes misses a work
                continue
            words = _words(" ".join(item["title"] + item["subtitle"]))
            overlap = len(wanted & words) / max(len(words), 1)
            if overlap > 0.3:
                scored.append((overlap, item))
        scored.sort(key=lambda pair: -pair[0])
        return [dict(item, score=round(20 * overlap, 3)) for overlap, item in scored[:rows]]

    def arxiv_search(self, query: str, limit: int) -> list[dict[str, Any]]:
        phrases = [_words(phrase) for phrase in re.findall(r'ti:"([^"]*)"', query)]
        hits = []
        for entry in self.arxiv:
            words = _words(entry["title"])
            best = max((len(p & words) / max(len(words), 1) for p in phrases), default=0)
            if best > 0.3:
                hits.append((best, entry))
        hits.sort(key=lambda pair: -pair[0])
        return [entry for _, entry in hits[:limit]]


@dataclass
class Scripted:
    """A fixed answer or a fault for one request."""

    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # "", "truncate", "reset", "sleep:<seconds>", "drip:<seconds>" (the body a byte at a time, each
    # after a pause), "gzip" (the body sent compressed), "endless" (the body, sent again and again
    # without a length, until the client hangs up)
    fault: str = ""


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    arrived: float


class FakeApis:
    """The server. `crossref_headers` are announced on every Crossref answer."""

    def __init__(self, world: World | None = None, crossref_headers: dict[str, str] | None = None) -> None:
        self.world = world or World()
        self.crossref_headers = crossref_headers if crossref_headers is not None else {
            "X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "5"}
        self.seen: list[Seen] = []
        self.scripts: dict[str, list[Scripted]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, prefix: str, answers: list[Scripted]) -> None:
        """Answer the next requests whose path starts with `prefix` with these, in order."""
        self.scripts.setdefault(prefix, []).extend(answers)

    def requests_to(self, prefix: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.startswith(prefix)]

    def _scripted(self, path: str) -> Scripted | None:
        with self._lock:
            for prefix, queue in self.scripts.items():
                if path.startswith(prefix) and queue:
                    return queue.pop(0)
        return None

    def _answer(self, path: str, query: dict[str, str]) -> Scripted:
        if path.startswith("/api/query"):
            if "id_list" in query and query["id_list"]:
                ids = query["id_list"].split(",")
                if any(not re.match(r"^\d{4}\.\d{4,5}(v\d+)?$", i) for i in ids):
                    return Scripted(400, atom_error(f"incorrect id format for {ids[0]}"))
                found = [e for e in self.world.arxiv if e["id"] in {re.sub(r"v\d+$", "", i) for i in ids}]
                return Scripted(200, atom_feed(found, query["id_list"]))
            entries = self.world.arxiv_search(query.get("search_query", ""), int(query.get("max_results", 10)))
            return Scripted(200, atom_feed(entries, query.get("search_query", "")))
        if path == "/search/publ/api":
            every = self.world.dblp_search(query.get("q", ""))
            found = every[: int(query.get("h", 30))]
            hits: dict[str, Any] = {"@total": str(len(every)), "@computed": str(len(every)), "@sent": str(len(found)), "@first": "0"}
            if found:
                hits["hit"] = [{"@score": "1", "@id": str(n), "info": {k: v for k, v in r.items() if k != "booktitle"},
                                "url": f"URL#{n}"} for n, r in enumerate(found)]
            return Scripted(200, json.dumps({"result": {"query": query.get("q", ""), "status": {"@code": "200", "text": "OK"},
                                                         "hits": hits}}))
        if match := re.fullmatch(r"/rec/(.+)\.bib", path):
            record = next((r for r in self.world.dblp if r["key"] == match.group(1)), None)
            if record is None:
                return Scripted(404, "<html><head><title>dblp: error 404</title></head></html>")
            return Scripted(200, f"@inproceedings{{DBLP:{record['key']},\n  title        = {{{record['title']}}},\n"
                                 f"  booktitle    = {{{record.get('booktitle', '')}}},\n  year         = {{{record['year']}}}\n}}\n",
                            {"Content-Type": "text/x-bibtex; charset=utf-8"})
        headers = dict(self.crossref_headers)
        if path == "/works":
            items = self.world.crossref_search(query.get("query.bibliographic", ""), int(query.get("rows", 20)))
            body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                    "message": {"facets": {}, "total-results": len(items), "items": items, "items-per-page": len(items),
                                "query": {"start-index": 0, "search-terms": query.get("query.bibliographic", "")}}}
            return Scripted(200, json.dumps(body), headers)
        if match := re.fullmatch(r"/doi/(.+)", path):
            return self._negotiate(unquote(match.group(1)).lower())
        if match := re.fullmatch(r"/works/(.+)", path):
            doi = unquote(match.group(1)).lower()
            item = next((i for i in self.world.crossref if i["DOI"] == doi), None)
            if item is None:
                return Scripted(404, "Resource not found.", headers)
            return Scripted(200, json.dumps({"status": "ok", "message-type": "work", "message": item}), headers)
        return Scripted(404, "Resource not found.", headers)

    def _negotiate(self, doi: str) -> Scripted:
        """doi.org content negotiation in BibTeX, for DataCite records and Crossref works alike."""
        record = next((r for r in self.world.datacite if r["doi"] == doi), None)
        if record is None and (item := next((i for i in self.world.crossref if i["DOI"] == doi), None)):
            record = {"doi": doi, "title": item["title"][0], "authors": [f"{a['family']}, {a['given']}" for a in item["author"]],
                      "year": item["issued"]["date-parts"][0][0], "publisher": item.get("publisher", ""), "type": "article"}
        if record is None:
            return Scripted(404, "DOI Not Found", {"Content-Type": "text/plain"})
        fields = {"title": record["title"], "author": " and ".join(record["authors"]), "year": str(record["year"]),
                  "publisher": record["publisher"], "doi": record["doi"].upper(), "url": f"https://doi.org/{record['doi']}"}
        body = f"@{record['type']}{{key_{record['year']}, " + ", ".join(f"{k}={{{v}}}" for k, v in fields.items()) + "}\n"
        return Scripted(200, body, {"Content-Type": "application/x-bibtex; charset=utf-8"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        apis = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query, keep_blank_values=True))
                with apis._lock:
                    apis.seen.append(Seen(url.path, query, dict(self.headers), time.monotonic()))
                    apis.in_flight += 1
                    apis.max_in_flight = max(apis.max_in_flight, apis.in_flight)
                try:
                    answer = apis._scripted(url.path) or apis._answer(url.path, query)
                    self._send(answer)
                finally:
                    with apis._lock:
                        apis.in_flight -= 1

            def _send(self, answer: Scripted) -> None:
                if answer.fault.startswith("sleep:"):
                    time.sleep(float(answer.fault.split(":")[1]))
                if answer.fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.close_connection = True
                    self.connection.close()
                    return
                data = answer.body.encode("utf-8")
                content_type = "application/atom+xml" if answer.body.startswith("<?xml") else (
                    "text/html" if answer.body.startswith("<") else "application/json")
                self.send_response(answer.status)
                if "Content-Type" not in answer.headers:
                    self.send_header("Content-Type", content_type)
                if answer.fault in ("drip", "endless") or answer.fault.startswith("drip:"):
                    self._stream(answer, data)
                    return
                if answer.fault == "gzip":
                    data = gzip.compress(data, compresslevel=9)
                    self.send_header("Content-Encoding", "gzip")
                length = len(data)
                if answer.fault == "truncate":
                    data = data[: len(data) // 2]
                    self.close_connection = True
                self.send_header("Content-Length", str(length))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, answer: Scripted, data: bytes) -> None:
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                pause = float(answer.fault.split(":")[1]) if answer.fault.startswith("drip:") else 0.0
                try:
                    while True:
                        for start in range(0, len(data), 1 if pause else 65536):
                            if pause:
                                time.sleep(pause)
                            self.wfile.write(data[start : start + (1 if pause else 65536)])
                            self.wfile.flush()
                        if pause:
                            return
                except OSError:
                    return  # the client hung up

        return Handler

    @contextmanager
    def running(self) -> Iterator[FakeApis]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def serving(world: World | None = None) -> Iterator[FakeApis]:
    """The body of a test's `apis` fixture: the server for `world`, running until the test ends."""
    with FakeApis(world).running() as server:
        yield server
