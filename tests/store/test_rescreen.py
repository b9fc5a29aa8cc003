"""Re-screening: only programs touched by changed facts run again; changed verdicts come with their causes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cvcomply.model import Report
from cvcomply.registry import Registry
from cvcomply.store import Store, history, load_facts, load_ownership, rescreen, save_run
from cvcomply.store.backends import utc_now
from tests.store.factories import facts, finding, org, program, report


def _screen(tmp: Path) -> object:
    """A stand-in for the engine: supplier s1 is covered when the store says its jurisdiction is CN."""

    def run(store: Store, manifest: str) -> tuple[Report, bytes]:
        reg = Registry.build(load_facts(store))
        s1 = reg.get("s1")
        covered = s1 is not None and s1.jurisdiction == "CN"
        name = "Program A" if "a" in Path(manifest).parent.name else "Program B"
        ref = "a" if name == "Program A" else "b"
        entity = "s1" if name == "Program A" else "s2"
        verdict = "prohibited" if covered and entity == "s1" else "permitted"
        status = "covered" if verdict == "prohibited" else "clear"
        found = finding(ref, verdict, entity, status=status)  # type: ignore[arg-type]
        return report(program(Path(manifest).parent, name), [found])

    return run


def test_only_touched_programs_rerun_and_changes_are_explained(store: Store, tmp_path: Path) -> None:
    load_ownership(store, [facts("v1.json", org("s1", "One", "DE"), org("s2", "Two", "FR"))])
    save_run(store, *report(program(tmp_path / "a", "Program A"), [finding("a", "permitted", "s1")]))
    save_run(store, *report(program(tmp_path / "b", "Program B"), [finding("b", "permitted", "s2")]))
    since = utc_now()  # the CLI passes a date (its midnight); a moment between the loads keeps this test exact
    load_ownership(store, [facts("v2.json", org("s1", "One", "CN"))])

    results = rescreen(store, since, screen=_screen(tmp_path))  # type: ignore[arg-type]
    assert [r.program for r in results] == ["Program A"]  # Program B's entities did not change
    [r] = results
    assert r.diff is not None
    [c] = r.diff.changes
    assert (c.before, c.after, c.causes) == ("permitted", "prohibited", ("ownership change",))
    assert len(history(store)) == 3  # the re-screening is saved as a run


def test_nothing_changed_since_means_nothing_reruns(store: Store, tmp_path: Path) -> None:
    load_ownership(store, [facts("v1.json", org("s1", "One", "DE"))])
    save_run(store, *report(program(tmp_path / "a", "Program A"), [finding("a", "permitted", "s1")]))
    later = dt.date.today() + dt.timedelta(days=1)
    assert rescreen(store, later, screen=_screen(tmp_path)) == []  # type: ignore[arg-type]
