"""Build benchmark: `make bench`. Figures are printed next to a baseline measured in the same run.

1. Start-up: `refexport build` of the real list from a complete lock, against the bare
   interpreter (`python -c pass`). Target: adds under 0.5 s.
2. Scale: synthetic lists of 2,500 / 5,000 / 10,000 / 20,000 items (complete locks), wall time
   and peak memory, each against the 2,500-item run scaled linearly. Target: 20,000 items in
   under 10 s and 500 MB, and time growing linearly.
3. Reading: a 1 MB list of every shape (the project's own fixtures, repeated) and the real list,
   against markdown-it-py's bare parse of the same text. Target: 1 MB in under 1 s. With
   ../shared/eval, a build of the largest development list from an empty lock (target: < 2 s).
5. Worst cases: 20,000 works whose keys collide, and a 1 MB title through every writer, each
   against a run a tenth that size (1.0x is linear). Target: seconds, not minutes.
(4, the linked list, is in bench_resolve.py.)
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markdown_it import MarkdownIt

from refexport.app import read_list
from refexport.assemble import assemble
from refexport.join import join
from refexport.lock import EMPTY, dump_lock, rows_of
from refexport.model import Decision, Entry, Name, Record, Status
from refexport.readinglist import parse_reading_list

ROOT = Path(__file__).resolve().parent.parent
_MEASURE = (
    "import resource, runpy, sys, time; start = time.perf_counter(); sys.argv = sys.argv[1:];"
    " code = 0\ntry:\n runpy.run_module(sys.argv[0], run_name='__main__')\nexcept SystemExit as e:\n code = e.code or 0\n"
    "print('BENCH', time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)"
)
WORDS = ("efficient serving inference large language model memory attention cache speculative decoding "
         "parallel distributed training quantization sparse kernel scheduling throughput latency GPU LLM "
         "transformer batching pipeline prefill offloading compression accelerator system").split()
VENUES = ["arXiv", "Proc.~USENIX OSDI", "ICML", "Advances in Neural Information Processing Systems", "Github", "None"]


def complete_lock(list_path: Path) -> str:
    """A lock in which every item is resolved, with made-up but realistic metadata."""
    rng = random.Random(7)
    bibliography = assemble(join(read_list(list_path), EMPTY, []))
    entries = []
    for entry in bibliography.entries:
        record = Record(
            type="paper-conference",
            title=entry.item.title,
            authors=tuple(Name(rng.choice(["Kwon", "Müller", "Łukasiewicz", "Zhang", "O'Neil"]), "A. B.") for _ in range(rng.randint(1, 12))),
            year=entry.item.year or 2023,
            container_title="Proceedings of the Symposium on Systems & Machine Learning",
            publisher="ACM",
            page="1-12",
            doi=f"10.1145/{entry.item.line}.{rng.randint(1000, 9999)}",
            arxiv=f"23{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}",
        )
        entries.append(Entry(entry.item, Decision(status=Status.RESOLVED, record=record, source="crossref", confidence=0.99, reasons=("bench",)), entry.key))
    return dump_lock(rows_of(entries))


def synthetic_list(items: int) -> str:
    rng = random.Random(items)
    lines = ["# Synthetic reading list", ""]
    for index in range(items):
        if index % 250 == 0:
            lines += ["", f"## Section {index // 250} $\\{{$Serving$\\}}$", ""]
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
        lines.append(f"- {title} {index}[{rng.choice(VENUES)}][{rng.randint(2015, 2025)}]")
    return "\n".join(lines) + "\n"


def run(arguments: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one run in a fresh interpreter, as it measures itself."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *arguments], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    line = next(text for text in result.stderr.splitlines() if text.startswith("BENCH"))
    _, _, peak_kib, code = line.split()
    if code != "0":
        raise SystemExit(f"run failed ({code}): {result.stderr[-2000:]}")
    return wall, int(peak_kib) / 1024


def best_of(count: int, command: list[str], cwd: Path) -> tuple[float, float]:
    runs = [run(command, cwd) for _ in range(count)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "reading-list.md").write_text((ROOT / "reading-list.md").read_text(encoding="utf-8"), encoding="utf-8")
        (work / "refexport.lock").write_text(complete_lock(work / "reading-list.md"), encoding="utf-8")
        (work / "overrides").symlink_to(ROOT / "overrides")
        bare = statistics.median(_time([sys.executable, "-c", "pass"]) for _ in range(5))
        build_args = ["refexport", "build", "--list", "reading-list.md", "--out", "out"]
        real, real_peak = best_of(5, build_args, work)
        print("1. Build of the real list (376 items) from a complete lock")
        print(f"   bare interpreter start-up      {bare:7.3f} s   (baseline)")
        print(f"   refexport build                {real:7.3f} s   = baseline + {real - bare:.3f} s (target: + < 0.5 s)  peak {real_peak:.0f} MiB")

        print("2. Synthetic lists from complete locks")
        print(f"   {'items':>6} {'seconds':>8} {'per 1k':>7} {'vs linear':>9} {'peak MiB':>9}")
        baseline_per_item = None
        for items in (2_500, 5_000, 10_000, 20_000):
            folder = work / f"n{items}"
            folder.mkdir()
            (folder / "reading-list.md").write_text(synthetic_list(items), encoding="utf-8")
            (folder / "refexport.lock").write_text(complete_lock(folder / "reading-list.md"), encoding="utf-8")
            seconds, peak = best_of(2, build_args, folder)
            baseline_per_item = baseline_per_item or seconds / items
            ratio = seconds / (baseline_per_item * items)
            print(f"   {items:>6} {seconds:8.2f} {1000 * seconds / items:7.3f} {ratio:8.2f}x {peak:9.0f}")
        print("   (vs linear: time divided by the 2,500-item time scaled to the same size; 1.00x is linear.")
        print("    Targets at 20,000 items: under 10 s and under 500 MiB.)")
        reading(work, build_args)
        worst_cases()


def worst_cases() -> None:
    from refexport.keys import assign_keys
    from refexport.model import Work
    from refexport.writers import BIBTEX, CSLJSON, RIS

    print("5. Worst cases (best of 3)")
    record = Record(type="article", title="The same title", year=2020)
    small = _best_seconds(lambda: assign_keys(((("title", str(n)), record) for n in range(2_000)), {}))
    large = _best_seconds(lambda: assign_keys(((("title", str(n)), record) for n in range(20_000)), {}))
    print(f"   20,000 colliding keys          {large:7.3f} s   ({large / (10 * small):.2f}x linear from 2,000)")
    phrase = "Müller’s naïve café {x} & 100% of C++ "
    for writer in (BIBTEX, CSLJSON, RIS):
        def render(size: int, writer: object = writer) -> None:
            title = (phrase * (size // len(phrase) + 1))[:size]
            writer.file([Work(key="k", record=Record(type="article", title=title), sections=("S",))])  # type: ignore[attr-defined]
        small = _best_seconds(lambda render=render: render(100_000))
        large = _best_seconds(lambda render=render: render(1_000_000))
        print(f"   a 1 MB title, {writer.suffix:5}           {large:7.3f} s   ({large / (10 * small):.2f}x linear from 100 KB)")


def _best_seconds(function: object, count: int = 3) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def _megabyte(paths: list[Path]) -> str:
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    return (text * (1_000_000 // len(text) + 1))[:1_000_000]


def reading(work: Path, build_args: list[str]) -> None:
    lists = ROOT.parent / "shared" / "eval" / "lists"
    development = sorted(p for p in lists.glob("*.md") if p.name != "README.md")
    texts = [("dense shapes (fixtures), 1 MB", _megabyte(sorted((ROOT / "tests" / "data" / "shapes").glob("*.md"))))]
    if development:
        texts.append(("development lists, 1 MB", _megabyte(development)))
    texts.append(("the real list (376 items)", (ROOT / "reading-list.md").read_text(encoding="utf-8")))
    bare = MarkdownIt("commonmark").enable("table")
    print("3. Reading lists (best of 3)")
    print(f"   {'list':<32} {'markdown-it alone':>17} {'refexport reader':>17} {'ratio':>6}")
    for label, text in texts:
        floor = _best_seconds(lambda text=text: bare.parse(text))
        ours = _best_seconds(lambda text=text: parse_reading_list(text))
        print(f"   {label:<32} {floor:15.3f} s {ours:15.3f} s {ours / floor:5.1f}x")
    print("   (target: 1 MB read in under 1 s)")
    if not development:
        print(f"   ({lists} is absent: the development lists are not built)")
        return
    largest = max(development, key=lambda p: p.stat().st_size)
    folder = work / "largest"
    folder.mkdir()
    (folder / "reading-list.md").write_text(largest.read_text(encoding="utf-8"), encoding="utf-8")
    seconds, peak = best_of(3, build_args, folder)
    bare_start = statistics.median(_time([sys.executable, "-c", "pass"]) for _ in range(3))
    print(f"   build of {largest.stem} ({largest.stat().st_size // 1024} KiB) from an empty lock: {seconds:.2f} s"
          f" = start-up {bare_start:.2f} s + {seconds - bare_start:.2f} s, peak {peak:.0f} MiB (target: < 2 s)")


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
