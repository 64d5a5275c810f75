"""Specification of kg.sources: how files, directories, globs and stdin become articles.

Test data:
- examples/articles/: eight original articles about fictional politicians in
  the fictional state of Ostoria (abbreviated "Ost."), one or more in each
  format (.txt, .md, .html, a .json list of two, a .jsonl of three). Together
  they state ENDORSES, DONATED_TO and CRITICIZED relations in plain sentences,
  reuse people across articles (Victor Halloran, Margaret Ellison, Lucia
  Ferrante ...), and hold one negated ("did not endorse") and one hypothetical
  ("may donate") sentence that must not become relations.
- tests/data/bad/: one file per kind of bad (or awkward but good) input.
- tests/data/mixed/: three good files and three bad ones, for a batch test.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import socket
import sys
from pathlib import Path

import pytest

from kg.records import Article, Skipped, SkippedTally, SourceError
from kg.sources import article_id, read_articles

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
BAD = ROOT / "tests" / "data" / "bad"
MIXED = ROOT / "tests" / "data" / "mixed"
SUPPORTED = ".txt .md .html .htm .json .jsonl .ndjson .csv .tsv .parquet .rss .atom .xml .warc .warc.gz"


def read(*paths: Path | str, **options) -> list[Article | SourceError]:
    return list(read_articles([str(path) for path in paths], **options))


def read_one(path: Path | str, **options) -> Article | SourceError:
    (result,) = read(path, **options)
    return result


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def sha16(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def summary(results: list[Article | SourceError]) -> list[tuple]:
    """Each result as (kind, where, id or reason), for exact whole-batch comparisons."""
    return [
        ("article", item.origin, item.id) if isinstance(item, Article) else ("error", item.path, item.line, item.reason)
        for item in results
    ]


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- plain text and Markdown --------------------------------------------------


def test_txt_first_line_is_title_and_the_rest_is_text(tmp_path):
    path = write(
        tmp_path,
        "story.txt",
        "Ellison endorses Castellano\n\nSen. Margaret Ellison endorsed Raymond Castellano.\nMore.\n",
    )
    assert read_one(path) == Article(
        id="text-" + sha16("Sen. Margaret Ellison endorsed Raymond Castellano. More."),
        text="Sen. Margaret Ellison endorsed Raymond Castellano.\nMore.",
        title="Ellison endorses Castellano",
        origin=str(path),
    )


def test_txt_title_is_the_first_non_empty_line(tmp_path):
    path = write(tmp_path, "story.txt", "\n\n   \n  Okafor slams bond  \nRep. Daniel Okafor slammed the bond.\n")
    article = read_one(path)
    assert (article.title, article.text) == ("Okafor slams bond", "Rep. Daniel Okafor slammed the bond.")


def test_txt_with_one_line_has_no_title(tmp_path):
    path = write(tmp_path, "story.txt", "\nRep. Daniel Okafor slammed the bond.\n\n")
    article = read_one(path)
    assert (article.title, article.text) == (None, "Rep. Daniel Okafor slammed the bond.")


def test_md_title_drops_heading_marks(tmp_path):
    path = write(tmp_path, "story.md", "## Raman backs Ellison\n\nRep. Priya Raman endorsed Sen. Margaret Ellison.\n")
    article = read_one(path)
    assert (article.title, article.text) == ("Raman backs Ellison", "Rep. Priya Raman endorsed Sen. Margaret Ellison.")


def test_txt_title_keeps_hash_marks(tmp_path):
    path = write(tmp_path, "story.txt", "#1 story of the week\n\nThe council voted.\n")
    assert read_one(path).title == "#1 story of the week"


def test_extensions_are_case_insensitive(tmp_path):
    path = write(tmp_path, "STORY.TXT", "Title\n\nBody text.\n")
    assert read_one(path).text == "Body text."


# --- HTML ---------------------------------------------------------------------

BRANDT_URL = "https://ostorialedger.example/politics/2025/03/06/brandt-slams-ferrante"


def test_html_gives_main_text_and_page_metadata():
    article = read_one(EXAMPLES / "2025-03-06-brandt-slams-ferrante.html")
    assert (article.id, article.title, article.author, article.published, article.url, article.source) == (
        "url-c1ce582de6bf7988",
        "Brandt slams Ferrante over harbor borrowing plan",
        "Dana Whitlow",
        "2025-03-06",
        BRANDT_URL,
        "The Ostoria Ledger",
    )
    assert article.id == "url-" + sha16(BRANDT_URL)


def test_html_text_starts_after_the_headline_and_leaves_out_page_furniture():
    text = read_one(EXAMPLES / "2025-03-06-brandt-slams-ferrante.html").text
    assert text.startswith("Gov. Thomas Brandt slammed Port Adley Mayor Lucia Ferrante on Thursday")
    assert text.endswith("after public hearings in each of the city's four wards.")
    for furniture in ("Subscribe", "Most read", "Harbor Hawks", "dataLayer", "All rights reserved", "Dana Whitlow"):
        assert furniture not in text


def test_htm_is_read_as_html(tmp_path):
    page = (EXAMPLES / "2025-03-06-brandt-slams-ferrante.html").read_text(encoding="utf-8")
    article = read_one(write(tmp_path, "page.HTM", page))
    assert article.url == BRANDT_URL


def test_html_is_read_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("reading a saved page must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert isinstance(read_one(EXAMPLES / "2025-03-06-brandt-slams-ferrante.html"), Article)


def test_html_without_canonical_link_gets_a_text_id(tmp_path):
    paragraph = (
        "Raymond Castellano criticized Gov. Thomas Brandt on Wednesday for delaying the audit of the harbor fund. "
        "Castellano said taxpayers deserved to know how the money had been spent since the last storm season."
    )
    page = (
        "<html><head><title>Audit delay</title></head>"
        f"<body><article><h1>Audit delay</h1><p>{paragraph}</p></article></body></html>"
    )
    article = read_one(write(tmp_path, "page.html", page))
    assert (article.url, article.title, article.text, article.id) == (
        None,
        "Audit delay",
        paragraph,
        "text-" + sha16(paragraph),
    )


def test_html_without_body_is_reported():
    assert read_one(BAD / "no-body.html") == SourceError(
        str(BAD / "no-body.html"), None, "no article text found in HTML"
    )


def test_paragraph_in_deeply_nested_html_is_found_by_the_fallback():
    article = read_one(BAD / "nested.html")
    assert (article.title, article.text) == (
        "Ferrante criticizes Brandt over harbor delay",
        "Mayor Lucia Ferrante criticized Gov. Thomas Brandt on Friday for delaying the harbor repairs again. "
        "Ferrante said the city had waited eight years for the state to act, and that the council would not wait "
        "any longer. Brandt's office said the governor would answer the mayor's letter next week.",
    )


def test_html_parser_failure_is_reported_and_the_batch_goes_on(monkeypatch, tmp_path):
    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("kg.sources.html.trafilatura.bare_extraction", crash)
    page = write(tmp_path, "a.html", "<html><body><p>x</p></body></html>")
    text = write(tmp_path, "b.txt", "Title\n\nBody.")
    assert summary(read(page, text)) == [
        ("error", str(page), None, "HTML could not be parsed: RecursionError: maximum recursion depth exceeded"),
        ("article", str(text), "text-" + sha16("Body.")),
    ]


def test_html_extraction_prints_nothing(capfd):
    read(BAD / "no-body.html", EXAMPLES / "2025-03-06-brandt-slams-ferrante.html")
    assert capfd.readouterr() == ("", "")


# --- JSON ---------------------------------------------------------------------


def test_json_object_is_one_article_with_its_fields(tmp_path):
    record = {
        "id": "a-1",
        "text": " Rep. Priya Raman endorsed Sen. Margaret Ellison. ",
        "title": "Raman backs Ellison",
        "url": "https://news.example/raman",
        "published": "2025-03-12",
        "source": "Ostoria Wire",
        "author": "Marcus Feld",
    }
    path = write(tmp_path, "one.json", json.dumps(record))
    assert read_one(path) == Article(
        id="a-1",
        text="Rep. Priya Raman endorsed Sen. Margaret Ellison.",
        title="Raman backs Ellison",
        url="https://news.example/raman",
        published="2025-03-12",
        source="Ostoria Wire",
        author="Marcus Feld",
        origin=str(path),
    )


def test_json_list_yields_each_article_in_order():
    path = EXAMPLES / "2025-03-11-ledger-roundup.json"
    assert summary(read(path)) == [
        ("article", f"{path} (item 1)", "ledger-2025-03-11-union-ferrante"),
        ("article", f"{path} (item 2)", "ledger-2025-03-12-raman-ellison"),
    ]


def test_json_list_errors_name_the_item_counting_from_one(tmp_path):
    records = [{"text": "One."}, {"text": "Two."}, {"title": "No text"}, 7]
    path = write(tmp_path, "list.json", json.dumps(records))
    assert summary(read(path))[2:] == [
        ("error", str(path), None, "item 3: record has no 'text' (its fields: title)"),
        ("error", str(path), None, "item 4: expected a JSON object, got number"),
    ]


def test_json_object_without_text_is_reported():
    assert read_one(BAD / "not-article.json") == SourceError(
        str(BAD / "not-article.json"), None, "record has no 'text' (its fields: headline, body)"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("42", "expected a JSON object or a list of objects, got number"),
        ('"just a string"', "expected a JSON object or a list of objects, got string"),
        ("null", "expected a JSON object or a list of objects, got null"),
        ("[]", "empty JSON list: no articles"),
    ],
)
def test_json_that_is_not_articles_is_reported(tmp_path, content, reason):
    path = write(tmp_path, "data.json", content)
    assert read_one(path) == SourceError(str(path), None, reason)


def test_json_list_of_numbers_reports_each_item(tmp_path):
    path = write(tmp_path, "numbers.json", "[1, 2, 3]")
    assert [error.reason for error in read(path)] == [
        "item 1: expected a JSON object, got number",
        "item 2: expected a JSON object, got number",
        "item 3: expected a JSON object, got number",
    ]


def test_invalid_json_reports_the_line_and_the_parser_message(tmp_path):
    path = write(tmp_path, "broken.json", '{\n  "id": "x",\n  "text": "Okafor slammed\n}\n')
    assert read_one(path) == SourceError(str(path), 3, "invalid JSON: Invalid control character at (column 26)")


def test_json_lines_saved_as_json_get_a_hint(tmp_path):
    path = write(tmp_path, "lines.json", '{"text": "One."}\n{"text": "Two."}\n')
    assert read_one(path) == SourceError(
        str(path), 2, "invalid JSON: Extra data (column 1); one object per line needs the .jsonl extension"
    )


def test_extra_fields_are_ignored(tmp_path):
    record = {
        "id": "gold-1",
        "text": "Sen. Margaret Ellison endorsed Raymond Castellano.",
        "relations": [["a", "b"]],
        "tests": {"x": 1},
    }
    path = write(tmp_path, "gold.jsonl", json.dumps(record) + "\n")
    assert read_one(path) == Article(
        id="gold-1", text="Sen. Margaret Ellison endorsed Raymond Castellano.", origin=f"{path}:1"
    )


def test_integer_id_becomes_a_string(tmp_path):
    path = write(tmp_path, "n.jsonl", '{"id": 1234, "text": "The council voted."}\n')
    assert read_one(path).id == "1234"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": "Body.", "title": 5}, "'title' should be a string, got number"),
        ({"text": "Body.", "url": ["https://a.example"]}, "'url' should be a string, got list"),
        ({"text": "Body.", "id": 1.5}, "'id' should be a string or an integer, got number"),
        ({"text": "Body.", "id": True}, "'id' should be a string or an integer, got boolean"),
    ],
)
def test_fields_of_the_wrong_type_are_reported(tmp_path, record, reason):
    path = write(tmp_path, "typed.jsonl", json.dumps(record) + "\n")
    assert read_one(path) == SourceError(str(path), 1, reason)


def test_empty_metadata_strings_count_as_absent(tmp_path):
    path = write(
        tmp_path, "blank.jsonl", json.dumps({"text": "Body.", "title": "  ", "url": "", "author": None}) + "\n"
    )
    article = read_one(path)
    assert (article.title, article.url, article.author, article.id) == (None, None, None, "text-" + sha16("Body."))


# --- JSON Lines ---------------------------------------------------------------


def test_jsonl_yields_one_article_per_line_with_its_line_as_origin():
    path = EXAMPLES / "2025-03-14-ostoria-wire.jsonl"
    assert summary(read(path)) == [
        ("article", f"{path}:1", "wire-0314-halloran-okafor"),
        ("article", f"{path}:2", "wire-0315-clean-air-ferrante"),
        ("article", f"{path}:3", "wire-0317-ellison-halloran-logistics"),
    ]


def test_ndjson_is_read_as_jsonl(tmp_path):
    path = write(tmp_path, "feed.ndjson", '{"id": "n1", "text": "One."}\n{"id": "n2", "text": "Two."}\n')
    assert [article.id for article in read(path)] == ["n1", "n2"]


def test_jsonl_broken_line_and_record_without_text_are_reported_and_reading_goes_on():
    path = str(BAD / "broken.jsonl")
    assert summary(read(path)) == [
        ("article", f"{path}:1", "b1"),
        ("article", f"{path}:2", "b2"),
        ("error", path, 3, "invalid JSON: Unterminated string starting at (column 22)"),
        ("article", f"{path}:5", "b5"),
        ("error", path, 6, "record has no 'text' (its fields: id, title, summary)"),
    ]


def test_jsonl_line_that_is_not_an_object_is_reported(tmp_path):
    path = write(tmp_path, "lists.jsonl", '["a", "b"]\n"text"\n')
    assert read(path) == [
        SourceError(str(path), 1, "expected a JSON object, got list"),
        SourceError(str(path), 2, "expected a JSON object, got string"),
    ]


@pytest.mark.parametrize("text", [None, 12, "", "  \n\t "])
def test_jsonl_record_without_usable_text_is_reported(tmp_path, text):
    path = write(tmp_path, "t.jsonl", json.dumps({"id": "x", "text": text}) + "\n")
    assert read_one(path) == SourceError(str(path), 1, "record has no 'text'")


def test_jsonl_with_crlf_line_ends_is_read(tmp_path):
    path = write(
        tmp_path, "win.jsonl", b'{"id": "w1", "text": "One.\\r\\nTwo."}\r\n\r\n{"id": "w2", "text": "Three."}\r\n'
    )
    assert [(article.id, article.text, article.origin) for article in read(path)] == [
        ("w1", "One.\nTwo.", f"{path}:1"),
        ("w2", "Three.", f"{path}:3"),
    ]


def test_jsonl_encoding_is_decided_by_the_first_line_that_is_not_ascii(tmp_path):
    content = b'{"id": "g1", "text": "Good."}\n{"id": "g2", "text": "Caf\xe9 owners met Mayor Lucia Ferrante."}\n'
    path = write(tmp_path, "latin.jsonl", content)
    assert [article.text for article in read(path)] == ["Good.", "Café owners met Mayor Lucia Ferrante."]


def test_jsonl_line_in_another_encoding_than_the_lines_before_is_reported_and_the_rest_is_read(tmp_path):
    content = (
        '{"id": "g1", "text": "Café."}\n'.encode()
        + b'{"id": "bad", "text": "caf\xe9"}\n'
        + b'{"id": "g3", "text": "Also good."}\n'
    )
    path = write(tmp_path, "mixed.jsonl", content)
    assert summary(read(path)) == [
        ("article", f"{path}:1", "g1"),
        ("error", str(path), 2, "not valid UTF-8 text (byte 0xe9 at offset 57); re-save the file in one encoding"),
        ("article", f"{path}:3", "g3"),
    ]
    assert content[57] == 0xE9


def test_jsonl_with_only_blank_lines_is_empty(tmp_path):
    path = write(tmp_path, "blank.jsonl", "\n  \n\n")
    assert read_one(path) == SourceError(str(path), None, "empty file")


# --- ids ----------------------------------------------------------------------


def test_explicit_id_is_used_as_given():
    assert article_id(id="ledger-7", url="https://a.example/x", text="Body.") == "ledger-7"


def test_url_id_is_a_hash_of_the_url():
    assert article_id(url="https://a.example/x", text="Body.") == "url-" + sha16("https://a.example/x")


def test_text_id_is_a_hash_of_the_normalised_text():
    assert article_id(text="  Sen. Ellison\n endorsed\tCastellano. ") == "text-" + sha16(
        "Sen. Ellison endorsed Castellano."
    )


def test_same_text_with_different_whitespace_gets_the_same_id(tmp_path):
    wrapped = write(tmp_path, "a.txt", "Title\n\nSen. Margaret Ellison endorsed\nRaymond Castellano on Monday.\n")
    one_line = write(
        tmp_path, "b.txt", "Another title\r\n\r\nSen. Margaret Ellison  endorsed Raymond Castellano on Monday."
    )
    assert (
        read_one(wrapped).id
        == read_one(one_line).id
        == "text-" + sha16("Sen. Margaret Ellison endorsed Raymond Castellano on Monday.")
    )


def test_composed_and_decomposed_accents_get_the_same_id():
    assert article_id(text="Caf\u00e9 owners met Ferrante.") == article_id(text="Cafe\u0301 owners met Ferrante.")


def test_same_url_in_two_formats_gets_the_same_id(tmp_path):
    page = (EXAMPLES / "2025-03-06-brandt-slams-ferrante.html").read_text(encoding="utf-8")
    from_html = read_one(write(tmp_path, "page.html", page))
    from_jsonl = read_one(
        write(tmp_path, "page.jsonl", json.dumps({"url": BRANDT_URL, "text": "Different text."}) + "\n")
    )
    assert from_html.id == from_jsonl.id == "url-c1ce582de6bf7988"


def test_ids_do_not_change_between_runs():
    assert [article.id for article in read(EXAMPLES)] == [
        "text-52927885380facb9",
        "text-06bebb5ce5fe2e50",
        "url-c1ce582de6bf7988",
        "ledger-2025-03-11-union-ferrante",
        "ledger-2025-03-12-raman-ellison",
        "wire-0314-halloran-okafor",
        "wire-0315-clean-air-ferrante",
        "wire-0317-ellison-halloran-logistics",
    ]


# --- paths, directories and globs ---------------------------------------------


def test_directory_is_read_recursively_in_path_order_skipping_hidden_files(tmp_path):
    write(tmp_path, "b.txt", "B\n\nb body")
    write(tmp_path, "a/z.md", "Z\n\nz body")
    write(tmp_path, "a/sub/y.txt", "Y\n\ny body")
    write(tmp_path, "a.txt", "A\n\na body")
    write(tmp_path, ".hidden.txt", "H\n\nhidden body")
    write(tmp_path, ".git/c.txt", "C\n\nhidden dir body")
    assert [Path(article.origin).relative_to(tmp_path).as_posix() for article in read(tmp_path)] == [
        "a.txt",
        "a/sub/y.txt",
        "a/z.md",
        "b.txt",
    ]


def test_files_of_other_types_in_a_directory_are_counted_as_skipped(tmp_path):
    write(tmp_path, "a.txt", "A\n\na body")
    write(tmp_path, "photo.PNG", b"\x89PNG\r\n")
    write(tmp_path, "sub/report.pdf", b"%PDF-1.7")
    write(tmp_path, "README", "no extension")
    assert [(type(item).__name__, Path(getattr(item, "origin", None) or item.path).name) for item in read(tmp_path)] == [
        ("Skipped", "README"),
        ("Article", "a.txt"),
        ("Skipped", "photo.PNG"),
        ("Skipped", "report.pdf"),
    ]
    assert read(tmp_path)[2] == Skipped(str(tmp_path / "photo.PNG"), "file", ".png")


def test_skipped_files_are_summarised_in_one_line_per_unit():
    tally = SkippedTally()
    for item in (
        Skipped("a.png", "file", ".png"),
        Skipped("b.pdf", "file", ".pdf"),
        Skipped("c.png", "file", ".png"),
        Skipped("d.warc.gz", "WARC record", "request"),
    ):
        tally.add(item)
    assert tally.lines() == [
        "1 WARC record skipped (not HTML pages): request",
        "3 files of other types skipped: .pdf, .png",
    ]
    assert tally.as_dict() == {"WARC record": {"request": 1}, "file": {".pdf": 1, ".png": 2}}


def test_directory_without_article_files_is_reported(tmp_path):
    write(tmp_path, "notes.pdf", b"%PDF-1.7")
    assert read(tmp_path) == [
        SourceError(str(tmp_path), None, f"no article files ({SUPPORTED}) in this directory"),
        Skipped(str(tmp_path / "notes.pdf"), "file", ".pdf"),
    ]


def test_missing_path_is_reported(tmp_path):
    missing = tmp_path / "nowhere.txt"
    assert read_one(missing) == SourceError(str(missing), None, "no such file or directory")


def test_named_file_with_unsupported_extension_is_reported(tmp_path):
    path = write(tmp_path, "data.pdf", b"%PDF-1.7")
    assert read_one(path) == SourceError(str(path), None, f"unsupported file type '.pdf'; supported: {SUPPORTED}")


def test_named_file_without_extension_is_reported(tmp_path):
    path = write(tmp_path, "README", "text\n")
    assert read_one(path) == SourceError(
        str(path), None, f"unsupported file type without an extension; supported: {SUPPORTED}"
    )


def test_glob_pattern_reads_matches_in_sorted_order(tmp_path):
    for name in ("c.txt", "a.txt", "b.md", "deep/d.txt"):
        write(tmp_path, name, f"{name}\n\nbody of {name}")
    assert [Path(article.origin).name for article in read(tmp_path / "*.txt")] == ["a.txt", "c.txt"]
    assert [Path(article.origin).name for article in read(tmp_path / "**" / "*.txt")] == ["a.txt", "c.txt", "d.txt"]


def test_glob_pattern_counts_unsupported_matches_as_skipped(tmp_path):
    write(tmp_path, "a.txt", "A\n\nbody")
    write(tmp_path, "a.pdf", b"%PDF-1.7")
    assert [type(item) for item in read(tmp_path / "a.*")] == [Skipped, Article]


def test_glob_pattern_matching_nothing_is_reported(tmp_path):
    pattern = str(tmp_path / "*.txt")
    assert read_one(pattern) == SourceError(pattern, None, "no such file or directory")


def test_glob_pattern_matching_only_other_files_is_reported(tmp_path):
    write(tmp_path, "a.pdf", b"%PDF-1.7")
    pattern = str(tmp_path / "*.pdf")
    assert read(pattern)[0] == SourceError(pattern, None, f"no article files ({SUPPORTED}) match this pattern")


def test_paths_are_read_in_the_order_given(tmp_path):
    first = write(tmp_path, "z.txt", "Z\n\nz body")
    second = write(tmp_path, "a.txt", "A\n\na body")
    assert [article.origin for article in read(first, second)] == [str(first), str(second)]


def test_files_are_opened_one_at_a_time_as_results_are_consumed(tmp_path):
    first = write(tmp_path, "one.txt", "One\n\nbody one")
    second = write(tmp_path, "two.txt", "Two\n\nbody two")
    results = read_articles([str(first), str(second)])
    assert next(results).origin == str(first)
    second.unlink()
    assert next(results) == SourceError(str(second), None, "no such file or directory")


# --- stdin --------------------------------------------------------------------


def test_stdin_jsonl_is_read_line_by_line(monkeypatch):
    use_stdin(monkeypatch, b'{"id": "s1", "text": "One."}\n\n{"id": "s2", "text": "Two."}\n')
    assert summary(read("-")) == [("article", "<stdin>:1", "s1"), ("article", "<stdin>:3", "s2")]


def test_stdin_plain_text_is_one_article(monkeypatch):
    use_stdin(monkeypatch, b"\nOkafor slams bond\n\nRep. Daniel Okafor slammed the bond.\n{not json}\n")
    assert read("-") == [
        Article(
            id="text-" + sha16("Rep. Daniel Okafor slammed the bond. {not json}"),
            text="Rep. Daniel Okafor slammed the bond.\n{not json}",
            title="Okafor slams bond",
            origin="<stdin>",
        )
    ]


def test_stdin_jsonl_with_a_broken_line_goes_on(monkeypatch):
    use_stdin(monkeypatch, b'{"id": "s1", "text": "One."}\nnot json\n{"id": "s3", "text": "Three."}\n')
    assert summary(read("-")) == [
        ("article", "<stdin>:1", "s1"),
        ("error", "<stdin>", 2, "invalid JSON: Expecting value (column 1)"),
        ("article", "<stdin>:3", "s3"),
    ]


def test_empty_stdin_is_reported(monkeypatch):
    use_stdin(monkeypatch, b"\n  \n")
    assert read("-") == [SourceError("<stdin>", None, "empty file")]


def test_stdin_jsonl_streams_without_reading_to_the_end(monkeypatch):
    class EndlessFeed(io.RawIOBase):
        """An unbounded JSONL pipe: reading it whole would never return."""

        def __init__(self):
            self.count = 0
            self.pending = b""

        def readable(self):
            return True

        def readinto(self, buffer):
            if not self.pending:
                self.count += 1
                self.pending = json.dumps({"id": f"feed-{self.count}", "text": f"Story {self.count}."}).encode() + b"\n"
            size = min(len(buffer), len(self.pending))
            memoryview(buffer).cast("B")[:size] = self.pending[:size]
            self.pending = self.pending[size:]
            return size

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(EndlessFeed())))
    results = read_articles(["-"])
    assert [next(results).id for _ in range(3)] == ["feed-1", "feed-2", "feed-3"]


# --- decoding and bad inputs --------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "whitespace.txt"])
def test_empty_file_is_reported(name):
    assert read_one(BAD / name) == SourceError(str(BAD / name), None, "empty file")


def test_binary_file_is_reported():
    assert read_one(BAD / "binary.txt") == SourceError(str(BAD / "binary.txt"), None, "binary file, not text")


def test_undecodable_file_names_line_byte_and_offset():
    assert read_one(MIXED / "undecodable.txt") == SourceError(
        str(MIXED / "undecodable.txt"), 2, "not valid UTF-16 text (byte 0x00 at offset 138); re-save the file as UTF-8"
    )
    assert (MIXED / "undecodable.txt").read_bytes()[138:140] == b"\x00\xd8"  # a lone surrogate


def test_utf16_with_bom_is_read():
    article = read_one(BAD / "utf16-bom.txt")
    assert (article.title, article.text) == (
        "Ferrante thanks café owners",
        "Mayor Lucia Ferrante met café owners on Quay Street on Friday.\n"
        "She promised that the harbor works would not close the street in summer.",
    )


def test_utf16_big_endian_with_bom_is_read(tmp_path):
    path = write(tmp_path, "be.txt", codecs.BOM_UTF16_BE + "Título\n\nLa alcaldesa habló.".encode("utf-16-be"))
    article = read_one(path)
    assert (article.title, article.text) == ("Título", "La alcaldesa habló.")


def test_utf8_bom_is_not_part_of_the_title(tmp_path):
    path = write(tmp_path, "bom.md", codecs.BOM_UTF8 + "# Título\n\nTexto.".encode())
    assert read_one(path).title == "Título"


def test_odd_length_utf16_is_reported(tmp_path):
    path = write(tmp_path, "cut.txt", codecs.BOM_UTF16_LE + "Title\nBody".encode("utf-16-le") + b"!")
    assert read_one(path) == SourceError(
        str(path), 2, "not valid UTF-16 text (byte 0x21 at offset 22); re-save the file as UTF-8"
    )


def test_windows_line_ends_become_newlines():
    article = read_one(BAD / "crlf.txt")
    assert (article.title, article.text) == (
        "Okafor criticizes port contract",
        "Rep. Daniel Okafor criticized the port authority on Tuesday"
        " for awarding a dredging contract without a public bid.\n"
        "The authority said the work could not wait.",
    )


def test_non_english_text_is_read():
    article = read_one(BAD / "non-english.txt")
    assert article.title == "Bürgermeisterin Ferrante kritisiert Gouverneur Brandt"
    assert article.text.startswith("Die Bürgermeisterin von Port Adley, Lucia Ferrante, hat Gouverneur Thomas Brandt")


def test_names_with_quotes_and_cypher_keywords_are_kept_verbatim():
    articles = read(BAD / "nasty-names.jsonl")
    assert [article.id for article in articles] == ["nasty-1", "nasty-2", "nasty-3"]
    assert articles[0].text.startswith("Robert'); MATCH (n) DETACH DELETE n; // endorsed Mayor Lucia Ferrante")
    assert "Sen. Margaret `Peg` Ellison criticized the {Harbor} Committee" in articles[1].text


def test_one_huge_line_is_one_article_without_title():
    article = read_one(BAD / "one-huge-line.txt")
    assert (article.title, len(article.text)) == (None, 300_070)
    assert "\n" not in article.text


def test_article_longer_than_spacy_default_max_length_is_read(tmp_path):
    sentence = "Sen. Margaret Ellison endorsed Raymond Castellano for state treasurer on Monday. "
    body = sentence * (1_200_000 // len(sentence))
    path = write(tmp_path, "long.txt", "A very long article\n" + body)
    article = read_one(path)
    assert len(article.text) == len(body.strip()) > 1_000_000


def test_text_over_max_chars_is_reported_with_the_setting_to_raise(tmp_path):
    path = write(tmp_path, "long.txt", "Title\n" + "x" * 1_001)
    assert read_one(path, max_chars=1_000) == SourceError(
        str(path),
        None,
        "article text is 1,001 characters, over the limit of 1,000; raise it with --max-chars or KG_MAX_CHARS",
    )


def test_text_at_max_chars_is_read(tmp_path):
    path = write(tmp_path, "exact.txt", "Title\n" + "x" * 1_000)
    assert len(read_one(path, max_chars=1_000).text) == 1_000


def test_max_chars_in_jsonl_names_the_line(tmp_path):
    path = write(tmp_path, "l.jsonl", '{"text": "short"}\n{"text": "' + "y" * 20 + '"}\n')
    assert summary(read(path, max_chars=10))[1] == (
        "error",
        str(path),
        2,
        "article text is 20 characters, over the limit of 10; raise it with --max-chars or KG_MAX_CHARS",
    )


# --- whole directories --------------------------------------------------------


def test_examples_are_eight_articles_in_five_files_without_errors():
    results = read(EXAMPLES)
    assert [type(result) for result in results] == [Article] * 8
    assert [path.name for path in sorted(EXAMPLES.iterdir())] == [
        "2025-03-03-ellison-endorses-castellano.txt",
        "2025-03-05-halloran-gives-to-castellano.md",
        "2025-03-06-brandt-slams-ferrante.html",
        "2025-03-11-ledger-roundup.json",
        "2025-03-14-ostoria-wire.jsonl",
    ]


def test_bad_corpus_yields_one_result_per_input_without_raising():
    assert [
        (type(result).__name__, Path(result.origin if isinstance(result, Article) else result.path).name)
        for result in read(BAD)
    ] == [
        ("SourceError", "binary.txt"),
        ("Article", "broken.jsonl:1"),
        ("Article", "broken.jsonl:2"),
        ("SourceError", "broken.jsonl"),
        ("Article", "broken.jsonl:5"),
        ("SourceError", "broken.jsonl"),
        ("Article", "crlf.txt"),
        ("SourceError", "empty.txt"),
        ("Article", "latin1.txt"),
        ("Article", "nasty-names.jsonl:1"),
        ("Article", "nasty-names.jsonl:2"),
        ("Article", "nasty-names.jsonl:3"),
        ("Article", "nested.html"),
        ("SourceError", "no-body.html"),
        ("Article", "non-english.txt"),
        ("SourceError", "not-article.json"),
        ("Article", "one-huge-line.txt"),
        ("Article", "utf16-bom.txt"),
        ("Article", "utf16le-no-bom.txt"),
        ("SourceError", "whitespace.txt"),
    ]


def test_mixed_batch_reads_the_good_files_and_reports_the_bad_ones():
    path = str(MIXED)
    assert summary(read(MIXED)) == [
        ("error", f"{path}/binary.txt", None, "binary file, not text"),
        ("article", f"{path}/council-vote.txt", "text-327bff9581f90747"),
        ("error", f"{path}/empty.txt", None, "empty file"),
        ("article", f"{path}/harbor-hearing.html", "url-7f2f5a834f2aef4a"),
        (
            "error",
            f"{path}/undecodable.txt",
            2,
            "not valid UTF-16 text (byte 0x00 at offset 138); re-save the file as UTF-8",
        ),
        ("article", f"{path}/wire.jsonl:1", "mixed-1"),
        ("article", f"{path}/wire.jsonl:2", "mixed-2"),
        ("error", f"{path}/wire.jsonl", 3, "invalid JSON: Unterminated string starting at (column 47)"),
    ]
