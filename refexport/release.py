"""Release archives: `dist/<list-name>-<version>.zip` and `.tar.gz` holding the per-section and
whole-list files, `report.md`, `CHANGES.md` and a `SHA256SUMS`. Archives are reproducible: the
same files give the same bytes (sorted members, fixed times and modes).
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import re
import tarfile
import zipfile
from pathlib import Path

from .errors import ReleaseError
from .files import MIB, NotRegular, is_link_or_special, read_regular
from .jsonio import loads
from .output import write_atomically

#: What a release carries besides the files the build lists in report.json.
DOCUMENTS = ("index.html", "report.md", "CHANGES.md")
MAX_MEMBER_BYTES = 1024 * MIB
#: The release notes beside the archives: what CHANGES.md says, read as a packed member.
NOTES = "RELEASE-NOTES.md"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
#: A version is part of the archives' file and folder names: a plain, short name fragment.
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


def release_files(out_dir: Path) -> list[Path]:
    """The files the last build wrote (its report.json names them), the reports and CHANGES.md:
    never a stale file that happens to lie in the folder."""
    if not out_dir.is_dir():
        raise ReleaseError("no such folder: run `refexport build` first", path=str(out_dir))
    try:
        report = loads(_member(out_dir / "report.json").decode("utf-8"))
        names = [name for group in report["files"] for name in group["names"]]
    except ReleaseError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError("holds no build's report.json: run `refexport build` first", path=str(out_dir)) from error
    files = [out_dir / name for name in sorted(set(names)) if Path(name).name == name and _present(out_dir / name)]
    files += [out_dir / name for name in DOCUMENTS if _present(out_dir / name)]
    if not any(p.suffix == ".bib" for p in files):
        raise ReleaseError("holds no bibliography: run `refexport build` first", path=str(out_dir))
    return files


def _present(path: Path) -> bool:
    """Whether `path` is there to pack: a link or a FIFO in its place is an error, not a skip."""
    return path.is_file() or is_link_or_special(path)


def _member(path: Path) -> bytes:
    """A file to pack: only a regular file the build wrote, never what a link points at."""
    try:
        return read_regular(path, MAX_MEMBER_BYTES)
    except NotRegular as error:
        raise ReleaseError(f"{error}: not packed; remove it and run `refexport build`", path=str(path)) from error


def checksums(members: list[tuple[str, bytes]]) -> str:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {Path(name).name}\n" for name, data in members)


def default_version(today: datetime.date | None = None) -> str:
    return (today or datetime.datetime.now(datetime.UTC).date()).strftime("%Y.%m.%d")


def make_release(out_dir: Path, dist_dir: Path, name: str, version: str) -> list[Path]:
    """Write the two archives; returns their paths."""
    if not _VERSION.match(version) or ".." in version:
        raise ReleaseError(f"version {version[:80]!r} must be letters, digits and . _ + - only (at most 64)")
    files = release_files(out_dir)
    stem = f"{name}-{version}"
    members = [(f"{stem}/{p.name}", _member(p)) for p in files]
    members.append((f"{stem}/SHA256SUMS", checksums(members).encode()))

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

    tarred = io.BytesIO()
    with gzip.GzipFile(fileobj=tarred, mode="wb", mtime=0) as compressed, tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for member, data in members:
            entry = tarfile.TarInfo(member)
            entry.size, entry.mode, entry.mtime = len(data), 0o644, 0
            archive.addfile(entry, io.BytesIO(data))

    written = []
    for suffix, payload in ((".zip", zipped.getvalue()), (".tar.gz", tarred.getvalue())):
        target = dist_dir / f"{stem}{suffix}"
        write_atomically(target, payload)
        written.append(target)
    # The release's notes, from the CHANGES.md packed (checked as a regular file), for the workflow.
    notes = dict(members).get(f"{stem}/CHANGES.md", b"")
    write_atomically(dist_dir / NOTES, notes)
    return written
