"""Web archives (.warc, .warc.gz, as Common Crawl's CC-News): one article per HTML page, by FastWARC.

Records stream one at a time. An HTML response (or resource) goes through
the same path as a saved .html file, with the record's target URI as `url`
and its date as `published` where the page names neither; every other record
(requests, metadata, images, redirects, errors) is passed over and counted.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastwarc.warc import ArchiveIterator, WarcRecordType

from kg.records import Article, Skipped, SourceError
from kg.sources.decoding import decode
from kg.sources.html import article_from_html, declared_charset

SKIPPED_UNIT = "WARC record"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: What _page_kind says of a response whose HTTP head could not be read: an error, not a skip.
_NO_STATUS = "no HTTP status"


def articles_from_warc(path: str, max_chars: int) -> Iterator[Article | SourceError | Skipped]:
    number = 0
    try:
        for record in ArchiveIterator(path, parse_http=True, auto_decode="all", fsspec_args=False):
            number += 1
            yield _from_record(record, number, path, max_chars)
    except OSError as error:  # a truncated or corrupt archive: what came before it stands
        yield SourceError(path, None, f"record {number + 1} and after not readable: {error}")
        return
    if number == 0:
        yield SourceError(path, None, "no WARC records in this file")


def _from_record(record, number: int, path: str, max_chars: int) -> Article | SourceError | Skipped:
    kind = _page_kind(record)
    if kind is not None and kind != _NO_STATUS:
        return Skipped(path, SKIPPED_UNIT, kind)
    uri = record.headers.get("WARC-Target-URI")
    where = f"record {number} ({uri}): " if uri else f"record {number}: "
    if kind == _NO_STATUS:
        return SourceError(path, None, f"{where}response without an HTTP status line; is the archive cut off?")
    expected = record.content_length
    body = record.reader.read()
    if len(body) < expected and not _transfer_decoded(record):
        return SourceError(path, None, f"{where}cut off after {len(body):,} of {expected:,} bytes")
    declared = record.http_charset if record.is_http else None
    html = decode(body, path, declared=declared or declared_charset(body))
    if isinstance(html, SourceError):
        return SourceError(path, None, f"{where}{html.reason}")
    date = record.record_date
    return article_from_html(
        html, path=path, origin=f"{path} (record {number})", max_chars=max_chars, where=where,
        url=uri, published=date.isoformat() if date else None,
    )


def _transfer_decoded(record) -> bool:
    """Whether the payload was un-chunked or decompressed, so its length differs from the record's."""
    headers = record.http_headers
    return headers is not None and any(headers.get(name) for name in ("Transfer-Encoding", "Content-Encoding"))


def _page_kind(record) -> str | None:
    """None for an HTML page worth reading; else what the record is, for the skipped count."""
    if record.record_type == WarcRecordType.response and record.is_http:
        status = record.http_headers.status_code if record.http_headers else None
        if status is None:
            return _NO_STATUS
        if not 200 <= status < 300:
            return f"HTTP {status}"
        content_type = record.http_content_type
    elif record.record_type == WarcRecordType.resource:
        content_type = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    else:
        return str(record.record_type)
    if content_type not in _HTML_TYPES:
        return content_type or "no content type"
    return None
