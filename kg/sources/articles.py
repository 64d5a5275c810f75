"""What every input format shares: the reading options, article ids and tidy Article records."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from kg.records import Article, SourceError

_WHITESPACE = re.compile(r"\s+")

#: Article fields a table column (or a --column option) can fill.
ARTICLE_FIELDS = ("text", "title", "published", "url", "source", "author", "id")


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: the longest article, a forced encoding, table columns named by the user."""

    max_chars: int = 2_000_000
    #: Decode every text input with this codec instead of detecting it.
    encoding: str | None = None
    #: Article field -> table column, overriding the usual names (--column text=body).
    columns: dict[str, str] = field(default_factory=dict)


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


def make_article(
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
    where: str = "",
) -> Article | SourceError:
    """An Article with tidy fields, or a SourceError if its text is over the limit.

    `where` starts the error's reason when the line alone does not name the
    record ("row 12: ", "entry 3: ").
    """
    text = unix_newlines(text).strip()
    if len(text) > max_chars:
        return SourceError(
            path,
            line,
            f"{where}article text is {len(text):,} characters, over the limit of {max_chars:,};"
            " raise it with --max-chars or KG_MAX_CHARS",
        )
    url = tidy(url)
    return Article(
        id=article_id(id=id, url=url, text=text),
        text=text,
        title=tidy(title),
        url=url,
        published=tidy(published),
        source=tidy(source),
        author=tidy(author),
        origin=origin,
    )


def unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def tidy(value: str | None) -> str | None:
    """Strip a metadata string; an empty one means absent."""
    if value is None:
        return None
    return value.strip() or None
