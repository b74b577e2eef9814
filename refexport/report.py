"""The build report: a summary, every problem with its line, and what was decided for each item.

`report.md` is for people, `report.json` for programs; both say the same.

Pure: no network, no filesystem.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from .escape import code_span, markdown_text
from .jsonio import pretty
from .maintain.review import Finding, Flagged, identifier_line, lint, to_review
from .model import Bibliography, Diagnostic, ReadingList, Status


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


def notes(reading_list: ReadingList) -> list[Diagnostic]:
    """Lines the parser could not read, and headings that make no files, in line order."""
    found = list(reading_list.diagnostics) + [
        Diagnostic(reading_list.path, line, "note", f"heading {title!r} has no items: no files written for it")
        for line, title in reading_list.empty_headings
    ]
    return sorted(found, key=lambda d: (d.line, d.level, d.message))


@dataclass(frozen=True)
class FileSet:
    """One group of output files: a section's, or the whole list's."""

    label: str
    stem: str
    works: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Findings:
    """What the report says beyond the items themselves, worked out once for both renderings."""

    summary: Summary
    notes: list[Diagnostic]
    lint: list[Finding]
    review: list[Flagged]


def findings(reading_list: ReadingList, bibliography: Bibliography) -> Findings:
    return Findings(summarize(reading_list, bibliography), notes(reading_list), lint(reading_list, bibliography),
                    to_review(bibliography))


def render_report_json(reading_list: ReadingList, bibliography: Bibliography, files: list[FileSet], found: Findings) -> str:
    summary = found.summary
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
        "notes": [{"line": d.line, "level": d.level, "message": d.message} for d in found.notes],
        "lint": [asdict(finding) for finding in found.lint],
        "review": [
            {
                "line": each.entry.item.line,
                "key": each.entry.key,
                "status": each.entry.decision.status.value,
                "flags": list(each.flags),
                "searched": list(each.entry.decision.searched),
                "candidates": [c.written() for c in each.entry.decision.candidates],
            }
            for each in found.review
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
                "origins": dict(entry.decision.origins),
                "confidence": entry.decision.confidence,
                "reasons": list(entry.decision.reasons),
            }
            for entry in bibliography.entries
        ],
    }
    return pretty(data) + "\n"


def render_report_md(reading_list: ReadingList, bibliography: Bibliography, files: list[FileSet], found: Findings) -> str:
    summary = found.summary
    out = [f"# refexport report for {markdown_text(reading_list.path)}", "", summary.line() + ".", "", "## Files", ""]
    out += ["| section | works | files |", "| --- | --- | --- |"]
    out += [f"| {markdown_text(f.label)} | {f.works} | {', '.join(f.names)} |" for f in files]

    def table(title: str, header: str, rows: list[str]) -> None:
        out.extend(["", f"## {title} ({len(rows)})", ""])
        if rows:
            out.extend([header, "| " + " | ".join("---" for _ in header.strip("|").split("|")) + " |", *rows])
        else:
            out.append("None.")

    table("Notes", "| line | level | message |", [f"| {d.line} | {d.level} | {markdown_text(d.message)} |" for d in found.notes])
    table("Lint: what to change in the list", "| line | finding | what to change |", [
        f"| {f.line} | {f.kind}: {markdown_text(f.message)} | {markdown_text(f.fix)} |" for f in found.lint
    ])
    flagged = found.review
    out += ["", f"## Review: items to look at ({len(flagged)})", ""]
    out.append("Fix one with `refexport pin ITEM --doi …` / `--arxiv …`, `refexport reject ITEM --doi …` or "
               "`refexport skip ITEM` (ITEM: a line number, key or title fragment).")
    for each in flagged:
        entry = each.entry
        out += ["", f"### line {entry.item.line}: {entry.key} ({entry.decision.status.value})", "",
                code_span(entry.item.raw.strip()), ""]
        out += [f"- {markdown_text(flag)}" for flag in each.flags]
        out += [f"- {markdown_text(identifier_line(entry))}"] if entry.decision.origins else []
        out += [f"- given {markdown_text(c.describe())}" for c in entry.decision.given]
        out += [f"- searched {markdown_text(query)}" for query in entry.decision.searched]
        out += [f"  - {markdown_text(c.describe())}" for c in entry.decision.candidates]
    settled = [e for e in bibliography.entries if e.decision.status in (Status.OVERRIDE, Status.SKIPPED)]
    table("Overridden and skipped items", "| line | key | status | why |", [
        f"| {e.item.line} | {e.key} | {e.decision.status.value} | {markdown_text('; '.join(e.decision.reasons))} |" for e in settled
    ])
    return "\n".join(out) + "\n"
