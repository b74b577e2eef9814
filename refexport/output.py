"""Where outputs go and how they land: safe file names, atomic writes, nothing outside the folder."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import OutputError
from .text import fold

#: Stems the build writes itself; a section with one of these names gets a suffix.
RESERVED_STEMS = frozenset({"all", "report", "changes", "readme"})
_MAX_STEM = 80


def section_slugs(titles: Iterable[str]) -> dict[str, str]:
    """A distinct, safe file stem for each section title: `LLM Inference/Serving` → `llm-inference-serving`.

    Only ASCII letters, digits and single dashes: no dots, slashes or anything a shell or an
    archive treats specially, so `../x` becomes `x`.
    """
    slugs: dict[str, str] = {}
    used = set(RESERVED_STEMS)
    for title in titles:
        if title in slugs:
            continue
        stem = re.sub(r"[^a-z0-9]+", "-", fold(title).lower()).strip("-")[:_MAX_STEM].strip("-") or "section"
        slug, number = stem, 2
        while slug in used:
            slug, number = f"{stem}-{number}", number + 1
        used.add(slug)
        slugs[title] = slug
    return slugs


def write_atomically(path: Path, content: str | bytes) -> bool:
    """Write `content` (text as UTF-8) to `path` through a temporary file and a rename; False
    when the file already holds exactly that. Raises `OutputError` when it cannot be written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        return _replace(path, data)
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", path=str(path)) from error


def _replace(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private; the result should have the mode a plain write gives.
        os.chmod(temporary, _existing_mode(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _existing_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_outputs(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each `name → text` into `directory`; returns the files whose content changed.

    Every text is rendered before the first write, so a failure leaves the old files whole.
    """
    root = directory.resolve()
    targets = {}
    for name, text in files.items():
        target = (root / name).resolve()
        if target.parent != root:
            raise OutputError(f"refusing to write outside the folder: {name!r}", path=str(root))
        targets[target] = text
    return [target for target, text in targets.items() if write_atomically(target, text)]
