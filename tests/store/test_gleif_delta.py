"""GLEIF files through ``registry load``: streamed, and delta files change existing facts keeping history.

The GLEIF XML is written by the project's own generators (tests/formats/test_gleif.py: invented LEIs).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
from typer.testing import CliRunner

from cvcomply.cli import app
from cvcomply.registry import Registry
from cvcomply.store import load_facts, open_store, registry_status
from cvcomply.store.backends import utc_now
from tests.formats.test_gleif import CHILD, PARENT, lei_xml, repex_xml, rr_xml


def _load(url: str, path: Path, data: bytes) -> dict[str, int]:
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["registry", "load", str(path), "--database", url, "--json"])
    assert result.exit_code == 0, result.output
    [r] = orjson.loads(result.stdout)
    return {k: r[k] for k in ("added", "updated", "closed", "unchanged")}


def test_golden_copy_then_deltas_update_and_end_facts_keeping_history(store_url: str, tmp_path: Path) -> None:
    golden = lei_xml((CHILD, "Child Components GmbH", "DE", "DE"), (PARENT, "Parent Holdings Co., Ltd.", "CN", "CN"))
    assert _load(store_url, tmp_path / "lei-golden.xml", golden)["added"] == 2
    assert _load(store_url, tmp_path / "rr-golden.xml", rr_xml(CHILD, PARENT))["added"] == 1
    before = utc_now()

    # a delta LEI file restates the child with a new jurisdiction; the parent is not in it and stays as it was
    delta = lei_xml((CHILD, "Child Components GmbH", "AT", "AT"))
    assert _load(store_url, tmp_path / "lei-delta.xml", delta) == {"added": 0, "updated": 1, "closed": 0,
                                                                   "unchanged": 0}
    # a delta relationship file: the consolidation ended
    ended = rr_xml(CHILD, PARENT, end="2026-06-30", status="INACTIVE")
    assert _load(store_url, tmp_path / "rr-delta.xml", ended)["updated"] == 1

    with open_store(store_url) as store:
        now = Registry.build(load_facts(store))
        then = Registry.build(load_facts(store, known_at=before))
        status = registry_status(store)
    assert now.get(CHILD).jurisdiction == "AT" and then.get(CHILD).jurisdiction == "DE"  # type: ignore[union-attr]
    assert now.get(PARENT).jurisdiction == "CN"  # type: ignore[union-attr]
    [h] = now.holdings
    assert (h.holder, h.subject, h.end) == (PARENT, CHILD, dt.date(2026, 6, 30))
    assert then.holdings[0].end is None
    assert status.historic == 2 and status.current == {"entity": 2, "holding": 1}


def test_a_reporting_exception_file_does_not_replace_the_lei_record(store_url: str, tmp_path: Path) -> None:
    _load(store_url, tmp_path / "lei.xml", lei_xml((CHILD, "Child Components GmbH", "DE", "DE")))
    assert _load(store_url, tmp_path / "repex.xml", repex_xml(CHILD, "NON_PUBLIC"))["added"] == 1
    with open_store(store_url) as store:
        child = Registry.build(load_facts(store)).get(CHILD)
    assert child is not None and child.name == "Child Components GmbH" and child.jurisdiction == "DE"
    assert child.ownership_withheld and "NON_PUBLIC" in child.ownership_withheld  # merged by the LEI
