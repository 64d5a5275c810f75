"""Graph stores: one interface, a Neo4j server or the embedded default.

Both stores take resolved ArticleGraphs and write them idempotently: the same
batch written twice leaves the same nodes, relationships and properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from kg.records import ArticleGraph, WriteStats

if TYPE_CHECKING:
    import networkx as nx


class GraphStore(Protocol):
    #: Says where the graph lives, for output ("Neo4j at bolt://...").
    description: str

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to call again."""

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """The subset of these article ids already written."""

    def people_by_surname(self, surnames: Iterable[str]) -> dict[str, list[str]]:
        """Person entity ids keyed by lower-cased surname, for cross-article resolution."""

    def write(self, graphs: Sequence[ArticleGraph]) -> WriteStats:
        """Write a batch of articles in one transaction: all of it or none."""

    def counts(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}."""

    def to_networkx(self, include_articles: bool = False) -> nx.MultiDiGraph:
        """The whole entity graph, for analysis, export and drawing.

        Nodes: entity id -> name, type, aliases. Edges: one per relation, key
        "<PREDICATE>:<article_id>:<start>". With include_articles also nodes
        "article:<id>" (type "Article") and their MENTIONS edges (count).
        """

    def close(self) -> None: ...


def open_store(*, neo4j=None, data_dir=None) -> GraphStore:
    """Neo4j when settings are given, else the embedded store in `data_dir`."""
    if neo4j is not None:
        from kg.store.neo4j import Neo4jStore

        return Neo4jStore(neo4j.uri, user=neo4j.user, password=neo4j.password, database=neo4j.database)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(data_dir or "kg-data")
