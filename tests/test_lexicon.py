"""The vocabularies are data: a user's file extends them, a broken one is reported by name."""

from __future__ import annotations

import json

import pytest

from kg.errors import LexiconError
from kg.extraction import ArticleExtractor
from kg.lexicon import load_lexicon
from kg.places import is_demonym
from kg.records import Article

SENTENCE = "Sen. Odalys Brandvik pummeled Gov. Teodor Kasprzak over the budget."


def relations(nlp, lexicon, text):
    graph = ArticleExtractor(lexicon)(Article("t", text), nlp(text))
    names = {e.id: e.name for e in graph.entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in graph.relations}


def test_user_verb_fires(nlp, lexicon, tmp_path):
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"verbs": {"pummel": {"predicate": "CRITICIZED"}}}))
    assert relations(nlp, lexicon, SENTENCE) == set()
    assert relations(nlp, load_lexicon(extra), SENTENCE) == {("Odalys Brandvik", "CRITICIZED", "Teodor Kasprzak")}


def test_user_file_merges_over_packaged_entries(tmp_path):
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"relations": {"polarity": {"hedges": ["ought"]}}, "names": {"groups": ["greens"]}}))
    lexicon = load_lexicon(extra)
    assert "ought" in lexicon.relations["polarity"]["hedges"] and "may" in lexicon.relations["polarity"]["hedges"]
    assert "greens" in lexicon.names["groups"] and "endorse" in lexicon.verbs


def test_user_office_holder_names_the_description(nlp, lexicon, tmp_path):
    extra = tmp_path / "extra.json"
    holder = {"name": "Teodor Kasprzak", "role": "governor", "from": 2019, "to": 2023}
    extra.write_text(json.dumps({"names": {"offices": [holder]}, "verbs": {"pummel": {"predicate": "CRITICIZED"}}}))
    text = "Teodor Kasprzak cut the budget. Sen. Odalys Brandvik pummeled the governor."
    article = Article("t", text, published="May 2, 2021")
    graph = ArticleExtractor(load_lexicon(extra))(article, nlp(text))
    names = {e.id: e.name for e in graph.entities}
    assert {(names[r.subject], names[r.object]) for r in graph.relations} == {("Odalys Brandvik", "Teodor Kasprzak")}


@pytest.mark.parametrize("content", [
    "{not json",
    "[1, 2]",
    json.dumps({"verbs": {"pummel": {"predicate": "HATES"}}}),
    json.dumps({"verbs": {"pummel": "CRITICIZED"}}),
    json.dumps({"nouns": ["broadside"]}),
], ids=["invalid json", "not an object", "unknown predicate", "entry not an object", "section not an object"])
def test_malformed_file_names_the_file(tmp_path, content):
    extra = tmp_path / "broken-lexicon.json"
    extra.write_text(content)
    with pytest.raises(LexiconError, match="broken-lexicon.json"):
        load_lexicon(extra)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(LexiconError, match="nowhere.json"):
        load_lexicon(tmp_path / "nowhere.json")


@pytest.mark.parametrize("word,people", [
    ("ukrainians", True), ("bangladeshi", True), ("chinese", True), ("indian", True),
    ("jordan", False), ("brian", False), ("ryan", False),
])
def test_a_demonym_opens_with_its_countrys_name(word, people):
    assert is_demonym(word) is people
