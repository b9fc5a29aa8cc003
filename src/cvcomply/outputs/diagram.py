"""Ownership diagrams: the evidence paths that make a party covered, drawn with matplotlib.

Why a picture at all: an officer signing a declaration must see *why* a German supplier is a PRC-linked
person — seed at the top, each holding labelled with its share and kind, the party at the bottom. The
diagram draws the nexus's own ``paths`` (DESIGN.md §2: explanations come from the trace, never written
separately); a jurisdiction-only nexus is one box naming its prong and country. At most ``MAX_PATHS`` paths
are drawn, side by side; the caption says how many more exist.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.figure import Figure

from cvcomply.model import Finding, Nexus, PathStep
from cvcomply.outputs.charts import RC_PARAMS, figure_png, figure_svg

__all__ = ["MAX_PATHS", "CoveredParty", "covered_parties", "ownership_figure", "ownership_png", "ownership_svg"]

MAX_PATHS = 3
_SEED = "#ffebe9"
_MID = "#f6f8fa"
_SUBJECT = "#fff4d6"


@dataclass(frozen=True, slots=True)
class CoveredParty:
    """A covered entity (or unregistered party) of the report with the components it touches."""

    key: str
    name: str
    country: str | None
    nexus: Nexus
    components: tuple[str, ...]


def covered_parties(findings: Sequence[Finding]) -> tuple[CoveredParty, ...]:
    """Every distinct party whose nexus is ``covered``, by name, with the components it appears on."""
    seen: dict[str, tuple[str, str | None, Nexus, set[str]]] = {}
    for f in findings:
        for p in f.parties:
            if p.nexus.status != "covered":
                continue
            key = p.nexus.entity
            entry = seen.setdefault(key, (p.entity_name or p.party.name, p.entity_country or p.party.country,
                                          p.nexus, set()))
            entry[3].add(f.component.name)
    return tuple(CoveredParty(k, name, country, nexus, tuple(sorted(comps, key=str.casefold)))
                 for k, (name, country, nexus, comps) in sorted(seen.items(), key=lambda kv: (kv[1][0].casefold(),
                                                                                              kv[0])))


def _label(step: PathStep) -> str:
    name = "\n".join(textwrap.wrap(step.name, 26)[:3])
    return f"{name}\n({step.country})" if step.country else name


def _edge(step: PathStep) -> str:
    share = "" if step.share is None else (f"{step.share:.4f}".rstrip("0").rstrip(".") + "%")
    return " ".join(x for x in (share, (step.interest or "").replace("-", " ")) if x)


def ownership_figure(party: CoveredParty) -> Figure:
    """Seed at the top, the covered party at the bottom; one column per evidence path."""
    n = party.nexus
    paths = [p for p in n.paths if p][:MAX_PATHS]
    with rc_context(RC_PARAMS):
        if not paths or all(len(p) == 1 for p in paths):
            fig = Figure(figsize=(4.2, 1.5))
            ax = fig.add_subplot()
            prongs = ", ".join(n.prongs) or "stated facts"
            countries = ", ".join(n.countries) or (party.country or "unknown country")
            ax.text(0.5, 0.62, "\n".join(textwrap.wrap(party.name, 40)), ha="center", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.5", "facecolor": _SEED, "edgecolor": "#cf222e"})
            ax.text(0.5, 0.12, f"covered — {prongs} ({countries})", ha="center", va="center", fontsize=8)
            ax.set_axis_off()
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            return fig
        depth = max(len(p) for p in paths)
        fig = Figure(figsize=(max(3.2, 2.7 * len(paths)), 0.95 * depth + 0.7))
        ax = fig.add_subplot()
        for col, path in enumerate(paths):
            top = depth - len(path)  # align every path's subject on the bottom row
            for i, step in enumerate(path):
                y = -(top + i)
                face = _SEED if i == 0 else _SUBJECT if i == len(path) - 1 else _MID
                ax.text(col, y, _label(step), ha="center", va="center", fontsize=7.5, zorder=3,
                        bbox={"boxstyle": "round,pad=0.4", "facecolor": face,
                              "edgecolor": "#cf222e" if i == 0 else "#57606a"})
                if i < len(path) - 1:
                    ax.annotate("", xy=(col, y - 1 + 0.3), xytext=(col, y - 0.3),
                                arrowprops={"arrowstyle": "-|>", "color": "#1b1f24", "linewidth": 1.1})
                    ax.text(col + 0.04, y - 0.5, _edge(step), ha="left", va="center", fontsize=7, color="#0a4f8a")
        ax.set_xlim(-0.62, len(paths) - 0.38)
        ax.set_ylim(-(depth - 1) - 0.55, 0.55)
        ax.set_axis_off()
        more = len(n.paths) - len(paths)
        caption = f"{party.name}: covered — {', '.join(n.prongs)}" + (f"; {more} more path(s)" if more > 0 else "")
        fig.suptitle("\n".join(textwrap.wrap(caption, 90)), fontsize=8, x=0.02, ha="left")
        fig.tight_layout()
        return fig


def ownership_svg(party: CoveredParty) -> str:
    return figure_svg(ownership_figure(party), f"own-{party.key}")


def ownership_png(party: CoveredParty) -> bytes:
    return figure_png(ownership_figure(party))
