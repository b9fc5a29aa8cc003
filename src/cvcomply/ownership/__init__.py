"""Nexus of each entity to a foreign adversary: prongs, control policy, fixed point, evidence paths.

Knows nothing about BOMs (DESIGN.md §1). ``compute_nexus`` is the entry point; the returned
:class:`NexusTable` holds every status in bulk and explains any one entity on demand. :class:`ForeignHolders`
finds the non-U.S. holders (adversary or not) of each entity, for the DoC trigger.
"""

from cvcomply.ownership.foreign import ForeignHolder, ForeignHolders, non_us_countries
from cvcomply.ownership.graph import GraphColumns, OwnershipGraph, build_graph, graph_at, index_columns
from cvcomply.ownership.nexus import (
    ADVERSARIES,
    adversary_countries,
    compute_nexus,
    explain,
    nexus_of_columns,
    nexus_of_graph,
)
from cvcomply.ownership.table import STATUS_NAMES, NexusTable

__all__ = [
    "ADVERSARIES",
    "STATUS_NAMES",
    "ForeignHolder",
    "ForeignHolders",
    "GraphColumns",
    "NexusTable",
    "OwnershipGraph",
    "adversary_countries",
    "build_graph",
    "compute_nexus",
    "explain",
    "graph_at",
    "index_columns",
    "nexus_of_columns",
    "nexus_of_graph",
    "non_us_countries",
]
