"""The ``check`` stage: load and validate content/, and stop once with every problem."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import ContentError, Problem, errors_in
from generator.reading.load import load
from generator.reading.memo import Memo
from generator.model import Content
from generator.checking.rules import validate

log = logging.getLogger(__name__)


def problems_of(root: Path, memo: Memo | bool = True) -> tuple[Content | None, list[Problem]]:
    """Every problem in ``root/content``, sorted by place; and the model when it could be built.

    ``memo``: what earlier runs found in each notice file, by its bytes (:mod:`generator.reading.memo`):
    True, the project's ``.cache/check/`` (read, then written back); a :class:`Memo` kept by the caller
    (``serve``, between rebuilds); False, none. Every cross-file rule runs over the whole model either way."""
    with _collector_paused():
        if memo is True:
            memo = Memo(root.resolve())
        kept = memo or None
        if kept is not None:
            kept.begin()
        content, problems, present = load(root, kept)
        if content is not None:
            problems += validate(content, root.resolve(), present, kept)
        if kept is not None:
            kept.save()
    return content, sorted(problems, key=lambda p: (str(p.source.path), p.source.line, p.source.column))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while check builds the model: it makes hundreds of thousands of
    objects that live on (nodes, places, notices), and the collector would walk them again and again,
    a third of check's time at 10,000 notices. Reference counting still frees what is dropped."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def check(root: Path, memo: Memo | bool = True) -> Content:
    """The model of ``root/content``; raises :class:`ContentError` with all problems if any is an error."""
    content, problems = problems_of(root, memo)
    if errors_in(problems) or content is None:
        raise ContentError(problems)
    for problem in problems:
        log.warning("%s", problem)
    return content
