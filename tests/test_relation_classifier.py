"""The relation classifier: packaged, deterministic, and reading direction from the parse.

Sentences here are written for the project; DSE itself is read only by the
skip-if-absent check at the end.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kg.extraction.classifier import RelationClassifier, decide, models_dir
from kg.extraction.dse import DSEExample, parse_line, read_dse, score, token_span
from kg.records import SourceError

REPO = Path(__file__).resolve().parents[1]
DSE_VALID = REPO.parent / "shared" / "external" / "dse" / "valid.txt"


def tokens(doc, text: str) -> tuple[int, int]:
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text))
    return span.start, span.end


def classify(nlp, sentence: str, p: str, q: str) -> np.ndarray:
    doc = nlp(sentence)
    return RelationClassifier.load().predict(doc, [(tokens(doc, p), tokens(doc, q))])[0]


def test_loads_from_the_package_once():
    classifier = RelationClassifier.load()
    assert (classifier.name, classifier.version) == ("relations-dse", "1")
    assert (models_dir() / "relations-dse-v1.npz").stat().st_size < 20_000_000
    assert RelationClassifier.load() is classifier


def test_ships_thresholds_for_precise_negatives():
    thresholds = RelationClassifier.load().thresholds
    assert 0 < thresholds["negative_precision_0.80"] < 1


def test_gives_five_probabilities_per_pair(nlp):
    doc = nlp("Senator Alma Ruiz blasted Governor Ted Kline over the budget.")
    pairs = [(tokens(doc, "Alma Ruiz"), tokens(doc, "Ted Kline")), (tokens(doc, "Senator"), tokens(doc, "budget"))]
    probabilities = RelationClassifier.load().predict(doc, pairs)
    assert probabilities.shape == (2, 5)
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_no_pairs_give_an_empty_array(nlp):
    assert RelationClassifier.load().predict(nlp("Nothing happened."), []).shape == (0, 5)


def test_is_deterministic(nlp):
    sentence = "Senator Alma Ruiz blasted Governor Ted Kline over the budget."
    first = classify(nlp, sentence, "Alma Ruiz", "Ted Kline")
    doc = nlp(sentence)
    fresh = RelationClassifier.read(models_dir() / "relations-dse-v1.npz")
    again = fresh.predict(doc, [(tokens(doc, "Alma Ruiz"), tokens(doc, "Ted Kline"))])[0]
    assert first.tolist() == again.tolist()


@pytest.mark.parametrize("sentence,p,q,label", [
    ("Senator Alma Ruiz blasted Governor Ted Kline over the budget.", "Alma Ruiz", "Ted Kline", 3),
    ("Governor Ted Kline was blasted by Senator Alma Ruiz over the budget.", "Ted Kline", "Alma Ruiz", 4),
    ("Senator Alma Ruiz condemned Governor Ted Kline's veto.", "Alma Ruiz", "Ted Kline", 3),
    ("Senator Alma Ruiz praised Governor Ted Kline for his work on the budget.", "Alma Ruiz", "Ted Kline", 1),
    ("Senator Alma Ruiz and Governor Ted Kline will attend the conference in Sacramento on Tuesday.",
     "Alma Ruiz", "Ted Kline", 0),
], ids=["first attacks second", "second attacks first", "attacking an owner's decision", "praise", "a meeting"])
def test_directed_sentiment_between_two_mentions_is_its_class(nlp, sentence, p, q, label):
    assert classify(nlp, sentence, p, q).argmax() == label


def test_decide_reads_negative_at_a_threshold_with_its_direction():
    probabilities = np.array([[0.5, 0.1, 0.0, 0.15, 0.25], [0.6, 0.3, 0.1, 0.0, 0.0]])
    assert decide(probabilities).tolist() == [0, 0]
    assert decide(probabilities, negative=0.4).tolist() == [4, 0]
    assert decide(probabilities, positive=0.4).tolist() == [0, 1]


# -- the DSE format --------------------------------------------------------------


def test_a_dse_line_loses_its_brackets_and_keeps_the_spans():
    example = parse_line("[Ruiz’]s aides met [the Kline campaign] on Monday.\tRuiz’\tthe Kline campaign\t3\n")
    assert example.text == "Ruiz’s aides met the Kline campaign on Monday."
    assert (example.p_name, example.q_name, example.label) == ("Ruiz’", "the Kline campaign", 3)


def test_a_bracket_cutting_a_word_maps_to_the_whole_token(nlp):
    example = parse_line("[Democrat]s praised [Ruiz].\tDemocrat\tRuiz\t1")
    doc = nlp(example.text)
    assert doc[slice(*token_span(doc, example.p))].text == "Democrats"


def test_a_bad_dse_line_is_reported_with_its_number_and_reading_goes_on(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("[Ruiz] met [Kline].\tRuiz\tKline\t0\nno brackets here\tx\ty\t0\n[Kline] thanked [Ruiz].\tKline\tRuiz\t1\n",
                    encoding="utf-8")
    items = list(read_dse(path))
    assert [type(i) for i in items] == [DSEExample, SourceError, DSEExample]
    assert items[1].line == 2 and "two non-empty [bracketed] entities" in items[1].reason


def test_scores_count_a_negative_only_with_its_direction():
    figures = score([0, 3, 4, 1, 3], [0, 3, 3, 1, 0])
    assert (figures.negative.true_positives, figures.negative.predicted, figures.negative.gold) == (1, 2, 3)
    assert (figures.positive.precision, figures.positive.recall) == (1.0, 1.0)
    assert figures.confusion[4] == (0, 0, 0, 1, 0)


# -- the benchmark's reading of kg's relations -----------------------------------


def _benchmark():
    spec = importlib.util.spec_from_file_location("bench_dse", REPO / "benchmarks" / "dse.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_reads_criticism_before_endorsement_with_direction():
    dse = _benchmark()
    relations = [("Ted Kline", "ENDORSES", "Alma Ruiz"), ("Alma Ruiz", "CRITICIZED", "Ted Kline")]
    assert dse.label_from_relations(relations, "Ruiz", "Governor Kline") == 3
    assert dse.label_from_relations(relations[:1], "Ruiz", "Governor Kline") == 2
    assert dse.label_from_relations(relations, "Democrat", "Kline") == 0


def test_benchmark_matches_a_word_cut_by_a_bracket_but_not_a_stop_word():
    dse = _benchmark()
    assert dse.same_entity("Democrats", "Democrat")
    assert not dse.same_entity("the Senate", "the House")


@pytest.mark.slow
@pytest.mark.skipif(not DSE_VALID.exists(), reason="DSE data not present")
def test_meets_the_negative_target_on_dse_valid():
    dse = _benchmark()
    result = dse.run_classifier(dse.read(DSE_VALID, None), None)
    negative = result["figures"]["negative"]
    assert negative["f1"] >= 0.72 and negative["precision"] >= 0.75
    assert result["thresholded"]["negative_precision_0.80"]["negative"]["precision"] >= 0.80


def test_runs_without_scikit_learn():
    script = ("import sys; sys.modules['sklearn'] = None\n"
              "from kg.extraction.classifier import RelationClassifier\n"
              "print(len(RelationClassifier.load().vocabulary) > 0)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def _readings(nlp, lexicon, text: str) -> set[tuple[str, str]]:
    from kg.extraction.classified import read_pairs
    from kg.extraction.context import DocContext
    from kg.extraction.vocabulary import Vocabulary
    from kg.mentions import MentionFinder

    doc = nlp(text)
    ctx = DocContext(Vocabulary(lexicon), doc, MentionFinder(lexicon)(doc))
    return {(r.subject.name, r.object.name) for s in ctx.entities.sentences for r in read_pairs(ctx, s)}


def test_a_sentence_finding_fault_only_in_a_reported_word_is_read(nlp, lexicon):
    assert ("Ottilie Varga", "Ray Brandt") in _readings(
        nlp, lexicon, "Ottilie Varga said Ray Brandt's figures were a fantasy.")


def test_a_sentence_with_no_fault_finding_word_is_not_read(nlp, lexicon):
    assert _readings(nlp, lexicon, "Ottilie Varga said Ray Brandt's figures were ready.") == set()


def test_a_name_that_only_says_whose_allies_is_no_end_of_a_pair(nlp, lexicon):
    readings = _readings(nlp, lexicon, "Ray Brandt spoke. Some Brandt allies accused Ottilie Varga of bias.")
    assert not any("Ray Brandt" in pair for pair in readings)


def test_a_name_that_only_says_where_is_not_attacked(nlp, lexicon):
    readings = _readings(nlp, lexicon, "Ottilie Varga slammed a forehand past Ray Brandt to win the set.")
    assert ("Ottilie Varga", "Ray Brandt") not in readings


def test_the_classifier_reads_a_pair_in_one_direction_only(nlp):
    from kg.extraction import ArticleExtractor, rule_names
    from kg.lexicon import load_lexicon
    from kg.records import Article

    lexicon = load_lexicon(without=[name for name in rule_names() if name != "classifier"])
    lexicon.relations["classifier"]["threshold"] = 0.0
    text = "Ottilie Varga said Ray Brandt's figures were a fantasy."
    graph = ArticleExtractor(lexicon)(Article("a", text), nlp(text))
    assert len(graph.relations) == 1
