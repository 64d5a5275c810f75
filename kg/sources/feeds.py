"""RSS and Atom feeds saved from news sites: one article per entry, by feedparser.

feedparser reads every RSS and Atom version, finds the encoding itself and
cleans the entries' HTML; it is given the file's bytes and fetches nothing.
"""

from __future__ import annotations

import calendar
import datetime
import re
import xml.sax
from collections.abc import Iterator

import feedparser
import lxml.html

from kg.records import Article, SourceError
from kg.sources.articles import make_article

#: Elements that end a line of text when HTML content is turned into plain text.
_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "figure", "figcaption", "hr", "table", "ul", "ol",
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def articles_from_feed(data: bytes, path: str, max_chars: int) -> Iterator[Article | SourceError]:
    """Each entry's content (or summary) as text, with its link, date, title and author; the feed title as source."""
    feed = feedparser.parse(data)
    if not feed.version and not feed.entries:
        yield SourceError(path, None, "not an RSS or Atom feed")
        return
    if not feed.entries:
        yield SourceError(path, None, "feed has no entries")
        return
    source = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        where = f"entry {number}: "
        text = _entry_text(entry)
        if not text:
            yield SourceError(path, None, f"{where}no content or summary")
            continue
        link = entry.get("link")
        yield make_article(
            text=text,
            id=None if link else entry.get("id"),
            url=link,
            title=entry.get("title"),
            published=_entry_date(entry),
            author=entry.get("author"),
            source=source,
            origin=f"{path} (entry {number})",
            path=path,
            line=None,
            max_chars=max_chars,
            where=where,
        )
    error = feed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        yield SourceError(
            path, error.getLineNumber(), f"not well-formed XML ({error.getMessage()}); the entries before it were read"
        )


def _entry_text(entry) -> str:
    """The longest content of the entry, else its summary, as plain text."""
    parts = sorted(entry.get("content", []), key=lambda part: len(part.get("value", "")), reverse=True)
    for detail in (*parts, entry.get("summary_detail")):
        if detail and detail.get("value", "").strip():
            value = detail["value"]
            return html_to_text(value) if "html" in (detail.get("type") or "") else value.strip()
    return ""


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, one line per paragraph, list item or heading."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_date(entry) -> str | None:
    """Publication (else update) time in ISO 8601 UTC when feedparser could read it, else as the feed gives it."""
    for name in ("published", "updated"):
        parsed = entry.get(f"{name}_parsed")
        if parsed:
            return datetime.datetime.fromtimestamp(calendar.timegm(parsed), datetime.timezone.utc).isoformat()
        if entry.get(name):
            return entry[name]
    return None
