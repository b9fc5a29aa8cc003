"""Party → entity resolution: normalise, block, score with reasons, thresholds, reviewer decisions.

The integrator builds one :class:`Resolver` per screening and calls :meth:`Resolver.resolve` per BOM
party; :func:`normalise_name` is the one name normaliser every stage uses (DESIGN.md §3 reading 8).
"""

from cvcomply.resolve.names import bracket_words, normalise_name
from cvcomply.resolve.resolver import Resolver, Thresholds
from cvcomply.resolve.scorer import Feature, similarity

__all__ = ["Feature", "Resolver", "Thresholds", "bracket_words", "normalise_name", "similarity"]
