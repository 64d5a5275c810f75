"""Settings from flags, the environment and a `.env` file (read, never written).

Neo4j settings use the names Neo4j's own tools read: NEO4J_URI,
NEO4J_USERNAME (NEO4J_USER accepted), NEO4J_PASSWORD, NEO4J_DATABASE.
Without a NEO4J_URI, kg uses the embedded store under ./kg-data.

Limits of `kg ingest` (a flag wins over the environment, which wins over
`.env`, which wins over the default):

    --max-chars   KG_MAX_CHARS   longest article accepted, in characters
                                 (default 2,000,000; 1 to 10,000,000)
    --batch-size  KG_BATCH_SIZE  articles written per transaction
                                 (default 64; 1 to 10,000)

A value outside its range, or not a whole number, is a ConfigError naming
the flag or variable it came from.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from kg.errors import ConfigError

DEFAULT_DATA_DIR = "kg-data"
DEFAULT_MAX_CHARS = 2_000_000
#: Longest article kg accepts at all: its parse is held in memory at once
#: (about 250 bytes a character once parsed; the parse itself runs in pieces).
MAX_CHARS_LIMIT = 10_000_000
DEFAULT_BATCH_SIZE = 64
#: Most articles in one write transaction.
BATCH_SIZE_LIMIT = 10_000


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"


def environment(env_file: str | Path = ".env") -> dict[str, str]:
    """The process environment over the values of a `.env` file, if there is one."""
    values = {k: v for k, v in dotenv_values(env_file).items() if v is not None} if Path(env_file).is_file() else {}
    values.update(os.environ)
    return values


def neo4j_settings(
    *, uri: str | None = None, user: str | None = None, password: str | None = None,
    database: str | None = None, env: dict[str, str] | None = None,
) -> Neo4jSettings | None:
    """Neo4j connection settings, or None when no server is configured."""
    env = environment() if env is None else env
    uri = uri or env.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jSettings(
        uri=uri,
        user=user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or "neo4j",
        password=password if password is not None else env.get("NEO4J_PASSWORD", ""),
        database=database or env.get("NEO4J_DATABASE") or "neo4j",
    )


def port(text: str, name: str) -> int:
    """A TCP port number read from setting ``name``; ConfigError naming it otherwise."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 < value < 65536:
        raise ConfigError(f"{name}={text!r} is not a port number (1 to 65535)")
    return value


def data_dir(directory: str | None = None, env: dict[str, str] | None = None) -> Path:
    env = environment() if env is None else env
    return Path(directory or env.get("KG_DATA_DIR") or DEFAULT_DATA_DIR)


def max_chars(value: int | None = None, env: dict[str, str] | None = None) -> int:
    """Longest article accepted: --max-chars, else KG_MAX_CHARS, else 2,000,000."""
    return _bounded("--max-chars", "KG_MAX_CHARS", value, env, DEFAULT_MAX_CHARS, MAX_CHARS_LIMIT)


def batch_size(value: int | None = None, env: dict[str, str] | None = None) -> int:
    """Articles per write transaction: --batch-size, else KG_BATCH_SIZE, else 64."""
    return _bounded("--batch-size", "KG_BATCH_SIZE", value, env, DEFAULT_BATCH_SIZE, BATCH_SIZE_LIMIT)


def _bounded(flag: str, variable: str, value: int | None, env: dict[str, str] | None, default: int, limit: int) -> int:
    """A whole number from 1 to `limit`, from the flag, the environment or the default."""
    if value is not None:
        source, raw = flag, value
    else:
        env = environment() if env is None else env
        text = (env.get(variable) or "").strip()
        if not text:
            return default
        source, raw = variable, text
        try:
            raw = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise ConfigError(f"{variable} must be a whole number from 1 to {limit:,}, not {text!r}") from None
    if not 1 <= raw <= limit:
        raise ConfigError(f"{source} must be from 1 to {limit:,}, not {raw:,}")
    return raw


def encoding(value: str | None) -> str | None:
    """--encoding: a codec Python knows, by any of its names (latin-1, cp1252, shift_jis ...)."""
    if value is None:
        return None
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise ConfigError(f"--encoding {value}: unknown encoding (examples: utf-8, latin-1, cp1252, utf-16)") from None


def columns(options: list[str] | None) -> dict[str, str]:
    """--column FIELD=COLUMN options as {field: column}, FIELD an article field."""
    from kg.sources.articles import ARTICLE_FIELDS

    mapping = {}
    for option in options or []:
        field_name, equals, column = option.partition("=")
        field_name, column = field_name.strip().lower(), column.strip()
        if not equals or not column or field_name not in ARTICLE_FIELDS:
            raise ConfigError(
                f"--column {option}: expected FIELD=COLUMN with FIELD one of {', '.join(ARTICLE_FIELDS)}"
            )
        mapping[field_name] = column
    return mapping
