"""Generate a synthetic ownership graph for the nexus benchmark — GENERATED TEST DATA, not real companies.

Every entity and holding here is invented by this script (ids ``E0000001``…, names "Generated Co N").
The shape aims at what makes the nexus hard, not at realism of any registry:

* ``seeds`` organisations incorporated in CN, HK, MO or RU (the adversary seeds);
* every holding has a uniformly random holder and subject, so the graph is full of cycles and
  long chains; each subject's equity shares are drawn from a Dirichlet-like split (they sum to ≤ 100),
  so majority holders exist and control cascades through several layers;
* a mix of interests (mostly shareholding; some votes, board seats, vetoes, contracts), a few share
  ranges, a few holdings that ended before the as-of date or start after it, some persons, and a few
  entities whose ownership is withheld.

    python benchmarks/generate_graph.py --entities 1000 --holdings 3000 --seeds 10   # prints a summary
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass

import numpy as np

from cvcomply.model import Entity, Holding, SourceRef

AS_OF = dt.date(2026, 11, 24)
ADVERSARY_COUNTRIES = ("CN", "CN", "CN", "HK", "MO", "RU")
OTHER_COUNTRIES = ("US", "DE", "JP", "KR", "MX", "SG", "KY", "GB", "FR", "NL")
INTEREST_MIX = (
    ("shareholding", 0.86),
    ("voting-rights", 0.08),
    ("board-member", 0.02),
    ("veto", 0.01),
    ("control-by-contract", 0.01),
    ("appointment-of-board", 0.01),
    ("other", 0.01),
)


@dataclass(frozen=True, slots=True)
class GeneratedGraph:
    """Generated entities and holdings, plus the raw arrays (for the networkx baseline)."""

    entities: list[Entity]
    holdings: list[Holding]
    holder: np.ndarray
    subject: np.ndarray
    seeds: np.ndarray  # entity indices of adversary seeds


def generate(n_entities: int, n_holdings: int, n_seeds: int, seed: int = 7) -> GeneratedGraph:
    """A reproducible random ownership graph (see the module docstring); ``seed`` fixes the RNG."""
    rng = np.random.default_rng(seed)
    ids = [f"E{i:08d}" for i in range(n_entities)]
    seed_idx = rng.choice(n_entities, size=min(n_seeds, n_entities), replace=False)
    is_seed = np.zeros(n_entities, dtype=bool)
    is_seed[seed_idx] = True
    country_pick = rng.integers(0, len(OTHER_COUNTRIES), n_entities)
    adv_pick = rng.integers(0, len(ADVERSARY_COUNTRIES), n_entities)
    is_person = (rng.random(n_entities) < 0.05) & ~is_seed
    withheld = (rng.random(n_entities) < 0.01) & ~is_seed & ~is_person
    source = SourceRef("generated-graph")
    entities: list[Entity] = []
    for i in range(n_entities):
        if is_person[i]:
            entities.append(Entity(ids[i], f"Generated Person {i}", kind="person",
                                   nationalities=(OTHER_COUNTRIES[country_pick[i]],), sources=(source,)))
            continue
        country = ADVERSARY_COUNTRIES[adv_pick[i]] if is_seed[i] else OTHER_COUNTRIES[country_pick[i]]
        entities.append(Entity(ids[i], f"Generated Co {i}", jurisdiction=country,
                               ownership_withheld="NON_PUBLIC" if withheld[i] else None, sources=(source,)))

    holder = rng.integers(0, n_entities, n_holdings)
    subject = rng.integers(0, n_entities, n_holdings)
    names, weights = zip(*INTEREST_MIX, strict=True)
    kind = rng.choice(len(names), size=n_holdings, p=np.array(weights) / sum(weights))
    # Split each subject's equity: exponential draws normalised per subject (a Dirichlet(1) split).
    raw = rng.exponential(size=n_holdings)
    total = np.bincount(subject, weights=raw, minlength=n_entities)
    share = np.round(raw / total[subject] * 100.0 * rng.uniform(0.8, 1.0, n_holdings), 2)
    ranged = rng.random(n_holdings) < 0.02
    ended = rng.random(n_holdings) < 0.02
    future = rng.random(n_holdings) < 0.005
    past, later = dt.date(2024, 1, 1), dt.date(2027, 6, 1)

    holdings: list[Holding] = []
    append = holdings.append
    h_list, s_list, k_list, sh_list = holder.tolist(), subject.tolist(), kind.tolist(), share.tolist()
    for j in range(n_holdings):
        interest = names[k_list[j]]
        value = sh_list[j] if interest in ("shareholding", "voting-rights", "appointment-of-board") else None
        if ranged[j] and value is not None:
            lo = float(np.floor(value / 10.0) * 10.0)
            append(Holding(ids[h_list[j]], ids[s_list[j]], interest, share_min=lo, share_max=lo + 10.0))  # type: ignore[arg-type]
        else:
            append(Holding(ids[h_list[j]], ids[s_list[j]], interest, share=value,  # type: ignore[arg-type]
                           end=past if ended[j] else None, start=later if future[j] else None))
    return GeneratedGraph(entities, holdings, holder, subject, np.sort(seed_idx))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--holdings", type=int, default=3000)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    g = generate(args.entities, args.holdings, args.seeds)
    kinds: dict[str, int] = {}
    for h in g.holdings:
        kinds[h.interest] = kinds.get(h.interest, 0) + 1
    print(f"generated {len(g.entities)} entities, {len(g.holdings)} holdings, {len(g.seeds)} seeds: {kinds}")


if __name__ == "__main__":
    main()
