"""Bundles: everything a run needs, verifiable; one changed byte anywhere in the zip is found."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from cvcomply.store import Store, load_ownership, make_bundle, save_run, verify_bundle
from tests.store.factories import facts, finding, org, program, report, stake


def _bundle(store: Store, tmp_path: Path) -> Path:
    load_ownership(store, [facts("owners.json", org("p", "Parent", "CN"), org("s1", "Supplier", "DE"),
                                 org("other", "Unrelated", "FR"), holdings=(stake("p", "s1", 70),))])
    run_id = save_run(store, *report(program(tmp_path / "prog"), [finding("a", "prohibited", "s1", status="covered")]))
    out = tmp_path / "bundle.zip"
    make_bundle(store, run_id, out, actor="tester")
    return out


def test_a_bundle_holds_the_records_and_verifies(store: Store, tmp_path: Path) -> None:
    out = _bundle(store, tmp_path)
    check = verify_bundle(out)
    assert check.ok, check.problems
    names = zipfile.ZipFile(out).namelist()
    assert names[0] == "bundle.json" and names[-1] == "SHA256SUMS"
    assert {"report.json", "registry/facts.jsonl", "decisions.jsonl", "audit.jsonl"} <= set(names)
    assert any(n.startswith("inputs/manifest/") for n in names) and any(n.startswith("inputs/bom/") for n in names)
    facts_used = zipfile.ZipFile(out).read("registry/facts.jsonl").decode()
    assert '"s1"' in facts_used and "Unrelated" not in facts_used  # the facts the findings used, not all


def test_one_changed_byte_anywhere_is_found(store: Store, tmp_path: Path) -> None:
    raw = _bundle(store, tmp_path).read_bytes()
    bad = tmp_path / "bad.zip"
    step = max(1, len(raw) // 300)
    for pos in range(0, len(raw), step):
        bad.write_bytes(raw[:pos] + bytes([raw[pos] ^ 0x01]) + raw[pos + 1:])
        assert not verify_bundle(bad).ok, f"a change at byte {pos} went unnoticed"


def test_a_consistently_rewritten_member_is_found(store: Store, tmp_path: Path) -> None:
    """Editing report.json and fixing SHA256SUMS to match still fails: the report hash is recorded elsewhere."""
    import hashlib

    from cvcomply.store.bundle import _zip_bytes

    out = _bundle(store, tmp_path)
    with zipfile.ZipFile(out) as z:
        files = [(i.filename, z.read(i)) for i in z.infolist()]
    files = [(n, d.replace(b"prohibited", b"permitted!") if n == "report.json" else d) for n, d in files]
    files = [(n, d) for n, d in files if n != "SHA256SUMS"]
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in files).encode()
    forged = tmp_path / "forged.zip"
    forged.write_bytes(_zip_bytes([*files, ("SHA256SUMS", sums)]))
    check = verify_bundle(forged)
    assert not check.ok and any("report.json" in p for p in check.problems)
    assert zipfile.ZipFile(io.BytesIO(forged.read_bytes())).testzip() is None  # a valid zip nonetheless
