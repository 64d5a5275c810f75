"""Specification of the input formats beyond plain files: encodings, tables, feeds and web archives.

Test data: examples/formats/ holds one small file per format, each an
original story about the fictional politicians of examples/articles/: a
Latin-1 text with "£", a Windows-1252 text with curly quotes and dashes, a
CSV with a quoted multi-line field, a Parquet table, an Atom and an RSS 2.0
feed, and a gzipped WARC with an HTML page and an image (its binary files are
made by tests/formats.py). Other cases are written to a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
from pathlib import Path

import pytest

from kg.cli import app
from kg.records import Article, Skipped, SourceError
from kg.sources import read_articles
from kg.sources.feeds import html_to_text
from tests import formats
from tests.conftest import REPO

FORMATS = REPO / "examples" / "formats"


def read(*paths: Path | str, **options) -> list[Article | SourceError | Skipped]:
    return list(read_articles([str(path) for path in paths], **options))


def read_one(path: Path | str, **options) -> Article | SourceError | Skipped:
    (result,) = read(path, **options)
    return result


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def fields(article: Article) -> tuple:
    return (article.id, article.title, article.published, article.url, article.source, article.author)


# --- encodings ------------------------------------------------------------------


def test_latin1_text_with_pound_signs_is_read():
    path = FORMATS / "latin1-halloran-gives-to-raman.txt"
    assert b"\xa340,000" in path.read_bytes()
    article = read_one(path)
    assert article.title == "Halloran gives £40,000 to Raman campaign"
    assert article.text.startswith("Victor Halloran, the founder of Halloran Logistics, gave £40,000 to Rep. Priya")


def test_windows_1252_text_with_curly_quotes_and_dashes_is_read():
    path = FORMATS / "cp1252-okafor-endorses-ferrante.txt"
    assert b"\x93the only serious offer" in path.read_bytes()
    article = read_one(path)
    assert article.title == "Okafor endorses Ferrante’s harbor plan"
    assert "calling her harbor plan “the only serious offer on the table”." in article.text
    assert "Gov. Thomas Brandt – who wants" in article.text


def test_short_western_text_is_read_as_windows_1252(tmp_path):
    path = write(tmp_path, "short.txt", "It costs £5.".encode("latin-1"))
    assert read_one(path).text == "It costs £5."


def test_long_english_text_with_one_pound_sign_is_read_as_windows_1252(tmp_path):
    sentence = "The council met on Monday and the mayor answered questions about the harbor repairs. "
    text = sentence * 40 + "The repairs will cost £50m."
    path = write(tmp_path, "one-pound.txt", text.encode("latin-1"))
    assert read_one(path).text == text


def test_utf16_without_byte_order_mark_is_detected(tmp_path):
    text = "Mayor Lucia Ferrante met café owners on Quay Street on Friday."
    path = write(tmp_path, "le.txt", text.encode("utf-16-le"))
    assert read_one(path).text == text


def test_text_in_another_script_is_detected(tmp_path):
    text = "Мэр Лючия Ферранте раскритиковала губернатора Томаса Брандта за задержку ремонта гавани."
    path = write(tmp_path, "ru.txt", text.encode("cp1251"))
    assert read_one(path).text == text


def test_detected_encoding_is_logged_at_debug_level(tmp_path, caplog):
    path = write(tmp_path, "latin.txt", "Caf\xe9 owners met the mayor on Friday.".encode("latin-1"))
    with caplog.at_level(logging.DEBUG, logger="kg"):
        read(path)
    assert f"{path}: not UTF-8, decoded as cp1252 (detected)" in caplog.messages


BBC_POLITICS = REPO.parent / "shared" / "realnews" / "bbc-politics-2004.jsonl"


@pytest.mark.skipif(not BBC_POLITICS.exists(), reason="needs ../shared/realnews/bbc-politics-2004.jsonl")
def test_a_real_corpus_written_as_latin1_and_windows_1252_files_reads_like_its_jsonl(tmp_path):
    """The read half of benchmarks/encodings_target.py (which also compares the graphs)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from encodings_target import write_text_files
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    records, replaced = write_text_files(BBC_POLITICS, tmp_path)
    results = read(tmp_path)
    assert replaced == 0
    assert [(r.title, r.text) for r in results] == [(e["title"].strip(), e["text"].strip()) for e in records]


def test_forced_encoding_is_used_as_given(tmp_path):
    text = "Ferrante thanks café owners"
    path = write(tmp_path, "mac.txt", text.encode("mac_roman"))
    assert read_one(path, encoding="mac_roman").text == text


def test_bytes_outside_the_forced_encoding_are_reported_with_line_and_offset(tmp_path):
    path = write(tmp_path, "latin.txt", "Title\n\nIt costs £5.".encode("latin-1"))
    assert read_one(path, encoding="ascii") == SourceError(
        str(path), 3, "not valid ascii text (byte 0xa3 at offset 16); is --encoding right?"
    )


def test_forced_utf8_drops_a_byte_order_mark_from_the_first_jsonl_line(tmp_path):
    path = write(tmp_path, "w.jsonl", b"\xef\xbb\xbf" + '{"id": "w1", "text": "Café owners met."}\n'.encode())
    assert read_one(path, encoding="utf-8").id == "w1"


def test_forced_encoding_applies_to_jsonl_lines(tmp_path):
    path = write(tmp_path, "w.jsonl", '{"id": "w1", "text": "Café owners met."}\n'.encode("cp1252"))
    assert read_one(path, encoding="cp1252").text == "Café owners met."


# --- CSV and TSV ----------------------------------------------------------------


def test_csv_rows_become_articles_with_a_quoted_multi_line_field():
    path = FORMATS / "wire.csv"
    first, second = read(path)
    assert (first.origin, *fields(first)) == (
        f"{path}:2", "csv-0401-kowalczyk", "Kowalczyk backs Castellano", "2025-04-01",
        "https://ostoriawire.example/2025/04/01/kowalczyk-castellano", None, None,
    )
    assert first.text == (
        "Irene Kowalczyk, the director of Citizens for a Cleaner Ostoria, endorsed Raymond Castellano for state "
        "treasurer on Tuesday.\n\nShe said his audit of the harbor fund had \"shown what the money really paid for\"."
    )
    assert (second.origin, second.id) == (f"{path}:5", "csv-0402-brandt-okafor")


def test_csv_columns_are_found_by_the_usual_names_in_any_case(tmp_path):
    path = write(tmp_path, "t.csv", "Headline,Content,Published,Link,Publisher,Author\n"
                                    "H,Body text.,2025-01-02,https://a.example/x,Daily,Ana Ruiz\n")
    article = read_one(path)
    assert (article.text, *fields(article)) == (
        "Body text.", "url-" + article.id[4:], "H", "2025-01-02", "https://a.example/x", "Daily", "Ana Ruiz",
    )


def test_tsv_is_read_with_tabs(tmp_path):
    path = write(tmp_path, "t.tsv", "title\ttext\nOkafor slams bond\tRep. Daniel Okafor slammed the bond.\n")
    article = read_one(path)
    assert (article.title, article.text) == ("Okafor slams bond", "Rep. Daniel Okafor slammed the bond.")


def test_column_option_overrides_the_usual_names(tmp_path):
    path = write(tmp_path, "t.csv", "text,lede,story_body\nshort,Lede.,The full story.\n")
    assert read_one(path, columns={"text": "STORY_BODY", "title": "lede"}).text == "The full story."


def test_column_option_naming_a_missing_column_is_reported(tmp_path):
    path = write(tmp_path, "t.csv", "headline,body\nH,B\n")
    assert read_one(path, columns={"text": "story"}) == SourceError(
        str(path), 1, "no column 'story' for --column text=story (its columns: headline, body)"
    )


def test_table_without_a_text_column_is_reported_with_the_option_to_name_one(tmp_path):
    path = write(tmp_path, "t.csv", "headline,lede\nH,L\n")
    assert read_one(path) == SourceError(
        str(path), 1,
        "no text column: none of text, content, body, article, maintext, story among its columns (headline, lede);"
        " name it with --column text=COLUMN",
    )


def test_bad_csv_rows_are_reported_as_file_line_and_row_and_the_rest_is_read(tmp_path):
    path = write(tmp_path, "t.csv", 'title,text\nA,First.\nB,\nC,Third.,extra\n\n"D","Fourth\nstory."\n')
    assert [str(item) if isinstance(item, SourceError) else item.text for item in read(path)] == [
        "First.",
        f"{path}:3: row 2: no text in column 'text'",
        f"{path}:4: row 3: 3 fields, the header has 2",
        "Fourth\nstory.",
    ]


def test_csv_in_windows_1252_is_decoded(tmp_path):
    path = write(tmp_path, "t.csv", "title,text\nQuote,\"“We will build it,” Ferrante said.\"\n".encode("cp1252"))
    assert read_one(path).text == "“We will build it,” Ferrante said."


def test_csv_field_longer_than_the_csv_modules_default_limit_is_read(tmp_path):
    body = "Sen. Margaret Ellison endorsed Raymond Castellano. " * 4_000
    path = write(tmp_path, "t.csv", f'title,text\nLong,"{body}"\n')
    assert len(read_one(path).text) == len(body.strip()) > 131_072


def test_csv_with_only_a_header_gives_nothing(tmp_path):
    assert read(write(tmp_path, "t.csv", "title,text\n")) == []


def test_empty_csv_is_reported(tmp_path):
    path = write(tmp_path, "t.csv", "")
    assert read_one(path) == SourceError(str(path), None, "empty file")


# --- Parquet --------------------------------------------------------------------


def test_parquet_rows_become_articles_with_dates_in_iso_form():
    path = FORMATS / "ledger.parquet"
    first, second = read(path)
    assert (first.origin, first.text, *fields(first)) == (
        f"{path} (row 1)",
        "Sen. Margaret Ellison donated $3,000 to Raymond Castellano's campaign for state treasurer, "
        "filings showed on Sunday.",
        "pq-0406-ellison-castellano", "Ellison gives $3,000 to Castellano", "2025-04-06", None,
        "The Ostoria Ledger", None,
    )
    assert second.id == "pq-0407-okafor-halloran"


def test_parquet_row_without_text_is_reported_and_the_rest_is_read(tmp_path):
    rows = [{"id": "a", "text": "First."}, {"id": "b", "text": None}, {"id": "c", "text": "Third."}]
    path = formats.write_ledger_parquet(tmp_path / "t.parquet", rows)
    assert [str(item) if isinstance(item, SourceError) else item.id for item in read(path)] == [
        "a", f"{path}: row 2: no text in column 'text'", "c",
    ]


def test_parquet_columns_can_be_named(tmp_path):
    path = formats.write_ledger_parquet(tmp_path / "t.parquet", [{"summary": "S.", "full_text": "Full."}])
    assert read_one(path, columns={"text": "full_text"}).text == "Full."


def test_file_that_is_not_parquet_is_reported(tmp_path):
    path = write(tmp_path, "t.parquet", "title,text\n")
    result = read_one(path)
    assert (result.path, result.reason.startswith("not a readable Parquet file: ")) == (str(path), True)


# --- feeds ----------------------------------------------------------------------


def test_atom_entries_become_articles_with_the_feed_title_as_source():
    path = FORMATS / "ledger.atom"
    first, second = read(path)
    assert (first.origin, first.text, *fields(first)) == (
        f"{path} (entry 1)",
        "Sen. Margaret Ellison endorsed Rep. Priya Raman for chair of the harbor committee on Thursday.\n"
        "Ellison said Raman knew the port budget better than anyone in the capitol.",
        "url-" + first.id[4:], "Ellison endorses Raman for committee chair", "2025-04-03T08:30:00+00:00",
        "https://ostorialedger.example/politics/2025/04/03/ellison-raman", "The Ostoria Ledger", "Dana Whitlow",
    )
    assert (second.text, second.author) == (
        "Mayor Lucia Ferrante criticized Halloran Logistics on Thursday for moving trucks through Quay Street at "
        "night.",
        "Marcus Tell",
    )


def test_rss_items_become_articles():
    article = read_one(FORMATS / "wire.rss")
    assert (article.text, *fields(article)) == (
        "Raymond Castellano donated $2,000 to Rep. Daniel Okafor's campaign, filings showed on Friday.",
        "url-" + article.id[4:], "Castellano gives $2,000 to Okafor", "2025-04-04T14:15:00+00:00",
        "https://ostoriawire.example/2025/04/04/castellano-okafor", "Ostoria Wire",
        "desk@ostoriawire.example (Lena Park)",
    )


def test_feed_entry_without_text_is_reported_and_the_rest_is_read(tmp_path):
    path = write(tmp_path, "f.rss", """<rss version="2.0"><channel><title>W</title>
        <item><title>Empty</title><link>https://w.example/1</link></item>
        <item><title>Full</title><link>https://w.example/2</link><description>Body.</description></item>
        </channel></rss>""")
    assert [str(item) if isinstance(item, SourceError) else item.text for item in read(path)] == [
        f"{path}: entry 1: no content or summary", "Body.",
    ]


def test_cut_off_feed_gives_its_entries_and_names_the_line(tmp_path):
    path = write(tmp_path, "f.rss", '<rss version="2.0"><channel><title>W</title>\n'
                                    "<item><title>A</title><description>Body A.</description></item>\n<item><ti")
    article, cut_entry, cut = read(path)
    assert (article.text, str(cut_entry)) == ("Body A.", f"{path}: entry 2: no content or summary")
    assert cut.reason == "not well-formed XML (unclosed token); the entries before it were read"


def test_xml_file_that_is_not_a_feed_is_reported(tmp_path):
    path = write(tmp_path, "data.xml", "<catalog><book>Ostoria</book></catalog>")
    assert read_one(path) == SourceError(str(path), None, "not an RSS or Atom feed")


def test_feed_html_becomes_one_line_per_paragraph():
    assert html_to_text("<p>One <b>bold</b> line.</p><p>Two<br>lines.</p><ul><li>Item</li></ul>") == (
        "One bold line.\nTwo\nlines.\nItem"
    )


# --- web archives ---------------------------------------------------------------


def test_warc_html_page_becomes_an_article_and_other_records_are_skipped():
    path = FORMATS / "crawl.warc.gz"
    info, page, image = read(path)
    assert (info, image) == (
        Skipped(str(path), "WARC record", "warcinfo"), Skipped(str(path), "WARC record", "image/png")
    )
    assert (page.origin, page.text, *fields(page)) == (
        f"{path} (record 2)",
        "Rep. Priya Raman criticized Gov. Thomas Brandt on Friday for raising ferry fares to Port Adley for the "
        "second time in a year.\nRaman said commuters from the islands had no other way to reach their jobs, and "
        "that the state should freeze fares until the harbor repairs are done.",
        "url-" + page.id[4:], "Raman criticizes Brandt over ferry fares", "2025-04-04", formats.PAGE_URI, None,
        "Noor Hadid",
    )


def page_record(body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    return formats.response_record(formats.PAGE_URI, status, content_type, body, 7)


def test_warc_page_without_a_date_gets_the_records_date(tmp_path):
    page = formats.PAGE.replace('<meta property="article:published_time" content="2025-04-04">', "")
    path = write(tmp_path, "c.warc.gz", page_record(page.encode()))
    assert read_one(path).published == "2025-04-05T08:00:00+00:00"


def test_warc_page_in_latin1_is_decoded_by_its_http_charset(tmp_path):
    page = formats.PAGE.replace("Port Adley", "Port Adley (£3 a trip)").replace('<meta charset="utf-8">', "")
    path = write(tmp_path, "c.warc.gz", page_record(page.encode("latin-1"), "text/html; charset=iso-8859-1"))
    assert "Port Adley (£3 a trip)" in read_one(path).text


def test_warc_error_pages_and_requests_are_skipped(tmp_path):
    request = formats.warc_record("request", b"GET / HTTP/1.1\r\n\r\n", uri=formats.PAGE_URI,
                                  content_type="application/http; msgtype=request", number=8)
    gone = page_record(b"<html><body>Gone</body></html>", status="404 Not Found")
    path = write(tmp_path, "c.warc.gz", request + gone)
    assert read(path) == [Skipped(str(path), "WARC record", "request"), Skipped(str(path), "WARC record", "HTTP 404")]


def test_uncompressed_warc_is_read(tmp_path):
    path = write(tmp_path, "c.warc", gzip.decompress(formats.crawl_warc()))
    assert [type(item) for item in read(path)] == [Skipped, Article, Skipped]


def test_cut_off_warc_keeps_the_records_before_the_cut(tmp_path):
    whole = formats.crawl_warc()
    path = write(tmp_path, "c.warc.gz", whole[: len(whole) - 40])
    assert [type(item) for item in read(path)] == [Skipped, Article, SourceError]
    assert read(path)[2].reason == (
        "record 3 (https://harborgazette.example/logo.png): response without an HTTP status line;"
        " is the archive cut off?"
    )


def test_warc_page_cut_off_is_reported(tmp_path):
    record = page_record(formats.PAGE.encode())
    path = write(tmp_path, "c.warc.gz", gzip.compress(gzip.decompress(record)[:700]))
    assert read_one(path) == SourceError(
        str(path), None, f"record 1 ({formats.PAGE_URI}): cut off after 335 of 822 bytes"
    )


def test_page_without_article_text_names_the_record(tmp_path):
    path = write(tmp_path, "c.warc.gz", page_record(b"<html><head><title>T</title></head><body></body></html>"))
    assert read_one(path) == SourceError(
        str(path), None, f"record 1 ({formats.PAGE_URI}): no article text found in HTML"
    )


# --- the command line -----------------------------------------------------------


def test_cli_ingests_every_format_and_counts_what_it_skipped(runner, embedded_env):
    result = runner.invoke(app, ["ingest", str(FORMATS), "--format", "json"], env=embedded_env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["articles_written"], summary["failed"]) == (10, [])
    assert summary["skipped_other"] == {"WARC record": {"image/png": 1, "warcinfo": 1}}


def test_cli_text_summary_lists_files_of_other_types(runner, embedded_env, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.txt", "Title\n\nRep. Daniel Okafor slammed the bond.")
    write(folder, "logo.png", b"\x89PNG\r\n\x1a\n")
    write(folder, "scan.pdf", b"%PDF-1.7")
    write(folder, "photo.png", b"\x89PNG\r\n\x1a\n")
    result = runner.invoke(app, ["ingest", str(folder)], env=embedded_env)
    assert result.exit_code == 0, result.output
    assert "3 files of other types skipped: .pdf, .png" in result.stdout.splitlines()


def test_cli_column_option_reaches_the_table_reader(runner, tmp_path):
    path = write(tmp_path, "t.csv", "lede,story\nL,Sen. Margaret Ellison endorsed Raymond Castellano on Monday.\n")
    result = runner.invoke(app, ["extract", str(path), "--column", "text=story"])
    assert result.exit_code == 0, result.output
    assert [r["predicate"] for r in json.loads(result.stdout)["relations"]] == ["ENDORSES"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--column", "body"], "--column body: expected FIELD=COLUMN with FIELD one of text, title, published, url"),
        (["--encoding", "klingon"], "--encoding klingon: unknown encoding"),
    ],
)
def test_cli_bad_reading_options_exit_2(runner, option, message):
    result = runner.invoke(app, ["extract", str(FORMATS / "wire.csv"), *option])
    assert result.exit_code == 2
    assert message in result.stderr
