"""Read news articles from files, directories, glob patterns and stdin.

Every input becomes an `Article` or a `SourceError`: one bad file (or one bad
line of a JSONL file) is reported and the batch goes on. Records are yielded
one at a time, so a batch of any size is never held in memory; JSONL files and
piped stdin are read line by line.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import io
import itertools
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import trafilatura

from kg.records import Article, SourceError

TEXT_EXTENSIONS = (".txt", ".md")
HTML_EXTENSIONS = (".html", ".htm")
JSON_EXTENSIONS = (".json",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSON_EXTENSIONS + JSONL_EXTENSIONS
SUPPORTED_LIST = " ".join(SUPPORTED_EXTENSIONS)

STDIN_PATH = "-"
#: How stdin is named in errors and origins.
STDIN_NAME = "<stdin>"

#: A NUL byte this early means a binary file (images, archives, office files).
SNIFF_BYTES = 8192

#: Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

#: Optional article fields copied from JSON records; any other field is ignored.
OPTIONAL_FIELDS = ("url", "title", "published", "source", "author")

_WHITESPACE = re.compile(r"\s+")


def read_articles(paths: Iterable[str], *, max_chars: int = 2_000_000) -> Iterator[Article | SourceError]:
    """Yield every article named by `paths` (files, directories, globs or "-" for stdin), in order."""
    for path in paths:
        if path == STDIN_PATH:
            yield from _read_stdin(max_chars)
        elif os.path.isdir(path):
            yield from _read_directory(path, max_chars)
        elif os.path.exists(path):
            yield from _read_file(path, max_chars)
        elif _is_pattern(path):
            yield from _read_pattern(path, max_chars)
        else:
            yield SourceError(path, None, "no such file or directory")


def article_id(*, id: object = None, url: str | None = None, text: str = "") -> str:
    """A stable id, so the same article read twice (or from two files) is stored once.

    The record's own id if it has one; else "url-" and a hash of the URL; else
    "text-" and a hash of the text with Unicode and whitespace normalised, so a
    re-wrapped or re-saved copy keeps its id.
    """
    if id is not None and str(id).strip():
        return str(id)
    if url and url.strip():
        return "url-" + _short_hash(url.strip())
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return "text-" + _short_hash(normalised)


def _short_hash(value: str) -> str:
    """64 bits of SHA-1: collisions are negligible for any realistic corpus."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


# --- paths -------------------------------------------------------------------


def _is_pattern(path: str) -> bool:
    return any(char in path for char in "*?[")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _is_supported(path: str) -> bool:
    return path.lower().endswith(SUPPORTED_EXTENSIONS)


def _article_files_under(directory: str) -> list[str]:
    """Supported, non-hidden files below `directory`, sorted so runs are repeatable."""
    found = []
    for parent, subdirectories, names in os.walk(directory):
        subdirectories[:] = [name for name in subdirectories if not _is_hidden(name)]
        found.extend(os.path.join(parent, name) for name in names if not _is_hidden(name) and _is_supported(name))
    return sorted(found)


def _read_directory(directory: str, max_chars: int) -> Iterator[Article | SourceError]:
    files = _article_files_under(directory)
    if not files:
        yield SourceError(directory, None, f"no article files ({SUPPORTED_LIST}) in this directory")
    for path in files:
        yield from _read_file(path, max_chars)


def _read_pattern(pattern: str, max_chars: int) -> Iterator[Article | SourceError]:
    """Matches of a glob pattern; like a directory, files of other types are skipped."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield SourceError(pattern, None, "no such file or directory")
        return
    files = []
    for match in matches:
        if os.path.isdir(match):
            files.extend(_article_files_under(match))
        elif _is_supported(match):
            files.append(match)
    if not files:
        yield SourceError(pattern, None, f"no article files ({SUPPORTED_LIST}) match this pattern")
    for path in files:
        yield from _read_file(path, max_chars)


# --- files -------------------------------------------------------------------


def _read_file(path: str, max_chars: int) -> Iterator[Article | SourceError]:
    extension = os.path.splitext(path)[1].lower()
    if extension not in SUPPORTED_EXTENSIONS:
        named = f"'{extension}'" if extension else "without an extension"
        yield SourceError(path, None, f"unsupported file type {named}; supported: {SUPPORTED_LIST}")
        return
    try:
        with open(path, "rb") as stream:
            if extension in JSONL_EXTENSIONS:
                yield from _articles_from_jsonl(_decoded_lines(stream, path), path, max_chars)
                return
            text = _joined(_decoded_lines(stream, path))
    except OSError as error:
        yield SourceError(path, None, f"cannot read file: {error.strerror or error}")
        return
    yield from _articles_from_whole_text(text, path, extension, max_chars)


def _articles_from_whole_text(
    text: str | SourceError, path: str, extension: str, max_chars: int
) -> Iterator[Article | SourceError]:
    """Articles of a file read whole (every format but JSONL), by its extension."""
    if isinstance(text, SourceError):
        yield text
    elif not text.strip():
        yield SourceError(path, None, "empty file")
    elif extension in TEXT_EXTENSIONS:
        yield _article_from_text(text, path, max_chars, markdown=extension == ".md")
    elif extension in HTML_EXTENSIONS:
        yield _article_from_html(text, path, max_chars)
    else:
        yield from _articles_from_json(text, path, max_chars)


def _read_stdin(max_chars: int) -> Iterator[Article | SourceError]:
    """JSONL when the first non-empty line starts with "{", else one plain-text article.

    Deciding on the first line lets a JSONL pipe stream line by line, and a
    damaged line further down is reported alone instead of turning the whole
    stream into one article.
    """
    lines = _decoded_lines(sys.stdin.buffer, STDIN_NAME)
    head: list[tuple[int, str] | SourceError] = []
    for item in lines:
        head.append(item)
        if isinstance(item, SourceError) or item[1].strip():
            break
    first = head[-1] if head else None
    all_lines = itertools.chain(head, lines)
    if isinstance(first, tuple) and first[1].lstrip().startswith("{"):
        yield from _articles_from_jsonl(all_lines, STDIN_NAME, max_chars)
    else:
        yield from _articles_from_whole_text(_joined(all_lines), STDIN_NAME, ".txt", max_chars)


# --- decoding ----------------------------------------------------------------


def _decoded_lines(stream: BinaryIO, path: str) -> Iterator[tuple[int, str] | SourceError]:
    """Numbered lines of a byte stream as text, keeping their line ends.

    UTF-8 (with or without BOM) is decoded line by line so large JSONL files and
    pipes stream; a line with a bad byte becomes a SourceError and reading goes
    on. UTF-16/32 files (written by Windows tools, and small) are decoded whole.
    A NUL byte near the start without a UTF-16/32 BOM means a binary file.
    """
    head = stream.read(SNIFF_BYTES)
    bom, codec, label = next((mark for mark in BYTE_ORDER_MARKS if head.startswith(mark[0])), (b"", "utf-8", "UTF-8"))
    if codec == "utf-8" and b"\0" in head:
        yield SourceError(path, None, "binary file, not text")
        return
    if codec != "utf-8":
        data = head + stream.read()
        try:
            text = data[len(bom) :].decode(codec)
        except UnicodeDecodeError as error:
            yield _undecodable(path, data, len(bom) + error.start, label, codec)
            return
        yield from enumerate(io.StringIO(text, newline="\n"), 1)
        return
    offset = 0
    for lineno, raw_line in enumerate(_rejoined_lines(head, stream), 1):
        skip = len(bom) if lineno == 1 else 0
        try:
            yield lineno, raw_line[skip:].decode("utf-8")
        except UnicodeDecodeError as error:
            bad_offset = offset + skip + error.start
            yield SourceError(path, lineno, _undecodable_reason(label, raw_line[skip + error.start], bad_offset))
        offset += len(raw_line)


def _rejoined_lines(head: bytes, rest: BinaryIO) -> Iterator[bytes]:
    """Lines of `head` followed by `rest`, as if the stream had never been split after `head`."""
    partial = b""
    for piece in itertools.chain(io.BytesIO(head), rest):
        if piece.endswith(b"\n"):
            yield partial + piece
            partial = b""
        else:
            partial += piece
    if partial:
        yield partial


def _undecodable(path: str, data: bytes, offset: int, label: str, codec: str) -> SourceError:
    line = data[:offset].decode(codec, errors="replace").count("\n") + 1
    return SourceError(path, line, _undecodable_reason(label, data[offset], offset))


def _undecodable_reason(label: str, byte: int, offset: int) -> str:
    return f"not valid {label} text (byte 0x{byte:02x} at offset {offset}); re-save the file as UTF-8"


def _joined(lines: Iterable[tuple[int, str] | SourceError]) -> str | SourceError:
    """The whole text with "\\n" line ends, or the first reason it is not text."""
    parts = []
    for item in lines:
        if isinstance(item, SourceError):
            return item
        parts.append(item[1])
    return _unix_newlines("".join(parts))


def _unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- formats -----------------------------------------------------------------


def _article_from_text(text: str, path: str, max_chars: int, *, markdown: bool) -> Article | SourceError:
    """First non-empty line is the title, the rest the body; a one-line file is all body."""
    first_line, _, rest = text.strip().partition("\n")
    if not rest.strip():
        return _article(text=first_line, origin=path, path=path, line=None, max_chars=max_chars)
    title = first_line.lstrip("#").strip() if markdown else first_line.strip()
    return _article(text=rest, title=title, origin=path, path=path, line=None, max_chars=max_chars)


def _article_from_html(html: str, path: str, max_chars: int) -> Article | SourceError:
    """Main text and metadata of a saved web page, without navigation, ads or scripts.

    trafilatura works on the string only: it fetches nothing. Its text starts
    with the headline, which is dropped because it is already the title.
    """
    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as error:  # a parser bug on one odd page must not end the batch
        return SourceError(path, None, f"HTML could not be parsed: {type(error).__name__}: {error}")
    if document is None or not (document.text or "").strip():
        return SourceError(path, None, "no article text found in HTML")
    title = document.title
    first_line, _, rest = document.text.strip().partition("\n")
    body = rest if title and first_line.strip() == title.strip() and rest.strip() else document.text
    return _article(
        text=body,
        title=title,
        url=document.url,
        published=document.date,
        source=document.sitename,
        author=document.author,
        origin=path,
        path=path,
        line=None,
        max_chars=max_chars,
    )


def _articles_from_json(text: str, path: str, max_chars: int) -> Iterator[Article | SourceError]:
    """One article object, or a list of them; list errors name the item (counting from 1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        hint = "; one object per line needs the .jsonl extension" if error.msg == "Extra data" else ""
        yield SourceError(path, error.lineno, f"invalid JSON: {error.msg} (column {error.colno}){hint}")
        return
    if isinstance(data, dict):
        yield _article_from_record(data, path=path, line=None, origin=path, max_chars=max_chars)
    elif isinstance(data, list) and data:
        for number, record in enumerate(data, 1):
            item = _article_from_record(
                record, path=path, line=None, origin=f"{path} (item {number})", max_chars=max_chars
            )
            yield SourceError(path, None, f"item {number}: {item.reason}") if isinstance(item, SourceError) else item
    elif isinstance(data, list):
        yield SourceError(path, None, "empty JSON list: no articles")
    else:
        yield SourceError(path, None, f"expected a JSON object or a list of objects, got {_json_type(data)}")


def _articles_from_jsonl(
    lines: Iterable[tuple[int, str] | SourceError], path: str, max_chars: int
) -> Iterator[Article | SourceError]:
    """One article per line; a bad line is reported with its number and the rest goes on."""
    seen_content = False
    for item in lines:
        if isinstance(item, SourceError):
            seen_content = True
            yield item
            continue
        lineno, line = item
        if not line.strip():
            continue
        seen_content = True
        try:
            record = json.loads(line.rstrip())  # the line end would count as a control character
        except json.JSONDecodeError as error:
            yield SourceError(path, lineno, f"invalid JSON: {error.msg} (column {error.colno})")
            continue
        yield _article_from_record(record, path=path, line=lineno, origin=f"{path}:{lineno}", max_chars=max_chars)
    if not seen_content:
        yield SourceError(path, None, "empty file")


def _article_from_record(
    record: object, *, path: str, line: int | None, origin: str, max_chars: int
) -> Article | SourceError:
    if not isinstance(record, dict):
        return SourceError(path, line, f"expected a JSON object, got {_json_type(record)}")
    if "text" not in record:
        return SourceError(path, line, f"record has no 'text' (its fields: {', '.join(record) or 'none'})")
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        return SourceError(path, line, "record has no 'text'")
    fields = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return SourceError(path, line, f"'{name}' should be a string, got {_json_type(value)}")
        fields[name] = value
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int, type(None))):
        return SourceError(path, line, f"'id' should be a string or an integer, got {_json_type(record_id)}")
    return _article(text=text, id=record_id, origin=origin, path=path, line=line, max_chars=max_chars, **fields)


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "list", str: "string"}.get(type(value), "null")


def _article(
    *,
    text: str,
    origin: str,
    path: str,
    line: int | None,
    max_chars: int,
    id: object = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    source: str | None = None,
    author: str | None = None,
) -> Article | SourceError:
    """An Article with tidy fields, or a SourceError if its text is over the limit."""
    text = _unix_newlines(text).strip()
    if len(text) > max_chars:
        return SourceError(
            path,
            line,
            f"article text is {len(text):,} characters, over the limit of {max_chars:,};"
            " raise it with --max-chars or KG_MAX_CHARS",
        )
    url = _tidy(url)
    return Article(
        id=article_id(id=id, url=url, text=text),
        text=text,
        title=_tidy(title),
        url=url,
        published=_tidy(published),
        source=_tidy(source),
        author=_tidy(author),
        origin=origin,
    )


def _tidy(value: str | None) -> str | None:
    """Strip a metadata string; an empty one means absent."""
    if value is None:
        return None
    return value.strip() or None
