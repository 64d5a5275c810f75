"""Plain text, Markdown, JSON and JSONL articles."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kg.records import Article, SourceError
from kg.sources.articles import make_article

#: Optional article fields copied from JSON records; any other field is ignored.
OPTIONAL_FIELDS = ("url", "title", "published", "source", "author")


def article_from_text(text: str, path: str, max_chars: int, *, markdown: bool) -> Article | SourceError:
    """First non-empty line is the title, the rest the body; a one-line file is all body."""
    first_line, _, rest = text.strip().partition("\n")
    if not rest.strip():
        return make_article(text=first_line, origin=path, path=path, line=None, max_chars=max_chars)
    title = first_line.lstrip("#").strip() if markdown else first_line.strip()
    return make_article(text=rest, title=title, origin=path, path=path, line=None, max_chars=max_chars)


def articles_from_json(text: str, path: str, max_chars: int) -> Iterator[Article | SourceError]:
    """One article object, or a list of them; list errors name the item (counting from 1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        hint = "; one object per line needs the .jsonl extension" if error.msg == "Extra data" else ""
        yield SourceError(path, error.lineno, f"invalid JSON: {error.msg} (column {error.colno}){hint}")
        return
    if isinstance(data, dict):
        yield article_from_record(data, path=path, line=None, origin=path, max_chars=max_chars)
    elif isinstance(data, list) and data:
        for number, record in enumerate(data, 1):
            item = article_from_record(
                record, path=path, line=None, origin=f"{path} (item {number})", max_chars=max_chars
            )
            yield SourceError(path, None, f"item {number}: {item.reason}") if isinstance(item, SourceError) else item
    elif isinstance(data, list):
        yield SourceError(path, None, "empty JSON list: no articles")
    else:
        yield SourceError(path, None, f"expected a JSON object or a list of objects, got {json_type(data)}")


def articles_from_jsonl(
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
        yield article_from_record(record, path=path, line=lineno, origin=f"{path}:{lineno}", max_chars=max_chars)
    if not seen_content:
        yield SourceError(path, None, "empty file")


def article_from_record(
    record: object, *, path: str, line: int | None, origin: str, max_chars: int
) -> Article | SourceError:
    if not isinstance(record, dict):
        return SourceError(path, line, f"expected a JSON object, got {json_type(record)}")
    if "text" not in record:
        return SourceError(path, line, f"record has no 'text' (its fields: {', '.join(record) or 'none'})")
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        return SourceError(path, line, "record has no 'text'")
    fields = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return SourceError(path, line, f"'{name}' should be a string, got {json_type(value)}")
        fields[name] = value
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, (str, int, type(None))):
        return SourceError(path, line, f"'id' should be a string or an integer, got {json_type(record_id)}")
    return make_article(text=text, id=record_id, origin=origin, path=path, line=line, max_chars=max_chars, **fields)


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "list", str: "string"}.get(type(value), "null")
