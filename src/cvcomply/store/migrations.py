"""Versioned schema migrations: numbered, applied in order, each exactly once (recorded in schema_migrations).

A migration is a list of portable statements plus, where an engine can do more (PostgreSQL triggers that
make the append-only tables refuse UPDATE and DELETE), statements for that engine only. Never edit a
released migration: add the next number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Timestamps are ISO 8601 UTC text ("2026-11-24T10:00:00.123456Z"): they sort as text, compare exactly in both
# engines, and are hashed byte for byte into the audit chain.


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]
    only: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dialect name → extra statements

    def for_dialect(self, dialect: str) -> tuple[str, ...]:
        return self.statements + self.only.get(dialect, ())


_APPEND_ONLY_PG = """
CREATE OR REPLACE FUNCTION cvcomply_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only (15 CFR 791.312 records): % refused', TG_TABLE_NAME, TG_OP;
END $$ LANGUAGE plpgsql"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "registry facts with provenance and history", (
        """CREATE TABLE sources (
            sha256 TEXT PRIMARY KEY, file TEXT NOT NULL, format TEXT NOT NULL, loaded_at TEXT NOT NULL,
            entities BIGINT NOT NULL, holdings BIGINT NOT NULL, list_entries BIGINT NOT NULL,
            added BIGINT NOT NULL, updated BIGINT NOT NULL, closed BIGINT NOT NULL, unchanged BIGINT NOT NULL)""",
        """CREATE TABLE facts (
            kind TEXT NOT NULL, fact_key TEXT NOT NULL, content_hash TEXT NOT NULL,
            entity_id TEXT, holder TEXT, subject TEXT, payload TEXT NOT NULL,
            source_sha256 TEXT NOT NULL, source_file TEXT NOT NULL, format TEXT NOT NULL, record_id TEXT,
            valid_from TEXT NOT NULL, valid_to TEXT, closed_by TEXT)""",
    ), only={"postgresql": (
        "CREATE INDEX facts_current ON facts (kind, fact_key) WHERE valid_to IS NULL",
        "CREATE INDEX facts_entity ON facts (entity_id)",
        "CREATE INDEX facts_holder ON facts (holder)",
        "CREATE INDEX facts_subject ON facts (subject)",
    )}),
    Migration(2, "runs, their inputs and findings; content-addressed input files", (
        "CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, content {blob} NOT NULL)",
        """CREATE TABLE runs (
            run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, program TEXT NOT NULL, manifest TEXT,
            as_of TEXT NOT NULL, rule_version TEXT NOT NULL, policy_version TEXT NOT NULL, params_hash TEXT,
            verdict TEXT NOT NULL, counts TEXT NOT NULL, knowledge_at TEXT, report_sha256 TEXT NOT NULL)""",
        """CREATE TABLE run_inputs (run_id TEXT NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
            sha256 TEXT NOT NULL)""",
        """CREATE TABLE run_findings (
            run_id TEXT NOT NULL, finding_id TEXT NOT NULL, bom_ref TEXT, component TEXT, model_year BIGINT,
            import_date TEXT, verdict TEXT NOT NULL, rule TEXT, component_hash TEXT NOT NULL,
            parties_hash TEXT NOT NULL, flags_hash TEXT NOT NULL, entities TEXT NOT NULL, flags TEXT NOT NULL,
            bom TEXT)""",
    ), only={"postgresql": (
        "CREATE INDEX run_findings_run ON run_findings (run_id)",
        "CREATE INDEX run_inputs_run ON run_inputs (run_id)",
    )}),
    Migration(3, "append-only reviewer decisions and the hash-chained audit log", (
        """CREATE TABLE decisions (
            seq BIGINT PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, by_user TEXT NOT NULL,
            decided_at TEXT NOT NULL, why TEXT NOT NULL, party TEXT, country TEXT, entity TEXT, verdict TEXT,
            source TEXT, recorded_at TEXT NOT NULL)""",
        """CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY, logged_at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            subject TEXT, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    ), only={"postgresql": (
        _APPEND_ONLY_PG,
        """CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
            FOR EACH ROW EXECUTE FUNCTION cvcomply_append_only()""",
        """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION cvcomply_append_only()""",
    )}),
    Migration(4, "signed Declarations of Conformity, linked to their run (bytes in blobs)", (
        """CREATE TABLE docs (
            doc_sha256 TEXT PRIMARY KEY, run_id TEXT NOT NULL, period TEXT NOT NULL, status TEXT NOT NULL,
            signatory TEXT, title TEXT, signed_at TEXT, pdf_sha256 TEXT NOT NULL, html_sha256 TEXT,
            recorded_at TEXT NOT NULL, audit_seq BIGINT NOT NULL)""",
    ), only={"postgresql": (
        "CREATE INDEX docs_run ON docs (run_id)",
        """CREATE TRIGGER docs_append_only BEFORE UPDATE OR DELETE ON docs
            FOR EACH ROW EXECUTE FUNCTION cvcomply_append_only()""",
    )}),
)
