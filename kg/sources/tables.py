"""CSV, TSV and Parquet tables: one article per row, its fields found by the usual column names.

Tables stream: CSV and TSV line by line (in any encoding, see decoding),
Parquet a few hundred rows at a time and only the columns used, so a table
of any size never sits in memory. A bad row is reported as "file:line: row N:
..." (Parquet: "file: row N: ...") and the rest goes on.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence

from kg.records import Article, SourceError
from kg.sources.articles import ARTICLE_FIELDS, ReadOptions, make_article

#: Column names each article field is looked for under (case-insensitive), first match wins.
USUAL_COLUMNS = {
    "text": ("text", "content", "body", "article", "maintext", "story"),
    "title": ("title", "headline"),
    "published": ("date", "published", "publish_date", "published_at", "date_publish", "pubdate"),
    "url": ("url", "link"),
    "source": ("source", "publisher"),
    "author": ("author", "authors", "byline"),
    "id": ("id",),
}

#: The csv module's own limit on one field is 128 KiB; an article may be longer.
#: The limit stays, at twice --max-chars, so an unclosed quote cannot pull the
#: rest of a large file into one field.
_CSV_MIN_FIELD_LIMIT = 131_072

#: Parquet rows decoded at a time.
PARQUET_BATCH_ROWS = 256


def column_map(header: Sequence[str], options: ReadOptions) -> dict[str, str] | str:
    """Article field -> column name of this table, or the reason the table cannot be read."""
    by_lower = {}
    for name in header:
        by_lower.setdefault(name.strip().lower(), name)
    mapping = {}
    for field in ARTICLE_FIELDS:
        if field in options.columns:
            wanted = options.columns[field]
            if wanted.strip().lower() not in by_lower:
                return f"no column '{wanted}' for --column {field}={wanted} (its columns: {_listed(header)})"
            mapping[field] = by_lower[wanted.strip().lower()]
            continue
        found = next((by_lower[name] for name in USUAL_COLUMNS[field] if name in by_lower), None)
        if found is not None:
            mapping[field] = found
    if "text" not in mapping:
        return (
            f"no text column: none of {', '.join(USUAL_COLUMNS['text'])} among its columns ({_listed(header)});"
            " name it with --column text=COLUMN"
        )
    return mapping


def articles_from_csv(
    lines: Iterable[tuple[int, str] | SourceError], path: str, options: ReadOptions, *, delimiter: str = ","
) -> Iterator[Article | SourceError]:
    """One article per row after the header; quoted fields may span lines."""
    undecodable: list[SourceError] = []

    def text_lines() -> Iterator[str]:
        for item in lines:
            if isinstance(item, SourceError):
                undecodable.append(item)
                yield "\n"  # the row goes on without the line, which is reported
            else:
                yield item[1]

    csv.field_size_limit(max(_CSV_MIN_FIELD_LIMIT, 2 * options.max_chars))
    reader = csv.reader(text_lines(), delimiter=delimiter)
    header = _header(reader, path)
    yield from undecodable
    undecodable.clear()
    if isinstance(header, SourceError):
        yield header
        return
    mapping = column_map(header, options)
    if isinstance(mapping, str):
        yield SourceError(path, reader.line_num, mapping)
        return
    index = {field: header.index(name) for field, name in mapping.items()}
    row_number = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row_number += 1
            yield from undecodable
            undecodable.clear()
            yield SourceError(path, start, f"row {row_number}: CSV error: {error}")
            continue
        yield from undecodable
        undecodable.clear()
        if not row:
            continue  # a blank line is no row
        row_number += 1
        where = f"row {row_number}: "
        if len(row) != len(header):
            yield SourceError(path, start, f"{where}{len(row)} fields, the header has {len(header)}")
            continue
        yield _article_from_row(
            {field: row[i] for field, i in index.items()}, mapping, path=path, line=start,
            origin=f"{path}:{start}", where=where, max_chars=options.max_chars,
        )


def _header(reader: Iterator[list[str]], path: str) -> list[str] | SourceError:
    try:
        for row in reader:
            if row:
                return row
    except csv.Error as error:
        return SourceError(path, 1, f"CSV error in the header: {error}")
    return SourceError(path, None, "empty file")


def articles_from_parquet(path: str, options: ReadOptions) -> Iterator[Article | SourceError]:
    """One article per row, read in batches of PARQUET_BATCH_ROWS and only the columns mapped."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        yield SourceError(path, None, 'reading Parquet needs pyarrow: pip install "kg[parquet]"')
        return
    try:
        table = pyarrow.parquet.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as error:
        yield SourceError(path, None, f"not a readable Parquet file: {error}")
        return
    mapping = column_map(table.schema_arrow.names, options)
    if isinstance(mapping, str):
        yield SourceError(path, None, mapping)
        return
    row_number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=sorted(set(mapping.values()))):
            columns = {field: batch.column(name).to_pylist() for field, name in mapping.items()}
            for i in range(batch.num_rows):
                row_number += 1
                yield _article_from_row(
                    {field: _as_text(values[i]) for field, values in columns.items()}, mapping, path=path,
                    line=None, origin=f"{path} (row {row_number})", where=f"row {row_number}: ",
                    max_chars=options.max_chars,
                )
    except (pyarrow.ArrowException, OSError) as error:
        yield SourceError(path, None, f"row {row_number + 1} and after not readable: {error}")


def _article_from_row(
    values: dict[str, str | None], mapping: dict[str, str], *, path: str, line: int | None, origin: str,
    where: str, max_chars: int,
) -> Article | SourceError:
    text = values.pop("text")
    if text is None or not text.strip():
        return SourceError(path, line, f"{where}no text in column '{mapping['text']}'")
    return make_article(text=text, origin=origin, path=path, line=line, max_chars=max_chars, where=where, **values)


def _as_text(value: object) -> str | None:
    """A Parquet cell as an article field: dates in ISO 8601, lists (of authors) joined."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value if item is not None)
    return str(value)


def _listed(header: Sequence[str]) -> str:
    return ", ".join(header) or "none"
