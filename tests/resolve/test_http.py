"""The one network edge against a real local server: requests, retries, errors, pacing, cache."""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from refexport import __version__
from refexport.resolve.sources.arxiv import ArxivSource
from refexport.resolve.sources.crossref import CrossrefSource
from refexport.resolve.transport.cache import ResponseCache
from refexport.resolve.transport.errors import NotFound, PermanentError, SourceUnavailable, TransientError
from refexport.resolve.transport.http import Bounds, Fetcher, Statistics, parse_json
from refexport.resolve.transport.pacing import Limits, Pacer, announced_limits

from ..fake_apis import FakeApis, Scripted, VirtualClock, World, arxiv_entry, crossref_item

FAST = Limits(requests=100, interval=1.0, concurrency=4)


@pytest.fixture
def apis() -> Iterator[FakeApis]:
    world = World(
        crossref=[crossref_item("10.1145/1.2", "Serving Large Models Fast", [("Kwon", "Woosuk")], 2023)],
        arxiv=[arxiv_entry("2309.06180", "Serving Large Models Fast", ["Woosuk Kwon"], 2023)],
    )
    with FakeApis(world).running() as server:
        yield server


def _fetcher(apis: FakeApis, source: str = "crossref", *, sleeps: list[float] | None = None, cache: Path | None = None,
             refresh: bool = False, limits: Limits = FAST, url: str | None = None, timeout: float = 2.0) -> Fetcher:
    recorded = sleeps if sleeps is not None else []
    clock = VirtualClock()
    pacer = Pacer(limits, clock=clock.now, sleep=clock.sleep)
    return Fetcher(source, url or (apis.url if source == "crossref" else apis.url + "/api/query"), pacer,
                   ResponseCache(cache), Statistics(), mailto="me@example.org", timeout=timeout, refresh=refresh,
                   sleep=recorded.append, extra_params={"mailto": "me@example.org"} if source == "crossref" else None)


def test_crossref_search_request_shape(apis: FakeApis) -> None:
    candidates = CrossrefSource(_fetcher(apis)).search("Serving large models fast 2023")
    assert [c.record.doi for c in candidates] == ["10.1145/1.2"]
    (seen,) = apis.requests_to("/works")
    assert seen.query["query.bibliographic"] == "Serving large models fast 2023"
    assert seen.query["rows"] == "5" and seen.query["mailto"] == "me@example.org"
    assert "DOI" in seen.query["select"].split(",") and "relation" in seen.query["select"].split(",")
    assert seen.headers["User-Agent"].startswith(f"refexport/{__version__} (")
    assert "mailto:me@example.org" in seen.headers["User-Agent"]


def test_arxiv_batches_titles_and_ids(apis: FakeApis) -> None:
    source = ArxivSource(_fetcher(apis, "arxiv"))
    found = source.search_titles(["Serving large models, fast!", "Another title"])
    assert [c.record.arxiv for c in found] == ["2309.06180"]
    assert found[0].record.title == "Serving Large Models Fast"  # the line break in the feed is gone
    (search,) = apis.requests_to("/api/query")
    assert search.query["search_query"] == 'ti:"Serving large models fast" OR ti:"Another title"'
    assert search.query["max_results"] == "30"
    assert [c.record.arxiv for c in source.lookup(["2309.06180v2", "2401.00001"])] == ["2309.06180"]
    assert apis.requests_to("/api/query")[1].query["id_list"] == "2309.06180v2,2401.00001"


@pytest.mark.parametrize(
    ("scripted", "expected_wait"),
    [
        (Scripted(429, '{"status": "error", "message": "Too many requests"}', {"Retry-After": "2"}), 2.0),
        (Scripted(429, "<html><h1>429 Too Many Requests</h1></html>"), None),
        (Scripted(503, "<html>upstream error</html>"), None),
        (Scripted(200, "", fault="truncate"), None),
        (Scripted(200, '{"status": "ok", "mess'), None),
        (Scripted(200, "", fault="reset"), None),
        (Scripted(200, "", fault="sleep:0.6"), None),
    ],
    ids=["429-retry-after", "429-html", "503", "truncated", "malformed", "reset", "timeout"],
)
def test_transient_failures_are_retried(apis: FakeApis, scripted: Scripted, expected_wait: float | None) -> None:
    if scripted.fault == "truncate":
        scripted.body = '{"status": "ok", "message": {"items": []}}' * 20
    apis.script("/works", [scripted])
    sleeps: list[float] = []
    fetcher = _fetcher(apis, sleeps=sleeps, timeout=0.2)  # the one wait on real time: a real timeout
    assert [c.record.doi for c in CrossrefSource(fetcher).search("Serving large models fast")] == ["10.1145/1.2"]
    assert len(apis.requests_to("/works")) == 2
    assert len(sleeps) == 1 and fetcher.statistics.retries["crossref"] == 1
    if expected_wait is not None:
        assert sleeps == [expected_wait]
    else:
        assert 0 < sleeps[0] <= 20


def test_retries_are_bounded(apis: FakeApis) -> None:
    apis.script("/works", [Scripted(503, "<html>down</html>")] * 10)
    fetcher = _fetcher(apis)
    with pytest.raises(TransientError, match="HTTP 503"):
        CrossrefSource(fetcher).search("anything")
    assert len(apis.requests_to("/works")) == 5
    assert fetcher.statistics.failures["crossref"] == 1


def test_404_and_400_are_not_retried(apis: FakeApis) -> None:
    sleeps: list[float] = []
    source = CrossrefSource(_fetcher(apis, sleeps=sleeps))
    with pytest.raises(NotFound):
        source.work("10.9999/missing")
    assert source.work("10.1145/1.2").record.title == "Serving Large Models Fast"
    apis.script("/works", [Scripted(400, '{"status": "failed", "message-type": "validation-failure", "message": [{"type": "unknown-parameter"}]}')])
    with pytest.raises(PermanentError, match="HTTP 400"):
        source.search("x")
    with pytest.raises(PermanentError, match="incorrect id format"):
        ArxivSource(_fetcher(apis, "arxiv", sleeps=sleeps)).lookup(["not-an-id"])
    assert sleeps == []
    assert [s.path for s in apis.seen] == ["/works/10.9999/missing", "/works/10.1145/1.2", "/works", "/api/query"]


def test_an_unreachable_source_is_given_up_quickly() -> None:
    with FakeApis().running() as closed:
        url = closed.url  # the server is gone after this block: its port refuses connections
    sleeps: list[float] = []
    fetcher = _fetcher(FakeApis(), url=url, sleeps=sleeps)
    source = CrossrefSource(fetcher)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable):
        source.search("first")
    with pytest.raises(SourceUnavailable):
        source.search("second")
    assert time.monotonic() - started < 2
    assert fetcher.unavailable and fetcher.statistics.requests["crossref"] == 3
    assert len(sleeps) == 2


def test_the_cache_answers_again_and_refresh_asks(apis: FakeApis, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    CrossrefSource(_fetcher(apis, cache=cache)).search("Serving large models fast")
    with pytest.raises(NotFound):
        CrossrefSource(_fetcher(apis, cache=cache)).work("10.9999/missing")
    again = _fetcher(apis, cache=cache)
    assert [c.record.doi for c in CrossrefSource(again).search("Serving large models fast")] == ["10.1145/1.2"]
    with pytest.raises(NotFound, match="cached"):
        CrossrefSource(again).work("10.9999/missing")
    assert len(apis.seen) == 2 and again.statistics.cached["crossref"] == 2
    CrossrefSource(_fetcher(apis, cache=cache, refresh=True)).search("Serving large models fast")
    assert len(apis.seen) == 3


def test_failed_answers_are_not_cached(apis: FakeApis, tmp_path: Path) -> None:
    apis.script("/works", [Scripted(503, "<html>down</html>")] * 5)
    with pytest.raises(TransientError):
        CrossrefSource(_fetcher(apis, cache=tmp_path / "c.sqlite")).search("x")
    assert CrossrefSource(_fetcher(apis, cache=tmp_path / "c.sqlite")).search("Serving large models fast")


def test_the_pacer_keeps_to_rate_and_concurrency_limits() -> None:
    clock = VirtualClock()
    pacer = Pacer(Limits(requests=4, interval=1.0, concurrency=2), clock=clock.now, sleep=clock.sleep)
    starts: list[float] = []
    in_flight, most = 0, 0
    guard = threading.Lock()

    def request(_: int) -> None:
        nonlocal in_flight, most
        pacer.acquire()
        with guard:
            starts.append(clock.now())
            in_flight += 1
            most = max(most, in_flight)
        with guard:
            in_flight -= 1
        pacer.release()

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(request, range(20)))
    assert len(starts) == 20 and most <= 2
    assert max(sum(1 for t in starts if start <= t < start + 1.0) for start in starts) <= 4
    assert clock.slept >= 4.0  # 20 requests at 4 a second: the waits happened, on the virtual clock


def test_the_fetcher_follows_the_limits_a_source_announces(apis: FakeApis) -> None:
    apis.crossref_headers = {"X-Rate-Limit-Limit": "4", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "2"}
    fetcher = _fetcher(apis, limits=Limits(requests=2, interval=1.0, concurrency=1))
    source = CrossrefSource(fetcher)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda n: source.work("10.1145/1.2"), range(10)))
    assert len(apis.seen) == 10 and apis.max_in_flight <= 2
    assert fetcher.pacer.limits == Limits(4, 1.0, 2)


def test_announced_limits_follow_the_headers_and_ignore_garbage() -> None:
    start = Limits(3, 1.0, 1)
    assert announced_limits({"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3"}, start) == Limits(10, 1.0, 3)
    assert announced_limits({"X-Rate-Limit-Interval": "500ms"}, start) == Limits(3, 0.5, 1)
    assert announced_limits({"x-rate-limit-limit": "-1", "x-rate-limit-interval": "soon", "x-concurrency-limit": "0"}, start) == start


def test_parse_json_rejects_garbage() -> None:
    from refexport.resolve.transport.http import MalformedBody

    with pytest.raises(MalformedBody):
        parse_json("<html>")


def _bounded(apis: FakeApis, bounds: Bounds, *, timeout: float = 2.0, sleeps: list[float] | None = None,
             clock: VirtualClock | None = None) -> Fetcher:
    clock = clock or VirtualClock()
    return Fetcher("crossref", apis.url, Pacer(FAST, clock=clock.now, sleep=clock.sleep), ResponseCache(None), Statistics(),
                   timeout=timeout, sleep=sleeps.append if sleeps is not None else clock.sleep, clock=clock.now, bounds=bounds)


def test_an_answer_past_the_byte_cap_is_refused_sent_plain_endless_or_as_a_gzip_bomb(apis: FakeApis) -> None:
    source = CrossrefSource(_bounded(apis, Bounds(answer_bytes=2**20)))
    apis.script("/works", [Scripted(200, "x" * 65536, fault="endless")])
    with pytest.raises(PermanentError, match="more than the 1 MiB|more than 1 MiB"):
        source.search("anything")
    bomb = '{"message": {"items": []}, "padding": "' + "0" * 8 * 2**20 + '"}'  # 8 MiB that compress to some KB
    apis.script("/works", [Scripted(200, bomb, fault="gzip")])
    with pytest.raises(PermanentError, match="more than 1 MiB"):
        source.search("anything")
    assert len(apis.requests_to("/works")) == 2  # too large is not asked again
    assert [c.record.doi for c in source.search("Serving large models fast")] == ["10.1145/1.2"]  # the next answer is read


def test_a_server_that_drips_its_answer_is_given_up_after_three_answers_too_slow(apis: FakeApis) -> None:
    apis.script("/works", [Scripted(200, '{"message": {"items": []}}' * 4, fault="drip:0.05")] * 3)
    fetcher = _bounded(apis, Bounds(), timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="3 answers in a row took more than 0.3 s"):
        CrossrefSource(fetcher).search("anything")
    assert time.monotonic() - started < 3  # three answers cut at 0.3 s each, not their 5 s
    assert "took more than" in fetcher.unavailable


def test_retry_after_is_capped_and_waited_only_so_long_in_all(apis: FakeApis) -> None:
    apis.script("/works", [Scripted(429, "", {"Retry-After": "999999"})] * 20)
    sleeps: list[float] = []
    fetcher = _bounded(apis, Bounds(waiting=300), sleeps=sleeps)
    with pytest.raises(SourceUnavailable, match="more than 300 s of waiting"):
        CrossrefSource(fetcher).search("first")
    assert sum(sleeps) == 240.0  # two waits of 120 s, the cap of one; a third would pass the bound
    with pytest.raises(SourceUnavailable, match="more than 300 s of waiting"):
        CrossrefSource(fetcher).search("second")
    assert len(apis.requests_to("/works")) == 3


def test_past_the_run_s_deadline_nothing_more_is_asked(apis: FakeApis) -> None:
    clock = VirtualClock()
    fetcher = _bounded(apis, Bounds(ends=clock.now() + 60, deadline=60), clock=clock)
    assert CrossrefSource(fetcher).search("Serving large models fast")
    clock.sleep(61)
    with pytest.raises(SourceUnavailable, match=r"the run's deadline \(60 s\) passed"):
        CrossrefSource(fetcher).search("Serving large models fast again")
    assert len(apis.requests_to("/works")) == 1


def test_an_interrupted_session_asks_nothing_more_and_keeps_the_lock(tmp_path: Path) -> None:
    import signal

    from refexport.app import update_lock

    from ..conftest import write_project
    from ..fake_apis import local_settings

    text = "# Papers\n\n" + "".join(f"- A Study of Serving Number {n}[ICML][2023]\n" for n in range(30))
    project = write_project(tmp_path, text)
    (project / "refexport.lock").write_text('{"version": 1, "items": []}\n')
    with FakeApis(World()).running() as apis:
        apis.script("/", [Scripted(200, '{"message": {"items": []}}', fault="sleep:1")] * 100)  # every answer takes a second
        main = threading.get_ident()

        def interrupt_once_asked() -> None:
            while not apis.seen:
                time.sleep(0.01)
            signal.pthread_kill(main, signal.SIGINT)

        threading.Thread(target=interrupt_once_asked, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            update_lock(project / "reading-list.md", project / "refexport.lock", project / "overrides", local_settings(apis))
        asked = len(apis.seen)
    # What was in flight when Ctrl-C came (Crossref's workers, arXiv's lane), not the 30 searches and the rest.
    assert asked < 30
    assert (project / "refexport.lock").read_text() == '{"version": 1, "items": []}\n'
