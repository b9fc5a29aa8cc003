"""SQL text, kept apart from its execution (STYLE.md 7): a dialect only produces strings.

Statements are written once in portable SQL with ``?`` placeholders and ``{blob}``-style type tokens;
each dialect renders them for its engine. The backends (``backends.py``) own connections and run them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one engine spells what differs: placeholders, a binary type, temp tables, writer locks."""

    name: str
    placeholder: str  # what ``?`` becomes
    blob: str
    temp_table: str  # CREATE … prefix for a transaction-scoped staging table
    temp_suffix: str

    def sql(self, text: str) -> str:
        """Render a portable statement: type tokens, then placeholders (statements hold no literal ``?``)."""
        out = text.replace("{blob}", self.blob)
        return out.replace("?", self.placeholder) if self.placeholder != "?" else out

    def create_temp(self, name: str, columns: str) -> str:
        return f"{self.temp_table} {name} ({columns}){self.temp_suffix}"

    def drop_temp(self, name: str) -> str:
        return f"DROP TABLE IF EXISTS {name}"

    def analyze(self, tables: tuple[str, ...]) -> tuple[str, ...]:
        """Statements that give the planner statistics of freshly filled temp tables (PostgreSQL's autovacuum
        never sees them, and without statistics it may pick nested loops over millions of staged rows)."""
        return tuple(f"ANALYZE {t}" for t in tables) if self.name == "postgresql" else ()


DUCKDB = Dialect(name="duckdb", placeholder="?", blob="BLOB", temp_table="CREATE TEMP TABLE", temp_suffix="")
POSTGRES = Dialect(name="postgresql", placeholder="%s", blob="BYTEA", temp_table="CREATE TEMP TABLE",
                   temp_suffix=" ON COMMIT DROP")


# ---- statements (portable) -------------------------------------------------------------------------------------

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"""
MIGRATIONS_APPLIED = "SELECT version FROM schema_migrations ORDER BY version"
MIGRATION_RECORD = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"

SOURCE_BY_SHA = "SELECT file, format, loaded_at FROM sources WHERE sha256 = ?"
SOURCE_INSERT = """INSERT INTO sources (sha256, file, format, loaded_at, entities, holdings, list_entries,
    added, updated, closed, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
SOURCES_ALL = """SELECT sha256, file, format, loaded_at, entities, holdings, list_entries, added, updated, closed,
    unchanged FROM sources ORDER BY loaded_at, file"""

STAGE_COLUMNS = ("seq", "kind", "fact_key", "content_hash", "entity_id", "holder", "subject", "payload", "record_id",
                 "closing")
STAGE_DDL = """seq BIGINT, kind TEXT, fact_key TEXT, content_hash TEXT, entity_id TEXT, holder TEXT, subject TEXT,
    payload TEXT, record_id TEXT, closing BOOLEAN"""
STAGE_HAS_DUPLICATES = "SELECT 1 FROM stage GROUP BY kind, fact_key HAVING count(*) > 1 LIMIT 1"
# Within one source the later statement of a key wins (BODS updates within a file): drop the earlier ones.
STAGE_DROP_EARLIER = """DELETE FROM stage WHERE seq IN (SELECT seq FROM (
    SELECT seq, row_number() OVER (PARTITION BY kind, fact_key ORDER BY seq DESC) AS rn FROM stage) t WHERE rn > 1)"""
STAGE_COUNT_NEW = """SELECT count(*) FROM stage s WHERE NOT s.closing AND NOT EXISTS (
    SELECT 1 FROM facts f WHERE f.valid_to IS NULL AND f.kind = s.kind AND f.fact_key = s.fact_key)"""

STAGE_COUNT_UNCHANGED = """SELECT count(*) FROM stage s WHERE NOT s.closing AND EXISTS (
    SELECT 1 FROM facts f WHERE f.valid_to IS NULL AND f.kind = s.kind AND f.fact_key = s.fact_key
    AND f.content_hash = s.content_hash)"""
STAGE_COUNT_UPDATED = """SELECT count(*) FROM stage s WHERE NOT s.closing AND EXISTS (
    SELECT 1 FROM facts f WHERE f.valid_to IS NULL AND f.kind = s.kind AND f.fact_key = s.fact_key
    AND f.content_hash <> s.content_hash)"""
FACTS_COUNT_TO_CLOSE = """SELECT count(*) FROM facts f WHERE f.valid_to IS NULL AND (
    EXISTS (SELECT 1 FROM stage s WHERE s.closing AND s.kind = f.kind AND s.fact_key = f.fact_key)
    OR f.record_id IN (SELECT record_id FROM stage_closed))
    AND NOT EXISTS (SELECT 1 FROM stage s WHERE NOT s.closing AND s.kind = f.kind AND s.fact_key = f.fact_key)"""
FACTS_CLOSE_RECORDS = """UPDATE facts SET valid_to = ?, closed_by = ? WHERE valid_to IS NULL
    AND record_id IN (SELECT record_id FROM stage_closed)
    AND NOT EXISTS (SELECT 1 FROM stage s WHERE NOT s.closing AND s.kind = facts.kind
        AND s.fact_key = facts.fact_key AND s.content_hash = facts.content_hash)"""
# Close every current version that the staged file changes (a new content) or closes.
FACTS_SUPERSEDE = """UPDATE facts SET valid_to = ?, closed_by = ? WHERE valid_to IS NULL AND EXISTS (
    SELECT 1 FROM stage s WHERE s.kind = facts.kind AND s.fact_key = facts.fact_key
    AND (s.closing OR s.content_hash <> facts.content_hash))"""
FACTS_INSERT_NEW = """INSERT INTO facts (kind, fact_key, content_hash, entity_id, holder, subject, payload,
    source_sha256, source_file, format, record_id, valid_from, valid_to, closed_by)
    SELECT s.kind, s.fact_key, s.content_hash, s.entity_id, s.holder, s.subject, s.payload, ?, ?, ?, s.record_id,
        ?, NULL, NULL
    FROM stage s WHERE NOT s.closing AND NOT EXISTS (
        SELECT 1 FROM facts f WHERE f.valid_to IS NULL AND f.kind = s.kind AND f.fact_key = s.fact_key)"""

FACTS_KNOWN_AT = """SELECT kind, payload, source_sha256, source_file, format FROM facts
    WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY source_file, kind, fact_key"""
FACTS_CURRENT = """SELECT kind, payload, source_sha256, source_file, format FROM facts
    WHERE valid_to IS NULL ORDER BY source_file, kind, fact_key"""
FACTS_COUNTS = """SELECT kind, count(*) FROM facts WHERE valid_to IS NULL GROUP BY kind ORDER BY kind"""
FACTS_HISTORIC = "SELECT count(*) FROM facts WHERE valid_to IS NOT NULL"
FACTS_CHANGED_SINCE = """SELECT DISTINCT kind, entity_id, holder, subject FROM facts
    WHERE valid_from >= ? OR (valid_to IS NOT NULL AND valid_to >= ?)"""
FACTS_FOR_ENTITIES_AT = """SELECT kind, fact_key, payload, source_sha256, source_file, format, record_id, valid_from,
    valid_to FROM facts WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)
    AND (entity_id = ? OR holder = ? OR subject = ?) ORDER BY kind, fact_key"""

FACTS_KEYS_AMONG = "SELECT DISTINCT kind, fact_key FROM facts WHERE fact_key IN ({keys})"

BLOB_EXISTS = "SELECT 1 FROM blobs WHERE sha256 = ?"
BLOB_INSERT = "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)"
BLOB_GET = "SELECT content FROM blobs WHERE sha256 = ?"

RUN_INSERT = """INSERT INTO runs (run_id, created_at, program, manifest, as_of, rule_version, policy_version,
    params_hash, verdict, counts, knowledge_at, report_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
RUN_INPUT_INSERT = "INSERT INTO run_inputs (run_id, kind, path, sha256) VALUES (?, ?, ?, ?)"
RUN_FINDING_INSERT = """INSERT INTO run_findings (run_id, finding_id, bom_ref, component, model_year, import_date,
    verdict, rule, component_hash, parties_hash, flags_hash, entities, flags, bom) VALUES
    (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
RUNS_ALL = """SELECT run_id, created_at, program, manifest, as_of, rule_version, policy_version, params_hash, verdict,
    counts, knowledge_at, report_sha256 FROM runs ORDER BY created_at, run_id"""
RUN_GET = """SELECT run_id, created_at, program, manifest, as_of, rule_version, policy_version, params_hash, verdict,
    counts, knowledge_at, report_sha256 FROM runs WHERE run_id = ?"""
RUN_BY_PREFIX = "SELECT run_id FROM runs WHERE run_id LIKE ? ORDER BY run_id"
RUN_INPUTS = "SELECT kind, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY kind, path"
RUN_FINDINGS = """SELECT finding_id, bom_ref, component, model_year, import_date, verdict, rule, component_hash,
    parties_hash, flags_hash, entities, flags, bom FROM run_findings WHERE run_id = ? ORDER BY finding_id"""
RUN_DELETE = ["DELETE FROM run_findings WHERE run_id = ?", "DELETE FROM run_inputs WHERE run_id = ?",
              "DELETE FROM runs WHERE run_id = ?"]

DECISION_INSERT = """INSERT INTO decisions (seq, content_hash, kind, by_user, decided_at, why, party, country, entity,
    verdict, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
DECISION_NEXT = "SELECT coalesce(max(seq), 0) + 1 FROM decisions"
DECISION_BY_HASH = "SELECT seq FROM decisions WHERE content_hash = ?"
DECISIONS_ALL = """SELECT seq, content_hash, kind, by_user, decided_at, why, party, country, entity, verdict, source,
    recorded_at FROM decisions ORDER BY seq"""

DOC_INSERT = """INSERT INTO docs (doc_sha256, run_id, period, status, signatory, title, signed_at, pdf_sha256,
    html_sha256, recorded_at, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
DOC_BY_SHA = "SELECT run_id FROM docs WHERE doc_sha256 = ?"
DOCS_OF_RUN = """SELECT doc_sha256, run_id, period, status, signatory, title, signed_at, pdf_sha256, html_sha256,
    recorded_at, audit_seq FROM docs WHERE run_id = ? ORDER BY recorded_at, doc_sha256"""

AUDIT_HEAD = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
AUDIT_INSERT = """INSERT INTO audit_log (seq, logged_at, actor, action, subject, payload, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
AUDIT_ALL = "SELECT seq, logged_at, actor, action, subject, payload, prev_hash, hash FROM audit_log ORDER BY seq"
AUDIT_RANGE = """SELECT seq, logged_at, actor, action, subject, payload, prev_hash, hash FROM audit_log
    WHERE seq >= ? AND seq <= ? ORDER BY seq"""
AUDIT_FOR_SUBJECT = "SELECT min(seq), max(seq) FROM audit_log WHERE subject = ?"
