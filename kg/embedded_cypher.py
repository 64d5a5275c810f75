"""A read-only Cypher engine over a networkx graph, for the embedded store.

Why not grand-cypher: grand-cypher 1.2 parses no parameters, OPTIONAL MATCH,
WITH, UNWIND, shortestPath, multi-label node patterns, count(*), CASE or
expressions in RETURN, and its undirected patterns silently match nothing.
The kg query library needs all of those, so this module interprets the part of
Cypher 5 that read queries use, with Neo4j's semantics where they matter for
identical results: three-valued logic, null handling of every operator and
aggregate, integer arithmetic, the global sort order of ORDER BY, grouping
equality (1 = 1.0), relationship uniqueness within a MATCH, undirected
self-loops matched once, and column names taken from the query text.

Supported: MATCH / OPTIONAL MATCH with comma-separated patterns, labels
(``:A:B``, ``:A|B``, ``:A&B``), property maps, directed and undirected
relationships with type alternatives, variable-length relationships
(``*``, ``*2``, ``*1..3``), path variables, shortestPath / allShortestPaths;
WHERE; WITH (with DISTINCT, ORDER BY, SKIP/OFFSET, LIMIT, WHERE); UNWIND;
RETURN (``*`` too); UNION [ALL]; aggregates count (``*`` and DISTINCT), sum,
avg, min, max, collect, stDev; CASE; list and pattern comprehensions;
any/all/none/single; reduce; map projections; COUNT / EXISTS / COLLECT
subqueries and pattern predicates; parameters; the usual scalar, string, list
and math functions. Anything else (writes, CALL, quantified path patterns,
temporal types, ...) raises :class:`CypherUnsupported`.

The graph is whatever answers :class:`GraphAccess`: nodes by label or by an
indexed property, a node's relationships by type and direction, relationships
by type, and relationship counts per node and type. The embedded store
answers it with indexed SQLite queries (kg.store.embedded_graph), so a
pattern anchored on an entity reads only that entity's neighbourhood;
:class:`PropertyGraph` answers it from a whole graph in memory, built from
networkx: a node's labels come from its ``__labels__`` attribute (a set or
list, grand-cypher's convention), a relationship's type from its
``__labels__`` (first element) or ``type`` attribute; every other attribute
whose value is not None is a property, as Neo4j stores no nulls.

Planning is per pattern and per set of variables already bound: each chain
is matched from an end that is bound, or that a property map or a WHERE
conjunct such as ``toLower(n.name) = $name`` lets an index find; a chain
anchored nowhere starts from its relationship type; and a first MATCH whose
relationships are only counted per node and type (most-connected) asks the
graph for the counts instead of the relationships, telling it, when the
query keeps only the first few counts in some order (ORDER BY ... LIMIT, or
the top n of each type through collect and a slice), which ones those are.
"""

from __future__ import annotations

import math
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CypherError",
    "CypherRuntimeError",
    "CypherSyntaxError",
    "CypherTimeout",
    "CypherUnsupported",
    "CountOrder",
    "CountRanking",
    "GraphAccess",
    "Node",
    "Path",
    "PropertyGraph",
    "Relationship",
    "Result",
    "Token",
    "run",
    "tokenize",
]


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class CypherError(Exception):
    """A query the engine could not run; the message is for the user."""


class CypherSyntaxError(CypherError):
    """Not Cypher, or Cypher this engine does not parse."""


class CypherUnsupported(CypherError):
    """Valid Cypher that this engine does not run (writes, CALL, ...)."""


class CypherRuntimeError(CypherError):
    """A failure while running: undefined variable, type mismatch, ..."""


class CypherTimeout(CypherError):
    """The wall-clock bound of the query ran out."""


# ---------------------------------------------------------------------------
# Tokens (also used by kg.query to find writing clauses)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    #: "name" (identifier or keyword), "quoted" (`backticked` name), "string",
    #: "number", "param", "op", "end"
    kind: str
    text: str
    value: Any
    pos: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "name" and self.text.upper() in words


_OPS = (
    "..", "<>", "<=", ">=", "=~", "+=", "::",
    "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "|", "&", "!", "=", "<", ">",
    "+", "-", "*", "/", "%", "^", "$",
)
_NUMBER = re.compile(
    r"0x[0-9a-fA-F]+|0o[0-7]+|(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?"
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\"}


def tokenize(text: str) -> list[Token]:
    """Cypher tokens; comments dropped, string and backticked names decoded.

    Raises CypherSyntaxError on an unterminated string, comment or name.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise CypherSyntaxError(f"unterminated /* comment at {_where(text, i)}")
            i = j + 2
        elif c in "'\"":
            value, j = _read_string(text, i)
            tokens.append(Token("string", text[i:j], value, i))
            i = j
        elif c == "`":
            j = i + 1
            parts = []
            while True:
                k = text.find("`", j)
                if k < 0:
                    raise CypherSyntaxError(f"unterminated `name` at {_where(text, i)}")
                parts.append(text[j:k])
                if text.startswith("``", k):  # a doubled backtick is a literal one
                    parts.append("`")
                    j = k + 2
                    continue
                break
            tokens.append(Token("quoted", text[i:k + 1], "".join(parts), i))
            i = k + 1
        elif c == "$":
            j = i + 1
            if j < n and text[j] == "`":
                k = text.find("`", j + 1)
                if k < 0:
                    raise CypherSyntaxError(f"unterminated parameter name at {_where(text, i)}")
                tokens.append(Token("param", text[i:k + 1], text[j + 1:k], i))
                i = k + 1
                continue
            m = re.compile(r"[A-Za-z0-9_]+").match(text, j)
            if not m:
                raise CypherSyntaxError(f"a parameter name must follow $ at {_where(text, i)}")
            tokens.append(Token("param", text[i:m.end()], m.group(), i))
            i = m.end()
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()
                             and not (tokens and tokens[-1].kind in ("name", "quoted") or
                                      tokens and tokens[-1].text in (")", "]", "}"))):
            m = _NUMBER.match(text, i)
            raw = m.group()
            if raw.startswith(("0x", "0o")):
                value: Any = int(raw, 0)
            elif any(ch in raw for ch in ".eE"):
                value = float(raw)
            else:
                value = int(raw)
            tokens.append(Token("number", raw, value, i))
            i = m.end()
        elif c.isalpha() or c == "_":
            m = _NAME.match(text, i)
            tokens.append(Token("name", m.group(), m.group(), i))
            i = m.end()
        else:
            for op in _OPS:
                if text.startswith(op, i):
                    tokens.append(Token("op", op, op, i))
                    i += len(op)
                    break
            else:
                raise CypherSyntaxError(f"unexpected character {c!r} at {_where(text, i)}")
    tokens.append(Token("end", "", None, n))
    return tokens


def _read_string(text: str, i: int) -> tuple[str, int]:
    quote, j, out = text[i], i + 1, []
    while j < len(text):
        c = text[j]
        if c == quote:
            return "".join(out), j + 1
        if c == "\\" and j + 1 < len(text):
            e = text[j + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                j += 2
                continue
            if e in "uU":
                width = 4 if e == "u" else 8
                digits = text[j + 2:j + 2 + width]
                if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                    out.append(chr(int(digits, 16)))
                    j += 2 + width
                    continue
            raise CypherSyntaxError(f"invalid escape \\{e} in a string at {_where(text, j)}")
        out.append(c)
        j += 1
    raise CypherSyntaxError(f"unterminated string at {_where(text, i)}")


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


# ---------------------------------------------------------------------------
# The graph
# ---------------------------------------------------------------------------


class Node:
    __slots__ = ("inc", "key", "labels", "order", "out", "props")

    def __init__(self, key: Any, labels: frozenset[str], props: dict[str, Any], order: Any):
        self.key, self.labels, self.props, self.order = key, labels, props, order
        #: adjacency, kept by PropertyGraph; a store's GraphAccess answers relationships() itself
        self.out: list[Relationship] = []
        self.inc: list[Relationship] = []

    def __repr__(self) -> str:
        return f"Node({self.key!r})"


class Relationship:
    __slots__ = ("end", "key", "order", "props", "start", "type")

    def __init__(self, key: Any, rel_type: str, start: Node, end: Node, props: dict[str, Any], order: int):
        self.key, self.type, self.start, self.end, self.props, self.order = key, rel_type, start, end, props, order

    def __repr__(self) -> str:
        return f"Relationship({self.start.key!r}-[{self.type}]->{self.end.key!r})"


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass(frozen=True)
class CountOrder:
    """One ORDER BY key over relationships counted per node and type."""

    by: str  # "type" (the relationship type), "count", or "property" (of the node)
    descending: bool = False
    key: str = ""  # the node's property, when by is "property"


@dataclass(frozen=True)
class CountRanking:
    """A query keeps only the first ``limit`` of the (node, type, count) rows
    in ``order`` (the first ``limit`` of each type when ``per_type``) among
    nodes with ``node_label`` (any node when None): so a graph may leave the
    other rows out instead of reading every node they name. When ``summed``,
    the query adds up each node's counts over the types and keeps the first
    ``limit`` nodes by those sums (``order`` has no type key): every row of
    a node kept must come back."""

    order: tuple[CountOrder, ...]
    limit: int
    per_type: bool
    node_label: str | None
    summed: bool = False


class GraphAccess(Protocol):
    """What the engine asks of a graph, so that a store can answer from its
    indexes instead of loading everything: an anchored pattern reads only the
    anchor and its neighbourhood.

    The same node or relationship must come back as the same object for as
    long as a query runs (the engine compares them by identity), and ``order``
    must rank them the same way every time (ORDER BY on nodes uses it).
    """

    def nodes(self, label: str | None = None) -> Iterable[Node]:
        """Every node, or every node with this label, in ``order``."""

    def node_count(self, label: str) -> int:
        """How many nodes carry this label (to pick the smallest of several)."""

    def find_nodes(self, label: str | None, key: str, value: Any, *, folded: bool = False) -> list[Node] | None:
        """The nodes (with this label, when given) whose property ``key``
        equals ``value``; for a list property, that hold it as an element.
        ``folded``: whose property lower-cased (as toLower does) equals
        ``value``. None when no index answers this: the engine scans instead.
        A superset is allowed (the engine checks every candidate again)."""

    def relationships(self, node: Node, direction: str, types: tuple[str, ...]) -> Sequence[Relationship]:
        """The node's relationships of these types (all when empty), "out",
        "in" or "both" (out first), each list in ``order``."""

    def relationships_of_type(self, types: tuple[str, ...]) -> Iterable[Relationship]:
        """Every relationship of these types (all when empty), in ``order``."""

    def relationship_counts(self, direction: str, types: tuple[str, ...], other_label: str | None,
                            ranking: CountRanking | None = None) -> Iterable[tuple[Node, str, int]]:
        """(node, relationship type, how many): the node's relationships of
        these types (all when empty) that way, "out", "in" or "both" (a
        self-loop once), whose other end has ``other_label`` (when given);
        each (node, type) once. What counting relationships per node reads
        instead of them.

        With a ``ranking``, rows that cannot be among those it keeps may be
        left out (ties broken by the order the rows come in, which the rows
        left must keep); ignoring it is always correct."""


class PropertyGraph:
    """Nodes with labels and properties, typed relationships, adjacency lists:
    a whole graph in memory, which answers GraphAccess by scanning."""

    def __init__(self) -> None:
        self.all_nodes: list[Node] = []
        self.by_label: dict[str, list[Node]] = {}
        self.all_relationships: list[Relationship] = []

    def nodes(self, label: str | None = None) -> Iterable[Node]:
        return self.all_nodes if label is None else self.by_label.get(label, [])

    def node_count(self, label: str) -> int:
        return len(self.by_label.get(label, []))

    def find_nodes(self, label: str | None, key: str, value: Any, *, folded: bool = False) -> list[Node] | None:
        found = []
        for node in self.nodes(label):
            held = node.props.get(key)
            values = held if isinstance(held, list) else [held]
            if folded:
                values = [v.lower() for v in values if isinstance(v, str)]
            if any(equals(v, value) is True for v in values):
                found.append(node)
        return found

    def relationships(self, node: Node, direction: str, types: tuple[str, ...]) -> Sequence[Relationship]:
        rels = node.out if direction == "out" else node.inc if direction == "in" else node.out + node.inc
        return [rel for rel in rels if rel.type in types] if types else rels

    def relationships_of_type(self, types: tuple[str, ...]) -> Iterable[Relationship]:
        if not types:
            return self.all_relationships
        return [rel for rel in self.all_relationships if rel.type in types]

    def relationship_counts(self, direction: str, types: tuple[str, ...], other_label: str | None,
                            ranking: CountRanking | None = None) -> Iterable[tuple[Node, str, int]]:
        counts: dict[tuple[int, str], list] = {}
        for rel in self.relationships_of_type(types):
            for node, other in _ends(rel, direction):
                if other_label is not None and other_label not in other.labels:
                    continue
                entry = counts.get((id(node), rel.type))
                if entry is None:
                    counts[(id(node), rel.type)] = [node, rel.type, 1]
                else:
                    entry[2] += 1
        return [(node, rel_type, n) for node, rel_type, n in counts.values()]

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> PropertyGraph:
        """Read labels from ``__labels__`` and a relationship's type from
        ``__labels__`` or ``type``; other non-None attributes are properties."""
        pg = cls()
        index: dict[Any, Node] = {}
        for key, attrs in graph.nodes(data=True):
            labels = frozenset(attrs.get("__labels__") or ())
            props = {k: v for k, v in attrs.items() if k != "__labels__" and v is not None}
            node = Node(key, labels, props, len(pg.all_nodes))
            pg.all_nodes.append(node)
            index[key] = node
            for label in labels:
                pg.by_label.setdefault(label, []).append(node)
        edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
            (u, v, None, d) for u, v, d in graph.edges(data=True))
        for u, v, k, attrs in edges:
            labels = attrs.get("__labels__")
            if labels:
                rel_type = min(labels) if isinstance(labels, (set, frozenset)) else next(iter(labels))
            else:
                rel_type = attrs.get("type")
            if not rel_type:
                raise CypherError(f"relationship {u!r}->{v!r} has no type (__labels__ or type)")
            props = {name: value for name, value in attrs.items() if name != "__labels__" and value is not None}
            rel = Relationship((u, v, k), str(rel_type), index[u], index[v], props, len(pg.all_relationships))
            pg.all_relationships.append(rel)
            rel.start.out.append(rel)
            rel.end.inc.append(rel)
            if not graph.is_directed():
                raise CypherUnsupported("undirected networkx graphs are not supported: relationships need a direction")
        return pg


# ---------------------------------------------------------------------------
# Values: equality, ordering, grouping keys, truthiness
# ---------------------------------------------------------------------------


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _type_name(v: Any) -> str:
    if v is None:
        return "Null"
    if isinstance(v, bool):
        return "Boolean"
    if isinstance(v, int):
        return "Integer"
    if isinstance(v, float):
        return "Float"
    if isinstance(v, str):
        return "String"
    if isinstance(v, list):
        return "List"
    if isinstance(v, dict):
        return "Map"
    if isinstance(v, Node):
        return "Node"
    if isinstance(v, Relationship):
        return "Relationship"
    if isinstance(v, Path):
        return "Path"
    return type(v).__name__


def equals(a: Any, b: Any) -> bool | None:
    """Cypher ``=``: None when either side is null (or a nested null decides)."""
    if a is None or b is None:
        return None
    if _is_num(a) and _is_num(b):
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b if isinstance(a, bool) and isinstance(b, bool) else False
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        result: bool | None = True
        for x, y in zip(a, b):
            e = equals(x, y)
            if e is False:
                return False
            if e is None:
                result = None
        return result
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return False
        result = True
        for k in a:
            e = equals(a[k], b[k])
            if e is False:
                return False
            if e is None:
                result = None
        return result
    if isinstance(a, (Node, Relationship)) or isinstance(b, (Node, Relationship)):
        return a is b
    if isinstance(a, Path) and isinstance(b, Path):
        return a.nodes == b.nodes and a.relationships == b.relationships
    if type(a) is not type(b):
        return False
    return a == b


def compare(a: Any, b: Any) -> int | None:
    """Cypher ``<``-style comparison: -1/0/1, or None when not comparable."""
    if a is None or b is None:
        return None
    if _is_num(a) and _is_num(b):
        if math.isnan(a) or math.isnan(b):
            return None
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, bool) and isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b):
            c = compare(x, y)
            if c is None:
                return None
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    return None


# ORDER BY across types (Neo4j): maps, nodes, relationships, lists, paths, ...,
# strings, booleans, numbers, and null last.
_RANK = {"Map": 0, "Node": 1, "Relationship": 2, "List": 3, "Path": 4, "String": 11, "Boolean": 12,
         "Integer": 13, "Float": 13, "Null": 14}


def sort_key(v: Any) -> tuple:
    kind = type(v)  # the common cases first, without the isinstance chain
    if kind is str:
        return (11, v)
    if kind is int or (kind is float and v == v):
        return (13, 0, v)
    if kind is Node:
        return (1, v.order)
    name = _type_name(v)
    rank = _RANK.get(name, 10)
    if v is None:
        return (rank,)
    if name in ("Integer", "Float"):
        return (rank, 1, 0) if isinstance(v, float) and math.isnan(v) else (rank, 0, v)
    if name == "List":
        return (rank, tuple(sort_key(x) for x in v))
    if name == "Map":
        return (rank, tuple((k, sort_key(v[k])) for k in sorted(v)))
    if name in ("Node", "Relationship"):
        return (rank, v.order)
    if name == "Path":
        return (rank, tuple(n.order for n in v.nodes), tuple(r.order for r in v.relationships))
    return (rank, v)


def group_key(v: Any) -> Any:
    """A hashable key under which Cypher-equal values (1 and 1.0) coincide."""
    kind = type(v)  # the common cases first, without the isinstance chain
    if kind is str:
        return ("s", v)
    if kind is int or kind is float:
        return ("n", v)
    if kind is Node:
        return ("e", id(v))
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("b", v)
    if _is_num(v):
        return ("n", v)
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, list):
        return ("l", tuple(group_key(x) for x in v))
    if isinstance(v, dict):
        return ("m", tuple(sorted((k, group_key(x)) for k, x in v.items())))
    if isinstance(v, (Node, Relationship)):
        return ("e", id(v))
    if isinstance(v, Path):
        return ("p", tuple(id(n) for n in v.nodes), tuple(id(r) for r in v.relationships))
    return ("o", repr(v))


def _bool(v: Any, what: str) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    raise CypherRuntimeError(f"{what} must be a boolean, got {_type_name(v)} {v!r}")


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------


class Ctx:
    """What an expression sees: the graph, the parameters and the deadline."""

    def __init__(self, graph: GraphAccess, params: dict[str, Any], deadline: float | None):
        self.graph = graph
        self.params = params
        self.deadline = deadline
        self._ticks = 0

    def tick(self) -> None:
        self._ticks += 1
        if self.deadline is not None and self._ticks % 512 == 0 and time.monotonic() > self.deadline:
            raise CypherTimeout("the query ran out of time")


class Expr:
    text = ""

    def eval(self, row: dict, ctx: Ctx) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self) -> Iterable[Expr]:
        return ()

    def variables(self) -> set[str]:
        """Free variables this expression reads from the row."""
        found: set[str] = set()
        for child in self.children():
            found |= child.variables()
        return found

    def aggregates(self) -> list[Aggregate]:
        found: list[Aggregate] = []
        for child in self.children():
            found.extend(child.aggregates())
        return found


class Literal(Expr):
    def __init__(self, value: Any):
        self.value = value

    def eval(self, row, ctx):
        return self.value


class Param(Expr):
    def __init__(self, name: str):
        self.name = name

    def eval(self, row, ctx):
        try:
            return ctx.params[self.name]
        except KeyError:
            raise CypherRuntimeError(f"expected parameter(s): {self.name}") from None


class Var(Expr):
    def __init__(self, name: str):
        self.name = name

    def eval(self, row, ctx):
        try:
            return row[self.name]
        except KeyError:
            raise CypherRuntimeError(f"variable `{self.name}` not defined") from None

    def variables(self):
        return {self.name}


class Prop(Expr):
    def __init__(self, target: Expr, key: str):
        self.target, self.key = target, key

    def eval(self, row, ctx):
        v = row.get(self.target.name, row) if type(self.target) is Var else self.target.eval(row, ctx)
        if type(v) is Node:
            return v.props.get(self.key)
        if v is row:  # not bound: Var.eval says so
            v = self.target.eval(row, ctx)
        if v is None:
            return None
        if isinstance(v, (Node, Relationship)):
            return v.props.get(self.key)
        if isinstance(v, dict):
            return v.get(self.key)
        raise CypherRuntimeError(f"type mismatch: cannot read property {self.key!r} of {_type_name(v)} {v!r}")

    def children(self):
        return (self.target,)


class Index(Expr):
    def __init__(self, target: Expr, index: Expr):
        self.target, self.index = target, index

    def eval(self, row, ctx):
        v, i = self.target.eval(row, ctx), self.index.eval(row, ctx)
        if v is None or i is None:
            return None
        if isinstance(v, list):
            if not _is_num(i) or isinstance(i, float):
                raise CypherRuntimeError(f"list index must be an integer, got {_type_name(i)}")
            return v[i] if -len(v) <= i < len(v) else None
        if isinstance(v, (dict, Node, Relationship)) and isinstance(i, str):
            return (v.props if not isinstance(v, dict) else v).get(i)
        raise CypherRuntimeError(f"type mismatch: cannot index {_type_name(v)} with {_type_name(i)}")

    def children(self):
        return (self.target, self.index)


class Slice(Expr):
    def __init__(self, target: Expr, lo: Expr | None, hi: Expr | None):
        self.target, self.lo, self.hi = target, lo, hi

    def eval(self, row, ctx):
        v = self.target.eval(row, ctx)
        lo = self.lo.eval(row, ctx) if self.lo else 0
        hi = self.hi.eval(row, ctx) if self.hi else None
        if v is None or lo is None or (self.hi and hi is None):
            return None
        if not isinstance(v, list):
            raise CypherRuntimeError(f"type mismatch: cannot slice {_type_name(v)}")
        return v[lo:hi]

    def children(self):
        return tuple(e for e in (self.target, self.lo, self.hi) if e is not None)


class ListLit(Expr):
    def __init__(self, items: list[Expr]):
        self.items = items

    def eval(self, row, ctx):
        return [item.eval(row, ctx) for item in self.items]

    def children(self):
        return self.items


class MapLit(Expr):
    def __init__(self, items: list[tuple[str, Expr]]):
        self.items = items

    def eval(self, row, ctx):
        return {k: e.eval(row, ctx) for k, e in self.items}

    def children(self):
        return [e for _, e in self.items]


class MapProjection(Expr):
    """``n {.name, .id, key: expr, .*, var}``"""

    def __init__(self, target: Expr, items: list[tuple[str, Any]]):
        self.target, self.items = target, items

    def eval(self, row, ctx):
        v = self.target.eval(row, ctx)
        if v is None:
            return None
        props = v.props if isinstance(v, (Node, Relationship)) else v
        if not isinstance(props, dict):
            raise CypherRuntimeError(f"type mismatch: map projection of {_type_name(v)}")
        out: dict[str, Any] = {}
        for kind, key, expr in self.items:
            if kind == "all":
                out.update(props)
            elif kind == "prop":
                out[key] = props.get(key)
            else:
                out[key] = expr.eval(row, ctx)
        return out

    def children(self):
        return [self.target, *[e for kind, _, e in self.items if e is not None]]


class Not(Expr):
    def __init__(self, operand: Expr):
        self.operand = operand

    def eval(self, row, ctx):
        v = _bool(self.operand.eval(row, ctx), "NOT's operand")
        return None if v is None else not v

    def children(self):
        return (self.operand,)


class Logic(Expr):
    def __init__(self, op: str, left: Expr, right: Expr):
        self.op, self.left, self.right = op, left, right

    def eval(self, row, ctx):
        a = _bool(self.left.eval(row, ctx), f"{self.op}'s operand")
        if self.op == "AND" and a is False:
            return False
        if self.op == "OR" and a is True:
            return True
        b = _bool(self.right.eval(row, ctx), f"{self.op}'s operand")
        if self.op == "AND":
            if b is False:
                return False
            return None if a is None or b is None else True
        if self.op == "OR":
            if b is True:
                return True
            return None if a is None or b is None else False
        return None if a is None or b is None else a != b  # XOR

    def children(self):
        return (self.left, self.right)


class Compare(Expr):
    def __init__(self, op: str, left: Expr, right: Expr):
        self.op, self.left, self.right = op, left, right

    def eval(self, row, ctx):
        a, b = self.left.eval(row, ctx), self.right.eval(row, ctx)
        if self.op == "=":
            return equals(a, b)
        if self.op == "<>":
            e = equals(a, b)
            return None if e is None else not e
        c = compare(a, b)
        if c is None:
            return None
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[self.op]

    def children(self):
        return (self.left, self.right)


class StringOp(Expr):
    def __init__(self, op: str, left: Expr, right: Expr):
        self.op, self.left, self.right = op, left, right

    def eval(self, row, ctx):
        a, b = self.left.eval(row, ctx), self.right.eval(row, ctx)
        if not isinstance(a, str) or not isinstance(b, str):
            return None
        if self.op == "STARTS WITH":
            return a.startswith(b)
        if self.op == "ENDS WITH":
            return a.endswith(b)
        if self.op == "CONTAINS":
            return b in a
        try:  # =~ : the whole string must match (Java's String.matches)
            return re.fullmatch(b, a) is not None
        except re.error as exc:
            raise CypherRuntimeError(f"invalid regular expression {b!r}: {exc}") from None

    def children(self):
        return (self.left, self.right)


class In(Expr):
    def __init__(self, left: Expr, right: Expr):
        self.left, self.right = left, right

    def eval(self, row, ctx):
        a, items = self.left.eval(row, ctx), self.right.eval(row, ctx)
        if items is None:
            return None
        if not isinstance(items, list):
            raise CypherRuntimeError(f"IN needs a list on its right, got {_type_name(items)}")
        result: bool | None = False
        for item in items:
            e = equals(a, item)
            if e is True:
                return True
            if e is None:
                result = None
        return result

    def children(self):
        return (self.left, self.right)


class IsNull(Expr):
    def __init__(self, operand: Expr, negate: bool):
        self.operand, self.negate = operand, negate

    def eval(self, row, ctx):
        return (self.operand.eval(row, ctx) is None) != self.negate

    def children(self):
        return (self.operand,)


class HasLabels(Expr):
    def __init__(self, operand: Expr, labels: tuple[str, ...], any_of: bool):
        self.operand, self.labels, self.any_of = operand, labels, any_of

    def eval(self, row, ctx):
        v = self.operand.eval(row, ctx)
        if v is None:
            return None
        if isinstance(v, Node):
            found = [label in v.labels for label in self.labels]
        elif isinstance(v, Relationship):
            found = [label == v.type for label in self.labels]
        else:
            raise CypherRuntimeError(f"type mismatch: label test on {_type_name(v)}")
        return any(found) if self.any_of else all(found)

    def children(self):
        return (self.operand,)


def _arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if op == "+":
        if isinstance(a, list) or isinstance(b, list):
            return (a if isinstance(a, list) else [a]) + (b if isinstance(b, list) else [b])
        if isinstance(a, str) or isinstance(b, str):
            if isinstance(a, str) and isinstance(b, str):
                return a + b
            other = b if isinstance(a, str) else a
            if _is_num(other) or isinstance(other, bool):
                text = _to_string(other)
                return a + text if isinstance(a, str) else text + b
    if not (_is_num(a) and _is_num(b)):
        raise CypherRuntimeError(f"type mismatch: cannot compute {_type_name(a)} {op} {_type_name(b)}")
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "^":
        try:
            return float(a) ** float(b)
        except (OverflowError, ZeroDivisionError):
            return math.inf
    if op == "/":
        if isinstance(a, int) and isinstance(b, int):
            if b == 0:
                raise CypherRuntimeError("/ by zero")
            q = abs(a) // abs(b)
            return q if (a >= 0) == (b >= 0) else -q
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
        return a / b
    if op == "%":
        if isinstance(a, int) and isinstance(b, int):
            if b == 0:
                raise CypherRuntimeError("/ by zero")
            return int(math.fmod(a, b))
        return math.fmod(a, b) if b != 0 else math.nan
    raise CypherSyntaxError(f"unknown operator {op}")


class Arith(Expr):
    def __init__(self, op: str, left: Expr, right: Expr):
        self.op, self.left, self.right = op, left, right

    def eval(self, row, ctx):
        return _arith(self.op, self.left.eval(row, ctx), self.right.eval(row, ctx))

    def children(self):
        return (self.left, self.right)


class Neg(Expr):
    def __init__(self, operand: Expr):
        self.operand = operand

    def eval(self, row, ctx):
        v = self.operand.eval(row, ctx)
        if v is None:
            return None
        if not _is_num(v):
            raise CypherRuntimeError(f"type mismatch: cannot negate {_type_name(v)}")
        return -v

    def children(self):
        return (self.operand,)


class Case(Expr):
    def __init__(self, subject: Expr | None, whens: list[tuple[Expr, Expr]], default: Expr | None):
        self.subject, self.whens, self.default = subject, whens, default

    def eval(self, row, ctx):
        if self.subject is not None:
            v = self.subject.eval(row, ctx)
            for when, then in self.whens:
                if equals(v, when.eval(row, ctx)) is True:
                    return then.eval(row, ctx)
        else:
            for when, then in self.whens:
                if when.eval(row, ctx) is True:
                    return then.eval(row, ctx)
        return self.default.eval(row, ctx) if self.default is not None else None

    def children(self):
        out = [e for pair in self.whens for e in pair]
        if self.subject is not None:
            out.append(self.subject)
        if self.default is not None:
            out.append(self.default)
        return out


class Scoped(Expr):
    """Base of expressions that bind their own variable (comprehensions, ...)."""

    bound: tuple[str, ...] = ()

    def variables(self):
        return super().variables() - set(self.bound)


class ListComp(Scoped):
    def __init__(self, var: str, source: Expr, where: Expr | None, proj: Expr | None):
        self.var, self.source, self.where, self.proj = var, source, where, proj
        self.bound = (var,)

    def eval(self, row, ctx):
        items = self.source.eval(row, ctx)
        if items is None:
            return None
        if not isinstance(items, list):
            raise CypherRuntimeError(f"type mismatch: list comprehension over {_type_name(items)}")
        out = []
        for item in items:
            scope = {**row, self.var: item}
            if self.where is not None and self.where.eval(scope, ctx) is not True:
                continue
            out.append(self.proj.eval(scope, ctx) if self.proj is not None else item)
        return out

    def variables(self):
        inner = set()
        for e in (self.where, self.proj):
            if e is not None:
                inner |= e.variables()
        return self.source.variables() | (inner - {self.var})

    def children(self):
        return [e for e in (self.source, self.where, self.proj) if e is not None]


class Quantifier(Scoped):
    def __init__(self, kind: str, var: str, source: Expr, where: Expr):
        self.kind, self.var, self.source, self.where = kind, var, source, where
        self.bound = (var,)

    def eval(self, row, ctx):
        items = self.source.eval(row, ctx)
        if items is None:
            return None
        if not isinstance(items, list):
            raise CypherRuntimeError(f"type mismatch: {self.kind.lower()}() over {_type_name(items)}")
        results = [_bool(self.where.eval({**row, self.var: item}, ctx), f"{self.kind.lower()}()'s predicate")
                   for item in items]
        trues, nulls = results.count(True), results.count(None)
        if self.kind == "ANY":
            return True if trues else (None if nulls else False)
        if self.kind == "ALL":
            return False if results.count(False) else (None if nulls else True)
        if self.kind == "NONE":
            return False if trues else (None if nulls else True)
        if trues > 1:  # SINGLE
            return False
        return None if nulls else trues == 1

    def variables(self):
        return self.source.variables() | (self.where.variables() - {self.var})

    def children(self):
        return (self.source, self.where)


class Reduce(Scoped):
    def __init__(self, acc: str, init: Expr, var: str, source: Expr, body: Expr):
        self.acc, self.init, self.var, self.source, self.body = acc, init, var, source, body
        self.bound = (acc, var)

    def eval(self, row, ctx):
        value = self.init.eval(row, ctx)
        items = self.source.eval(row, ctx)
        if items is None:
            return None
        for item in items:
            value = self.body.eval({**row, self.acc: value, self.var: item}, ctx)
        return value

    def variables(self):
        return self.init.variables() | self.source.variables() | (self.body.variables() - {self.acc, self.var})

    def children(self):
        return (self.init, self.source, self.body)


def _to_string(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        if v == 0 or 1e-3 <= abs(v) < 1e7:  # Java's Double.toString
            return repr(v)
        sign, digits, exponent = Decimal(repr(v)).normalize().as_tuple()
        text = "".join(map(str, digits))
        power = len(digits) - 1 + exponent
        mantissa = text[0] + "." + (text[1:] or "0")
        return f"{'-' if sign else ''}{mantissa}E{power}"
    if isinstance(v, (int, str)):
        return str(v)
    raise CypherRuntimeError(f"toString() cannot convert {_type_name(v)}")


def _to_integer(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None if v is None else int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            try:
                f = float(v.strip())
            except ValueError:
                return None
            return None if math.isnan(f) or math.isinf(f) else int(f)
    raise CypherRuntimeError(f"toInteger() cannot convert {_type_name(v)}")


def _to_float(v: Any) -> float | None:
    if v is None:
        return None
    if _is_num(v):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return None
    raise CypherRuntimeError(f"toFloat() cannot convert {_type_name(v)}")


def _to_boolean(v: Any) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, str):
        return {"true": True, "false": False}.get(v.strip().lower())
    if isinstance(v, int):
        return v != 0
    raise CypherRuntimeError(f"toBoolean() cannot convert {_type_name(v)}")


def _round(v: Any, precision: Any = 0, mode: Any = None) -> float | None:
    """Neo4j's round(): Java Math.round (ties toward +infinity) without a
    precision, decimal HALF_UP (ties away from zero) with one."""
    if v is None or precision is None:
        return None
    if mode is not None:
        raise CypherUnsupported("round() with a rounding mode")
    if not _is_num(v) or isinstance(precision, bool) or not isinstance(precision, int):
        raise CypherRuntimeError("round() needs a number and an integer precision")
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return float(v)
    if precision == 0:
        return float(math.floor(v + 0.5))
    exact = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)
    return float(exact)


def _size(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, (str, list)):
        return len(v)
    raise CypherRuntimeError(f"size() of {_type_name(v)}: expected a string or a list")


def _length(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, Path):
        return len(v.relationships)
    raise CypherRuntimeError(f"length() of {_type_name(v)}: expected a path")


def _labels(v: Any) -> list[str] | None:
    if v is None:
        return None
    if not isinstance(v, Node):
        raise CypherRuntimeError(f"labels() of {_type_name(v)}: expected a node")
    return sorted(v.labels)


def _keys(v: Any) -> list[str] | None:
    if v is None:
        return None
    if isinstance(v, (Node, Relationship)):
        return sorted(v.props)
    if isinstance(v, dict):
        return list(v)
    raise CypherRuntimeError(f"keys() of {_type_name(v)}")


def _properties(v: Any) -> dict | None:
    if v is None:
        return None
    if isinstance(v, (Node, Relationship)):
        return dict(v.props)
    if isinstance(v, dict):
        return dict(v)
    raise CypherRuntimeError(f"properties() of {_type_name(v)}")


def _need(kind: type | tuple, fname: str) -> Callable:
    def check(v):
        if v is not None and not isinstance(v, kind):
            raise CypherRuntimeError(f"{fname}() of {_type_name(v)}")
        return v
    return check


def _null_safe(fn: Callable, arity: int | None = None) -> Callable:
    def wrapped(*args):
        if any(a is None for a in args[: arity or len(args)]):
            return None
        return fn(*args)
    return wrapped


def _rel(fname: str) -> Callable:
    def get(v, attr):
        if v is None:
            return None
        if not isinstance(v, Relationship):
            raise CypherRuntimeError(f"{fname}() of {_type_name(v)}: expected a relationship")
        return getattr(v, attr)
    return get


def _substring(s, start, length=None):
    if s is None or start is None:
        return None
    return s[start:] if length is None else s[start:start + length]


def _split(s, sep):
    if s is None or sep is None:
        return None
    return s.split(sep) if sep else list(s)


def _range(start, end, step=1):
    if step == 0:
        raise CypherRuntimeError("range() step must not be zero")
    return list(range(start, end + (1 if step > 0 else -1), step))


_get_start, _get_end, _get_type = _rel("startNode"), _rel("endNode"), _rel("type")

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "tolower": _null_safe(lambda s: _need(str, "toLower")(s).lower()),
    "toupper": _null_safe(lambda s: _need(str, "toUpper")(s).upper()),
    "trim": _null_safe(lambda s: _need(str, "trim")(s).strip()),
    "ltrim": _null_safe(lambda s: _need(str, "ltrim")(s).lstrip()),
    "rtrim": _null_safe(lambda s: _need(str, "rtrim")(s).rstrip()),
    "replace": _null_safe(lambda s, a, b: s.replace(a, b)),
    "substring": _substring,
    "left": _null_safe(lambda s, n: s[:n]),
    "right": _null_safe(lambda s, n: s[len(s) - n:] if n else ""),
    "split": _split,
    "reverse": _null_safe(lambda v: v[::-1]),
    "tostring": _to_string,
    "tostringornull": lambda v: None if isinstance(v, (list, dict, Node, Relationship, Path)) else _to_string(v),
    "tointeger": _to_integer,
    "tofloat": _to_float,
    "toboolean": _to_boolean,
    "size": _size,
    "length": _length,
    "coalesce": lambda *args: next((a for a in args if a is not None), None),
    "head": _null_safe(lambda v: v[0] if v else None),
    "last": _null_safe(lambda v: v[-1] if v else None),
    "tail": _null_safe(lambda v: v[1:]),
    "range": _range,
    "labels": _labels,
    "keys": _keys,
    "properties": _properties,
    "type": lambda v: _get_type(v, "type"),
    "startnode": lambda v: _get_start(v, "start"),
    "endnode": lambda v: _get_end(v, "end"),
    "nodes": _null_safe(lambda p: list(_need(Path, "nodes")(p).nodes)),
    "relationships": _null_safe(lambda p: list(_need(Path, "relationships")(p).relationships)),
    "abs": _null_safe(abs),
    "sign": _null_safe(lambda v: (v > 0) - (v < 0)),
    "ceil": _null_safe(lambda v: float(math.ceil(v))),
    "floor": _null_safe(lambda v: float(math.floor(v))),
    "round": _round,
    "sqrt": _null_safe(lambda v: math.sqrt(v) if v >= 0 else math.nan),
    "log": _null_safe(lambda v: math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)),
    "log10": _null_safe(lambda v: math.log10(v) if v > 0 else (-math.inf if v == 0 else math.nan)),
    "exp": _null_safe(math.exp),
    "isempty": _null_safe(lambda v: len(v) == 0),
    "valuetype": lambda v: {"Null": "NULL", "Boolean": "BOOLEAN NOT NULL", "Integer": "INTEGER NOT NULL",
                            "Float": "FLOAT NOT NULL", "String": "STRING NOT NULL"}.get(_type_name(v), _type_name(v).upper()),
}

#: Functions whose result depends on storage details that differ from Neo4j's.
_UNSUPPORTED_FUNCTIONS = {"id", "elementid", "rand", "randomuuid", "timestamp", "date", "datetime",
                          "localdatetime", "time", "localtime", "duration", "point", "exists"}


class Call(Expr):
    def __init__(self, name: str, args: list[Expr]):
        self.name, self.args = name, args
        key = name.lower()
        if key in _UNSUPPORTED_FUNCTIONS:
            raise CypherUnsupported(f"function {name}()")
        if key not in FUNCTIONS:
            raise CypherUnsupported(f"unknown function {name}()")
        self.fn = FUNCTIONS[key]

    def eval(self, row, ctx):
        args = [a.eval(row, ctx) for a in self.args]
        try:
            return self.fn(*args)
        except CypherError:
            raise
        except TypeError as exc:
            raise CypherRuntimeError(f"{self.name}(): {exc}") from None
        except (ValueError, AttributeError) as exc:
            raise CypherRuntimeError(f"{self.name}(): {exc}") from None

    def children(self):
        return self.args


class Aggregate(Expr):
    """count/sum/avg/min/max/collect/stDev; evaluated per group by Projection."""

    def __init__(self, name: str, arg: Expr | None, distinct: bool):
        self.name, self.arg, self.distinct = name.lower(), arg, distinct
        self.slot = -1

    def eval(self, row, ctx):
        try:
            return row["\x00aggregates"][self.slot]
        except KeyError:
            raise CypherSyntaxError(f"aggregate {self.name}() used where no aggregation happens") from None

    def children(self):
        return (self.arg,) if self.arg is not None else ()

    def aggregates(self):
        return [self]

    def compute(self, values: list[Any]) -> Any:
        if self.arg is None:  # count(*)
            return len(values)
        values = [v for v in values if v is not None]
        if self.distinct:
            seen, unique = set(), []
            for v in values:
                k = group_key(v)
                if k not in seen:
                    seen.add(k)
                    unique.append(v)
            values = unique
        if self.name == "count":
            return len(values)
        if self.name == "collect":
            return values
        if self.name in ("sum", "avg", "stdev", "stdevp"):
            for v in values:
                if not _is_num(v):
                    raise CypherRuntimeError(f"{self.name}() of {_type_name(v)}: expected numbers")
            if self.name == "sum":
                return sum(values) if values else 0
            if not values:
                return None if self.name == "avg" else 0.0
            mean = 0.0
            for i, v in enumerate(values, 1):  # Neo4j's running mean, same rounding
                mean += (v - mean) / i
            if self.name == "avg":
                return float(mean)
            n = len(values) - (1 if self.name == "stdev" else 0)
            return math.sqrt(sum((v - mean) ** 2 for v in values) / n) if n > 0 else 0.0
        if not values:
            return None
        chosen = min(values, key=sort_key) if self.name == "min" else max(values, key=sort_key)
        return chosen


class PatternExpr(Expr):
    """A pattern used as a predicate: true when it has a match."""

    #: every name written inside; a superset of the free variables, which only
    #: makes a WHERE check it later (see Pattern.matches)
    names: frozenset[str] = frozenset()

    def __init__(self, pattern: Pattern):
        self.pattern = pattern

    def eval(self, row, ctx):
        for _ in self.pattern.matches(row, ctx):
            return True
        return False

    def variables(self):
        return set(self.names)


class PatternComp(Expr):
    names: frozenset[str] = frozenset()

    def __init__(self, pattern: Pattern, where: Expr | None, proj: Expr):
        self.pattern, self.where, self.proj = pattern, where, proj

    def eval(self, row, ctx):
        out = []
        for match in self.pattern.matches(row, ctx):
            if self.where is not None and self.where.eval(match, ctx) is not True:
                continue
            out.append(self.proj.eval(match, ctx))
        return out

    def variables(self):
        return set(self.names)


class Subquery(Expr):
    """COUNT { ... }, EXISTS { ... }, COLLECT { ... } with the outer row in scope."""

    names: frozenset[str] = frozenset()

    def __init__(self, kind: str, query: Query):
        self.kind, self.query = kind, query

    def eval(self, row, ctx):
        if self.kind == "EXISTS":
            for _ in self.query.rows(ctx, row):
                return True
            return False
        rows = list(self.query.rows(ctx, row))
        if self.kind == "COUNT":
            return len(rows)
        if len(self.query.columns()) != 1:
            raise CypherSyntaxError("a COLLECT subquery must return exactly one column")
        column = self.query.columns()[0]
        return [r[column] for r in rows]

    def variables(self):
        return set(self.names)


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------


@dataclass
class NodePat:
    var: str
    labels: tuple[str, ...] = ()
    any_label: bool = False
    props: Expr | None = None
    anonymous: bool = False


@dataclass
class RelPat:
    var: str
    types: tuple[str, ...] = ()
    direction: str = "both"  # "out", "in", "both"
    props: Expr | None = None
    var_length: bool = False
    min_hops: int = 1
    max_hops: int | None = 1
    anonymous: bool = False


@dataclass
class PatternPart:
    path_var: str | None
    nodes: list[NodePat]
    rels: list[RelPat]
    shortest: str | None = None  # "shortestPath" / "allShortestPaths"


def _labels_ok(labels: frozenset[str], pat: NodePat) -> bool:
    if not pat.labels:
        return True
    found = [label in labels for label in pat.labels]
    return any(found) if pat.any_label else all(found)


def _node_ok(node: Node, pat: NodePat, row: dict, ctx: Ctx) -> bool:
    if not _labels_ok(node.labels, pat):
        return False
    return pat.props is None or _props_ok(node.props, pat.props, row, ctx)


def _props_ok(props: dict, expr: Expr, row: dict, ctx: Ctx) -> bool:
    wanted = expr.eval(row, ctx)
    if wanted is None:
        return False
    if not isinstance(wanted, dict):
        raise CypherRuntimeError(f"a property map in a pattern must be a map, got {_type_name(wanted)}")
    return all(equals(props.get(k), v) is True for k, v in wanted.items())


def _rel_ok(rel: Relationship, pat: RelPat, row: dict, ctx: Ctx) -> bool:
    if pat.types and rel.type not in pat.types:
        return False
    return pat.props is None or _props_ok(rel.props, pat.props, row, ctx)


def _steps(node: Node, pat: RelPat, ctx: Ctx) -> Iterator[tuple[Relationship, Node]]:
    """(relationship, other end) pairs from node; an undirected self-loop once."""
    if pat.direction in ("out", "both"):
        for rel in ctx.graph.relationships(node, "out", pat.types):
            yield rel, rel.end
    if pat.direction in ("in", "both"):
        for rel in ctx.graph.relationships(node, "in", pat.types):
            if pat.direction == "both" and rel.start is rel.end:
                continue
            yield rel, rel.start


def _ends(rel: Relationship, direction: str) -> list[tuple[Node, Node]]:
    """(node, other end) for each way a pattern of this direction matches rel
    from one of its ends; an undirected self-loop once."""
    ends = []
    if direction in ("out", "both"):
        ends.append((rel.start, rel.end))
    if direction == "in" or (direction == "both" and rel.start is not rel.end):
        ends.append((rel.end, rel.start))
    return ends


_FLIPPED = {"out": "in", "in": "out", "both": "both"}


def _reversed(part: PatternPart) -> PatternPart:
    """The same chain written from its last node: the same matches."""
    rels = [replace(r, direction=_FLIPPED[r.direction]) for r in reversed(part.rels)]
    return PatternPart(part.path_var, list(reversed(part.nodes)), rels, part.shortest)


@dataclass(frozen=True)
class _Plan:
    """A pattern's chains as matched, and where each variable is first bound."""

    parts: list[PatternPart]
    position: dict[str, int]


@dataclass(frozen=True)
class _Probe:
    """An index look-up that finds every node a WHERE conjunct can accept:
    ``key`` (lower-cased when ``folded``) equal to ``value``'s value."""

    key: str
    value: Expr
    folded: bool


def _probes(expr: Expr, var: str) -> list[_Probe] | None:
    """Index look-ups whose union holds every binding of ``var`` for which
    ``expr`` is true, or None when ``expr`` has no such form. Understood:
    ``var.key = x``, ``toLower(var.key) = x``, ``any(a IN var.key WHERE
    toLower(a) = x)`` (or without toLower), either way round, and ORs of them;
    ``x`` must not mention ``var``."""
    if isinstance(expr, Logic) and expr.op == "OR":
        left, right = _probes(expr.left, var), _probes(expr.right, var)
        return None if left is None or right is None else left + right
    if isinstance(expr, Quantifier) and expr.kind == "ANY" and _is_property(expr.source, var):
        inner = _probes(expr.where, expr.var)
        if inner is None or any(p.key != "" or var in p.value.variables() for p in inner):
            return None
        return [_Probe(expr.source.key, p.value, p.folded) for p in inner]
    if not (isinstance(expr, Compare) and expr.op == "="):
        return None
    for side, other in ((expr.left, expr.right), (expr.right, expr.left)):
        if var in other.variables():
            continue
        folded = isinstance(side, Call) and side.name.lower() == "tolower" and len(side.args) == 1
        target = side.args[0] if folded else side
        if isinstance(target, Var) and target.name == var:
            return [_Probe("", other, folded)]  # an element of a list, see the any() case
        if _is_property(target, var):
            return [_Probe(target.key, other, folded)]
    return None


def _node_probes(expr: Expr, var: str) -> list[_Probe] | None:
    """_probes for a node variable: look-ups of its properties only."""
    probes = _probes(expr, var)
    return None if probes is None or any(not p.key for p in probes) else probes


def _is_property(expr: Expr, var: str) -> bool:
    return isinstance(expr, Prop) and isinstance(expr.target, Var) and expr.target.name == var


class Pattern:
    """The pattern list of one MATCH (or a pattern predicate) and its WHERE.

    ``matches(row)`` yields the row extended by every match. The parts are
    matched in order, each chain from one of its ends: the end already bound
    or found through an index (a property map, or a WHERE conjunct such as
    ``toLower(n.name) = $name``), else the first node; a chain anchored
    nowhere starts from its first relationship's type instead of from every
    node. A WHERE conjunct is checked as soon as the last of its variables
    that the pattern binds is bound (or at once when the row already holds
    them all). No relationship is bound twice within the pattern list.
    """

    def __init__(self, parts: list[PatternPart], where: Expr | None = None):
        self.parts = parts
        self.where = where
        self._conjuncts: list[tuple[Expr, set[str]]] = []
        if where is not None:
            self._conjuncts = [(c, c.variables()) for c in _conjuncts(where)]
        for part in parts:
            if part.shortest and where is not None:
                names = {part.path_var, *(r.var for r in part.rels)} - {None}
                if any(names & vs for _, vs in self._conjuncts):
                    raise CypherUnsupported(
                        "a WHERE on the path or relationships of a shortestPath")
        self._plans: dict[frozenset[str], _Plan] = {}

    def named_variables(self) -> list[str]:
        names: list[str] = []
        for part in self.parts:
            if part.path_var:
                names.append(part.path_var)
            for i, node in enumerate(part.nodes):
                if not node.anonymous:
                    names.append(node.var)
                if i < len(part.rels) and not part.rels[i].anonymous:
                    names.append(part.rels[i].var)
        return list(dict.fromkeys(names))

    def _plan(self, bound: frozenset[str]) -> _Plan:
        """How to match when the row binds ``bound``: each chain turned to
        start from an anchored end, and the order variables get bound in."""
        plan = self._plans.get(bound)
        if plan is not None:
            return plan
        parts: list[PatternPart] = []
        known = set(bound)
        for part in self.parts:
            if self._turn_around(part, known):
                part = _reversed(part)
            parts.append(part)
            known |= {n.var for n in part.nodes} | {r.var for r in part.rels} | {part.path_var} - {None}
        order: list[str] = []
        for part in parts:
            if part.shortest:
                order += [part.nodes[0].var, part.nodes[1].var, part.rels[0].var]
            else:
                for i, node in enumerate(part.nodes):
                    if i:
                        order.append(part.rels[i - 1].var)
                    order.append(node.var)
            if part.path_var:
                order.append(part.path_var)
        position: dict[str, int] = {}
        for i, var in enumerate(order):
            position.setdefault(var, i)  # bound where it first occurs
        plan = self._plans[bound] = _Plan(parts, position)
        return plan

    def _turn_around(self, part: PatternPart, known: set[str]) -> bool:
        """Whether to match this chain from its last node: that end is bound
        or indexed and the first is neither. Not for paths or variable-length
        relationships, whose values follow the written direction."""
        if part.shortest or part.path_var or not part.rels or any(r.var_length for r in part.rels):
            return False
        first, last = part.nodes[0], part.nodes[-1]
        return not self._anchored(first, known) and self._anchored(last, known)

    def _anchored(self, pat: NodePat, known: set[str]) -> bool:
        if pat.var in known or pat.props is not None:
            return True
        visible = known | {pat.var}
        return any(names <= visible and _node_probes(expr, pat.var) is not None for expr, names in self._conjuncts)

    def matches(self, row: dict, ctx: Ctx) -> Iterator[dict]:
        plan = self._plan(frozenset(row))
        triggers: dict[str, list[Expr]] = {}
        for expr, names in self._conjuncts:
            unbound = [n for n in names if n in plan.position and n not in row]
            if unbound:
                last = max(unbound, key=plan.position.__getitem__)
                triggers.setdefault(last, []).append(expr)
            elif expr.eval(row, ctx) is not True:
                return
        yield from self._parts(plan.parts, 0, dict(row), set(), triggers, ctx)

    @staticmethod
    def _fire(row: dict, var: str, triggers: dict, ctx: Ctx) -> bool:
        for expr in triggers.get(var, ()):
            if expr.eval(row, ctx) is not True:
                return False
        return True

    def _parts(self, parts: list[PatternPart], index: int, row: dict, used: set[int], triggers: dict,
               ctx: Ctx) -> Iterator[dict]:
        if index == len(parts):
            yield dict(row)
            return
        part = parts[index]
        if part.shortest:
            yield from self._shortest(parts, index, part, row, used, triggers, ctx)
            return
        first = part.nodes[0]
        if first.var in row:
            value = row[first.var]
            if value is None:
                return
            if not isinstance(value, Node):
                raise CypherRuntimeError(f"variable `{first.var}` is a {_type_name(value)}, not a node")
            if _node_ok(value, first, row, ctx):
                yield from self._walk(parts, index, part, 0, value, row, used, triggers, ctx, [value], [])
            return
        candidates = self._indexed(first, row, triggers, ctx)
        if candidates is None and part.rels and not part.rels[0].var_length:
            yield from self._by_relationship(parts, index, part, row, used, triggers, ctx)
            return
        for candidate in self._candidates(first, ctx) if candidates is None else candidates:
            ctx.tick()
            if not _node_ok(candidate, first, row, ctx):
                continue
            row[first.var] = candidate
            if self._fire(row, first.var, triggers, ctx):
                yield from self._walk(parts, index, part, 0, candidate, row, used, triggers, ctx, [candidate], [])
            del row[first.var]

    def _by_relationship(self, parts, index, part, row, used, triggers, ctx):
        """Match a chain anchored nowhere from its first relationship: every
        relationship of the type, each way round the pattern allows, instead
        of every node and then its relationships."""
        first, rpat, npat = part.nodes[0], part.rels[0], part.nodes[1]
        rel_bound = rpat.var in row
        for rel in ctx.graph.relationships_of_type(rpat.types):
            for node, other in _ends(rel, rpat.direction):
                ctx.tick()
                if id(rel) in used or (rel_bound and row[rpat.var] is not rel):
                    continue
                if not _node_ok(node, first, row, ctx) or not _rel_ok(rel, rpat, row, ctx):
                    continue
                row[first.var] = node
                if self._fire(row, first.var, triggers, ctx):
                    yield from self._arrive(parts, index, part, 0, rel, [rel], other, rpat, npat, rel_bound, row,
                                            used, triggers, ctx, [node], [])
                del row[first.var]

    def _indexed(self, pat: NodePat, row: dict, triggers: dict, ctx: Ctx) -> list[Node] | None:
        """The candidates for an unbound node that an index finds (in node
        order), or None when no property map or WHERE conjunct can use one."""
        label = pat.labels[0] if len(pat.labels) == 1 else None
        if pat.props is not None:
            wanted = pat.props.eval(row, ctx)
            if isinstance(wanted, dict):
                if any(value is None for value in wanted.values()):
                    return []
                for key, value in wanted.items():
                    nodes = ctx.graph.find_nodes(label, key, value)
                    if nodes is not None:
                        return sorted(nodes, key=lambda n: n.order)
        for expr in triggers.get(pat.var, ()):
            probes = _node_probes(expr, pat.var)
            if probes is None:
                continue
            if any(not probe.value.variables() <= row.keys() for probe in probes):
                continue
            found: dict[int, Node] = {}
            for probe in probes:
                nodes = ctx.graph.find_nodes(label, probe.key, probe.value.eval(row, ctx), folded=probe.folded)
                if nodes is None:
                    break
                found.update((id(n), n) for n in nodes)
            else:
                return sorted(found.values(), key=lambda n: n.order)
        return None

    def _candidates(self, pat: NodePat, ctx: Ctx) -> Iterable[Node]:
        if pat.labels and not pat.any_label:
            label = min(pat.labels, key=ctx.graph.node_count)
            return ctx.graph.nodes(label)
        return ctx.graph.nodes()

    def _walk(self, parts, index, part, position, node, row, used, triggers, ctx, path_nodes, path_rels):
        """Extend part from its node at ``position`` (already bound, in path_nodes)."""
        if position == len(part.rels):
            if part.path_var:
                if part.path_var in row:
                    raise CypherSyntaxError(f"variable `{part.path_var}` already declared")
                row[part.path_var] = Path(tuple(path_nodes), tuple(path_rels))
                if self._fire(row, part.path_var, triggers, ctx):
                    yield from self._parts(parts, index + 1, row, used, triggers, ctx)
                del row[part.path_var]
            else:
                yield from self._parts(parts, index + 1, row, used, triggers, ctx)
            return
        rpat, npat = part.rels[position], part.nodes[position + 1]
        if rpat.var_length:
            yield from self._var_length(parts, index, part, position, node, rpat, npat, row, used, triggers, ctx,
                                        path_nodes, path_rels)
            return
        rel_bound = rpat.var in row
        for rel, other in _steps(node, rpat, ctx):
            ctx.tick()
            if id(rel) in used or (rel_bound and row[rpat.var] is not rel):
                continue
            if not _rel_ok(rel, rpat, row, ctx):
                continue
            yield from self._arrive(parts, index, part, position, rel, [rel], other, rpat, npat, rel_bound, row, used,
                                    triggers, ctx, path_nodes, path_rels)

    def _arrive(self, parts, index, part, position, rel_value, rels, other, rpat, npat, rel_bound, row, used, triggers,
                ctx, path_nodes, path_rels):
        """Bind the relationship (or list) and the node it leads to, then go on."""
        node_bound = npat.var in row
        if node_bound and row[npat.var] is not other:
            return
        if not _node_ok(other, npat, row, ctx):
            return
        for rel in rels:
            used.add(id(rel))
        if not rel_bound:
            row[rpat.var] = rel_value
        ok = rel_bound or self._fire(row, rpat.var, triggers, ctx)
        if ok and not node_bound:
            row[npat.var] = other
            ok = self._fire(row, npat.var, triggers, ctx)
        if ok:
            path_rels.extend(rels)
            path_nodes.append(other)
            yield from self._walk(parts, index, part, position + 1, other, row, used, triggers, ctx, path_nodes,
                                  path_rels)
            path_nodes.pop()
            del path_rels[len(path_rels) - len(rels):]
        if not node_bound:
            row.pop(npat.var, None)
        if not rel_bound:
            del row[rpat.var]
        for rel in rels:
            used.discard(id(rel))

    def _var_length(self, parts, index, part, position, node, rpat, npat, row, used, triggers, ctx,
                    path_nodes, path_rels):
        if rpat.var in row:
            raise CypherUnsupported("a variable-length relationship variable that is already bound")
        hops_nodes: list[Node] = []
        hops_rels: list[Relationship] = []
        taken: set[int] = set()

        def expand(current: Node):
            hops = len(hops_rels)
            if hops >= rpat.min_hops:
                # the intermediate nodes join the path; _arrive appends the end node
                path_nodes.extend(hops_nodes[:-1])
                path_rels_before = len(path_rels)
                yield from self._arrive(parts, index, part, position, list(hops_rels), list(hops_rels), current, rpat,
                                        npat, False, row, used, triggers, ctx, path_nodes, path_rels)
                del path_nodes[len(path_nodes) - max(len(hops_nodes) - 1, 0):]
                assert len(path_rels) == path_rels_before
            if rpat.max_hops is not None and hops >= rpat.max_hops:
                return
            for rel, other in _steps(current, rpat, ctx):
                ctx.tick()
                if id(rel) in used or id(rel) in taken or not _rel_ok(rel, rpat, row, ctx):
                    continue
                taken.add(id(rel))
                hops_rels.append(rel)
                hops_nodes.append(other)
                yield from expand(other)
                hops_nodes.pop()
                hops_rels.pop()
                taken.discard(id(rel))

        yield from expand(node)

    def _shortest(self, parts, index, part, row, used, triggers, ctx):
        rpat, a_pat, b_pat = part.rels[0], part.nodes[0], part.nodes[1]
        if rpat.min_hops > 1:
            raise CypherUnsupported("shortestPath with a minimum length above 1")
        if rpat.var in row:
            raise CypherUnsupported("a shortestPath relationship variable that is already bound")
        starts = [row[a_pat.var]] if a_pat.var in row else self._indexed(a_pat, row, triggers, ctx)
        if starts is None:
            starts = self._candidates(a_pat, ctx)
        for a in starts:
            if a is None or not _node_ok(a, a_pat, row, ctx):
                continue
            ends = [row[b_pat.var]] if b_pat.var in row else self._candidates(b_pat, ctx)
            for b in ends:
                ctx.tick()
                if b is None or not _node_ok(b, b_pat, row, ctx):
                    continue
                if a is b and rpat.min_hops > 0:
                    raise CypherRuntimeError(
                        "the shortest path algorithm does not work when the start and end nodes are the same")
                for nodes, rels in self._bfs_paths(a, b, rpat, row, used, ctx, part.shortest == "allShortestPaths"):
                    added = []
                    for var, value in ((a_pat.var, a), (b_pat.var, b), (rpat.var, list(rels))):
                        if var not in row:
                            row[var] = value
                            added.append(var)
                    if part.path_var:
                        row[part.path_var] = Path(tuple(nodes), tuple(rels))
                        added.append(part.path_var)
                    if all(self._fire(row, var, triggers, ctx) for var in added):
                        for rel in rels:
                            used.add(id(rel))
                        yield from self._parts(parts, index + 1, row, used, triggers, ctx)
                        for rel in rels:
                            used.discard(id(rel))
                    for var in added:
                        del row[var]

    def _bfs_paths(self, a: Node, b: Node, rpat: RelPat, row, used, ctx, every: bool):
        if a is b:
            return [([a], [])]
        dist = {id(a): 0}
        parents: dict[int, list[tuple[Relationship, Node]]] = {}
        frontier, depth, found = [a], 0, False
        while frontier and not found and (rpat.max_hops is None or depth < rpat.max_hops):
            depth += 1
            following = []
            for node in frontier:
                for rel, other in _steps(node, rpat, ctx):
                    ctx.tick()
                    if id(rel) in used or not _rel_ok(rel, rpat, row, ctx):
                        continue
                    seen = dist.get(id(other))
                    if seen is None:
                        dist[id(other)] = depth
                        parents[id(other)] = [(rel, node)]
                        following.append(other)
                    elif seen == depth:
                        parents[id(other)].append((rel, node))
                    if other is b:
                        found = True
            frontier = following
        if id(b) not in dist:
            return []
        out: list[tuple[list[Node], list[Relationship]]] = []

        def back(node: Node, nodes: list[Node], rels: list[Relationship]) -> None:
            if node is a:
                out.append((nodes[::-1], rels[::-1]))
                return
            for rel, previous in parents[id(node)]:
                if out and not every:
                    return
                nodes.append(previous)
                rels.append(rel)
                back(previous, nodes, rels)
                nodes.pop()
                rels.pop()

        back(b, [b], [])
        return out


def _conjuncts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Logic) and expr.op == "AND":
        return _conjuncts(expr.left) + _conjuncts(expr.right)
    return [expr]


# ---------------------------------------------------------------------------
# Clauses and queries
# ---------------------------------------------------------------------------


@dataclass
class Item:
    expr: Expr
    name: str


@dataclass
class SortItem:
    expr: Expr
    descending: bool


@dataclass
class Projection:
    items: list[Item]
    star: bool = False
    distinct: bool = False
    order: list[SortItem] = field(default_factory=list)
    skip: Expr | None = None
    limit: Expr | None = None
    where: Expr | None = None

    def __post_init__(self) -> None:
        slot = 0
        self.aggregates: list[Aggregate] = []
        for item in self.items:
            for agg in item.expr.aggregates():
                for inner in (agg.arg.aggregates() if agg.arg is not None else []):
                    raise CypherSyntaxError(f"an aggregate inside {agg.name}() is not allowed")
                agg.slot = slot
                slot += 1
                self.aggregates.append(agg)

    def run(self, rows: Iterable[dict], ctx: Ctx, scope: list[str],
            aggregated: list[dict] | None = None) -> Iterator[dict]:
        """The projected rows; ``aggregated``: the groups already counted (see
        _CountedMatch), instead of aggregating ``rows``."""
        items = self.items
        if self.star:
            items = [Item(Var(name), name) for name in sorted(scope)] + items
        names = [item.name for item in items]
        if len(set(names)) != len(names):
            raise CypherSyntaxError("multiple result columns with the same name: " + ", ".join(names))
        by_text = {item.expr.text: item.name for item in items if item.expr.text}

        if self.aggregates:
            out = self._aggregate(rows, items, ctx) if aggregated is None else aggregated
            keyed = ((r, r) for r in out)
        else:
            keyed = (({item.name: item.expr.eval(row, ctx) for item in items}, row) for row in rows)

        if self.distinct:
            keyed = _distinct(keyed, names)

        if self.order:
            def sort_scope(projected: dict, original: dict) -> dict:
                if self.aggregates or self.distinct:
                    return projected
                return {**original, **projected}

            columns = [by_text.get(s.expr.text) for s in self.order]
            computed = [(i, s.expr) for i, (s, column) in enumerate(zip(self.order, columns)) if column is None]
            materialised = []  # [sort key of each ORDER BY item, ..., projected row]
            for projected, original in keyed:
                ctx.tick()
                entry = [projected[column] if column is not None else None for column in columns]
                if computed:
                    scope_row = sort_scope(projected, original)
                    for i, expr in computed:
                        entry[i] = expr.eval(scope_row, ctx)
                entry.append(projected)
                materialised.append(entry)
            for i in range(len(self.order)):
                # a column of strings only, or of integers only, sorts as it is; others by sort_key
                kinds = {type(entry[i]) for entry in materialised}
                if not (kinds <= {str} or kinds <= {int}):
                    for entry in materialised:
                        entry[i] = sort_key(entry[i])
            # stable sorts from the last key to the first, one per run of keys in the same direction
            end = len(self.order)
            while end:
                start = end - 1
                while start and self.order[start - 1].descending == self.order[end - 1].descending:
                    start -= 1
                materialised.sort(key=operator.itemgetter(*range(start, end)),
                                  reverse=self.order[end - 1].descending)
                end = start
            results: Iterable[dict] = (entry[-1] for entry in materialised)
        else:
            results = (p for p, _ in keyed)

        skip = _count_value(self.skip, "SKIP", ctx)
        limit = _count_value(self.limit, "LIMIT", ctx)
        if skip or limit is not None:
            import itertools

            results = itertools.islice(results, skip or 0, None if limit is None else (skip or 0) + limit)
        if self.where is not None:
            results = (r for r in results if self.where.eval(r, ctx) is True)
        return iter(results)

    def _aggregate(self, rows: Iterable[dict], items: list[Item], ctx: Ctx) -> list[dict]:
        group_items = [item for item in items if not item.expr.aggregates()]
        names = [item.name for item in group_items]
        exprs = [item.expr for item in group_items]
        arguments = list(enumerate(agg.arg for agg in self.aggregates))
        groups: dict[tuple, tuple[dict, list[list[Any]]]] = {}
        for row in rows:
            ctx.tick()
            values = [expr.eval(row, ctx) for expr in exprs]
            key = tuple([group_key(value) for value in values])
            group = groups.get(key)
            if group is None:
                group = groups[key] = (dict(zip(names, values)), [[] for _ in self.aggregates])
            buckets = group[1]
            for i, argument in arguments:
                buckets[i].append(1 if argument is None else argument.eval(row, ctx))
        if not groups and not group_items:
            groups[()] = ({}, [[] for _ in self.aggregates])
        out = []
        for values, buckets in groups.values():
            results = [agg.compute(bucket) for agg, bucket in zip(self.aggregates, buckets)]
            scope = {**values, "\x00aggregates": results}
            row = {}
            for item in items:
                row[item.name] = values[item.name] if item in group_items else item.expr.eval(scope, ctx)
            out.append(row)
        return out


def _distinct(keyed: Iterable[tuple[dict, dict]], names: list[str]) -> Iterator[tuple[dict, dict]]:
    seen = set()
    for projected, original in keyed:
        key = tuple(group_key(projected[n]) for n in names)
        if key not in seen:
            seen.add(key)
            yield projected, original


def _count_value(expr: Expr | None, what: str, ctx: Ctx) -> int | None:
    if expr is None:
        return None
    value = expr.eval({}, ctx)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CypherRuntimeError(f"{what} needs a non-negative integer, got {value!r}")
    return value


class Clause:
    def run(self, rows: Iterable[dict], ctx: Ctx) -> Iterable[dict]:  # pragma: no cover
        raise NotImplementedError


@dataclass
class MatchClause(Clause):
    pattern: Pattern
    optional: bool

    def run(self, rows, ctx):
        new_vars = self.pattern.named_variables()
        for row in rows:
            found = False
            for match in self.pattern.matches(row, ctx):
                found = True
                yield match
            if self.optional and not found:
                yield {**row, **{v: None for v in new_vars if v not in row}}


@dataclass
class UnwindClause(Clause):
    expr: Expr
    var: str

    def run(self, rows, ctx):
        for row in rows:
            value = self.expr.eval(row, ctx)
            if value is None:
                continue
            for item in (value if isinstance(value, list) else [value]):
                ctx.tick()
                yield {**row, self.var: item}


@dataclass
class WithClause(Clause):
    projection: Projection
    scope_before: list[str] = field(default_factory=list)

    def run(self, rows, ctx):
        return self.projection.run(rows, ctx, self.scope_before)


def _projection_variables(projection: Projection) -> set[str]:
    exprs = [item.expr for item in projection.items] + [item.expr for item in projection.order]
    exprs += [e for e in (projection.where, projection.skip, projection.limit) if e is not None]
    return set().union(*(expr.variables() for expr in exprs))


@dataclass
class _Kept:
    """How many of the rows counted per node (and type) a query keeps, and in
    which order: the first ``skip`` + ``limit`` (evaluated with the
    parameters) in ``order``, of each type when ``per_type``. The rows the
    graph leaves out for it could not have reached the result; the engine
    still sorts and cuts the rest itself."""

    order: tuple[CountOrder, ...]
    skip: Expr | None
    limit: Expr
    per_type: bool
    summed: bool  # counted per node alone, its types added up

    @classmethod
    def of(cls, projection: Projection, following: list[Clause], returns: Projection | None,
           columns: dict[str, str]) -> _Kept | None:
        """``projection`` counts, giving ``columns`` (name -> "type", "node" or
        "count"); ``following``: the clauses after it, then ``returns``.
        Kept rows are cut by the projection's ORDER BY ... LIMIT, or by an
        ORDER BY followed by ``WITH [type,] collect(...) AS xs UNWIND xs[0..n]``
        (the top n of each type)."""
        if not projection.order or projection.distinct or projection.where is not None:
            return None
        by_text = {item.expr.text: item.name for item in projection.items if item.expr.text}
        order = []
        for item in projection.order:
            key = cls._key(item.expr, columns, by_text)
            if key is None:
                return None
            order.append(replace(key, descending=item.descending))
        summed = "type" not in columns.values()
        if projection.limit is not None:
            return cls(tuple(order), projection.skip, projection.limit, False, summed)
        first = None if projection.skip is not None else cls._first_of_each(following, returns, columns)
        return None if first is None else cls(tuple(order), None, *first, summed)

    @staticmethod
    def _key(expr: Expr, columns: dict[str, str], by_text: dict[str, str]) -> CountOrder | None:
        """A sort key as the graph can rank by it: the type or count column, or a property of the node."""
        column = by_text.get(expr.text) if expr.text else None
        if column is None and isinstance(expr, Var):
            column = expr.name
        if columns.get(column) in ("type", "count"):
            return CountOrder(columns[column])
        if isinstance(expr, Prop) and isinstance(expr.target, Var) and columns.get(expr.target.name) == "node":
            return CountOrder("property", key=expr.key)
        return None

    @staticmethod
    def _first_of_each(following: list[Clause], returns: Projection | None,
                       columns: dict[str, str]) -> tuple[Expr, bool] | None:
        """(n, per type) when the sorted rows only feed ``WITH [type,]
        collect(x) AS xs UNWIND xs[0..n] AS y`` and the next projection drops
        xs: only the first n rows (of each type) can reach the result."""
        if len(following) < 2 or not (isinstance(following[0], WithClause) and isinstance(following[1], UnwindClause)):
            return None
        collecting, head = following[0].projection, following[1].expr
        if (collecting.star or collecting.distinct or collecting.order or collecting.where is not None
                or collecting.skip is not None or collecting.limit is not None):
            return None
        keys = [item for item in collecting.items if not item.expr.aggregates()]
        lists = [item for item in collecting.items if item.expr.aggregates()]
        if len(lists) != 1 or not all(isinstance(k.expr, Var) and columns.get(k.expr.name) == "type" for k in keys):
            return None
        collect, name = lists[0].expr, lists[0].name
        # a map or list literal is never null, so the list holds one element per row
        if not (isinstance(collect, Aggregate) and collect.name == "collect" and not collect.distinct
                and isinstance(collect.arg, (MapLit, ListLit))):
            return None
        if not isinstance(head, Slice) or head.hi is None or head.hi.variables():
            return None
        from_start = head.lo is None or (isinstance(head.lo, Literal) and type(head.lo.value) is int
                                         and head.lo.value == 0)
        if not (from_start and isinstance(head.target, Var) and head.target.name == name):
            return None
        rest = following[2:]
        consumer = (rest[0].projection if isinstance(rest[0], WithClause) else None) if rest else returns
        if consumer is None or consumer.star or name in _projection_variables(consumer):
            return None
        return head.hi, bool(keys)

    def ranking(self, node_label: str | None, ctx: Ctx) -> CountRanking | None:
        """What to tell the graph; None when SKIP, LIMIT or the slice are not
        counts (the query then reports the error, or slices from the end)."""
        how_many = 0
        for expr in (self.skip, self.limit):
            value = 0 if expr is None else expr.eval({}, ctx)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return None
            how_many += value
        return CountRanking(self.order, how_many, self.per_type, node_label, self.summed)


@dataclass
class _CountedMatch:
    """A first MATCH of one relationship, ``(a)-[r:T]-(b)``, whose rows are
    only counted per ``a`` and ``type(r)`` by the WITH or RETURN after it
    (``WITH type(r) AS relation, a, count(r) AS degree``): the counts come
    from GraphAccess.relationship_counts, without a row per relationship;
    when the query then keeps only the first few (see _Kept), the graph may
    leave the others out."""

    node: NodePat
    rel: RelPat
    other: NodePat
    projection: Projection
    kept: _Kept | None = None

    @classmethod
    def of(cls, clauses: list[Clause], returns: Projection | None, initial: dict) -> _CountedMatch | None:
        if not clauses or not isinstance(clauses[0], MatchClause) or clauses[0].optional:
            return None
        if len(clauses) > 1:
            if not isinstance(clauses[1], WithClause):
                return None
            projection = clauses[1].projection
        elif returns is not None:
            projection = returns
        else:
            return None
        pattern = clauses[0].pattern
        if pattern.where is not None or len(pattern.parts) != 1:
            return None
        part = pattern.parts[0]
        if part.shortest or part.path_var or len(part.rels) != 1:
            return None
        (node, other), rel = part.nodes, part.rels[0]
        if rel.var_length or rel.props is not None or node.props is not None or other.props is not None:
            return None
        if len(other.labels) > 1:
            return None
        if len({node.var, rel.var, other.var}) != 3 or {node.var, rel.var, other.var} & initial.keys():
            return None
        if not projection.aggregates or projection.star:
            return None
        for item in projection.items:
            expr = item.expr
            if isinstance(expr, Aggregate):
                if expr.name != "count" or expr.distinct or not (
                        expr.arg is None or (isinstance(expr.arg, Var) and expr.arg.name == rel.var)):
                    return None
            elif not (isinstance(expr, Var) and expr.name == node.var) and not cls._is_type_of(expr, rel.var):
                return None
        columns = {item.name: "count" if isinstance(item.expr, Aggregate) else "node" if isinstance(item.expr, Var)
                   else "type" for item in projection.items}
        kept = None
        if "node" in columns.values() and len(node.labels) <= 1:  # one row per node, or per node and type
            kept = _Kept.of(projection, clauses[2:], returns, columns)
        return cls(node, rel, other, projection, kept)

    @staticmethod
    def _is_type_of(expr: Expr, var: str) -> bool:
        return (isinstance(expr, Call) and expr.name.lower() == "type" and len(expr.args) == 1
                and isinstance(expr.args[0], Var) and expr.args[0].name == var)

    def groups(self, ctx: Ctx) -> list[dict]:
        """The rows the projection's aggregation would make, in first-seen order."""
        keys = [item for item in self.projection.items if not isinstance(item.expr, Aggregate)]
        counts = [item for item in self.projection.items if isinstance(item.expr, Aggregate)]
        other_label = self.other.labels[0] if self.other.labels else None
        type_names = [item.name for item in keys if isinstance(item.expr, Call)]
        node_names = [item.name for item in keys if not isinstance(item.expr, Call)]
        count_names = [item.name for item in counts]
        node_ok: dict[frozenset[str], bool] = {}
        ranking = self.kept.ranking(self.node.labels[0] if self.node.labels else None, ctx) if self.kept else None
        counted = ctx.graph.relationship_counts(self.rel.direction, self.rel.types, other_label, ranking)
        if type_names and node_names:  # one group per (node, type): the counts are the groups
            rows = []
            for node, rel_type, n in counted:
                ctx.tick()
                ok = node_ok.get(node.labels)
                if ok is None:
                    ok = node_ok[node.labels] = _labels_ok(node.labels, self.node)
                if ok:
                    row = dict.fromkeys(type_names, rel_type)
                    row.update(dict.fromkeys(node_names, node))
                    row.update(dict.fromkeys(count_names, n))
                    rows.append(row)
            return rows
        groups: dict[tuple, list] = {}
        for node, rel_type, n in counted:
            ctx.tick()
            ok = node_ok.get(node.labels)
            if ok is None:
                ok = node_ok[node.labels] = _labels_ok(node.labels, self.node)
            if not ok:
                continue
            # nodes group by identity and type names by value, as group_key would
            key = (rel_type if type_names else None, node if node_names else None)
            group = groups.get(key)
            if group is None:
                groups[key] = [rel_type, node, n]
            else:
                group[2] += n
        if not groups and not keys:
            groups[()] = [None, None, 0]
        # each group is [type, node, count]: the column names with the slot each takes
        slots = [(name, 0) for name in type_names] + [(name, 1) for name in node_names] + [
            (name, 2) for name in count_names]
        return [{name: group[slot] for name, slot in slots} for group in groups.values()]


class Query:
    """One single query (clauses ending in RETURN) or a UNION of them."""

    def __init__(self, clauses: list[Clause], returns: Projection | None, scope: list[str]):
        self.clauses = clauses
        self.returns = returns
        self.scope = scope  # variables in scope before RETURN
        self.union: list[tuple[bool, Query]] = []

    def columns(self) -> list[str]:
        if self.returns is None:
            return []
        cols = [item.name for item in self.returns.items]
        if self.returns.star:
            cols = sorted(v for v in self.scope if not v.startswith(" ")) + cols
        return cols

    def rows(self, ctx: Ctx, initial: dict | None = None) -> Iterator[dict]:
        if not self.union:
            return self._single(ctx, initial)
        return self._union(ctx, initial)

    def _single(self, ctx: Ctx, initial: dict | None) -> Iterator[dict]:
        rows: Iterable[dict] = iter([dict(initial or {})])
        visible = [v for v in self.scope if not v.startswith(" ")]
        clauses = self.clauses
        counted = _CountedMatch.of(clauses, self.returns, initial or {})
        if counted is not None:
            if len(clauses) == 1:
                yield from self.returns.run([], ctx, visible, counted.groups(ctx))
                return
            following = clauses[1]
            rows = following.projection.run([], ctx, following.scope_before, counted.groups(ctx))
            clauses = clauses[2:]
        for clause in clauses:
            rows = clause.run(rows, ctx)
        if self.returns is None:
            yield from rows
            return
        yield from self.returns.run(rows, ctx, visible)

    def _union(self, ctx: Ctx, initial: dict | None) -> Iterator[dict]:
        distinct = any(not all_rows for all_rows, _ in self.union)
        columns = self.columns()
        for _, other in self.union:
            if other.columns() != columns:
                raise CypherSyntaxError("all sub queries in a UNION must have the same return column names")
        seen = set()
        for query in [self] + [q for _, q in self.union]:
            for row in query._single(ctx, initial):
                if distinct:
                    key = tuple(group_key(row[c]) for c in columns)
                    if key in seen:
                        continue
                    seen.add(key)
                yield row


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------

_CLAUSE_WORDS = {"MATCH", "OPTIONAL", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER", "SKIP", "OFFSET", "LIMIT",
                 "UNION", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "CALL", "LOAD",
                 "USE", "FINISH"}
_UNSUPPORTED_CLAUSES = {
    "CREATE": "a writing clause", "MERGE": "a writing clause", "SET": "a writing clause",
    "DELETE": "a writing clause", "DETACH": "a writing clause", "REMOVE": "a writing clause",
    "FOREACH": "a writing clause", "INSERT": "a writing clause", "LOAD": "LOAD CSV",
    "CALL": "procedure calls and CALL subqueries", "USE": "choosing a database", "FINISH": "FINISH",
    "EXPLAIN": "query plans", "PROFILE": "query plans", "SHOW": "SHOW commands",
    "DROP": "schema and administration commands", "ALTER": "administration commands",
    "GRANT": "administration commands", "REVOKE": "administration commands", "DENY": "administration commands",
    "START": "administration commands", "STOP": "administration commands", "TERMINATE": "administration commands",
}
_RESERVED = {"AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "AS", "CASE", "WHEN", "THEN",
             "ELSE", "END", "STARTS", "ENDS", "CONTAINS", "DISTINCT", "ASC", "DESC", "ASCENDING",
             "DESCENDING", "BY"} | _CLAUSE_WORDS


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.anon = 0

    # -- token helpers --------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, n: int = 1) -> Token:
        return self.tokens[min(self.i + n, len(self.tokens) - 1)]

    def error(self, message: str, token: Token | None = None) -> CypherSyntaxError:
        token = token or self.tok
        near = token.text or "the end of the query"
        return CypherSyntaxError(f"{message} at {_where(self.text, token.pos)} (near {near!r})")

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def at_word(self, *words: str) -> bool:
        return self.tok.is_word(*words)

    def take_op(self, op: str) -> Token:
        if not self.at_op(op):
            raise self.error(f"expected {op!r}")
        t = self.tok
        self.i += 1
        return t

    def take_word(self, word: str) -> Token:
        if not self.at_word(word):
            raise self.error(f"expected {word}")
        t = self.tok
        self.i += 1
        return t

    def maybe_op(self, op: str) -> bool:
        if self.at_op(op):
            self.i += 1
            return True
        return False

    def maybe_word(self, *words: str) -> bool:
        if self.at_word(*words):
            self.i += 1
            return True
        return False

    def name(self, what: str = "a name") -> str:
        t = self.tok
        if t.kind == "quoted" or (t.kind == "name"):
            self.i += 1
            return t.value
        raise self.error(f"expected {what}")

    def variable(self) -> str:
        t = self.tok
        if t.kind == "quoted":
            self.i += 1
            return t.value
        if t.kind == "name" and t.text.upper() not in _RESERVED:
            self.i += 1
            return t.value
        raise self.error("expected a variable")

    def fresh(self) -> str:
        self.anon += 1
        return f"  anon_{self.anon}"

    def source(self, start: int) -> str:
        """The query text of tokens[start:self.i], as written."""
        first = self.tokens[start]
        last = self.tokens[self.i - 1]
        return self.text[first.pos:last.pos + len(last.text)]

    # -- queries ----------------------------------------------------------------

    def parse(self) -> Query:
        if self.at_word(*_UNSUPPORTED_CLAUSES) and self.tok.text.upper() not in _CLAUSE_WORDS:
            raise CypherUnsupported(f"{self.tok.text.upper()} ({_UNSUPPORTED_CLAUSES[self.tok.text.upper()]})")
        query = self.query(scope=[], subquery=False)
        while self.maybe_op(";"):
            pass
        if self.tok.kind != "end":
            raise self.error("expected the end of the query")
        return query

    def query(self, scope: list[str], subquery: bool) -> Query:
        first = self.single_query(list(scope), subquery)
        union = []
        while self.at_word("UNION"):
            self.i += 1
            all_rows = self.maybe_word("ALL")
            union.append((all_rows, self.single_query(list(scope), subquery)))
        first.union = union
        return first

    def single_query(self, scope: list[str], subquery: bool) -> Query:
        clauses: list[Clause] = []
        while True:
            t = self.tok
            if t.is_word("MATCH") or t.is_word("OPTIONAL"):
                optional = self.maybe_word("OPTIONAL")
                self.take_word("MATCH")
                parts = self.pattern_list()
                where = self.expression() if self.maybe_word("WHERE") else None
                pattern = Pattern(parts, where)
                for v in pattern.named_variables():
                    if v not in scope:
                        scope.append(v)
                clauses.append(MatchClause(pattern, optional))
            elif t.is_word("UNWIND"):
                self.i += 1
                expr = self.expression()
                self.take_word("AS")
                var = self.variable()
                scope.append(var)
                clauses.append(UnwindClause(expr, var))
            elif t.is_word("WITH"):
                self.i += 1
                projection = self.projection(with_clause=True)
                before = [v for v in scope if not v.startswith(" ")]
                clauses.append(WithClause(projection, before))
                new_scope = (list(before) if projection.star else []) + [i.name for i in projection.items]
                scope[:] = new_scope
            elif t.is_word("RETURN"):
                self.i += 1
                projection = self.projection(with_clause=False)
                return Query(clauses, projection, scope)
            elif t.kind == "name" and t.text.upper() in _UNSUPPORTED_CLAUSES:
                raise CypherUnsupported(f"{t.text.upper()} ({_UNSUPPORTED_CLAUSES[t.text.upper()]})")
            elif subquery and (t.kind == "end" or self.at_op("}")):
                return Query(clauses, None, scope)
            else:
                if not clauses:
                    raise self.error("expected MATCH, OPTIONAL MATCH, WITH, UNWIND or RETURN")
                if t.kind == "end" or self.at_op(";"):
                    raise self.error("a query cannot end without RETURN")
                raise self.error("expected a clause")

    def projection(self, with_clause: bool) -> Projection:
        distinct = self.maybe_word("DISTINCT")
        star = False
        items: list[Item] = []
        if self.maybe_op("*"):
            star = True
            if not self.maybe_op(","):
                return self.projection_tail(Projection(items, star=True, distinct=distinct), with_clause)
        while True:
            start = self.i
            expr = self.expression()
            text = self.source(start)
            if self.maybe_word("AS"):
                name = self.variable()
            else:
                if with_clause and not isinstance(expr, Var):
                    raise self.error("expression in WITH must be aliased (use AS)", self.tokens[start])
                name = expr.name if isinstance(expr, Var) else text
            items.append(Item(expr, name))
            if not self.maybe_op(","):
                break
        return self.projection_tail(Projection(items, star=star, distinct=distinct), with_clause)

    def projection_tail(self, projection: Projection, with_clause: bool) -> Projection:
        if self.maybe_word("ORDER"):
            self.take_word("BY")
            order = []
            while True:
                expr = self.expression()
                descending = False
                if self.maybe_word("DESC", "DESCENDING"):
                    descending = True
                else:
                    self.maybe_word("ASC", "ASCENDING")
                order.append(SortItem(expr, descending))
                if not self.maybe_op(","):
                    break
            projection.order = order
        if self.maybe_word("SKIP", "OFFSET"):
            projection.skip = self.expression()
        if self.maybe_word("LIMIT"):
            projection.limit = self.expression()
        if with_clause and self.maybe_word("WHERE"):
            projection.where = self.expression()
        projection.__post_init__()
        return projection

    # -- patterns ---------------------------------------------------------------

    def pattern_list(self) -> list[PatternPart]:
        parts = [self.pattern_part()]
        while self.maybe_op(","):
            parts.append(self.pattern_part())
        return parts

    def pattern_part(self) -> PatternPart:
        path_var = None
        if (self.tok.kind in ("name", "quoted") and self.peek().kind == "op" and self.peek().text == "="):
            path_var = self.variable()
            self.take_op("=")
        if self.at_word("SHORTESTPATH", "ALLSHORTESTPATHS"):
            kind = "shortestPath" if self.tok.text.lower() == "shortestpath" else "allShortestPaths"
            self.i += 1
            self.take_op("(")
            nodes, rels = self.chain()
            self.take_op(")")
            if len(rels) != 1:
                raise self.error(f"{kind} needs a pattern with exactly one relationship")
            if not rels[0].var_length:
                rels[0].var_length = True
                rels[0].min_hops, rels[0].max_hops = 1, 1
            return PatternPart(path_var, nodes, rels, kind)
        if self.at_word("SHORTEST", "ANY", "ALL") and not self.at_op("("):
            raise CypherUnsupported("SHORTEST / ANY / ALL path selectors (use shortestPath(...))")
        nodes, rels = self.chain()
        return PatternPart(path_var, nodes, rels)

    def chain(self) -> tuple[list[NodePat], list[RelPat]]:
        nodes = [self.node_pattern()]
        rels: list[RelPat] = []
        while self.at_op("-", "<"):
            rels.append(self.rel_pattern())
            nodes.append(self.node_pattern())
        if self.at_op("{") or self.at_op("+") or (self.at_op("*") and rels):
            raise CypherUnsupported("quantified path patterns")
        return nodes, rels

    def node_pattern(self) -> NodePat:
        if self.at_op("(") and self.peek().kind == "op" and self.peek().text == "(":
            raise CypherUnsupported("quantified path patterns")
        self.take_op("(")
        var = None
        if self.tok.kind == "quoted" or (self.tok.kind == "name" and self.tok.text.upper() not in _RESERVED):
            var = self.variable()
        labels, any_label = (), False
        if self.at_op(":"):
            labels, any_label = self.label_expression()
        props = None
        if self.at_op("{"):
            props = self.map_literal()
        elif self.tok.kind == "param":
            props = Param(self.tok.value)
            self.i += 1
        if self.at_word("WHERE"):
            raise CypherUnsupported("WHERE inside a node pattern")
        self.take_op(")")
        if var is None:
            return NodePat(self.fresh(), labels, any_label, props, anonymous=True)
        return NodePat(var, labels, any_label, props)

    def label_expression(self) -> tuple[tuple[str, ...], bool]:
        self.take_op(":")
        labels = [self.name("a label")]
        mode = None
        while self.at_op(":", "&", "|"):
            op = self.tok.text
            this = "any" if op == "|" else "all"
            if mode is not None and mode != this:
                raise CypherUnsupported("label expressions mixing | with : or &")
            mode = this
            self.i += 1
            self.maybe_op(":")
            if self.at_op("!", "%", "("):
                raise CypherUnsupported("label expressions with !, % or parentheses")
            labels.append(self.name("a label"))
        if self.at_op("!", "%"):
            raise CypherUnsupported("label expressions with !, % or parentheses")
        return tuple(labels), mode == "any"

    def rel_pattern(self) -> RelPat:
        left = self.maybe_op("<")
        self.take_op("-")
        var, types, props = None, (), None
        var_length, min_hops, max_hops = False, 1, 1
        if self.maybe_op("["):
            if self.tok.kind == "quoted" or (self.tok.kind == "name" and self.tok.text.upper() not in _RESERVED):
                var = self.variable()
            if self.maybe_op(":"):
                names = [self.name("a relationship type")]
                while self.maybe_op("|"):
                    self.maybe_op(":")
                    names.append(self.name("a relationship type"))
                if self.at_op("&", "!", "%"):
                    raise CypherUnsupported("relationship type expressions with &, ! or %")
                types = tuple(names)
            if self.maybe_op("*"):
                var_length = True
                low = high = None
                if self.tok.kind == "number" and isinstance(self.tok.value, int):
                    low = self.tok.value
                    self.i += 1
                if self.maybe_op(".."):
                    if self.tok.kind == "number" and isinstance(self.tok.value, int):
                        high = self.tok.value
                        self.i += 1
                    min_hops = 1 if low is None else low
                    max_hops = high
                elif low is not None:
                    min_hops = max_hops = low
                else:
                    min_hops, max_hops = 1, None
            if self.at_op("{"):
                props = self.map_literal()
            elif self.tok.kind == "param":
                props = Param(self.tok.value)
                self.i += 1
            if self.at_word("WHERE"):
                raise CypherUnsupported("WHERE inside a relationship pattern")
            self.take_op("]")
        self.take_op("-")
        right = self.maybe_op(">")
        if left and right:
            direction = "both"
        elif left:
            direction = "in"
        elif right:
            direction = "out"
        else:
            direction = "both"
        anonymous = var is None
        return RelPat(var or self.fresh(), types, direction, props, var_length, min_hops, max_hops, anonymous)

    # -- expressions --------------------------------------------------------------

    def expression(self) -> Expr:
        start = self.i
        expr = self.or_expr()
        expr.text = self.source(start)
        return expr

    def _texted(self, start: int, expr: Expr) -> Expr:
        expr.text = self.source(start)
        return expr

    def _named(self, start: int, expr: Expr) -> Expr:
        expr.names = frozenset(t.value for t in self.tokens[start:self.i] if t.kind in ("name", "quoted"))
        return expr

    def or_expr(self) -> Expr:
        start = self.i
        left = self.xor_expr()
        while self.maybe_word("OR"):
            left = self._texted(start, Logic("OR", left, self.xor_expr()))
        return left

    def xor_expr(self) -> Expr:
        start = self.i
        left = self.and_expr()
        while self.maybe_word("XOR"):
            left = self._texted(start, Logic("XOR", left, self.and_expr()))
        return left

    def and_expr(self) -> Expr:
        start = self.i
        left = self.not_expr()
        while self.maybe_word("AND"):
            left = self._texted(start, Logic("AND", left, self.not_expr()))
        return left

    def not_expr(self) -> Expr:
        start = self.i
        if self.maybe_word("NOT"):
            return self._texted(start, Not(self.not_expr()))
        return self.comparison()

    def comparison(self) -> Expr:
        start = self.i
        left = self.predicate_expr()
        while self.at_op("=", "<>", "<", ">", "<=", ">="):
            op = self.tok.text
            self.i += 1
            left = self._texted(start, Compare(op, left, self.predicate_expr()))
        if self.at_op("!") and self.peek().text == "=":
            raise self.error("use <> for 'not equal'")
        return left

    def predicate_expr(self) -> Expr:
        start = self.i
        left = self.additive()
        while True:
            if self.at_word("STARTS") and self.peek().is_word("WITH"):
                self.i += 2
                left = StringOp("STARTS WITH", left, self.additive())
            elif self.at_word("ENDS") and self.peek().is_word("WITH"):
                self.i += 2
                left = StringOp("ENDS WITH", left, self.additive())
            elif self.at_word("CONTAINS"):
                self.i += 1
                left = StringOp("CONTAINS", left, self.additive())
            elif self.at_op("=~"):
                self.i += 1
                left = StringOp("=~", left, self.additive())
            elif self.at_word("IN"):
                self.i += 1
                left = In(left, self.additive())
            elif self.at_word("IS"):
                self.i += 1
                negate = self.maybe_word("NOT")
                if self.maybe_word("NULL"):
                    left = IsNull(left, negate)
                else:
                    raise CypherUnsupported("IS type predicates and normalization (only IS [NOT] NULL)")
            else:
                return left
            self._texted(start, left)

    def additive(self) -> Expr:
        start = self.i
        left = self.multiplicative()
        while self.at_op("+", "-"):
            op = self.tok.text
            self.i += 1
            left = self._texted(start, Arith(op, left, self.multiplicative()))
        return left

    def multiplicative(self) -> Expr:
        start = self.i
        left = self.power()
        while self.at_op("*", "/", "%"):
            op = self.tok.text
            self.i += 1
            left = self._texted(start, Arith(op, left, self.power()))
        return left

    def power(self) -> Expr:
        start = self.i
        left = self.unary()
        while self.at_op("^"):
            self.i += 1
            left = self._texted(start, Arith("^", left, self.unary()))
        return left

    def unary(self) -> Expr:
        start = self.i
        if self.maybe_op("-"):
            operand = self.unary()
            if isinstance(operand, Literal) and _is_num(operand.value):
                return self._texted(start, Literal(-operand.value))
            return self._texted(start, Neg(operand))
        if self.maybe_op("+"):
            return self.unary()
        return self.postfix()

    def postfix(self) -> Expr:
        start = self.i
        expr = self.atom()
        while True:
            if self.at_op(".") and self.peek().kind in ("name", "quoted"):
                self.i += 1
                expr = Prop(expr, self.name("a property name"))
            elif self.at_op("["):
                self.i += 1
                if self.maybe_op(".."):
                    hi = None if self.at_op("]") else self.expression()
                    self.take_op("]")
                    expr = Slice(expr, None, hi)
                else:
                    index = self.expression()
                    if self.maybe_op(".."):
                        hi = None if self.at_op("]") else self.expression()
                        self.take_op("]")
                        expr = Slice(expr, index, hi)
                    else:
                        self.take_op("]")
                        expr = Index(expr, index)
            elif self.at_op(":") and isinstance(expr, Var):
                labels, any_label = self.label_expression()
                expr = HasLabels(expr, labels, any_label)
            elif self.at_op("{") and isinstance(expr, Var):
                expr = self.map_projection(expr)
            else:
                return expr
            self._texted(start, expr)

    def map_projection(self, target: Expr) -> Expr:
        self.take_op("{")
        items = []
        while not self.at_op("}"):
            if self.maybe_op("."):
                if self.maybe_op("*"):
                    items.append(("all", None, None))
                else:
                    items.append(("prop", self.name("a property name"), None))
            else:
                key = self.name("a key")
                if self.maybe_op(":"):
                    items.append(("expr", key, self.expression()))
                else:
                    items.append(("expr", key, Var(key)))
            if not self.maybe_op(","):
                break
        self.take_op("}")
        return MapProjection(target, items)

    def map_literal(self) -> MapLit:
        self.take_op("{")
        items = []
        while not self.at_op("}"):
            key = self.name("a map key")
            self.take_op(":")
            items.append((key, self.expression()))
            if not self.maybe_op(","):
                break
        self.take_op("}")
        return MapLit(items)

    def atom(self) -> Expr:
        t = self.tok
        start = self.i
        if t.kind == "number":
            self.i += 1
            return self._texted(start, Literal(t.value))
        if t.kind == "string":
            self.i += 1
            return self._texted(start, Literal(t.value))
        if t.kind == "param":
            self.i += 1
            return self._texted(start, Param(t.value))
        if t.kind == "quoted":
            self.i += 1
            return self._texted(start, Var(t.value))
        if t.kind == "op":
            if t.text == "(":
                pattern = self.try_pattern()
                if pattern is not None:
                    return self._named(start, self._texted(start, PatternExpr(pattern)))
                self.i += 1
                expr = self.expression()
                self.take_op(")")
                return expr
            if t.text == "[":
                return self._texted(start, self.list_expression())
            if t.text == "{":
                return self._texted(start, self.map_literal())
            raise self.error("expected an expression")
        if t.kind != "name":
            raise self.error("expected an expression")
        word = t.text.upper()
        if word == "NULL":
            self.i += 1
            return self._texted(start, Literal(None))
        if word == "TRUE":
            self.i += 1
            return self._texted(start, Literal(True))
        if word == "FALSE":
            self.i += 1
            return self._texted(start, Literal(False))
        if word == "CASE":
            return self._texted(start, self.case())
        if word in ("COUNT", "EXISTS", "COLLECT") and self.peek().kind == "op" and self.peek().text == "{":
            self.i += 2
            query = self.subquery_body(word)
            self.take_op("}")
            return self._named(start, self._texted(start, Subquery(word, query)))
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text in ("(", "."):
            # function call, possibly namespaced (apoc.coll.sort)
            j, parts = self.i, [t.text]
            while self.tokens[j + 1].kind == "op" and self.tokens[j + 1].text == "." and self.tokens[j + 2].kind == "name":
                parts.append(self.tokens[j + 2].text)
                j += 2
            if self.tokens[j + 1].kind == "op" and self.tokens[j + 1].text == "(":
                fname = ".".join(parts)
                self.i = j + 2
                return self._texted(start, self.call(fname))
        if word in _RESERVED:
            raise self.error("expected an expression")
        self.i += 1
        return self._texted(start, Var(t.value))

    def call(self, fname: str) -> Expr:
        lower = fname.lower()
        if lower in ("any", "all", "none", "single"):
            var = self.variable()
            self.take_word("IN")
            source = self.expression()
            self.take_word("WHERE")
            where = self.expression()
            self.take_op(")")
            return Quantifier(lower.upper(), var, source, where)
        if lower == "reduce":
            acc = self.variable()
            self.take_op("=")
            init = self.expression()
            self.take_op(",")
            var = self.variable()
            self.take_word("IN")
            source = self.expression()
            self.take_op("|")
            body = self.expression()
            self.take_op(")")
            return Reduce(acc, init, var, source, body)
        if lower in ("count", "sum", "avg", "min", "max", "collect", "stdev", "stdevp"):
            if lower == "count" and self.maybe_op("*"):
                self.take_op(")")
                return Aggregate("count", None, False)
            distinct = self.maybe_word("DISTINCT")
            arg = self.expression()
            self.take_op(")")
            return Aggregate(lower, arg, distinct)
        if lower in ("percentiledisc", "percentilecont"):
            raise CypherUnsupported(f"aggregate {fname}()")
        args = []
        if not self.at_op(")"):
            while True:
                args.append(self.expression())
                if not self.maybe_op(","):
                    break
        self.take_op(")")
        return Call(fname, args)

    def case(self) -> Expr:
        self.take_word("CASE")
        subject = None if self.at_word("WHEN") else self.expression()
        whens = []
        while self.maybe_word("WHEN"):
            when = self.expression()
            self.take_word("THEN")
            whens.append((when, self.expression()))
        if not whens:
            raise self.error("CASE needs at least one WHEN")
        default = self.expression() if self.maybe_word("ELSE") else None
        self.take_word("END")
        return Case(subject, whens, default)

    def list_expression(self) -> Expr:
        self.take_op("[")
        # pattern comprehension: [(a)-->(b) WHERE ... | expr]
        if self.at_op("(") or (self.tok.kind in ("name", "quoted") and self.peek().text == "="
                               and self.peek(2).text == "("):
            saved = self.i
            try:
                parts = self.pattern_list()
                if len(parts) == 1 and parts[0].rels and (self.at_word("WHERE") or self.at_op("|")):
                    where = self.expression() if self.maybe_word("WHERE") else None
                    self.take_op("|")
                    proj = self.expression()
                    self.take_op("]")
                    return self._named(saved, PatternComp(Pattern(parts), where, proj))
            except CypherSyntaxError:
                pass
            self.i = saved
        # list comprehension: [x IN list WHERE ... | expr]
        if (self.tok.kind in ("name", "quoted") and self.peek().is_word("IN")
                and self.tok.text.upper() not in _RESERVED):
            saved = self.i
            var = self.variable()
            self.take_word("IN")
            source = self.expression()
            if self.at_word("WHERE") or self.at_op("|") or self.at_op("]"):
                where = self.expression() if self.maybe_word("WHERE") else None
                proj = self.expression() if self.maybe_op("|") else None
                self.take_op("]")
                return ListComp(var, source, where, proj)
            self.i = saved
        items = []
        while not self.at_op("]"):
            items.append(self.expression())
            if not self.maybe_op(","):
                break
        self.take_op("]")
        return ListLit(items)

    def try_pattern(self) -> Pattern | None:
        """A pattern predicate like (a)-[:X]->(b), or None (then backtrack)."""
        saved = self.i
        try:
            nodes, rels = self.chain()
        except (CypherSyntaxError, CypherUnsupported):
            self.i = saved
            return None
        if not rels:
            self.i = saved
            return None
        return Pattern([PatternPart(None, nodes, rels)])

    def subquery_body(self, kind: str) -> Query:
        if self.at_word("MATCH", "OPTIONAL", "WITH", "UNWIND", "CALL", "RETURN"):
            query = self.query(scope=[], subquery=True)
            if kind == "COLLECT" and query.returns is None:
                raise self.error("a COLLECT subquery must end with RETURN")
            return query
        parts = self.pattern_list()
        where = self.expression() if self.maybe_word("WHERE") else None
        pattern = Pattern(parts, where)
        return Query([MatchClause(pattern, False)], None, pattern.named_variables())


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


@dataclass
class Result:
    columns: list[str]
    rows: Iterator[list[Any]]


def parse(text: str) -> Query:
    """Parse a query; raises CypherSyntaxError or CypherUnsupported."""
    return Parser(text).parse()


def run(graph: GraphAccess, text: str, params: dict[str, Any] | None = None, *,
        timeout: float | None = None) -> Result:
    """Run a read query; rows stream lazily where the query allows (no ORDER BY,
    aggregation or DISTINCT before them). The deadline starts now and also
    bounds iterating the rows."""
    query = parse(text)
    deadline = None if timeout is None else time.monotonic() + timeout
    ctx = Ctx(graph, dict(params or {}), deadline)
    columns = query.columns()
    stream = query.rows(ctx)

    def rows() -> Iterator[list[Any]]:
        for row in stream:
            if deadline is not None and time.monotonic() > deadline:
                raise CypherTimeout("the query ran out of time")
            yield [row[c] for c in columns]

    return Result(columns, rows())
