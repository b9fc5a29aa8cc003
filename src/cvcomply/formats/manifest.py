"""The program manifest, v1 (DESIGN.md §4.1): YAML in, a checked :class:`Program` out.

Every problem of the file is collected (unknown keys, wrong types, bad dates, missing files) and
raised together as one :class:`InputError`, each naming the place (pointer and line) and the fix.
Paths in the manifest are relative to the manifest's own folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, cast

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.yamlutil import YamlDoc, load_yaml, schema_issues
from cvcomply.model import Authorization, Declarant, Program, Vehicle
from cvcomply.model.program import Purpose, Role

_FIXES = {
    "unknown key": "remove or rename it; the manifest's keys are listed in DESIGN.md §4.1",
    "is not one of": "use one of the listed values",
    "is not a date": "write the date as YYYY-MM-DD",
    "is a required property": "add it (DESIGN.md §4.1)",
}


def _fix(pointer: str, message: str) -> str:
    for key, fix in _FIXES.items():
        if key in message:
            return fix
    return "see DESIGN.md §4.1 for the manifest's shape"


def _date(doc: YamlDoc, pointer: str, value: Any, issues: list[Issue]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        issues.append(Issue(doc.path, doc.where(pointer), f"{value!r} is not a valid date", "write YYYY-MM-DD"))
        return None


def _paths(doc: YamlDoc, base: Path, key: str, issues: list[Issue]) -> tuple[str, ...]:
    out = []
    for i, rel in enumerate(doc.data.get(key) or []):
        p = Path(os.path.normpath(base / rel))
        if not p.is_file():
            issues.append(Issue(doc.path, doc.where(f"/{key}/{i}"), f"{key} file {rel!r} not found (looked at {p})",
                                "fix the path; it is relative to the manifest's folder"))
        out.append(str(p))
    return tuple(out)


def read_manifest(path: str) -> Program:
    """Read and check a manifest; raise :class:`InputError` listing every problem found."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "/", "a manifest must be a YAML mapping starting with 'cvcomply: 1'",
                         fix="see DESIGN.md §4.1 for an example")
    if doc.data.get("cvcomply") != 1:
        raise InputError(path, doc.where("/cvcomply"), "not a cvcomply manifest v1 ('cvcomply: 1' missing or other)",
                         fix="start the file with 'cvcomply: 1'")
    issues = schema_issues(doc, "manifest-v1.schema.json", _fix)
    if issues:
        raise InputError(path, issues[0].location, issues[0].message, issues[0].fix, issues=tuple(issues))

    data = doc.data
    base = Path(path).parent  # paths stay as the user gave them (no absolute paths leak into reports)
    prog = data["program"]
    d = prog["declarant"]
    roles = d["role"] if isinstance(d["role"], list) else [d["role"]]
    declarant = Declarant(
        name=d["name"],
        roles=tuple(cast(list[Role], roles)),
        country=d.get("country", "").upper() or None,
        identifiers=tuple((str(k).lower(), str(v)) for k, v in (d.get("ids") or {}).items()),
    )
    vehicle = None
    if v := prog.get("vehicle"):
        vehicle = Vehicle(
            make=v["make"], model=v["model"], model_years=tuple(sorted(set(v["model_years"]))),
            trims=tuple(v.get("trims") or ()), gvwr_lbs=v.get("gvwr_lbs"), ads_level=v.get("ads_level", 0),
            imported=v.get("imported", False), connected=v.get("connected", True), completed=v.get("completed", True),
        )
    imports = tuple(
        x for i, raw in enumerate(prog.get("hardware_imports") or [])
        if (x := _date(doc, f"/program/hardware_imports/{i}", raw, issues)) is not None
    )
    auths = []
    for i, a in enumerate(data.get("authorizations") or []):
        p = f"/authorizations/{i}"
        auths.append(Authorization(
            id=a["id"], kind=a["kind"], purpose=a.get("purpose"),
            valid_from=_date(doc, p + "/valid_from", a.get("valid_from"), issues),
            valid_to=_date(doc, p + "/valid_to", a.get("valid_to"), issues),
            components=tuple(a.get("components") or ()), model_years=tuple(a.get("model_years") or ()),
        ))
    if vehicle is None and not imports:
        issues.append(Issue(path, doc.where("/program"), "neither a vehicle nor hardware_imports is given",
                            "add program.vehicle (a manufacturer) or program.hardware_imports (an importer)"))
    boms = _paths(doc, base, "boms", issues)
    ownership = _paths(doc, base, "ownership", issues)
    lists = _paths(doc, base, "lists", issues)
    decisions = None
    if data.get("decisions"):
        decisions = os.path.normpath(base / data["decisions"])
        if not Path(decisions).is_file():
            issues.append(Issue(path, doc.where("/decisions"), f"decisions file {data['decisions']!r} not found",
                                "fix the path or remove the key"))
    as_of = _date(doc, "/as_of", data.get("as_of"), issues)
    if issues:
        raise InputError(path, issues[0].location, issues[0].message, issues[0].fix, issues=tuple(issues))
    return Program(
        name=prog["name"], declarant=declarant, vehicle=vehicle,
        purpose=cast(Purpose, prog.get("purpose", "sale")), boms=boms, ownership=ownership, lists=lists,
        authorizations=tuple(auths), decisions=decisions, hardware_imports=imports,
        as_of=as_of, source=path,
        parameters=os.path.normpath(base / data["parameters"]) if data.get("parameters") else None,
    )
