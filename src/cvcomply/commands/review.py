"""``cvcomply review``: list the parties a screening could not resolve alone, and record a reviewer's decision.

A thin adapter (mounted by ``cli.py`` with ``register(app)``). It reads a JSON report
(``cvcomply_report: 1``) or screens a manifest, and lists every distinct party whose
``match.decision`` is ``review`` — numbered, with its candidates and the scorer's reasons. With
``--confirm N --entity ID`` or ``--reject N [--entity ID]`` it records the decision (who, when, why)
by appending it to the decisions file (:func:`cvcomply.formats.decisions.append_decisions`) and to the
store (:func:`cvcomply.store.add_decisions`) unless ``--no-store``. The resolver applies decisions
before any scorer on every later run (a confirmation wins; a rejection removes that entity).

Exit codes: 0 listed or recorded; 2 bad input or usage (unknown item number, an entity that is not a
candidate, a missing ``--by``/``--why``/``--decisions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from cvcomply.formats.errors import InputError
from cvcomply.formats.jsonutil import parse_json, read_bytes
from cvcomply.model import Decision

__all__ = ["ReviewItem", "register", "review_items"]

out = Console(highlight=False)

HELP = """List the parties a screening left for review, and record a reviewer's decision on one.

SOURCE is a JSON report (cvcomply screen MANIFEST --json > report.json) or a manifest (screened now,
not saved). Without --confirm/--reject it lists each distinct party whose match decision is "review",
numbered 1, 2, …, with its candidate entities, their scores and the scorer's reasons.

  cvcomply review report.json
  cvcomply review report.json --confirm 2 --entity 5493001KJTIIGC8Y1R12 --by j.doe@example.com \\
      --why "LEI on the supplier's invoice" --decisions decisions.yaml
  cvcomply review report.json --reject 1 --by j.doe --why "different firm, other city" --decisions decisions.yaml

--confirm N needs --entity (one of item N's candidates); --reject N without --entity rejects every
candidate of item N. A decision is appended to --decisions FILE (created if absent; earlier entries are
never changed) and recorded in the store unless --no-store. Name the file in the manifest's
`decisions:` to make it count: from then on the decision wins over the scorer for that party name
(and stated country). A later decision on the same party and entity supersedes an earlier one.
"""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One party name (with its stated country) that some finding left at ``review``."""

    number: int
    party: str
    country: str | None
    roles: tuple[str, ...]
    components: tuple[str, ...]
    candidates: tuple[tuple[str, float], ...]
    reasons: tuple[str, ...]


def review_items(report: dict[str, Any], source: str) -> list[ReviewItem]:
    """The distinct parties at ``review`` in a JSON report, in order of first appearance, numbered from 1."""
    if not isinstance(report, dict) or report.get("cvcomply_report") != 1:
        raise InputError(source, "/", "not a cvcomply JSON report ('cvcomply_report: 1' missing)",
                         fix="pass the output of 'cvcomply screen MANIFEST --json', or the manifest itself")
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    findings = report.get("findings")
    for i, f in enumerate(findings if isinstance(findings, list) else []):
        parties = f.get("parties") if isinstance(f, dict) else None
        for j, p in enumerate(parties if isinstance(parties, list) else []):
            match = p.get("match") if isinstance(p, dict) else None
            if not isinstance(match, dict) or match.get("decision") != "review":
                continue
            name, country = p.get("name"), p.get("country")
            if not isinstance(name, str) or not (country is None or isinstance(country, str)):
                raise InputError(source, f"/findings/{i}/parties/{j}", "a party without a name (or a country that "
                                 "is not text)", fix="regenerate the report with 'cvcomply screen --json'")
            slot = found.setdefault((name, country), {"roles": [], "components": [], "match": match})
            if p.get("role") not in slot["roles"]:
                slot["roles"].append(str(p.get("role")))
            comp = (f.get("component") or {}).get("name")
            if comp and comp not in slot["components"]:
                slot["components"].append(str(comp))
    items = []
    for n, ((name, country), slot) in enumerate(found.items(), 1):
        match = slot["match"]
        cands = tuple((str(c.get("entity")), float(c.get("score") or 0.0)) for c in match.get("candidates") or []
                      if isinstance(c, dict) and c.get("entity"))
        items.append(ReviewItem(n, name, country, tuple(slot["roles"]), tuple(slot["components"]), cands,
                                tuple(str(r) for r in match.get("reasons") or [])))
    return items


def _load(source: Path) -> dict[str, Any]:
    path = str(source)
    data = read_bytes(path)
    if data.lstrip()[:1] == b"{":
        parsed: dict[str, Any] = parse_json(path, data, what="cvcomply report")
        return parsed
    from cvcomply import screen
    from cvcomply.outputs.json_report import report_dict

    return report_dict(screen(path))


def _decisions(item: ReviewItem, confirm: bool, entity: str | None, by: str, why: str,
               at: dt.datetime) -> list[Decision]:
    ids = [c for c, _ in item.candidates]
    if entity is not None and entity not in ids:
        raise InputError("--entity", "", f"{entity!r} is not a candidate of item {item.number} ({item.party!r})",
                         fix=f"pass one of: {', '.join(ids) or '(no candidates: the registry has none to offer)'}")
    if confirm and entity is None:
        raise InputError("--entity", "", "--confirm needs the entity confirmed",
                         fix=f"add --entity with one of: {', '.join(ids) or '(none)'}")
    targets = [entity] if entity is not None else ids
    if not targets:
        raise InputError("--reject", "", f"item {item.number} ({item.party!r}) has no candidates to reject",
                         fix="nothing to record: without candidates the party is judged on the BOM's own facts")
    verdict = "confirm" if confirm else "reject"
    return [Decision(kind="match", by=by, at=at, why=why, party=item.party, country=item.country, entity=e,
                     verdict=verdict) for e in targets]


def _show(items: Sequence[ReviewItem]) -> None:
    if not items:
        out.print("no party is waiting for review", markup=False)
        return
    for it in items:
        where = f", stated country {it.country}" if it.country else ", no country stated"
        out.print(f"[{it.number}] {it.party!r}{where} — {', '.join(it.roles)} of "
                  f"{len(it.components)} component(s): {', '.join(it.components[:3])}", markup=False)
        for c, sc in it.candidates:
            out.print(f"      candidate {c}  score {sc:.2f}", markup=False)
        for r in it.reasons:
            out.print(f"      · {r}", markup=False)


def review(
    source: Annotated[Path, typer.Argument(help="a JSON report (cvcomply_report: 1) or a program manifest")],
    confirm: Annotated[int | None, typer.Option("--confirm", help="item number to confirm (needs --entity)")] = None,
    reject: Annotated[int | None, typer.Option("--reject", help="item number to reject (all its candidates, or "
                                               "only --entity)")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="the candidate entity id decided on")] = None,
    by: Annotated[str | None, typer.Option("--by", help="who decides (e-mail or name)")] = None,
    why: Annotated[str | None, typer.Option("--why", help="the evidence for the decision")] = None,
    decisions: Annotated[Path | None, typer.Option("--decisions", help="the decisions file to append to "
                                                   "(created if absent)")] = None,
    database: Annotated[str | None, typer.Option("--database", help="store URL (default: $CVCOMPLY_DATABASE_URL, "
                                                 "else the default DuckDB file)")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="record in the decisions file only")] = False,
    json: Annotated[bool, typer.Option("--json", help="list the review items as JSON")] = False,
) -> None:
    items = review_items(_load(source), str(source))
    if confirm is None and reject is None:
        if json:
            rows = [{"number": i.number, "party": i.party, "country": i.country, "roles": list(i.roles),
                     "components": list(i.components), "reasons": list(i.reasons),
                     "candidates": [{"entity": c, "score": s} for c, s in i.candidates]} for i in items]
            typer.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        else:
            _show(items)
        return
    if confirm is not None and reject is not None:
        raise InputError("--confirm/--reject", "", "give one decision at a time", fix="pass --confirm or --reject")
    missing = [flag for flag, value in (("--by", by), ("--why", why), ("--decisions", decisions)) if not value]
    if missing:
        raise InputError(", ".join(missing), "", "a decision records who made it, why, and where it is kept",
                         fix=f"add {' '.join(f'{m} …' for m in missing)}")
    assert by and why and decisions is not None
    number = confirm if confirm is not None else reject
    item = next((i for i in items if i.number == number), None)
    if item is None:
        raise InputError(f"--{'confirm' if confirm is not None else 'reject'}", "", f"no review item {number}",
                         fix=f"pick a number from 1 to {len(items)}" if items else "nothing is waiting for review")
    made = _decisions(item, confirm is not None, entity, by, why, dt.datetime.now(dt.UTC).replace(microsecond=0))
    from cvcomply.formats.decisions import append_decisions

    append_decisions(str(decisions), made)
    if not no_store:
        from cvcomply.store import StoreError, add_decisions, open_store

        try:
            store = open_store(database)
            try:
                add_decisions(store, made, actor=by)
            finally:
                store.close()
        except StoreError as e:
            raise InputError(database or "store", "", f"decision written to {decisions} but not to the store: {e}",
                             fix="check --database, or pass --no-store") from e
    for d in made:
        out.print(f"recorded: {d.verdict} {d.entity} for {d.party!r} by {d.by} → {decisions}", markup=False)


def register(app: typer.Typer) -> None:
    """Mount ``cvcomply review`` on the CLI app."""
    app.command("review", help=HELP)(review)
