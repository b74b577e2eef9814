"""Asking a source over HTTP: the one place that talks to the network.

Every request goes through the response cache, the source's pacer and one tenacity retry
policy; httpx2's exceptions and HTTP statuses are mapped here, once, to `transport.errors`.
A source whose connections fail several times in a row is marked unavailable for the run.

Everything is bounded (`Bounds`): an answer's bytes, as sent and as decoded (a gzip bomb); its
time from the request to the last byte (a server that drips); the time all of a source's
Retry-After answers may make the run wait; and the run itself. Past a bound the source is not
asked again in the run, and says why.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from ... import __version__
from .cache import ResponseCache
from .errors import NotFound, PermanentError, SourceUnavailable, TransientError
from .pacing import Pacer

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Consecutive failed connections after which a source counts as unreachable for the run.
UNREACHABLE_AFTER = 3
ATTEMPTS = 5
#: The longest one Retry-After is waited.
_LONGEST_RETRY_AFTER = 120.0
_MIB = 2**20
#: What reading an answer whose fields have unexpected types raises, where a parser does not check.
_WRONG_SHAPE = (TypeError, AttributeError, KeyError, IndexError, ValueError)


@dataclass(frozen=True)
class Bounds:
    """What a run may spend on one source's answers."""

    answer_bytes: int = 32 * _MIB  # one answer, as sent and as decoded
    waiting: float = 300.0  # seconds in all that the source's Retry-After answers may make the run wait
    ends: float | None = None  # the clock time past which the run asks no more (its deadline)
    deadline: float | None = None  # that deadline in seconds, for the message


class Stopped(Exception):
    """The run was interrupted (Ctrl-C): nothing more is asked."""


class AnswerTooLarge(Exception):
    """An answer past `Bounds.answer_bytes`."""


class MalformedBody(ValueError):
    """A 200 answer whose body cannot be read (truncated or garbled): retried."""


@dataclass
class Statistics:
    requests: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    cached: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    lookups: Counter[str] = field(default_factory=Counter)  # requests for given identifiers, not searches
    seconds: dict[str, float] = field(default_factory=dict)  # time spent waiting for answers, summed

    def add_seconds(self, source: str, seconds: float) -> None:
        with self.lock:
            self.seconds[source] = self.seconds.get(source, 0.0) + seconds
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, counter: str, source: str) -> None:
        with self.lock:
            getattr(self, counter)[source] += 1


def user_agent(mailto: str | None) -> str:
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"refexport/{__version__} (https://github.com/refexport/refexport{contact})"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), _LONGEST_RETRY_AFTER) if seconds == seconds else None  # NaN is no number


class Fetcher:
    """GETs for one source, with cache, pacing, retries and error mapping."""

    #: The media type asked for ("": the source's own).
    ACCEPT = ""

    def __init__(
        self,
        source: str,
        base_url: str,
        pacer: Pacer,
        cache: ResponseCache,
        statistics: Statistics,
        *,
        mailto: str | None = None,
        timeout: float = 20.0,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        extra_params: Mapping[str, str] | None = None,
        bounds: Bounds = Bounds(),
        stop: threading.Event | None = None,
    ) -> None:
        import httpx2

        self.source = source
        self.base_url = base_url.rstrip("/")
        self.pacer = pacer
        self.cache = cache
        self.statistics = statistics
        self.refresh = refresh
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self.bounds = bounds
        self._stop = stop or threading.Event()
        self._waited = 0.0  # on Retry-After answers, in all
        self._extra = dict(extra_params or {})
        self._client = httpx2.Client(
            headers={"User-Agent": user_agent(mailto)},
            timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
        )
        self._failed_connections = 0
        self._unavailable = ""  # why the source is not asked again in this run
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    @property
    def unavailable(self) -> str:
        """Why the source is not asked again in this run ("" while it is asked)."""
        return self._unavailable

    def _give_up(self, why: str) -> SourceUnavailable:
        with self._lock:
            self._unavailable = self._unavailable or why
        return SourceUnavailable(self.source, f"not asked again in this run: {self._unavailable}")

    def get(self, path: str, params: Mapping[str, str], parse: Callable[[str], T]) -> T:
        """The parsed body of GET base_url+path?params. Raises `sources.errors` exceptions."""
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

        query = {**params, **self._extra}
        key = f"{self.source} GET {self.base_url}{path}?{urlencode(sorted(params.items()))}"
        cached = None if self.refresh else self.cache.get(key)
        if cached is not None:
            self.statistics.count("cached", self.source)
            status, body = cached
            if status == 404:
                raise NotFound(self.source, f"{path}: no such record (cached)")
            try:
                return parse(body)
            except (MalformedBody, *_WRONG_SHAPE):
                self.cache.drop(key)  # kept by an older refexport, or damaged: asked again
        backoff = wait_exponential_jitter(multiplier=0.5, max=20.0, jitter=0.5)

        def wait(state: Any) -> float:
            error = state.outcome.exception()
            if isinstance(error, TransientError) and error.retry_after is not None:
                with self._lock:
                    if self._waited + error.retry_after > self.bounds.waiting:
                        self._waited = math.inf  # not waited: the next attempt gives up
                        return 0.0
                    self._waited += error.retry_after
                return error.retry_after
            return float(backoff(state))

        def before_sleep(state: Any) -> None:
            self.statistics.count("retries", self.source)

        retrying = Retrying(
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait,
            sleep=self._sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            result: T = retrying(self._once, path, query, parse, key)
        except TransientError:
            self.statistics.count("failures", self.source)
            raise
        return result

    def _once(self, path: str, query: Mapping[str, str], parse: Callable[[str], T], key: str) -> T:
        import httpx2

        if self._stop.is_set():
            raise Stopped()
        if self._unavailable:
            raise SourceUnavailable(self.source, f"not asked again in this run: {self._unavailable}")
        if self.bounds.ends is not None and self._clock() >= self.bounds.ends:
            raise self._give_up(f"the run's deadline ({self.bounds.deadline:g} s) passed")
        if self._waited > self.bounds.waiting:
            raise self._give_up(f"its Retry-After answers asked for more than {self.bounds.waiting:g} s of waiting in all")
        self.pacer.acquire()
        headers: Mapping[str, str] | None = None
        try:
            if self._stop.is_set():  # interrupted while waiting for its turn
                raise Stopped()
            self.statistics.count("requests", self.source)
            log.debug("%s GET %s %s", self.source, path, dict(query))
            asked = time.monotonic()
            status, headers, text = self._exchange(path, query)
            self.statistics.add_seconds(self.source, time.monotonic() - asked)
            log.debug("%s answered %s", self.source, status)
        except httpx2.ConnectError as error:
            if self._connection_failed():
                raise self._give_up(f"{UNREACHABLE_AFTER} connections in a row failed ({error})") from error
            raise TransientError(self.source, f"cannot connect ({error})") from error
        except (httpx2.TimeoutException, TimeoutError) as error:
            # A server that does not answer in time, or drips its answer, fails like a connection.
            if self._connection_failed():
                raise self._give_up(f"{UNREACHABLE_AFTER} answers in a row took more than {self.timeout:g} s") from error
            raise TransientError(self.source, f"timed out ({type(error).__name__}: no whole answer in {self.timeout:g} s)") from error
        except AnswerTooLarge as error:
            raise PermanentError(self.source, str(error)) from error
        except httpx2.HTTPError as error:  # dropped connections, truncated bodies, protocol errors
            raise TransientError(self.source, f"{type(error).__name__}: {error}") from error
        finally:
            self.pacer.release(headers)
        with self._lock:
            self._failed_connections = 0
        if status == 200:
            try:
                parsed = parse(text)
            except MalformedBody as error:
                raise TransientError(self.source, f"malformed answer: {error}") from error
            except _WRONG_SHAPE as error:  # a field of a type its source never sends: not asked again now
                raise PermanentError(self.source, f"an answer of the wrong shape ({type(error).__name__}: {error})") from error
            self.cache.put(key, 200, text)
            return parsed
        if status == 404:
            self.cache.put(key, 404, "")
            raise NotFound(self.source, f"{path}: no such record")
        if status == 429 or status >= 500:
            raise TransientError(self.source, f"HTTP {status}", retry_after=_retry_after(headers))
        raise PermanentError(self.source, f"HTTP {status}: {' '.join(text.split())[:200]}")

    def _exchange(self, path: str, query: Mapping[str, str]) -> tuple[int, Mapping[str, str], str]:
        """One GET: (status, headers, body), read within the bounds: `AnswerTooLarge`, or
        TimeoutError when the whole answer takes longer than the timeout. Raises httpx2's
        exceptions, which `_once` maps."""
        limit, started = self.bounds.answer_bytes, time.monotonic()
        headers = {"Accept": self.ACCEPT} if self.ACCEPT else {}
        with self._client.stream("GET", self.base_url + path, params=query, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise AnswerTooLarge(f"an answer of {int(declared) / _MIB:.0f} MiB, more than the {limit / _MIB:.0f} MiB allowed")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit or response.num_bytes_downloaded > limit:
                    raise AnswerTooLarge(f"an answer of more than {limit / _MIB:.0f} MiB (as sent or decoded)")
                if time.monotonic() - started > self.timeout:
                    raise TimeoutError(f"the answer took more than {self.timeout:g} s")
            text = bytes(body).decode(response.encoding or "utf-8", errors="replace")
            return response.status_code, response.headers, text

    def _connection_failed(self) -> bool:
        """Count a failed connection; True when that makes the source unreachable for the run."""
        with self._lock:
            self._failed_connections += 1
            return self._failed_connections >= UNREACHABLE_AFTER


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedBody(f"not JSON ({error.msg} at {error.pos})") from error
