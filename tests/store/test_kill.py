"""A load killed with SIGKILL half-way (after its facts are written, before commit) leaves the previous state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from cvcomply.registry import Registry
from cvcomply.store import load_facts, load_ownership, open_store, registry_status
from tests.store.factories import facts, org, stake

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
from cvcomply.store import open_store, load_ownership
from tests.store.factories import facts, org, stake
hold = sys.argv[2] == "hold"
big = facts("owners-v2.json", *[org(f"e{i}", f"Entity {i}", "DE") for i in range(20000)],
            holdings=tuple(stake("p", f"e{i}", 1.0) for i in range(20000)) + (stake("p", "s", 5),))
def step(name):
    if hold and name == "inserted":
        print("HALF", flush=True)
        time.sleep(600)
store = open_store(sys.argv[1])
[r] = load_ownership(store, [big], step=step)
print("DONE", r.status, r.added, flush=True)
"""


def _child(url: str, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-c", CHILD, url, mode], stdout=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT)


def test_sigkill_mid_load_leaves_previous_state_and_rerun_completes(store_url: str) -> None:
    v1 = facts("owners-v1.json", org("p", "Parent Co", "CN"), org("s", "Supplier GmbH", "DE"),
               holdings=(stake("p", "s", 60),))
    with open_store(store_url) as s:
        load_ownership(s, [v1])
        before = registry_status(s)

    proc = _child(store_url, "hold")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "HALF"  # the child is inside its transaction, facts written
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    with open_store(store_url) as s:
        assert registry_status(s) == before
        assert [h.share for h in Registry.build(load_facts(s)).holdings] == [60]

    rerun = _child(store_url, "run")
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out
    assert out.split()[:2] == ["DONE", "loaded"]
    with open_store(store_url) as s:
        status = registry_status(s)
        assert len(status.sources) == 2 and status.current["entity"] == 20002
