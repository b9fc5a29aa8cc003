"""classify() and decide() computed once per *class* of components, and rendered for each component.

Why: a vehicle's components fall into few classes — same kind, type and hints; parties in the same roles
with the same nexus status, prongs, countries and foreign holders; the same periods — and on a
50k-component BOM the screening spent most of its time classifying and deciding the same class again,
differing only in the names (the component's, its source's, its parties') inside reason and trace texts
and in which reasons get copied in. The memo classifies and decides a class once, as text patterns, and
fills each component's names in.

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
  country, entity country and nexus status, prongs, countries, foreign holders' countries and history (the
  interests not in force, traced as such). The run's
  constants (program, declarant nexus, date, vehicle scope, parameters) are fixed per memo.
* decide() does not branch on the names it puts in text (tests/rules/test_screening_memo.py checks the
  memo against classify() and decide() case by case), with two exceptions decided directly instead:
  legacy software, and hints naming a designer, developer or maintainer (matched against party names).
  Names and sources holding a placeholder's opening bracket are worked out directly too.
* Rendering fills the names in and copies the real reasons in place of the placeholder reasons, and
  decides directly when the result repeats a reason: decide() drops repeats on some paths only, and on
  a repeat-free result both agree. Trace lines drop repeats as a :class:`~cvcomply.rules.params.Trace`
  does.
Texts are made when read: where a component's class has a whole template, :meth:`ScreeningMemo.screen`
decides it (verdict, rule, authorization, foreign interest, classification flags) and hands stand-ins for
its texts (:class:`_Rendering`, :class:`_PeriodTexts`), which the Classification's and Finding's
``deferrable`` fields (model/common.py) work out on first read — a report whose texts nobody reads (an exit
code, a summary) never makes them. What they make is what rendering at once made, repeats included.

One memo serves one screening run; the findings it made keep it alive until their texts are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from operator import attrgetter, itemgetter
from string import Formatter

from cvcomply.model import Classification, Component, Nexus, Party, PartyResult, Program, Reason, SourceRef
from cvcomply.model.common import Deferred, later
from cvcomply.rules.classify import classify_noting_name
from cvcomply.rules.decide import Case, Outcome, decide
from cvcomply.rules.params import PLACEHOLDER_OPEN, Params, Trace, as_format, placeholder, placeholder_runs_agree
from cvcomply.rules.periods import Period

Decided = tuple[Outcome, tuple[Reason, ...], tuple[str, ...]]
"""One period's outcome, its reasons, and its finding's trace (the scope's lines, the classification's, the
decision's). Read the reasons from here, not from the outcome: an outcome a whole class shares has none.
The reasons and trace may be one stand-in for both (a :class:`~cvcomply.model.common.Deferred`): a
Finding's fields work it out when read; elsewhere read them with :func:`~cvcomply.model.common.settled`."""

_MISSING = object()
_TEXT = attrgetter("text")
_CLASSIFICATION = -2  # a template part standing for the classification's reasons


@cache
def _stand_ins(parties: int) -> tuple[str, ...]:
    """The run-a placeholders, quoted and bare, in field order: component name, source, each party's name."""
    bare = [placeholder("component", "a"), placeholder("source", "a"),
            *(placeholder(f"party{i}", "a") for i in range(parties))]
    return tuple(x for b in bare for x in (repr(b), b))


_SEP = "\x1f"

_Text = str | int
"""A string of a template: a constant, or the index of its pattern among the template's filled strings."""
_Part = Reason | int | tuple[_Text, _Text | None]
"""One reason of a template: kept as it is; -2 the classification's reasons, ``k`` ≥ 0 party ``k``'s nexus
reasons; or the (text, cite) of a reason that names someone."""


@dataclass(frozen=True, slots=True)
class _Texts:
    """The :meth:`str.format` patterns of a template, filled in by one call on their join.

    The join is kept as a printf-style pattern with its fields in order (``%`` parses faster than
    :meth:`str.format`, and this runs once per component).
    """

    patterns: tuple[str, ...]
    printf: str
    args: Callable[[Sequence[str]], tuple[str, ...]]

    @staticmethod
    def of(patterns: Sequence[str]) -> _Texts:
        parts = [_printf(p) for p in patterns]
        order = [i for _, fields in parts for i in fields]
        return _Texts(tuple(patterns), _SEP.join(p for p, _ in parts), _picker(order))  # type: ignore[arg-type]

    def fill(self, fields: Sequence[str]) -> list[str]:
        if not self.patterns:
            return []
        out = (self.printf % self.args(fields)).split(_SEP)
        if len(out) != len(self.patterns):  # a name held the separator
            out = [p.format(*fields) for p in self.patterns]
        return out


@lru_cache(maxsize=8192)  # bounded: a long-running service screens many programs
def _printf(pattern: str) -> tuple[str, tuple[int, ...]]:
    """A :meth:`str.format` pattern as a printf-style one and the fields it takes, in order (a pattern recurs
    in many templates, so each is converted once)."""
    printf, order = [], []
    for literal, field, spec, conversion in Formatter().parse(pattern):
        printf.append(literal.replace("%", "%%"))
        if field is not None:
            assert not spec and not conversion, "as_format makes bare positional fields only"
            printf.append("%s")
            order.append(int(field))
    return "".join(printf), tuple(order)


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
        return _Texts.of(self.patterns)


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


@dataclass(frozen=True, slots=True)
class _ClassTemplate:
    """classify()'s output for a class: its flags, its reasons as parts and its trace lines."""

    shape: Classification  # the flags (its reasons are the placeholder run's)
    parts: tuple[_Part, ...]
    lines: tuple[_Text, ...]
    texts: _Texts
    signature: tuple[object, ...]  # what the decision's key needs of the classification
    repeat: bool  # whether two trace lines could turn out equal once filled in (see _could_repeat)


@dataclass(frozen=True, slots=True)
class _Template:
    """decide()'s output for a class in one period: its reasons as parts and its trace lines."""

    outcome: Outcome
    parts: tuple[_Part, ...]
    lines: tuple[_Text, ...]
    texts: _Texts
    repeat: bool  # whether two trace lines could turn out equal once filled in (see _could_repeat)


Pick = Callable[[Sequence[object]], tuple[object, ...]]


def _picker(positions: Sequence[int]) -> Pick:
    """The items at ``positions`` of a sequence, as a tuple (one C call for two or more)."""
    if len(positions) >= 2:
        return itemgetter(*positions)  # a tuple for two or more positions
    if positions:
        only = positions[0]
        return lambda pool: (pool[only],)
    return lambda pool: ()


def _ends(pattern: str) -> tuple[str, str]:
    """The literal text before the first field and after the last field of a format pattern."""
    parsed = list(Formatter().parse(pattern))
    tail = parsed[-1][0] if parsed and parsed[-1][1] is None else ""
    return (parsed[0][0] if parsed else ""), tail


def _could_repeat(lines: Sequence[_Text], patterns: Sequence[str]) -> bool:
    """Whether two of ``lines`` could ever be equal once filled in (then repeats must be dropped).

    Only a line with a field can turn out equal to another: it needs the other's start to agree with its
    literal prefix and the other's end with its literal suffix. A necessary condition, so False is sure.
    """
    ends = [_ends(patterns[x]) if isinstance(x, int) else None for x in lines]
    for i, e in enumerate(ends):
        if e is None:
            continue
        pre, suf = e
        for j, other in enumerate(lines):
            if j == i:
                continue
            f = ends[j]
            if f is None:
                assert isinstance(other, str)
                if other.startswith(pre) and other.endswith(suf) and len(other) >= len(pre) + len(suf):
                    return True
            elif (pre.startswith(f[0]) or f[0].startswith(pre)) and (suf.endswith(f[1]) or f[1].endswith(suf)):
                return True
    return False


@dataclass(frozen=True, slots=True)
class _Period:
    """One period of a :class:`_Whole`: the outcome's constants, its reasons, the finding's trace."""

    outcome: Outcome
    reasons: tuple[int | Pick, ...]  # -2 the classification's reasons, k party k's, else a pick of made reasons
    trace: Pick  # from the pool: the scope's lines, the classification's, this period's
    parts: tuple[int, int] | None  # (scope lines, classification lines) when repeats must be dropped part by part


@dataclass(frozen=True, slots=True)
class _Whole:
    """A class's classification and its decision in every period, rendered with a few C calls.

    The *pool* of one component is its filled patterns followed by ``constants``; ``made`` says which pool
    strings make the (text, cite) of each reason that names someone; reasons are then picked from the made
    reasons followed by ``constant_reasons``.
    """

    shape: Classification
    texts: _Texts
    constants: list[object]
    made: tuple[tuple[int, int], ...]
    constant_reasons: list[Reason]
    class_reasons: Pick
    periods: tuple[_Period, ...]


class _Plan:
    """Builds a :class:`_Whole`: lays out the strings and reasons of a class's templates in pools."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = list(patterns)
        self.constants: list[object] = []
        self.made: list[tuple[int, int]] = []
        self.constant_reasons: list[Reason] = []

    def string(self, x: _Text | None, offset: int) -> int:
        if isinstance(x, int):
            return x + offset
        self.constants.append(x)
        return -len(self.constants)  # resolved once the patterns are all known (see pool)

    def reason(self, part: _Part, offset: int) -> int:
        """Position among made reasons (≥ 0) or constant reasons (< 0, resolved in ``reason_pool``)."""
        if isinstance(part, Reason):
            self.constant_reasons.append(part)
            return -len(self.constant_reasons)
        assert isinstance(part, tuple)
        self.made.append((self.string(part[0], offset), self.string(part[1], offset)))
        return len(self.made) - 1

    def pool(self, position: int) -> int:
        return position if position >= 0 else len(self.patterns) - 1 - position

    def reason_pool(self, position: int) -> int:
        return position if position >= 0 else len(self.made) - 1 - position


def _signature(cls: Classification) -> tuple[object, ...]:
    return (cls.vcs_hardware, cls.covered_software, cls.unclear, cls.excluded_by, cls.legacy_conditional,
            tuple(r.cite for r in cls.reasons))


def _shape(outcome: Outcome, lines: tuple[str, ...]) -> list[str]:
    """Every string of an outcome and its trace lines, in order (to compare two placeholder runs)."""
    out = [outcome.verdict, outcome.rule or "", outcome.authorization or "", str(outcome.foreign_interest)]
    for r in outcome.reasons:
        out += [r.text, r.cite or ""]
    return out + list(lines)


def _fields(c: Component, parties: Sequence[PartyResult]) -> list[str]:
    """The names a component's templates take, in the order of :func:`_stand_ins`."""
    source = str(c.source) if c.source is not None else ""
    fields = [repr(c.name), c.name, repr(source), source]
    for r in parties:
        fields += (repr(r.party.name), r.party.name)
    return fields


class _Rendering(Deferred):
    """One component's texts from its class's :class:`_Whole`, made when first read: the filled patterns,
    the reasons that name someone, and the classification's reasons (it stands in for those)."""

    __slots__ = ("_pools", "component", "memo", "parties", "spans", "whole")

    def __init__(self, memo: ScreeningMemo, whole: _Whole, component: Component, parties: tuple[PartyResult, ...],
                 spans: tuple[Period, ...]) -> None:
        self.memo, self.whole, self.component, self.parties, self.spans = memo, whole, component, parties, spans
        self._pools: tuple[list[object], list[Reason], tuple[Reason, ...]] | None = None

    def pools(self) -> tuple[list[object], list[Reason], tuple[Reason, ...]]:
        """(strings, reasons, the classification's reasons) the periods pick from."""
        if self._pools is None:
            w = self.whole
            pool: list[object] = [*w.texts.fill(_fields(self.component, self.parties)), *w.constants]
            made = [Reason(pool[t], pool[ct]) for t, ct in w.made]  # type: ignore[arg-type]
            reasons = made + w.constant_reasons
            class_reasons: tuple[Reason, ...] = w.class_reasons(reasons)  # type: ignore[assignment]
            self._pools = (pool, reasons, class_reasons)
        return self._pools

    def value(self, field: str) -> tuple[Reason, ...]:
        return self.pools()[2]


class _PeriodTexts(Deferred):
    """Stands in for one period's reasons and trace of a :class:`_Rendering`'s component."""

    __slots__ = ("_done", "index", "texts")

    def __init__(self, texts: _Rendering, index: int) -> None:
        self.texts, self.index = texts, index
        self._done: tuple[tuple[Reason, ...], tuple[str, ...]] | None = None

    def value(self, field: str) -> tuple[object, ...]:
        if self._done is None:
            t = self.texts
            self._done = t.memo._rendered(t.whole, t, self.index)
        return self._done[0] if field == "reasons" else self._done[1]


class ScreeningMemo:
    """Classifies and decides the components of one screening run, once per class (see the module's doc)."""

    def __init__(self, program: Program, declarant_nexus: Nexus, as_of: dt.date, params: Params, *,
                 vehicle_in_scope: bool, scope_reasons: tuple[Reason, ...], scope_lines: tuple[str, ...] = ()) -> None:
        self.program, self.declarant_nexus, self.as_of, self.params = program, declarant_nexus, as_of, params
        self.vehicle_in_scope, self.scope_reasons, self.scope_lines = vehicle_in_scope, scope_reasons, scope_lines
        self._classes: dict[Hashable, _ClassTemplate | None] = {}
        self._decisions: dict[Hashable, tuple[_Template | None, ...]] = {}
        self._wholes: dict[Hashable, _Whole | None] = {}

    # -- the public step ------------------------------------------------------------------------------

    def screen(self, component: Component, parties: tuple[PartyResult, ...], spans: tuple[Period, ...]
               ) -> tuple[Classification, list[Decided]]:
        """The classification of ``component``, and its outcome and finding trace in each of ``spans``.

        Equal to :func:`~cvcomply.rules.classify.classify` with a fresh trace, then
        :func:`~cvcomply.rules.decide.decide` with a fresh trace per period; each period's trace is the
        scope's lines, the classification's and the decision's. Where the component's class has a whole
        template, the texts are not made here: the classification's reasons and each period's reasons and
        trace are stand-ins (:class:`~cvcomply.model.common.Deferred`) that a Classification's or Finding's
        fields work out when first read (:func:`~cvcomply.model.common.settled` reads them elsewhere).
        """
        src = component.source
        if PLACEHOLDER_OPEN in component.name or (src is not None and (
                PLACEHOLDER_OPEN in src.file or PLACEHOLDER_OPEN in src.pointer)):  # as str(src) would hold it
            cls, lines = self._classify(component)
            return cls, [self._decide(component, cls, parties, p, lines) for p in spans]
        h = component.hints
        whole = not (h.maintained_by or h.designer or h.developer)  # hints naming parties: decide directly
        classes: list[tuple[object, ...]] = []
        for r in parties:
            party = r.party
            if PLACEHOLDER_OPEN in party.name:  # so in its repr too
                whole = False
                break
            n = r.nexus
            classes.append((party.role, party.country, r.entity_country, n.status, n.prongs, n.countries,
                            n.foreign_holders, n.history))
        done = self._whole(component, parties, spans, classes) if whole else None
        if done is not None:
            return done
        fields = _fields(component, parties)
        cls, lines, signature = self._classification(component, fields)
        return cls, self._decide_all(component, cls, signature, parties, spans, fields, lines,
                                     classes if whole else None)

    # -- the whole component at once (the common case) ------------------------------------------------

    def _whole(self, c: Component, parties: tuple[PartyResult, ...], spans: tuple[Period, ...],
               classes: list[tuple[object, ...]]) -> tuple[Classification, list[Decided]] | None:
        """Classification and decisions from one template of the component's class, their texts deferred; or
        None: go step by step."""
        key = (c.kind, c.type, c.hints, c.source is None, tuple(spans),
               self._authorized(c) if self.program.authorizations else (), *classes)
        found = self._wholes.get(key, _MISSING)
        if found is _MISSING:
            found = self._wholes[key] = self._whole_template(c, parties, spans, key[5:])
        if found is None:
            return None
        w: _Whole = found  # type: ignore[assignment]
        texts = _Rendering(self, w, c, parties, spans)
        s = w.shape
        cls = Classification(s.vcs_hardware, s.covered_software, later(texts), s.unclear, s.excluded_by,
                             s.legacy_conditional)
        decided: list[Decided] = []
        for i, p in enumerate(w.periods):
            period = later(_PeriodTexts(texts, i))
            decided.append((p.outcome, period, period))
        return cls, decided

    def _rendered(self, w: _Whole, texts: _Rendering, index: int) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
        """Period ``index``'s reasons and trace for the component ``texts`` renders (see :class:`_Rendering`)."""
        pool, reasons_pool, cls_reasons = texts.pools()
        p = w.periods[index]
        if len(p.reasons) == 1 and not isinstance(p.reasons[0], int):
            reasons: tuple[Reason, ...] = p.reasons[0](reasons_pool)  # type: ignore[assignment]
        else:
            gathered: list[Reason] = []
            for seg in p.reasons:
                if isinstance(seg, int):
                    gathered += cls_reasons if seg == _CLASSIFICATION else texts.parties[seg].nexus.reasons
                else:
                    gathered += seg(reasons_pool)  # type: ignore[arg-type]
            reasons = tuple(gathered)
        if len(set(map(_TEXT, reasons))) != len(reasons) and len(set(reasons)) != len(reasons):
            # decide() drops repeats on some paths only: let it say. Only its texts can differ from the
            # template's (what it decides does not depend on names), and the finding already holds those.
            c, parties = texts.component, texts.parties
            cls, lines, _ = self._classification(c, _fields(c, parties))
            outcome, direct_reasons, direct_trace = self._decide(c, cls, parties, texts.spans[index], lines)
            if replace(outcome, reasons=()) != p.outcome:
                raise AssertionError(f"memo: {c.name!r} decided apart gives {outcome}, its class {p.outcome}")
            return direct_reasons, direct_trace
        trace: tuple[str, ...] = p.trace(pool)  # type: ignore[assignment]
        if p.parts is not None and len(set(trace)) != len(trace):
            a, b = p.parts
            trace = (*trace[:a], *dict.fromkeys(trace[a:a + b]), *dict.fromkeys(trace[a + b:]))
        return reasons, trace

    def _authorized(self, c: Component) -> tuple[bool, ...]:
        """Whether each authorization's ``components`` filter takes the component in."""
        auths = self.program.authorizations
        return tuple(not a.components or any(x in a.components for x in (c.purl, c.bom_ref) if x)
                     for a in auths) if auths else ()

    def _templates(self, c: Component, cls: Classification, signature: tuple[object, ...],
                   parties: tuple[PartyResult, ...], spans: Sequence[Period], rest: tuple[object, ...]
                   ) -> tuple[_Template | None, ...]:
        """decide()'s templates for the class in every period; ``rest`` is the key's authorization flags and
        party classes (shared by every classification with the same flags and cites)."""
        key = (signature, c.kind, tuple(spans), *rest)
        templates = self._decisions.get(key)
        if templates is None:
            templates = self._decisions[key] = tuple(self._template(c, cls, parties, p) for p in spans)
        return templates

    def _whole_template(self, c: Component, parties: tuple[PartyResult, ...], spans: Sequence[Period],
                        rest: tuple[object, ...]) -> _Whole | None:
        ct = self._classes.get((c.kind, c.type, c.hints, c.source is None), _MISSING)
        if ct is _MISSING:
            ct = self._classes[(c.kind, c.type, c.hints, c.source is None)] = self._class_template(c)
        if not isinstance(ct, _ClassTemplate) or ct.shape.legacy_conditional:
            return None
        cls = replace(ct.shape, reasons=tuple(_reasons(ct.parts, ct.texts.fill(_fields(c, parties)), ct.shape, ())))
        templates = self._templates(c, cls, ct.signature, parties, spans, rest)
        if any(t is None for t in templates):
            return None
        offsets, patterns = [], list(ct.texts.patterns)
        for t in templates:
            assert t is not None
            offsets.append(len(patterns))
            patterns += t.texts.patterns
        plan = _Plan(patterns)
        class_reasons = [plan.reason(part, 0) for part in ct.parts]
        scope = [plan.string(x, 0) for x in self.scope_lines]
        class_lines = [plan.string(x, 0) for x in ct.lines]
        periods = []
        for t, offset in zip(templates, offsets, strict=True):
            assert t is not None
            segments: list[int | list[int]] = []
            for part in t.parts:
                if isinstance(part, int):
                    segments.append(part)
                elif segments and isinstance(segments[-1], list):
                    segments[-1].append(plan.reason(part, offset))
                else:
                    segments.append([plan.reason(part, offset)])
            lines = [plan.string(x, offset) for x in t.lines]
            repeat = ct.repeat or t.repeat
            periods.append((t.outcome, segments, scope + class_lines + lines,
                            (len(scope), len(class_lines)) if repeat else None))
        return _Whole(
            shape=ct.shape, texts=_Texts.of(patterns), constants=plan.constants,
            made=tuple((plan.pool(t), plan.pool(c)) for t, c in plan.made),
            constant_reasons=plan.constant_reasons,
            class_reasons=_picker([plan.reason_pool(x) for x in class_reasons]),
            periods=tuple(_Period(o, tuple(seg if isinstance(seg, int) else _picker([plan.reason_pool(x) for x in seg])
                                           for seg in segments), _picker([plan.pool(x) for x in trace]), parts)
                          for o, segments, trace, parts in periods))

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
        lines = patterns.lines(a_lines)
        return _ClassTemplate(a, parts, lines, patterns.texts(), _signature(a),
                              _could_repeat(lines, patterns.patterns))

    # -- decision -------------------------------------------------------------------------------------

    def _case(self, component: Component, cls: Classification, parties: tuple[PartyResult, ...],
              period: Period) -> Case:
        return Case(self.program, component, cls, period, parties, self.declarant_nexus, self.as_of,
                    self.vehicle_in_scope, self.scope_reasons)

    def _decide(self, component: Component, cls: Classification, parties: tuple[PartyResult, ...],
                period: Period, class_lines: tuple[str, ...]) -> Decided:
        trace = Trace()
        outcome = decide(self._case(component, cls, parties, period), self.params, trace)
        return outcome, outcome.reasons, (*self.scope_lines, *class_lines, *trace.lines)

    def _decide_all(self, c: Component, cls: Classification, signature: tuple[object, ...],
                    parties: tuple[PartyResult, ...], spans: Sequence[Period], fields: Sequence[str],
                    class_lines: tuple[str, ...], classes: list[tuple[object, ...]] | None) -> list[Decided]:
        """Each period decided from the templates of the component's class; ``classes`` are the parties' parts
        of the key as :meth:`screen` gathered them (None: hints name parties, or a party's name must be decided
        directly); legacy software is decided directly too."""
        if classes is None or cls.legacy_conditional:
            return [self._decide(c, cls, parties, p, class_lines) for p in spans]
        templates = self._templates(c, cls, signature, parties, spans, (self._authorized(c), *classes))
        out = []
        for period, t in zip(spans, templates, strict=True):
            decided = self._fill(t, cls, parties, fields) if t is not None else None
            if decided is None:
                out.append(self._decide(c, cls, parties, period, class_lines))
            else:
                out.append((decided[0], decided[1], (*self.scope_lines, *class_lines, *decided[2])))
        return out

    @staticmethod
    def _fill(t: _Template, cls: Classification, parties: tuple[PartyResult, ...], fields: Sequence[str]
              ) -> Decided | None:
        strings = t.texts.fill(fields)
        reasons = _reasons(t.parts, strings, cls, parties)
        if len(set(map(_TEXT, reasons))) != len(reasons) and len(set(reasons)) != len(reasons):
            return None  # decide() drops repeats on some paths only: let it say
        o = t.outcome
        return o, tuple(reasons), _lines(t.lines, strings)

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
                nexus = Nexus(p.nexus.entity, p.nexus.status, p.nexus.countries, p.nexus.prongs, reasons=(mark,),
                              history=p.nexus.history, foreign_holders=p.nexus.foreign_holders)
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
        lines = patterns.lines(a_lines)
        return _Template(replace(a, reasons=()), parts, lines, patterns.texts(),  # reasons are rendered per case
                         _could_repeat(lines, patterns.patterns))
