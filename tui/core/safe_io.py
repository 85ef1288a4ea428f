"""Reading a file from outside without hanging, reading forever or taking
the keyboard; and helper processes that never outlive the reader.

Only regular files are read. :func:`open_regular` opens first, without
blocking and without making a terminal the controlling one
(``O_NONBLOCK | O_NOCTTY``), and then asks the open file what it is
(``fstat``): a FIFO, a device (``/dev/tty``, ``/dev/zero``), a socket or a
folder is refused with a one-line reason, and a file swapped for one of
them between a folder listing and the read is caught too (there is no
check-then-open race). :func:`read_regular` reads with a size cap.

Every read of a file that comes from outside (articles, imports, settings,
snippets) goes through :func:`read_regular`.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import threading
import time

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO with no writer: open returns at once
    | getattr(os, "O_NOCTTY", 0)  # /dev/tty or a pty: never our controlling terminal
    | getattr(os, "O_CLOEXEC", 0)  # never inherited by an editor or a worker
    | getattr(os, "O_BINARY", 0)  # Windows: bytes as they are
)


class Refused(Exception):
    """A file that cannot or must not be read; ``reason`` is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device (a terminal, /dev/zero...)"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("" for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def refusal(mode: int) -> str:
    """The one-line reason a file of this ``st_mode`` is not read ("" if it is)."""
    kind = kind_of(mode)
    if not kind:
        return ""
    if kind == "a folder":
        return "is a folder, not a file"
    return f"not a regular file: {kind}"


def reason_for(exc: OSError) -> str:
    """One line for why ``open`` failed."""
    code = exc.errno
    if code == errno.ENOENT:
        return "file not found (deleted or a dangling symlink)"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EISDIR:
        return "is a folder, not a file"
    if code == errno.ENAMETOOLONG:
        return "its path or name is longer than the system allows"
    if code == errno.ELOOP:
        return "a loop of symlinks"
    if code == errno.ENXIO:
        return "not a regular file: a socket or a device with nothing behind it"
    return f"cannot read: {exc.strerror or exc}".replace("\n", " ")


def open_regular(path: str | os.PathLike[str]) -> int:
    """A file descriptor of the regular file at ``path``; else :class:`Refused`.

    Never blocks (a FIFO, a terminal), never stats before opening: the open
    file itself says what it is.
    """
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise Refused(reason_for(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise Refused("its name holds a NUL byte") from None
    try:
        reason = refusal(os.fstat(fd).st_mode)
    except OSError as exc:
        os.close(fd)
        raise Refused(reason_for(exc)) from None
    if reason:
        os.close(fd)
        raise Refused(reason)
    return fd


def size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MiB"
    if limit >= 1024:
        return f"{limit / 1024:g} KiB"
    return f"{limit} bytes"


READ_CHUNK = 64 * 1024  # bytes asked for at a time past the size a file said it had


def read_regular(path: str | os.PathLike[str], limit: int, *, truncate: bool = False) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    A longer file is :class:`Refused` ("larger than ...") or, with
    ``truncate``, cut at ``limit``. Anything that is not a regular file is
    refused (see :func:`open_regular`).
    """
    fd = open_regular(path)
    want = limit + 1
    chunks: list[bytes] = []
    got = 0
    try:
        # Asked for by the size the file says it has (a buffered read of
        # ``limit`` bytes allocated all of them first: 64 MiB a file, three
        # quarters of the time it took to read one), then to its end: the
        # file may grow meanwhile, or say 0 and hold more.
        size = os.fstat(fd).st_size
        while got < want:
            chunk = os.read(fd, min(want - got, size - got + 1 if got <= size else READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise Refused(reason_for(exc)) from None
    finally:
        os.close(fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        if truncate:
            return data[:limit]
        raise Refused(f"larger than {size_text(limit)}")
    return data


# -- helper processes ----------------------------------------------------------------
PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.25  # seconds between a worker's looks at its parent


def die_with_parent(parent: int) -> None:
    """Make this process (a helper started by the reader) end when ``parent``
    does, whatever it is doing at the time (blocked in a read included).

    Two ways, both cheap: on Linux the kernel sends SIGKILL when the parent
    goes (``PR_SET_PDEATHSIG``; strictly, when the *thread* that started us
    ends, so start helpers from the thread that also stops them); and
    everywhere a daemon thread checks a few times a second that the parent
    is still ours (a dead parent's children are re-parented).
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError, ValueError):
            pass  # no libc prctl here: the watching thread does it
    if os.getppid() != parent:
        os._exit(0)  # the parent ended before we were set up
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(WATCH_INTERVAL)
        if os.getppid() != parent:
            os._exit(0)
