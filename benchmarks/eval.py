"""`make eval`: resolve the real list against the simulated Crossref and arXiv, score the lock
against the development answer key, then do it again with faults injected and check that the
lock comes out the same.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import linked_list
from simworld import require_world, resolution_lines, resolve, simapi

FAULTS = ("--errors", "0.1", "--resets", "0.05", "--truncate", "0.05")


def score(lock: Path, world: Path) -> str:
    lines = Path(tempfile.mkdtemp()) / "resolution.jsonl"
    resolution_lines(lock, lines)
    done = subprocess.run([sys.executable, str(world / "score.py"), str(world / "answer-key-dev.jsonl"), str(lines)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def main() -> None:
    world = require_world()
    scratch = Path(tempfile.mkdtemp(prefix="refexport-eval-"))
    items = sum(1 for line in (Path(__file__).resolve().parent.parent / "reading-list.md").open() if line.lstrip().startswith("- "))
    for label, options, lock in (("clean", (), scratch / "clean.lock"), ("faults " + " ".join(FAULTS), FAULTS, scratch / "faults.lock")):
        with simapi(*options) as server:
            run = resolve(server, keep=lock)
        requests = run.requests.get("requests:crossref", 0) + run.requests.get("requests:arxiv", 0)
        print(f"== {label}: {run.seconds:.1f} s, {requests} requests ({requests / items:.2f} per item), simapi counted {run.requests}")
        print(run.output.rstrip())
        print(score(lock, world))
        if not options:
            print(published_versions(lock, world, run.requests.get("requests:dblp", 0), items))
    same = (scratch / "clean.lock").read_bytes() == (scratch / "faults.lock").read_bytes()
    print(f"Lock with faults {'is identical to' if same else 'DIFFERS from'} the clean lock ({scratch}).")
    linked_right = check_linked(world, scratch)
    if not (same and linked_right):
        sys.exit(1)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()).strip()


def published_versions(lock: Path, world: Path, requests: int, items: int) -> str:
    """Per venue, how many works the stand-in's dblp holds as a publication are written as it, stay
    preprints, or were given a wrong dblp record (another title, a CoRR or workshop record)."""
    records = [json.loads(line) for line in (world / "world" / "dblp.jsonl").open(encoding="utf-8")]
    by_key = {r["key"]: r for r in records}
    held: dict[str, dict] = {}
    for r in records:
        if r["venue"] != "CoRR" and "workshop" not in r["venue"].lower():
            held.setdefault(_norm(r["title"].rstrip(".")), r)
    tally: dict[str, list[int]] = {}
    wrong: list[str] = []
    seen: set[str] = set()
    for item in json.loads(lock.read_text(encoding="utf-8"))["items"]:
        title = _norm(item["record"].get("title", ""))
        if title in seen:
            continue
        seen.add(title)
        key = item["record"].get("custom", {}).get("dblp", "")
        if key and (key not in by_key or _norm(by_key[key]["title"].rstrip(".")) != title or by_key[key]["venue"] == "CoRR"):
            wrong.append(f"line {item['line']}: {key}")
        target = held.get(title) or held.get(_norm(item["seed_title"]))
        if target is None:
            continue
        counts = tally.setdefault(target["venue"], [0, 0, 0])
        # The publication, from dblp or already from Crossref (a DOI of the paper itself).
        as_publication = key == target["key"] or (item["doi"] and item["record"]["type"] != "article")
        counts[0 if as_publication else 1 if item["record"]["type"] == "article" else 2] += 1
    lines = ["== published versions (works the stand-in's dblp holds): written as the publication (dblp's, or Crossref's DOI) / "
             "still preprints / other"]
    total = [sum(c[i] for c in tally.values()) for i in range(3)]
    for venue, (done, preprint, other) in sorted(tally.items(), key=lambda pair: -sum(pair[1])):
        lines.append(f"   {venue:10} {done:3} / {preprint:3} / {other:3}")
    share = total[0] / max(1, sum(total))
    lines.append(f"   all        {total[0]:3} / {total[1]:3} / {total[2]:3}  ({100 * share:.1f}% as the publication); "
                 f"{len(wrong)} wrong dblp records {wrong[:5]}")
    lines.append(f"   dblp: {requests} requests ({requests / items:.2f} per item), pacing floor {requests * 1.0:.0f} s")
    return "\n".join(lines)


def check_linked(world: Path, scratch: Path) -> bool:
    """The linked list made from the world: every category right, clean and with faults."""
    text, expected = linked_list.make(world / "world")
    (scratch / "linked.md").write_text(text, encoding="utf-8")
    right = True
    for label, options in (("clean", ()), ("faults " + " ".join(FAULTS), FAULTS)):
        with simapi(*options) as server:
            run = resolve(server, keep=scratch / f"linked-{label.split()[0]}.lock", text=text)
        tally, misses = linked_list.check(run.lock, expected)
        counts = ", ".join(f"{category} {ok}/{total}" for category, (ok, total) in sorted(tally.items()))
        requests = {key.split(":")[1]: value for key, value in run.requests.items() if key.startswith("requests:")}
        print(f"== linked list ({len(expected)} entries), {label}: {run.seconds:.1f} s, requests {requests}")
        print(f"   {counts}")
        for miss in misses:
            print(f"   MISS {miss}")
        right = right and not misses
    return right and lint_names_bad_links(scratch, expected)


def lint_names_bad_links(scratch: Path, expected: dict[int, linked_list.Expected]) -> bool:
    """`refexport lint` names every planted link to another work or to nothing, with its line."""
    (scratch / "no-overrides").mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "refexport", "lint", "--list", str(scratch / "linked.md"),
                           "--lock", str(scratch / "linked-clean.lock"), "--overrides", str(scratch / "no-overrides")],
                          capture_output=True, text=True)
    named = {int(line.split(":")[1]) for line in done.stdout.splitlines()
             if ": link to another work:" in line or ": identifier not found:" in line}
    planted = {line for line, want in expected.items() if want.category in ("wrong-link", "missing")}
    print(f"== lint names {len(planted & named)}/{len(planted)} planted bad links; {len(named - planted)} others named")
    return planted <= named


if __name__ == "__main__":
    main()
