"""classify() and decide() computed once per *class* of components, and rendered for each component.

Why: a vehicle's components fall into few classes — same kind, type and hints; parties in the same roles
with the same nexus status, prongs and countries; the same periods — and on a 50k-component BOM the
screening spent most of its time classifying and deciding the same class again, differing only in the
names (the component's, its source's, its parties') inside reason and trace texts and in which reasons
get copied in. The memo classifies and decides a class once, as text patterns, and fills each
component's names in.

Why it is exact:
* A class is worked out twice, with two sets of placeholders (:func:`~cvcomply.rules.params.placeholder`)
  for the component's name and source, each party's name, one reason standing for the classification's
  reasons and one per party for its nexus reasons; it is used only if the runs agree
  (:func:`~cvcomply.rules.params.placeholder_runs_agree`) — then no input holds a placeholder and each
  one in the output stands exactly for its name (its repr when quoted).
* The classification's key holds everything classify() reads but the name and source: kind, type,
  hints, whether there is a source. classify() reads the *words* of a name only to infer what an
  unhinted component is; :func:`~cvcomply.rules.classify.classify_noting_name` says when it did, and
  such a class is classified component by component (its decision is still memoised).
* The decision's key holds every fact of the case decide() branches on: the classification's flags and
  reason cites (an out-of-scope outcome's rule is the first cite); the component's kind; the periods;
  whether each authorization's ``components`` filter names the component; per party its role, stated
  country, entity country and nexus status, prongs and countries. The run's constants (program,
  declarant nexus, date, vehicle scope, parameters) are fixed per memo.
* decide() does not branch on the names it puts in text (tests/rules/test_screening_memo.py checks the
  memo against classify() and decide() case by case), with three exceptions decided directly instead:
  legacy software and hints naming a designer, developer or maintainer (matched against party names),
  and a party whose quoted name contains "unknown" (foreign-interest reasons are filtered on that word).
  Names and sources holding a placeholder's opening bracket are worked out directly too.
* Rendering fills the names in and copies the real reasons in place of the placeholder reasons, and
  decides directly when the result repeats a reason: decide() drops repeats on some paths only, and on
  a repeat-free result both agree. Trace lines drop repeats as a :class:`~cvcomply.rules.params.Trace`
  does.
One memo serves one screening run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from cvcomply.model import Classification, Component, Nexus, Party, PartyResult, Program, Reason, SourceRef
from cvcomply.rules.classify import classify_noting_name
from cvcomply.rules.decide import Case, Outcome, decide
from cvcomply.rules.params import PLACEHOLDER_OPEN, Params, Trace, as_format, placeholder, placeholder_runs_agree
from cvcomply.rules.periods import Period

Decided = tuple[Outcome, tuple[str, ...]]
"""One period's outcome and the trace lines deciding it read."""

_MISSING = object()
_CLASSIFICATION = -2  # a template part standing for the classification's reasons


@cache
def _stand_ins(parties: int) -> tuple[str, ...]:
    """The run-a placeholders, quoted and bare, in field order: component name, source, each party's name."""
    bare = [placeholder("component", "a"), placeholder("source", "a"),
            *(placeholder(f"party{i}", "a") for i in range(parties))]
    return tuple(x for b in bare for x in (repr(b), b))


def _fields(component: Component, source: str, parties: Sequence[PartyResult]) -> list[str]:
    """The values of a template's fields for one component, in the order of :func:`_stand_ins`."""
    out = [repr(component.name), component.name, repr(source), source]
    for p in parties:
        out += (repr(p.party.name), p.party.name)
    return out


_SEP = "\x1f"

_Text = str | int
"""A string of a template: a constant, or the index of its pattern among the template's filled strings."""
_Part = Reason | int | tuple[_Text, _Text | None]
"""One reason of a template: kept as it is; -2 the classification's reasons, ``k`` ≥ 0 party ``k``'s nexus
reasons; or the (text, cite) of a reason that names someone."""


@dataclass(frozen=True, slots=True)
class _Texts:
    """The :meth:`str.format` patterns of a template, filled in by one call on their join."""

    patterns: tuple[str, ...]
    joined: str

    def fill(self, fields: Sequence[str]) -> list[str]:
        if not self.patterns:
            return []
        out = self.joined.format(*fields).split(_SEP)
        if len(out) != len(self.patterns):  # a name held the separator
            out = [p.format(*fields) for p in self.patterns]
        return out


class _Patterns:
    """Collects a template's strings from a placeholder run: constants stay as they are (one string shared
    by every finding), strings holding a placeholder become patterns."""

    def __init__(self, stand_ins: Sequence[str], patterns: Sequence[str] = ()) -> None:
        self.stand_ins, self.patterns = stand_ins, list(patterns)

    def text(self, s: str) -> _Text:
        if PLACEHOLDER_OPEN not in s:
            return s
        self.patterns.append(as_format(s, self.stand_ins))
        return len(self.patterns) - 1

    def reasons(self, reasons: Sequence[Reason], slots: Sequence[int]) -> tuple[_Part, ...]:
        """Parts for the reasons of a placeholder run (slot -1: a reason of its own, else what it stands for)."""
        return tuple(slot if slot != -1 else r if PLACEHOLDER_OPEN not in r.text + (r.cite or "")
                     else (self.text(r.text), None if r.cite is None else self.text(r.cite))
                     for slot, r in zip(slots, reasons, strict=True))

    def lines(self, lines: Sequence[str]) -> tuple[_Text, ...]:
        return tuple(self.text(x) for x in lines)

    def texts(self) -> _Texts:
        return _Texts(tuple(self.patterns), _SEP.join(self.patterns))


def _reasons(parts: Sequence[_Part], strings: Sequence[str], cls: Classification,
             parties: Sequence[PartyResult]) -> list[Reason]:
    out: list[Reason] = []
    for part in parts:
        if isinstance(part, Reason):
            out.append(part)
        elif isinstance(part, int):
            out += cls.reasons if part == _CLASSIFICATION else parties[part].nexus.reasons
        else:
            text, cite = part
            out.append(Reason(strings[text] if isinstance(text, int) else text,
                              strings[cite] if isinstance(cite, int) else cite))
    return out


def _lines(layout: Sequence[_Text], strings: Sequence[str]) -> tuple[str, ...]:
    """A template's trace lines filled in, repeats dropped as a Trace drops them."""
    lines = tuple([strings[x] if isinstance(x, int) else x for x in layout])
    return lines if len(set(lines)) == len(lines) else tuple(dict.fromkeys(lines))


def _shift(x: _Text, by: int) -> _Text:
    return x + by if isinstance(x, int) else x


def _shift_parts(parts: Sequence[_Part], by: int) -> tuple[_Part, ...]:
    return tuple((_shift(p[0], by), None if p[1] is None else _shift(p[1], by)) if isinstance(p, tuple) else p
                 for p in parts)


@dataclass(frozen=True, slots=True)
class _ClassTemplate:
    """classify()'s output for a class: its flags, its reasons as parts and its trace lines."""

    shape: Classification  # the flags (its reasons are the placeholder run's)
    parts: tuple[_Part, ...]
    lines: tuple[_Text, ...]
    texts: _Texts
    signature: tuple[object, ...]  # what the decision's key needs of the classification


@dataclass(frozen=True, slots=True)
class _Template:
    """decide()'s output for a class in one period: its reasons as parts and its trace lines."""

    outcome: Outcome
    parts: tuple[_Part, ...]
    lines: tuple[_Text, ...]
    texts: _Texts


@dataclass(frozen=True, slots=True)
class _Whole:
    """A class's classification and its decision in every period, all their patterns filled by one call."""

    shape: Classification
    class_parts: tuple[_Part, ...]
    class_lines: tuple[_Text, ...]
    periods: tuple[tuple[Outcome, tuple[_Part, ...], tuple[_Text, ...]], ...]
    texts: _Texts


def _signature(cls: Classification) -> tuple[object, ...]:
    return (cls.vcs_hardware, cls.covered_software, cls.unclear, cls.excluded_by, cls.legacy_conditional,
            tuple(r.cite for r in cls.reasons))


def _shape(outcome: Outcome, lines: tuple[str, ...]) -> list[str]:
    """Every string of an outcome and its trace lines, in order (to compare two placeholder runs)."""
    out = [outcome.verdict, outcome.rule or "", outcome.authorization or "", str(outcome.foreign_interest)]
    for r in outcome.reasons:
        out += [r.text, r.cite or ""]
    return out + list(lines)


class ScreeningMemo:
    """Classifies and decides the components of one screening run, once per class (see the module's doc)."""

    def __init__(self, program: Program, declarant_nexus: Nexus, as_of: dt.date, params: Params, *,
                 vehicle_in_scope: bool, scope_reasons: tuple[Reason, ...]) -> None:
        self.program, self.declarant_nexus, self.as_of, self.params = program, declarant_nexus, as_of, params
        self.vehicle_in_scope, self.scope_reasons = vehicle_in_scope, scope_reasons
        self._classes: dict[Hashable, _ClassTemplate | None] = {}
        self._decisions: dict[Hashable, tuple[_Template | None, ...]] = {}
        self._wholes: dict[Hashable, _Whole | None] = {}

    # -- the public step ------------------------------------------------------------------------------

    def screen(self, component: Component, parties: tuple[PartyResult, ...], spans: Sequence[Period]
               ) -> tuple[Classification, tuple[str, ...], list[Decided]]:
        """The classification of ``component`` with its trace lines, and its outcome in each of ``spans``.

        Equal to :func:`~cvcomply.rules.classify.classify` with a fresh trace, then
        :func:`~cvcomply.rules.decide.decide` with a fresh trace per period.
        """
        source = str(component.source) if component.source is not None else ""
        if PLACEHOLDER_OPEN in component.name or PLACEHOLDER_OPEN in source:
            cls, lines = self._classify(component)
            return cls, lines, [self._decide(component, cls, parties, p) for p in spans]
        fields = _fields(component, source, parties)
        whole = self._whole(component, parties, spans, fields)
        if whole is not None:
            return whole
        cls, lines, signature = self._classification(component, fields)
        return cls, lines, self._decide_all(component, cls, signature, parties, spans, fields)

    # -- the whole component at once (the common case) ------------------------------------------------

    def _whole(self, c: Component, parties: tuple[PartyResult, ...], spans: Sequence[Period],
               fields: Sequence[str]) -> tuple[Classification, tuple[str, ...], list[Decided]] | None:
        """Classification and decisions from one template of the component's class, or None: go step by step."""
        h = c.hints
        if h.maintained_by or h.designer or h.developer:
            return None
        classes = []
        for i, r in enumerate(parties):
            quoted = fields[4 + 2 * i]
            if "unknown" in quoted or PLACEHOLDER_OPEN in quoted:
                return None
            n = r.nexus
            classes.append((r.party.role, r.party.country, r.entity_country, n.status, n.prongs, n.countries))
        auths = self.program.authorizations
        key = (c.kind, c.type, h, c.source is None, tuple(spans),
               tuple(not a.components or any(x in a.components for x in (c.purl, c.bom_ref) if x) for a in auths)
               if auths else (), *classes)
        found = self._wholes.get(key, _MISSING)
        if found is _MISSING:
            found = self._wholes[key] = self._whole_template(c, parties, spans, fields)
        w = found if isinstance(found, _Whole) else None
        if w is None:
            return None
        strings = w.texts.fill(fields)
        s = w.shape
        cls = Classification(s.vcs_hardware, s.covered_software, tuple(_reasons(w.class_parts, strings, s, ())),
                             s.unclear, s.excluded_by, s.legacy_conditional)
        decided: list[Decided] = []
        for o, parts, lines in w.periods:
            reasons = _reasons(parts, strings, cls, parties)
            if len({r.text for r in reasons}) != len(reasons) and len(set(reasons)) != len(reasons):
                return None  # decide() drops repeats on some paths only: let it say
            decided.append((Outcome(o.verdict, o.rule, tuple(reasons), o.authorization, o.foreign_interest),
                            _lines(lines, strings)))
        return cls, _lines(w.class_lines, strings), decided

    def _whole_template(self, c: Component, parties: tuple[PartyResult, ...], spans: Sequence[Period],
                        fields: Sequence[str]) -> _Whole | None:
        ct = self._classes.get((c.kind, c.type, c.hints, c.source is None), _MISSING)
        if ct is _MISSING:
            ct = self._classes[(c.kind, c.type, c.hints, c.source is None)] = self._class_template(c)
        if not isinstance(ct, _ClassTemplate) or ct.shape.legacy_conditional:
            return None
        strings = ct.texts.fill(fields)
        cls = replace(ct.shape, reasons=tuple(_reasons(ct.parts, strings, ct.shape, ())))
        patterns = list(ct.texts.patterns)
        periods = []
        for period in spans:
            t = self._template(c, cls, parties, period)
            if t is None:
                return None
            by = len(patterns)
            patterns += t.texts.patterns
            periods.append((t.outcome, _shift_parts(t.parts, by), tuple(_shift(x, by) for x in t.lines)))
        return _Whole(ct.shape, ct.parts, ct.lines, tuple(periods), _Texts(tuple(patterns), _SEP.join(patterns)))

    # -- classification ---------------------------------------------------------------------------------

    def _classify(self, component: Component) -> tuple[Classification, tuple[str, ...]]:
        trace = Trace()
        cls, _ = classify_noting_name(component, self.program.vehicle, self.params, trace)
        return cls, tuple(trace.lines)

    def _classification(self, c: Component, fields: Sequence[str]
                        ) -> tuple[Classification, tuple[str, ...], tuple[object, ...]]:
        key = (c.kind, c.type, c.hints, c.source is None)
        found = self._classes.get(key, _MISSING)
        if found is _MISSING:
            found = self._classes[key] = self._class_template(c)
        t = found if isinstance(found, _ClassTemplate) else None
        if t is None:
            cls, lines = self._classify(c)
            return cls, lines, _signature(cls)
        s, strings = t.shape, t.texts.fill(fields)
        cls = Classification(s.vcs_hardware, s.covered_software, tuple(_reasons(t.parts, strings, s, ())),
                             s.unclear, s.excluded_by, s.legacy_conditional)
        return cls, _lines(t.lines, strings), t.signature

    def _class_template(self, c: Component) -> _ClassTemplate | None:
        runs = []
        for run in ("a", "b"):
            stand_in = replace(c, name=placeholder("component", run),
                               source=SourceRef(placeholder("source", run)) if c.source is not None else None)
            trace = Trace()
            cls, read_name = classify_noting_name(stand_in, self.program.vehicle, self.params, trace)
            if read_name:
                return None
            runs.append((cls, tuple(trace.lines)))
        (a, a_lines), (b, _) = runs
        strings = [[x for r in cls.reasons for x in (r.text, r.cite or "")] + list(lines) for cls, lines in runs]
        if _signature(a) != _signature(b) or not placeholder_runs_agree(*strings):
            return None
        patterns = _Patterns(_stand_ins(0))
        parts = patterns.reasons(a.reasons, [-1] * len(a.reasons))
        return _ClassTemplate(a, parts, patterns.lines(a_lines), patterns.texts(), _signature(a))

    # -- decision -------------------------------------------------------------------------------------

    def _case(self, component: Component, cls: Classification, parties: tuple[PartyResult, ...],
              period: Period) -> Case:
        return Case(self.program, component, cls, period, parties, self.declarant_nexus, self.as_of,
                    self.vehicle_in_scope, self.scope_reasons)

    def _decide(self, component: Component, cls: Classification, parties: tuple[PartyResult, ...],
                period: Period) -> Decided:
        trace = Trace()
        outcome = decide(self._case(component, cls, parties, period), self.params, trace)
        return outcome, tuple(trace.lines)

    def _decide_all(self, c: Component, cls: Classification, signature: tuple[object, ...],
                    parties: tuple[PartyResult, ...], spans: Sequence[Period], fields: Sequence[str]
                    ) -> list[Decided]:
        h = c.hints
        if cls.legacy_conditional or h.maintained_by or h.designer or h.developer:
            return [self._decide(c, cls, parties, p) for p in spans]
        classes = []
        for i, r in enumerate(parties):
            quoted = fields[4 + 2 * i]
            if "unknown" in quoted or PLACEHOLDER_OPEN in quoted:
                return [self._decide(c, cls, parties, p) for p in spans]
            n = r.nexus
            classes.append((r.party.role, r.party.country, r.entity_country, n.status, n.prongs, n.countries))
        auths = self.program.authorizations
        key = (signature, c.kind, tuple(spans),
               tuple(not a.components or any(x in a.components for x in (c.purl, c.bom_ref) if x) for a in auths)
               if auths else (), *classes)
        templates = self._decisions.get(key)
        if templates is None:
            templates = self._decisions[key] = tuple(self._template(c, cls, parties, p) for p in spans)
        out = []
        for period, t in zip(spans, templates, strict=True):
            decided = self._fill(t, cls, parties, fields) if t is not None else None
            out.append(decided or self._decide(c, cls, parties, period))
        return out

    @staticmethod
    def _fill(t: _Template, cls: Classification, parties: tuple[PartyResult, ...], fields: Sequence[str]
              ) -> Decided | None:
        strings = t.texts.fill(fields)
        reasons = _reasons(t.parts, strings, cls, parties)
        if len({r.text for r in reasons}) != len(reasons) and len(set(reasons)) != len(reasons):
            return None  # decide() drops repeats on some paths only: let it say
        o = t.outcome
        return Outcome(o.verdict, o.rule, tuple(reasons), o.authorization, o.foreign_interest), _lines(t.lines, strings)

    def _template(self, c: Component, cls: Classification, parties: tuple[PartyResult, ...],
                  period: Period) -> _Template | None:
        runs = []
        for run in ("a", "b"):
            # Carries the classification's first cite: an out-of-scope outcome's rule is read from it.
            marks = [Reason(placeholder("classification", run), next((r.cite for r in cls.reasons if r.cite), None))]
            stand_ins = []
            for i, p in enumerate(parties):
                mark = Reason(placeholder(f"nexus{i}", run))
                marks.append(mark)
                nexus = Nexus(p.nexus.entity, p.nexus.status, p.nexus.countries, p.nexus.prongs, reasons=(mark,))
                stand_ins.append(PartyResult(Party(p.party.role, placeholder(f"party{i}", run), p.party.country),
                                             p.match, nexus, p.entity_name, p.entity_country))
            component = replace(c, name=placeholder("component", run),
                                source=SourceRef(placeholder("source", run)) if c.source is not None else None)
            trace = Trace()
            outcome = decide(self._case(component, replace(cls, reasons=(marks[0],)), tuple(stand_ins), period),
                             self.params, trace)
            slots = tuple(next((k - 1 if k else _CLASSIFICATION for k, m in enumerate(marks) if r is m), -1)
                          for r in outcome.reasons)
            runs.append((outcome, slots, tuple(trace.lines)))
        (a, a_slots, a_lines), (b, b_slots, b_lines) = runs
        if a_slots != b_slots or not placeholder_runs_agree(_shape(a, a_lines), _shape(b, b_lines)):
            return None
        patterns = _Patterns(_stand_ins(len(parties)))
        parts = patterns.reasons(a.reasons, a_slots)
        return _Template(a, parts, patterns.lines(a_lines), patterns.texts())
