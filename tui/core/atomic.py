"""Writing the user's files so that a crash never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomically(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """:func:`write_atomically` for text (UTF-8, line ends as given)."""
    write_atomically(path, text.encode("utf-8"), keep_mode=keep_mode)


def write_atomically(path: Path, data: bytes, *, keep_mode: bool = False, durable: bool = True) -> None:
    """A temporary file in the same folder, then a rename over ``path``:
    readers see the old file or the new one, never a mix. ``durable``: the
    data and the rename are fsynced (a cache that checks itself can skip
    that). ``keep_mode``: the new file gets the old one's permissions.
    Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = None
    if keep_mode:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)  # the rename itself survives a power cut
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (a file renamed or linked into it) durable.
    Not possible on every platform (Windows): then nothing happens."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
