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
RESERVED_STEMS = frozenset({"all", "report", "changes", "readme", "index"})
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
    return bool(write_all({path: content}))


def write_all(contents: Mapping[Path, str | bytes]) -> list[Path]:
    """Write several files all or nothing: each changed one goes to a temporary file beside it
    first, and only when every one is written are they renamed into place (a full disk leaves
    every old file as it was, and no temporary file behind). A symbolic link is replaced, never
    written through. Returns the paths whose content changed."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in contents.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            if temporary := _stage(path, data):
                staged.append((temporary, path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException as error:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise
        failed = getattr(error, "filename", None) or (staged[-1][1] if staged else next(iter(contents), ""))
        raise OutputError(f"cannot write ({error.strerror or error}); nothing was changed", path=str(failed)) from error
    return [path for _, path in staged]


def _stage(path: Path, data: bytes) -> str | None:
    """A temporary file beside `path` holding `data`, or None when `path` already holds it."""
    try:
        if not path.is_symlink() and path.read_bytes() == data:
            return None
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
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _existing_mode(path: Path) -> int:
    try:
        return path.lstat().st_mode & 0o777 if not path.is_symlink() else 0o666 & ~_umask()
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each `name → text` into `directory`, all or nothing; returns the files whose content
    changed. Every text is rendered before the first write."""
    root = directory.resolve()
    targets: dict[Path, str | bytes] = {}
    for name, text in files.items():
        if Path(name).name != name or name in ("", ".", ".."):
            raise OutputError(f"refusing to write outside the folder: {name!r}", path=str(root))
        targets[root / name] = text
    return write_all(targets)
