"""The one name normaliser everyone uses (DESIGN.md §3 reading 8), and the parts the scorer compares.

Folding, in order, and why each step sits where it does:

1. Unicode NFKC and case folding: full-width forms (``（深圳）``), ligatures and case stop mattering.
2. Symbols and control characters become spaces (emoji, ™, zero-width joiners carry no identity).
3. CJK and Cyrillic legal forms are mapped *before* transliteration, while they are still
   recognisable: 有限公司 → ``co ltd``, ООО → ``llc`` (see :mod:`cvcomply.resolve.legal_forms`).
4. Transliteration to ASCII with ``anyascii`` (offline, pure Python; each distinct character is
   transliterated once per process and whole names go through ``str.translate``): accents fold (société →
   societe), Cyrillic romanises (Ромашка → romashka), each CJK character becomes its own syllable
   (横店 → ``heng dian``), so syllables are tokens a pinyin-written name can share.
5. Apostrophes vanish (``McDonald's`` = ``McDonalds``), ``&`` reads ``and``, every other
   punctuation mark is a space, and runs of single letters close up (``S.A.`` = ``S A`` = ``sa``,
   ``L.L.C.`` → ``llc``).
6. Latin legal forms map to one form, longest spelling first: ``company limited`` → ``co ltd``.

A pure-ASCII name (most registry and BOM names) takes a fast path: steps 1, 2, 4 and 5 are one
``str.translate``. Results are cached (:data:`NAME_CACHE` names) because a BOM repeats its suppliers.

Words in brackets are *kept* — "Acme (Shenzhen) Co., Ltd." and "Acme (Suzhou) Co., Ltd." are two
firms — only the bracket characters go. :func:`bracket_words` names those words so the scorer can
penalise a difference in them.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

from cvcomply.model.common import fast_init
from cvcomply.resolve.legal_forms import CJK_FORMS, CYRILLIC_FORMS, GLUED_FORMS, latin_table, legal_form_tokens

_APOSTROPHES = "'’ʼ‘`´"
_SOFT = frozenset(" \t\n.-/")  # inside an abbreviation: "S.A.", "A-S", "A/S"
_HARD = "|"  # any other mark ends one: "d.s.s., a.s." is two
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_BRACKET_CHARS = "([（［"
_ANY_BRACKET = re.compile(f"[{re.escape(_BRACKET_CHARS)}]").search
_GLUED_SUFFIXES = tuple(GLUED_FORMS)
_GLUED_MIN = min(len(f) for f in GLUED_FORMS)
_GLUE_MARK = os.path.commonprefix([f[::-1] for f in GLUED_FORMS])[::-1]
"""What every glued form ends with ("gongsi"): a text without it has nothing to unglue (the common case)."""
NAME_CACHE = 1 << 16
"""Normalised names kept per process: a BOM names the same few suppliers over and over."""


class _CharTable(dict[int, str]):
    """A ``str.translate`` table that computes each character's mapping the first time it is seen.

    Per-character work (Unicode categories, ``anyascii``) is what made normalising slow: done once per
    distinct character and then applied by ``str.translate`` in C, a whole name is transliterated in one
    call — batch transliteration without a hand-written table.
    """

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, o: int) -> str:
        value = self._fold(chr(o))
        self[o] = value
        return value


def _is_symbol(ch: str) -> bool:
    """Symbols, control characters and separators carry no identity (emoji, ™, zero-width joiners)."""
    return ch != " " and unicodedata.category(ch)[0] in "SCZ"


def _mark(ch: str) -> str:
    """The comparison form of one ASCII character: letters and digits kept (lower case), apostrophes
    dropped, ``&`` read ``and``, soft marks a space, any other mark a hard break."""
    if ch in _APOSTROPHES:
        return ""
    if ch == "&":
        return " and "
    if ch.isascii() and ch.isalnum():
        return ch.lower()
    return " " if ch in _SOFT else f" {_HARD} "


def _is_cjk(ch: str) -> bool:
    """Han, kana and Hangul: scripts written without spaces, transliterated one syllable per token."""
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x3400 <= o <= 0x4DBF  # CJK extension A
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0xAC00 <= o <= 0xD7AF  # Hangul syllables
        or 0xF900 <= o <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= o <= 0x3134F  # CJK extensions B–G
    )


def _fold(ch: str) -> str:
    """Transliterate one character and give it its comparison form: CJK syllables become words."""
    folded = "".join(_mark(c) for c in (ch if ch.isascii() else anyascii(ch)))
    return f" {folded} " if _is_cjk(ch) else folded


def _fold_ascii(ch: str) -> str:
    """The whole fold of an ASCII character in one step (the pure-ASCII fast path)."""
    return " " if _is_symbol(ch) else _fold(ch.lower())


_SYMBOLS = _CharTable(lambda ch: " " if _is_symbol(ch) else ch)
_FOLD = _CharTable(_fold)
_FOLD_ASCII = _CharTable(_fold_ascii)


@cache
def _cjk_forms() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(f) for f in sorted(CJK_FORMS, key=len, reverse=True)))


@cache
def _cyrillic_forms() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(CYRILLIC_FORMS, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@cache
def _form_starts() -> frozenset[str]:
    """First tokens of every legal-form spelling: a token not among them starts none (the common case)."""
    table, _ = latin_table()
    return frozenset(k[0] for k in table)


def _map_latin_forms(tokens: list[str]) -> list[str]:
    return _map_forms(tokens)[0]


def _map_forms(tokens: list[str]) -> tuple[list[str], bool]:
    """Greedy longest match of legal-form spellings over the token sequence; True when leading forms moved.

    Legal forms that *lead* the name (Russian ООО …, Japanese 株式会社 …) move to the end, where
    English writes them, so "ООО Ромашка" and "Romashka LLC" fold to the same ``romashka llc``.
    """
    starts = _form_starts()
    if starts.isdisjoint(tokens):  # no token can start a form: nothing to map (checked in C)
        return tokens, False
    table, longest = latin_table()
    out: list[str] = []
    leading = 0  # how many tokens of ``out`` are legal forms at the very start
    i = 0
    size = len(tokens)
    while i < size:
        t = tokens[i]
        if t not in starts:
            out.append(t)
            i += 1
            continue
        for n in range(min(longest, size - i), 0, -1):
            canonical = table.get(tuple(tokens[i : i + n]))
            if canonical is not None:
                parts = canonical.split()
                if leading == len(out):  # every token so far is a form: this one leads too
                    leading += len(parts)
                out += parts
                i += n
                break
        else:
            out.append(t)
            i += 1
    if 0 < leading < len(out):
        return out[leading:] + out[:leading], True
    return out, False


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters close up: ``s a`` (from "S.A." or "S. A.") → ``sa``, ``a s v`` → ``asv``,
    so dotted, spaced and bare abbreviations agree (GLEIF's ASCII forms drop the dots). A hard mark
    (comma, bracket, quote …) ends a run and is dropped."""
    out: list[str] = []
    run = ""
    for t in (*tokens, _HARD):
        if len(t) == 1 and t.isalpha():
            run += t
            continue
        if run:
            out.append(run)
            run = ""
        if t != _HARD:
            out.append(t)
    return out


def _words(name: str) -> list[str]:
    """Steps 1–5 up to the split into words: folded, glued pinyin forms split off, initials not yet joined."""
    if name.isascii():  # fast path: one C-level translate does steps 1, 2, 4 and 5
        text = name.translate(_FOLD_ASCII)
    else:
        text = unicodedata.normalize("NFKC", name.translate(_SYMBOLS)).casefold().translate(_SYMBOLS)
        if not text.isascii():
            text = _cjk_forms().sub(lambda m: f" {CJK_FORMS[m.group(0)]} ", text)
            text = _cyrillic_forms().sub(lambda m: f" {CYRILLIC_FORMS[m.group(0)]} ", text)
        text = text.translate(_FOLD)
    words = text.split()
    return _unglue(words) if _GLUE_MARK in text else words


def _unglue(tokens: list[str]) -> list[str]:
    """Pinyin written without spaces ("HengDianJiTuanYouXianGongSi") ends in its legal form: split it off."""
    if not any(len(t) > _GLUED_MIN and t.endswith(_GLUED_SUFFIXES) for t in tokens):
        return tokens
    out: list[str] = []
    for t in tokens:
        form = next((f for f in GLUED_FORMS if len(t) > len(f) and t.endswith(f)), None)
        out.extend((t[: -len(form)], *GLUED_FORMS[form].split()) if form else (t,))
    return out


@cache
def _special_words() -> frozenset[str]:
    """The words that give joining initials or mapping legal forms anything to do: a word that may start a
    legal form, a one-letter word, the hard break. (Folded words are ASCII letters and digits.)"""
    return _form_starts() | frozenset(string.ascii_lowercase) | {_HARD}


def _finish(words: list[str]) -> list[str]:
    """Step 5's joined initials and step 6's legal forms, to a fixed point: the normalised words."""
    tokens, moved = _map_forms(_join_initials(words))
    if not moved and (not tokens or min(map(len, tokens)) > 1):
        return tokens  # no initials to join, no forms brought together by a move: a fixed point
    for _ in range(4):  # to a fixed point, so the result is a normal form: "A,A" → "a a" → "aa"
        again = _map_latin_forms(_join_initials(tokens))
        if again == tokens:
            break
        tokens = again
    return tokens


_PLAIN = "x0"  # neither special nor short: what plain words look like to _finish
TAIL_CACHE = 1 << 12


@lru_cache(maxsize=TAIL_CACHE)
def _finish_tail(tail: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_finish` of the words from the first special one on, when plain words (none special, none a single
    character) come before them.

    Such words pass through :func:`_finish` unchanged and only make the forms after them not leading
    ones, which one stand-in plain word does as well: ``_finish(head + tail) == head + _finish_tail(tail)``.
    Tails repeat from name to name ("co | ltd", "gmbh"), so they are finished once.
    """
    assert _PLAIN not in _special_words()
    return tuple(_finish([_PLAIN, *tail])[1:])


@lru_cache(maxsize=NAME_CACHE)
def normalise_name(name: str) -> str:
    """Fold a party or entity name to its comparison form: ASCII lower-case words, one legal form.

    ``normalise_name("Quectel Wireless Solutions Company Limited")`` and
    ``normalise_name("Quectel Wireless Solutions Co., Ltd.")`` are both
    ``"quectel wireless solutions co ltd"``. Returns ``""`` for a name with no letters or digits.
    Idempotent: ``normalise_name(normalise_name(x)) == normalise_name(x)``.
    """
    words = _words(name)
    special = _special_words()
    if special.isdisjoint(words):  # nothing to join or map (checked in C): the words are the result
        return " ".join(words)
    for k, w in enumerate(words):  # the plain words before the first special one pass through as they are
        if w in special:
            if k:
                return " ".join([*words[:k], *_finish_tail(tuple(words[k:]))])
            break
        if len(w) < 2:  # a one-character plain word (a digit): finish the whole name
            break
    return " ".join(_finish(words))


def bracket_words(name: str) -> frozenset[str]:
    """The normalised words a name puts in brackets (often a place), legal forms left out."""
    if _ANY_BRACKET(name) is None:
        return frozenset()
    text = unicodedata.normalize("NFKC", name)
    forms = legal_form_tokens()
    return frozenset(t for inner in _BRACKETED.findall(text) for t in normalise_name(inner).split() if t not in forms)


@fast_init
@dataclass(frozen=True, slots=True)
class NormalName:
    """A name in every form the resolver compares: text, tokens, bracket words, spaces squashed out."""

    original: str
    text: str
    tokens: tuple[str, ...]
    brackets: frozenset[str]
    squashed: str  # text without spaces: "heng dian" and "hengdian" agree here

    @classmethod
    def of(cls, name: str) -> NormalName:
        return cls.normalised(name, normalise_name(name))

    @classmethod
    def normalised(cls, name: str, text: str) -> NormalName:
        """``NormalName.of(name)`` when ``text`` is already known to be ``normalise_name(name)`` (a registry name
        normalised when it was indexed): the rest is cheap, normalising is not."""
        return cls(name, text, tuple(text.split()), bracket_words(name), text.replace(" ", ""))

    def core_tokens(self) -> tuple[str, ...]:
        """Tokens that say which firm this is: legal-form tokens left out."""
        forms = legal_form_tokens()
        return tuple(t for t in self.tokens if t not in forms)
