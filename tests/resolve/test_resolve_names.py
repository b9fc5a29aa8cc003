"""The name normaliser: legal forms in many languages, scripts, brackets, bad input (DESIGN.md §3 reading 8).

All names here are made up by the project or are public firm names used only as strings.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvcomply.resolve import bracket_words, normalise_name
from cvcomply.resolve.names import NormalName

EQUIVALENT = [
    # (one spelling, another spelling): both must fold to the same text
    ("Acme Gesellschaft mit beschränkter Haftung", "Acme GmbH"),
    ("Acme Gesellschaft mit beschraenkter Haftung", "ACME G.m.b.H."),
    ("Quectel Wireless Solutions Company Limited", "Quectel Wireless Solutions Co., Ltd."),
    ("Quectel Wireless Solutions Co.,Ltd", "Quectel Wireless Solutions Co Ltd"),
    ("Acme Corporation", "Acme Corp."),
    ("Acme Incorporated", "Acme, Inc."),
    ("Acme Limited", "ACME LTD"),
    ("Acme Aktiengesellschaft", "Acme AG"),
    ("Acme Société anonyme", "ACME S.A."),
    ("Acme Limited Liability Company", "Acme L.L.C."),
    ("Acme Public Limited Company", "Acme PLC"),
    ("Acme Besloten Vennootschap", "Acme B.V."),
    ("Acme Società per Azioni", "Acme S.p.A."),
    ("Acme Joint Stock Company", "Acme JSC"),
    ("Acme Pte. Ltd.", "Acme Private Limited"),
    ("Acme Société à responsabilité limitée", "Acme S.à r.l."),
    # CJK legal forms map before transliteration
    ("艾克米有限公司", "艾克米 Co., Ltd."),
    ("艾克米股份有限公司", "艾克米 Company Limited"),  # joint-stock: read as Co., Ltd. (legal_forms.py)
    ("艾克米有限责任公司", "艾克米有限公司"),
    # Cyrillic legal forms map before transliteration; a leading legal form moves to the end
    ("ООО Ромашка", "Romashka LLC"),
    ("Общество с ограниченной ответственностью «Ромашка»", "ООО \"Ромашка\""),
    ("АО Ромашка", "Romashka JSC"),
    ("ПАО «Ромашка»", "Romashka JSC"),
    ("ОАО Ромашка", "Romashka Joint Stock Company"),
    # case, whitespace, punctuation, accents, full-width forms
    ("  ACME   électronique  ", "acme electronique"),
    ("Ａｃｍｅ Ｌｔｄ", "Acme Ltd"),
    ("McDonald's Corporation", "McDonalds Corp"),
    ("Johnson & Johnson", "Johnson and Johnson"),
]


@pytest.mark.parametrize(("one", "other"), EQUIVALENT)
def test_spellings_fold_to_one_form(one: str, other: str) -> None:
    assert normalise_name(one) == normalise_name(other)
    assert normalise_name(one)  # and not to nothing


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Quectel Wireless Solutions Co., Ltd.", "quectel wireless solutions co ltd"),
        ("Acme Gesellschaft mit beschränkter Haftung", "acme gmbh"),
        ("ООО Ромашка", "romashka llc"),
        ("Acme (Shenzhen) Co., Ltd.", "acme shenzhen co ltd"),
        ("横店集团控股有限公司", "heng dian ji tuan kong gu co ltd"),
        ("Hengdian Jituan Konggu Youxian Gongsi", "hengdian jituan konggu co ltd"),
        ("A. O. Smith Corporation", "ao smith corp"),  # Latin "AO" is not read as a Russian АО
    ],
)
def test_normalised_text(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme (Shenzhen) Co., Ltd.", "Acme (Suzhou) Co., Ltd."),
        ("Acme GmbH", "Acme AG"),  # different legal forms are different firms
        ("Acme Ltd", "Acme Inc"),
        ("比亚迪（深圳）有限公司", "比亚迪（惠州）有限公司"),
    ],
)
def test_distinct_firms_stay_distinct(one: str, other: str) -> None:
    assert normalise_name(one) != normalise_name(other)


def test_bracket_words_are_kept_and_named() -> None:
    assert bracket_words("Acme (Shenzhen) Co., Ltd.") == {"shenzhen"}
    assert bracket_words("比亚迪（深圳）有限公司") == {"shen", "zhen"}  # full-width brackets count
    assert bracket_words("Acme [Suzhou] Co Ltd") == {"suzhou"}
    assert bracket_words("Acme (Ltd)") == frozenset()  # a legal form in brackets is no place
    assert bracket_words("Acme Co Ltd") == frozenset()
    assert "shenzhen" in normalise_name("Acme (Shenzhen) Co., Ltd.").split()


def test_cjk_with_legal_form_normalises_stably() -> None:
    first = normalise_name("横店集团控股有限公司")
    assert first.endswith("co ltd") and first.isascii()
    assert normalise_name(first) == first
    # the same firm written with a pinyin legal form agrees once spaces are squashed
    pinyin = NormalName.of("Hengdian Jituan Konggu Youxian Gongsi")
    assert NormalName.of("横店集团控股有限公司").squashed == pinyin.squashed


@pytest.mark.parametrize("name", ["", "   ", "!!!", "()", "—–-", "😀🚗", "\u200b\u200d", "™"])
def test_names_without_letters_or_digits_fold_to_empty(name: str) -> None:
    assert normalise_name(name) == ""


def test_mixed_scripts_and_long_names() -> None:
    mixed = normalise_name("Acme Ромашка 横店 GmbH")
    assert mixed == "acme romashka heng dian gmbh"
    long = normalise_name("Acme " * 2048)
    assert long.split() == ["acme"] * 2048


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_is_idempotent_ascii_and_total(text: str) -> None:
    once = normalise_name(text)
    assert once.isascii()
    assert once == once.strip() and "  " not in once
    assert normalise_name(once) == once


_FORM_WORDS = st.sampled_from(["co", "ltd", "company", "limited", "l.l.c.", "s.a.", "ООО", "gmbh", "a", "s", "pte",
                               "private", "public", "joint", "stock", "acme", "有限公司", "youxiangongsi", "x,", "&"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FORM_WORDS, min_size=1, max_size=7).map(" ".join))
def test_normalise_is_idempotent_on_legal_form_soup(name: str) -> None:
    """The fast exit from the fixed-point loop must not change the normal form (made-up word soup)."""
    once = normalise_name(name)
    assert normalise_name(once) == once
