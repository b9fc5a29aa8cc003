"""The store (DESIGN.md §5): registry facts with provenance and history, runs, decisions, audit chain, bundles.

One ``Store`` interface, two backends: DuckDB (embedded default) and PostgreSQL. Open with ``open_store``.
"""

from cvcomply.store.audit import ChainCheck
from cvcomply.store.audit import verify as verify_audit
from cvcomply.store.backends import Store, StoreError, open_store
from cvcomply.store.bundle import BundleCheck, make_bundle, verify_bundle
from cvcomply.store.decisions import add_decisions, all_decisions
from cvcomply.store.docs import DocRecord, record_doc, run_docs
from cvcomply.store.facts import LoadResult, RegistryStatus, load_facts, load_ownership, registry_status
from cvcomply.store.rescreen import Rescreened, rescreen
from cvcomply.store.retention import RetentionError
from cvcomply.store.runs import RunDiff, RunInfo, RunInput, delete_run, diff, history, new_run_id, save_run
from cvcomply.store.screening import report_of_run, screen_with_registry
from cvcomply.store.url import parse_url

__all__ = [
    "BundleCheck",
    "ChainCheck",
    "DocRecord",
    "LoadResult",
    "RegistryStatus",
    "Rescreened",
    "RetentionError",
    "RunDiff",
    "RunInfo",
    "RunInput",
    "Store",
    "StoreError",
    "add_decisions",
    "all_decisions",
    "delete_run",
    "diff",
    "history",
    "load_facts",
    "load_ownership",
    "make_bundle",
    "new_run_id",
    "open_store",
    "parse_url",
    "record_doc",
    "registry_status",
    "report_of_run",
    "rescreen",
    "run_docs",
    "save_run",
    "screen_with_registry",
    "verify_audit",
    "verify_bundle",
]
