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
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from tui.core import locations
from tui.core.loader import iter_stats, read_article
from tui.core.model import Entry, LoadIssue

FORMAT = 1
MAGIC = b"TUIRIDX"
PARALLEL_FROM = 1500  # below this many files to parse, one process is faster
CHUNK = 200  # files per task for a worker process
SMALL_CHUNK = 100  # files between progress reports when parsing in-process

# One file's cache record: (mtime_ns, size, entry fields | None, issue reason | None)
EntryFields = tuple  # see _fields / _entry
Record = tuple[int, int, EntryFields | None, str | None]


def _fields(entry: Entry) -> EntryFields:
    return (
        entry.title,
        entry.provider,
        entry.domain,
        entry.ts,
        entry.topics,
        entry.excerpt,
        entry.url,
        entry.quality,
        entry.heat,
        entry.flags,
        entry.url_key,
    )


def _entry(path: str, f: EntryFields) -> Entry:
    return Entry(path, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10])


def parse_file(path: str) -> tuple[EntryFields | None, str | None]:
    result = read_article(path)
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


def write_cache(path: Path, roots: Sequence[Path], records: dict[str, Record]) -> None:
    """Atomically: a temporary file in the same folder, fsync, rename."""
    payload = marshal.dumps(([os.path.abspath(r) for r in roots], records))
    blob = MAGIC + bytes([FORMAT]) + hashlib.blake2b(payload, digest_size=32).digest() + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".index-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with _suppress():
                os.unlink(tmp)
            raise
    except OSError:
        pass  # a cache we cannot write only costs speed next time


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


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


def build(
    roots: Sequence[Path],
    *,
    progress: Progress | None = None,
    batch: Batch | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> IndexResult:
    """Index the collection under ``roots``: cached entries at once, then
    new and changed files parsed (in parallel when there are many).

    ``batch`` is called with each group of entries as they become known
    (cached ones first), so a screen can fill while indexing runs.
    ``cancelled`` is polled between chunks: when it turns true, what was
    parsed so far is cached and the result is marked incomplete.
    """
    started = time.perf_counter()
    stats = IndexStats()
    issues: list[LoadIssue] = []
    stat_list = list(iter_stats(roots, issues))
    stats.files = len(stat_list)
    cache_file = cache_path(roots)
    stats.cache_file = str(cache_file)
    cached = read_cache(cache_file, roots) if use_cache else {}
    records: dict[str, Record] = {}
    entries: list[Entry] = []
    todo: list[tuple[str, int, int]] = []
    for path, mtime_ns, size in stat_list:
        record = cached.get(path)
        if record is not None and record[0] == mtime_ns and record[1] == size:
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
        write_cache(cache_file, roots, records)
    stats.seconds = time.perf_counter() - started
    return IndexResult(entries, issues, stats)


def prepare_workers() -> None:
    """Start multiprocessing's helper process now, while stderr is a real file.

    A full-screen app replaces ``sys.stderr`` with an object without a file
    descriptor, and the resource tracker cannot start after that.
    """
    try:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    except Exception:  # noqa: BLE001 - only an optimisation
        pass


def _parallel(
    paths: list[str], workers: int, cancelled: Callable[[], bool]
) -> Iterator[list[tuple[str, EntryFields | None, str | None]]]:
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    # spawn, not fork: the reader runs threads, and forking a threaded process can deadlock.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    try:
        futures = [pool.submit(_parse_chunk, chunk) for chunk in chunks]
        for future in as_completed(futures):
            if cancelled():
                return
            yield future.result()
    finally:
        pool.shutdown(wait=not cancelled(), cancel_futures=True)
