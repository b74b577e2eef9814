"""`make eval-lists`: build each real list of ../shared/eval/lists from an empty lock, with no
network, and print the scorer's figures per list and overall (papers found, right titles, ids
kept, venue and year, spurious papers, markup left in titles).

Then the honest estimate for a list nobody has seen: the choice step's tunable numbers (how much
a group's layout is worth, how near the best a candidate must be to vote) are tuned on nine lists
and the tenth is scored with them, for each list in turn (leave one list out).

Then one linked list resolved against the stand-in (simapi.py): every arXiv id the list links
should be kept, the record's title written, and no link flagged as another work because the
reader cut the title wrong.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from simworld import require_world, resolve, simapi

from refexport.assemble import assemble
from refexport.join import join
from refexport.lock import EMPTY
from refexport.reader.layout import DEFAULT, Weights
from refexport.readinglist import parse_reading_list
from refexport.writers import build_files

#: The grid the leave-one-list-out tuning searches.
LAYOUT_BONUS = (0.0, 0.05, 0.15, 0.3, 0.5)
NEAR_BEST = (0.0, 0.05, 0.15)
#: The linked list resolved against the stand-in (nearly all its arXiv ids are in the stand-in's world).
RESOLVED_LIST = "hemingkx__SpeculativeDecodingPapers"


def main() -> None:
    lists = require_world() / "lists"
    scratch = Path(tempfile.mkdtemp(prefix="refexport-lists-"))
    markdowns = [m for m in sorted(lists.glob("*.md")) if m.name != "README.md"]
    for markdown in markdowns:
        out = scratch / f"out-{markdown.stem}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "refexport", "build", "--list", str(markdown), "--out", str(out),
             "--lock", str(scratch / "none.lock"), "--overrides", str(scratch / "no-overrides")],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            sys.exit(f"refexport build failed on {markdown.name}:\n{done.stderr}")
        print(f"{markdown.stem}: built in {time.perf_counter() - started:.2f} s")
    scorer = [sys.executable, str(lists.parent / "score_lists.py"), "--all", str(lists), str(scratch / "out-{name}" / "all.json")]
    print(subprocess.run(scorer, capture_output=True, text=True, check=True).stdout)
    print(f"(outputs in {scratch})")
    leave_one_out(_scorer(lists.parent), markdowns)
    resolved_list(lists, scratch)


def _scorer(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_lists", eval_dir / "score_lists.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _csl_items(markdown: Path, weights: Weights) -> list[dict[str, object]]:
    reading_list = parse_reading_list(markdown.read_text(encoding="utf-8"), markdown.name, weights=weights)
    files = build_files(reading_list, assemble(join(reading_list, EMPTY, []))).files
    items: list[dict[str, object]] = json.loads(files["all.json"])
    return items


def _merit(result: dict[str, int]) -> int:
    """What the tuning maximises: right titles, less non-papers written as papers."""
    return result["right_titles"] - result["spurious_papers"]


def leave_one_out(scorer: ModuleType, markdowns: list[Path]) -> None:
    grid = [replace(DEFAULT, layout_bonus=bonus, near_best=near) for bonus, near in itertools.product(LAYOUT_BONUS, NEAR_BEST)]
    keys = {m.stem: scorer.load_key(m.with_suffix(".jsonl")) for m in markdowns}
    results = {(index, m.stem): scorer.score(keys[m.stem], _csl_items(m, weights)) for index, weights in enumerate(grid) for m in markdowns}
    shipped = next(index for index, weights in enumerate(grid) if weights == DEFAULT)
    names = [m.stem for m in markdowns]
    totals = {"loo": dict.fromkeys(("papers", "papers_found", "right_titles", "non_papers", "spurious_papers"), 0)}
    totals["shipped"] = dict(totals["loo"])
    print("== leave one list out: the choice step's numbers tuned on the other lists, scored on this one")
    for name in names:
        tuned = max(range(len(grid)), key=lambda index: (sum(_merit(results[index, other]) for other in names if other != name), index == shipped))
        for label, index in (("loo", tuned), ("shipped", shipped)):
            for field in totals[label]:
                totals[label][field] += results[index, name][field]
        held, ours = results[tuned, name], results[shipped, name]
        print(f"  {name}: tuned layout_bonus={grid[tuned].layout_bonus} near_best={grid[tuned].near_best}: "
              f"found {_pct(held['papers_found'], held['papers'])}, right titles {_pct(held['right_titles'], held['papers'])} "
              f"(shipped numbers: {_pct(ours['right_titles'], ours['papers'])})")
    merits = [sum(_merit(results[index, name]) for name in names) for index in range(len(grid))]
    print(f"  over the {len(grid)} settings, right titles less spurious papers, all lists: {min(merits)} to {max(merits)} "
          f"(shipped {merits[shipped]})")
    for label, total in totals.items():
        print(f"  TOTAL {label:8} found {_pct(total['papers_found'], total['papers'])}, right titles "
              f"{_pct(total['right_titles'], total['papers'])}, spurious {_pct(total['spurious_papers'], total['non_papers'])}")


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def resolved_list(lists: Path, scratch: Path) -> None:
    """Resolve one linked list against the stand-in and check every linked arXiv id."""
    markdown = lists / f"{RESOLVED_LIST}.md"
    key = {row["line"]: row for row in map(json.loads, (lists / f"{RESOLVED_LIST}.jsonl").read_text().splitlines()) if row["arxiv"]}
    with simapi() as server:
        run = resolve(server, keep=scratch / "resolved.lock", text=markdown.read_text(encoding="utf-8"))
    by_line = {item["line"]: item for item in json.loads(run.lock.read_text(encoding="utf-8"))["items"]}
    kept = titled = flagged = 0
    misses: list[str] = []
    for line, row in sorted(key.items()):
        item = by_line.get(line)
        verdicts = [g for g in (item or {}).get("given", []) if g["identifier"] == f"arXiv:{row['arxiv']}"]
        if item and item["arxiv"] == row["arxiv"]:
            kept += 1
            titled += bool(verdicts and verdicts[0]["accepted"] and item["record"]["title"] == verdicts[0]["title"])
        else:
            misses.append(f"L{line} arXiv:{row['arxiv']}: {verdicts[0]['why'] if verdicts else 'not in the lock'}")
        flagged += any(g["why"].startswith("the list's link points to another work") for g in verdicts)
    print(f"== {RESOLVED_LIST} resolved against the stand-in in {run.seconds:.1f} s: linked arXiv ids kept {_pct(kept, len(key))}, "
          f"the record's title written {_pct(titled, len(key))}, flagged as another work {flagged}")
    for miss in misses[:20]:
        print(f"   MISS {miss}")


if __name__ == "__main__":
    main()
