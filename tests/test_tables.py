"""Terminal tables (kg.tables) at 80 and 120 columns: every column shows text, or rows become records."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from kg.tables import READABLE, column_widths, fits_as_table, render

#: `kg extract --format table`: a long sentence beside short columns.
EXTRACT_COLUMNS = ["article", "subject", "predicate", "object", "amount", "sentence"]
EXTRACT_ROWS = [
    ["text-52927885380facb9", "Margaret Ellison", "ENDORSES", "Raymond Castellano", "",
     "PORT ADLEY, Ost. - Sen. Margaret Ellison (D-Ost.) endorsed Raymond Castellano for state treasurer on Monday, "
     "calling him the steadiest hand with public money the state has seen in a generation."],
    ["text-06bebb5ce5fe2e50", "Victor Halloran", "DONATED_TO", "Raymond Castellano", "$25,000",
     "Victor Halloran, the founder of Halloran Logistics, gave $25,000 to Raymond Castellano's campaign."],
]
#: `kg query entity-profile`: ten columns, one of them a long list of titles.
PROFILE_COLUMNS = ["name", "type", "aliases", "articles", "endorses", "endorsed_by", "donated_to",
                   "donations_from", "criticized", "criticized_by"]
PROFILE_ROWS = [["Margaret Ellison", "PERSON", '["Ellison"]',
                 '["Brandt slams Ferrante over harbor borrowing plan", "Ellison criticizes Halloran Logistics over job '
                 'cuts", "Ellison endorses Castellano in treasurer race"]', "1", "1", "0", "0", "2", "0"]]


def shown(columns, rows, width):
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(render(columns, rows, width))
    return console.file.getvalue()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("columns, rows", [(EXTRACT_COLUMNS, EXTRACT_ROWS), (PROFILE_COLUMNS, PROFILE_ROWS)],
                         ids=["extract", "entity-profile"])
def test_every_column_shows_its_header_and_the_start_of_each_cell(columns, rows, width):
    text = shown(columns, rows, width)
    assert max(len(line) for line in text.splitlines()) <= width
    for header in columns:
        assert header[:READABLE - 2] in text
    for row in rows:
        for cell in row:
            assert cell.split(" ")[0][:READABLE - 2] in text


def test_a_table_that_fits_keeps_its_columns_side_by_side():
    assert fits_as_table(EXTRACT_COLUMNS, EXTRACT_ROWS, 120)
    header = next(line for line in shown(EXTRACT_COLUMNS, EXTRACT_ROWS, 120).splitlines() if "article" in line)
    assert [cell.strip() for cell in header.strip("│").split("│")] == EXTRACT_COLUMNS


def test_rows_too_wide_for_the_terminal_become_records():
    assert not fits_as_table(PROFILE_COLUMNS, PROFILE_ROWS, 80)
    lines = shown(PROFILE_COLUMNS, PROFILE_ROWS, 80).splitlines()
    assert lines[0].startswith("1 of 1 ─")
    assert [line.split()[0] for line in lines[1:] if line[:1].strip()] == PROFILE_COLUMNS


def test_each_column_gets_a_readable_share_before_the_widest_gets_the_rest():
    widths = column_widths([21, 16, 10, 18, 7, 180], 100)
    assert widths == [14, 13, 10, 13, 7, 43] and sum(widths) == 100
