"""The blocking index: a lookup scores a few names, not the whole registry (made-up registry)."""

from __future__ import annotations

import pytest

import cvcomply.resolve.resolver as resolver_module
from cvcomply.model import Entity
from cvcomply.resolve import Feature, Resolver, normalise_name
from cvcomply.resolve.index import COMMON_POSTING, BlockingIndex, block_keys
from cvcomply.resolve.names import NormalName

N = COMMON_POSTING + 500  # more names share "radio" than the index will walk while rarer keys exist


def test_block_keys_leave_out_legal_forms_and_add_a_squashed_prefix() -> None:
    keys = block_keys(normalise_name("Heng Dian Radio Co., Ltd."))
    assert {"heng", "dian", "radio", "^radi", "~hengdi"} == set(keys)
    assert block_keys(normalise_name("Co., Ltd.")) == frozenset()


def test_token_prefix_finds_a_typo_late_in_a_word() -> None:
    index = BlockingIndex()
    index.add(0, normalise_name("Quectel Wireless Solutions Co., Ltd."))
    index.add(1, normalise_name("Unrelated Works Ltd"))
    assert index.candidates(normalise_name("Quectal Wireles Solutons")) == [0]


def test_squashed_prefix_finds_names_without_a_shared_word() -> None:
    index = BlockingIndex()
    index.add(0, normalise_name("横店集团控股有限公司"))  # heng dian ji tuan kong gu co ltd
    index.add(1, normalise_name("Unrelated Works Ltd"))
    assert index.candidates(normalise_name("Hengdian Group Holdings Ltd")) == [0]


def test_common_words_are_skipped_while_rarer_keys_exist() -> None:
    index = BlockingIndex()
    for i in range(N):
        index.add(i, normalise_name(f"Zeta{i} Radio Co Ltd"))
    found = index.candidates(normalise_name("Zeta17 Radio Co Ltd"))
    assert 17 in found
    assert len(found) < 200  # zeta17, zeta170…, not every "radio"
    only_common = index.candidates(normalise_name("Radio Ltd"), limit=50)
    assert len(only_common) == 50  # a query with nothing rarer still gets (bounded) candidates


def test_exact_index_keeps_every_position() -> None:
    index = BlockingIndex()
    for i, name in enumerate(["Nova Ltd", "Nova Limited", "Other Ltd", "NOVA LTD."]):
        index.add(i, normalise_name(name))
    assert index.exact("nova ltd") == [0, 1, 3]
    assert index.exact("absent") == []


def test_resolver_scores_only_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = [Entity(f"t:{i}", f"Zeta{i} Radio Co., Ltd.", jurisdiction="CN") for i in range(N)]
    resolver = Resolver(registry)
    calls = 0
    real = resolver_module.similarity

    def counting(a: NormalName, b: NormalName) -> tuple[float, tuple[Feature, ...]]:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(resolver_module, "similarity", counting)
    m = resolver.resolve_name("Zeta 17 Radio Company Ltd", "CN")  # not exact: "zeta 17" vs "zeta17"
    assert (m.decision, m.entity) == ("match", "t:17")
    assert 0 < calls < 300  # pre-scored in C; full features only while a name can still change the top 11


def test_candidates_do_not_depend_on_the_order_keys_come_in(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two keys with postings of the same length and a limit that keeps only some positions: which survive must
    # not follow the set's hash order (it differs between processes). Made-up names.
    index = BlockingIndex()
    for i in range(6):
        index.add(i, normalise_name(f"Alpha Works {i}"))
    for i in range(6, 12):
        index.add(i, normalise_name(f"Gamma Works {i}"))
    query = normalise_name("Alpha Gamma")
    keys = sorted(block_keys(query))
    import cvcomply.resolve.index as index_module

    results = []
    for order in (keys, keys[::-1]):
        monkeypatch.setattr(index_module, "block_keys", lambda text, order=order: list(order))
        results.append(index.candidates(query, limit=3))
    assert results[0] == results[1]
    assert len(results[0]) == 3
