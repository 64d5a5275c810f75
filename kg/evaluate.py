"""Scoring extracted relations against a gold file of annotated news prose.

Each gold line: {"id", "text", "relations": [{"subject", "predicate",
"object", "amount"?, "subject_aliases"?, "object_aliases"?}]}. A predicted
relation matches at most one unmatched gold relation of the same item with
the same predicate, the same direction and matching names; scores are micro
precision, recall and F1 per predicate and overall; amounts are checked
separately where the gold gives one (the digits must agree).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kg.records import PREDICATES, ArticleGraph, Entity

TITLES = (
    "vice president", "president", "sen.", "sen", "senator", "rep.", "rep", "representative", "gov.", "gov",
    "governor", "lt. gov.", "mayor", "mr.", "mr", "ms.", "ms", "mrs.", "mrs", "dr.", "dr", "councilman",
    "councilwoman", "state sen.", "state rep.", "former",
)


@dataclass(frozen=True)
class Triple:
    subject: str
    predicate: str
    object: str
    amount: str | None = None
    subject_aliases: tuple[str, ...] = ()
    object_aliases: tuple[str, ...] = ()


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.true_positives, "fp": self.false_positives, "fn": self.false_negatives,
        }


@dataclass
class Report:
    overall: Score = field(default_factory=Score)
    by_predicate: dict[str, Score] = field(default_factory=lambda: {p: Score() for p in PREDICATES})
    amounts_checked: int = 0
    amounts_correct: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def amount_accuracy(self) -> float:
        return self.amounts_correct / self.amounts_checked if self.amounts_checked else 1.0

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "by_predicate": {p: s.as_dict() for p, s in self.by_predicate.items()},
            "amount_accuracy": round(self.amount_accuracy, 4),
            "amounts_checked": self.amounts_checked,
            "errors": self.errors,
        }


def normalise(name: str) -> str:
    text = name.lower().strip()
    text = re.sub(r"[’']s\b", "", text)
    changed = True
    while changed:
        changed = False
        for prefix in ("the ", *(t + " " for t in TITLES)):
            if text.startswith(prefix):
                text, changed = text[len(prefix):], True
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def names_match(predicted: str, gold: str, aliases: Iterable[str] = ()) -> bool:
    a = normalise(predicted)
    candidates = [normalise(gold), *(normalise(x) for x in aliases)]
    if a in candidates:
        return True
    b = candidates[0]
    ta, tb = a.split(), b.split()
    return bool(ta and tb) and ta[-1] == tb[-1] and (set(ta) <= set(tb) or set(tb) <= set(ta))


def digits(amount: str | None) -> str:
    return re.sub(r"\D", "", amount or "")


def matches(predicted: Triple, gold: Triple) -> bool:
    return (
        predicted.predicate == gold.predicate
        and names_match(predicted.subject, gold.subject, gold.subject_aliases)
        and names_match(predicted.object, gold.object, gold.object_aliases)
    )


def score(items: Iterable[tuple[dict, list[Triple]]]) -> Report:
    """Score (gold item, predicted triples) pairs as the gold format says; other predicates are ignored.

    Predictions are de-duplicated per item by subject, predicate and object. One
    that matches no unmatched gold relation is neutral when it matches an
    `optional` relation or repeats an already matched one, else a false positive.
    """
    report = Report()
    for item, predicted in items:
        unmatched = gold_triples(item)
        matched: list[Triple] = []
        optional = gold_triples(item, "optional")
        seen = set()
        for triple in (p for p in predicted if p.predicate in PREDICATES):
            key = (normalise(triple.subject), triple.predicate, normalise(triple.object))
            if key in seen:
                continue
            seen.add(key)
            hit = next((g for g in unmatched if matches(triple, g)), None)
            scores = (report.overall, report.by_predicate[triple.predicate])
            if hit is None:
                if any(matches(triple, g) for g in (*matched, *optional)):
                    continue
                for s in scores:
                    s.false_positives += 1
                report.errors.append({"id": item.get("id"), "kind": "false positive", "relation": _show(triple), "text": item.get("text", "")})
                continue
            unmatched.remove(hit)
            matched.append(hit)
            for s in scores:
                s.true_positives += 1
            if hit.amount:
                report.amounts_checked += 1
                if digits(hit.amount) == digits(triple.amount):
                    report.amounts_correct += 1
                else:
                    report.errors.append({"id": item.get("id"), "kind": "wrong amount", "relation": _show(triple), "expected": hit.amount, "text": item.get("text", "")})
        for missed in unmatched:
            report.overall.false_negatives += 1
            report.by_predicate[missed.predicate].false_negatives += 1
            report.errors.append({"id": item.get("id"), "kind": "false negative", "relation": _show(missed), "text": item.get("text", "")})
    return report


def gold_triples(item: dict, key: str = "relations") -> list[Triple]:
    """The item's gold relations (`key="optional"`: those neither rewarded nor penalised)."""
    return [
        Triple(g["subject"], g["predicate"], g["object"], g.get("amount"),
               tuple(g.get("subject_aliases", ())), tuple(g.get("object_aliases", ())))
        for g in item.get(key, [])
    ]


def rule_precision(items: Iterable[dict], extractor: Callable[[dict], ArticleGraph]) -> dict[str, tuple[int, int]]:
    """{rule kind: (correct, fired)} over labelled items: how far each extraction rule can be trusted.

    `extractor` turns one gold item into its ArticleGraph; a relation is
    correct when it matches a gold relation of its item not already matched.
    The kind is the rule name before ":" ("verb-passive:back" -> "verb-passive").
    """
    correct: Counter = Counter()
    fired: Counter = Counter()
    for item in items:
        graph = extractor(item)
        names = {e.id: e.name for e in graph.entities}
        unmatched = gold_triples(item)
        for relation in sorted(graph.relations, key=lambda r: -r.confidence):
            kind = relation.rule.split(":")[0]
            fired[kind] += 1
            triple = Triple(names[relation.subject], relation.predicate, names[relation.object], relation.amount)
            hit = next((g for g in unmatched if matches(triple, g)), None)
            if hit is not None:
                unmatched.remove(hit)
                correct[kind] += 1
    return {kind: (correct[kind], fired[kind]) for kind in sorted(fired)}


def _show(t: Triple) -> str:
    amount = f" ({t.amount})" if t.amount else ""
    return f"{t.subject} -{t.predicate}-> {t.object}{amount}"


#: What judge_entities can say of a node: the verdicts of ../shared/realnews/ENTITY-AUDIT.md, except that
#: a node no gold entity is called by is "unmatched" (not an entity, or a name cut or glued).
ENTITY_VERDICTS = ("ok", "type", "duplicate", "name", "alias", "unmatched")


def judge_entities(nodes: Sequence[Entity], gold: Sequence[dict]) -> list[str]:
    """A verdict for each of an article's entity nodes, read from its entity gold ({name, type, aliases}).

    ok: the node has a gold entity's name and type, and no alias of another gold entity; type: the name,
    another type; duplicate: a second node for a gold entity another node already names; name: a node
    called by a gold entity's alias when no node has its name ("Howard" for "Michael Howard"); alias: an
    alias of the node names another gold entity; unmatched: no gold entity is called so.
    """
    forms = [{normalise(g["name"]), *(normalise(a) for a in g.get("aliases", ()))} for g in gold]
    by_name = {normalise(g["name"]): n for n, g in reversed(list(enumerate(gold)))}
    named = {by_name[normalise(node.name)] for node in nodes if normalise(node.name) in by_name}
    claimed: set[int] = set()
    verdicts = []
    for node in nodes:
        key = normalise(node.name)
        found = by_name.get(key)
        if found is None:
            found = next((n for n, f in enumerate(forms) if key in f), None)
            if found is None:
                verdicts.append("unmatched")
                continue
            verdicts.append("duplicate" if found in named or found in claimed else "name")
        elif found in claimed:
            verdicts.append("duplicate")
        elif node.type != gold[found]["type"]:
            verdicts.append("type")
        elif any(normalise(a) not in forms[found] and any(normalise(a) in f for f in forms) for a in node.aliases):
            verdicts.append("alias")
        else:
            verdicts.append("ok")
        claimed.add(found)
    return verdicts
