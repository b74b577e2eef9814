"""The build report: a summary, every problem with its line, and what was decided for each item.

`report.md` is for people, `report.json` for programs; both say the same.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .assemble import Bibliography
from .model import Diagnostic, ReadingList, Status


@dataclass(frozen=True)
class Summary:
    items: int
    works: int
    sections: int
    statuses: dict[str, int]
    warnings: int

    def line(self) -> str:
        counts = ", ".join(f"{self.statuses[status.value]} {status.value}" for status in Status)
        return (
            f"{plural(self.items, 'item')} ({plural(self.works, 'distinct work')}) in "
            f"{plural(self.sections, 'section')}: {counts}; {plural(self.warnings, 'warning')}"
        )


def plural(number: int, noun: str, one: str = "", many: str = "s") -> str:
    return f"{number} {noun}{one if number == 1 else many}"


def summarize(reading_list: ReadingList, bibliography: Bibliography) -> Summary:
    statuses = Counter(entry.decision.status.value for entry in bibliography.entries)
    return Summary(
        items=len(bibliography.entries),
        works=len(bibliography.works),
        sections=len(reading_list.sections),
        statuses={status.value: statuses.get(status.value, 0) for status in Status},
        warnings=sum(1 for d in reading_list.diagnostics if d.level != "note"),
    )


def problems(reading_list: ReadingList, bibliography: Bibliography) -> list[Diagnostic]:
    """Everything a maintainer may want to act on, in line order."""
    found = list(reading_list.diagnostics) + list(bibliography.notes)
    found += [
        Diagnostic(reading_list.path, line, "note", f"heading {title!r} has no items: no files written for it")
        for line, title in reading_list.empty_headings
    ]
    found += [
        Diagnostic(reading_list.path, entry.item.line, "note", f"{entry.key} unresolved: {'; '.join(entry.decision.reasons)}")
        for entry in bibliography.entries
        if entry.decision.status is Status.UNRESOLVED
    ]
    return sorted(found, key=lambda d: (d.line, d.level, d.message))


@dataclass(frozen=True)
class FileSet:
    """One group of output files: a section's, or the whole list's."""

    label: str
    stem: str
    works: int
    names: tuple[str, ...]


def render_report_json(reading_list: ReadingList, bibliography: Bibliography, files: list[FileSet]) -> str:
    summary = summarize(reading_list, bibliography)
    data: dict[str, Any] = {
        "list": reading_list.path,
        "summary": {
            "items": summary.items,
            "works": summary.works,
            "sections": summary.sections,
            "statuses": summary.statuses,
            "warnings": summary.warnings,
        },
        "files": [{"label": f.label, "works": f.works, "names": list(f.names)} for f in files],
        "problems": [
            {"line": d.line, "level": d.level, "message": d.message} for d in problems(reading_list, bibliography)
        ],
        "items": [
            {
                "line": entry.item.line,
                "section": entry.item.section,
                "key": entry.key,
                "status": entry.decision.status.value,
                "doi": entry.decision.record.doi or None,
                "arxiv": entry.decision.record.arxiv or None,
                "source": entry.decision.source,
                "reasons": list(entry.decision.reasons),
            }
            for entry in bibliography.entries
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_report_md(reading_list: ReadingList, bibliography: Bibliography, files: list[FileSet]) -> str:
    summary = summarize(reading_list, bibliography)
    out = [f"# refexport report for {_cell(reading_list.path)}", "", summary.line() + ".", "", "## Files", ""]
    out += ["| section | works | files |", "| --- | --- | --- |"]
    out += [f"| {_cell(f.label)} | {f.works} | {', '.join(f.names)} |" for f in files]
    found = problems(reading_list, bibliography)
    out += ["", f"## Problems ({len(found)})", ""]
    if found:
        out += ["| line | level | message |", "| --- | --- | --- |"]
        out += [f"| {d.line} | {d.level} | {_cell(d.message)} |" for d in found]
    else:
        out.append("None.")
    settled = [e for e in bibliography.entries if e.decision.status in (Status.OVERRIDE, Status.SKIPPED)]
    out += ["", f"## Overridden and skipped items ({len(settled)})", ""]
    if settled:
        out += ["| line | key | status | why |", "| --- | --- | --- | --- |"]
        out += [
            f"| {e.item.line} | {e.key} | {e.decision.status.value} | {_cell('; '.join(e.decision.reasons))} |"
            for e in settled
        ]
    else:
        out.append("None.")
    return "\n".join(out) + "\n"
