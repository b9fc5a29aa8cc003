"""Deferrable fields: a stand-in given for a field's value is worked out once, on first read, and every way of
reading the object sees the value, never the stand-in (model/common.py).

The data is made by this test (a hand-built finding; the bundled example program, which is invented).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from pathlib import Path

import pytest

from cvcomply.model import Classification, Component, Finding, Reason
from cvcomply.model.common import Deferred, later, settled
from cvcomply.screen import screen

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aurora" / "program.yaml"


class Counted(Deferred):
    """Gives fixed values per field and counts how often it was asked."""

    __slots__ = ("asked", "values")

    def __init__(self, values: dict[str, object]) -> None:
        self.asked: list[str] = []
        self.values = values

    def value(self, field: str) -> object:
        self.asked.append(field)
        return self.values[field]


REASONS = (Reason("made late (test)", "RULE.md §3"),)
TRACE = ("line one (test)", "line two (test)")
UNIT = Component(bom_ref="c1", name="Unit", kind="hardware", type="device")


def _finding(texts: Deferred) -> Finding:
    cls = Classification(True, False, later(texts))
    return Finding("f1", UNIT, 2027, cls, (), "prohibited", "15 CFR 791.302", later(texts), later(texts))


def _raw(obj: object, field: str) -> object:
    """What the slot holds, past the deferring descriptor (white box)."""
    return type(obj).__dict__[field].slot.__get__(obj, type(obj))


def test_a_stand_in_is_worked_out_on_first_read_and_once() -> None:
    texts = Counted({"reasons": REASONS, "trace": TRACE})
    f = _finding(texts)
    assert isinstance(_raw(f, "reasons"), Deferred) and texts.asked == []
    assert f.reasons == REASONS and f.reasons is f.reasons
    assert f.trace == TRACE
    assert f.classification.reasons == REASONS
    assert texts.asked == ["reasons", "trace", "reasons"]  # each field once, by its own name
    assert _raw(f, "reasons") == REASONS and _raw(f, "trace") == TRACE


@pytest.mark.parametrize("how", ["eq", "hash", "repr", "replace", "pickle", "copy", "deepcopy", "asdict"])
def test_every_way_of_reading_the_object_sees_the_value(how: str) -> None:
    plain = Finding("f1", UNIT, 2027,
                    Classification(True, False, REASONS), (), "prohibited", "15 CFR 791.302", REASONS, TRACE)
    f = _finding(Counted({"reasons": REASONS, "trace": TRACE}))
    if how == "eq":
        assert f == plain and plain == f
    elif how == "hash":
        assert hash(f) == hash(plain)
    elif how == "repr":
        assert repr(f) == repr(plain) and "Counted" not in repr(f)
    elif how == "replace":
        assert dataclasses.replace(f, verdict="exempt") == dataclasses.replace(plain, verdict="exempt")
    elif how == "pickle":
        assert pickle.loads(pickle.dumps(f)) == plain
    elif how in ("copy", "deepcopy"):
        assert (copy.copy(f) if how == "copy" else copy.deepcopy(f)) == plain
    else:
        assert dataclasses.asdict(f) == dataclasses.asdict(plain)


def test_deferrable_fields_stay_frozen_and_plain_values_pass_through() -> None:
    f = _finding(Counted({"reasons": REASONS, "trace": TRACE}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.reasons = ()  # type: ignore[misc]
    assert [x.name for x in dataclasses.fields(Finding)][7:9] == ["reasons", "trace"]
    assert settled(REASONS, "reasons") is REASONS
    assert settled(Counted({"trace": TRACE}), "trace") == TRACE


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the bundled example is missing")
def test_a_screening_defers_the_texts_and_they_read_as_texts() -> None:
    report = screen(str(EXAMPLE))
    deferred = [f for f in report.findings if isinstance(_raw(f, "reasons"), Deferred)]
    assert len(deferred) > len(report.findings) / 2  # the memo's whole templates: texts made when read
    for f in report.findings:
        assert f.reasons and all(isinstance(r, Reason) for r in f.reasons)
        assert f.trace and all(isinstance(line, str) for line in f.trace)
        assert all(isinstance(r, Reason) for r in f.classification.reasons)
        assert not isinstance(_raw(f, "reasons"), Deferred) and not isinstance(_raw(f, "trace"), Deferred)
    # Each component's name is in its own texts, not in another's.
    for f in deferred:
        named = [r.text for r in (*f.reasons, *f.classification.reasons) if repr(f.component.name) in r.text]
        others = {g.component.name for g in report.findings} - {f.component.name}
        assert not any(repr(o) in t for t in named for o in others if o not in f.component.name)
