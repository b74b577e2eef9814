"""Reading a file as what it is: a regular file, never through a symbolic link, never past a size.

A FIFO given as the lock would hang a build, a link committed as `out/CHANGES.md` → `../.git/config`
would ship the checkout's credentials, a 500 MB lock would take gigabytes: each is refused here
with a reason the caller turns into its own one-line error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MIB = 2**20


class NotRegular(OSError):
    """Not a file refexport reads: a link, a FIFO, a device or a folder, or larger than allowed."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes, opened without following a
    symbolic link (`O_NOFOLLOW`) and without blocking on a FIFO (`O_NONBLOCK`). Raises
    `FileNotFoundError` when there is none, `NotRegular` for anything else."""
    if path.is_symlink():
        raise NotRegular(f"is a symbolic link (to {os.readlink(path)}); refexport reads only regular files")
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", -1):
            raise NotRegular("is a symbolic link; refexport reads only regular files") from error
        raise
    with os.fdopen(handle, "rb") as stream:
        found = os.fstat(stream.fileno())
        if not stat.S_ISREG(found.st_mode):
            raise NotRegular(f"is not a regular file (a {_kind(found.st_mode)})")
        if found.st_size > limit:
            raise NotRegular(f"{found.st_size / MIB:.1f} MiB is more than refexport reads ({limit / MIB:.0f} MiB)")
        data = stream.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise NotRegular(f"more than refexport reads ({limit / MIB:.0f} MiB)")
    return data


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"))
    return next((name for test, name in kinds if test(mode)), "special file")


def is_link_or_special(path: Path) -> bool:
    """Whether `path` is there as something other than a regular file or folder (a link above all)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
