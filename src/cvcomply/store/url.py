"""Where the store lives: ``CVCOMPLY_DATABASE_URL`` / ``--database``, else a DuckDB file in the user's data dir.

Accepted forms (DESIGN.md §5): ``duckdb:///abs/path/file.duckdb``, ``duckdb://relative/file.duckdb``,
``duckdb:///:memory:``, a bare path ending in ``.duckdb``, and ``postgresql://…`` / ``postgres://…``
(handed to psycopg unchanged, so libpq parameters such as ``?options=-csearch_path%3Dx`` work).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cvcomply.formats.errors import InputError

ENV_VAR = "CVCOMPLY_DATABASE_URL"


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A parsed store location: ``backend`` and either a DuckDB ``path`` or a PostgreSQL ``dsn``."""

    backend: Literal["duckdb", "postgresql"]
    target: str  # a file path (or ":memory:") for DuckDB, the full URL for PostgreSQL

    def __str__(self) -> str:
        return f"duckdb://{self.target}" if self.backend == "duckdb" else _redact(self.target)


def _redact(url: str) -> str:
    """The URL without its password (it may be shown in messages and the audit log)."""
    head, sep, tail = url.partition("://")
    if "@" in tail:
        cred, _, rest = tail.rpartition("@")
        user = cred.split(":", 1)[0]
        return f"{head}{sep}{user}:***@{rest}" if ":" in cred else url
    return url


def user_data_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The per-user data directory, as platformdirs would choose it (XDG on Linux)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    home = Path(env.get("HOME") or Path.home())
    if platform.startswith("win"):
        base = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "cvcomply"


def default_url(env: Mapping[str, str] | None = None) -> DatabaseUrl:
    return DatabaseUrl("duckdb", str(user_data_dir(env) / "cvcomply.duckdb"))


def parse_url(url: str | None, env: Mapping[str, str] | None = None) -> DatabaseUrl:
    """``url`` (from ``--database``), else ``$CVCOMPLY_DATABASE_URL``, else the default DuckDB file."""
    env = os.environ if env is None else env
    raw = url or env.get(ENV_VAR) or ""
    if not raw:
        return default_url(env)
    if raw.startswith(("postgresql://", "postgres://")):
        return DatabaseUrl("postgresql", raw)
    if raw.startswith("duckdb://"):
        rest = raw[len("duckdb://"):]
        if rest in ("", "/"):
            raise InputError(raw, "", "a DuckDB URL needs a file path",
                             fix="write duckdb:///absolute/path/file.duckdb or duckdb:///:memory:")
        path = rest[1:] if rest.startswith("/:memory:") else rest
        return DatabaseUrl("duckdb", path)
    if raw.endswith(".duckdb") or raw == ":memory:":
        return DatabaseUrl("duckdb", raw)
    raise InputError(raw, "", "not a database URL this tool knows",
                     fix=f"use duckdb:///path/file.duckdb or postgresql://user@host/db (via --database or {ENV_VAR})")
