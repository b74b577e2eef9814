"""`make eval-lists`: build each real list of ../shared/eval/lists from an empty lock, with no
network, and print the scorer's figures per list and overall (papers found, right titles, ids
kept, venue and year, spurious papers, markup left in titles).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simworld import require_world


def main() -> None:
    lists = require_world() / "lists"
    scratch = Path(tempfile.mkdtemp(prefix="refexport-lists-"))
    for markdown in sorted(lists.glob("*.md")):
        if markdown.name == "README.md":
            continue
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


if __name__ == "__main__":
    main()
