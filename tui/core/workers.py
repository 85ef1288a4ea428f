"""Worker processes: plain child interpreters fed chunks of work over pipes.

Rather than multiprocessing: nothing has to be set up before a full-screen
app takes over stderr, nothing queued is waited for at exit, and stopping
them is a kill. A worker runs ``module:function`` (a loop of :func:`serve`)
and dies with its parent (see :func:`tui.core.safe_io.die_with_parent`).
Used by the index build (:mod:`tui.core.catalog.build`) and the in-memory
index (:mod:`tui.core.index`).
"""

from __future__ import annotations

import marshal
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CHUNK = 200  # items per task for a worker process


def default_count() -> int:
    """Worker processes for a build: one for each core this process may
    use, and one more, as ``make -j`` is given: a worker waiting for the disk
    (files no longer in the page cache, as most of a big archive's are)
    leaves its core to another. Measured at 200,000 files on 2 cores: 12%
    faster when the files are read from disk, the same when they are all
    cached. One core: none (parsing in-process is faster)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return cores + 1 if cores > 1 else 1


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


# Plain child interpreters fed over pipes rather than multiprocessing: nothing
# has to be set up before a full-screen app takes over stderr, nothing queued
# is waited for at exit, and stopping them is a kill.
_WORKER = "import sys; sys.path[:0] = {path!r}; from {module} import {function}; {function}({parent})"
live_workers: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def serve(parse: Callable[[list[str]], object], parent: int | None = None) -> None:
    """The loop of a worker process: each chunk of paths in on stdin is
    answered on stdout with ``parse(paths)``, both in ``marshal``. It ends
    with its parent (``parent``, the reader's pid), whatever it is doing then
    (see :func:`tui.core.safe_io.die_with_parent`)."""
    if parent is not None:
        from tui.core.safe_io import die_with_parent

        die_with_parent(parent)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(4)
        if len(head) < 4:
            return
        paths = marshal.loads(source.read(int.from_bytes(head, "little")))
        reply = marshal.dumps(parse(paths))
        sink.write(len(reply).to_bytes(4, "little") + reply)
        sink.flush()


def start_worker(target: str) -> subprocess.Popen[bytes]:
    package_parent = str(Path(__file__).resolve().parents[2])
    module, function = target.split(":")
    process = subprocess.Popen(
        [sys.executable, "-c", _WORKER.format(path=[package_parent], module=module, function=function, parent=os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl+C meant for the reader is not theirs
    )
    with _live_lock:
        live_workers.add(process)
    return process


def _stop_worker(process: subprocess.Popen[bytes]) -> None:
    with _live_lock:
        live_workers.discard(process)
    with _suppress():
        process.kill()
    for stream in (process.stdin, process.stdout):
        with _suppress():
            stream.close()  # type: ignore[union-attr]
    with _suppress():
        process.wait(2)


def stop_all() -> None:
    """Stop every worker process at once (called by whoever cancels)."""
    with _live_lock:
        live = list(live_workers)
    for process in live:
        _stop_worker(process)


def parallel(
    paths: list[Any], workers: int, cancelled: Callable[[], bool], target: str, chunk: int = CHUNK
) -> Iterator[Any]:
    """Parse ``paths`` in ``workers`` child processes running ``target``
    (``module:function``, a loop of :func:`serve`), yielding each chunk's
    results as it comes back. A chunk whose worker failed is simply not
    yielded: the caller parses what is left in-process."""
    chunks = deque(paths[i : i + chunk] for i in range(0, len(paths), chunk))
    # Bounded: when the caller is slower than the workers (it writes what
    # they parse), they wait, rather than a million results piling up.
    results: queue.Queue[Any] = queue.Queue(maxsize=2 * workers)
    stop = threading.Event()
    lock = threading.Lock()
    processes = [start_worker(target) for _ in range(workers)]

    def put(item: Any) -> None:
        while not stop.is_set():
            try:
                results.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def feed(process: subprocess.Popen[bytes]) -> None:
        try:
            assert process.stdin is not None and process.stdout is not None
            while not cancelled():
                with lock:
                    if not chunks:
                        break
                    paths_out = chunks.popleft()
                data = marshal.dumps(paths_out)
                process.stdin.write(len(data).to_bytes(4, "little") + data)
                process.stdin.flush()
                head = process.stdout.read(4)
                if len(head) < 4:
                    break
                put(marshal.loads(process.stdout.read(int.from_bytes(head, "little"))))
        except (OSError, ValueError, EOFError, TypeError):
            pass  # a dead worker: its chunk is parsed by the caller
        finally:
            put(None)

    feeders = [threading.Thread(target=feed, args=(p,), name="index-feed", daemon=True) for p in processes]
    for feeder in feeders:
        feeder.start()
    running = len(feeders)
    try:
        while running:
            if cancelled():
                return
            try:
                item = results.get(timeout=0.1)
            except queue.Empty:
                continue
            if item is None:
                running -= 1
            else:
                yield item
    finally:
        stop.set()
        for process in processes:
            _stop_worker(process)
