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
        # and the fork left the build's objects frozen (not `>= frozen`: a frozen object that another
        # thread lets go of meanwhile leaves the permanent generation, as a busy test process showed)
        assert gc.get_freeze_count() >= len(model)
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


def _where(share: int) -> tuple[int, int]:
    import os

    return share, os.getpid()


def test_the_builds_own_process_does_the_last_share_itself_and_forks_one_worker_fewer():
    """Issue 12, goal 5: a forked worker makes the build's memory its own page by page; the build's
    process, which only waited for its workers, does a share instead (``here``)."""
    import os

    found = workers.forked(_where, 3, "probing", here=True)
    assert [share for share, _ in found] == [0, 1, 2]  # in order
    assert found[2][1] == os.getpid()
    assert len({pid for _, pid in found}) == 3 and os.getpid() not in {pid for _, pid in found[:2]}
    assert all(pid != os.getpid() for _, pid in workers.forked(_where, 2, "probing"))  # without it, every share forked


def test_an_error_in_the_builds_own_share_stops_it_like_a_workers_after_the_workers_end():
    from generator.errors import BuildError

    def task(share: int) -> int:
        if share == 1:
            raise ValueError("a page that cannot be rendered")
        return share

    with pytest.raises(BuildError) as raised:
        workers.forked(task, 2, "rendering the gazette's pages", here=True)
    assert "rendering the gazette's pages failed" in str(raised.value)
    assert "a page that cannot be rendered" in str(raised.value)
    assert gc.get_freeze_count() == 0


def test_work_is_cut_into_runs_by_weight_and_count_and_handed_out_heaviest_first():
    from generator.workers import heaviest_first, runs

    weights = [3, 3, 3, 9, 0, 1, 1, 1, 1, 12, 2]
    cut = runs(weights, limit=6, most=3)
    assert cut == [[0, 1], [2], [3], [4, 5, 6], [7, 8], [9], [10]]  # in order; 9 and 12 alone
    assert sum(cut, []) == list(range(len(weights)))
    assert runs([0, 0, 5], limit=4) == [[0, 1], [2]] and runs([], limit=4) == []
    assert heaviest_first(cut, weights) == [[9], [3], [0, 1], [2], [4, 5, 6], [7, 8], [10]]  # ties keep their order
