"""Keeping the index up to date with the files: updating, never rebuilding.

An update compares the files with what the index holds and re-reads only
what changed, in place:

* **full**: every folder is walked and every file stat'ed (``mtime_ns`` and
  size); what is new or changed is read again, what is gone is removed.
* **quick**: only the folders are stat'ed. A folder whose ``mtime`` is the
  one stored is trusted (no file was added, removed or renamed in it); a
  changed one is listed again and its files compared. A file edited in place
  leaves its folder's ``mtime`` alone: callers check the files they show
  (:meth:`Catalog.refresh`), and a full update finds every one.

Files are parsed in worker processes (all cores) when there are many, and
written in batches of :data:`BATCH` files, each one transaction holding the
rows and everything derived from them (the full-text words, the vocabulary,
URLs, related references, facets). Readers see each batch as it commits:
the index is queryable while it is built, and never holds half a file.
``state`` in the ``meta`` table is "building" until an update has finished
(story groups, sort indexes, folder times): an update that was killed is
resumed by the next one, which then walks every file.

Only one process updates a collection at a time (:class:`WriterLock`);
others wait for it, or read meanwhile.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.catalog import rows as R
from tui.core.catalog import schema
from tui.core.catalog.write import Batch, Writer
from tui.core.model import LoadIssue
from tui.core.safe_io import reason_for, refusal
from tui.core.walk import iter_folders, list_folder
from tui.core.workers import default_count as default_workers
from tui.core.workers import parallel

PARALLEL_FROM = 1500  # below this many files to parse, one process is faster (as tui.core.index)
TARGET = "tui.core.catalog.rows:worker_main"
BATCH = 2000  # files per write transaction
BATCH_SECONDS = 0.5  # ... or whatever was parsed in this long
SMALL_CHUNK = 100  # files parsed in this process between writes

Progress = Callable[[int, int], None]
OnBatch = Callable[[list[tuple[str, tuple]], list[LoadIssue]], None]


@dataclass
class UpdateStats:
    files: int = 0  # article files in the collection
    unchanged: int = 0
    parsed: int = 0
    removed: int = 0
    seconds: float = 0.0
    workers: int = 1
    complete: bool = True
    quick: bool = False
    path: str = ""
    notice: str = ""  # one line for the user (a damaged index moved aside...)
    waited: float = 0.0  # seconds spent waiting for another process's update


class ToParse:
    """Files to read (again): their paths, folders, times, sizes and ids in
    the index (-1: none), in compact arrays (a million files: ~130 MB, not
    the ~500 MB of tuples and dictionaries)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.dirs = array("q")
        self.mtimes = array("q")
        self.sizes = array("q")
        self.olds = array("q")

    def append(self, path: str, dir_id: int, mtime_ns: int, size: int, old: int | None) -> None:
        self.paths.append(path)
        self.dirs.append(dir_id)
        self.mtimes.append(mtime_ns)
        self.sizes.append(size)
        self.olds.append(-1 if old is None else old)

    def __len__(self) -> int:
        return len(self.paths)

    def meta(self, position: int) -> tuple[int, int, int, int | None]:
        """(folder id, mtime_ns, size, old id or None) of the file at ``position``."""
        old = self.olds[position]
        return self.dirs[position], self.mtimes[position], self.sizes[position], None if old < 0 else old

    def new_files(self) -> int:
        return self.olds.count(-1)


@dataclass
class Todo:
    """Files to read again and rows to remove, from comparing the files with the index."""

    parse: ToParse = field(default_factory=ToParse)
    gone: list[int] = field(default_factory=list)  # entry ids
    gone_issues: list[str] = field(default_factory=list)
    walk_issues: list[tuple[str, int, str]] = field(default_factory=list)  # path, dir, reason
    folders: dict[int, tuple[str, int | None, int, int]] = field(default_factory=dict)  # id -> path, mtime, dev, ino
    unchanged: int = 0


def update(
    roots: Sequence[str | os.PathLike[str]],
    *,
    path: Path | None = None,
    **kwargs: object,
) -> UpdateStats:
    """:func:`update_once`, and when SQLite finds the index damaged on the
    way, the file moved aside and the index built again, once, with a notice
    saying so. Raises :class:`schema.IndexUnusable`."""
    target = path or schema.index_path(roots)
    try:
        return update_once(roots, path=target, **kwargs)  # type: ignore[arg-type]
    except sqlite3.DatabaseError as exc:
        if not schema.is_damage(exc):
            raise schema.IndexUnusable(f"{target}: {exc}") from None
    lock = schema.WriterLock(target)
    lock.acquire()
    try:
        aside = schema.move_aside(target)
    finally:
        lock.release()
    kwargs["full"] = True
    stats = update_once(roots, path=target, **kwargs)  # type: ignore[arg-type]
    stats.notice = f"the index {target} was damaged; it was moved to {aside} and rebuilt"
    return stats


def update_once(
    roots: Sequence[str | os.PathLike[str]],
    *,
    full: bool | None = None,
    progress: Progress | None = None,
    on_batch: OnBatch | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    workers: int | None = None,
    path: Path | None = None,
    on_wait: Callable[[], None] | None = None,
) -> UpdateStats:
    """Bring the index of the collection at ``roots`` up to date.

    ``full``: stat every file (True), trust folder times (False), or decide
    (None: full when the index is new or an update did not finish).
    ``on_batch`` gets each written batch: (path, row) of the articles and the
    issues. ``on_wait`` is called once if another process is updating (this
    one then waits for it). Raises :class:`schema.IndexUnusable`.
    """
    started = time.perf_counter()
    roots = [os.path.abspath(r) for r in roots]
    target = path or schema.index_path(roots)
    lock = schema.WriterLock(target)
    if not lock.acquire(wait=0):
        if on_wait is not None:
            on_wait()
        lock.acquire()
    waited = time.perf_counter() - started
    try:
        opened = schema.open_index(roots, target)
        try:
            stats = _update(opened.conn, roots, full, progress, on_batch, cancelled, workers)
        finally:
            opened.conn.close()
    finally:
        lock.release()
    stats.path, stats.notice, stats.waited = str(target), opened.notice, waited
    stats.seconds = time.perf_counter() - started
    return stats


def _update(conn, roots, full, progress, on_batch, cancelled, workers) -> UpdateStats:  # noqa: ANN001
    state = schema.get_meta(conn, "state")
    quick = state == "complete" and not full
    # (no reference kept here: _apply lets go of the comparison before the build's end)
    stats = _apply(conn, _diff_quick(conn) if quick else _diff_full(conn, roots), state, progress, on_batch, cancelled, workers)
    stats.quick = quick
    return stats


def _apply(conn, todo: Todo, state: object, progress, on_batch, cancelled, workers) -> UpdateStats:  # noqa: ANN001
    """Write what the comparison found: removals, then the files read again."""
    stats = UpdateStats()
    writer = Writer(conn)
    stats.removed = len(todo.gone)
    if not (todo.parse or todo.gone or todo.gone_issues or todo.walk_issues) and state == "complete":
        writer.save_folders(todo.folders)  # a folder touched, no file changed: trusted again
        stats.files = stats.unchanged = writer.count()
        return stats
    total = writer.count() - len(todo.gone) - len(todo.gone_issues) + todo.parse.new_files()
    writer.begin_update(todo.folders)
    writer.remove(todo.gone, todo.gone_issues)
    writer.add_walk_issues(todo.walk_issues)
    done = total - len(todo.parse)
    stats.unchanged = done
    if progress is not None:
        progress(done, total)

    def take(batch: Batch) -> None:
        nonlocal done
        written, issues = writer.write(batch)
        done += len(batch.parsed)
        if on_batch is not None:
            on_batch(written, issues)
        if progress is not None:
            progress(done, total)

    work = todo.parse
    parsed = bytearray(len(work))  # 1 where read
    workers = workers if workers is not None else default_workers()
    if len(work) >= PARALLEL_FROM and workers > 1:
        stats.workers = workers
        try:
            _parse_parallel(work, workers, cancelled, parsed, take)
        except Exception:  # noqa: BLE001 - any failure of the pool: carry on in this process
            stats.workers = 1
    rest = [k for k in range(len(work)) if not parsed[k]]
    for start in range(0, len(rest), SMALL_CHUNK):
        if cancelled():
            break
        chunk = rest[start : start + SMALL_CHUNK]
        results, counts = R.parse_numbered([(k, work.paths[k]) for k in chunk])
        for k in chunk:
            parsed[k] = 1
        take(Batch(results, counts, work))
    stats.parsed = parsed.count(1)
    stats.complete = stats.parsed == len(work) and not cancelled()
    folders = todo.folders
    del work, parsed, rest, todo  # a million paths: memory the end of the build can use
    if stats.complete:
        writer.finish(folders, stories_full=state != "complete")
    stats.files = writer.count()
    return stats


def update_paths(
    roots: Sequence[str | os.PathLike[str]], paths: Sequence[str], *, path: Path | None = None
) -> UpdateStats:
    """Read these files again if they changed since they were indexed (or
    remove them if they are gone): what a command does for the rows it is
    about to print, where a quick update trusted their folders."""
    started = time.perf_counter()
    roots = [os.path.abspath(r) for r in roots]
    target = path or schema.index_path(roots)
    with _locked(roots, target) as conn:
        todo = Todo()
        for name in paths:
            name = os.path.abspath(name)
            row = conn.execute("SELECT id, dir, mtime_ns, size FROM entries WHERE path = ?", (R.db_path(name),)).fetchone()
            if row is None:
                continue
            try:
                st = os.stat(name)
            except OSError:
                todo.gone.append(row[0])
                continue
            if (st.st_mtime_ns, st.st_size) != (row[2], row[3]):
                todo.parse.append(name, row[1], st.st_mtime_ns, st.st_size, row[0])
        stats = _apply(conn, todo, schema.get_meta(conn, "state"), None, None, lambda: False, 1)
    stats.path, stats.seconds = str(target), time.perf_counter() - started
    return stats


@dataclass
class FolderChanges:
    """What :func:`update_folders` changed: the articles written (absolute
    path, row), the files that are issues now, and the paths that left."""

    written: list[tuple[str, tuple]] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # articles removed
    gone_issues: list[str] = field(default_factory=list)
    stats: UpdateStats = field(default_factory=UpdateStats)

    def __bool__(self) -> bool:
        return bool(self.written or self.issues or self.gone or self.gone_issues)


def update_folders(
    roots: Sequence[str | os.PathLike[str]], folders: Iterable[str] | None, *, path: Path | None = None
) -> FolderChanges | None:
    """Bring the index up to date for these folders only (a file watcher's
    news): each is listed again and its files compared with the index (new,
    changed, removed ones), a new sub-folder walked, a folder gone removed
    with the folders under it. Nothing else is stat'ed. ``folders=None``:
    every folder whose time changed (a file added, removed or renamed in
    it; only the folders are stat'ed, as a quick update). None when the index
    is not complete (an update was interrupted): a full update is needed.
    Raises :class:`schema.IndexUnusable` like :func:`update`."""
    roots = [os.path.abspath(r) for r in roots]
    with _locked(roots, path or schema.index_path(roots)) as conn:
        state = schema.get_meta(conn, "state")
        if state != "complete":
            return None
        todo = _diff_folders(conn, roots, folders)
        found = FolderChanges()
        found.gone = [R.py_path(p) for i in todo.gone for (p,) in conn.execute("SELECT path FROM entries WHERE id = ?", (i,))]
        found.gone_issues = list(todo.gone_issues)
        found.issues = [LoadIssue(p, reason) for p, _, reason in todo.walk_issues]

        def on_batch(written: list[tuple[str, tuple]], issues: list[LoadIssue]) -> None:
            found.written.extend(written)
            found.issues.extend(issues)

        found.gone_issues += [p for p in todo.parse.paths]  # read again: no longer an issue unless said again
        found.stats = _apply(conn, todo, state, None, on_batch, lambda: False, 1)
    return found


@contextmanager
def _locked(roots: list[str], target: Path) -> Iterator[sqlite3.Connection]:
    """The index at ``target``, open, while this process alone may update it."""
    lock = schema.WriterLock(target)
    lock.acquire()
    try:
        conn = schema.open_index(roots, target).conn
        try:
            yield conn
        finally:
            conn.close()
    finally:
        lock.release()


def _diff_folders(conn, roots: Sequence[str], names: Iterable[str] | None) -> Todo:  # noqa: ANN001
    todo = Todo()
    folders = _Folders(conn)
    if names is None:
        names = [p for p, (_, mtime_ns, *_r) in folders.known.items() if _mtime(p) != mtime_ns]
    known_dirs = {(d, n) for _, _, d, n in folders.known.values() if d}
    problems: list[LoadIssue] = []
    done: set[str] = set()
    for folder in sorted({os.path.abspath(n) for n in names}):
        if folder in done or not any(folder == r or folder.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
            continue
        done.add(folder)
        known = folders.known.get(folder)
        try:
            st = os.stat(folder)
        except OSError:
            st = None
        if st is None or not os.path.isdir(folder):
            if known is None:
                continue
            for sub, (dir_id, *_rest) in list(folders.known.items()):
                if sub == folder or sub.startswith(folder + os.sep):
                    _compare(conn, dir_id, (), todo)  # gone, and every folder under it
                    todo.folders[dir_id] = (sub, None, -1, -1)
                    done.add(sub)
            continue
        if known is None:
            walked = _walk(conn, [folder], folders, todo, seen_dirs=set(known_dirs))
            done.update(p for p, (i, *_r) in folders.known.items() if i in walked)
            continue
        files, subdirs = list_folder(folder, problems)
        todo.folders[known[0]] = (folder, st.st_mtime_ns, st.st_dev, st.st_ino)
        _compare(conn, known[0], files, todo)
        new = [sub for sub in subdirs if sub not in folders.known and sub not in done]
        if new:
            walked = _walk(conn, new, folders, todo, seen_dirs=set(known_dirs))
            done.update(p for p, (i, *_r) in folders.known.items() if i in walked)
    _walk_issues(problems, folders, todo)
    return todo


def _mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _parse_parallel(work: ToParse, workers: int, cancelled, parsed: bytearray, take) -> None:  # noqa: ANN001
    pending: list[Batch] = []
    size, since = 0, time.monotonic()
    items = [(k, path) for k, path in enumerate(work.paths)]
    for results, counts in parallel(items, workers, cancelled, target=TARGET):  # type: ignore[arg-type]
        pending.append(Batch(results, counts, work))
        for item in results:
            parsed[item[0]] = 1
        size += len(results)
        if size >= BATCH or time.monotonic() - since >= BATCH_SECONDS:
            take(Batch.merge(pending))
            pending, size, since = [], 0, time.monotonic()
    if pending:
        take(Batch.merge(pending))


# -- comparing the files with the index ---------------------------------------------------
class _Folders:
    """The folders table, read once: path -> (id, mtime_ns); new ids as needed."""

    def __init__(self, conn) -> None:  # noqa: ANN001
        self.conn = conn
        rows = conn.execute("SELECT id, path, mtime_ns, dev, ino FROM folders")
        self.known = {R.py_path(p): (i, m, d, n) for i, p, m, d, n in rows}
        self.next = 1 + max((v[0] for v in self.known.values()), default=0)

    def id_of(self, folder: str) -> int:
        found = self.known.get(folder)
        if found is not None:
            return found[0]
        i = self.next
        self.next += 1
        self.known[folder] = (i, None, 0, 0)
        return i


def _compare(conn, dir_id: int, files: Iterable[tuple[str, int, int]], todo: Todo) -> None:  # noqa: ANN001
    """Compare one folder's files with its rows in the index."""
    py = R.py_path
    rows = {py(p): (i, m, s) for p, i, m, s in conn.execute("SELECT path, id, mtime_ns, size FROM entries WHERE dir = ?", (dir_id,))}
    issues = {py(p): (m, s) for p, m, s in conn.execute("SELECT path, mtime_ns, size FROM issues WHERE dir = ?", (dir_id,))}
    for path, mtime_ns, size in files:
        row = rows.pop(path, None)
        if row is not None:
            if row[1] == mtime_ns and row[2] == size:
                todo.unchanged += 1
            else:
                todo.parse.append(path, dir_id, mtime_ns, size, row[0])
            continue
        issue = issues.pop(path, None)
        if issue is not None and issue[0] == mtime_ns and issue[1] == size:
            todo.unchanged += 1
        else:
            todo.parse.append(path, dir_id, mtime_ns, size, None)
    todo.gone.extend(i for i, _, _ in rows.values())
    todo.gone_issues.extend(issues)


def _walk(conn, roots: Iterable[str], folders: _Folders, todo: Todo, seen_dirs: set[tuple[int, int]] | None = None) -> set[int]:  # noqa: ANN001
    """Walk ``roots`` recursively, comparing each folder; the folder ids walked."""
    walked: set[int] = set()
    problems: list[LoadIssue] = []
    for folder, st, files in iter_folders(roots, problems, seen_dirs):
        if folder is None or st is None:
            continue  # a file named explicitly: see _explicit
        dir_id = folders.id_of(folder)
        walked.add(dir_id)
        if folders.known[folder][1] != st.st_mtime_ns:
            todo.folders[dir_id] = (folder, st.st_mtime_ns, st.st_dev, st.st_ino)
        _compare(conn, dir_id, files, todo)
    _walk_issues(problems, folders, todo)
    return walked


def _walk_issues(problems: list[LoadIssue], folders: _Folders, todo: Todo) -> None:
    for issue in problems:
        parent = folders.known.get(os.path.dirname(issue.path))
        todo.walk_issues.append((issue.path, parent[0] if parent else 0, issue.reason))


def _explicit(conn, roots: Iterable[str], todo: Todo) -> None:  # noqa: ANN001
    """Roots that are files (named on the command line): stat'ed every time (folder 0)."""
    files = []
    problems: list[LoadIssue] = []
    for root in roots:
        if os.path.isdir(root):
            continue
        try:
            st = os.stat(root)
        except OSError as exc:
            problems.append(LoadIssue(root, reason_for(exc)))
            continue
        if refusal(st.st_mode):
            problems.append(LoadIssue(root, refusal(st.st_mode)))  # a FIFO, a device: not an article
            continue
        files.append((root, st.st_mtime_ns, st.st_size))
    _compare(conn, 0, files, todo)
    todo.walk_issues.extend((i.path, 0, i.reason) for i in problems)


def _diff_full(conn, roots: Sequence[str]) -> Todo:  # noqa: ANN001
    todo = Todo()
    folders = _Folders(conn)
    _explicit(conn, roots, todo)
    walked = _walk(conn, [r for r in roots if os.path.isdir(r)], folders, todo)
    for path, (dir_id, *_rest) in folders.known.items():
        if dir_id not in walked:
            _compare(conn, dir_id, (), todo)  # a folder that is gone: its rows go
            todo.folders[dir_id] = (path, None, -1, -1)  # removed from the table at the end
    return todo


def _diff_quick(conn) -> Todo:  # noqa: ANN001
    todo = Todo()
    folders = _Folders(conn)
    roots = [str(r) for r in json.loads(str(schema.get_meta(conn, "roots")))]
    _explicit(conn, roots, todo)
    known_dirs = {(d, n) for _, _, d, n in folders.known.values() if d}
    new_folders: list[str] = []
    problems: list[LoadIssue] = []
    for path, (dir_id, mtime_ns, _dev, _ino) in list(folders.known.items()):
        try:
            st = os.stat(path)
        except OSError:
            _compare(conn, dir_id, (), todo)
            todo.folders[dir_id] = (path, None, -1, -1)
            continue
        if mtime_ns is not None and st.st_mtime_ns == mtime_ns:
            continue
        files, subdirs = list_folder(path, problems)
        todo.folders[dir_id] = (path, st.st_mtime_ns, st.st_dev, st.st_ino)
        _compare(conn, dir_id, files, todo)
        new_folders.extend(s for s in subdirs if s not in folders.known)
    _walk_issues(problems, folders, todo)
    if new_folders:
        _walk(conn, new_folders, folders, todo, seen_dirs=set(known_dirs))
    return todo


__all__ = ["BATCH", "FolderChanges", "UpdateStats", "update", "update_folders"]
