"""The index: every file's compact entry, cached between runs.

Start-up reads the cache (one file in the user cache directory per
collection), walks the collection to see each file's ``mtime_ns`` and size,
and parses again only what is new or changed; deleted files drop out. Cold
indexing spreads the parsing over every core. The cache carries a format
version and a checksum: an old, corrupt or foreign cache is rebuilt silently
and can never yield stale data (a file edited while the reader was closed
has a new mtime or size, so it is read again).

The payload is ``marshal`` of plain tuples (the fastest standard-library
format to load: ~50 ms for 50,000 entries); the checksum in front of it is
checked before anything is unmarshalled.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core import locations
from tui.core.atomic import write_atomically
from tui.core.model import Entry, LoadIssue
from tui.core.walk import iter_stats

FORMAT = 62  # 62: entries carry their body words for search; 61: providers, domains and topics interned; 60: other URL keys, packed refs
MAGIC = b"TUIRIDX"
PARALLEL_FROM = 1500  # below this many files to parse, one process is faster
CHUNK = 200  # files per task for a worker process
SMALL_CHUNK = 100  # files between progress reports when parsing in-process

# One file's cache record: (mtime_ns, size, entry fields | None, issue reason | None)
EntryFields = tuple  # see _fields / _entry
Record = tuple[int, int, EntryFields | None, str | None]


def _fields(entry: Entry) -> EntryFields:
    """Everything but the path, in Entry's field order.

    Providers, domains and topics repeat across thousands of articles: they
    are interned, and marshal keeps them shared through the worker pipes and
    the cache file, so 50,000 entries hold one copy of each (~15 MB less).
    """
    f = list(entry)[1:]
    f[1], f[2] = sys.intern(f[1]), sys.intern(f[2])  # provider, domain
    f[4] = tuple(sys.intern(t) for t in f[4])  # topics
    return tuple(f)


_FIELD_COUNT = len(Entry._fields) - 1


def _entry(path: str, f: EntryFields) -> Entry:
    return Entry._make((path, *f))


def parse_file(path: str) -> tuple[EntryFields | None, str | None]:
    # Imported here: a warm start parses nothing, and YAML need not load for it.
    from tui.core.loader import read_article

    result = read_article(path, for_index=True)
    if isinstance(result, LoadIssue):
        return None, result.reason
    return _fields(result.to_entry()), None


def _parse_chunk(paths: list[str]) -> list[tuple[str, EntryFields | None, str | None]]:
    out = []
    for path in paths:
        fields, reason = parse_file(path)
        out.append((path, fields, reason))
    return out


# -- the cache file ---------------------------------------------------------------
def cache_path(roots: Sequence[Path]) -> Path:
    key = "\n".join(sorted(os.path.abspath(r) for r in roots))
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return locations.cache_dir() / f"index-{digest}.bin"


def read_cache(path: Path, roots: Sequence[Path]) -> dict[str, Record]:
    """The cached records, or {} for a missing, old, corrupt or foreign cache."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(MAGIC) + 1 + 32
    if len(data) < head or not data.startswith(MAGIC) or data[len(MAGIC)] != FORMAT:
        return {}
    payload = data[head:]
    if hashlib.blake2b(payload, digest_size=32).digest() != data[len(MAGIC) + 1 : head]:
        return {}
    try:
        stored_roots, records = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if sorted(stored_roots) != sorted(os.path.abspath(r) for r in roots) or not isinstance(records, dict):
        return {}
    return records


def _digest(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=32).digest()


def write_cache(path: Path, roots: Sequence[Path], records: dict[str, Record]) -> None:
    payload = marshal.dumps(([os.path.abspath(r) for r in roots], records))
    _write_atomically(path, MAGIC + bytes([FORMAT]) + _digest(payload) + payload)


def _write_atomically(path: Path, blob: bytes) -> None:
    """Written atomically, without fsync: this is a cache. A crash can at
    worst leave a file whose checksum fails, and that is rebuilt, never
    trusted."""
    try:
        write_atomically(path, blob, durable=False)
    except OSError:
        pass  # a cache we cannot write only costs speed next time


# -- the first screen ---------------------------------------------------------------
# Next to the cache, a small file holds the first rows in display order and
# the mtime of every folder of the collection. Reading and checking it takes
# milliseconds, so a warm start paints real rows before the full cache is
# even read. It is shown only when no folder changed (no file was added,
# removed or renamed) and each of its rows is re-read if its file changed:
# no row on screen is ever older than its file. The full index replaces it
# moments later.
TOP_MAGIC = b"TUIRTOP"
FIRST_SCREEN_ROWS = 300


def first_screen_path(roots: Sequence[Path]) -> Path:
    return cache_path(roots).with_suffix(".top")


@dataclass
class FirstScreen:
    sort: str
    entries: list[Entry]
    total: int  # articles in the whole collection when it was saved


def read_first_screen(roots: Sequence[Path]) -> FirstScreen | None:
    """The rows saved by the last run, checked against the files, or None."""
    if not roots or not all(os.path.isdir(r) for r in roots):
        return None
    try:
        data = first_screen_path(roots).read_bytes()
    except OSError:
        return None
    head = len(TOP_MAGIC) + 1 + 32
    if len(data) < head or not data.startswith(TOP_MAGIC) or data[len(TOP_MAGIC)] != FORMAT:
        return None
    payload = data[head:]
    if _digest(payload) != data[len(TOP_MAGIC) + 1 : head]:
        return None
    try:
        stored_roots, sort, folders, top, total = marshal.loads(payload)
        if sorted(stored_roots) != sorted(os.path.abspath(r) for r in roots):
            return None
        for folder, mtime_ns in folders:
            if os.stat(folder).st_mtime_ns != mtime_ns:
                return None  # files were added, removed or renamed
        entries = []
        for path, mtime_ns, size, fields in top:
            st = os.stat(path)
            if (st.st_mtime_ns, st.st_size) != (mtime_ns, size):
                fields, _ = parse_file(path)  # edited since: read again
            if fields is not None:
                entries.append(_entry(path, fields))
        return FirstScreen(sort, entries, total)
    except (OSError, EOFError, ValueError, TypeError):
        return None


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


class _CacheWriter(threading.Timer):
    """Writes the cache after a delay, or at once when asked to finish."""

    def __init__(self, delay: float, path: Path, roots: Sequence[Path], records: dict[str, Record]) -> None:
        self._lock = threading.Lock()
        self._done = False
        super().__init__(delay, self._write, args=(path, roots, records))
        self.name = "index-cache-writer"

    def _write(self, path: Path, roots: Sequence[Path], records: dict[str, Record]) -> None:
        with self._lock:
            if not self._done:
                self._done = True
                write_cache(path, roots, records)

    def finish(self) -> None:
        self.cancel()
        self._write(*self.args)
        self.join()


_writers: dict[str, _CacheWriter] = {}


def flush() -> None:
    """Write every cache write still waiting, now."""
    for writer in list(_writers.values()):
        writer.finish()


WRITE_DELAY = 1.0  # seconds the reader waits before writing the cache
FIRST_SCREEN_WAIT = 1.0  # at most this long, the index waits for the first screen to be painted


# -- building -------------------------------------------------------------------------
Progress = Callable[[int, int], None]
Batch = Callable[[list[Entry], list[LoadIssue]], None]


@dataclass
class IndexStats:
    files: int = 0
    cached: int = 0
    parsed: int = 0
    removed: int = 0
    seconds: float = 0.0
    workers: int = 1
    complete: bool = True
    cache_file: str = ""


@dataclass
class IndexResult:
    entries: list[Entry]
    issues: list[LoadIssue]
    stats: IndexStats = field(default_factory=IndexStats)
    roots: list[Path] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict, repr=False)
    folders: list[tuple[str, int]] = field(default_factory=list, repr=False)

    def save_first_screen(self, sort: str, rows: Sequence[Entry]) -> None:
        """Keep the first rows in display order for the next start (see
        :func:`read_first_screen`)."""
        if not self.stats.complete or not self.roots or not all(os.path.isdir(r) for r in self.roots):
            return
        top = []
        for entry in rows[:FIRST_SCREEN_ROWS]:
            record = self.records.get(entry.path)
            if record is None or record[2] is None:
                return  # not a plain article of this index: keep no snapshot
            top.append((entry.path, record[0], record[1], record[2]))
        payload = marshal.dumps(([os.path.abspath(r) for r in self.roots], sort, self.folders, top, len(self.entries)))
        _write_atomically(first_screen_path(self.roots), TOP_MAGIC + bytes([FORMAT]) + _digest(payload) + payload)


def build(
    roots: Sequence[Path],
    *,
    progress: Progress | None = None,
    batch: Batch | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    write_delay: float = 0.0,
) -> IndexResult:
    """Index the collection under ``roots``: cached entries at once, then
    new and changed files parsed (in parallel when there are many).

    ``batch`` is called with each group of entries as they become known
    (cached ones first), so a screen can fill while indexing runs.
    ``cancelled`` is polled between chunks: when it turns true, what was
    parsed so far is cached and the result is marked incomplete. The cache is
    written by a thread of its own, ``write_delay`` seconds later (the reader
    passes a second, so serialising 50,000 entries never competes with its
    first paint).
    """
    started = time.perf_counter()
    stats = IndexStats()
    issues: list[LoadIssue] = []
    folders: list[tuple[str, int]] = []
    stat_list = list(iter_stats(roots, issues, folders))
    stats.files = len(stat_list)
    cache_file = cache_path(roots)
    stats.cache_file = str(cache_file)
    pending = _writers.pop(str(cache_file), None)
    if pending is not None:
        pending.finish()  # the previous run's cache is not written yet: now
    cached = read_cache(cache_file, roots) if use_cache else {}
    records: dict[str, Record] = {}
    entries: list[Entry] = []
    todo: list[tuple[str, int, int]] = []
    for path, mtime_ns, size in stat_list:
        record = cached.get(path)
        if (
            record is not None
            and record[0] == mtime_ns
            and record[1] == size
            and (record[2] is None or len(record[2]) == _FIELD_COUNT)  # another version's cache: read again
        ):
            records[path] = record
            if record[2] is not None:
                entries.append(_entry(path, record[2]))
            else:
                issues.append(LoadIssue(path, record[3] or "could not be read"))
        else:
            todo.append((path, mtime_ns, size))
    stats.cached = len(records)
    present = {path for path, _, _ in stat_list}
    stats.removed = sum(1 for path in cached if path not in present)
    total = len(stat_list)
    done = len(records)
    if batch is not None and (entries or issues):
        batch(list(entries), list(issues))
    if progress is not None:
        progress(done, total)

    def take(results: Iterable[tuple[str, EntryFields | None, str | None]], meta: dict[str, tuple[int, int]]) -> None:
        nonlocal done
        new_entries: list[Entry] = []
        new_issues: list[LoadIssue] = []
        for path, fields, reason in results:
            mtime_ns, size = meta[path]
            records[path] = (mtime_ns, size, fields, reason)
            if fields is not None:
                new_entries.append(_entry(path, fields))
            else:
                new_issues.append(LoadIssue(path, reason or "could not be read"))
            done += 1
        entries.extend(new_entries)
        issues.extend(new_issues)
        if batch is not None:
            batch(new_entries, new_issues)
        if progress is not None:
            progress(done, total)

    meta = {path: (mtime_ns, size) for path, mtime_ns, size in todo}
    paths = [path for path, _, _ in todo]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if len(paths) >= PARALLEL_FROM and workers > 1:
        stats.workers = workers
        try:
            for chunk_results in _parallel(paths, workers, cancelled):
                take(chunk_results, meta)
        except Exception:  # noqa: BLE001 - any failure of the pool: carry on in this process
            # No worker processes here (sandbox, frozen app, no usable stderr...).
            stats.workers = 1
    rest = [path for path in paths if path not in records]
    for start in range(0, len(rest), SMALL_CHUNK):
        if cancelled():
            break
        take(_parse_chunk(rest[start : start + SMALL_CHUNK]), meta)
    stats.parsed = sum(1 for path in paths if path in records)
    stats.complete = stats.parsed == len(paths)
    if use_cache and (stats.parsed or stats.removed):
        # Written by a thread of its own: whoever waits for the entries does
        # not wait for the disk. Not a daemon: the process finishes it.
        writer = _CacheWriter(write_delay, cache_file, roots, records)
        _writers[str(cache_file)] = writer
        writer.start()
    stats.seconds = time.perf_counter() - started
    return IndexResult(entries, issues, stats, list(roots), records, folders)


# -- worker processes -----------------------------------------------------------------
# Plain child interpreters fed over pipes rather than multiprocessing: nothing
# has to be set up before a full-screen app takes over stderr, nothing queued
# is waited for at exit, and stopping them is a kill.
_WORKER = "import sys; sys.path[:0] = {path!r}; from {module} import {function}; {function}()"
_live_workers: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()
DEFAULT_TARGET = "tui.core.index:worker_main"


def worker_main() -> None:
    """A worker process: chunks of paths in on stdin, parsed entries out on stdout."""
    serve(_parse_chunk)


def serve(parse: Callable[[list[str]], object]) -> None:
    """The loop of a worker process: each chunk of paths in on stdin is
    answered on stdout with ``parse(paths)``, both in ``marshal``."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(4)
        if len(head) < 4:
            return
        paths = marshal.loads(source.read(int.from_bytes(head, "little")))
        reply = marshal.dumps(parse(paths))
        sink.write(len(reply).to_bytes(4, "little") + reply)
        sink.flush()


def _start_worker(target: str = DEFAULT_TARGET) -> subprocess.Popen[bytes]:
    package_parent = str(Path(__file__).resolve().parents[2])
    module, function = target.split(":")
    process = subprocess.Popen(
        [sys.executable, "-c", _WORKER.format(path=[package_parent], module=module, function=function)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl+C meant for the reader is not theirs
    )
    with _live_lock:
        _live_workers.add(process)
    return process


def _stop_worker(process: subprocess.Popen[bytes]) -> None:
    with _live_lock:
        _live_workers.discard(process)
    with _suppress():
        process.kill()
    for stream in (process.stdin, process.stdout):
        with _suppress():
            stream.close()  # type: ignore[union-attr]
    with _suppress():
        process.wait(2)


def _stop_pools() -> None:
    """Stop every worker process at once (called by whoever cancels)."""
    with _live_lock:
        live = list(_live_workers)
    for process in live:
        _stop_worker(process)


def _parallel(
    paths: list[str], workers: int, cancelled: Callable[[], bool], target: str = DEFAULT_TARGET, chunk: int = CHUNK
) -> Iterator[Any]:
    """Parse ``paths`` in ``workers`` child processes running ``target``
    (``module:function``, a loop of :func:`serve`), yielding each chunk's
    results as it comes back. A chunk whose worker failed is simply not
    yielded: the caller parses what is left in-process."""
    chunks = deque(paths[i : i + chunk] for i in range(0, len(paths), chunk))
    results: queue.Queue[Any] = queue.Queue()
    lock = threading.Lock()
    processes = [_start_worker(target) for _ in range(workers)]

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
                results.put(marshal.loads(process.stdout.read(int.from_bytes(head, "little"))))
        except (OSError, ValueError, EOFError, TypeError):
            pass  # a dead worker: its chunk is parsed by the caller
        finally:
            results.put(None)

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
        for process in processes:
            _stop_worker(process)


class IndexJob:
    """``build`` in a background thread, started as early as possible (before
    the UI is even imported), that a screen can follow: everything delivered
    so far, then each change, until it finishes."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = list(roots)
        self._changed = threading.Condition()
        self._entries: list[Entry] = []
        self._issues: list[LoadIssue] = []
        self._progress = (0, 0)
        self._version = 0
        self._cancelled = False
        self._go = threading.Event()
        self.first_screen: FirstScreen | None = None
        self.result: IndexResult | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            first = read_first_screen(self.roots)
            if first is not None:
                with self._changed:
                    self.first_screen = first
                    self._version += 1
                    self._changed.notify_all()
                # Let the screen paint these rows before the walk and the
                # cache compete with it for the interpreter.
                self._go.wait(FIRST_SCREEN_WAIT)
            result = build(
                self.roots,
                progress=self._on_progress,
                batch=self._on_batch,
                cancelled=lambda: self._cancelled,
                write_delay=WRITE_DELAY,
            )
        except BaseException as exc:  # noqa: BLE001 - reported to whoever waits
            with self._changed:
                self.error = exc
                self._version += 1
                self._changed.notify_all()
            return
        with self._changed:
            self.result = result
            self._version += 1
            self._changed.notify_all()

    def go(self) -> None:
        """The first screen is painted: index now."""
        self._go.set()

    def _on_batch(self, entries: list[Entry], issues: list[LoadIssue]) -> None:
        with self._changed:
            self._entries.extend(entries)
            self._issues.extend(issues)
            self._version += 1
            self._changed.notify_all()

    def _on_progress(self, done: int, total: int) -> None:
        with self._changed:
            self._progress = (done, total)
            self._version += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, list[Entry], list[LoadIssue], tuple[int, int], bool]:
        """Block until something newer than version ``seen`` (or the timeout);
        return (version, entries so far, issues so far, progress, finished)."""
        with self._changed:
            if self._version == seen and self.result is None and self.error is None:
                self._changed.wait(timeout)
            finished = self.result is not None or self.error is not None
            return self._version, list(self._entries), list(self._issues), self._progress, finished

    def cancel(self, wait: float = 0.0) -> None:
        """Stop indexing (what was read is cached); wait up to ``wait`` s for it."""
        self._cancelled = True
        self._go.set()
        if self.result is None and self.error is None:
            _stop_pools()
        if wait:
            self._thread.join(wait)
