"""The build's forked workers (generator/workers.py): results in order, and the build's objects
shared with them rather than copied by their garbage collections (issue 12, goal 5: memory)."""

from __future__ import annotations

import gc

from generator import workers


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
