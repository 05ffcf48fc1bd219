"""The build's forked workers (generator/workers.py): results in order, and the build's objects
shared with them rather than copied by their garbage collections (issue 12, goal 5: memory)."""

from __future__ import annotations

import gc
import weakref

import pytest

from generator import workers


@pytest.fixture(autouse=True)
def nothing_frozen() -> None:
    """A test process may have frozen objects before (``serve``'s preview freezes its build's for good)."""
    gc.unfreeze()


class _Notice:
    __slots__ = ("id", "title", "parts")

    def __init__(self, n: int) -> None:
        self.id, self.title, self.parts = n, f"公告{n}", [n]


def _private_after_collect(share: int) -> tuple[int, int]:
    """In a worker: the freeze it inherited, and the memory it made its own (kB) by a full collection."""
    def private() -> int:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Private_Dirty:"))

    before = private()
    gc.collect()
    return gc.get_freeze_count(), private() - before


def test_workers_share_the_builds_objects_instead_of_copying_them():
    model = [_Notice(n) for n in range(300_000)]  # about 50 MB of objects gc tracks, as the model's are
    results = workers.forked(_private_after_collect, 2, "probing")
    assert gc.get_freeze_count() == 0  # the build's objects collected again once the workers are done
    assert all(freeze >= len(model) for freeze, _ in results)
    # a collection in a worker visits none of the inherited objects: it copies next to nothing
    assert all(copied < 10_000 for _, copied in results), results
    # without the freeze, the same collection copies the model (the check above can fail)
    with_gc = workers.forked(_unfrozen_collect, 1, "probing")
    assert with_gc[0] > 20_000
    del model


def _unfrozen_collect(share: int) -> int:
    gc.unfreeze()
    return _private_after_collect(share)[1]


def test_a_builds_long_lived_objects_stay_out_of_the_collectors_way_until_it_ends():
    """A build freezes its objects as they settle (the model after check, the products): a full
    collection then walks none of them, and the workers' forks leave them frozen; when the build
    ends they can be collected again (a test process runs many builds)."""
    assert gc.get_freeze_count() == 0
    with workers.long_lived() as settled:
        model = [_Notice(n) for n in range(50_000)]
        settled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(model)
        results = workers.forked(_private_after_collect, 1, "probing")
        assert results[0][0] >= len(model)  # the worker inherited the freeze
        assert gc.get_freeze_count() >= frozen  # and the fork left the build's objects frozen
    assert gc.get_freeze_count() == 0  # the end of the build: collectable again
    del model


def test_the_young_objects_garbage_is_collected_before_they_are_frozen():
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    with workers.long_lived() as settled:
        gone = weakref.ref(Cycle())  # garbage a reference count cannot free
        settled()
        assert gone() is None  # collected, not frozen for the rest of the build


def test_objects_frozen_then_dropped_are_collected_when_the_build_says_so():
    """MkDocs' pages live through the website stage, frozen with the rest when its workers fork, and
    are garbage (in cycles) after it: ``settled(dropped=True)`` leaves them to the collector rather
    than frozen through the search stage."""
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    with workers.long_lived() as settled:
        page = Cycle()
        gone = weakref.ref(page)
        settled()
        del page
        settled()
        assert gone() is not None  # frozen: no collection sees it
        settled(dropped=True)
        assert gc.get_freeze_count() == 0
        gc.collect()  # the next full collection, when the stage after calls for one
        assert gone() is None
