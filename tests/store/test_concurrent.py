"""Two processes writing decisions at once on PostgreSQL: none is lost and the audit chain stays one chain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cvcomply.store import all_decisions, open_store, verify_audit

ROOT = Path(__file__).resolve().parents[2]
N = 40

CHILD = """
import sys, datetime as dt
from cvcomply.model import Decision
from cvcomply.store import open_store, add_decisions
url, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(url)
sys.stdin.readline()  # start together
for i in range(n):
    add_decisions(store, [Decision("nexus", who, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), f"{who} {i}",
                                   entity=f"{who}-{i}", verdict="clear")], actor=who)
print("OK", flush=True)
"""


def test_two_writers_lose_no_decision(pg_url: str) -> None:
    open_store(pg_url).close()  # migrate once before the race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, pg_url, who, str(N)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT) for who in ("alice", "bob")]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "OK"
    with open_store(pg_url) as s:
        decisions = all_decisions(s)
        assert len(decisions) == 2 * N
        assert {d.entity for d in decisions} == {f"{w}-{i}" for w in ("alice", "bob") for i in range(N)}
        check = verify_audit(s)
        assert check.ok and check.entries == 2 * N
