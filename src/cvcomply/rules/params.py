"""The rule's numbers as dated, cited data, and the tracer that records every read.

Why a file and not constants: the rule's dates and lists carry different degrees of certainty (RULE.md's
[V]/[S]/[U] tags) and counsel may read a clause differently. Every value therefore lives in
``rules/params/cfr791d.yaml`` with its citation, tag and validity dates; code reads it "as of" a date
(OpenFisca style) and a user's file can replace or extend it without a code change (DESIGN.md §2).

Reading a file is the only I/O of ``rules/`` and happens once, in :meth:`Params.load`; everything else
computes on the loaded, immutable :class:`Params`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from cvcomply.formats.errors import InputError, Issue
from cvcomply.formats.yamlutil import YamlDoc, load_yaml, schema_issues
from cvcomply.model.policy import ControlPolicy

PACKAGED = Path(__file__).resolve().parent / "params" / "cfr791d.yaml"
"""The parameter file shipped with cvcomply (the project's reading of RULE.md)."""

_TYPES = ("int", "number", "bool", "date", "string", "strings", "countries")
_VALUE = {
    "type": "object",
    "required": ["value", "cite", "tag"],
    "additionalProperties": False,
    "properties": {
        "value": {},
        "from": {"type": ["string", "null"]},
        "to": {"type": ["string", "null"]},
        "cite": {"type": "string", "minLength": 1},
        "tag": {"enum": ["V", "S", "U"]},
        "note": {"type": "string"},
    },
}
_GA = {
    "type": "object",
    "required": ["id", "title", "cite", "tag", "purposes", "users"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "title": {"type": "string"},
        "from": {"type": ["string", "null"]},
        "to": {"type": ["string", "null"]},
        "cite": {"type": "string", "minLength": 1},
        "tag": {"enum": ["V", "S", "U"]},
        "purposes": {"type": "array", "items": {"type": "string"}},
        "users": {"type": "array", "items": {"enum": ["connected-vehicle-manufacturer", "vcs-hardware-importer"]}},
        "ineligible_if_declarant_covered": {"type": "boolean"},
        "conditions": {"type": "array", "items": {"type": "string"}},
        "note": {"type": "string"},
    },
}
_POLICY_FIELDS = {f.name for f in fields(ControlPolicy)}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["cvcomply_params", "id", "edition"],
    "additionalProperties": False,
    "properties": {
        "cvcomply_params": {"const": 1},
        "id": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"},
        "published": {"type": "string"},
        "edition": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"},
        "title": {"type": "string"},
        "extends": {"const": "cfr791d"},
        "parameters": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["values"],
                "additionalProperties": False,
                "properties": {
                    "type": {"enum": list(_TYPES)},
                    "values": {"type": "array", "minItems": 1, "items": _VALUE},
                },
            },
        },
        "general_authorizations": {"type": "array", "items": _GA},
        "policy": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "law": {"const": False},
                "note": {"type": "string"},
                **{name: {} for name in _POLICY_FIELDS},
            },
        },
    },
}
_VALIDATOR = Draft202012Validator(SCHEMA)


@dataclass(frozen=True, slots=True)
class Param:
    """One value of one parameter, with the clause it comes from and how sure we are of it.

    ``effective_from`` is the first day in force (None: as published); ``effective_to`` the first day no
    longer in force (exclusive; None: open-ended), as :meth:`cvcomply.model.Holding.active` reads dates.
    """

    name: str
    value: Any
    cite: str
    tag: str  # "V" | "S" | "U"
    effective_from: dt.date | None
    effective_to: dt.date | None
    note: str = ""
    trace_line: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Read for every component of every program: format the trace line once, not at each read.
        when = f"from {self.effective_from}" if self.effective_from else "as published"
        if self.effective_to:
            when += f" until {self.effective_to}"
        object.__setattr__(self, "trace_line",
                           f"param {self.name}={_show(self.value)} ({self.cite}) [{self.tag}] {when}")

    def in_force(self, at: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= at) and (
            self.effective_to is None or self.effective_to > at)


@dataclass(frozen=True, slots=True)
class GeneralAuthorizationDef:
    """A general authorization (§ 791.306) as the parameter file describes it."""

    id: str
    title: str
    cite: str
    tag: str
    purposes: frozenset[str]
    users: frozenset[str]
    ineligible_if_declarant_covered: bool = True
    conditions: tuple[str, ...] = ()
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    note: str = ""

    def in_force(self, at: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= at) and (
            self.effective_to is None or self.effective_to > at)


@dataclass(frozen=True, slots=True)
class Params:
    """The loaded parameter file: read values with :meth:`get` "as of" a date."""

    version: str  # the rule_version reported, e.g. "cfr791d-2025-01-16+cvcomply.1"
    policy_version: str  # e.g. "cvcomply-default/1"
    source: str
    _values: Mapping[str, tuple[Param, ...]] = field(repr=False)
    _gas: tuple[GeneralAuthorizationDef, ...] = field(repr=False, default=())
    _policy: ControlPolicy = field(repr=False, default_factory=ControlPolicy)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Params:
        """The packaged file (``None``) or a user's file, checked; a bad file raises :class:`InputError`.

        A user's file replaces the packaged one and must then define every parameter; with
        ``extends: cfr791d`` it only lists what it reads differently (each named parameter's values
        are replaced whole, general authorizations by id, policy fields one by one).
        """
        if path is None:
            return _build(_read(str(PACKAGED)), None)
        doc = _read(str(path))
        if doc.data.get("extends") == "cfr791d":
            return _build(doc, _read(str(PACKAGED)))
        return _build(doc, None, required=_names(_read(str(PACKAGED))))

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._values))

    def get(self, name: str, at: dt.date | None = None) -> Param:
        """The value of ``name`` in force at ``at`` (``None``: the open-ended, latest value).

        An unknown name raises ``KeyError``; a known one with no value in force at ``at`` raises
        ``LookupError`` naming the dates it has, so a gap in counsel's file is never read as "no rule".
        """
        values = self._values[name]
        if at is None:
            return values[-1]
        for p in values:
            if p.in_force(at):
                return p
        spans = ", ".join(f"[{p.effective_from or '…'}, {p.effective_to or '…'})" for p in values)
        raise LookupError(f"parameter {name!r} has no value in force on {at} (values cover {spans}) in {self.source}")

    def policy(self) -> ControlPolicy:
        """The control policy (DESIGN.md §2) of the file's ``policy:`` section — policy, not law."""
        return self._policy

    def adversaries(self, at: dt.date | None = None) -> frozenset[str]:
        """Countries whose links make a person covered under subpart D (§ 791.300(a), § 791.4)."""
        return frozenset(self.get("adversary_countries", at).value)

    def general_authorizations(self) -> tuple[GeneralAuthorizationDef, ...]:
        return self._gas

    def general_authorization(self, ga_id: str) -> GeneralAuthorizationDef | None:
        """The GA with this id (``GA-1``, ``GA 1`` and ``ga1`` are the same), or None if the file has none."""
        key = _ga_key(ga_id)
        return next((g for g in self._gas if _ga_key(g.id) == key), None)


def _ga_key(ga_id: str) -> str:
    return "".join(ch for ch in ga_id.upper() if ch.isalnum())


class Trace:
    """What a decision read, in order: parameters (with dates and cites), facts (with sources), clauses.

    Explanations are built from these lines (DESIGN.md §2), never written separately. A line already
    recorded is not repeated, so a parameter read for every component appears once per trace.
    """

    __slots__ = ("_seen", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._seen: set[str] = set()

    def add(self, line: str) -> None:
        """Record a line as it was already written (a memo replaying what a decision read)."""
        if line not in self._seen:
            self._seen.add(line)
            self.lines.append(line)

    def add_all(self, lines: Iterable[str]) -> None:
        """:meth:`add` each line, in order."""
        seen, out = self._seen, self.lines
        for line in lines:
            if line not in seen:
                seen.add(line)
                out.append(line)

    def param(self, p: Param) -> None:
        """e.g. ``param gvwr_max_lbs=10000 (15 CFR 791.301 'connected vehicle') [S] as published``."""
        self.add(p.trace_line)

    def fact(self, text: str, source: str | None = None) -> None:
        self.add(f"fact {text}" + (f" [{source}]" if source else ""))

    def clause(self, cite: str, text: str) -> None:
        self.add(f"clause {cite}: {text}")



# ---- placeholders: a decision computed once per class of cases, its names filled in per case -----------

PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "\u27e6", "\u27e7"
"""⟦ ⟧: each placeholder holds them once, at its two ends, so no placeholder overlaps another."""


@cache
def placeholder(what: str, run: str) -> str:
    """The stand-in for one name in placeholder run ``run`` ("a" or "b"), e.g. ``⟦component-a⟧``."""
    return f"{PLACEHOLDER_OPEN}{what}-{run}{PLACEHOLDER_CLOSE}"


def as_format(text: str, stand_ins: Sequence[str]) -> str:
    """``text`` as a :meth:`str.format` pattern whose field ``i`` is where ``stand_ins[i]`` stood.

    Braces already in the text are escaped; quoted stand-ins must come before their bare forms.
    Filling a pattern is one C call, and what is filled in is never read as a pattern again.
    """
    text = text.replace("{", "{{").replace("}", "}}")
    if PLACEHOLDER_OPEN in text:
        for i, stand_in in enumerate(stand_ins):
            text = text.replace(stand_in, f"{{{i}}}")
    return text


def placeholder_runs_agree(run_a: Sequence[str], run_b: Sequence[str]) -> bool:
    """Whether two runs of a decision, one with "a" placeholders and one with "b", prove a template exact.

    They must agree string for string once every "a" placeholder is read as its "b" twin, and neither
    may hold a placeholder of the other run. Then no input of the class holds a placeholder (it would
    show up unchanged in both runs), so every placeholder in run "a" was put there for its name — and,
    as the decision does not branch on the names, filling them in gives what the decision would give.
    """
    a_end, b_end = f"-a{PLACEHOLDER_CLOSE}", f"-b{PLACEHOLDER_CLOSE}"
    if any(b_end in x for x in run_a) or any(a_end in x for x in run_b):
        return False
    return [x.replace(a_end, b_end) for x in run_a] == list(run_b)

def _show(value: Any) -> str:
    if isinstance(value, list | tuple | frozenset | set):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- loading -------------------------------------------------------------------------------------------

def _read(path: str) -> YamlDoc:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(path, "/", "a parameter file must be a YAML mapping starting with 'cvcomply_params: 1'",
                         fix="see rules/params/cfr791d.yaml for the shape")
    issues = schema_issues(doc, _VALIDATOR, lambda pointer, message: "see rules/params/cfr791d.yaml for the shape "
                                                                     "of a parameter file")
    _raise(issues)
    return doc


def _raise(issues: list[Issue]) -> None:
    if issues:
        first = issues[0]
        raise InputError(first.file, first.location, first.message, first.fix, issues=tuple(issues))


def _names(doc: YamlDoc) -> frozenset[str]:
    return frozenset((doc.data.get("parameters") or {}).keys())


def _date(doc: YamlDoc, pointer: str, value: Any, issues: list[Issue]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        issues.append(Issue(doc.path, doc.where(pointer), f"{value!r} is not a date", "write YYYY-MM-DD"))
        return None


def _typed(doc: YamlDoc, pointer: str, kind: str, value: Any, issues: list[Issue]) -> Any:
    """The value converted to its declared type, or an issue saying what it should be."""
    def bad(what: str) -> None:
        issues.append(Issue(doc.path, doc.where(pointer), f"{value!r} is not {what}", f"give {what}"))

    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return bad("an integer")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return bad("a number")
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else bad("true or false")
    if kind == "date":
        return _date(doc, pointer, value, issues)
    if kind == "string":
        return value if isinstance(value, str) else bad("a string")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return bad("a list of strings")
    if kind == "countries":
        if not all(len(v) == 2 and v.isalpha() for v in value):
            return bad("a list of ISO 3166-1 alpha-2 country codes")
        return tuple(v.upper() for v in value)
    return tuple(v.lower() for v in value)


def _params(doc: YamlDoc, types: Mapping[str, str], issues: list[Issue]) -> dict[str, tuple[Param, ...]]:
    out: dict[str, tuple[Param, ...]] = {}
    for name, spec in (doc.data.get("parameters") or {}).items():
        kind = spec.get("type") or types.get(name)
        if kind is None:
            issues.append(Issue(doc.path, doc.where(f"/parameters/{name}"), f"parameter {name!r} has no type",
                                f"add 'type:' (one of {', '.join(_TYPES)})"))
            continue
        values = []
        for i, v in enumerate(spec["values"]):
            at = f"/parameters/{name}/values/{i}"
            start = _date(doc, f"{at}/from", v.get("from"), issues)
            end = _date(doc, f"{at}/to", v.get("to"), issues)
            if start and end and end <= start:
                issues.append(Issue(doc.path, doc.where(f"{at}/to"), f"'to' {end} is not after 'from' {start}",
                                    "'to' is the first day the value is no longer in force"))
            values.append(Param(name, _typed(doc, f"{at}/value", kind, v["value"], issues), v["cite"], v["tag"],
                                start, end, v.get("note", "")))
        values.sort(key=lambda p: p.effective_from or dt.date.min)
        for a, b in pairwise(values):
            if a.effective_to is None or b.effective_from is None or a.effective_to > b.effective_from:
                issues.append(Issue(doc.path, doc.where(f"/parameters/{name}"),
                                    f"values of {name!r} overlap ({a.effective_from}–{a.effective_to} and "
                                    f"{b.effective_from}–{b.effective_to})",
                                    "give each value a 'from'/'to' so that at most one is in force on any day"))
        out[name] = tuple(values)
    return out


def _gas(doc: YamlDoc, issues: list[Issue]) -> dict[str, GeneralAuthorizationDef]:
    out = {}
    for i, g in enumerate(doc.data.get("general_authorizations") or []):
        at = f"/general_authorizations/{i}"
        out[_ga_key(g["id"])] = GeneralAuthorizationDef(
            id=g["id"], title=g["title"], cite=g["cite"], tag=g["tag"],
            purposes=frozenset(g["purposes"]), users=frozenset(g["users"]),
            ineligible_if_declarant_covered=g.get("ineligible_if_declarant_covered", True),
            conditions=tuple(g.get("conditions") or ()),
            effective_from=_date(doc, f"{at}/from", g.get("from"), issues),
            effective_to=_date(doc, f"{at}/to", g.get("to"), issues), note=g.get("note", ""))
    return out


def _policy(doc: YamlDoc, base: ControlPolicy, issues: list[Issue]) -> ControlPolicy:
    section = dict(doc.data.get("policy") or {})
    section.pop("law", None)
    section.pop("note", None)
    kwargs: dict[str, Any] = {}
    for f in fields(ControlPolicy):
        if f.name not in section:
            continue
        value, default = section[f.name], getattr(base, f.name)
        if isinstance(default, bool) and not isinstance(value, bool):
            issues.append(Issue(doc.path, doc.where(f"/policy/{f.name}"), f"{value!r} is not true or false",
                                "give true or false"))
        elif isinstance(default, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
            issues.append(Issue(doc.path, doc.where(f"/policy/{f.name}"), f"{value!r} is not a number",
                                "give a percentage 0–100"))
        elif isinstance(default, str) and not isinstance(value, str | int):
            issues.append(Issue(doc.path, doc.where(f"/policy/{f.name}"), f"{value!r} is not a string",
                                "quote it"))
        else:
            kwargs[f.name] = float(value) if isinstance(default, float) else (
                str(value) if isinstance(default, str) else value)
    for pct in ("majority_pct", "dominant_minority_pct"):
        if pct in kwargs and not 0 <= kwargs[pct] <= 100:
            issues.append(Issue(doc.path, doc.where(f"/policy/{pct}"), f"{kwargs[pct]} is not a percentage",
                                "give a number from 0 to 100"))
    return ControlPolicy(**{**{f.name: getattr(base, f.name) for f in fields(ControlPolicy)}, **kwargs})


def _build(doc: YamlDoc, base: YamlDoc | None, required: frozenset[str] = frozenset()) -> Params:
    """Turn checked YAML into :class:`Params`: ``doc`` alone, or ``doc`` laid over ``base``."""
    issues: list[Issue] = []
    base_values = _params(base, {}, issues) if base else {}
    types = {name: spec.get("type") for name, spec in ((base.data.get("parameters") or {}).items() if base else ())}
    values = dict(base_values)
    own = _params(doc, types, issues)
    if base is not None:
        for name in sorted(set(own) - set(base_values)):
            issues.append(Issue(doc.path, doc.where(f"/parameters/{name}"),
                                f"unknown parameter {name!r}: the packaged file has no parameter of that name",
                                "check the spelling against rules/params/cfr791d.yaml"))
    values.update(own)
    for name in sorted(required - set(values)):
        issues.append(Issue(doc.path, doc.where("/parameters"), f"parameter {name!r} is missing",
                            "define every parameter of rules/params/cfr791d.yaml, or add 'extends: cfr791d' "
                            "to give only the ones you read differently"))
    gas = {**(_gas(base, issues) if base else {}), **_gas(doc, issues)}
    policy = _policy(doc, _policy(base, ControlPolicy(), issues) if base else ControlPolicy(), issues)
    published = doc.data.get("published") or (base.data.get("published") if base else None)
    if published is None:
        issues.append(Issue(doc.path, doc.where(""), "'published' is missing",
                            "give the date of the rule text the file follows (YYYY-MM-DD)"))
    _raise(issues)
    version = f"{doc.data['id']}-{published}+{doc.data['edition']}"
    if base is not None:
        b = base.data
        version = f"{b['id']}-{b['published']}+{b['edition']}+{doc.data['id']}.{doc.data['edition']}"
    return Params(version=version, policy_version=f"{policy.name}/{policy.version}", source=doc.path,
                  _values=values, _gas=tuple(gas.values()), _policy=policy)
