"""A blocking index: which registry names are worth scoring against a query, without scanning all.

Keys are a name's distinctive tokens (legal forms and one-letter tokens left out), the first
and last :data:`TOKEN_PREFIX` letters of each longer token (``^quec``, ``$ctel``: a word with one typo
keeps one of them),
and a prefix of its squashed core (``~hengdi``: "Hengdian Group" finds "heng dian ji tuan" though they
share no token). Very common keys ("technology", "electronics") are skipped when a rarer key exists,
and only the names sharing most keys with the query are returned.

Built for a registry of millions of names: the index stores positions only (ints in plain lists, one
dict per key kind), never name objects; the caller keeps the texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from cvcomply.resolve.legal_forms import legal_form_tokens

PREFIX_CHARS = 6
TOKEN_PREFIX = 4
COMMON_POSTING = 2_000  # a key on more names than this is skipped while rarer keys exist


def core_tokens(text: str) -> list[str]:
    """The tokens of a normalised text that say which firm it is: legal-form tokens left out."""
    forms = legal_form_tokens()
    return [t for t in text.split() if t not in forms]


CORE_NOT_PREFIX = 0xFFFF
""":func:`core_end` of a text whose core is not its start (or is too long to say in an unsigned short)."""


def core_end(text: str) -> int:
    """Where the core of a normalised text ends, when the core is the start of the text:
    ``text[:core_end(text)] == " ".join(core_tokens(text))``. Else :data:`CORE_NOT_PREFIX`.

    Normalising moves legal forms to the end of a name, so nearly every registry name is
    ``core + forms``: an offset kept per name at build time (two bytes) makes its core a slice at
    query time instead of a split, a filter and a join per blocked name.
    """
    forms = legal_form_tokens()
    end = 0
    in_forms = False
    for t in text.split():
        if t in forms:
            in_forms = True
        elif in_forms:
            return CORE_NOT_PREFIX  # a distinctive word after a form: the core is not a slice
        else:
            end += len(t) + 1
    end = max(end - 1, 0)  # no space after the last word of the core
    return end if end < CORE_NOT_PREFIX else CORE_NOT_PREFIX


def block_keys(text: str) -> set[str]:
    """The keys a normalised name text is filed under (and looked up by)."""
    forms = legal_form_tokens()
    keys = set()
    squashed = ""
    for t in text.split():  # one pass: this runs for every name of a million-entity registry
        if t in forms:
            continue
        if len(squashed) < PREFIX_CHARS:
            squashed += t
        if len(t) > 1:
            keys.add(t)
            if len(t) > TOKEN_PREFIX:
                keys.add("^" + t[:TOKEN_PREFIX])
                if len(t) > TOKEN_PREFIX + 1:
                    keys.add("$" + t[-TOKEN_PREFIX:])
    if len(squashed) >= 4:
        keys.add("~" + squashed[:PREFIX_CHARS])
    return keys


def most_shared(counts: Counter[int], limit: int) -> list[int]:
    """The ``limit`` positions with the highest counts, ties in first-counted order: exactly the positions of
    ``counts.most_common(limit)``, by one stable sort in C instead of a heap walked in Python (equal
    by definition: ``heapq.nlargest`` is documented as ``sorted(..., reverse=True)[:n]``, ties included).
    """
    return sorted(counts, key=counts.__getitem__, reverse=True)[:limit]


def _most_shared_of_two(first: list[int], second: list[int], limit: int) -> list[int]:
    """:func:`most_shared` of the counts of two postings (the common case: one rare word, one prefix), without
    counting: names in both first (in ``first``'s order), then those of ``first`` only, then of ``second`` only
    — the order a stable sort by count gives, each posting holding a position once."""
    in_second = second if len(first) < 4 else set(second)  # a few look-ups cost less than a set
    both = [p for p in first if p in in_second]
    if not both:
        return (first + second)[:limit]
    shared = set(both)
    return (both + [p for p in first if p not in shared] + [p for p in second if p not in shared])[:limit]


class BlockingIndex:
    """Maps block keys and exact normalised texts to positions in the caller's list of names."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._exact: dict[str, int] = {}  # text → first position; further positions in _more
        self._more: dict[str, list[int]] = {}

    def add(self, position: int, text: str) -> None:
        """File a normalised name text under ``position`` (an empty text is not filed).

        Each position is filed once (positions are indices into the caller's list of names), so a
        posting never holds a position twice: :meth:`candidates` relies on it.
        """
        if not text:
            return
        first = self._exact.setdefault(text, position)
        if first != position:
            self._more.setdefault(text, []).append(position)
        postings = self._postings
        for key in block_keys(text):
            found = postings.get(key)
            if found is None:
                postings[key] = [position]
            else:
                found.append(position)

    def add_all(self, items: Iterable[tuple[int, str]]) -> None:
        for position, text in items:
            self.add(position, text)

    def exact(self, text: str) -> list[int]:
        """Positions of names whose normalised text equals ``text``."""
        first = self._exact.get(text)
        return [] if first is None else [first, *self._more.get(text, ())]

    def candidates(self, text: str, limit: int = 300) -> list[int]:
        """Positions of the names sharing most block keys with the normalised ``text``, at most ``limit``."""
        postings = self._postings
        # Shortest posting first, ties by key: the order must not follow the set's (per-process) hash order,
        # or the candidates kept at the limit — and so the result — could differ from one run to the next.
        keyed = [(len(found), k, found) for k in block_keys(text) if (found := postings.get(k)) is not None]
        keyed.sort()
        lists = [found for _, _, found in keyed]
        if not lists:
            return []
        rare = [p for p in lists if len(p) <= COMMON_POSTING]
        if not rare:  # only common words: no key tells names apart, so any bounded slice is as good
            return lists[0][:limit]
        if len(rare) == 1:  # every name shares one key: all tie, so the first ``limit`` in filing order
            return rare[0][:limit]
        if len(rare) == 2:
            return _most_shared_of_two(rare[0], rare[1], limit)
        counts: Counter[int] = Counter()
        for posting in rare:
            counts.update(posting)
        return most_shared(counts, limit)

    def keys(self) -> int:
        """How many distinct keys are filed (for the benchmark's memory figures)."""
        return len(self._postings)
