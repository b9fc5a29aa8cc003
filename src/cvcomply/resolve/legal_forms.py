"""Legal forms in many languages, each mapped to one short comparison form (DESIGN.md §3 reading 8).

Why a table of our own: a supplier appears as "Quectel Wireless Solutions Company Limited" in one BOM,
"Quectel Wireless Solutions Co., Ltd." in a register and "上海移远通信技术股份有限公司" in another. The
legal form carries almost no evidence about *which* firm is meant, yet its spelling dominates string
distance. Mapping every spelling to one form makes the remaining distance measure the part that
matters. ``rigour``'s org-type table was tried first; it leaves "Company Limited", "Corporation" and the
Chinese forms unmapped, and needs PyICU built from source, so the project keeps this small table.

Three tables, applied at different points of :func:`cvcomply.resolve.names.normalise_name`:

* :data:`CJK_FORMS` — matched inside CJK text *before* transliteration (CJK has no word spaces, so no
  boundaries are required). **Joint-stock choice:** 股份有限公司 (company limited by shares) maps to
  ``co ltd`` exactly like 有限公司: registers and the firms themselves render both as "Co., Ltd." in
  English, so telling them apart would split true matches; the joint-stock distinction is not
  evidence of identity.
* :data:`CYRILLIC_FORMS` — matched as whole words in Cyrillic text before transliteration, so
  "ООО" and "Общество с ограниченной ответственностью" both become ``llc`` (and "АО"/"ПАО"/"ОАО"
  ``jsc``) instead of transliterating to "ooo"/"obshchestvo …".
* :data:`LATIN_FORMS` — matched as whole token sequences on the folded ASCII text.

Every canonical form maps to itself, so normalising is idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

CJK_FORMS: Mapping[str, str] = {
    # Chinese (simplified and traditional): all read as "Co., Ltd." (see the joint-stock choice above)
    "股份有限公司": "co ltd",
    "有限责任公司": "co ltd",
    "有限責任公司": "co ltd",
    "有限公司": "co ltd",
    "股份公司": "co ltd",
    # Japanese kabushiki kaisha and Korean jusik hoesa: rendered "Co., Ltd." (or Corporation) in English
    "株式会社": "co ltd",
    "有限会社": "co ltd",
    "주식회사": "co ltd",
    "(株)": "co ltd",
    "㈱": "co ltd",
}

CYRILLIC_FORMS: Mapping[str, str] = {
    # Russian
    "общество с ограниченной ответственностью": "llc",
    "ооо": "llc",
    "публичное акционерное общество": "jsc",
    "открытое акционерное общество": "jsc",
    "закрытое акционерное общество": "jsc",
    "непубличное акционерное общество": "jsc",
    "акционерное общество": "jsc",
    "пао": "jsc",
    "оао": "jsc",
    "зао": "jsc",
    "нао": "jsc",
    "ао": "jsc",
    # Ukrainian, Belarusian, Kazakh
    "товариство з обмеженою відповідальністю": "llc",
    "тов": "llc",
    "тоо": "llc",
    "акціонерне товариство": "jsc",
    "публічне акціонерне товариство": "jsc",
    "приватне акціонерне товариство": "jsc",
    "пат": "jsc",
    "прат": "jsc",
}

GLUED_FORMS: Mapping[str, str] = {
    # pinyin legal forms glued to the name (anyascii of 有限公司 inside a longest-first order)
    "gufenyouxiangongsi": "co ltd",
    "youxianzerengongsi": "co ltd",
    "youxiangongsi": "co ltd",
}
"""Pinyin legal forms that arrive glued to the end of a token; split off before the Latin table applies.
``str.endswith`` tries them in this order, so the longest comes first."""

LATIN_FORMS: Mapping[str, tuple[str, ...]] = {
    # canonical form: spellings (already folded: ASCII, lower case, punctuation removed, "l.l.c." → "llc")
    "co ltd": (
        "company limited", "company ltd", "co limited", "coltd",
        "gufen youxian gongsi", "youxian zeren gongsi", "youxian gongsi",  # pinyin of 股份有限公司 etc.
        "kabushiki kaisha", "kabushiki gaisha", "kabushikigaisha", "kk",
    ),
    "ltd": ("limited",),
    "co": ("company",),
    "corp": ("corporation",),
    "inc": ("incorporated",),
    "llc": ("limited liability company", "limited liability co", "ooo",
            "obshchestvo s ogranichennoy otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostiu",
            "obshchestvo s ogranichennoj otvetstvennostju"),
    "plc": ("public limited company",),
    "pvt ltd": ("private limited", "private ltd", "pvt limited", "pte ltd", "pte limited"),
    "pty ltd": ("proprietary limited", "pty limited"),
    "jsc": (
        "joint stock company", "joint stock co", "jointstock company",
        # Latin transliterations of the Russian forms (anyascii and the lists' own spellings)
        "aktsionernoe obshchestvo", "aktsionernoye obshchestvo", "publichnoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
        "public joint stock company", "open joint stock company", "closed joint stock company",
        "pjsc", "ojsc", "cjsc", "oao", "pao", "zao",  # not Latin "ao": "A. O. Smith Corp"
    ),
    "gmbh": (
        "gesellschaft mit beschrankter haftung", "gesellschaft mit beschraenkter haftung",
        "ges m b h", "gesmbh",
    ),
    "ag": ("aktiengesellschaft",),
    "kg": ("kommanditgesellschaft",),
    "se": ("societas europaea",),
    "sa": ("societe anonyme", "sociedad anonima", "sociedade anonima"),
    "sarl": ("societe a responsabilite limitee", "sa rl", "s a rl", "s a r l"),
    "sas": ("societe par actions simplifiee",),
    "srl": ("societa a responsabilita limitata", "sociedad de responsabilidad limitada"),
    "spa": ("societa per azioni",),
    "sl": ("sociedad limitada",),
    "ltda": ("limitada",),
    "bv": ("besloten vennootschap",),
    "nv": ("naamloze vennootschap",),
    "ab": ("aktiebolag", "aktiebolaget"),
    "as": ("aksjeselskap", "aktieselskab", "anonim sirketi"),
    "oy": ("osakeyhtio",),
    "sro": ("spolecnost s rucenim omezenym", "spol s r o"),
    "sp z oo": ("spolka z ograniczona odpowiedzialnoscia",),
}


@cache
def latin_table() -> tuple[dict[tuple[str, ...], str], int]:
    """Token-sequence → canonical form (every canonical form included), and the longest sequence length.

    Built on first use, not at import (STYLE.md anti-pattern 2).
    """
    table: dict[tuple[str, ...], str] = {}
    for canonical, spellings in LATIN_FORMS.items():
        for spelling in (canonical, *spellings):
            table[tuple(spelling.split())] = canonical
    return table, max(len(k) for k in table)


@cache
def legal_form_tokens() -> frozenset[str]:
    """Every token a canonical legal form is made of: no evidence of identity, so not a blocking key."""
    return frozenset(t for canonical in LATIN_FORMS for t in canonical.split())
