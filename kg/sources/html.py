"""The article in a web page: main text and metadata, without navigation, ads or scripts.

Used for saved .html files and for the HTML responses of web archives.
trafilatura works on the markup only: it fetches nothing.
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from trafilatura.settings import Document

from kg.records import Article, SourceError
from kg.sources.articles import make_article

#: libxml2 stops building the tree 256 elements deep unless told otherwise, so
#: a paragraph inside deeper markup is lost to the first pass; the fallback
#: parses with this parser.
_DEEP_PARSER = lxml.html.HTMLParser(huge_tree=True, encoding="utf-8")

#: <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
#: Browsers look for the meta charset in the first 1024 bytes; a little more is allowed.
_META_SEARCH_BYTES = 4096


def declared_charset(page: bytes) -> str | None:
    """The encoding a page names in its markup, if any."""
    match = _META_CHARSET.search(page[:_META_SEARCH_BYTES])
    return match.group(1).decode("ascii") if match else None


def article_from_html(
    html: str,
    *,
    path: str,
    origin: str,
    max_chars: int,
    line: int | None = None,
    where: str = "",
    url: str | None = None,
    published: str | None = None,
) -> Article | SourceError:
    """The page's article; `url` and `published` stand in where the page names none.

    The extracted text starts with the headline, which is dropped because it
    is already the title. `where` starts an error's reason ("record 3: ").
    """
    try:
        document = _main_text(html)
    except Exception as error:  # a parser bug on one odd page must not end the batch
        return SourceError(path, line, f"{where}HTML could not be parsed: {type(error).__name__}: {error}")
    if document is None:
        return SourceError(path, line, f"{where}no article text found in HTML")
    title = document.title
    body = _without_headline(document.text.strip(), (title or "").strip())
    return make_article(
        text=body,
        title=title,
        url=document.url or url,
        published=document.date or published,
        source=document.sitename,
        author=document.author,
        origin=origin,
        path=path,
        line=line,
        max_chars=max_chars,
        where=where,
    )


def _without_headline(text: str, title: str) -> str:
    """The text less its headline line; trafilatura 2.2 may glue the headline to the first paragraph
    ("Audit delayRaymond Castellano ..."), so a title the text starts with is cut off too."""
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title and rest.strip():
        return rest
    if title and text.startswith(title) and text[len(title):].strip():
        return text[len(title):].lstrip()
    return text


def _main_text(html: str) -> Document | None:
    """trafilatura's precise extraction, else its recall-favouring one over a tree parsed without depth limit."""
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if _has_text(document):
        return document
    tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=_DEEP_PARSER)
    document = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, favor_recall=True)
    return document if _has_text(document) else None


def _has_text(document: Document | None) -> bool:
    return document is not None and bool((document.text or "").strip())
