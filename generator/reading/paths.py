"""The one rule for paths named in content: a file named by another (an attachment, a cover, a
table, an image in Markdown) is written relative to the naming file and stays inside ``content/``.

Used by the loader (:meth:`~generator.reading.load.Loader.reference`) and by check's rule for images
in Markdown (:func:`~generator.checking.rules.markdown_images`), so both refuse the same paths with
the same words.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

_DRIVE = re.compile(r"^[A-Za-z]:")


def inside(path: Path, content: Path) -> bool:
    """Whether a file really lies in ``content`` (resolved): a symlink may point elsewhere."""
    return path.resolve().is_relative_to(content)


def target(folder: Path, value: str) -> Path:
    """The file that ``value`` names, relative to ``folder`` (the naming file's folder)."""
    return folder / Path(*PurePosixPath(value).parts)


def leaves_content(folder: Path, value: str, content: Path) -> str | None:
    """Why ``value``, named in a file of ``folder``, does not stay inside ``content`` (a resolved
    folder); None when it does: the reason of an ``outside-content`` problem."""
    if PurePosixPath(value).is_absolute() or _DRIVE.match(value) or "\\" in value:
        return "write a path relative to this file"
    path = target(folder, value)
    if not Path(os.path.normpath(path.absolute())).is_relative_to(content):
        return "'..' leads out of content/"
    if not inside(path, content):
        return "it is a link to a file outside"
    return None
