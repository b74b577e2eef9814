"""Resolution benchmark (part of `make bench`; needs ../shared/eval): cold resolutions against
simapi.py with 300 ms latency at its default limits (Crossref 10 requests/s, 3 in flight; arXiv
one request per 3 s).

3. The real list: wall time against the floor those limits allow for the requests made, requests
   per item, 429s, and the same resolution with one request at a time as the baseline.
4. The linked list made from the world (benchmarks/linked_list.py): with its links, against the
   same entries with their links left out (found by title search), side by side; arXiv requests
   per 100 given arXiv ids; wall time against the floor.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import linked_list
from simworld import require_world, resolve, simapi

LATENCY_MS = 300
RATE, CONCURRENCY, ARXIV_INTERVAL = 10, 3, 3.0
#: simapi draws each latency from a log-normal around the setting (sigma 0.35): its mean.
MEAN_LATENCY = LATENCY_MS / 1000 * math.exp(0.35**2 / 2)


def floor(crossref: int, arxiv: int, doi: int = 0, latency: float = MEAN_LATENCY) -> float:
    """Least wall time the limits allow: the sources run side by side (doi.org at our own 3/s).
    With 3 requests in flight, Crossref's rate is also bounded by how long an answer takes."""
    crossref_rate = min(RATE, CONCURRENCY / latency)
    return max(crossref / crossref_rate, max(arxiv - 1, 0) * ARXIV_INTERVAL + MEAN_LATENCY, doi / 3)


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
        observed = re.search(r"crossref: .*?([\d.]+) s an answer", run.output)
        served = floor(crossref, arxiv, 0, float(observed.group(1))) if observed else lower
        print(f"   {label:32} {run.seconds:6.1f} s = {run.seconds / lower:.2f}x the floor of {lower:.1f} s "
              f"({run.seconds / served:.2f}x at the measured answer time) "
              f"(target <= 1.25x); {crossref} Crossref + {arxiv} arXiv requests = {(crossref + arxiv) / items:.2f} per item "
              f"(target <= 1.5); 429s: {run.requests.get('429:crossref', 0) + run.requests.get('429:arxiv', 0)}; "
              f"{run.seconds / fastest:.2f}x refexport's time")


def linked() -> None:
    with_links, expected = linked_list.make(require_world() / "world")
    titles_only, _ = linked_list.make(require_world() / "world", links=False)
    given = linked_list.given_ids(expected)
    with simapi("--latency-ms", str(LATENCY_MS)) as server:
        runs = {"with the list's links": resolve(server, text=with_links)}
        time.sleep(ARXIV_INTERVAL)
        runs["titles only (baseline)"] = resolve(server, text=titles_only)
    print(f"4. The linked list ({len(expected)} entries, {given} give an arXiv id) against simapi, {LATENCY_MS} ms latency")
    baseline = runs["titles only (baseline)"]
    base_requests = sum(v for k, v in baseline.requests.items() if k.startswith("requests:"))
    for label, run in runs.items():
        crossref, arxiv, doi = (run.requests.get(f"requests:{source}", 0) for source in ("crossref", "arxiv", "doi"))
        lower = floor(crossref, arxiv, doi)
        observed = re.search(r"crossref: .*?([\d.]+) s an answer", run.output)
        served = floor(crossref, arxiv, doi, float(observed.group(1))) if observed else lower
        total = crossref + arxiv + doi
        print(f"   {label:24} {run.seconds:6.1f} s = {run.seconds / lower:.2f}x the floor of {lower:.1f} s at the nominal latency, "
              f"{run.seconds / served:.2f}x the {served:.1f} s the stand-in's measured answer time allows (target <= 1.25x); "
              f"{crossref} Crossref + {arxiv} arXiv + {doi} doi.org = {total / len(expected):.2f} per entry "
              f"({total / base_requests:.2f}x the titles-only run); 429s: {run.requests.get('429:crossref', 0) + run.requests.get('429:arxiv', 0)}")
    counted = runs["with the list's links"].requests
    found = re.search(r"arxiv: \d+ requests? \((\d+) by identifier\)", runs["with the list's links"].output)
    lookups = int(found.group(1)) if found else 0
    print(f"   arXiv with the links: {lookups} id_list lookups for {given} given ids = {100 * lookups / given:.2f} per 100 ids "
          f"(target <= 1); {counted.get('requests:arxiv', 0) - lookups} title searches for the links that proved wrong or missing")


if __name__ == "__main__":
    main()
    linked()
