"""What a user can get wrong, as one family of exceptions.

Every expected failure (a list, override or lock that cannot be read, an item that names
nothing, an output folder that cannot be written, a bad release version) is a `RefexportError`
that names the file and, where there is one, the line. The command line turns it into one line
and exit status 2; nothing a user can cause ends in a traceback. Failures of a source are not
here: they are data (`refexport.resolve.transport.errors`) and land in the report.
"""

from __future__ import annotations


class RefexportError(Exception):
    """An expected failure, said in one line: `path:line: message`, `path: message` or `message`."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}: " if path and line is not None else f"{path}: " if path else ""
        super().__init__(where + message)


class InputError(RefexportError):
    """A reading list that cannot be built from."""


class OverrideError(RefexportError):
    """A problem in an override file, at the place it is at."""


class LockError(RefexportError):
    """A lock file that is not a refexport lock, or holds a malformed item."""


class IdentifierError(RefexportError):
    """Text that is not the identifier (DOI, arXiv id) it was given as."""


class ItemError(RefexportError):
    """An ITEM for pin, reject or skip that does not name exactly one item."""


class OutputError(RefexportError):
    """An output (a file of out/, the lock, an archive) that cannot be written."""


class ReleaseError(RefexportError):
    """A release that cannot be made (nothing built, a bad version)."""
