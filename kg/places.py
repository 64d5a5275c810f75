"""Names of countries and their subdivisions (states, counties, regions), from pycountry's ISO 3166 tables,
and well-known cities and regions those tables leave out (kg/lexicon/places.json).

The small spaCy model types many places as organisations or people ("New Zealand" ORG, "Derbyshire"
PERSON); a name that is a known place counts as place evidence when mentions vote on an entity's type.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Lower-case names of every country (official short and common names) and subdivision, and the
    well-known cities and regions of kg/lexicon/places.json."""
    import pycountry

    names = set(_country_names())
    names.update(subdivision.name.lower() for subdivision in pycountry.subdivisions)
    packaged = files("kg") / "lexicon" / "places.json"
    names.update(json.loads(packaged.read_text(encoding="utf-8"))["names"])
    return frozenset(names)


#: Endings of the words for a country's people ("Ukrainian", "Chinese", "Mexican", "Pakistani").
DEMONYM_ENDINGS = ("ian", "ean", "ese", "an", "i")


@lru_cache(maxsize=4096)
def is_demonym(word: str) -> bool:
    """Whether a word (lower case, singular or plural) names the people of a country: its stem opens a
    country's name ("bangladeshi", "ukrainians", "iraqi"). A place's own name is none ("jordan")."""
    word = word.removesuffix("s")
    if word in known_places():
        return False
    countries = _country_names()
    return any(word.endswith(ending) and len(word) - len(ending) >= 4
               and any(name.startswith(word[:-len(ending)]) for name in countries) for ending in DEMONYM_ENDINGS)


@lru_cache(maxsize=1)
def _country_names() -> tuple[str, ...]:
    """Lower-case official short and common names of every country."""
    import pycountry

    return tuple(sorted({n.lower() for c in pycountry.countries for n in (c.name, getattr(c, "common_name", c.name))}))

