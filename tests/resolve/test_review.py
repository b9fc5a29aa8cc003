"""``cvcomply review`` and the append-only decisions file, on programs written by the tests (tests/programs.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer
import yaml
from typer.testing import CliRunner

from cvcomply import screen
from cvcomply.commands.review import register, review_items
from cvcomply.formats.decisions import append_decisions, read_decisions
from cvcomply.formats.errors import InputError
from cvcomply.model import Decision
from cvcomply.outputs.json_report import report_dict
from tests.programs import VCS_APP, Org, Part, write_program

AT = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop", hidden=True)(lambda: None)  # two commands, so "review" is a subcommand as in cli.py
    register(app)
    return app


def run(*args: str) -> Any:
    return CliRunner().invoke(_app(), ["review", *args])


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    orgs = [Org("nova-hk", "Nova Telematics Limited", "HK"), Org("nova-cn", "Nova Telematics Limited", "CN")]
    parts = [Part("tcu-app", "TCU app", "Nova Telematics Ltd", props=VCS_APP)]
    return write_program(tmp_path / "prog", parts, orgs)


def _listed(source: Path) -> list[dict[str, Any]]:
    result = run(str(source), "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = orjson.loads(result.output)
    return rows


def test_lists_review_parties_from_a_manifest_and_from_its_json_report(manifest: Path, tmp_path: Path) -> None:
    rows = _listed(manifest)
    assert [(r["number"], r["party"], r["country"]) for r in rows] == [(1, "Nova Telematics Ltd", None)]
    assert {c["entity"] for c in rows[0]["candidates"]} == {"nova-hk", "nova-cn"}
    assert rows[0]["roles"] == ["supplier"] and rows[0]["components"] == ["TCU app"]
    report = tmp_path / "report.json"
    report.write_bytes(orjson.dumps(report_dict(screen(str(manifest)))))
    assert _listed(report) == rows
    text = run(str(report))
    assert "[1] 'Nova Telematics Ltd', no country stated" in text.output and "candidate nova-cn" in text.output


def test_confirm_is_appended_and_wins_on_the_next_screening(manifest: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.yaml"
    result = run(str(manifest), "--confirm", "1", "--entity", "nova-hk", "--by", "j.doe@example.com",
                 "--why", "LEI on the invoice", "--decisions", str(decisions), "--no-store")
    assert result.exit_code == 0, result.output
    (d,) = read_decisions(str(decisions))
    assert (d.kind, d.party, d.country, d.entity, d.verdict, d.by) == (
        "match", "Nova Telematics Ltd", None, "nova-hk", "confirm", "j.doe@example.com")
    doc = yaml.safe_load(manifest.read_text())
    doc["decisions"] = str(decisions)
    manifest.write_text(yaml.safe_dump(doc))
    (party,) = screen(str(manifest)).findings[0].parties
    assert (party.match.decision, party.match.method, party.match.entity) == ("match", "decision", "nova-hk")
    assert _listed(manifest) == []


def test_reject_without_entity_rejects_every_candidate_and_keeps_old_bytes(manifest: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.yaml"
    append_decisions(str(decisions), [Decision("match", "a", AT, "earlier", party="Other", entity="x",
                                               verdict="confirm")])
    before = decisions.read_bytes()
    result = run(str(manifest), "--reject", "1", "--by", "r", "--why", "neither is our supplier",
                 "--decisions", str(decisions), "--no-store")
    assert result.exit_code == 0, result.output
    assert decisions.read_bytes().startswith(before)
    got = read_decisions(str(decisions))
    assert sorted((d.entity, d.verdict) for d in got[1:]) == [("nova-cn", "reject"), ("nova-hk", "reject")]


def test_decision_goes_to_the_store(manifest: Path, tmp_path: Path) -> None:
    from cvcomply.store import all_decisions, open_store

    url = f"duckdb:///{tmp_path / 'store.duckdb'}"
    result = run(str(manifest), "--confirm", "1", "--entity", "nova-cn", "--by", "s", "--why", "registry extract",
                 "--decisions", str(tmp_path / "d.yaml"), "--database", url)
    assert result.exit_code == 0, result.output
    store = open_store(url)
    try:
        assert [(d.entity, d.verdict, d.by) for d in all_decisions(store)] == [("nova-cn", "confirm", "s")]
    finally:
        store.close()


@pytest.mark.parametrize(("args", "message"), [
    (["--confirm", "7", "--entity", "nova-hk"], "no review item 7"),
    (["--confirm", "1", "--entity", "elsewhere"], "is not a candidate of item 1"),
    (["--confirm", "1"], "--confirm needs the entity"),
    (["--confirm", "1", "--reject", "1"], "one decision at a time"),
])
def test_bad_decisions_are_input_errors(manifest: Path, tmp_path: Path, args: list[str], message: str) -> None:
    decisions = tmp_path / "d.yaml"
    result = run(str(manifest), *args, "--by", "x", "--why", "y", "--decisions", str(decisions), "--no-store")
    assert isinstance(result.exception, InputError) and message in str(result.exception)
    assert not decisions.exists()


def test_who_and_why_are_required(manifest: Path) -> None:
    result = run(str(manifest), "--confirm", "1", "--entity", "nova-hk")
    assert isinstance(result.exception, InputError)
    assert "--by, --why, --decisions" in str(result.exception)


def test_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a cvcomply JSON report"):
        review_items({"bomFormat": "CycloneDX"}, "x.json")


# -- the decisions file ---------------------------------------------------------------------------------


def test_append_creates_then_appends_without_rewriting(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    one = Decision("match", "a@x", AT, "why: with a colon", party="Ромашка «ООО»", country="RU", entity="e1",
                   verdict="confirm")
    append_decisions(str(path), [one])
    first = path.read_bytes()
    append_decisions(str(path), [Decision("match", "b", AT, "later", party="P", entity="e2", verdict="reject")])
    assert path.read_bytes().startswith(first)
    got = read_decisions(str(path))
    assert [(d.party, d.country, d.entity, d.verdict, d.why, d.at) for d in got] == [
        ("Ромашка «ООО»", "RU", "e1", "confirm", "why: with a colon", AT), ("P", None, "e2", "reject", "later", AT)]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_append_follows_the_files_indentation(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("cvcomply_decisions: 1\ndecisions:\n- kind: match\n  party: A\n  entity: e\n  verdict: confirm\n"
                    "  by: x\n  at: 2026-01-01T00:00:00Z\n  why: hand-written\n")
    append_decisions(str(path), [Decision("match", "b", AT, "w", party="B", entity="f", verdict="reject")])
    assert [d.party for d in read_decisions(str(path))] == ["A", "B"]


@pytest.mark.parametrize("text", ["cvcomply_decisions: 1\ndecisions: []\n", "not: a decisions file\n"])
def test_append_refuses_what_it_cannot_extend_and_writes_nothing(tmp_path: Path, text: str) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(text)
    with pytest.raises(InputError):
        append_decisions(str(path), [Decision("match", "b", AT, "w", party="B", entity="f", verdict="reject")])
    assert path.read_text() == text


def test_screening_resolves_every_party_role(tmp_path: Path) -> None:
    """Supplier, designer, developer and maintainer (hints) all go through the resolver (DESIGN.md §4.2)."""
    orgs = [Org("sup", "Supplier Works GmbH", "DE"), Org("des", "Design House Co., Ltd.", "CN"),
            Org("dev", "Code Makers Inc", "US"), Org("mnt", "Upkeep Services Ltd", "GB")]
    props = {**VCS_APP, "designer": "Design House Company Limited", "developer": "CODE MAKERS, INC.",
             "maintained-by": "Upkeep Services Limited"}
    m = write_program(tmp_path / "roles", [Part("app", "App", "Supplier Works G.m.b.H.", props=props)], orgs)
    parties = screen(str(m)).findings[0].parties
    got = {p.party.role: (p.match.decision, p.match.entity) for p in parties}
    assert got == {"supplier": ("match", "sup"), "designer": ("match", "des"), "developer": ("match", "dev"),
                   "maintainer": ("match", "mnt")}
