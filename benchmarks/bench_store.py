"""Load a generated registry (default 1M entities + 2M holdings) into each store backend; then screen against it.

Generated data (made by this script, not third-party). For each backend (DuckDB file, and PostgreSQL when
``CVCOMPLY_BENCH_PG_URL`` or ``CVCOMPLY_TEST_PG_URL`` names a server; a fresh schema is used and dropped)
it prints: the load time through ``load_ownership`` with the facts streamed from a generator (staging in
chunks by bulk scan/COPY, supersede, insert, one transaction), rows/s and the peak RSS right after it (the
load's memory is bounded by the chunk, not the registry); the baseline measured in the same run — staging
the same rows alone, without versioning (the floor of any load into that backend) — and the ratio; the
reload time of the same content (idempotent: nothing happens); the time to read the registry back
(``load_facts`` + ``Registry.build``; this holds every fact in memory, so RSS grows here); and a small
program (200 components naming registry entities) screened against the loaded registry.

    python -m benchmarks.bench_store [--quick] [--entities N] [--holdings M] [--backend duckdb|postgres|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cvcomply.model import Entity, Holding, OwnershipFacts, SourceRef
from cvcomply.registry import Registry
from cvcomply.store import load_facts, load_ownership, open_store

COUNTRIES = ["US", "DE", "JP", "KR", "MX", "GB", "CN", "HK", "RU", "KY", "SG", "FR"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_registry(n: int, m: int, seed: int = 7) -> tuple[OwnershipFacts, Iterator[Entity | Holding]]:
    """A source header and a generator of its facts (never all in memory at once, as a streaming reader)."""

    def facts() -> Iterator[Entity | Holding]:
        rng = random.Random(seed)
        for i in range(n):
            yield Entity(f"e{i}", f"Generated Company {i} Ltd.", jurisdiction=COUNTRIES[i % len(COUNTRIES)],
                         identifiers=(("lei", f"GEN{i:017d}"),), sources=(SourceRef("generated", f"/{i}", f"e{i}"),))
        for i in range(m):
            yield Holding(f"e{rng.randrange(n)}", f"e{i % n}", "shareholding",
                          share=float(rng.choice((10, 30, 60, 100))), start=dt.date(2000 + i // n, 1, 1),
                          source=SourceRef("generated", f"/h{i}", f"h{i}"))

    header = OwnershipFacts(source="generated.json", format="generated", sha256=secrets.token_hex(32))
    return header, facts()


def screen_small(facts: list[OwnershipFacts]) -> str:
    try:
        from cvcomply.model import Component, Declarant, Party, Program, Vehicle
        from cvcomply.model.bom import Bom, Hints
        from cvcomply.rules.params import Params
        from cvcomply.screen import load_knowledge, screen_program
    except ImportError as e:
        return f"screening skipped (pipeline not importable: {e})"
    params = Params.load(None)
    comps = tuple(Component(f"c{i}", f"TCU {i}", "hardware", "device", parties=(
        Party("supplier", f"Generated Company {i * 37} Ltd."),), hints=Hints(function=frozenset({"vcs"}),
                                                                            vcs_category="telematics-unit"))
        for i in range(200))
    bom = Bom("generated.cdx.json", "cyclonedx", "1.6", comps)
    program = Program("Bench EV", Declarant("Bench Motors LLC", ("connected-vehicle-manufacturer",), "US"),
                      Vehicle("Bench", "EV", (2027, 2030)), "sale", ("generated.cdx.json",))
    t = time.perf_counter()
    knowledge = load_knowledge(facts, (), params, dt.date(2026, 11, 24))
    t_k = time.perf_counter() - t
    t = time.perf_counter()
    report = screen_program(program, [bom], knowledge, params)
    return (f"knowledge (merge + nexus) {t_k:.1f} s; screening 200 components: {time.perf_counter() - t:.2f} s, "
            f"verdict {report.verdict}")


def baseline(url: str, n: int, m: int) -> float:
    """Stage the same rows alone (chunked bulk insert into a temp table, rolled back): no versioning."""
    from cvcomply.store import dialect as q
    from cvcomply.store.facts import CHUNK, _stage

    _, records = make_registry(n, m)
    with open_store(url) as store:
        t = time.perf_counter()
        try:
            with store.transaction() as tx:
                tx.execute(tx.dialect.create_temp("stage", q.STAGE_DDL))
                _stage(tx, records, frozenset(), CHUNK)
                raise _Rollback
        except _Rollback:
            pass
        return time.perf_counter() - t


class _Rollback(Exception):
    pass


def bench(url: str, n: int, m: int, label: str, screen: bool) -> None:
    rows = n + m
    base_s = baseline(url, n, m)
    header, records = make_registry(n, m)
    with open_store(url) as store:
        t = time.perf_counter()
        [r] = load_ownership(store, [(header, records)])
        load_s = time.perf_counter() - t
        load_rss = peak_rss_mb()
        t = time.perf_counter()
        [again] = load_ownership(store, [(header, iter(()))])
        reload_s = time.perf_counter() - t
        t = time.perf_counter()
        back = load_facts(store)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        reg = Registry.build(back)
        build_s = time.perf_counter() - t
    print(f"[{label}] load {rows:,} rows: {load_s:.1f} s ({rows / load_s:,.0f} rows/s; {r.added:,} added); "
          f"peak RSS after the load {load_rss:,.0f} MB", flush=True)
    print(f"[{label}] baseline (staging alone, no versioning) {base_s:.1f} s; load/baseline {load_s / base_s:.2f}x; "
          f"reload same content: {reload_s * 1000:.0f} ms ({again.status})", flush=True)
    print(f"[{label}] read back {read_s:.1f} s; Registry.build {build_s:.1f} s ({len(reg.entities):,} entities); "
          f"peak RSS {peak_rss_mb():,.0f} MB", flush=True)
    if screen:
        print(f"[{label}] {screen_small(back)}; peak RSS {peak_rss_mb():,.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="50k entities + 100k holdings")
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--holdings", type=int, default=2_000_000)
    ap.add_argument("--backend", choices=("duckdb", "postgres", "both"), default="both")
    ap.add_argument("--no-screen", action="store_true")
    a = ap.parse_args()
    n, m = (50_000, 100_000) if a.quick else (a.entities, a.holdings)
    print(f"{n:,} entities + {m:,} holdings, generated as they are loaded; peak RSS at start "
          f"{peak_rss_mb():,.0f} MB", flush=True)
    if a.backend in ("duckdb", "both"):
        with tempfile.TemporaryDirectory() as d:
            bench(f"duckdb://{Path(d) / 'bench.duckdb'}", n, m, "duckdb", not a.no_screen)
    pg = os.environ.get("CVCOMPLY_BENCH_PG_URL") or os.environ.get("CVCOMPLY_TEST_PG_URL")
    if a.backend in ("postgres", "both"):
        if not pg:
            print("[postgres] skipped: set CVCOMPLY_BENCH_PG_URL=postgresql://user@host/db")
            return
        import psycopg

        schema = f"bench_{secrets.token_hex(4)}"
        with psycopg.connect(pg, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
            try:
                sep = "&" if "?" in pg else "?"
                bench(f"{pg}{sep}options=-csearch_path%3D{schema}", n, m, "postgres", not a.no_screen)
            finally:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
