"""The ``check`` stage: load and validate content/, and stop once with every problem."""

from __future__ import annotations

import logging
from pathlib import Path

from generator.errors import ContentError, Problem, errors_in
from generator.reading.load import load
from generator.model import Content
from generator.checking.rules import validate

log = logging.getLogger(__name__)


def problems_of(root: Path) -> tuple[Content | None, list[Problem]]:
    """Every problem in ``root/content``, sorted by place; and the model when it could be built."""
    content, problems, present = load(root)
    if content is not None:
        problems += validate(content, root.resolve(), present)
    return content, sorted(problems, key=lambda p: (str(p.source.path), p.source.line, p.source.column))


def check(root: Path) -> Content:
    """The model of ``root/content``; raises :class:`ContentError` with all problems if any is an error."""
    content, problems = problems_of(root)
    if errors_in(problems) or content is None:
        raise ContentError(problems)
    for problem in problems:
        log.warning("%s", problem)
    return content
