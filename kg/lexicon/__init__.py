"""Relation and name vocabularies, kept as JSON data a user can read and extend."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from kg.errors import LexiconError


def _read(path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc


def _merge(base: dict, extra: dict) -> dict:
    """Entries of `extra` over `base`: dicts merge key by key, lists extend."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = base[key] + [v for v in value if v not in base[key]]
        else:
            merged[key] = value
    return merged


def _entries(section: dict) -> dict:
    return {k: v for k, v in section.items() if not k.startswith("_")}


@dataclass(frozen=True)
class Lexicon:
    relations: dict
    names: dict

    @property
    def verbs(self) -> dict:
        return _entries(self.relations["verbs"])

    @property
    def nouns(self) -> dict:
        return _entries(self.relations["nouns"])

    def words(self, section: str, key: str) -> frozenset[str]:
        return frozenset(self.relations[section][key])

    def name_words(self, key: str) -> frozenset[str]:
        return frozenset(self.names[key])


def load_lexicon(extra: str | Path | None = None, without: Iterable[str] = ()) -> Lexicon:
    """The packaged vocabularies, with a user's file merged over them.

    A user file may carry "relations" and/or "names" sections, or the bare
    sections of relations.json ("verbs", "nouns", "polarity", ...). `without`
    names extraction rules to switch off, added to the file's "disabled_rules".
    """
    package = files("kg") / "lexicon"
    relations = _read(package / "relations.json")
    names = _read(package / "names.json")
    names["gazetteer"] = _read(package / "gazetteer.json")["entries"]
    names["offices"] = _read(package / "offices.json")["entries"]
    if extra is not None:
        user = _read(Path(extra))
        if not isinstance(user, dict):
            raise LexiconError(f"{extra}: a lexicon file holds a JSON object")
        names = _merge(names, user.pop("names", {}))
        relations = _merge(relations, user.pop("relations", user))
    relations["disabled_rules"] = list(dict.fromkeys([*relations.get("disabled_rules", []), *without]))
    _check(relations, extra or "kg/lexicon/relations.json")
    return Lexicon(relations=relations, names=names)


def _check(relations: dict, source) -> None:
    """Every trigger names a known predicate, so a typo fails at load time, naming the file."""
    for section in ("verbs", "nouns", "agent_nouns"):
        entries = relations.get(section, {})
        if not isinstance(entries, dict):
            raise LexiconError(f"{source}: {section!r} must be an object of word -> entry")
        for word, entry in _entries(entries).items():
            if not isinstance(entry, dict) or entry.get("predicate") not in ("ENDORSES", "DONATED_TO", "CRITICIZED"):
                raise LexiconError(
                    f"{source}: lexicon {section[:-1].replace('_', ' ')} {word!r}: predicate must be ENDORSES, DONATED_TO or CRITICIZED")
