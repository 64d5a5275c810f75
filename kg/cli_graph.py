"""`kg` commands that read the graph: query, browse, viz, analyze, export, push."""

from __future__ import annotations

from kg.cli import app  # noqa: F401
