"""The Store: one interface, two real backends (DuckDB embedded, PostgreSQL for teams).

The base class fixes the steps every backend follows (``@final``: transaction, migrate); a backend only
supplies its connection and the few primitives that differ (bulk copy, a writer lock). SQL text comes
from ``dialect.py``; nothing above this module touches a connection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, final

from cvcomply.store import dialect as q
from cvcomply.store.dialect import DUCKDB, POSTGRES, Dialect
from cvcomply.store.migrations import MIGRATIONS
from cvcomply.store.url import DatabaseUrl, parse_url

Row = tuple[Any, ...]
Columns = Mapping[str, Sequence[Any]]


class StoreError(Exception):
    """The store cannot do what was asked (unreachable server, a refused delete); the CLI exits 2."""


def utc_now() -> str:
    """Now as the store writes timestamps: ISO 8601 UTC with microseconds and a ``Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Tx(ABC):
    """One open transaction: statements in portable SQL (``?`` placeholders) rendered by the dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any]) -> Any: ...

    @abstractmethod
    def _fetch(self, sql: str, params: Sequence[Any]) -> list[Row]: ...

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[Row]]: ...

    @final
    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 10_000) -> Iterator[Row]:
        """Rows of a large result a batch at a time (a registry read back never holds all its rows at once)."""
        for batch in self._stream(self.dialect.sql(sql), tuple(params), size):
            yield from batch

    @abstractmethod
    def bulk_insert(self, table: str, columns: Columns) -> int:
        """Insert column-wise data in bulk (DuckDB: a scan of NumPy arrays; PostgreSQL: COPY). Returns rows."""

    @abstractmethod
    def lock(self, name: str) -> None:
        """Serialise writers of ``name`` until the transaction ends (appends to hash chains need it)."""

    @final
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._run(self.dialect.sql(sql), tuple(params))

    @final
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._fetch(self.dialect.sql(sql), tuple(params))

    @final
    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    @final
    def ddl(self, sql: str) -> None:
        """A statement run verbatim except for type tokens (no placeholders: function bodies may hold ``%``)."""
        self._run(sql.replace("{blob}", self.dialect.blob), ())


class Store(ABC):
    """A place that remembers sources, facts, runs, decisions and the audit chain.

    Open one with :func:`open_store`; use ``with store.transaction() as tx`` for every read or write so a
    failure (or a kill) leaves the previous state.
    """

    dialect: Dialect
    url: DatabaseUrl

    @abstractmethod
    def _begin(self) -> Tx: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @final
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        tx = self._begin()
        try:
            yield tx
        except BaseException:
            self._rollback()
            raise
        self._commit()

    @final
    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, in order, each in its own transaction; returns those applied."""
        with self.transaction() as tx:
            tx.lock("schema_migrations")
            tx.ddl(q.MIGRATIONS_TABLE)
        applied: list[int] = []
        for m in MIGRATIONS:
            with self.transaction() as tx:
                tx.lock("schema_migrations")
                done = {int(r[0]) for r in tx.query(q.MIGRATIONS_APPLIED)}
                if m.version in done:
                    continue
                for stmt in m.for_dialect(self.dialect.name):
                    tx.ddl(stmt)
                tx.execute(q.MIGRATION_RECORD, (m.version, m.name, utc_now()))
                applied.append(m.version)
        return applied

    @final
    def schema_version(self) -> int:
        with self.transaction() as tx:
            return max((int(r[0]) for r in tx.query(q.MIGRATIONS_APPLIED)), default=0)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- DuckDB ------------------------------------------------------------------------------------------------------

class _DuckTx(Tx):
    def __init__(self, con: Any) -> None:
        super().__init__(DUCKDB)
        self.con = con

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        return self.con.execute(sql, list(params)) if params else self.con.execute(sql)

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[Row]:
        rows: list[Row] = self._run(sql, params).fetchall()
        return rows

    def _stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[Row]]:
        # the transaction's own connection (a DuckDB cursor would be another connection, outside the transaction);
        # the caller runs no other statement until the rows are consumed
        result = self._run(sql, params)
        while batch := result.fetchmany(size):
            yield batch

    def bulk_insert(self, table: str, columns: Columns) -> int:
        """Rows go through a JSON Lines file that DuckDB scans with ``read_json``.

        Handing DuckDB Python objects instead (NumPy object arrays) left about 0.9 GB of native memory behind
        per million staged rows, outside DuckDB's own limit; through a file the load stays near that limit.
        Column types are the target table's, so values are converted once, by DuckDB.
        """
        import os
        import tempfile

        import orjson

        names = list(columns)
        if not names:
            return 0
        cols = [columns[c] for c in names]
        n = len(cols[0])
        if n == 0:
            return 0
        types = dict(self.con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                                      [table]).fetchall())
        spec = "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in names) + "}"
        fd, path = tempfile.mkstemp(prefix="cvcomply-bulk-", suffix=".jsonl")
        try:
            with os.fdopen(fd, "wb") as f:
                for row in zip(*cols, strict=True):
                    f.write(orjson.dumps(dict(zip(names, row, strict=True))))
                    f.write(b"\n")
            self.con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM read_json("
                             f"'{path.replace(chr(39), chr(39) * 2)}', format = 'newline_delimited', "
                             f"columns = {spec})")
        finally:
            os.unlink(path)
        return n

    def lock(self, name: str) -> None:
        """DuckDB allows one writing process per file and serialises transactions itself."""


MEMORY_LIMIT_VAR = "CVCOMPLY_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "1GB"
"""DuckDB's buffer pool limit (its own default is 80 % of RAM): a registry load of millions of facts spills to
disk beyond it instead of growing with the registry. Raise it with ``CVCOMPLY_DUCKDB_MEMORY_LIMIT=8GB``."""


class _ConnectionStore(Store):
    """A backend driven through one connection whose transactions are plain SQL statements (both of ours)."""

    con: Any

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()


class DuckDBStore(_ConnectionStore):
    """The embedded default: one file, no set-up (DuckDB takes a file lock: one writing process at a time)."""

    def __init__(self, url: DatabaseUrl) -> None:
        import duckdb

        self.url, self.dialect = url, DUCKDB
        if url.target != ":memory:":
            Path(url.target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(Path(url.target).expanduser()) if url.target != ":memory:" else ":memory:")
            self.con.execute("SET memory_limit = ?", [os.environ.get(MEMORY_LIMIT_VAR) or DEFAULT_MEMORY_LIMIT])
        except duckdb.Error as e:
            raise StoreError(f"cannot open the DuckDB store {url}: {e}") from e

    def _begin(self) -> Tx:
        self.con.execute("BEGIN TRANSACTION")
        return _DuckTx(self.con)



# ---- PostgreSQL --------------------------------------------------------------------------------------------------

class _PgTx(Tx):
    def __init__(self, con: Any) -> None:
        super().__init__(POSTGRES)
        self.con = con

    def _run(self, sql: str, params: Sequence[Any]) -> Any:
        cur = self.con.cursor()
        cur.execute(sql, params if params else None)
        return cur

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[Row]:
        with self.con.cursor() as cur:
            cur.execute(sql, params if params else None)
            rows: list[Row] = cur.fetchall()
            return rows

    def _stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[Row]]:
        with self.con.cursor(name=f"cvcomply_stream_{id(self)}") as cur:  # server-side: rows come in batches
            cur.execute(sql, params if params else None)
            while batch := cur.fetchmany(size):
                yield batch

    def bulk_insert(self, table: str, columns: Columns) -> int:
        names = list(columns)
        if not names:
            return 0
        cols = [columns[c] for c in names]
        n = len(cols[0])
        with self.con.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in zip(*cols, strict=True):
                copy.write_row(row)
        return n

    def lock(self, name: str) -> None:
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        self._run("SELECT pg_advisory_xact_lock(%s)", (key,))


class PostgresStore(_ConnectionStore):
    """A multi-user server store (psycopg 3); writers of the hash chains are serialised by advisory locks."""

    def __init__(self, url: DatabaseUrl) -> None:
        try:
            import psycopg
        except ImportError as e:  # pragma: no cover - psycopg is a pinned dependency
            raise StoreError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from e
        self.url, self.dialect = url, POSTGRES
        try:
            self.con = psycopg.connect(url.target, autocommit=True)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to {url}: {e}".strip()) from e

    def _begin(self) -> Tx:
        self.con.execute("BEGIN")
        return _PgTx(self.con)



def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the store at ``url`` (else ``$CVCOMPLY_DATABASE_URL``, else the default DuckDB file), migrated."""
    parsed = parse_url(url)
    store: Store = PostgresStore(parsed) if parsed.backend == "postgresql" else DuckDBStore(parsed)
    if migrate:
        store.migrate()
    return store
