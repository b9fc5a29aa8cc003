"""The resolver's shortcuts give exactly what the plain computations give (made-up names)."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cvcomply.model import Entity
from cvcomply.resolve import Resolver, normalise_name
from cvcomply.resolve.index import CORE_NOT_PREFIX, BlockingIndex, block_keys, core_end, core_tokens, most_shared
from cvcomply.resolve.legal_forms import LATIN_FORMS, legal_form_tokens
from cvcomply.resolve.names import NormalName, _finish, _words
from cvcomply.resolve.scorer import pre_scores

FORM_WORDS = sorted({w for canonical, spellings in LATIN_FORMS.items() for s in (canonical, *spellings)
                     for w in s.split()})
PIECES = [*FORM_WORDS, "Acme", "radio", "a", "S", "1", "12", "x0", "Zeta17", "gongsi", "YouXianGongSi", "ООО",
          "有限公司", "株式会社", "Co.", "L.L.C.", "S.A.", "GmbH", "&"]
SEPARATORS = [" ", ", ", ". ", ".", "-", "/", " & ", " (", ") ", "'", "  "]
names = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=8).map(
    lambda parts: "".join(p + s for p, s in parts))


@settings(max_examples=1000, deadline=None)
@given(names)
def test_normalising_with_shortcuts_equals_finishing_every_word(name: str) -> None:
    assert normalise_name.__wrapped__(name) == " ".join(_finish(_words(name)))


@settings(max_examples=1000, deadline=None)
@given(names)
def test_core_end_slices_the_core_or_says_it_cannot(name: str) -> None:
    text = normalise_name(name)
    core = core_tokens(text)
    words = text.split()
    core_then_forms = words[:len(core)] == core and all(w in legal_form_tokens() for w in words[len(core):])
    end = core_end(text)
    assert end == (len(" ".join(core)) if core_then_forms else CORE_NOT_PREFIX)


def test_core_end_of_a_form_in_the_middle() -> None:
    assert core_end("acme co ltd radio") == CORE_NOT_PREFIX
    assert core_end("acme radio co ltd") == len("acme radio")
    assert core_end("co ltd") == 0
    assert core_end("acme") == 4


def test_most_shared_is_most_common() -> None:
    rng = random.Random(5)
    for _ in range(500):
        counts: Counter[int] = Counter()
        for _ in range(rng.randint(1, 5)):
            counts.update(rng.sample(range(400), rng.randint(1, 300)))
        limit = rng.choice([1, 10, 200, 1000])
        assert most_shared(counts, limit) == [p for p, _ in counts.most_common(limit)]


def _counted(index: BlockingIndex, text: str, limit: int) -> list[int]:
    """What ``candidates`` computed before its shortcuts: every rare posting counted, most shared first."""
    lists = sorted((index._postings[k] for k in block_keys(text) if k in index._postings), key=len)
    if not lists:
        return []
    rare = [p for p in lists if len(p) <= 2_000]
    if not rare:
        return lists[0][:limit]
    counts: Counter[int] = Counter()
    for posting in rare:
        counts.update(posting)
    return [pos for pos, _ in counts.most_common(limit)]


def test_candidates_equal_counting_every_posting() -> None:
    rng = random.Random(9)
    words = ["acme", "radio", "zeta", "nova", "telematics", "quectel", "wireless", "17", "170", "1700", "hengdian"]
    index = BlockingIndex()
    for i in range(3000):
        index.add(i, normalise_name(" ".join(rng.sample(words, rng.randint(1, 4))) + " Co Ltd"))
    for _ in range(500):
        text = normalise_name(" ".join(rng.sample(words, rng.randint(1, 4))))
        for limit in (5, 200):
            assert index.candidates(text, limit) == _counted(index, text, limit)


def test_pre_scores_are_the_elementwise_maximum() -> None:
    from rapidfuzz import fuzz, process

    others = ["acme radio", "radio acme", "acmeradio", "", "nova telematics", "acme"]
    sort = process.cdist(["acme radio"], others, scorer=fuzz.token_sort_ratio, workers=1)[0].tolist()
    squashed = process.cdist(["acmeradio"], [o.replace(" ", "") for o in others], scorer=fuzz.ratio,
                             workers=1)[0].tolist()
    assert pre_scores("acme radio", others) == [max(a, b) / 100.0 for a, b in zip(sort, squashed, strict=True)]


def test_candidate_names_are_not_normalised_again() -> None:
    registry = [Entity("t:1", "Acme (Shenzhen) Radio Co., Ltd.", aliases=("ACME RADIO",)),
                Entity("t:2", "Co Ltd Zeta 17 Radio"), Entity("t:3", "ООО Ромашка")]
    resolver = Resolver(registry)
    for pos in range(resolver.names):
        assert resolver._normal(pos) == NormalName.of(resolver._raw_name(pos))
