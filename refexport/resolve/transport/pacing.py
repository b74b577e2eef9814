"""Pacing to a source's limits: requests per interval and requests in flight.

A source announces its limits on every response (Crossref: `x-rate-limit-limit`,
`x-rate-limit-interval`, `x-concurrency-limit`); the pacer starts from conservative defaults and
follows what is announced, never going above it. Thread-safe.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Kept between request starts beyond what the limits strictly allow, so that jitter in when a
#: request reaches the server never makes it look faster than the limit.
SAFETY = 0.1
#: A finished request keeps its slot this much longer: a server counts it in flight until it has
#: finished sending, a moment after the client has the whole answer.
GRACE = 0.02


@dataclass(frozen=True)
class Limits:
    requests: int  # per interval
    interval: float  # seconds
    concurrency: int


class Pacer:
    def __init__(
        self,
        limits: Limits,
        *,
        cap: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limits = limits
        self._cap = cap  # our own ceiling on requests in flight (--concurrency)
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._in_flight = 0
        self._condition = threading.Condition()

    @property
    def limits(self) -> Limits:
        return self._limits

    def _concurrency(self) -> int:
        return min(self._limits.concurrency, self._cap) if self._cap else self._limits.concurrency

    def _rate_wait(self, now: float) -> float | None:
        """None when the rate limit lets a request start now, else how long until it does."""
        window = self._limits.interval + SAFETY
        while self._starts and now - self._starts[0] >= window:
            self._starts.popleft()
        if len(self._starts) >= self._limits.requests:
            return max(window - (now - self._starts[0]), 0.001)
        return None

    def acquire(self) -> None:
        """Wait for a slot in flight (a release frees one) and for the rate limit (on the clock)."""
        while True:
            with self._condition:
                while self._in_flight >= self._concurrency():
                    self._condition.wait()
                wait = self._rate_wait(self._clock())
                if wait is None:
                    self._in_flight += 1
                    self._starts.append(self._clock())
                    return
            self._sleep(wait)

    def release(self, headers: Mapping[str, str] | None = None) -> None:
        try:
            self._sleep(GRACE)
        finally:  # a sleep that raises (the run interrupted) still frees the slot
            with self._condition:
                self._in_flight -= 1
                if headers:
                    self._limits = announced_limits(headers, self._limits)
                self._condition.notify_all()


def _interval(text: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", text)
    if not match:
        return None
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "ms" else value * 60 if match.group(2) == "m" else value


def announced_limits(headers: Mapping[str, str], current: Limits) -> Limits:
    """The limits a response announces; what it does not announce (or garbles) stays as it was."""
    lower = {key.lower(): value for key, value in headers.items()}

    def positive_int(name: str) -> int | None:
        value = lower.get(name, "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None

    interval = _interval(lower.get("x-rate-limit-interval", "")) if "x-rate-limit-interval" in lower else None
    return Limits(
        requests=positive_int("x-rate-limit-limit") or current.requests,
        interval=interval if interval and interval > 0 else current.interval,
        concurrency=positive_int("x-concurrency-limit") or current.concurrency,
    )
