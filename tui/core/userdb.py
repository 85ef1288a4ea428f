"""The user's own data: one SQLite database that never loses a returned write.

Bookmarks, reading state, the last position per collection, saved views and
recent queries all live in ``locations.bookmarks_db()``; :class:`UserDB`
opens it, and :class:`tui.core.bookmarks.BookmarkStore` and
:class:`tui.core.queries.QueryStore` are its two faces.

* Every write is one ``BEGIN IMMEDIATE`` transaction (:meth:`UserDB.write`)
  in WAL mode with ``synchronous=FULL``: a read-modify-write reads inside its
  transaction, so several processes writing at once merge, never undo each
  other.
* Opening never raises: a damaged database is renamed aside (never
  overwritten) and a new one started; an unwritable location or a database
  from a newer version gives an in-memory store seeded from the file (a
  newer version's file is only read, never changed). Either way
  :attr:`UserDB.notice` holds a one-line message for the user. Writes on an
  open store may still raise :class:`sqlite3.Error` (disk full, locked for
  longer than the timeout).
* The schema is versioned (``PRAGMA user_version``) and migrated forward in
  one transaction by :data:`MIGRATIONS`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self

from tui.core import locations
from tui.core.atomic import fsync_dir

TIMEOUT = 10.0

# The bookmarks table's columns, in the order rows are read and written.
BOOKMARK_COLUMNS = ("key", "title", "url", "provider", "published", "path", "added_at", "tags", "note", "external")


def _migrate_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE IF NOT EXISTS bookmarks (
            key TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            provider TEXT NOT NULL DEFAULT '',
            published TEXT,
            path TEXT,
            added_at TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            external INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS bookmarks_added_at ON bookmarks(added_at)")


def _migrate_2(conn: sqlite3.Connection) -> None:
    """Reading state and the last position per collection (bookmarks untouched)."""
    conn.execute(
        """CREATE TABLE IF NOT EXISTS reading (
            key TEXT PRIMARY KEY,
            read_at TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE IF NOT EXISTS positions (
            collection TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            scroll REAL NOT NULL DEFAULT 0,
            saved_at TEXT NOT NULL
        )"""
    )


def _migrate_3(conn: sqlite3.Connection) -> None:
    """Saved views and recent queries (they were in ``queries.json``; the
    :class:`~tui.core.queries.QueryStore` imports that file once, see
    ``meta``), and a small key/value table for such one-time facts."""
    conn.execute("CREATE TABLE IF NOT EXISTS views (name TEXT PRIMARY KEY, query TEXT NOT NULL, seq INTEGER NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS recent (query TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


# Version N is reached by running MIGRATIONS[N] on a version N-1 database.
# A new schema adds one function here; existing entries never change.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3}
SCHEMA_VERSION = max(MIGRATIONS)
TABLES = ("bookmarks", "reading", "positions", "views", "recent", "meta")


class _Damaged(sqlite3.DatabaseError):
    """The file opens but does not pass the integrity or schema check."""


def _is_damage(exc: sqlite3.Error) -> bool:
    if isinstance(exc, _Damaged):
        return True
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT"):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another process holds the lock: worth waiting for."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that takes the write lock up front: what it
    reads cannot change before it commits."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check_schema(conn: sqlite3.Connection) -> None:
    names = {row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")}
    missing = [c for c in BOOKMARK_COLUMNS if c not in names]
    if missing:
        raise _Damaged("bookmarks table lacks " + ", ".join(missing))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    lacking = [t for t in TABLES[1:] if t not in tables]
    if lacking:
        raise _Damaged("no " + " or ".join(lacking) + " table")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


# The files a store of this process has open (real paths, with how many stores).
_OPEN_FILES: dict[str, int] = {}


def _open_here(path: Path) -> bool:
    return _OPEN_FILES.get(os.path.realpath(path), 0) > 0


# Files whose check passed in this process, as they were then; the checks running (see check_ahead).
_PASSED: set[tuple[object, ...]] = set()
_CHECKING: dict[str, threading.Event] = {}


def _as_now(path: Path) -> tuple[object, ...] | None:
    """A file as it is: its size and time, and its write-ahead log's size
    (a write adds to it; a reader may create it empty)."""
    try:
        main = os.stat(path)
    except OSError:
        return None
    try:
        log = os.stat(f"{path}-wal").st_size
    except OSError:
        log = 0
    return (os.path.realpath(path), main.st_size, main.st_mtime_ns, log)


def check_ahead(path: Path) -> bool:
    """Check a store's file now, in a thread, for the store that opens it
    soon (SQLite's quick_check reads the whole file: with a million articles
    read, 0.1-0.2 s that the start then overlaps with importing the UI). Only
    a file that passes is remembered, as it was: opened unchanged, its check
    is not made again. Never raises: the store's own check says what is
    wrong. Returns whether it passed."""
    before = _as_now(path)
    if before is None:
        return False
    _CHECKING[os.path.realpath(path)] = done = threading.Event()
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=TIMEOUT, isolation_level=None)
        try:
            version = _inspect(conn)
        finally:
            conn.close()
        if version <= SCHEMA_VERSION and _as_now(path) == before:
            _PASSED.add(before)
            return True
    except sqlite3.Error:  # (damaged: the store's own check says how)
        pass
    finally:
        done.set()
    return False


def _inspect(conn: sqlite3.Connection) -> int:
    """The schema version of a store's file, after SQLite's quick_check and
    a look at its tables; raises :class:`_Damaged` when it is damaged."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    check = conn.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise _Damaged("integrity check failed: " + str(check[0][0] if check else "no answer"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables:
        raise _Damaged("not a bookmarks database")
    if version >= 1 and "bookmarks" not in tables:
        raise _Damaged("no bookmarks table")
    return version


class UserDB:
    """The database at ``locations.bookmarks_db()`` (or *path*), open and migrated."""

    # The first words of the notice when nothing will be saved (subclasses say what).
    NOT_SAVED = "Your data will not be saved"

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else locations.bookmarks_db()
        self.notice: str | None = None
        self.persistent = True  # False: in memory, nothing is saved
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._open()
        self._real = os.path.realpath(self.path) if self.persistent else ""
        if self._real:
            _OPEN_FILES[self._real] = _OPEN_FILES.get(self._real, 0) + 1

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the store is closed")
        return self._conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), this process's threads
        one at a time: everything read inside it is current until it commits."""
        with self._lock, transaction(self.conn) as conn:
            yield conn

    def meta(self, name: str) -> str | None:
        """A value of the small ``meta`` table (one-time facts, remembered choices)."""
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row is not None else None

    def set_meta(self, name: str, value: str) -> None:
        """Set one value of the ``meta`` table: one transaction."""
        with self.write() as conn:
            conn.execute("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))

    def data_version(self) -> int:
        """A number that moves when another connection (another process: a
        second reader, the command line) commits to the database, never on
        this one's own writes (SQLite's ``PRAGMA data_version``)."""
        with self._lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                if self._real:
                    _OPEN_FILES[self._real] -= 1

    # -- opening ----------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._in_memory(f"cannot create {self.path.parent} ({_reason(exc)})", copy=False)
        try:
            return self._open_file()
        except (sqlite3.Error, OSError) as exc:
            if not (isinstance(exc, sqlite3.Error) and _is_damage(exc)):
                return self._in_memory(f"cannot open {self.path} ({_reason(exc)})")
        try:
            aside = self._move_aside()
        except OSError as exc:
            return self._in_memory(f"{self.path} is damaged and could not be moved aside ({_reason(exc)})", copy=False)
        moved = f"The bookmarks database was damaged; it was kept as {aside} and a new one started."
        try:
            conn = self._open_file()
        except (sqlite3.Error, OSError) as exc:
            conn = self._in_memory(f"cannot create {self.path} ({_reason(exc)})", copy=False)
            self.notice = moved + " " + (self.notice or "")
            return conn
        self.notice = moved
        return conn

    def _open_file(self) -> sqlite3.Connection:
        """Open (creating if need be) the file; a lock held by another reader
        is waited for, up to :data:`TIMEOUT`, never taken as a reason to fall
        back to memory."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                return self._open_file_once()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(0.02)

    def _open_file_once(self) -> sqlite3.Connection:
        if not self.path.exists():
            self._create()
        newer = self._check_file()
        if newer is not None:
            return newer
        conn = sqlite3.connect(self.path, timeout=TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")  # a file from before WAL
            conn.execute("PRAGMA synchronous=FULL")
            migrate(conn)
            _check_schema(conn)
            return conn
        except BaseException:
            conn.close()
            raise

    def _create(self) -> None:
        """Make a complete, empty store beside the path and link it into place.

        Another process starting at the same moment therefore never sees a
        half-made database (which it would take for a damaged one, or find
        locked); whichever link lands first wins, and both then use it.
        """
        tmp = self.path.with_name(f".{self.path.name}.new-{os.getpid()}-{threading.get_ident()}")
        mine = {f"{tmp.name}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")}
        for stale in self.path.parent.glob(f".{self.path.name}.new-*"):
            try:  # one left by a reader killed while creating (never a live one's: minutes old)
                if stale.name in mine or time.time() - stale.stat().st_mtime > 600:
                    stale.unlink()
            except OSError:
                pass
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            migrate(conn)
        finally:
            conn.close()  # the last connection: checkpointed, the -wal removed
        try:
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            except OSError:  # no hard links here: a rename that never replaces
                if not self.path.exists():
                    try:
                        os.rename(tmp, self.path)
                    except FileExistsError:
                        pass
            fsync_dir(self.path.parent)
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)

    def _check_file(self) -> sqlite3.Connection | None:
        """Check an existing file without writing to it (a read-write close
        would checkpoint and delete a damaged file's WAL).

        Raises :class:`sqlite3.DatabaseError` when it is damaged; returns an
        in-memory copy when it is from a newer version, else None.
        """
        running = _CHECKING.get(os.path.realpath(self.path))
        if running is not None:
            running.wait(TIMEOUT)  # (being checked ahead: not twice)
        if _as_now(self.path) in _PASSED:
            return None  # checked a moment ago (check_ahead), unchanged since
        # Closing any descriptor of the file drops every POSIX lock this
        # process holds on it, the shared lock of a store already open here
        # included (the reader opens two: bookmarks and queries). Another
        # process closing then takes itself for the last user and deletes
        # the WAL from under that store: its writes are lost. So the header
        # is read only when no store of this process has the file open.
        if not _open_here(self.path):
            with open(self.path, "rb") as f:
                header = f.read(16)
            if len(header) == 16 and header != b"SQLite format 3\x00":
                raise _Damaged("file is not a database")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=TIMEOUT, isolation_level=None)
        try:
            version = _inspect(conn)
            if version > SCHEMA_VERSION:
                return self._in_memory(
                    f"{self.path} is from a newer version of the reader "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); it is only read",
                    source=conn,
                )
            return None
        finally:
            conn.close()

    def _in_memory(self, reason: str, copy: bool = True, source: sqlite3.Connection | None = None) -> sqlite3.Connection:
        """A store that works but saves nothing, seeded from the file if it can be read."""
        self.persistent = False
        self.notice = f"{self.NOT_SAVED}: {reason}."
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if copy or source is not None:
            try:
                if source is not None:
                    source.backup(conn)
                elif self.path.is_file():
                    self._copy_read_only(conn)
                with transaction(conn):  # a newer schema's copy: this version's tables too (only in memory)
                    for step in MIGRATIONS.values():
                        step(conn)
                _check_schema(conn)
                return conn
            except (sqlite3.Error, OSError):
                conn.close()
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        migrate(conn)
        return conn

    def _copy_read_only(self, target: sqlite3.Connection) -> None:
        uri = self.path.resolve().as_uri()
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                src = sqlite3.connect(uri + query, uri=True, timeout=TIMEOUT)
            except sqlite3.Error:
                continue
            try:
                src.backup(target)
                if target.execute("PRAGMA user_version").fetchone()[0] <= SCHEMA_VERSION:
                    migrate(target)
                return
            except sqlite3.Error:
                continue
            finally:
                src.close()
        raise sqlite3.OperationalError("cannot read " + str(self.path))

    def _move_aside(self) -> Path:
        """Rename the damaged file (and its -wal/-shm) out of the way; never overwrite."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        base = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while any(Path(f"{base}{s}").exists() for s in ("", "-wal", "-shm")):
            base = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{self.path}{suffix}")
            if src.exists():
                os.rename(src, f"{base}{suffix}")
        return base

    def go_in_memory(self, reason: str) -> None:
        """Keep working on a copy in memory after a write to the file failed
        (disk full, folder gone read-only): nothing more is saved, and
        :attr:`notice` says why in one line."""
        with self._lock:
            target = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            try:
                self.conn.backup(target)
            except sqlite3.Error:
                target.close()
                target = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                migrate(target)
            self.close()
            self._conn = target
            self.persistent = False
            self.notice = f"{self.NOT_SAVED}: {reason}."

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
