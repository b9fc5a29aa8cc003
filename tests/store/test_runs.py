"""Runs: saved with input hashes and findings; history lists them; diff says what changed and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.store import RetentionError, Store, add_decisions, delete_run, diff, history, load_ownership, save_run
from cvcomply.store.runs import get_run, resolve_run_id, run_inputs, run_report
from tests.store.factories import facts, finding, org, program, report


def test_save_and_list(store: Store, tmp_path: Path) -> None:
    prog = program(tmp_path)
    rep, js = report(prog, [finding("a", "permitted", "s1"), finding("b", "prohibited", "p1", status="covered")])
    run_id = save_run(store, rep, js)
    [info] = history(store)
    assert (info.run_id, info.program, info.verdict, info.as_of) == (run_id, "Test EV", "prohibited", "2026-11-24")
    assert info.counts == {"permitted": 1, "prohibited": 1}
    assert run_report(store, run_id) == js  # the report is kept byte for byte
    kinds = {k for k, _, _ in run_inputs(store, run_id)}
    assert {"manifest", "bom", "report", "decisions-table"} <= kinds
    assert resolve_run_id(store, run_id[:12]) == run_id and resolve_run_id(store, "latest") == run_id


def test_a_report_run_id_is_kept(store: Store, tmp_path: Path) -> None:
    rep, js = report(program(tmp_path), [finding("a", "permitted", None)], run_id="r-fixed")
    assert save_run(store, rep, js) == "r-fixed"
    assert get_run(store, "r-fixed").verdict == "permitted"


def _two(store: Store, tmp_path: Path, before: list, after: list, **kw: object) -> tuple[str, str]:  # type: ignore[type-arg]
    prog = program(tmp_path)
    a = save_run(store, *report(prog, before))
    b = save_run(store, *report(prog, after, **kw))  # type: ignore[arg-type]
    return a, b


def test_diff_names_a_bom_change(store: Store, tmp_path: Path) -> None:
    a, b = _two(store, tmp_path, [finding("a", "permitted", "s1")],
                [finding("a", "prohibited", "s1", version="2.0")])
    [c] = diff(store, a, b).changes
    assert (c.before, c.after) == ("permitted", "prohibited") and c.causes == ("BOM change",)


def test_diff_names_an_ownership_change(store: Store, tmp_path: Path) -> None:
    prog = program(tmp_path)
    a = save_run(store, *report(prog, [finding("a", "permitted", "s1")]))
    load_ownership(store, [facts("owners.json", org("s1", "Supplier", "CN"))])
    b = save_run(store, *report(prog, [finding("a", "prohibited", "s1", status="covered")]))
    [c] = diff(store, a, b).changes
    assert c.causes == ("ownership change",)


def test_diff_names_a_reviewer_decision(store: Store, tmp_path: Path) -> None:
    import datetime as dt2

    from cvcomply.model import Decision

    prog = program(tmp_path)
    a = save_run(store, *report(prog, [finding("a", "needs_review", None)]))
    add_decisions(store, [Decision("match", "rev", dt2.datetime(2026, 1, 1, tzinfo=dt2.UTC), "same company",
                                   party="Supplier of a", entity="s1", verdict="confirm")])
    b = save_run(store, *report(prog, [finding("a", "permitted", "s1")]))
    [c] = diff(store, a, b).changes
    assert c.causes == ("reviewer decision",)


def test_diff_names_a_list_entry_and_a_parameter_change(store: Store, tmp_path: Path) -> None:
    a, b = _two(store, tmp_path, [finding("a", "permitted", "s1"), finding("b", "permitted", "s2")],
                [finding("a", "prohibited", "s1", flags=("Entity List: S1",)), finding("b", "permitted", "s2")])
    [c] = diff(store, a, b).changes
    assert c.causes == ("list entry",) and c.finding_id == finding("a", "permitted", None).id
    a2, b2 = _two(store, tmp_path / "p2", [finding("x", "prohibited", "s1")], [finding("x", "exempt", "s1")],
                  rule_version="cfr791d-2026-02")
    d = diff(store, a2, b2)
    assert d.parameter_changes == ("rule parameters: cfr791d-2025-01 → cfr791d-2026-02",)
    assert d.changes[0].causes == ("parameter change",)


def test_diff_reports_new_and_gone_findings(store: Store, tmp_path: Path) -> None:
    a, b = _two(store, tmp_path, [finding("a", "permitted", "s1")], [finding("b", "prohibited", "s1")])
    changes = {c.component: (c.before, c.after, c.causes) for c in diff(store, a, b).changes}
    assert changes == {"part a (a)": ("permitted", None, ("BOM change",)),
                       "part b (b)": (None, "prohibited", ("BOM change",))}


def test_retention_refuses_young_records(store: Store, tmp_path: Path) -> None:
    run_id = save_run(store, *report(program(tmp_path), [finding("a", "permitted", "s1")]))
    with pytest.raises(RetentionError, match=r"791\.312"):
        delete_run(store, run_id)
    nine_years = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 9)
    with pytest.raises(RetentionError):
        delete_run(store, run_id, now=nine_years)
    delete_run(store, run_id, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 10 + 5))
    assert history(store) == []
