"""The store commands through Typer (in-process), on a DuckDB file; the storage logic is tested per backend."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from typer.testing import CliRunner

from cvcomply.commands.store import register
from cvcomply.store import load_ownership, open_store, save_run
from tests.store.factories import facts, finding, org, program, report

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def version() -> None:  # a second command so Typer keeps sub-commands by name
        """Unused."""

    register(app)
    return app


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"duckdb://{tmp_path / 'cli.duckdb'}"
    with open_store(url) as s:
        load_ownership(s, [facts("owners.json", org("s1", "Supplier", "DE"))])
        prog = program(tmp_path / "prog")
        save_run(s, *report(prog, [finding("a", "permitted", "s1")]), actor="tester")
        save_run(s, *report(prog, [finding("a", "prohibited", "s1", version="2")]), actor="tester")
    return url


def test_history_and_diff(db: str) -> None:
    app = _app()
    r = runner.invoke(app, ["history", "--database", db, "--json"])
    assert r.exit_code == 0, r.output
    runs = orjson.loads(r.stdout)
    assert [x["verdict"] for x in runs] == ["permitted", "prohibited"]
    r = runner.invoke(app, ["diff", "latest~1", "latest", "--database", db])
    assert r.exit_code == 0, r.output
    assert "permitted → prohibited because BOM change" in r.stdout


def test_registry_status(db: str) -> None:
    r = runner.invoke(_app(), ["registry", "status", "--database", db, "--json"])
    assert r.exit_code == 0, r.output
    assert orjson.loads(r.stdout)["current"] == {"entity": 1}


def test_audit_verify_exit_codes(db: str) -> None:
    app = _app()
    assert runner.invoke(app, ["audit", "verify", "--database", db]).exit_code == 0
    with open_store(db) as s, s.transaction() as tx:
        tx.execute("UPDATE audit_log SET actor = ? WHERE seq = ?", ("mallory", 2))
    r = runner.invoke(app, ["audit", "verify", "--database", db])
    assert r.exit_code == 1 and "entry 2" in r.stdout


def test_bundle_make_and_verify(db: str, tmp_path: Path) -> None:
    app = _app()
    out = tmp_path / "b.zip"
    r = runner.invoke(app, ["bundle", "latest", "--out", str(out), "--database", db])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["bundle", "verify", str(out)]).exit_code == 0
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    out.write_bytes(bytes(raw))
    r = runner.invoke(app, ["bundle", "verify", str(out)])
    assert r.exit_code == 1 and "damaged" in r.stdout


def test_unknown_run_is_a_clean_error(db: str, tmp_path: Path) -> None:
    r = runner.invoke(_app(), ["bundle", "nope", "--out", str(tmp_path / "x.zip"), "--database", db])
    assert r.exit_code == 2 and "no run 'nope'" in r.output


def test_registry_load_reads_a_file_once(tmp_path: Path) -> None:
    pytest.importorskip("cvcomply.formats.detect", reason="the format reader (formats/detect.py) is not there yet")
    bods = tmp_path / "made.bods.json"
    bods.write_text(orjson.dumps([{
        "statementId": "made-by-cvcomply-tests-entity-1", "statementType": "entityStatement",
        "entityType": "registeredEntity", "name": "Example Supplier GmbH",
        "incorporatedInJurisdiction": {"name": "Germany", "code": "DE"}}]).decode())
    db = f"duckdb://{tmp_path / 'load.duckdb'}"
    app = _app()
    first = runner.invoke(app, ["registry", "load", str(bods), "--database", db])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["registry", "load", str(bods), "--database", db])
    assert second.exit_code == 0 and "unchanged" in second.stdout
