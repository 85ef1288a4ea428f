"""Writing the user's files so that a crash never leaves half of one.

A path that is a symbolic link (a settings file kept in a dotfiles
repository, say) is written through: the new file replaces the link's final
target, beside it, and the link stays a link. A link to nothing, or one that
cannot be followed (a loop), is refused with :class:`BrokenLink`: nothing is
written rather than the link being replaced by a file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


class BrokenLink(OSError):
    """The path is a symbolic link to nothing (or a loop): not written."""


def write_target(path: Path) -> Path:
    """Where writing *path* lands: *path* itself, or the final target of the
    symbolic link(s) it is. Raises :class:`BrokenLink` (one-line ``strerror``)."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        target = os.path.realpath(path)
        raise BrokenLink(errno.ENOENT, f"it is a symbolic link to {target}, which does not exist", str(path)) from None
    except (OSError, RuntimeError) as exc:  # a loop (RuntimeError before Python 3.13)
        raise BrokenLink(errno.ELOOP, f"it is a symbolic link that cannot be followed ({exc})", str(path)) from None


def write_text_atomically(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """:func:`write_atomically` for text (UTF-8, line ends as given)."""
    write_atomically(path, text.encode("utf-8"), keep_mode=keep_mode)


def write_atomically(path: Path, data: bytes, *, keep_mode: bool = False, durable: bool = True) -> None:
    """A temporary file in the same folder, then a rename over ``path``:
    readers see the old file or the new one, never a mix. ``durable``: the
    data and the rename are fsynced (a cache that checks itself can skip
    that). ``keep_mode``: the new file gets the old one's permissions. A
    symbolic link is written through (see the module's doc).
    Raises OSError (:class:`BrokenLink` for a link to nothing)."""
    path = write_target(path)
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
