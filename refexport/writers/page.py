"""The bibliography pages people open: `all.html` with a heading per section, a page per section,
and the index with each section's downloads. One self-contained file each (its style and script
inline: it works from `file://`, makes no request, needs no build step).

On every page: a search box that filters as you type (every word, anywhere in an entry), filters
by year, venue and type, a count of what is shown, author lists shortened after three names
("et al.", the rest on demand), and a button per entry that copies its BibTeX. `?q=words` in the
address fills the search box, so a filtered page can be linked to.

Pure: no network, no filesystem.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Record
from .readable import Readable, name_list

#: Names shown before "et al.".
SHOWN_AUTHORS = 3
_TAG = re.compile(r"<[^>]*>")
_YEAR_AT_END = re.compile(r"\s*(?:'?\d{2}|\d{4})$")
_TYPES = {"paper-conference": "Conference paper", "article-journal": "Journal article", "article": "Preprint", "software": "Software",
          "webpage": "Web page", "post-weblog": "Blog post", "post": "Post",
          "book": "Book", "chapter": "Chapter", "thesis": "Thesis", "report": "Report", "dataset": "Dataset"}


@dataclass(frozen=True)
class PageWork:
    """One work as a page shows it."""

    readable: Readable
    bibtex: str
    record: Record
    unresolved: bool


def venue_label(record: Record) -> str:
    """The venue a reader filters by: the event's short name without its year, else the journal or
    proceedings, else arXiv for a preprint."""
    if record.event_title:  # "SOSP '23: 29th Symposium on Operating Systems Principles" → SOSP
        return _YEAR_AT_END.sub("", record.event_title.split(":")[0]).strip()
    if record.container_title:
        return record.container_title
    return "arXiv" if record.is_preprint else ""


def type_label(record: Record) -> str:
    if record.type == "article" and not record.is_preprint:
        return "Article"
    return _TYPES.get(record.type, record.type.replace("-", " ").capitalize())


def _shortened(work: PageWork) -> str:
    """The typeset entry, its author list cut after `SHOWN_AUTHORS` names with the rest on demand."""
    authors = work.record.authors
    typeset = work.readable.html
    full = html.escape(name_list(authors))
    if len(authors) <= SHOWN_AUTHORS + 1 or not typeset.startswith(full):
        return typeset
    first = ", ".join(name_list([name]) for name in authors[:SHOWN_AUTHORS])  # "A, B, C" begins "A, B, C, D, and E"
    shown, rest = html.escape(first), html.escape(name_list(authors)[len(first):])
    return (f'{shown}<span class="more" hidden>{rest}</span> <button type="button" class="etal" aria-expanded="false" '
            f'aria-label="show all {len(authors)} authors">et al.</button>{typeset[len(full):]}')


def _item(work: PageWork, with_id: bool) -> str:
    record = work.record
    searchable = f"{html.unescape(_TAG.sub(' ', work.readable.html))} {work.readable.key}".lower()
    attributes = {
        "id": work.readable.key if with_id else "",
        "class": "work unresolved" if work.unresolved else "work",
        "data-year": str(record.year or ""),
        "data-venue": venue_label(record),
        "data-type": type_label(record),
        "data-search": " ".join(searchable.split()),
    }
    shown = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items() if value or name.startswith("data-"))
    return (f"<li {shown}><p>{_shortened(work)}</p>"
            f'<button type="button" class="copy">Copy BibTeX</button><pre class="bib" hidden>{html.escape(work.bibtex.strip())}</pre></li>')


def _options(label: str, name: str, values: Counter[str], *, newest_first: bool = False) -> str:
    ordered = sorted(values, reverse=True) if newest_first else sorted(values, key=lambda value: (-values[value], value.lower()))
    options = "".join(f'<option value="{html.escape(value)}">{html.escape(_clipped(value))} ({values[value]})</option>' for value in ordered if value)
    return f'<label>{label} <select id="{name}"><option value="">All</option>{options}</select></label>'


def _clipped(text: str, width: int = 48) -> str:
    """A filter's option as shown: a long proceedings title would widen the box past a phone's screen."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _count(number: int) -> str:
    return f"{number} work{'s' if number != 1 else ''}"


def bibliography_page(heading: str, sections: Sequence[tuple[str, Sequence[PageWork]]]) -> str:
    """A page of one or more sections (a section without a label is shown without a heading)."""
    every = [work for _, works in sections for work in works]
    seen: set[str] = set()
    groups = []
    for label, works in sections:
        items = []
        for work in works:
            items.append(_item(work, work.readable.key not in seen))
            seen.add(work.readable.key)
        title = (f'<h2>{html.escape(label)} <span class="count">{len(works)}</span></h2>\n' if label else "")
        groups.append(f'<section class="group">\n{title}<ol>\n' + "\n".join(items) + "\n</ol>\n</section>")
    years = Counter(str(work.record.year) for work in every if work.record.year)
    venues = Counter(venue_label(work.record) for work in every)
    types = Counter(type_label(work.record) for work in every)
    escaped = html.escape(heading)
    summary = _count(len(seen)) + (f" in {len(sections)} sections" if len(sections) > 1 else "")
    body = (
        f'<nav><a href="index.html">All sections and downloads</a></nav>\n<header>\n<h1>{escaped}</h1>\n<p>{summary}</p>\n'
        '<form class="filters" role="search" onsubmit="return false">\n'
        '<label class="search">Search <input id="q" type="search" autocomplete="off" placeholder="words from a title, author or venue"></label>\n'
        f'{_options("Year", "year", years, newest_first=True)}\n{_options("Venue", "venue", venues)}\n{_options("Type", "type", types)}\n'
        f'<p id="shown" aria-live="polite">{len(every)} of {len(every)} entries shown</p>\n</form>\n</header>\n<main>\n'
        + "\n".join(groups) + "\n</main>"
    )
    return _DOCUMENT.format(title=escaped, style=_STYLE, body=body, script=_SCRIPT)


def index_page(heading: str, groups: Sequence[tuple[str, str, int]], formats: Mapping[str, str]) -> str:
    """The index: for each page (label, file stem, number of works), its link and its downloads
    (`formats`: suffix → what it is for)."""
    rows = []
    for label, stem, works in groups:
        downloads = " · ".join(f'<a href="{html.escape(stem + suffix)}" download title="{html.escape(what)}">{html.escape(suffix[1:])}</a>'
                               for suffix, what in formats.items())
        rows.append(f'<tr><th scope="row"><a href="{html.escape(stem)}.html">{html.escape(label)}</a></th><td>{works}</td><td>{downloads}</td></tr>')
    escaped = html.escape(heading)
    body = (f"<h1>{escaped}</h1>\n<table>\n<caption>Each section's page, and its files to download</caption>\n"
            '<thead><tr><th scope="col">Section</th><th scope="col">Works</th><th scope="col">Download</th></tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")
    return _DOCUMENT.format(title=escaped, style=_STYLE, body=body, script="")


_DOCUMENT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{style}</head>
<body>
{body}
{script}</body>
</html>
"""

_STYLE = """<style>
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5; }
a { color: #0b57a4; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 1rem 0; }
.filters label { display: flex; flex-direction: column; font-size: 0.9rem; min-width: 0; max-width: 100%; }
.filters .search { flex: 1 1 16rem; }
.filters input, .filters select { font: inherit; padding: 0.3rem; border: 1px solid #767676; border-radius: 4px; max-width: 100%; }
.filters select { max-width: min(22rem, 100%); }
#shown { margin: 0; flex-basis: 100%; font-size: 0.9rem; }
h2 .count { font-size: 0.9rem; font-weight: normal; color: #4d4d4d; }
h2 .count::before { content: "("; } h2 .count::after { content: ")"; }
li.work { margin-bottom: 0.8rem; } li.work p { margin: 0 0 0.2rem; }
.unresolved { color: #8a4b00; }
button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.5rem; border: 1px solid #767676; border-radius: 4px;
  background: #f4f4f4; color: #1a1a1a; cursor: pointer; }
button.etal { border: none; background: none; color: #0b57a4; padding: 0; font-size: inherit; text-decoration: underline; }
pre.bib { white-space: pre-wrap; background: #f4f4f4; padding: 0.5rem; font-size: 0.8rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; }
caption { text-align: left; color: #4d4d4d; padding-bottom: 0.5rem; }
</style>
"""

_SCRIPT = """<script>
(function () {
  var box = document.getElementById("q"), year = document.getElementById("year"), venue = document.getElementById("venue"),
      kind = document.getElementById("type"), shown = document.getElementById("shown");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.work"));
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), count = 0;
    items.forEach(function (item) {
      var d = item.dataset;
      var ok = words.every(function (w) { return d.search.indexOf(w) >= 0; }) && (!year.value || d.year === year.value)
        && (!venue.value || d.venue === venue.value) && (!kind.value || d.type === kind.value);
      item.hidden = !ok;
      if (ok) { count += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.group"), function (group) {
      var visible = group.querySelectorAll("li.work:not([hidden])").length, label = group.querySelector(".count");
      group.hidden = visible === 0;
      if (label) { label.textContent = visible; }
    });
    shown.textContent = count + " of " + items.length + " entries shown";
  }
  [box, year, venue, kind].forEach(function (control) { control.addEventListener("input", apply); control.addEventListener("change", apply); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.classList.contains("etal")) {
      var more = button.previousElementSibling, open = more.hidden;
      more.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "fewer" : "et al.";
    } else if (button.classList.contains("copy")) {
      var bib = button.nextElementSibling;
      var done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy BibTeX"; }, 1500);
      };
      var select = function () {
        bib.hidden = false;
        var range = document.createRange(); range.selectNodeContents(bib);
        var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
        try { if (document.execCommand("copy")) { done(); } } catch (error) { /* shown and selected: copy by hand */ }
      };
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(bib.textContent).then(done, select); } else { select(); }
    }
  });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { box.value = asked; box.dispatchEvent(new Event("input")); }
})();
</script>
"""
