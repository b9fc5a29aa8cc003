"""Reviewer decisions file: read as typed, append-only records; bad entries are located. Test data made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvcomply.formats.decisions import read_decisions
from cvcomply.formats.errors import InputError

GOOD = """\
cvcomply_decisions: 1
decisions:
  - kind: match
    party: "Acme Telematik"
    country: de
    entity: e-1
    verdict: confirm
    by: j.doe@example.com
    at: 2026-10-01T09:30:00Z
    why: "registration certificate"
  - {kind: nexus, entity: e-2, verdict: clear, by: a, at: 2026-10-02, why: "control analysis memo"}
  - {kind: direction, entity: e-3, country: CN, by: a, at: "2026-10-03 10:00", why: "advisory opinion"}
"""


def test_good_decisions(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(GOOD)
    m, n, d = read_decisions(str(p))
    assert (m.kind, m.party, m.country, m.entity, m.verdict) == ("match", "Acme Telematik", "DE", "e-1", "confirm")
    assert m.at == dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
    assert (n.kind, n.verdict, n.at.date()) == ("nexus", "clear", dt.date(2026, 10, 2))
    assert (d.kind, d.country) == ("direction", "CN")
    assert m.source is not None and m.source.pointer == "/decisions/0"


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("{kind: match, entity: e, verdict: confirm, by: a, at: 2026-01-01, why: w}", "'party' is a required"),
        ("{kind: match, party: p, entity: e, verdict: covered, by: a, at: 2026-01-01, why: w}", "is not one of"),
        ("{kind: nexus, entity: e, verdict: clear, by: a, at: 2026-01-01}", "'why' is a required"),
        ("{kind: vibes, entity: e, by: a, at: 2026-01-01, why: w}", "'vibes' is not one of"),
        ("{kind: direction, entity: e, by: a, at: 2026-01-01, why: w}", "'country' is a required"),
    ],
)
def test_bad_decision_is_located(tmp_path: Path, entry: str, says: str) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(f"cvcomply_decisions: 1\ndecisions:\n  - {entry}\n")
    with pytest.raises(InputError) as e:
        read_decisions(str(p))
    assert any(i.location.startswith("/decisions/0") and says in i.message for i in e.value.issues), e.value.issues


def test_not_a_decisions_file(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("decisions: []\n")
    with pytest.raises(InputError, match="cvcomply_decisions"):
        read_decisions(str(p))
