"""Bookmarks: a small SQLite store that never loses a returned write.

* Each bookmark is keyed by :func:`identity`, which survives moving or
  renaming the article's file (URL first, then title + date, then path).
* Every write is one ``BEGIN IMMEDIATE`` transaction in WAL mode with
  ``synchronous=FULL``, so several reader processes can toggle at once.
* Reading state (read / unread per identity) and the last position in each
  collection live in the same database, written the same way.
* The store never raises on open: a damaged database is renamed aside (never
  overwritten) and a new one started; an unwritable location or a database
  from a newer version gives an in-memory store. Either way
  :attr:`BookmarkStore.notice` holds a one-line message for the user.
  Writes on an open store may still raise :class:`sqlite3.Error` (disk full,
  locked for longer than the timeout).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core import locations
from tui.core.atomic import fsync_dir
from tui.core.model import Entry, Related, as_datetime
from tui.core.stored import (
    bool_from_db,
    float_from_db,
    path_from_db,
    path_key,
    path_to_db,
    tags_from_db,
    text_from_db,
)
from tui.core.text import valid_text
from tui.core.urls import normalize_url

UNTITLED = "(untitled)"  # Article.title's placeholder: not a real title
TIMEOUT = 10.0


def identity(url: str, title: str, published: datetime | None, path: str | None) -> str:
    """The key of an article that survives moving or renaming its file.

    ``url:<normalized url>`` when the URL normalizes; else
    ``th:<sha1 of casefolded title + "\\n" + UTC publication date>`` when
    there is a title; else ``path:<path>``.
    """
    key = normalize_url(url)
    if key:
        return "url:" + key
    title = " ".join((title or "").split()).casefold()
    if title:
        day = ""
        if published is not None:
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            day = published.astimezone(UTC).date().isoformat()
        return "th:" + hashlib.sha1(f"{title}\n{day}".encode("utf-8", "surrogatepass")).hexdigest()
    return "path:" + path_key(path or "")


def entry_key(entry: Entry) -> str:
    """The identity of a file in a collection (:func:`identity` of its fields).

    Most articles have a URL, whose normal form the entry already holds:
    that is the fast path (one string concatenation), cheap enough for every
    visible row on every paint and for a whole collection in a thread.
    """
    if entry.url_key:
        return "url:" + entry.url_key
    title = "" if entry.title == UNTITLED else entry.title
    return identity(entry.url, title, entry.published, entry.path)


def facet_marks(keys: Iterable[str], bookmarked: Container[str], read: Container[str]) -> dict[str, set[int]]:
    """The entries (by position of their identity in ``keys``) that the
    search's ``is:bookmarked`` and ``is:unread`` facets hold."""
    keys = keys if isinstance(keys, list) else list(keys)
    return {
        "bookmarked": {i for i, k in enumerate(keys) if k in bookmarked},
        "unread": {i for i, k in enumerate(keys) if k not in read},
    }


def normalize_tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: split on commas (a string), whitespace collapsed,
    empty ones and case-insensitive duplicates dropped, order kept."""
    if isinstance(tags, str):
        tags = tags.split(",")
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = " ".join(str(tag).replace(",", " ").split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


@dataclass(frozen=True)
class Position:
    """Where the reader was in a collection: the article and the detail's scroll offset."""

    key: str
    path: str
    scroll: float


def collection_id(roots: Iterable[str | os.PathLike[str]]) -> str:
    """The name positions are saved under: the collection's folders, absolute and sorted."""
    return "\n".join(sorted(path_key(os.path.abspath(r)) for r in roots))


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@dataclass(frozen=True)
class Bookmark:
    """One bookmark: a snapshot of what the article said when it was saved."""

    key: str
    title: str
    url: str
    provider: str
    published: datetime | None
    path: str | None
    added_at: datetime
    tags: tuple[str, ...] = ()
    note: str = ""
    external: bool = False  # a related story, not a file in the collection

    @classmethod
    def from_entry(cls, entry: Entry) -> Bookmark:
        """A bookmark of a file in the collection."""
        title = "" if entry.title == UNTITLED else entry.title
        return cls(
            key=identity(entry.url, title, entry.published, entry.path),
            title=entry.title,
            url=entry.url,
            provider=entry.provider,
            published=entry.published,
            path=os.path.abspath(entry.path) if entry.path else entry.path,
            added_at=_now(),
        )

    @classmethod
    def from_related(cls, rel: Related) -> Bookmark:
        """A bookmark of a related story (no file of its own)."""
        return cls(
            key=identity(rel.url, rel.title, rel.published, None),
            title=rel.title,
            url=rel.url,
            provider=rel.provider,
            published=rel.published,
            path=None,
            added_at=_now(),
            external=True,
        )


# -- schema ---------------------------------------------------------------

_COLUMNS = ("key", "title", "url", "provider", "published", "path", "added_at", "tags", "note", "external")


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


# Version N is reached by running MIGRATIONS[N] on a version N-1 database.
# A new schema adds one function here; existing entries never change.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1, 2: _migrate_2}
SCHEMA_VERSION = max(MIGRATIONS)


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
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that takes the write lock up front."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _migrate(conn: sqlite3.Connection) -> None:
    with _transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check_schema(conn: sqlite3.Connection) -> None:
    names = {row[1] for row in conn.execute("PRAGMA table_info(bookmarks)")}
    missing = [c for c in _COLUMNS if c not in names]
    if missing:
        raise _Damaged("bookmarks table lacks " + ", ".join(missing))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    lacking = [t for t in ("reading", "positions") if t not in tables]
    if lacking:
        raise _Damaged("no " + " or ".join(lacking) + " table")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


class BookmarkStore:
    """Bookmarks in ``locations.bookmarks_db()`` (or *path*)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else locations.bookmarks_db()
        self.notice: str | None = None
        self.persistent = True  # False: in memory, nothing is saved
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._open()

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
            _migrate(conn)
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
            _migrate(conn)
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
        with open(self.path, "rb") as f:
            header = f.read(16)
        if len(header) == 16 and header != b"SQLite format 3\x00":
            raise _Damaged("file is not a database")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=TIMEOUT, isolation_level=None)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _Damaged("integrity check failed: " + str(check[0][0] if check else "no answer"))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == 0 and tables:
                raise _Damaged("not a bookmarks database")
            if version >= 1 and "bookmarks" not in tables:
                raise _Damaged("no bookmarks table")
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
        self.notice = f"Bookmarks will not be saved: {reason}."
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if copy or source is not None:
            try:
                if source is not None:
                    source.backup(conn)
                elif self.path.is_file():
                    self._copy_read_only(conn)
                _check_schema(conn)
                return conn
            except (sqlite3.Error, OSError):
                conn.close()
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _migrate(conn)
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
                    _migrate(target)
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

    # -- rows ---------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the bookmark store is closed")
        return self._conn

    @staticmethod
    def _row(b: Bookmark) -> tuple[Any, ...]:
        return (
            valid_text(b.key),
            valid_text(b.title),
            valid_text(b.url),
            valid_text(b.provider),
            b.published.isoformat() if b.published else None,
            path_to_db(b.path),
            _utc(b.added_at).isoformat(timespec="microseconds"),
            json.dumps([valid_text(t) for t in b.tags], ensure_ascii=False),
            valid_text(b.note),
            int(b.external),
        )

    @staticmethod
    def _bookmark(row: tuple[Any, ...]) -> Bookmark:
        """A stored row as a bookmark; every column read tolerantly."""
        key, title, url, provider, published, path, added_at, tags, note, external = row
        return Bookmark(
            key=text_from_db(key),
            title=text_from_db(title),
            url=text_from_db(url),
            provider=text_from_db(provider),
            published=as_datetime(published),
            path=path_from_db(path),
            added_at=as_datetime(added_at) or datetime.fromtimestamp(0, UTC),
            tags=tags_from_db(tags),
            note=text_from_db(note),
            external=bool_from_db(external),
        )

    _SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM bookmarks"
    _UPSERT = (
        "INSERT INTO bookmarks (" + ", ".join(_COLUMNS) + ") VALUES (" + ", ".join("?" * len(_COLUMNS)) + ") "
        "ON CONFLICT(key) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("key", "added_at"))
    )

    # -- API ----------------------------------------------------------------
    def add(self, b: Bookmark) -> None:
        """Insert or update *b*; an existing bookmark keeps its ``added_at``."""
        with self._lock, _transaction(self.conn) as conn:
            conn.execute(self._UPSERT, self._row(b))

    def remove(self, key: str) -> bool:
        """Delete the bookmark; True if there was one."""
        with self._lock, _transaction(self.conn) as conn:
            return conn.execute("DELETE FROM bookmarks WHERE key = ?", (key,)).rowcount > 0

    def toggle(self, b: Bookmark) -> bool:
        """Add *b* if absent, else remove it, atomically; True if now bookmarked."""
        with self._lock, _transaction(self.conn) as conn:
            if conn.execute("DELETE FROM bookmarks WHERE key = ?", (b.key,)).rowcount:
                return False
            conn.execute(self._UPSERT, self._row(b))
            return True

    def set_details(self, b: Bookmark, tags: str | Iterable[str], note: str) -> Bookmark:
        """Set the tags and note of *b*, bookmarking it first if needed; the result as stored."""
        with self._lock, _transaction(self.conn) as conn:
            conn.execute(
                "INSERT INTO bookmarks (" + ", ".join(_COLUMNS) + ") VALUES (" + ", ".join("?" * len(_COLUMNS)) + ") "
                "ON CONFLICT(key) DO NOTHING",
                self._row(b),
            )
            conn.execute(
                "UPDATE bookmarks SET tags = ?, note = ? WHERE key = ?",
                (json.dumps(list(normalize_tags(tags)), ensure_ascii=False), note, b.key),
            )
            row = conn.execute(self._SELECT + " WHERE key = ?", (b.key,)).fetchone()
        return self._bookmark(row)

    def merge(self, marks: Iterable[Bookmark]) -> tuple[int, int]:
        """Import: add bookmarks not here; for those here, add the tags they
        lack, keep the earlier ``added_at`` and fill an empty note, path or URL.
        One transaction. Returns (added, changed)."""
        added = changed = 0
        with self._lock, _transaction(self.conn) as conn:
            for b in marks:
                row = conn.execute(self._SELECT + " WHERE key = ?", (b.key,)).fetchone()
                if row is None:
                    conn.execute(self._UPSERT, self._row(b))
                    added += 1
                    continue
                old = self._bookmark(row)
                new = Bookmark(
                    key=old.key,
                    title=old.title or b.title,
                    url=old.url or b.url,
                    provider=old.provider or b.provider,
                    published=old.published or b.published,
                    path=old.path or b.path,
                    added_at=min(_utc(old.added_at), _utc(b.added_at)),
                    tags=normalize_tags(old.tags + b.tags),
                    note=old.note or b.note,
                    external=old.external and b.external,
                )
                if new != old:
                    conn.execute("DELETE FROM bookmarks WHERE key = ?", (old.key,))
                    conn.execute(self._UPSERT, self._row(new))
                    changed += 1
        return added, changed

    def relink(self, found: dict[str, str]) -> int:
        """Re-link bookmarks to where their articles are now.

        *found* maps identities to the path of a file holding that article
        (e.g. every entry of a freshly loaded collection). A bookmark whose
        stored path differs, or that was a related story and is now a file,
        takes the new path. Returns how many changed (one transaction).
        """
        changes = []
        with self._lock:
            for key, path, external in self.conn.execute("SELECT key, path, external FROM bookmarks"):
                new = found.get(key)
                if new is not None and (new != path_from_db(path) or bool_from_db(external)):
                    changes.append((path_to_db(new), key))
            if changes:
                with _transaction(self.conn) as conn:
                    conn.executemany("UPDATE bookmarks SET path = ?, external = 0 WHERE key = ?", changes)
        return len(changes)

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many bookmarks have it, most used first."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for b in self.all():
            for tag in b.tags:
                folded = tag.casefold()
                names.setdefault(folded, tag)
                counts[folded] = counts.get(folded, 0) + 1
        return sorted(((names[f], n) for f, n in counts.items()), key=lambda t: (-t[1], t[0].casefold()))

    # -- reading state --------------------------------------------------------
    def read_keys(self) -> set[str]:
        """The identities of every article marked read (one query).

        An article is read when ``identity`` of it (for a collection entry:
        :func:`entry_key`) is in this set; everything else is unread. This is
        the cheap way for a list or a search facet (``is:unread``) to know:
        load the set once, then test membership per article.
        """
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT key FROM reading")}

    def is_read(self, key: str) -> bool:
        with self._lock:
            return self.conn.execute("SELECT 1 FROM reading WHERE key = ?", (key,)).fetchone() is not None

    def set_read(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark every one of *keys* read (or unread), in one transaction."""
        keys = list(keys)
        if not keys:
            return
        with self._lock, _transaction(self.conn) as conn:
            if read:
                now = _now().isoformat(timespec="seconds")
                conn.executemany("INSERT OR IGNORE INTO reading (key, read_at) VALUES (?, ?)", [(k, now) for k in keys])
            else:
                conn.executemany("DELETE FROM reading WHERE key = ?", [(k,) for k in keys])

    def toggle_read(self, key: str) -> bool:
        """Flip one article's state atomically; True if it is now read."""
        with self._lock, _transaction(self.conn) as conn:
            if conn.execute("DELETE FROM reading WHERE key = ?", (key,)).rowcount:
                return False
            conn.execute("INSERT INTO reading (key, read_at) VALUES (?, ?)", (key, _now().isoformat(timespec="seconds")))
            return True

    # -- where the reader was ---------------------------------------------------
    def save_position(self, collection: str, position: Position) -> None:
        with self._lock, _transaction(self.conn) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO positions (collection, key, path, scroll, saved_at) VALUES (?, ?, ?, ?, ?)",
                (
                    valid_text(collection),
                    valid_text(position.key),
                    path_to_db(position.path),
                    float_from_db(position.scroll),
                    _now().isoformat(timespec="seconds"),
                ),
            )

    def position(self, collection: str) -> Position | None:
        """The position last saved for *collection* (see :func:`collection_id`)."""
        with self._lock:
            row = self.conn.execute("SELECT key, path, scroll FROM positions WHERE collection = ?", (collection,)).fetchone()
        if row is None:
            return None
        key, path, scroll = row
        return Position(text_from_db(key), path_from_db(path) or "", float_from_db(scroll))

    def contains(self, key: str) -> bool:
        with self._lock:
            return self.conn.execute("SELECT 1 FROM bookmarks WHERE key = ?", (key,)).fetchone() is not None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.contains(key)

    def keys(self) -> set[str]:
        """Every bookmarked key (one query; cheap enough for marking a long list)."""
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT key FROM bookmarks")}

    def get(self, key: str) -> Bookmark | None:
        with self._lock:
            row = self.conn.execute(self._SELECT + " WHERE key = ?", (key,)).fetchone()
        return self._bookmark(row) if row else None

    def all(self) -> list[Bookmark]:
        """Every bookmark, newest first."""
        with self._lock:
            rows = self.conn.execute(self._SELECT + " ORDER BY added_at DESC, rowid DESC").fetchall()
        return [self._bookmark(r) for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return self.conn.execute("SELECT COUNT(*) FROM bookmarks").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
