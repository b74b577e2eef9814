"""Running refexport against ../shared/eval/simapi.py: shared by `make eval` and `make bench`.

The evaluation world lives outside the project (../shared/eval, or $REFEXPORT_EVAL_DIR); when it
is absent these tools say so and stop.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("REFEXPORT_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def require_world() -> Path:
    if not (EVAL / "simapi.py").is_file():
        sys.exit(f"The evaluation world is not here ({EVAL}/simapi.py is missing); set REFEXPORT_EVAL_DIR.")
    return EVAL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Simapi:
    url: str

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as answer:
            return dict(json.loads(answer.read()))


@contextlib.contextmanager
def simapi(*options: str) -> Iterator[Simapi]:
    """simapi.py on a free loopback port, with its options; stopped on exit."""
    world = require_world()
    port = _free_port()
    command = [sys.executable, str(world / "simapi.py"), "--crossref", str(world / "world" / "crossref.jsonl"),
               "--arxiv", str(world / "world" / "arxiv.jsonl"), "--dblp", str(world / "world" / "dblp.jsonl"),
               "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Simapi(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                server.stats()
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    details = process.stderr.read().decode() if process.stderr else ""
                    raise SystemExit(f"simapi did not start: {details}") from error
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Run:
    lock: Path
    seconds: float
    requests: dict[str, int]  # what simapi counted during the run
    output: str


def resolve(server: Simapi, *options: str, keep: Path | None = None, text: str | None = None) -> Run:
    """A cold `refexport resolve` of the real list (or of `text`, with no overrides) in a scratch
    copy of the project."""
    work = Path(tempfile.mkdtemp(prefix="refexport-sim-"))
    if text is None:
        shutil.copy(ROOT / "reading-list.md", work / "reading-list.md")
        shutil.copytree(ROOT / "overrides", work / "overrides")
    else:
        (work / "reading-list.md").write_text(text, encoding="utf-8")
    environment = dict(os.environ, REFEXPORT_CROSSREF_URL=server.url, REFEXPORT_ARXIV_URL=server.url + "/api/query",
                       REFEXPORT_DOI_URL=server.url + "/doi", REFEXPORT_DBLP_URL=server.url, REFEXPORT_MAILTO="eval@example.org", CI="1")
    before = server.stats()
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "refexport", "resolve", "--no-cache", *options], cwd=work,
                          env=environment, capture_output=True, text=True)
    if done.returncode == 1 and "Incomplete" in done.stdout:
        # A request that failed all its attempts (injected faults) is asked again by the next
        # resolve, as a user would run it: the lock it leaves must be the clean one all the same.
        done = subprocess.run([sys.executable, "-m", "refexport", "resolve", "--no-cache", *options], cwd=work,
                              env=environment, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"refexport resolve failed:\n{done.stdout}{done.stderr}")
    after = server.stats()
    requests = {key: after.get(key, 0) - before.get(key, 0) for key in after}
    lock = keep or work / "refexport.lock"
    if keep:
        shutil.copy(work / "refexport.lock", keep)
    return Run(lock=lock, seconds=seconds, requests=requests, output=done.stdout + done.stderr)


def resolution_lines(lock: Path, target: Path) -> None:
    """The lock as the JSON lines score.py reads: {"line", "doi", "arxiv"} per item."""
    items = json.loads(lock.read_text(encoding="utf-8"))["items"]
    target.write_text("".join(json.dumps({"line": i["line"], "doi": i["doi"], "arxiv": i["arxiv"]}) + "\n" for i in items))
