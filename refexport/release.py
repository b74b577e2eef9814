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
from .jsonio import loads
from .output import write_atomically

#: What a release carries besides the files the build lists in report.json.
DOCUMENTS = ("index.html", "report.md", "CHANGES.md")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
#: A version is part of the archives' file and folder names: a plain, short name fragment.
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


def release_files(out_dir: Path) -> list[Path]:
    """The files the last build wrote (its report.json names them), the reports and CHANGES.md:
    never a stale file that happens to lie in the folder."""
    if not out_dir.is_dir():
        raise ReleaseError("no such folder: run `refexport build` first", path=str(out_dir))
    try:
        report = loads((out_dir / "report.json").read_text(encoding="utf-8"))
        names = [name for group in report["files"] for name in group["names"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError("holds no build's report.json: run `refexport build` first", path=str(out_dir)) from error
    files = [out_dir / name for name in sorted(set(names)) if Path(name).name == name and (out_dir / name).is_file()]
    files += [out_dir / name for name in DOCUMENTS if (out_dir / name).is_file()]
    if not any(p.suffix == ".bib" for p in files):
        raise ReleaseError("holds no bibliography: run `refexport build` first", path=str(out_dir))
    return files


def checksums(files: list[Path]) -> str:
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)


def default_version(today: datetime.date | None = None) -> str:
    return (today or datetime.datetime.now(datetime.UTC).date()).strftime("%Y.%m.%d")


def make_release(out_dir: Path, dist_dir: Path, name: str, version: str) -> list[Path]:
    """Write the two archives; returns their paths."""
    if not _VERSION.match(version) or ".." in version:
        raise ReleaseError(f"version {version[:80]!r} must be letters, digits and . _ + - only (at most 64)")
    files = release_files(out_dir)
    stem = f"{name}-{version}"
    members = [(f"{stem}/{p.name}", p.read_bytes()) for p in files]
    members.append((f"{stem}/SHA256SUMS", checksums(files).encode()))

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
    return written
