"""Bounds benchmark (`make bench`): what a hostile answer or input costs, as a ratio to its cap.

1. A 1 GB answer (sent plain, without a length) and a gzip bomb that decodes to 1 GB: the peak
   memory of a fetch, less the bare interpreter's with refexport imported, against the 32 MiB
   answer cap. Target: about 1x (the answer is cut at the cap), never the answer's size.
2. A server that sends a byte a second: the time until the source is given up, against three
   times `--timeout` (three answers cut at the timeout). Target: 1x.
3. A 2 MB table of 10,000 columns: the reader's peak memory against the table's size.
Each fetch runs in its own process, so its peak memory is its own.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GIB = 2**30
MIB = 2**20
TIMEOUT = 3.0


def _bomb() -> bytes:
    """gzip of 1 GiB of zeros (about 1 MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"0" * MIB
    return b"".join([*(packer.compress(block) for _ in range(GIB // MIB)), packer.flush()])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bomb = b""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        try:
            if self.path.startswith("/gzip"):
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(self.bomb)))
                self.end_headers()
                self.wfile.write(self.bomb)
                return
            self.end_headers()
            chunk, pause = (b"x", 1.0) if self.path.startswith("/drip") else (b"x" * 65536, 0.0)
            for _ in range(GIB // len(chunk)):
                if pause:
                    time.sleep(pause)
                self.wfile.write(chunk)
        except OSError:
            return  # refexport hung up: what the bounds are for


_FETCH = """
import sys, time, resource
from refexport.resolve.transport.cache import ResponseCache
from refexport.resolve.transport.errors import SourceError
from refexport.resolve.transport.http import Fetcher, Statistics
from refexport.resolve.transport.pacing import Limits, Pacer
fetcher = Fetcher("crossref", sys.argv[1], Pacer(Limits(100, 1.0, 4)), ResponseCache(None), Statistics(), timeout={timeout})
started = time.monotonic()
outcome = "read"
for _ in range(3 if sys.argv[2] == "drip" else 1):
    try:
        fetcher.get("/" + sys.argv[2], {{}}, str)
    except SourceError as error:
        outcome = str(error)
print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome)
"""


def _fetch(url: str, path: str) -> tuple[float, float, str]:
    done = subprocess.run([sys.executable, "-c", _FETCH.format(timeout=TIMEOUT), url, path], capture_output=True, text=True, check=True)
    seconds, peak, outcome = done.stdout.split(" ", 2)
    return float(seconds), float(peak), outcome.strip()


def _baseline_peak() -> float:
    code = "import resource; import refexport.resolve.transport.http; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def wide_table(base: float) -> None:
    columns = 10000
    header = "|" + "|".join(f"c{n}" for n in range(columns)) + "|"
    rows = [header, "|" + "|".join("---" for _ in range(columns)) + "|"]
    rows += ["|" + "|".join([f"A paper title number {r}", *("v" * (columns - 1))]) + "|" for r in range(100)]
    text = "# Table\n\n" + "\n".join(rows) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.md"
        path.write_text(text)
        code = ("import resource, sys; from refexport.app import read_list; read_list(__import__('pathlib').Path(sys.argv[1]));"
                " print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
        peak = float(subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout)
    size = len(text.encode()) / MIB
    print(f"3. A {size:.1f} MiB table of {columns:,} columns: reader peak {peak:.0f} MiB, {peak - base:.0f} MiB over the interpreter "
          f"({(peak - base) / size:.1f}x the table's size)")


def main() -> None:
    _Handler.bomb = _bomb()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    base = _baseline_peak()
    cap = 32
    print(f"Bounds (interpreter with refexport's transport imported: {base:.0f} MiB peak; answer cap {cap} MiB, timeout {TIMEOUT:g} s)")
    for label, path in (("1. a 1 GiB answer, plain", "endless"), ("1. a gzip bomb of 1 GiB", "gzip")):
        seconds, peak, outcome = _fetch(url, path)
        print(f"   {label:<28} peak {peak:5.0f} MiB: {(peak - base) / cap:4.2f}x the cap over the interpreter, in {seconds:.1f} s ({outcome[:70]})")
    seconds, peak, outcome = _fetch(url, "drip")
    print(f"2. a server dripping a byte a second: given up in {seconds:.1f} s, {seconds / (3 * TIMEOUT):.2f}x three timeouts ({outcome[:70]})")
    server.shutdown()
    wide_table(base)


if __name__ == "__main__":
    main()
