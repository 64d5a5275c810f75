"""Web archives and Parquet tables written for the tests and for examples/formats/.

    python -m tests.formats examples/formats    # writes crawl.warc.gz and ledger.parquet there

A WARC file is a series of records, each a block of "Name: value" headers
and a payload; a .warc.gz compresses each record as a gzip member of its own.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

CRAWL_DATE = "2025-04-05T08:00:00Z"
PAGE_URI = "https://harborgazette.example/2025/04/05/raman-criticizes-brandt"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Raman criticizes Brandt over ferry fares | Harbor Gazette</title>
  <meta name="author" content="Noor Hadid">
  <meta property="article:published_time" content="2025-04-04">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/subscribe">Subscribe</a></nav>
  <article>
    <h1>Raman criticizes Brandt over ferry fares</h1>
    <p>Rep. Priya Raman criticized Gov. Thomas Brandt on Friday for raising ferry fares to Port Adley
    for the second time in a year.</p>
    <p>Raman said commuters from the islands had no other way to reach their jobs, and that the state
    should freeze fares until the harbor repairs are done.</p>
  </article>
  <footer>All rights reserved. Harbor Gazette.</footer>
</body>
</html>
"""

#: The eight-byte PNG signature: enough for a record that is no HTML page.
PNG = b"\x89PNG\r\n\x1a\n"


def warc_record(kind: str, payload: bytes, *, uri: str | None = None, content_type: str, number: int,
                date: str = CRAWL_DATE) -> bytes:
    """One WARC/1.1 record, gzipped as its own member (mtime 0, so the bytes are repeatable)."""
    headers = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"),
        ("WARC-Date", date),
        *([("WARC-Target-URI", uri)] if uri else []),
        ("Content-Type", content_type),
        ("Content-Length", str(len(payload))),
    ]
    head = "WARC/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    return gzip.compress(head.encode("utf-8") + payload + b"\r\n\r\n", mtime=0)


def http_response(status: str, content_type: str, body: bytes) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def response_record(uri: str, status: str, content_type: str, body: bytes, number: int) -> bytes:
    return warc_record("response", http_response(status, content_type, body), uri=uri,
                       content_type="application/http; msgtype=response", number=number)


def crawl_warc() -> bytes:
    """A small crawl: its warcinfo, one HTML page, and one image."""
    return b"".join([
        warc_record("warcinfo", b"software: kg tests\r\nformat: WARC File Format 1.1\r\n",
                    content_type="application/warc-fields", number=1),
        response_record(PAGE_URI, "200 OK", "text/html; charset=utf-8", PAGE.encode("utf-8"), 2),
        response_record("https://harborgazette.example/logo.png", "200 OK", "image/png", PNG, 3),
    ])


LEDGER_ROWS = [
    {
        "id": "pq-0406-ellison-castellano",
        "headline": "Ellison gives $3,000 to Castellano",
        "content": "Sen. Margaret Ellison donated $3,000 to Raymond Castellano's campaign for state treasurer, "
                   "filings showed on Sunday.",
        "date": "2025-04-06",
        "publisher": "The Ostoria Ledger",
    },
    {
        "id": "pq-0407-okafor-halloran",
        "headline": "Okafor criticizes Halloran",
        "content": "Rep. Daniel Okafor criticized Victor Halloran on Monday for lobbying against the port fee.",
        "date": "2025-04-07",
        "publisher": "The Ostoria Ledger",
    },
]


def write_ledger_parquet(path: Path, rows: list[dict] = LEDGER_ROWS) -> Path:
    """A Parquet table with the usual column names of news exports (the date as a real date)."""
    import datetime

    import pyarrow
    import pyarrow.parquet

    columns = {name: [row[name] for row in rows] for name in rows[0]}
    if "date" in columns:
        columns["date"] = [datetime.date.fromisoformat(value) for value in columns["date"]]
    pyarrow.parquet.write_table(pyarrow.table(columns), path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    (target / "crawl.warc.gz").write_bytes(crawl_warc())
    write_ledger_parquet(target / "ledger.parquet")
