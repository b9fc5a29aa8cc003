"""The blocking index: a lookup scores a few names, not the whole registry (made-up registry)."""

from __future__ import annotations

import pytest

import cvcomply.resolve.resolver as resolver_module
from cvcomply.model import Entity
from cvcomply.resolve import Resolver
from cvcomply.resolve.index import COMMON_POSTING, BlockingIndex, block_keys
from cvcomply.resolve.names import NormalName

N = COMMON_POSTING + 500  # more names share "radio" than the index will walk while rarer keys exist


def test_block_keys_leave_out_legal_forms_and_add_a_squashed_prefix() -> None:
    keys = block_keys(NormalName.of("Heng Dian Radio Co., Ltd."))
    assert {"heng", "dian", "radio", "~hengdi"} == set(keys)
    assert block_keys(NormalName.of("Co., Ltd.")) == frozenset()


def test_squashed_prefix_finds_names_without_a_shared_word() -> None:
    index = BlockingIndex()
    index.add(0, NormalName.of("横店集团控股有限公司"))  # heng dian ji tuan kong gu co ltd
    index.add(1, NormalName.of("Unrelated Works Ltd"))
    assert index.candidates(NormalName.of("Hengdian Group Holdings Ltd")) == [0]


def test_common_words_are_skipped_while_rarer_keys_exist() -> None:
    index = BlockingIndex()
    for i in range(N):
        index.add(i, NormalName.of(f"Zeta{i} Radio Co Ltd"))
    found = index.candidates(NormalName.of("Zeta17 Radio Co Ltd"))
    assert 17 in found
    assert len(found) < 200  # zeta17, zeta170…, not every "radio"
    only_common = index.candidates(NormalName.of("Radio Ltd"), limit=50)
    assert len(only_common) == 50  # a query with nothing rarer still gets (bounded) candidates


def test_resolver_scores_only_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = [Entity(f"t:{i}", f"Zeta{i} Radio Co., Ltd.", jurisdiction="CN") for i in range(N)]
    resolver = Resolver(registry)
    calls = 0
    real = resolver_module.similarity

    def counting(a: NormalName, b: NormalName) -> tuple[float, tuple[str, ...]]:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(resolver_module, "similarity", counting)
    m = resolver.resolve_name("Zeta 17 Radio Company Ltd", "CN")  # not exact: "zeta 17" vs "zeta17"
    assert (m.decision, m.entity) == ("match", "t:17")
    assert 0 < calls < 300
