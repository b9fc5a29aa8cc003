"""paused_gc: the collector is paused inside, restored after, and what was made inside is not walked again
by the next young collection (it is moved to the oldest generation) — unless the program froze objects."""

from __future__ import annotations

import gc

from cvcomply.formats.jsonutil import paused_gc


def test_paused_inside_restored_after_and_made_objects_are_old() -> None:
    assert gc.isenabled()
    gc.collect()  # counts at zero: a young collection on the way out would leave them in the middle generation
    with paused_gc():
        assert not gc.isenabled()
        made = [[i] for i in range(5_000)]  # tracked containers
    assert gc.isenabled()
    assert gc.is_tracked(made[0])
    # Straight to the oldest generation, not walked by a young collection on the way (one would have left
    # them in the middle generation).
    middle = {id(x) for x in gc.get_objects(generation=1)}
    assert id(made[0]) not in middle and id(made[-1]) not in middle
    assert any(x is made[0] for x in gc.get_objects(generation=2))


def test_a_program_that_froze_objects_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            _ = [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_left_disabled_when_it_was_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
