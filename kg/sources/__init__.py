"""Read news articles from files, directories, glob patterns and stdin.

Every input becomes an `Article`, a `SourceError` or a `Skipped`: one bad
file (or one bad line, row, entry or record) is reported and the batch goes
on; a file of a type kg does not read, met in a folder or by a pattern, is
counted so that the totals add up. Records are yielded one at a time, so a
batch of any size is never held in memory; JSONL, CSV and TSV files, Parquet
tables, web archives and piped stdin stream.

Formats, by extension (one module each): plain text and Markdown, JSON and
JSONL (documents), HTML (html), CSV, TSV and Parquet (tables), RSS and Atom
feeds (feeds), WARC web archives (warc). Text in any encoding (decoding).
"""

from __future__ import annotations

import glob
import itertools
import logging
import os
import sys
from collections.abc import Iterable, Iterator

from kg.records import Article, Skipped, SourceError
from kg.sources.articles import ReadOptions, article_id, unix_newlines
from kg.sources.decoding import decode, decoded_lines, joined
from kg.sources.documents import article_from_text, articles_from_json, articles_from_jsonl
from kg.sources.feeds import articles_from_feed
from kg.sources.html import article_from_html, declared_charset
from kg.sources.tables import articles_from_csv, articles_from_parquet
from kg.sources.warc import articles_from_warc

__all__ = ["article_id", "read_articles"]

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = (".txt", ".md")
HTML_EXTENSIONS = (".html", ".htm")
JSON_EXTENSIONS = (".json",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
TABLE_EXTENSIONS = (".csv", ".tsv", ".parquet")
FEED_EXTENSIONS = (".rss", ".atom", ".xml")
WARC_EXTENSIONS = (".warc", ".warc.gz")
SUPPORTED_EXTENSIONS = (
    TEXT_EXTENSIONS + HTML_EXTENSIONS + JSON_EXTENSIONS + JSONL_EXTENSIONS
    + TABLE_EXTENSIONS + FEED_EXTENSIONS + WARC_EXTENSIONS
)
SUPPORTED_LIST = " ".join(SUPPORTED_EXTENSIONS)

STDIN_PATH = "-"
#: How stdin is named in errors and origins.
STDIN_NAME = "<stdin>"

Record = Article | SourceError | Skipped


def read_articles(
    paths: Iterable[str], *, max_chars: int = 2_000_000, encoding: str | None = None,
    columns: dict[str, str] | None = None,
) -> Iterator[Record]:
    """Yield every article named by `paths` (files, directories, globs or "-" for stdin), in order.

    `encoding` decodes every text input with that codec instead of detecting
    it; `columns` maps article fields to table columns ({"text": "body"}).
    """
    options = ReadOptions(max_chars=max_chars, encoding=encoding, columns=dict(columns or {}))
    for path in paths:
        if path == STDIN_PATH:
            yield from _read_stdin(options)
        elif os.path.isdir(path):
            yield from _read_directory(path, options)
        elif os.path.exists(path):
            yield from _read_file(path, options)
        elif _is_pattern(path):
            yield from _read_pattern(path, options)
        else:
            yield SourceError(path, None, "no such file or directory")


# --- paths -------------------------------------------------------------------


def _is_pattern(path: str) -> bool:
    return any(char in path for char in "*?[")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _extension(path: str) -> str:
    """The lower-case extension that decides the format (".warc.gz" counts as one)."""
    lower = path.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else os.path.splitext(lower)[1]


def _is_supported(path: str) -> bool:
    return _extension(path) in SUPPORTED_EXTENSIONS


def _files_under(directory: str) -> list[str]:
    """Non-hidden files below `directory`, sorted so runs are repeatable."""
    found = []
    for parent, subdirectories, names in os.walk(directory):
        subdirectories[:] = [name for name in subdirectories if not _is_hidden(name)]
        found.extend(os.path.join(parent, name) for name in names if not _is_hidden(name))
    return sorted(found)


def _read_found(files: list[str], options: ReadOptions) -> Iterator[Record]:
    """Files found in a folder or by a pattern: the supported ones read, the others counted."""
    for path in files:
        if _is_supported(path):
            yield from _read_file(path, options)
        else:
            kind = _extension(path) or "no extension"
            log.debug("%s: skipped, kg does not read files of type %s", path, kind)
            yield Skipped(path, "file", kind)


def _read_directory(directory: str, options: ReadOptions) -> Iterator[Record]:
    files = _files_under(directory)
    if not any(_is_supported(path) for path in files):
        yield SourceError(directory, None, f"no article files ({SUPPORTED_LIST}) in this directory")
    yield from _read_found(files, options)


def _read_pattern(pattern: str, options: ReadOptions) -> Iterator[Record]:
    """Matches of a glob pattern; like a directory's, files of other types are counted and skipped."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield SourceError(pattern, None, "no such file or directory")
        return
    files = []
    for match in matches:
        files.extend(_files_under(match) if os.path.isdir(match) else [match])
    if not any(_is_supported(path) for path in files):
        yield SourceError(pattern, None, f"no article files ({SUPPORTED_LIST}) match this pattern")
    yield from _read_found(files, options)


# --- files -------------------------------------------------------------------


def _read_file(path: str, options: ReadOptions) -> Iterator[Record]:
    extension = _extension(path)
    if extension not in SUPPORTED_EXTENSIONS:
        named = f"'{extension}'" if extension else "without an extension"
        yield SourceError(path, None, f"unsupported file type {named}; supported: {SUPPORTED_LIST}")
        return
    try:
        yield from _read_format(path, extension, options)
    except OSError as error:
        yield SourceError(path, None, f"cannot read file: {error.strerror or error}")


def _read_format(path: str, extension: str, options: ReadOptions) -> Iterator[Record]:
    if extension == ".parquet":
        yield from articles_from_parquet(path, options)
        return
    if extension in WARC_EXTENSIONS:
        yield from articles_from_warc(path, options.max_chars)
        return
    with open(path, "rb") as stream:
        if extension in JSONL_EXTENSIONS:
            yield from articles_from_jsonl(decoded_lines(stream, path, options.encoding), path, options.max_chars)
        elif extension in (".csv", ".tsv"):
            lines = decoded_lines(stream, path, options.encoding)
            yield from articles_from_csv(lines, path, options, delimiter="\t" if extension == ".tsv" else ",")
        elif extension in FEED_EXTENSIONS:
            yield from _read_feed(stream.read(), path, options)
        else:
            data = stream.read()
            declared = declared_charset(data) if extension in HTML_EXTENSIONS else None
            yield from _articles_from_whole_text(decode(data, path, options.encoding, declared=declared),
                                                 path, extension, options.max_chars)


def _read_feed(data: bytes, path: str, options: ReadOptions) -> Iterator[Record]:
    """A feed's bytes go to feedparser, which honours the XML's own encoding; --encoding decodes them first."""
    if options.encoding is None:
        yield from articles_from_feed(data, path, options.max_chars)
        return
    text = decode(data, path, options.encoding)
    if isinstance(text, SourceError):
        yield text
    else:
        yield from articles_from_feed(text.encode("utf-8"), path, options.max_chars)


def _articles_from_whole_text(text: str | SourceError, path: str, extension: str, max_chars: int) -> Iterator[Record]:
    """Articles of a file read whole (text, Markdown, HTML, JSON), by its extension."""
    if isinstance(text, SourceError):
        yield text
    elif not text.strip():
        yield SourceError(path, None, "empty file")
    elif extension in TEXT_EXTENSIONS:
        yield article_from_text(unix_newlines(text), path, max_chars, markdown=extension == ".md")
    elif extension in HTML_EXTENSIONS:
        yield article_from_html(text, path=path, origin=path, max_chars=max_chars)
    else:
        yield from articles_from_json(text, path, max_chars)


def _read_stdin(options: ReadOptions) -> Iterator[Record]:
    """JSONL when the first non-empty line starts with "{", else one plain-text article.

    Deciding on the first line lets a JSONL pipe stream line by line, and a
    damaged line further down is reported alone instead of turning the whole
    stream into one article.
    """
    lines = decoded_lines(sys.stdin.buffer, STDIN_NAME, options.encoding)
    head: list[tuple[int, str] | SourceError] = []
    for item in lines:
        head.append(item)
        if isinstance(item, SourceError) or item[1].strip():
            break
    first = head[-1] if head else None
    all_lines = itertools.chain(head, lines)
    if isinstance(first, tuple) and first[1].lstrip().startswith("{"):
        yield from articles_from_jsonl(all_lines, STDIN_NAME, options.max_chars)
    else:
        yield from _articles_from_whole_text(joined(all_lines), STDIN_NAME, ".txt", options.max_chars)
