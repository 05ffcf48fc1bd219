"""Files written whole or not at all, for the build's caches."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(path: Path, data: bytes, mode: int | None = None) -> None:
    """``data`` into ``path`` whole or not at all: a temporary file of its own in the same folder,
    renamed into place (so a reader, or another build writing the same file at the same time, never
    sees part of it); ``mode``: its permissions (else the temporary file's, 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as file:
        file.write(data)
    if mode is not None:
        os.chmod(file.name, mode)
    Path(file.name).replace(path)
