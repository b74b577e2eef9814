"""refexport.lock → the JSON lines `score.py` reads: {"line", "doi", "arxiv"} for every item."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(lock_path: str, output: str) -> None:
    items = json.loads(Path(lock_path).read_text(encoding="utf-8"))["items"]
    with open(output, "w", encoding="utf-8") as stream:
        for item in items:
            stream.write(json.dumps({"line": item["line"], "doi": item["doi"], "arxiv": item["arxiv"]}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
