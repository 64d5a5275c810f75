"""Errors kg raises, drawn once:

KgError                 anything kg reports to a user; exit code 2 at the CLI
├── ConfigError         a setting, flag or path that cannot work
├── ModelError          the spaCy pipeline cannot be loaded
├── LexiconError        a relation vocabulary file is malformed
├── QueryError          a Cypher query refused or failed
└── StoreError          the graph store failed
    ├── StoreUnavailable   no server answers at the configured address
    └── AuthFailed         the server refused the credentials
"""


class KgError(Exception):
    """An error with a message meant for the user."""


class ConfigError(KgError):
    pass


class ModelError(KgError):
    pass


class LexiconError(KgError):
    pass


class QueryError(KgError):
    pass


class StoreError(KgError):
    pass


class StoreUnavailable(StoreError):
    pass


class AuthFailed(StoreError):
    pass
