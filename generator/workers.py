"""Worker processes for the build's parallel parts: how many, and a forked pool of shares.

The build uses both cores where the work splits into independent items: the gazette pages rendered
apart (:mod:`generator.website.apart`) and the Markdown that keys their cache; the print edition
spawns its own processes (Typst's thread pool does not survive a fork) but asks :func:`cores` too.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from generator.errors import BuildError, GeneratorError

R = TypeVar("R")


def cores() -> int:
    """The worker processes to use: ``JIAHE_WORKERS`` if set (1: none), else one per core we may use."""
    if os.environ.get("JIAHE_WORKERS", "").isdigit():
        return max(1, int(os.environ["JIAHE_WORKERS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def runs(weights: Sequence[int], limit: int, most: int | None = None) -> list[list[int]]:
    """The indices of ``weights``, in order, cut into runs whose weights add up to at most ``limit``
    (an item heavier than that alone) and of at most ``most`` items each."""
    found: list[list[int]] = []
    held = 0
    for index, weight in enumerate(weights):
        if not found or held + weight > limit or (most is not None and len(found[-1]) >= most):
            found.append([])
            held = 0
        found[-1].append(index)
        held += weight
    return found


def heaviest_first(jobs: list[list[int]], weights: Sequence[int]) -> list[list[int]]:
    """``jobs`` (runs of indices of ``weights``) the heaviest first, for processes that take the next
    job when they finish one: the last to end is then a light one (the longest-first rule), and no
    core waits long for the other. Jobs of the same weight keep their order."""
    return sorted(jobs, key=lambda job: -sum(weights[index] for index in job))


def forked(task: Callable[[int], R], workers: int, what: str, here: bool = False) -> list[R]:
    """``[task(0), …, task(workers - 1)]``, each in a forked process of its own, which inherits the
    build's state as it is (configuration, templates, content) instead of receiving it pickled; only
    the results come back, pickled, in order. A worker that fails or dies stops the build: a
    :class:`BuildError` naming ``what`` ("rendering the gazette's pages") with every worker's error.

    ``here``: the last share is done by this process, which would otherwise only wait, after the
    others are forked; one process fewer, as many cores busy (issue 12, goal 5: each forked worker
    made about 350 MB of the build's memory its own at 50,000 notices, by the reference counts its
    pages touch). For a task that leaves this process as it found it: its effects are the
    build's, as if it ran without workers (the website's renderers restore their logging)."""
    context = multiprocessing.get_context("fork")
    running = []
    results: list[R] = []
    failures = []
    with frozen_for_fork():
        for share in range(workers - 1 if here else workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_send, args=(functools.partial(task, share), sender), daemon=True)
            process.start()
            sender.close()
            running.append((process, receiver))
        mine: list[R] = []
        if here:
            try:
                mine.append(task(workers - 1))
            except Exception as exc:  # noqa: BLE001 - reported as a worker's error, once the workers are waited for
                failures.append("".join(traceback.format_exception(exc)))
        for process, receiver in running:
            try:
                outcome, found = receiver.recv()
            except EOFError:  # died without a word (killed, out of memory)
                outcome, found = "failed", f"a worker {what} stopped (exit code {process.exitcode})"
            process.join()
            if outcome == "failed":
                failures.append(found)
            else:
                results.append(found)
    if failures:
        raise BuildError(f"{what} failed:\n" + "\n".join(failures))
    return results + mine


def aside(task: Callable[[], R], what: str) -> Callable[[], R]:
    """``task()`` in a forked process of its own while the build goes on; returns the function that
    waits for its result (pickled back) or raises its error: a :class:`GeneratorError` as it was
    raised (its message is the user's), anything else, or a process that died, a :class:`BuildError`
    naming ``what`` ("typesetting the print edition"). Fork it before the build starts a thread that
    may hold a lock the task needs (the task runs in the forked process's only thread)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with frozen_for_fork():
        # not a daemon: the task may start processes of its own (the print edition's, for several
        # issues); the build waits for it on every path (a stage that starts one waits for it)
        process = context.Process(target=_send, args=(task, sender, True), daemon=False)
        process.start()
    sender.close()

    def wait() -> R:
        try:
            outcome, found = receiver.recv()
        except EOFError:  # died without a word (killed, out of memory)
            outcome, found = "failed", f"the process stopped (exit code {process.exitcode})"
        finally:
            receiver.close()
        process.join()
        if outcome == "error":
            raise found
        if outcome == "failed":
            raise BuildError(f"{what} failed:\n{found}")
        return found

    return wait


def _send(task: Callable[[], Any], sender: Any, user_errors: bool = False) -> None:
    """A forked process's work (:func:`forked`'s workers, :func:`aside`): send ``task()``, or the
    error that stopped it; with ``user_errors``, a :class:`GeneratorError` as it was raised (its
    message is the user's), else as its traceback, as any other error."""
    try:
        found = task()
    except GeneratorError as exc:
        if not user_errors:
            sender.send(("failed", "".join(traceback.format_exception(exc))))
            return
        try:
            sender.send(("error", exc))
        except Exception:  # noqa: BLE001 - an error that does not pickle: its message
            sender.send(("failed", str(exc)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the build, which stops
        sender.send(("failed", "".join(traceback.format_exception(exc))))
    else:
        sender.send(("done", found))
    finally:
        sender.close()


@contextlib.contextmanager
def frozen_for_fork() -> Iterator[None]:
    """The build's objects kept out of the garbage collector's way while forked processes share
    them (issue 12, goal 5: memory at 50,000 notices). A fork shares the build's memory until either
    process writes a page, and a full collection writes into every object it visits (its header):
    each worker, then the build, ended up with its own copy of the whole model (at 50,000 notices
    the website's two workers and the build came to 2.6 GB, 1.7 GB of it one build's worth).
    ``gc.freeze()`` before the fork moves every object to a generation no collection visits, in the
    build and in the workers (they inherit it); ``gc.unfreeze()`` when they are done. Garbage
    made meanwhile is still collected; a cycle among the older objects waits until then. Objects
    frozen before (a build's, within :func:`long_lived`; ``serve``'s preview's) stay frozen after."""
    frozen = gc.get_freeze_count()  # objects frozen already (a build's, within long_lived): left frozen
    gc.freeze()
    try:
        yield
    finally:
        if not frozen:
            gc.unfreeze()


@contextlib.contextmanager
def long_lived() -> Iterator[Callable[..., None]]:
    """Within, the function given, ``settle(dropped=False)``, moves every object made so far out of
    the garbage collector's way (``gc.freeze``): a build's content model and products live until the
    build ends, and each full collection walked all of them again (issue 12: at 10,000 notices 0.58 s
    of a build after one new issue in two full collections). The young generations' garbage is
    collected first (``gc.collect(1)``, cheap: the old generation is not walked). ``dropped=True``
    after a stage whose many objects are now garbage (MkDocs' files, pages and nav, in cycles after
    the website stage): everything unfrozen, none of it frozen again, and the collector frees that
    garbage at the next full collection the following stage's allocations call for, as without the
    freeze (at 50,000 notices, left frozen, it held 200 MB more through the search stage). Measured at
    10,000 notices, a build with nothing changed: one such collection in the search stage, 0.28 s (a
    collection here, then a freeze, cost the same: 0.29 s). At the end, ``gc.unfreeze()``, whoever
    froze what: what was frozen can be collected again once dropped (a test process runs many
    builds, and may have run ``serve``'s preview, which freezes its objects for good)."""

    def settle(dropped: bool = False) -> None:
        if dropped:
            gc.unfreeze()
        else:
            gc.collect(1)
            gc.freeze()

    try:
        yield settle
    finally:
        gc.unfreeze()
