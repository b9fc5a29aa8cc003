"""`cvcomply doc` in-process: draft files, --final refusal (exit 1), bad usage (InputError), --previous."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from click.testing import Result
from tests.outputs.aurora import MANIFEST, aurora_report
from typer.testing import CliRunner

from cvcomply.commands.doc import register
from cvcomply.formats.errors import InputError


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    aurora_report()  # skips when the example is absent
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Mounts sub-commands (as cli.py does)."""

    register(app)
    return app


def _run(app: typer.Typer, *args: str) -> Result:
    return CliRunner().invoke(app, ["doc", str(MANIFEST), *args])


def test_draft_writes_json_pdf_html_deterministically(app: typer.Typer, tmp_path: Path) -> None:
    for out in (tmp_path / "a", tmp_path / "b"):
        result = _run(app, "--model-year", "2027", "--out", str(out))
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["doc-MY2027.html", "doc-MY2027.json", "doc-MY2027.pdf"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    data = orjson.loads((tmp_path / "a" / "doc-MY2027.json").read_bytes())
    assert data["status"] == "draft" and data["blocking"]
    html = (tmp_path / "a" / "doc-MY2027.html").read_text()
    assert ">DRAFT<" in html and 'id="blocking"' in html


def test_final_is_refused_with_the_blocking_list_and_writes_nothing(app: typer.Typer, tmp_path: Path) -> None:
    result = _run(app, "--model-year", "2027", "--out", str(tmp_path / "f"), "--final",
                  "--signatory-name", "Ada Officer", "--signatory-title", "CEO")
    assert result.exit_code == 1
    out = result.output
    assert "refused" in out and "ConnectBridge telematics middleware" in out and "prohibited" in out
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("args", [
    ("--out", "x"),  # no period
    ("--model-year", "2027", "--calendar-year", "2029", "--out", "x"),
    ("--model-year", "2027", "--out", "x", "--final"),  # no signatory
    ("--model-year", "2031", "--out", "x"),  # a model year the screening does not hold
])
def test_bad_usage_is_input_error(app: typer.Typer, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _run(app, *[str(tmp_path / a) if a == "x" else a for a in args])
    assert isinstance(result.exception, InputError)


def test_previous_lists_material_changes(app: typer.Typer, tmp_path: Path) -> None:
    assert _run(app, "--model-year", "2027", "--out", str(tmp_path / "one")).exit_code == 0
    prev = orjson.loads((tmp_path / "one" / "doc-MY2027.json").read_bytes())
    prev["basis"]["inputs"][0]["sha256"] = "0" * 64
    (tmp_path / "prev.json").write_bytes(orjson.dumps(prev))
    result = _run(app, "--model-year", "2027", "--out", str(tmp_path / "two"),
                  "--previous", str(tmp_path / "prev.json"))
    assert result.exit_code == 0, result.output
    changes = orjson.loads((tmp_path / "two" / "doc-MY2027.json").read_bytes())["material_changes"]
    assert [c["kind"] for c in changes] == ["input-changed"]
    assert changes[0]["requires_update"] and changes[0]["tag"] == "U" and changes[0]["days"] == 60


# ---- sign-off in the store (issue 6 with issue 5): --final records the DoC; `doc RUN` declares a saved run ----

def _clean_program(tmp_path: Path) -> Path:
    from tests.programs import VCS_APP, Org, Part, write_program

    return write_program(tmp_path / "prog", [Part("app", "Infotainment app", "Clearwater Systems GmbH", "DE",
                                                  props=VCS_APP)], [Org("cw", "Clearwater Systems GmbH", "DE")])


def _cli(*args: str) -> Result:
    from cvcomply.cli import app as cli_app

    return CliRunner().invoke(cli_app, list(args))


SIGN = ("--final", "--signatory-name", "Ada Officer", "--signatory-title", "CEO")


def test_final_records_the_doc_with_its_run_and_its_hashes_in_the_audit_log(tmp_path: Path) -> None:
    from cvcomply.store import history, open_store, verify_audit
    from cvcomply.store.audit import entries
    from cvcomply.store.codec import sha256
    from cvcomply.store.docs import run_docs

    db = f"duckdb://{tmp_path / 'store.duckdb'}"
    result = _cli("doc", str(_clean_program(tmp_path)), "--model-year", "2027", "--out", str(tmp_path / "out"),
                  "--database", db, *SIGN)
    assert result.exit_code == 0, result.output
    doc_json, doc_pdf = (tmp_path / "out" / "doc-MY2027.json").read_bytes(), (tmp_path / "out" / "doc-MY2027.pdf"
                                                                               ).read_bytes()
    assert orjson.loads(doc_json)["status"] == "final"
    with open_store(db) as store:
        [run] = history(store)  # the screening behind the DoC was saved as a run
        [rec] = run_docs(store, run.run_id)
        signed = [e for e in entries(store) if e.action == "doc.sign"]
        assert verify_audit(store).ok
    assert (rec.doc_sha256, rec.pdf_sha256, rec.signatory) == (sha256(doc_json), sha256(doc_pdf), "Ada Officer")
    [entry] = signed
    assert orjson.loads(entry.payload)["doc_sha256"] == sha256(doc_json) and entry.subject == run.run_id


def test_doc_takes_a_run_id_and_the_bundle_carries_the_signed_doc(tmp_path: Path) -> None:
    import zipfile

    db = f"duckdb://{tmp_path / 'store.duckdb'}"
    manifest = _clean_program(tmp_path)
    assert _cli("screen", str(manifest), "--database", db, "--json").exit_code == 0
    by_manifest = _cli("doc", str(manifest), "--model-year", "2027", "--out", str(tmp_path / "m"))
    by_run = _cli("doc", "latest", "--model-year", "2027", "--out", str(tmp_path / "r"), "--database", db)
    assert by_manifest.exit_code == 0 and by_run.exit_code == 0, by_run.output
    assert (tmp_path / "m" / "doc-MY2027.json").read_bytes() == (tmp_path / "r" / "doc-MY2027.json").read_bytes()

    signed = _cli("doc", "latest", "--model-year", "2027", "--out", str(tmp_path / "s"), "--database", db, *SIGN)
    assert signed.exit_code == 0, signed.output
    assert _cli("bundle", "latest", "--out", str(tmp_path / "b.zip"), "--database", db).exit_code == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        names = z.namelist()
        meta = orjson.loads(z.read("bundle.json"))
        [d] = meta["docs"]
        assert z.read(d["in_bundle"]["json"]) == (tmp_path / "s" / "doc-MY2027.json").read_bytes()
    assert any(n.startswith("docs/") and n.endswith(".pdf") for n in names)
    assert _cli("bundle", "verify", str(tmp_path / "b.zip")).exit_code == 0


def test_a_run_whose_inputs_changed_is_not_declared(tmp_path: Path) -> None:
    db = f"duckdb://{tmp_path / 'store.duckdb'}"
    manifest = _clean_program(tmp_path)
    assert _cli("screen", str(manifest), "--database", db, "--json").exit_code == 0
    bom = manifest.parent / "bom.cdx.json"
    bom.write_bytes(bom.read_bytes().replace(b"Infotainment app", b"Infotainment app v2"))
    result = _cli("doc", "latest", "--model-year", "2027", "--out", str(tmp_path / "x"), "--database", db)
    assert result.exit_code == 2 and "changed since the run" in result.output
    assert not (tmp_path / "x").exists()


def test_neither_a_manifest_nor_a_run_is_bad_input(tmp_path: Path) -> None:
    result = _cli("doc", "no-such-thing", "--model-year", "2027", "--out", str(tmp_path / "x"),
                  "--database", f"duckdb://{tmp_path / 'store.duckdb'}")
    assert isinstance(result.exception, InputError) and "no such manifest" in str(result.exception)
