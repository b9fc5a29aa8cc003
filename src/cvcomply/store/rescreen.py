"""Re-screening on change: re-run every stored program whose findings involve facts changed since a date.

A program is touched when an entity its latest run involved (a resolved party, or any entity on a nexus
evidence path) has a fact that was added, updated or closed since the date. Each touched program is
screened again, saved as a new run, and compared with its previous run (``runs.diff``), so the changed
verdicts come with their causes. The knowledge used is the store's registry (current versions) together
with what the program's own ownership files add to it (``store.screening``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from cvcomply.model import Report
from cvcomply.store.backends import Store
from cvcomply.store.facts import changed_entities
from cvcomply.store.runs import RunDiff, diff, history, new_run_id, run_findings, save_run

ScreenRun = Callable[[Store, str], tuple[Report, bytes]]
"""Screen the manifest at a path against the store's knowledge: the report and its rendered JSON."""


@dataclass(frozen=True, slots=True)
class Rescreened:
    program: str
    manifest: str
    previous_run: str
    new_run: str | None
    diff: RunDiff | None
    error: str | None = None  # a program that could not be screened again (e.g. its manifest is gone)


def screen_with_store(store: Store, manifest: str) -> tuple[Report, bytes]:
    """The default re-screening: the manifest's BOMs and files with the store's registry and decisions."""
    from cvcomply.outputs.json_report import render_json
    from cvcomply.store.screening import screen_with_registry

    report = replace(screen_with_registry(store, manifest), run_id=new_run_id())
    return report, render_json(report)


def touched_runs(store: Store, since: str) -> list[tuple[str, str, str]]:
    """(program, manifest, latest run id) of each stored program touched by facts changed since ``since``."""
    changed = changed_entities(store, since)
    latest: dict[str, tuple[str, str, str]] = {}
    for run in history(store):
        if run.manifest:
            latest[run.manifest] = (run.program, run.manifest, run.run_id)
    out = []
    for program, manifest, run_id in latest.values():
        involved = {e for f in run_findings(store, run_id).values() for e in f["entities"]}
        if involved & changed:
            out.append((program, manifest, run_id))
    return sorted(out)


def rescreen(store: Store, since: dt.date | str, *, screen: ScreenRun = screen_with_store,
             actor: str = "cvcomply") -> list[Rescreened]:
    """Re-run every touched program, save the new runs, and return each with its diff to the previous run."""
    since_text = f"{since.isoformat()}T00:00:00Z" if isinstance(since, dt.date) else since
    results = []
    for program, manifest, run_id in touched_runs(store, since_text):
        if not Path(manifest).exists():
            results.append(Rescreened(program, manifest, run_id, None, None, f"the manifest {manifest} is gone"))
            continue
        report, report_json = screen(store, manifest)
        new = save_run(store, report, report_json, actor=actor)
        results.append(Rescreened(program, manifest, run_id, new, diff(store, run_id, new)))
    return results
