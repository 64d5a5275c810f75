"""Rows of text for a terminal: a table where every column gets a readable share, or records.

Rich alone gives each column what its longest cell asks for and then squeezes
the rest, so one long sentence can leave the other columns zero characters
wide. Here every column is promised ``min(its longest text, READABLE)``
characters and the rest of the width goes by need; when even those
promises do not fit the terminal, each row becomes a record instead: a block
of "column  value" lines, one block per row.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

#: Characters a column is promised (its longest text, if shorter).
READABLE = 12
#: Width a table spends per column on borders and padding.
_PER_COLUMN = 3


def _width_needed(header: str, cells: Sequence[str]) -> int:
    return max([len(header), *(max((len(line) for line in c.splitlines()), default=0) for c in cells)])


def fits_as_table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> bool:
    """Whether every column can have its readable share in ``width`` characters."""
    promised = sum(min(_width_needed(h, [r[i] for r in rows]), READABLE) + _PER_COLUMN for i, h in enumerate(columns))
    return promised + 1 <= width


def render(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int, *, title: str | None = None) -> RenderableType:
    """A table of ``rows`` (plain text cells) for a terminal ``width`` wide, or records when it cannot fit."""
    if fits_as_table(columns, rows, width):
        return _table(columns, rows, title, width)
    return _records(columns, rows, title)


def column_widths(needs: Sequence[int], available: int) -> list[int]:
    """Widths for columns wanting ``needs`` characters in ``available``: each first gets
    ``min(need, READABLE)``, then the rest is shared in proportion to what each still wants."""
    widths = [min(n, READABLE) for n in needs]
    spare = available - sum(widths)
    wants = [n - w for n, w in zip(needs, widths)]
    while spare > 0 and any(wants):
        total = sum(wants)
        shares = [min(want, max(1, spare * want // total)) if want else 0 for want in wants]
        for i, share in enumerate(shares):
            share = min(share, spare)
            widths[i] += share
            wants[i] -= share
            spare -= share
    return widths


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None, width: int) -> Table:
    needs = [_width_needed(h, [r[i] for r in rows]) for i, h in enumerate(columns)]
    widths = column_widths(needs, width - 1 - _PER_COLUMN * len(columns))
    table = Table(box=box.SQUARE, title=title, title_justify="left")
    for header, column_width in zip(columns, widths):
        table.add_column(Text(header, overflow="fold"), width=column_width, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _records(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None) -> Group:
    blocks: list[RenderableType] = [Text(title, style="italic")] if title else []
    for n, row in enumerate(rows, 1):
        blocks.append(Rule(f"{n} of {len(rows)}", align="left", style="dim"))
        record = Table.grid(padding=(0, 2))
        record.add_column(style="bold", no_wrap=True)
        record.add_column(overflow="fold")
        for header, cell in zip(columns, row):
            record.add_row(header, Text(cell))
        blocks.append(record)
    return Group(*blocks)


def print_rows(console: Console, columns: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None) -> None:
    """Print ``rows`` on ``console`` as :func:`render` lays them out for its width."""
    console.print(render(columns, rows, console.width, title=title))
