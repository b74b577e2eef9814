"""`make eval`: resolve the real list against the simulated Crossref and arXiv, score the lock
against the development answer key, then do it again with faults injected and check that the
lock comes out the same.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
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
    same = (scratch / "clean.lock").read_bytes() == (scratch / "faults.lock").read_bytes()
    print(f"Lock with faults {'is identical to' if same else 'DIFFERS from'} the clean lock ({scratch}).")
    linked_right = check_linked(world, scratch)
    if not (same and linked_right):
        sys.exit(1)


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
