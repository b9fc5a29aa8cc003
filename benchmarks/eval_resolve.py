"""Quality of entity resolution on a labelled set (targets: precision ≥ 0.99 for automatic matches; recall
≥ 0.95 for match + review), next to baselines run on the same set in the same run.

The set is built by :mod:`benchmarks.resolve_evalset` (real names from ``../shared/fixtures`` plus
generated variants, decoys and hard negatives — see its docstring). Scoring, per system:

* ``match``: a query answered ``match`` is a true positive when the entity is the labelled one, else a
  false positive (a wrong entity, or any entity for a query whose answer is "none of them"); recall is
  true positives over the queries that have a labelled entity.
* ``match+review``: ``match`` as above, or ``review`` with the labelled entity among the candidates,
  counts as found; a review without it (or any review of a "none" query) is a false positive.

Systems: **cvcomply** (``Resolver`` with default thresholds); **rapidfuzz** — plain
``process.extractOne``-style ``token_set_ratio`` over every registry name, country ignored, match at
≥ 90, review at ≥ 75; **nomenklatura** (``logic-v1``, match ≥ 0.7, review ≥ 0.5, on the 20 best
``token_set_ratio`` candidates; FtM entities with name and country) when ``--nomenklatura PYTHON``
names an interpreter that has it installed (kept out of the project's dependencies).

    python -m benchmarks.eval_resolve [--nomenklatura /tmp/nk-venv/bin/python] [--show-errors 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.resolve_evalset import EvalSet, Query, build, to_json
from cvcomply.resolve import Resolver

TARGET_PRECISION = 0.99
TARGET_RECALL = 0.95
BASELINE_MATCH, BASELINE_REVIEW = 90.0, 75.0


@dataclass(frozen=True, slots=True)
class Answer:
    decision: str
    entity: str | None
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int


def score(queries: Sequence[Query], answers: Sequence[Answer], with_review: bool) -> Scores:
    tp = fp = 0
    for q, a in zip(queries, answers, strict=True):
        if a.decision == "match":
            if a.entity is not None and a.entity == q.truth:
                tp += 1
            else:
                fp += 1
        elif a.decision == "review" and with_review:
            if q.truth is not None and q.truth in a.candidates:
                tp += 1
            else:
                fp += 1
    positives = sum(q.truth is not None for q in queries)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, fp)


def run_ours(s: EvalSet) -> list[Answer]:
    resolver = Resolver(s.registry)
    out = []
    for q in s.queries:
        m = resolver.resolve_name(q.name, q.country)
        out.append(Answer(m.decision, m.entity, tuple(c for c, _ in m.candidates)))
    return out


def run_rapidfuzz(s: EvalSet) -> list[Answer]:
    from rapidfuzz import fuzz, process, utils

    names = [(e.id, n) for e in s.registry for n in (e.name, *e.aliases)]
    choices = [utils.default_process(n) for _, n in names]
    out = []
    for q in s.queries:
        hits = process.extract(utils.default_process(q.name), choices, scorer=fuzz.token_set_ratio, limit=30,
                               processor=None)
        ranked: list[tuple[str, float]] = []
        for _, sc, k in hits:
            if names[k][0] not in {e for e, _ in ranked}:
                ranked.append((names[k][0], sc))
        if not ranked or ranked[0][1] < BASELINE_REVIEW:
            out.append(Answer("none", None, ()))
        elif ranked[0][1] >= BASELINE_MATCH and (len(ranked) < 2 or ranked[1][1] < ranked[0][1]):
            out.append(Answer("match", ranked[0][0], ()))
        else:
            out.append(Answer("review", None, tuple(e for e, sc in ranked[:10] if sc >= BASELINE_REVIEW)))
    return out


NOMENKLATURA = r'''
import json, sys
from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig
from rapidfuzz import fuzz, process, utils
data = json.load(open(sys.argv[1]))
algo, config = get_algorithm("logic-v1"), ScoringConfig.defaults()
def proxy(i, schema, names, country):
    e = model.make_entity(schema); e.id = i
    for n in names: e.add("name", n)
    if country: e.add("country", country.lower())
    return e
reg = {r["id"]: proxy(r["id"], "Person" if r["kind"] == "person" else "Company", [r["name"], *r["aliases"]],
                      r["country"]) for r in data["registry"]}
names = [(r["id"], n) for r in data["registry"] for n in (r["name"], *r["aliases"])]
choices = [utils.default_process(n) for _, n in names]
for k, q in enumerate(data["queries"]):
    query = proxy(f"q{k}", "LegalEntity", [q["name"]], q["country"])
    ids = []
    for _, _, j in process.extract(utils.default_process(q["name"]), choices, scorer=fuzz.token_set_ratio,
                                   limit=40, processor=None):
        if names[j][0] not in ids:
            ids.append(names[j][0])
    scored = sorted(((algo.compare(query, reg[i], config).score, i) for i in ids[:20]), reverse=True)
    if scored and scored[0][0] >= 0.7 and (len(scored) < 2 or scored[1][0] < scored[0][0]):
        ans = {"decision": "match", "entity": scored[0][1], "candidates": []}
    elif scored and scored[0][0] >= 0.5:
        ans = {"decision": "review", "entity": None, "candidates": [i for sc, i in scored[:10] if sc >= 0.5]}
    else:
        ans = {"decision": "none", "entity": None, "candidates": []}
    print(json.dumps(ans))
'''


def run_nomenklatura(s: EvalSet, python: str) -> list[Answer] | str:
    """Answers, or why nomenklatura could not be run."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(to_json(s), f, ensure_ascii=False)
    try:
        done = subprocess.run([python, "-c", NOMENKLATURA, f.name], capture_output=True, text=True, check=False)
    except OSError as e:
        return f"cannot run {python}: {e}"
    finally:
        Path(f.name).unlink(missing_ok=True)
    if done.returncode != 0:
        return f"{python} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [Answer(r["decision"], r["entity"], tuple(r["candidates"])) for r in rows]


def report(name: str, s: EvalSet, answers: Sequence[Answer], seconds: float) -> tuple[Scores, Scores]:
    m, mr = score(s.queries, answers, False), score(s.queries, answers, True)
    print(f"{name:13} match: P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f} (tp {m.tp}, fp {m.fp})   "
          f"match+review: P {mr.precision:.3f} R {mr.recall:.3f} F1 {mr.f1:.3f} (tp {mr.tp}, fp {mr.fp})   "
          f"{seconds:.1f} s")
    return m, mr


def errors(s: EvalSet, answers: Sequence[Answer], limit: int) -> None:
    wrong = [(q, a) for q, a in zip(s.queries, answers, strict=True)
             if (a.decision == "match" and a.entity != q.truth)
             or (q.truth is not None and a.entity != q.truth and q.truth not in a.candidates)]
    by_kind = Counter(q.kind for q, _ in wrong)
    print(f"cvcomply misses and wrong matches by query kind: {dict(sorted(by_kind.items()))}")
    for q, a in wrong[:limit]:
        print(f"  [{q.kind}] {q.name!r} ({q.country}) truth {q.truth} → {a.decision} {a.entity or ''} "
              f"{list(a.candidates[:3])}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nomenklatura", metavar="PYTHON", help="an interpreter with nomenklatura installed")
    p.add_argument("--show-errors", type=int, default=15)
    p.add_argument("--quick", action="store_true", help="accepted for benchmarks/run.py; the set is small anyway")
    a = p.parse_args(argv)
    s = build()
    if not s.queries:
        print("no fixtures found under ../shared/fixtures: nothing to evaluate")
        return 0
    kinds = Counter(q.kind for q in s.queries)
    real = sum(not e.id.startswith("eval:") for e in s.registry)
    print(f"evaluation set: {len(s.registry)} registry entities ({real}"
          f" real, the rest generated decoys) from {len(s.sources)} fixture files; {len(s.queries)} queries "
          f"({sum(q.truth is not None for q in s.queries)} with a labelled entity): {dict(sorted(kinds.items()))}")
    t0 = time.perf_counter()
    ours = run_ours(s)
    m, mr = report("cvcomply", s, ours, time.perf_counter() - t0)
    t0 = time.perf_counter()
    report("rapidfuzz", s, run_rapidfuzz(s), time.perf_counter() - t0)
    if a.nomenklatura:
        t0 = time.perf_counter()
        nk = run_nomenklatura(s, a.nomenklatura)
        if isinstance(nk, str):
            print(f"nomenklatura  not run: {nk}")
        else:
            report("nomenklatura", s, nk, time.perf_counter() - t0)
    else:
        print("nomenklatura  not run (pass --nomenklatura PYTHON: an interpreter with `pip install nomenklatura`)")
    errors(s, ours, a.show_errors)
    met = m.precision >= TARGET_PRECISION and mr.recall >= TARGET_RECALL
    print(f"targets: match precision {m.precision:.3f} (≥ {TARGET_PRECISION}), match+review recall "
          f"{mr.recall:.3f} (≥ {TARGET_RECALL}): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
