"""Signed Declarations of Conformity in the store: the sign-off of issue 6, kept with the run it declares.

Signing a DoC (``cvcomply doc … --final``) records, in one transaction, the DoC's JSON, PDF and HTML bytes
(content-addressed blobs), a row linking them to the run, and an audit entry ``doc.sign`` carrying the
hashes — so the filed document can be proven years later to be the one signed on that screening
(§ 791.312 retention; the bundle of the run carries it). Rows are append-only: a DoC signed again (a
correction) is a new row beside the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, StoreError, Tx, utc_now
from cvcomply.store.codec import sha256
from cvcomply.store.runs import get_run


@dataclass(frozen=True, slots=True)
class DocRecord:
    """One signed DoC: its JSON's hash identifies it; the PDF and HTML are found by theirs."""

    doc_sha256: str
    run_id: str
    period: str
    status: str
    signatory: str | None
    title: str | None
    signed_at: str | None
    pdf_sha256: str
    html_sha256: str | None
    recorded_at: str
    audit_seq: int


def _put(tx: Tx, data: bytes) -> str:
    digest = sha256(data)
    if not tx.query(q.BLOB_EXISTS, (digest,)):
        tx.execute(q.BLOB_INSERT, (digest, len(data), data))
    return digest


def record_doc(store: Store, run_id: str, *, period: str, doc_json: bytes, doc_pdf: bytes,
               doc_html: bytes | None = None, status: str = "final", signatory: str | None = None,
               title: str | None = None, signed_at: str | None = None, actor: str = "cvcomply") -> DocRecord:
    """Keep a DoC with its run and write its hashes into the audit log (one transaction)."""
    get_run(store, run_id)  # a DoC declares a screening the store holds
    with store.transaction() as tx:
        doc_sha = _put(tx, doc_json)
        if tx.query(q.DOC_BY_SHA, (doc_sha,)):
            raise StoreError(f"this DoC ({doc_sha[:12]}) is already recorded")
        pdf_sha = _put(tx, doc_pdf)
        html_sha = _put(tx, doc_html) if doc_html is not None else None
        entry = audit.append(tx, "doc.sign", {"run_id": run_id, "period": period, "status": status,
                                              "doc_sha256": doc_sha, "pdf_sha256": pdf_sha, "html_sha256": html_sha,
                                              "signatory": signatory, "title": title, "signed_at": signed_at},
                             actor=actor, subject=run_id)
        record = DocRecord(doc_sha, run_id, period, status, signatory, title, signed_at, pdf_sha, html_sha,
                           utc_now(), entry.seq)
        tx.execute(q.DOC_INSERT, (record.doc_sha256, record.run_id, record.period, record.status, record.signatory,
                                  record.title, record.signed_at, record.pdf_sha256, record.html_sha256,
                                  record.recorded_at, record.audit_seq))
    return record


def run_docs(store: Store, run_id: str) -> list[DocRecord]:
    """The DoCs signed on a run, oldest first."""
    with store.transaction() as tx:
        rows = tx.query(q.DOCS_OF_RUN, (run_id,))
    return [DocRecord(doc_sha256=r[0], run_id=r[1], period=r[2], status=r[3], signatory=r[4], title=r[5],
                      signed_at=r[6], pdf_sha256=r[7], html_sha256=r[8], recorded_at=r[9], audit_seq=int(r[10]))
            for r in rows]
