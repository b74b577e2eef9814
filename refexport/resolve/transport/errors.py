"""What can go wrong when asking a source, as refexport's own exceptions. Library and transport
exceptions are mapped to these once, in `refexport.resolve.transport.http`; nothing else sees
httpx2's."""

from __future__ import annotations


class SourceError(Exception):
    """A request to a source failed; `source` names it ("crossref", "arxiv")."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class NotFound(SourceError):
    """The source has no such record (404). Never retried."""


class PermanentError(SourceError):
    """The source refused the request itself (a 4xx other than 404 and 429). Never retried."""


class TransientError(SourceError):
    """Worth asking again: 429, 5xx, timeouts, dropped connections, truncated or malformed bodies."""

    def __init__(self, source: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after = retry_after


class SourceUnavailable(SourceError):
    """The source did not answer several times in a row: not asked again in this run."""
