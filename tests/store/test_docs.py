"""Signed DoCs in the store: kept with their run, hashes in the audit chain, carried and checked in bundles."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest

from cvcomply.store import Store, StoreError, make_bundle, save_run, verify_audit, verify_bundle
from cvcomply.store.audit import entries
from cvcomply.store.bundle import SUMS, _sums, _zip_bytes
from cvcomply.store.codec import sha256
from cvcomply.store.docs import record_doc, run_docs
from tests.store.factories import finding, program, report

DOC = b'{"cvcomply_doc": 1, "status": "final", "made_by": "cvcomply tests"}'
PDF = b"%PDF-1.7 made by the cvcomply tests"


def _signed(store: Store, tmp_path: Path) -> str:
    run_id = save_run(store, *report(program(tmp_path / "p"), [finding("a", "permitted", "s1")]))
    record_doc(store, run_id, period="model year 2027", doc_json=DOC, doc_pdf=PDF, doc_html=b"<html></html>",
               signatory="Ada Officer", title="CEO", signed_at="2026-11-24T10:00:00+00:00", actor="ada")
    return run_id


def test_a_signed_doc_is_kept_with_its_run_and_audited(store: Store, tmp_path: Path) -> None:
    run_id = _signed(store, tmp_path)
    [rec] = run_docs(store, run_id)
    assert (rec.doc_sha256, rec.pdf_sha256, rec.period) == (sha256(DOC), sha256(PDF), "model year 2027")
    [entry] = [e for e in entries(store) if e.action == "doc.sign"]
    assert entry.seq == rec.audit_seq and entry.actor == "ada"
    assert orjson.loads(entry.payload)["pdf_sha256"] == sha256(PDF)
    assert verify_audit(store).ok
    with pytest.raises(StoreError, match="already recorded"):
        record_doc(store, run_id, period="model year 2027", doc_json=DOC, doc_pdf=PDF)
    with pytest.raises(StoreError, match="no run"):
        record_doc(store, "r-missing", period="model year 2027", doc_json=b"{}", doc_pdf=PDF)


def test_the_bundle_carries_the_doc_and_finds_a_swapped_one(store: Store, tmp_path: Path) -> None:
    run_id = _signed(store, tmp_path)
    out = tmp_path / "b.zip"
    make_bundle(store, run_id, out)
    assert verify_bundle(out).ok
    with zipfile.ZipFile(out) as z:
        files = [(i.filename, z.read(i)) for i in z.infolist()]
    [name] = [n for n, _ in files if n.startswith("docs/") and n.endswith(".pdf")]
    # swap the PDF for another and rewrite the checksums, as a forger would: the signed hash still tells
    forged = [(n, b"%PDF-1.7 another declaration" if n == name else d) for n, d in files if n != SUMS]
    forged.append((SUMS, _sums(forged)))
    bad = tmp_path / "forged.zip"
    bad.write_bytes(_zip_bytes(forged))
    check = verify_bundle(bad)
    assert not check.ok and any("recorded at signing" in p for p in check.problems)


def test_signed_docs_cannot_be_edited_on_postgres(store: Store, tmp_path: Path) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("DuckDB has no triggers; a changed DoC is found by its hash in the audit chain")
    _signed(store, tmp_path)
    with pytest.raises(Exception, match="append-only"), store.transaction() as tx:
        tx.execute("UPDATE docs SET signatory = 'Mallory'")


