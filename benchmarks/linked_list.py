"""A reading list made from the evaluation world's records, with the links real lists carry, and
what resolving it must give: `make eval` checks it, `make bench` times it.

Seeded, so every run makes the same list. Categories (entries rotate through four shapes:
bullets, numbered entries, bold titles with [[pdf]] links, table rows):

  arxiv-names-doi   an arXiv link whose record names the published DOI: both ids
  has-preprint      a DOI link whose Crossref record asserts its preprint: both ids
  preprint-search   an arXiv link to a paper Crossref holds under the same title: both ids
  preprint-quiet    the same, shown with the preprint's year only (no sign it was published): both ids
  doi               a DOI link (doi.org or a publisher path): the DOI
  arxiv             an arXiv link (abs or pdf) to an arXiv-only paper: the arXiv id
  arxiv-doi         arXiv's own DataCite DOI (10.48550/arXiv.ID): the arXiv id
  wrong-link        one paper's title with another paper's link: flagged, the link never written
  missing           an arXiv id or DOI that does not exist: flagged
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 2026


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^0-9a-z]+", " ", "".join(c for c in text if not unicodedata.combining(c)).lower()).strip()


@dataclass(frozen=True)
class Expected:
    category: str
    title: str
    doi: str | None
    arxiv: str | None
    flagged: str = ""  # the identifier a verdict must flag


def _load(world: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    arxiv = [json.loads(line) for line in (world / "arxiv.jsonl").open(encoding="utf-8")]
    crossref = {}
    for line in (world / "crossref.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record.get("author") and record.get("type") != "proceedings":
            crossref[record["DOI"].lower()] = record
    return arxiv, crossref


def _title(record: dict[str, Any]) -> str:
    subtitle = (record.get("subtitle") or [""])[0]
    return f"{record['title'][0]}: {subtitle}" if subtitle else record["title"][0]


def _venue(record: dict[str, Any]) -> str:
    """How a list shows a paper's venue: the event's short name, else the journal."""
    event = (record.get("event") or {}).get("name", "")
    if event:
        return event.split(":")[0].strip()
    return (record.get("short-container-title") or record.get("container-title") or [""])[0]


def _year(record: dict[str, Any]) -> int:
    parts = (record.get("issued") or {}).get("date-parts") or [[None]]
    return int(parts[0][0] or 2020)


def make(world: Path, size: int = 380, *, links: bool = True) -> tuple[str, dict[int, Expected]]:
    """The list's text and what each entry line must resolve to. A published paper is shown with
    its venue, as lists show them; a preprint with its year."""
    rng = random.Random(SEED)
    arxiv, crossref = _load(world)
    by_id = {a["id"]: a for a in arxiv}
    crossref_titles = {_norm(r["title"][0]): r for r in crossref.values() if r.get("title")}
    # (title, url, what the list shows after it: a venue as lists write it, or the year, expected)
    chosen: list[tuple[str, str, str, Expected]] = []

    for a in (a for a in arxiv if a["doi"] and a["doi"].lower() in crossref):
        published = crossref[a["doi"].lower()]
        chosen.append((a["title"], f"https://arxiv.org/abs/{a['id']}", f"{_venue(published)} {_year(published)}",
                       Expected("arxiv-names-doi", a["title"], a["doi"].lower(), a["id"])))
    for r in crossref.values():
        for relation in (r.get("relation") or {}).get("has-preprint") or []:
            match = re.match(r"^10\.48550/arxiv\.(.+)$", relation.get("id", ""), re.I)
            if match:
                arxiv_id = match.group(1)
                chosen.append((_title(r), f"https://doi.org/{r['DOI']}", str(_year(r)),
                               Expected("has-preprint", _title(r), r["DOI"].lower(), arxiv_id if arxiv_id in by_id else None)))
    linked = {e.arxiv for *_, e in chosen} | {e.doi for *_, e in chosen}
    twins = [a for a in arxiv if not a["doi"] and _norm(a["title"]) in crossref_titles and a["id"] not in linked]
    for index, a in enumerate(rng.sample(twins, min(60, len(twins)))):
        published = crossref_titles[_norm(a["title"])]
        quiet = index >= 40
        shown = a["published"][:4] if quiet else f"{_venue(published)} {_year(published)}"
        chosen.append((a["title"], f"https://arxiv.org/pdf/{a['id']}v1", shown,
                       Expected("preprint-quiet" if quiet else "preprint-search", a["title"], published["DOI"].lower(), a["id"])))
        linked |= {a["id"], published["DOI"].lower()}
    plain_dois = [r for d, r in crossref.items() if d not in linked and not (r.get("relation") or {}).get("has-preprint")
                  and _norm(r["title"][0]) not in {_norm(a["title"]) for a in twins}]
    for r in rng.sample(plain_dois, 110):
        url = rng.choice([f"https://doi.org/{r['DOI']}", f"https://dl.acm.org/doi/{r['DOI']}", f"https://dl.acm.org/doi/pdf/{r['DOI']}"])
        chosen.append((_title(r), url, str(_year(r)), Expected("doi", _title(r), r["DOI"].lower(), None)))
    arxiv_only = [a for a in arxiv if not a["doi"] and _norm(a["title"]) not in crossref_titles and a["id"] not in linked]
    picked = rng.sample(arxiv_only, 160)
    for a in picked[:110]:
        url = rng.choice([f"https://arxiv.org/abs/{a['id']}", f"https://arxiv.org/pdf/{a['id']}", f"http://arxiv.org/abs/{a['id']}v2"])
        chosen.append((a["title"], url, a["published"][:4], Expected("arxiv", a["title"], None, a["id"])))
    for a in picked[110:130]:
        chosen.append((a["title"], f"https://doi.org/10.48550/arXiv.{a['id']}", a["published"][:4],
                       Expected("arxiv-doi", a["title"], None, a["id"])))
    wrong_pool = picked[130:160]
    for index, a in enumerate(wrong_pool[:15]):
        other = wrong_pool[15 + index]
        chosen.append((a["title"], f"https://arxiv.org/abs/{other['id']}", a["published"][:4],
                       Expected("wrong-link", a["title"], None, None, flagged=f"arXiv:{other['id']}")))
    for index, r in enumerate(rng.sample(plain_dois, 30)[:15]):
        other = plain_dois[(index * 7919) % len(plain_dois)]
        if other["DOI"] == r["DOI"]:
            continue
        chosen.append((_title(r), f"https://doi.org/{other['DOI']}", str(_year(r)),
                       Expected("wrong-link", _title(r), None, None, flagged=f"doi:{other['DOI'].lower()}")))
    for index in range(10):
        missing_id = f"2512.{99000 + index:05d}"
        title = f"An Unpublished Study of Serving Systems Number {index + 1}"
        chosen.append((title, f"https://arxiv.org/abs/{missing_id}", "2025", Expected("missing", title, None, None, flagged=f"arXiv:{missing_id}")))
        missing_doi = f"10.99999/none.{index + 1}"
        title = f"A Lost Report on Inference Caches Volume {index + 1}"
        chosen.append((title, f"https://doi.org/{missing_doi}", "2024", Expected("missing", title, None, None, flagged=f"doi:{missing_doi}")))
    rng.shuffle(chosen)
    chosen = chosen[:size]
    return _render(chosen, links)


def _render(chosen: list[tuple[str, str, str, Expected]], links: bool) -> tuple[str, dict[int, Expected]]:
    """The list; without `links`, the same entries with every link left out (titles only)."""
    lines = ["# Linked reading list", "", "Made from the evaluation world for `make eval` and `make bench`.", ""]
    expected: dict[int, Expected] = {}
    table: list[tuple[str, str, str, Expected]] = []
    for index, (title, url, shown, want) in enumerate(chosen):
        title = " ".join(title.replace("|", "/").replace("[", "(").replace("]", ")").split())
        shape = index % 4
        if shape == 3:
            table.append((title, url, shown, want))
            continue
        if index % 60 == 0:
            lines += ["", f"## Part {index // 60 + 1}", ""]
        expected[len(lines) + 1] = want
        year = shown.split()[-1]
        linked = f"[{title}]({url})" if links else title
        if shape == 0:
            lines.append(f"- {linked} ({shown})")
        elif shape == 1:
            bold = f"[**{title}.**]({url})" if links else f"**{title}.**"
            lines.append(f"{index + 1}. {bold} _A. Author, B. Author._ {shown if ' ' in shown else 'Preprint ' + shown}.")
        else:
            lines.append(f"- **{title}**  ")
            pdf = f" [[pdf]({url})]," if links else ""
            lines.append(f"  *A. Author, B. Author*.{pdf} {year}.01." + (f" ({shown})" if " " in shown else ""))
    lines += ["", "## In a table", "", "| Title | Paper | Published |", "| --- | --- | --- |"]
    for title, url, shown, want in table:
        expected[len(lines) + 1] = want
        lines.append(f"| {title} | {f'[pdf]({url})' if links else '-'} | {shown} |")
    return "\n".join(lines) + "\n", expected


def check(lock: Path, expected: dict[int, Expected]) -> tuple[dict[str, list[int]], list[str]]:
    """Per category, [right, total]; and a line for every miss."""
    items = {item["line"]: item for item in json.loads(lock.read_text(encoding="utf-8"))["items"]}
    tally: dict[str, list[int]] = {}
    misses: list[str] = []
    for line, want in sorted(expected.items()):
        item = items.get(line)
        counts = tally.setdefault(want.category, [0, 0])
        counts[1] += 1
        if item is None:
            misses.append(f"line {line} ({want.category}): no lock entry")
            continue
        if want.flagged:
            verdicts = {v["identifier"]: v["why"] for v in item.get("given", [])}
            kind, _, value = want.flagged.partition(":")
            written = item["doi"] if kind == "doi" else item["arxiv"]
            ok = want.flagged in verdicts and not verdicts[want.flagged].startswith("given by the list") and written != value
        else:
            ok = (item["doi"] or None) == want.doi and (item["arxiv"] or None) == want.arxiv
        counts[0] += ok
        if not ok:
            misses.append(f"line {line} ({want.category}): got doi={item['doi']} arxiv={item['arxiv']}, "
                          f"want doi={want.doi} arxiv={want.arxiv} flagged={want.flagged or '-'}")
    return tally, misses


def given_ids(expected: dict[int, Expected]) -> int:
    """How many arXiv ids the list's links give (arXiv DOIs included)."""
    return sum(1 for want in expected.values() if want.category in ("arxiv-names-doi", "preprint-search", "arxiv", "arxiv-doi")
               or want.flagged.startswith("arXiv:"))
