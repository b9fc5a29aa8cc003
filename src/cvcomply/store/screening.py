"""Screening against the store's registry: the registry of record together with a program's own files.

``screen`` reads only the files a manifest names. A team that keeps its registry in the store (``registry
load``: GLEIF, BODS, lists, with updates and closures) screens against that instead: ``screen_with_registry``
is ``screen`` with the store's current facts and reviewer decisions added. It is what ``rescreen`` runs, and
what ``cvcomply screen --registry-store`` calls.

How the program's own ownership files meet the store (a reading of DESIGN.md §5, which does not say):

* a file whose exact content the store has loaded is left out: the store already holds it, and any later
  update or closure of its facts, so reading it again would bring superseded versions back;
* any other file adds only facts whose key (entity id; holder, subject, interest and start of a holding;
  list entry) the store has never held. For a key the store holds, its current version — or its closure —
  wins: the store is the registry of record, kept up to date by ``registry load``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from cvcomply.model import OwnershipFacts, Report
from cvcomply.store import dialect as q
from cvcomply.store.backends import Store, StoreError
from cvcomply.store.facts import entity_key, holding_key, list_entry_key, load_facts

Progress = Callable[[str, int, int], None]
_BATCH = 500


def _known_keys(store: Store, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (kind, fact_key) pairs the store has ever held (current or history)."""
    wanted = set(keys)
    names = sorted({key for _, key in wanted})
    found: set[tuple[str, str]] = set()
    with store.transaction() as tx:
        for i in range(0, len(names), _BATCH):
            batch = names[i:i + _BATCH]
            rows = tx.query(q.FACTS_KEYS_AMONG.format(keys=", ".join("?" * len(batch))), batch)
            found.update((str(k), str(f)) for k, f in rows)
    return found & wanted


def _loaded_sources(store: Store) -> set[str]:
    with store.transaction() as tx:
        return {str(r[0]) for r in tx.query(q.SOURCES_ALL)}


def merge_with_store(store: Store, own: Sequence[OwnershipFacts],
                     stored: Sequence[OwnershipFacts] | None = None) -> list[OwnershipFacts]:
    """The store's current facts, then what the program's own files add (rules in the module docstring)."""
    stored = list(load_facts(store) if stored is None else stored)
    loaded = _loaded_sources(store)
    fresh = [f for f in own if f.sha256 not in loaded]
    keys = [(k, key) for f in fresh for k, key in (
        *(("entity", entity_key(e)) for e in f.entities), *(("holding", holding_key(h)) for h in f.holdings),
        *(("list_entry", list_entry_key(x)) for x in f.list_entries))]
    held = _known_keys(store, keys) if keys else set()
    added = [replace(f, entities=tuple(e for e in f.entities if ("entity", entity_key(e)) not in held),
                     holdings=tuple(h for h in f.holdings if ("holding", holding_key(h)) not in held),
                     list_entries=tuple(x for x in f.list_entries if ("list_entry", list_entry_key(x)) not in held))
             for f in fresh]
    return stored + added


def screen_with_registry(store: Store, manifest: str, *, as_of: dt.date | None = None,
                         parameters: str | None = None, progress: Progress | None = None) -> Report:
    """``cvcomply.screen`` with the store's registry and reviewer decisions added (the program's decisions win).

    Files are named as ``screen`` names them (relative to the manifest), so a run made this way and a plain
    run of the same program compare finding by finding in ``diff``.
    """
    from cvcomply.formats.decisions import read_decisions
    from cvcomply.formats.detect import read_bom, read_ownership
    from cvcomply.formats.manifest import read_manifest
    from cvcomply.rules.params import Params
    from cvcomply.screen import load_knowledge, screen_program
    from cvcomply.store.decisions import all_decisions

    program = read_manifest(manifest)
    params = Params.load(parameters or program.parameters)
    base = os.path.dirname(manifest)
    boms = [read_bom(p, os.path.relpath(p, base)) for p in program.boms]
    own = [read_ownership(p, os.path.relpath(p, base)) for p in (*program.ownership, *program.lists)]
    facts = merge_with_store(store, own)
    decisions = (*all_decisions(store), *(read_decisions(program.decisions) if program.decisions else ()))
    day = as_of or program.as_of or dt.date.today()
    return screen_program(program, boms, load_knowledge(facts, decisions, params, day), params, progress=progress)


def report_of_run(store: Store, run_id: str) -> Report:
    """The Report of a saved run, rebuilt from its inputs (a DoC is built on a Report, the store keeps JSON).

    Refused (``StoreError``) unless every input file still has the hash the run recorded and screening them
    again at the run's as-of date gives every finding the verdict the run saved — plainly, or against the
    store's registry for a run screened that way. So a DoC made from a run id declares exactly that run.
    """
    from cvcomply.screen import screen
    from cvcomply.store.codec import loads, sha256
    from cvcomply.store.runs import get_run, run_inputs, run_report

    info = get_run(store, run_id)
    if not info.manifest:
        raise StoreError(f"run {run_id} recorded no manifest; it cannot be screened again")
    inputs = run_inputs(store, run_id)
    for kind, path, digest in inputs:
        if kind in {"report", "input", "decisions-table"}:
            continue
        try:
            now = sha256(Path(path).read_bytes())
        except OSError:
            raise StoreError(f"run {run_id}: its {kind} file {path} is gone; screen the program again and use "
                             "the new run") from None
        if now != digest:
            raise StoreError(f"run {run_id}: its {kind} file {path} changed since the run; screen the program "
                             "again and use the new run")
    parameters = next((p for k, p, _ in inputs if k == "parameters"), None)
    as_of = dt.date.fromisoformat(info.as_of)
    saved = {f["id"]: f["verdict"] for f in loads(run_report(store, run_id)).get("findings") or []}
    report = screen(info.manifest, as_of=as_of, parameters=parameters)
    if {f.id: f.verdict for f in report.findings} != saved:
        report = screen_with_registry(store, info.manifest, as_of=as_of, parameters=parameters)
    if {f.id: f.verdict for f in report.findings} != saved:
        raise StoreError(f"run {run_id}: screening its inputs again gives other verdicts (the engine, the parameters "
                         "or the store's registry changed since); screen the program again and use the new run")
    return replace(report, run_id=run_id)
