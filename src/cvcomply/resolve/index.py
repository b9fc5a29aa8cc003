"""A blocking index: which registry names are worth scoring against a query, without scanning all.

Keys are a name's distinctive tokens (legal forms and one-letter tokens left out) plus a prefix of
its squashed core (``~hengdi``), so "Hengdian Group" finds "heng dian ji tuan" though they share no
token. Very common tokens ("technology", "electronics") are skipped when a rarer key exists, and only
the names sharing most keys with the query are returned.
"""

from __future__ import annotations

from collections import Counter

from cvcomply.resolve.names import NormalName

PREFIX_CHARS = 6
COMMON_POSTING = 2_000  # a key on more names than this is skipped while rarer keys exist


def block_keys(name: NormalName) -> frozenset[str]:
    """The keys a name is filed under (and looked up by)."""
    core = name.core_tokens()
    keys = {t for t in core if len(t) > 1}
    squashed = "".join(core)
    if len(squashed) >= 4:
        keys.add("~" + squashed[:PREFIX_CHARS])
    return frozenset(keys)


class BlockingIndex:
    """Maps block keys and exact normalised texts to positions in the caller's list of names."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._exact: dict[str, list[int]] = {}

    def add(self, position: int, name: NormalName) -> None:
        if not name.text:
            return
        self._exact.setdefault(name.text, []).append(position)
        for key in block_keys(name):
            self._postings.setdefault(key, []).append(position)

    def exact(self, text: str) -> list[int]:
        """Positions of names whose normalised text equals ``text``."""
        return list(self._exact.get(text, ()))

    def candidates(self, name: NormalName, limit: int = 300) -> list[int]:
        """Positions of the names sharing most block keys with ``name``, at most ``limit``."""
        lists = sorted((self._postings[k] for k in block_keys(name) if k in self._postings), key=len)
        if not lists:
            return []
        rare = [p for p in lists if len(p) <= COMMON_POSTING]
        counts: Counter[int] = Counter()
        for posting in rare or lists[:1]:
            counts.update(posting)
        return [pos for pos, _ in counts.most_common(limit)]
