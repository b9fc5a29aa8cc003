"""Record bundles: one zip per run holding everything § 791.312 asks to keep, verifiable years later.

Contents: ``bundle.json`` (what this is, the run, the audit head when made, keep-until date),
``report.json`` (the findings, byte for byte as screened), ``inputs/…`` (manifest, BOMs, ownership and list
files, decisions file, parameter file as read then), ``docs/…`` (the DoCs signed on the run: JSON, PDF,
HTML), ``registry/facts.jsonl`` (the registry facts about the
entities the findings involve, as known when the run was saved), ``decisions.jsonl``, ``audit.jsonl`` (the
chain segment from the run's first entry to the bundle's own) and ``SHA256SUMS``.

The zip is written deterministically and uncompressed (fixed order, times and attributes), so ``verify``
can rebuild it from its own contents and compare every byte: an edit anywhere — data, names, headers,
checksums — is found, not only edits a CRC would catch.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cvcomply.store import audit
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, StoreError
from cvcomply.store.codec import canonical, loads
from cvcomply.store.docs import run_docs
from cvcomply.store.retention import CITATION, keep_until
from cvcomply.store.runs import blob, get_run, run_findings, run_inputs

SUMS = "SHA256SUMS"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _zip_bytes(files: Sequence[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data)
    return buf.getvalue()


def _sums(files: Sequence[tuple[str, bytes]]) -> bytes:
    return "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in files).encode()


def _jsonl(items: Sequence[Any]) -> bytes:
    return b"".join(canonical(i) + b"\n" for i in items)


def _safe(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name or "file"


@dataclass(frozen=True, slots=True)
class BundleInfo:
    path: str
    run_id: str
    files: int
    audit_head: str


def make_bundle(store: Store, run_id: str, out: Path, *, actor: str = "cvcomply") -> BundleInfo:
    """Write the record bundle of ``run_id`` to ``out`` (the making is itself an audit entry, inside it)."""
    info = get_run(store, run_id)
    with store.transaction() as tx:
        made = audit.append(tx, "bundle.make", {"run_id": run_id, "file": out.name}, actor=actor, subject=run_id)
    files: list[tuple[str, bytes]] = []
    report = blob(store, info.report_sha256)
    if report is None:
        raise StoreError(f"run {run_id}: its report is missing from the store")
    files.append(("report.json", report))
    listed = []
    for n, (kind, path, digest) in enumerate(run_inputs(store, run_id)):
        if kind in {"report", "decisions-table"}:
            continue
        data = blob(store, digest)
        name = f"inputs/{kind}/{n:03d}-{_safe(path)}" if data is not None else None
        if name and data is not None:
            files.append((name, data))
        listed.append({"kind": kind, "path": path, "sha256": digest, "in_bundle": name})
    docs = []
    for n, d in enumerate(run_docs(store, run_id)):
        stem = f"docs/{n:02d}-{d.doc_sha256[:12]}"
        kept = {}
        for ext, part in (("json", d.doc_sha256), ("pdf", d.pdf_sha256), ("html", d.html_sha256)):
            data = blob(store, part) if part else None
            if data is not None:
                files.append((f"{stem}.{ext}", data))
                kept[ext] = f"{stem}.{ext}"
        docs.append({"period": d.period, "status": d.status, "signatory": d.signatory, "title": d.title,
                     "signed_at": d.signed_at, "doc_sha256": d.doc_sha256, "pdf_sha256": d.pdf_sha256,
                     "html_sha256": d.html_sha256, "audit_seq": d.audit_seq, "in_bundle": kept})
    entities = sorted({e for f in run_findings(store, run_id).values() for e in f["entities"]})
    facts: dict[tuple[str, str, str], dict[str, Any]] = {}
    with store.transaction() as tx:
        for e in entities:
            for kind, key, payload, sha, file, fmt, rid, vfrom, vto in tx.query(
                    q.FACTS_FOR_ENTITIES_AT, (info.created_at, info.created_at, e, e, e)):
                facts[(kind, key, sha)] = {"kind": kind, "key": key, "fact": loads(payload), "source": {
                    "file": file, "sha256": sha, "format": fmt, "record_id": rid, "loaded_at": vfrom},
                    "superseded_at": vto}
        decisions = [{"seq": r[0], "sha256": r[1], "recorded_at": r[11], "decision": loads(r[10])}
                     for r in tx.query(q.DECISIONS_ALL) if r[11] <= info.created_at]
        first = tx.query(q.AUDIT_FOR_SUBJECT, (run_id,))[0][0]
    segment = audit.entries(store, int(first), made.seq)
    files.append(("registry/facts.jsonl", _jsonl([facts[k] for k in sorted(facts)])))
    files.append(("decisions.jsonl", _jsonl(decisions)))
    files.append(("audit.jsonl", _jsonl([e.as_dict() for e in segment])))
    manifest = {"cvcomply_bundle": 1, "run_id": run_id, "program": info.program, "as_of": info.as_of,
                "saved_at": info.created_at, "rule_version": info.rule_version,
                "policy_version": info.policy_version, "verdict": info.verdict, "counts": info.counts,
                "report_sha256": info.report_sha256, "inputs": listed, "docs": docs, "audit_head": made.hash,
                "audit_first_seq": int(first), "keep_until": keep_until(info.created_at, info.as_of).isoformat(),
                "retention": CITATION}
    files.insert(0, ("bundle.json", canonical(manifest)))
    files.append((SUMS, _sums(files)))
    out.write_bytes(_zip_bytes(files))
    return BundleInfo(str(out), run_id, len(files), made.hash)


def _doc_problems(docs: list[dict[str, Any]], content: dict[str, bytes],
                  segment: list[audit.AuditEntry]) -> list[str]:
    """Each DoC in the bundle is the one whose hashes were signed into the audit log."""
    signed = {loads(e.payload).get("doc_sha256") for e in segment if e.action == "doc.sign"}
    problems = []
    for d in docs:
        for ext, key in (("json", "doc_sha256"), ("pdf", "pdf_sha256"), ("html", "html_sha256")):
            name = (d.get("in_bundle") or {}).get(ext)
            if name and hashlib.sha256(content.get(name, b"")).hexdigest() != d.get(key):
                problems.append(f"{name}: not the DoC {ext.upper()} whose hash was recorded at signing")
        if d.get("doc_sha256") not in signed:
            problems.append(f"DoC {str(d.get('doc_sha256'))[:12]}: its signing is not in the audit segment")
    return problems


@dataclass(frozen=True, slots=True)
class BundleCheck:
    files: int
    problems: tuple[str, ...]
    run_id: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path) -> BundleCheck:
    """Check a bundle: checksums, the audit segment's chain, the report's hash, and every byte of the zip."""
    raw = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            files = [(i.filename, z.read(i)) for i in z.infolist()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError) as e:
        return BundleCheck(0, (f"not a readable zip: {e}",))
    except Exception as e:  # zlib/struct errors from a damaged archive: still "damaged", never a traceback
        return BundleCheck(0, (f"damaged archive: {type(e).__name__}: {e}",))
    problems: list[str] = []
    content = dict(files)
    if SUMS not in content:
        return BundleCheck(len(files), (f"{SUMS} is missing",))
    listed: dict[str, str] = {}
    for line in content[SUMS].decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name, data in files:
        if name == SUMS:
            continue
        if name not in listed:
            problems.append(f"{name}: not listed in {SUMS}")
        elif hashlib.sha256(data).hexdigest() != listed[name]:
            problems.append(f"{name}: its SHA-256 does not match {SUMS} (the file was changed)")
    problems += [f"{n}: listed in {SUMS} but missing" for n in listed if n not in content]
    run_id = None
    try:
        manifest = loads(content.get("bundle.json", b"{}"))
        run_id = manifest.get("run_id")
        report = content.get("report.json", b"")
        if hashlib.sha256(report).hexdigest() != manifest.get("report_sha256"):
            problems.append("report.json: does not match the report hash the bundle records")
        segment = [audit.AuditEntry(d["seq"], d["at"], d["actor"], d["action"], d["subject"],
                                    canonical(d["payload"]).decode(), d["prev_hash"], d["hash"])
                   for d in (loads(line) for line in content.get("audit.jsonl", b"").splitlines() if line)]
        if segment:
            check = audit.check_chain(segment, first_prev=segment[0].prev_hash, first_seq=segment[0].seq,
                                      expect_head=manifest.get("audit_head"))
            problems += [f"audit.jsonl: {p}" for p in check.problems]
        else:
            problems.append("audit.jsonl: the audit segment is missing")
        problems += _doc_problems(manifest.get("docs") or [], content, segment)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        problems.append(f"bundle.json or audit.jsonl cannot be read: {e}")
    if not problems and _zip_bytes(files) != raw:
        problems.append("the archive's bytes differ from the canonical archive of its own contents (headers, names "
                        "or layout were changed)")
    return BundleCheck(len(files), tuple(problems), run_id)
