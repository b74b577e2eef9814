"""Resolution benchmark (part of `make bench`; needs ../shared/eval): a cold resolution of the
real list against simapi.py with 300 ms latency at its default limits (Crossref 10 requests/s,
3 in flight; arXiv one request per 3 s).

Printed: wall time against the floor those limits allow for the requests made, requests per
item, 429s, and the same resolution with one request at a time to each source as the baseline.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from simworld import resolve, simapi

LATENCY_MS = 300
RATE, CONCURRENCY, ARXIV_INTERVAL = 10, 3, 3.0
#: simapi draws each latency from a log-normal around the setting (sigma 0.35): its mean.
MEAN_LATENCY = LATENCY_MS / 1000 * math.exp(0.35**2 / 2)


def floor(crossref: int, arxiv: int) -> float:
    """Least wall time the limits allow: the two sources run side by side."""
    crossref_rate = min(RATE, CONCURRENCY / MEAN_LATENCY)
    return max(crossref / crossref_rate, max(arxiv - 1, 0) * ARXIV_INTERVAL + MEAN_LATENCY)


def main() -> None:
    items = sum(1 for line in (Path(__file__).resolve().parent.parent / "reading-list.md").open() if line.lstrip().startswith("- "))
    with simapi("--latency-ms", str(LATENCY_MS)) as server:
        runs = {"refexport": resolve(server)}
        time.sleep(ARXIV_INTERVAL)  # the server counts arXiv's interval across runs too
        runs["baseline, one request at a time"] = resolve(server, "--concurrency", "1")
    print(f"3. Cold resolution of the real list ({items} items) against simapi, {LATENCY_MS} ms latency, default limits")
    fastest = runs["refexport"].seconds
    for label, run in runs.items():
        crossref = run.requests.get("requests:crossref", 0)
        arxiv = run.requests.get("requests:arxiv", 0)
        lower = floor(crossref, arxiv)
        print(f"   {label:32} {run.seconds:6.1f} s = {run.seconds / lower:.2f}x the floor of {lower:.1f} s "
              f"(target <= 1.25x); {crossref} Crossref + {arxiv} arXiv requests = {(crossref + arxiv) / items:.2f} per item "
              f"(target <= 1.5); 429s: {run.requests.get('429:crossref', 0) + run.requests.get('429:arxiv', 0)}; "
              f"{run.seconds / fastest:.2f}x refexport's time")


if __name__ == "__main__":
    main()
