"""Settings from flags, the environment and a `.env` file (read, never written).

Neo4j settings use the names Neo4j's own tools read: NEO4J_URI,
NEO4J_USERNAME (NEO4J_USER accepted), NEO4J_PASSWORD, NEO4J_DATABASE.
Without a NEO4J_URI, kg uses the embedded store under ./kg-data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATA_DIR = "kg-data"
DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_BATCH_SIZE = 64


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


def data_dir(directory: str | None = None, env: dict[str, str] | None = None) -> Path:
    env = environment() if env is None else env
    return Path(directory or env.get("KG_DATA_DIR") or DEFAULT_DATA_DIR)


def max_chars(value: int | None = None, env: dict[str, str] | None = None) -> int:
    env = environment() if env is None else env
    return value or int(env.get("KG_MAX_CHARS") or DEFAULT_MAX_CHARS)
