"""Bytes to text in whatever encoding a file was saved in.

UTF-8 is tried first; UTF-16 and UTF-32 are known by their byte-order mark;
any other encoding (Latin-1 text files, Windows-1252 exports, Shift JIS ...)
is detected with charset-normalizer, and the choice is logged at debug
level. An encoding given with --encoding is used as given. Only bytes that
no encoding explains, or that do not fit the one given, are an error.
"""

from __future__ import annotations

import codecs
import io
import itertools
import logging
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import charset_normalizer

from kg.records import SourceError

log = logging.getLogger(__name__)

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

#: charset-normalizer cannot tell the Western single-byte code pages apart on
#: a text with few non-ASCII bytes ("It costs £5." fits a dozen of them
#: equally well; a long English story with one "£" reads as Japanese cp932,
#: the "£" as a half-width katakana). Windows-1252, a superset of Latin-1's
#: printable characters and the usual encoding of Western news exports, wins
#: when its "chaos" score (0 to 1) is this close to the best match's and its
#: "coherence" in some language (0 to 1) is no more than this below it.
WESTERN_NEAR_TIE = 0.2
WESTERN_COHERENCE_SLACK = 0.1
WESTERN = "cp1252"


def decode(data: bytes, path: str, encoding: str | None = None, *, declared: str | None = None) -> str | SourceError:
    """The text of a file read whole, or why it is not text.

    `declared` is the encoding the data names for itself (an HTTP header, an
    HTML meta tag): tried after UTF-8, since servers often declare Latin-1
    for UTF-8 pages, and before detection.
    """
    if encoding is not None:
        return _decode_as(data, path, encoding, encoding, hint="is --encoding right?")
    bom, codec, label = _byte_order_mark(data)
    if bom:
        return _decode_as(data[len(bom) :], path, codec, label, offset=len(bom))
    if b"\0" in data[:SNIFF_BYTES]:
        wide = _wide_unicode(data[:SNIFF_BYTES])
        if wide is None:
            return SourceError(path, None, "binary file, not text")
        log.debug("%s: no byte-order mark, decoded as %s (detected)", path, wide)
        return _decode_as(data, path, wide, wide)
    for codec in ("utf-8", declared) if declared else ("utf-8",):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    detected = detect(data)
    if detected is None:
        return SourceError(path, None, "not text in any encoding kg knows; name it with --encoding")
    log.debug("%s: not UTF-8, decoded as %s (detected)", path, detected)
    return _decode_as(data, path, detected, detected, hint="name the encoding with --encoding")


def decoded_lines(
    stream: BinaryIO, path: str, encoding: str | None = None
) -> Iterator[tuple[int, str] | SourceError]:
    """Numbered lines of a byte stream as text, keeping their line ends, read as they come.

    Lines stay ASCII until the first one that is not; its bytes decide the
    encoding for the rest of the file (UTF-8 if they are valid UTF-8, else
    detected), so a large JSONL or CSV file streams. A line the decided
    encoding cannot decode becomes a SourceError and reading goes on.
    UTF-16/32 files (by BOM, by detection when NUL bytes come early, or by
    --encoding) are decoded whole: their line ends are not single bytes.
    """
    head = stream.read(SNIFF_BYTES)
    bom, codec, label = _byte_order_mark(head) if encoding is None else (b"", encoding, encoding)
    wide = encoding is None and not bom and b"\0" in head
    if wide and _wide_unicode(head) is None:
        yield SourceError(path, None, "binary file, not text")  # said before reading the rest
        return
    if wide or not _splits_on_newline_bytes(codec):
        text = decode(head + stream.read(), path, encoding)
        if isinstance(text, SourceError):
            yield text
        else:
            yield from enumerate(io.StringIO(text, newline="\n"), 1)
        return
    decided = codec if bom or encoding is not None else None
    hint = "is --encoding right?" if encoding is not None else "re-save the file in one encoding"
    offset = 0
    for lineno, raw_line in enumerate(_rejoined_lines(head, stream), 1):
        skip = len(bom) if lineno == 1 else 0
        line = raw_line[skip:]
        if decided is None and not line.isascii():
            decided = _line_encoding(line)
            label = "UTF-8" if decided == "utf-8" else decided
            log.debug("%s: decoded as %s, decided at line %d", path, decided, lineno)
        try:
            text = line.decode(decided or "ascii")
            yield lineno, text[1:] if lineno == 1 and text.startswith("\ufeff") else text  # a BOM --encoding kept
        except UnicodeDecodeError as error:
            bad_offset = offset + skip + error.start
            yield SourceError(path, lineno, _undecodable_reason(label, line[error.start], bad_offset, hint))
        offset += len(raw_line)


def joined(lines: Iterable[tuple[int, str] | SourceError]) -> str | SourceError:
    """The whole text of numbered lines, or the first reason it is not text."""
    parts = []
    for item in lines:
        if isinstance(item, SourceError):
            return item
        parts.append(item[1])
    return "".join(parts)


def detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely for `data`, Windows-1252 winning a near tie."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:  # each match names the encodings that decode the data to the same text
        if (
            WESTERN in match.could_be_from_charset
            and match.chaos <= best.chaos + WESTERN_NEAR_TIE
            and match.coherence >= best.coherence - WESTERN_COHERENCE_SLACK
        ):
            return WESTERN
    return best.encoding


def _wide_unicode(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, if that is what `head` holds (its NUL bytes say it may)."""
    best = charset_normalizer.from_bytes(head[: len(head) // 4 * 4]).best()
    return best.encoding if best is not None and best.encoding.startswith(("utf_16", "utf_32")) else None


def _line_encoding(line: bytes) -> str:
    try:
        line.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return detect(line) or "utf-8"  # undetectable: reported as not UTF-8


def _byte_order_mark(head: bytes) -> tuple[bytes, str, str]:
    return next((mark for mark in BYTE_ORDER_MARKS if head.startswith(mark[0])), (b"", "utf-8", "UTF-8"))


def _splits_on_newline_bytes(codec: str) -> bool:
    """Whether every line of text in `codec` ends with the byte 0x0a (true of UTF-8 and most legacy codecs)."""
    return codecs.lookup(codec).encode("a\n")[0] == b"a\n"


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


def _decode_as(
    data: bytes, path: str, codec: str, label: str, *, offset: int = 0, hint: str = "re-save the file as UTF-8"
) -> str | SourceError:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(codec, errors="replace").count("\n") + 1
        return SourceError(path, line, _undecodable_reason(label, data[error.start], offset + error.start, hint))
    return text[1:] if text.startswith("\ufeff") else text


def _undecodable_reason(label: str, byte: int, offset: int, hint: str = "re-save the file as UTF-8") -> str:
    return f"not valid {label} text (byte 0x{byte:02x} at offset {offset}); {hint}"
