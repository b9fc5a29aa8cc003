"""Store commands: ``registry load|status``, ``history``, ``diff``, ``rescreen``, ``audit verify``, ``bundle``.

Thin adapters over ``cvcomply.store``; mounted by ``cli.py`` with ``register(app)``. Every command takes
``--database`` (else ``$CVCOMPLY_DATABASE_URL``, else the default DuckDB file). Exit codes: 0 fine;
1 a check found a problem (tampering, a changed verdict under ``rescreen --fail-on-change``); 2 bad input,
an unreachable store or a refused operation.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import click
import orjson
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from cvcomply.commands import date_option
from cvcomply.formats.errors import InputError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Database = Annotated[str | None, typer.Option("--database", help="duckdb:///path/file.duckdb or postgresql://… "
                                              "(default: $CVCOMPLY_DATABASE_URL, else a DuckDB file in your data "
                                              "directory)")]
Json = Annotated[bool, typer.Option("--json", help="print the result as JSON")]
Actor = Annotated[str | None, typer.Option("--actor", help="who does this, for the audit log (default: your user "
                                           "name)")]


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _emit(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


@contextmanager
def _opened(database: str | None) -> Iterator[Any]:
    """Open the store; store errors become a message and exit 2, never a traceback."""
    from cvcomply.store import RetentionError, StoreError, open_store

    try:
        store = open_store(database)
    except StoreError as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    try:
        yield store
    except (StoreError, RetentionError) as e:
        err.print(f"error: {e}", markup=False)
        raise typer.Exit(2) from None
    finally:
        store.close()


class _RunOrVerify(TyperGroup):
    """``bundle RUN --out FILE.zip`` makes a bundle, ``bundle verify FILE.zip`` checks one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["make", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    """Mount the store commands on ``app``."""
    registry = typer.Typer(no_args_is_help=True, help="Load ownership/registry files into the store; show its state.")
    audit = typer.Typer(no_args_is_help=True, help="The hash-chained audit log.")
    bundle = typer.Typer(cls=_RunOrVerify, no_args_is_help=True,
                         help="Record bundles (15 CFR 791.312): `bundle RUN --out FILE.zip`, `bundle verify FILE.zip`.")
    app.add_typer(registry, name="registry")
    app.add_typer(audit, name="audit")
    app.add_typer(bundle, name="bundle")

    @registry.command("load")
    def registry_load(
        files: Annotated[list[Path], typer.Argument(help="BODS, GLEIF, FtM or list files (format from content)")],
        database: Database = None, json: Json = False, actor: Actor = None,
    ) -> None:
        """Load files atomically (all or none), once per content hash; updates keep the history."""
        from cvcomply.store.facts import load_ownership

        sources = [_source(str(f)) for f in files]
        with _opened(database) as store:
            results = load_ownership(store, sources, actor=_actor(actor))
        if json:
            _emit([asdict(r) for r in results])
            return
        for r in results:
            if r.status == "unchanged":
                out.print(f"{r.file}: unchanged — this content ({r.sha256[:12]}) was loaded at {r.loaded_at}",
                          markup=False)
            else:
                out.print(f"{r.file}: loaded {r.format} ({r.sha256[:12]}): {r.added} added, {r.updated} updated, "
                          f"{r.closed} closed, {r.unchanged} unchanged", markup=False)

    @registry.command("status")
    def registry_status(database: Database = None, json: Json = False) -> None:
        """Sources loaded (file, format, hash, when), facts in force, versions kept as history, age."""
        from cvcomply.store.facts import registry_status as status

        with _opened(database) as store:
            s = status(store)
        if json:
            _emit({"sources": [asdict(x) for x in s.sources], "current": s.current, "historic": s.historic,
                   "last_loaded_at": s.last_loaded_at})
            return
        table = Table("file", "format", "sha256", "loaded at", "entities", "holdings", "list entries")
        for x in s.sources:
            table.add_row(x.file, x.format, x.sha256[:12], x.loaded_at, str(x.entities), str(x.holdings),
                          str(x.list_entries))
        out.print(table)
        facts = ", ".join(f"{n} {k}" for k, n in sorted(s.current.items())) or "none"
        age = ""
        if s.last_loaded_at:
            last = dt.datetime.fromisoformat(s.last_loaded_at.replace("Z", "+00:00"))
            age = f"; last load {(dt.datetime.now(dt.UTC) - last).days} day(s) ago"
        out.print(f"facts in force: {facts}; {s.historic} earlier version(s) kept{age}", markup=False)

    @app.command("history")
    def history_cmd(database: Database = None, json: Json = False,
                    program: Annotated[str | None, typer.Option("--program", help="only this program")] = None) -> None:
        """Saved screening runs, oldest first."""
        from cvcomply.store.runs import history

        with _opened(database) as store:
            runs = history(store, program)
        if json:
            _emit([asdict(r) for r in runs])
            return
        table = Table("run", "saved at", "program", "as of", "verdict", "counts", "rule", "policy")
        for r in runs:
            table.add_row(r.run_id, r.created_at, r.program, r.as_of, r.verdict,
                          ", ".join(f"{k} {v}" for k, v in r.counts.items()), r.rule_version, r.policy_version)
        out.print(table)

    @app.command("diff")
    def diff_cmd(a: Annotated[str, typer.Argument(help="the earlier run (id, unique prefix, latest~1 …)")],
                 b: Annotated[str, typer.Argument(help="the later run")],
                 database: Database = None, json: Json = False) -> None:
        """What changed in the verdicts between two runs, and why."""
        from cvcomply.store.runs import diff, resolve_run_id

        with _opened(database) as store:
            d = diff(store, resolve_run_id(store, a), resolve_run_id(store, b))
        if json:
            _emit(asdict(d))
            return
        _print_diff(d)

    @app.command("rescreen")
    def rescreen_cmd(
        changed_since: Annotated[str, typer.Option("--changed-since", help="facts changed on or after this date "
                                                   "(YYYY-MM-DD)")],
        database: Database = None, json: Json = False, actor: Actor = None,
        fail_on_change: Annotated[bool, typer.Option("--fail-on-change", help="exit 1 when a verdict changed")
                                  ] = False,
    ) -> None:
        """Re-run every stored program touched by changed facts and report the verdicts that changed."""
        from cvcomply.store.rescreen import rescreen

        since = date_option(changed_since, "--changed-since") or dt.date.today()  # the option is required
        with _opened(database) as store:
            results = rescreen(store, since, actor=_actor(actor))
        changed = sum(len(r.diff.changes) for r in results if r.diff)
        if json:
            _emit([asdict(r) for r in results])
        else:
            if not results:
                out.print(f"no stored program is touched by facts changed since {since}")
            for r in results:
                if r.error or r.diff is None:
                    out.print(f"{r.program}: not re-screened: {r.error}", markup=False)
                    continue
                out.print(f"[bold]{r.program}[/bold]: {r.previous_run} → {r.new_run}")
                _print_diff(r.diff)
        raise typer.Exit(1 if fail_on_change and changed else 0)

    @audit.command("verify")
    def audit_verify(database: Database = None, json: Json = False,
                     expect_head: Annotated[str | None, typer.Option("--expect-head", help="the head hash recorded "
                                                                     "earlier (finds entries cut from the end)")
                                            ] = None) -> None:
        """Recompute the audit chain; exit 1 when any entry was edited, deleted or reordered."""
        from cvcomply.store.audit import verify

        with _opened(database) as store:
            check = verify(store, expect_head=expect_head)
        if json:
            _emit({"ok": check.ok, "entries": check.entries, "head": check.head, "problems": list(check.problems)})
        elif check.ok:
            out.print(f"audit log intact: {check.entries} entries, head {check.head}")
        else:
            out.print(f"[red]audit log damaged[/red]: {len(check.problems)} problem(s)")
            for p in check.problems:
                out.print(f"  {p}", markup=False)
        raise typer.Exit(0 if check.ok else 1)

    @bundle.command("make", hidden=True)
    def bundle_make(run: Annotated[str, typer.Argument(help="run id (or unique prefix, latest)")],
                    out_file: Annotated[Path, typer.Option("--out", help="the zip to write")],
                    database: Database = None, actor: Actor = None) -> None:
        """Write a run's record bundle."""
        from cvcomply.store.bundle import make_bundle
        from cvcomply.store.runs import resolve_run_id

        with _opened(database) as store:
            info = make_bundle(store, resolve_run_id(store, run), out_file, actor=_actor(actor))
        out.print(f"bundle of run {info.run_id} written to {info.path} ({info.files} files; audit head "
                  f"{info.audit_head})", markup=False)

    @bundle.command("verify")
    def bundle_verify(file: Annotated[Path, typer.Argument(help="a bundle zip")], json: Json = False) -> None:
        """Check a bundle: checksums, audit segment, every byte; exit 1 when anything was changed."""
        from cvcomply.store.bundle import verify_bundle

        if not file.is_file():
            raise InputError(str(file), "", "no such file", fix="give the path of a bundle made by `cvcomply bundle`")
        check = verify_bundle(file)
        if json:
            _emit({"ok": check.ok, "run_id": check.run_id, "files": check.files, "problems": list(check.problems)})
        elif check.ok:
            out.print(f"bundle intact: run {check.run_id}, {check.files} files", markup=False)
        else:
            out.print(f"[red]bundle damaged[/red]: {len(check.problems)} problem(s)")
            for p in check.problems:
                out.print(f"  {p}", markup=False)
        raise typer.Exit(0 if check.ok else 1)


def _source(path: str) -> Any:
    """A registry file for ``load_ownership``: GLEIF XML streams (a Golden Copy or a delta file is GBs, never read
    whole); any other format is read whole by its reader (format told from the content)."""
    from cvcomply.formats.detect import read_ownership
    from cvcomply.formats.gleif import FORMAT_XML, iter_gleif, looks_like_gleif_xml
    from cvcomply.model import OwnershipFacts

    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        head = b""  # read_ownership names the problem
    if not (head.startswith(b"<") and looks_like_gleif_xml(head)):
        return read_ownership(path)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return OwnershipFacts(source=path, format=FORMAT_XML, sha256=h.hexdigest()), iter_gleif(path)


def _print_diff(d: Any) -> None:
    out.print(f"{d.a.run_id} ({d.a.created_at}) → {d.b.run_id} ({d.b.created_at})", markup=False)
    for line in d.parameter_changes:
        out.print(f"  parameters: {line}", markup=False)
    for line in d.input_changes:
        out.print(f"  input: {line}", markup=False)
    if not d.changes:
        out.print("  no verdict changed" + (f" ({d.evidence_only} finding(s) changed evidence only)"
                                            if d.evidence_only else ""), markup=False)
    for c in d.changes:
        out.print(f"  {c.component} {c.period}: {c.before or '(new)'} → {c.after or '(gone)'} because "
                  f"{', '.join(c.causes)}", markup=False)
        for detail in c.details:
            out.print(f"      {detail}", markup=False)
