"""The gold scorer, as /work/shared/eval/SCHEMA.md describes it."""

from __future__ import annotations

import pytest

from kg.evaluate import Triple, judge_entities, names_match, rule_precision, score
from kg.records import Article, ArticleGraph, Entity, Relation


def item(*relations, id="g1"):
    return {"id": id, "text": "...", "relations": list(relations)}


def gold(subject, predicate, obj, **extra):
    return {"subject": subject, "predicate": predicate, "object": obj, **extra}


@pytest.mark.parametrize("predicted,expected", [
    ("Sen. Maria Okafor", "Maria Okafor"),
    ("Vice President Maria Okafor", "Maria Okafor"),
    ("the Harbor Tenants Union", "Harbor Tenants Union"),
    ("Harbor Tenants Union's", "Harbor Tenants Union"),
    ("Thornbury Mining Corp", "Thornbury Mining Corp."),
    ("Okafor", "Maria Okafor"),
    ("Maria Okafor", "Okafor"),
    ("Maria Lucia Okafor", "Maria Okafor"),
])
def test_names_match(predicted, expected):
    assert names_match(predicted, expected)


@pytest.mark.parametrize("predicted,expected", [
    ("Maria", "Maria Okafor"),          # last tokens differ
    ("Tom Okafor", "Maria Okafor"),     # neither is a subset of the other
    ("Harbor Union", "Harbor Tenants Union Local 5"),
])
def test_names_differ(predicted, expected):
    assert not names_match(predicted, expected)


def test_alias_matches():
    report = score([(item(gold("Builders for Progress PAC", "DONATED_TO", "Ann Lee", subject_aliases=["BPP"])),
                     [Triple("BPP", "DONATED_TO", "Ann Lee")])])
    assert report.overall.true_positives == 1


def test_amount_digits_must_agree():
    report = score([(item(gold("A Corp", "DONATED_TO", "Ann Lee", amount="$5,000"),
                          gold("B Corp", "DONATED_TO", "Ann Lee", amount="$1.2 million")),
                     [Triple("A Corp", "DONATED_TO", "Ann Lee", "$5000"), Triple("B Corp", "DONATED_TO", "Ann Lee", "$1.5 million")])])
    assert (report.amounts_checked, report.amounts_correct) == (2, 1)
    assert report.overall.true_positives == 2
    assert [e["kind"] for e in report.errors] == ["wrong amount"]


def test_empty_gold_makes_any_prediction_false_positive():
    report = score([(item(), [Triple("Ann Lee", "ENDORSES", "Bo Reyes")])])
    assert (report.overall.false_positives, report.overall.precision) == (1, 0.0)
    assert report.by_predicate["ENDORSES"].false_positives == 1


def test_direction_matters():
    report = score([(item(gold("Ann Lee", "CRITICIZED", "Bo Reyes")), [Triple("Bo Reyes", "CRITICIZED", "Ann Lee")])])
    assert (report.overall.true_positives, report.overall.false_positives, report.overall.false_negatives) == (0, 1, 1)


def test_one_gold_is_matched_at_most_once_and_a_repeat_is_no_error():
    report = score([(item(gold("Ann Lee", "ENDORSES", "Bo Reyes")),
                     [Triple("Ann Lee", "ENDORSES", "Bo Reyes"), Triple("Sen. Ann Lee", "ENDORSES", "Reyes")])])
    assert (report.overall.true_positives, report.overall.false_positives) == (1, 0)


def test_a_prediction_matching_an_optional_relation_is_neutral():
    graded = {**item(), "optional": [gold("Ann Lee", "CRITICIZED", "Bo Reyes", why="borderline")]}
    report = score([(graded, [Triple("Ann Lee", "CRITICIZED", "Bo Reyes")])])
    assert (report.overall.true_positives, report.overall.false_positives, report.overall.false_negatives) == (0, 0, 0)


def test_other_predicates_are_ignored():
    report = score([(item(), [Triple("Ann Lee", "MET_WITH", "Bo Reyes")])])
    assert report.overall.false_positives == 0 and report.errors == []


def test_per_predicate_scores_add_up():
    report = score([(item(gold("A", "ENDORSES", "B"), gold("A", "CRITICIZED", "C")),
                     [Triple("A", "ENDORSES", "B")])])
    assert report.by_predicate["ENDORSES"].f1 == 1.0
    assert report.by_predicate["CRITICIZED"].recall == 0.0
    assert report.overall.recall == 0.5


def test_rule_precision_counts_by_rule_kind():
    entities = (Entity("person:ann lee", "Ann Lee", "PERSON"), Entity("person:bo reyes", "Bo Reyes", "PERSON"))

    def relation(predicate, rule):
        return Relation("person:ann lee", predicate, "person:bo reyes", "g1", "s", 0, 1, 0.9, rule)

    graph = ArticleGraph(Article("g1", "..."), entities,
                         (relation("ENDORSES", "verb:endorse"), relation("CRITICIZED", "verb:slam"),
                          relation("DONATED_TO", "noun:donation")))
    counts = rule_precision([item(gold("Ann Lee", "ENDORSES", "Bo Reyes"), gold("Ann Lee", "DONATED_TO", "Bo Reyes"))],
                            lambda _: graph)
    assert counts == {"noun": (1, 1), "verb": (1, 2)}


GOLD_ENTITIES = [
    {"name": "Ottilie Varga", "type": "PERSON", "aliases": ["Varga"]},
    {"name": "Harbour Trust", "type": "ORG", "aliases": ["HT"]},
]


def _nodes(*named):
    return [Entity(f"n{i}", name, type_, tuple(aliases)) for i, (name, type_, *aliases) in enumerate(named)]


def test_judge_entities_reads_a_gold_name_and_type_as_right():
    assert judge_entities(_nodes(("Ottilie Varga", "PERSON", "Varga"), ("Harbour Trust", "ORG")), GOLD_ENTITIES) == ["ok", "ok"]


def test_judge_entities_reads_a_wrong_type_and_an_unknown_name():
    assert judge_entities(_nodes(("Harbour Trust", "PERSON"), ("Trust", "ORG")), GOLD_ENTITIES) == ["type", "unmatched"]


def test_judge_entities_reads_an_unjoined_short_form_as_a_duplicate():
    assert judge_entities(_nodes(("Ottilie Varga", "PERSON"), ("Varga", "PERSON")), GOLD_ENTITIES) == ["ok", "duplicate"]


def test_judge_entities_reads_a_short_form_alone_as_a_name_error():
    assert judge_entities(_nodes(("Varga", "PERSON"),), GOLD_ENTITIES) == ["name"]


def test_judge_entities_reads_an_alias_of_another_entity():
    assert judge_entities(_nodes(("Ottilie Varga", "PERSON", "HT"),), GOLD_ENTITIES) == ["alias"]
