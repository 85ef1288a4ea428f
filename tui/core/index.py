"""The index, as the reader loads it today: every article's compact entry
in memory, from the on-disk index (:mod:`tui.core.catalog`).

A start brings the collection's on-disk index up to date (every file
stat'ed, only new or changed ones parsed, in worker processes when there are
many) and reads every entry from it. The worker processes are plain child
interpreters fed chunks of paths over pipes (:mod:`tui.core.workers`), as
for the on-disk index's builder.

Next to the entries, :func:`read_first_screen` gives the rows the last run
showed first (their paths are kept in the index), checked against the files,
in milliseconds: a warm start paints them before the index is read.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.catalog import schema
from tui.core.catalog.rows import entry_from_row
from tui.core.model import Entry, LoadIssue

PARALLEL_FROM = 1500  # below this many files to parse, one process is faster
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


# -- the first screen ---------------------------------------------------------------
# The index keeps the paths of the first rows the last run showed, in display
# order. A start reads them (milliseconds) and shows them before the index is
# even brought up to date, but only when the index is complete and no folder
# changed (no file was added, removed or renamed), and each row whose file
# changed is read again: no row on screen is ever older than its file. The
# full index replaces them moments later.
FIRST_SCREEN_ROWS = 300


@dataclass
class FirstScreen:
    sort: str
    entries: list[Entry]
    total: int  # articles in the whole collection when it was saved


def read_first_screen(roots: Sequence[Path]) -> FirstScreen | None:
    """The rows saved by the last run, checked against the files, or None."""
    from tui.core.catalog.read import GivenPaths
    from tui.core.catalog.rows import db_path, py_path

    if not roots or not all(os.path.isdir(r) for r in roots):
        return None
    path = schema.index_path(roots)
    if not path.is_file() or schema.check_file(path, roots):
        return None
    shown = GivenPaths(roots)
    try:
        conn = schema.connect(path, readonly=True)
    except sqlite3.Error:
        return None
    try:
        saved = json.loads(str(schema.get_meta(conn, "first_screen", "null")))
        if not isinstance(saved, dict) or schema.get_meta(conn, "state") != "complete":
            return None
        for folder, mtime_ns in conn.execute("SELECT path, mtime_ns FROM folders"):
            if mtime_ns is None or os.stat(py_path(folder)).st_mtime_ns != mtime_ns:
                return None  # files were added, removed or renamed
        rows = {}
        paths = [str(p) for p in saved["paths"]]
        for start in range(0, len(paths), 900):
            part = [db_path(p) for p in paths[start : start + 900]]
            query = f"SELECT path, mtime_ns, size, {_ENTRY_COLUMNS} FROM entries WHERE path IN ({','.join('?' * len(part))})"
            rows.update({py_path(r[0]): r[1:] for r in conn.execute(query, part)})
        entries = []
        for name in paths:
            row = rows.get(name)
            if row is None:
                return None
            st = os.stat(name)
            if (st.st_mtime_ns, st.st_size) != (row[0], row[1]):
                fields, _ = parse_file(name)  # edited since: read again
                if fields is not None:
                    entries.append(_entry(shown(name), fields))
            else:
                entries.append(entry_from_row(shown(name), row[2:]))
        return FirstScreen(str(saved["sort"]), entries, int(saved["total"]))
    except (OSError, sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        conn.close()


def flush() -> None:
    """Nothing to do: the on-disk index is written as it goes (kept for callers)."""


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
    notice: str = ""  # one line for the user: the index was damaged and rebuilt, or cannot be kept
    cache_problem: str = ""  # why the cache folder cannot hold the index ("" when it can): one line for the user


@dataclass
class IndexResult:
    entries: list[Entry]
    issues: list[LoadIssue]
    stats: IndexStats = field(default_factory=IndexStats)
    roots: list[Path] = field(default_factory=list)
    records: dict = field(default_factory=dict, repr=False)  # (kept for callers: nothing to drop now)
    folders: list[tuple[str, int]] = field(default_factory=list, repr=False)

    def save_first_screen(self, sort: str, rows: Sequence[Entry]) -> None:
        """Keep the first rows in display order for the next start (see
        :func:`read_first_screen`): their paths, in the index."""
        if self.stats.complete and self.roots and self.stats.cache_file:
            save_first_screen(Path(self.stats.cache_file), sort, [e.path for e in rows], len(self.entries))


def save_first_screen(index_file: Path, sort: str, paths: Sequence[str], total: int) -> None:
    """Keep these paths (the first rows, in display order, ``sort``) in the
    index, with its generation now (see :func:`read_first_screen`)."""
    try:
        conn = schema.connect(index_file)
        try:
            with schema.transaction(conn):
                saved = {
                    "sort": sort,
                    "paths": [os.path.abspath(p) for p in paths[:FIRST_SCREEN_ROWS]],
                    "total": total,
                    "generation": _generation(conn),
                }
                schema.set_meta(conn, "first_screen", json.dumps(saved))
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # only costs the next start its first screen


def _generation(conn: sqlite3.Connection) -> int:
    return int(schema.get_meta(conn, "generation", 0))  # type: ignore[arg-type]


def cache_path(roots: Sequence[Path]) -> Path:
    """The collection's on-disk index."""
    return schema.index_path(roots)


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
    """Index the collection under ``roots`` (every file stat'ed, only new or
    changed ones parsed, in parallel when there are many) and read every
    entry back.

    ``batch`` is called with each group of entries as they are parsed, then
    with all the others (so a screen can fill while indexing runs).
    ``cancelled`` is polled between chunks: when it turns true, what was
    parsed so far stays in the index and the result is marked incomplete.
    ``use_cache=False`` indexes into a temporary database (a cold index).
    ``write_delay`` is kept for callers: the index is written as it goes.
    """
    from tui.core.catalog import build as catalog_build
    from tui.core.catalog.read import GivenPaths
    from tui.core.catalog.rows import entry_from_row, py_path

    started = time.perf_counter()
    shown = GivenPaths(roots)
    scratch = None if use_cache else Path(tempfile.mkdtemp(prefix="tui-reader-cold-"))
    target = scratch / "index.sqlite3" if scratch is not None else schema.index_path(roots)
    delivered: set[str] = set()
    problem = ""

    def on_batch(written: list[tuple[str, tuple]], issues: list[LoadIssue]) -> None:
        if batch is None:
            return
        delivered.update(p for p, _ in written)
        delivered.update(i.path for i in issues)
        batch([entry_from_row(shown(p), row) for p, row in written], [LoadIssue(shown(i.path), i.reason) for i in issues])

    try:
        try:
            done = catalog_build.update(roots, full=True, progress=progress, on_batch=on_batch, cancelled=cancelled, workers=workers, path=target)
        except schema.IndexUnusable as exc:
            from tui.core.text import clean_path

            problem = f"The index cache folder {clean_path(target.parent)} cannot be used ({exc}): every file is read again at each start."
            scratch = Path(tempfile.mkdtemp(prefix="tui-reader-cold-"))
            target = scratch / "index.sqlite3"
            done = catalog_build.update(roots, full=True, progress=progress, on_batch=on_batch, cancelled=cancelled, workers=workers, path=target)
        conn = schema.connect(target)
        try:
            entries = [entry_from_row(shown(py_path(r[0])), r[1:]) for r in conn.execute(f"SELECT path, {_ENTRY_COLUMNS} FROM entries ORDER BY id")]
            issues = [LoadIssue(shown(py_path(p)), reason) for p, reason in conn.execute("SELECT path, reason FROM issues ORDER BY path")]
        finally:
            conn.close()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if batch is not None:
        rest_entries = [e for e in entries if os.path.abspath(e.path) not in delivered]
        rest_issues = [i for i in issues if os.path.abspath(i.path) not in delivered]
        if rest_entries or rest_issues:
            batch(rest_entries, rest_issues)
    stats = IndexStats(
        files=done.files,
        cached=done.unchanged,
        parsed=done.parsed,
        removed=done.removed,
        workers=done.workers,
        complete=done.complete,
        cache_file="" if scratch is not None else str(target),
        notice=done.notice,
        cache_problem=problem,
    )
    stats.seconds = time.perf_counter() - started
    return IndexResult(entries, issues, stats, list(roots))


_ENTRY_COLUMNS = "title, provider, domain, ts, topics, excerpt, url, quality, heat, flags, key, keys, refs, words"


DEFAULT_TARGET = "tui.core.index:worker_main"


def worker_main(parent: int | None = None) -> None:
    """A worker process: chunks of paths in on stdin, parsed entries out on stdout."""
    from tui.core.workers import serve

    serve(_parse_chunk, parent)


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
        # Read here, before any screen exists (milliseconds: a few queries and
        # stats), so the very first one can show these rows.
        try:
            self.first_screen: FirstScreen | None = read_first_screen(self.roots)
        except Exception:  # noqa: BLE001 - only costs the first screen
            self.first_screen = None
        if self.first_screen is not None:
            self._version += 1
        self.result: IndexResult | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            if self.first_screen is not None:
                # Let the screen paint these rows before the walk and the
                # index compete with it for the interpreter.
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
            from tui.core.workers import stop_all

            stop_all()
        if wait:
            self._thread.join(wait)
