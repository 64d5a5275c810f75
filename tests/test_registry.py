"""The extraction registry and the relation schema: rules listed, switched off, and every relation type defined once."""

from __future__ import annotations

import re

import pytest

from kg.errors import ConfigError
from kg.extraction import ArticleExtractor, build_rules, rule_names
from kg.query import style_path
from kg.records import Article
from kg.schema import PREDICATES, RELATION_TYPES

TEXT = 'Sen. Odalys Brandvik endorsed Rep. Teodor Kasprzak. "Kasprzak is a disgrace," Mayor Ingmar Boyle said.'


def test_rules_are_listed_in_reading_order():
    assert rule_names()[:3] == ["verb", "noun", "agent-noun"]
    assert [rule.name for rule in build_rules()] == rule_names()


def test_a_switched_off_rule_writes_nothing(nlp, lexicon):
    doc = nlp(TEXT)
    every = ArticleExtractor(lexicon)(Article("a", TEXT), doc).relations
    without_quotes = ArticleExtractor(lexicon, disabled=["quote", "reported-attack", "classifier"])(Article("a", TEXT), doc).relations
    assert {r.rule.split(":")[0] for r in every} == {"verb", "reported-attack"}
    assert {r.rule.split(":")[0] for r in without_quotes} == {"verb"}


def test_an_unknown_rule_name_is_an_error_that_lists_the_rules():
    with pytest.raises(ConfigError, match="unknown extraction rule nope; the rules are verb, noun"):
        build_rules(["nope"])


def test_predicates_come_from_the_schema():
    assert PREDICATES == ("ENDORSES", "DONATED_TO", "CRITICIZED")
    assert [name for name, kind in RELATION_TYPES.items() if kind.money] == ["DONATED_TO"]


def test_the_browser_style_draws_each_relation_type_in_its_schema_colour():
    style = style_path().read_text(encoding="utf-8")
    for name, kind in RELATION_TYPES.items():
        rule = re.search(rf"relationship\.{name} \{{(.*?)\}}", style, re.S)
        assert rule is not None and f"color: {kind.colour};" in rule.group(1)
