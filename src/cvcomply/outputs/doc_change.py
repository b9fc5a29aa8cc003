"""Material change: what differs between the basis of the last DoC and the current screening.

Why compare bases and not documents: a DoC's text changes with its wording, but what it *rests on* is a set
of findings (stable ids, verdicts), input files (hashes) and the declarant's own nexus. Each difference is
listed; those that change what the declaration states require an update, with the deadline RULE.md gives:
the material-change deadline is unconfirmed ([U], a parameter, default 60 days), the general-authorization
change-in-circumstance reassessment is 30 days ([V] § 791.306(e)). Deadlines count from the current
screening's ``as_of`` (the day the change is discovered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cvcomply.formats.errors import InputError
from cvcomply.outputs.doc import Declaration, DocBasis, material_change_param
from cvcomply.rules.params import Params

__all__ = ["Change", "basis_from_json", "change_dict", "material_changes"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference; ``deadline`` is None where nothing needs updating."""

    kind: str  # input-changed | input-added | input-removed | finding-added | finding-removed | verdict-changed
    #            | declarant-nexus-changed | authorization-added | authorization-removed
    subject: str
    before: str | None
    after: str | None
    requires_update: bool
    deadline: dt.date | None = None
    days: int | None = None
    cite: str | None = None
    tag: str | None = None


def basis_from_json(data: Any, file: str) -> DocBasis:
    """The ``basis`` of a previous DoC JSON (parsed at the edge); bad shape raises :class:`InputError`."""
    basis = data.get("basis") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("cvcomply_doc") != 1 or not isinstance(basis, dict):
        raise InputError(file, "/basis", "not a cvcomply DoC JSON (cvcomply_doc: 1) with a basis",
                         fix="pass the .json file a previous `cvcomply doc` wrote")
    try:
        return DocBasis(
            findings=tuple((str(f["id"]), str(f["verdict"]), str(f.get("component", ""))) for f in basis["findings"]),
            inputs=tuple((str(i["file"]), str(i["sha256"])) for i in basis["inputs"]),
            declarant_nexus=str(basis["declarant_nexus"]),
            authorizations=tuple(str(a) for a in basis.get("authorizations", ())),
        )
    except (KeyError, TypeError) as e:
        raise InputError(file, "/basis", f"the basis lacks {e}", fix="pass an unedited DoC JSON") from None


def material_changes(previous: DocBasis, current: Declaration, params: Params,
                     general: frozenset[str] = frozenset()) -> tuple[Change, ...]:
    """Every difference between ``previous`` and the basis of ``current``, in a stable order.

    ``general`` names the general authorizations among the ones relied on: a change touching a GA-authorized
    finding, or the declarant's own nexus (GA eligibility), also opens the 30-day reassessment of § 791.306(e).
    """
    at = current.as_of
    mc = material_change_param(params, at)
    ga = params.get("ga_reassessment_days", at)
    general = general | {a.id for a in current.authorizations if a.kind == "general"}

    def update(kind: str, subject: str, before: str | None, after: str | None, *, via_ga: bool = False) -> Change:
        p = ga if via_ga else mc
        days = int(p.value)
        return Change(kind, subject, before, after, True, at + dt.timedelta(days=days), days, p.cite, p.tag)

    out: list[Change] = []
    now = current.basis
    before_in, after_in = dict(previous.inputs), dict(now.inputs)
    for f in sorted(before_in.keys() | after_in.keys()):
        b, a = before_in.get(f), after_in.get(f)
        if b == a:
            continue
        kind = "input-added" if b is None else "input-removed" if a is None else "input-changed"
        out.append(update(kind, f, b, a))
    before_f = {i: (v, c) for i, v, c in previous.findings}
    after_f = {i: (v, c) for i, v, c in now.findings}
    ga_findings = {fid for a in current.authorizations if a.id in general for fid in a.findings}
    for fid in sorted(before_f.keys() | after_f.keys(), key=lambda i: ((after_f.get(i) or before_f[i])[1], i)):
        b_f, a_f = before_f.get(fid), after_f.get(fid)
        name = (a_f or b_f or ("", ""))[1]
        subject = f"{name} ({fid})"
        if b_f is None and a_f is not None:
            kind, b, a = "finding-added", None, a_f[0]
        elif a_f is None and b_f is not None:
            kind, b, a = "finding-removed", b_f[0], None
        elif a_f is not None and b_f is not None and a_f[0] != b_f[0]:
            kind, b, a = "verdict-changed", b_f[0], a_f[0]
        else:
            continue
        if all(v in (None, "out_of_scope") for v in (b, a)):
            out.append(Change(kind, subject, b, a, False))
        else:
            out.append(update(kind, subject, b, a, via_ga=fid in ga_findings))
    if previous.declarant_nexus != now.declarant_nexus:
        out.append(update("declarant-nexus-changed", current.declarant, previous.declarant_nexus,
                          now.declarant_nexus, via_ga=True))
    for auth in sorted(set(previous.authorizations) ^ set(now.authorizations)):
        added = auth in now.authorizations
        out.append(update("authorization-added" if added else "authorization-removed", auth,
                          None if added else auth, auth if added else None, via_ga=auth in general))
    return tuple(out)


def change_dict(c: Change) -> Mapping[str, Any]:
    return {"kind": c.kind, "subject": c.subject, "before": c.before, "after": c.after,
            "requires_update": c.requires_update, "deadline": c.deadline.isoformat() if c.deadline else None,
            "days": c.days, "cite": c.cite, "tag": c.tag, "u_tagged": c.tag == "U"}
