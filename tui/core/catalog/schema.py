"""The index's database: its tables, opening it, and what happens when it
cannot be trusted.

One SQLite database per collection (the collection's folders, absolute and
sorted, name it), in the user cache folder: collections never wait for each
other's writes, and forgetting one is deleting one file. WAL mode: any
number of readers read while the one writer writes, never blocked.

A file that is not this reader's index, or is damaged, is moved aside
(``index-….sqlite3.damaged-YYYYMMDD-HHMMSS``) and a new index started, with
one line saying so; an index made by another version of the reader (another
schema, or another Unicode version for splitting words) is simply rebuilt:
it is a cache, everything in it comes from the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.core import locations

SCHEMA_VERSION = 2  # 2: the titles' own full-text table
APPLICATION_ID = 0x54524958  # "TRIX": a tui-reader index
TIMEOUT = 30.0  # seconds a write waits for another process's transaction
# Words are split by Python's ``\w`` and the index must delete exactly the
# words it added: a Python with another Unicode database splits otherwise.
WORDS_VERSION = f"1/{unicodedata.unidata_version}"

TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE folders(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, mtime_ns INTEGER, dev INTEGER, ino INTEGER);
CREATE TABLE entries(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    dir INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    title TEXT NOT NULL COLLATE NOCASE,
    provider TEXT NOT NULL,
    domain TEXT NOT NULL,
    ts REAL,
    topics TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    url TEXT NOT NULL,
    quality INTEGER,
    heat INTEGER,
    flags INTEGER NOT NULL,
    key TEXT NOT NULL,
    keys TEXT NOT NULL,
    refs BLOB NOT NULL,
    words TEXT NOT NULL,
    ident TEXT NOT NULL,
    neg_ts REAL NOT NULL,
    prov_key TEXT NOT NULL COLLATE NOCASE,
    neg_quality INTEGER NOT NULL,
    neg_heat INTEGER NOT NULL,
    story BLOB NOT NULL
);
CREATE INDEX entries_dir ON entries(dir);
CREATE INDEX entries_date ON entries(neg_ts, id);
CREATE TABLE issues(path TEXT PRIMARY KEY, dir INTEGER NOT NULL, mtime_ns INTEGER, size INTEGER, reason TEXT NOT NULL);
CREATE INDEX issues_dir ON issues(dir);
CREATE VIRTUAL TABLE words USING fts5(
    title, provider, topics, excerpt, body,
    content='', detail=column, tokenize="ascii tokenchars '_'"
);
CREATE VIRTUAL TABLE titles USING fts5(
    title, content='', detail=column, tokenize="ascii tokenchars '_'"
);
CREATE TABLE vocab(
    word TEXT PRIMARY KEY,
    skel TEXT,
    title INTEGER NOT NULL DEFAULT 0,
    provider INTEGER NOT NULL DEFAULT 0,
    topics INTEGER NOT NULL DEFAULT 0,
    excerpt INTEGER NOT NULL DEFAULT 0,
    body INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX vocab_skel ON vocab(skel) WHERE skel IS NOT NULL;
CREATE TABLE typos(key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY(key, word)) WITHOUT ROWID;
CREATE TABLE urls(key TEXT NOT NULL, id INTEGER NOT NULL);
CREATE TABLE refs(ref BLOB NOT NULL, id INTEGER NOT NULL);
CREATE TABLE topics(topic TEXT NOT NULL, id INTEGER NOT NULL);
CREATE TABLE facets(kind TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(kind, value)) WITHOUT ROWID;
CREATE TABLE stories(id INTEGER PRIMARY KEY, grp INTEGER NOT NULL);
CREATE INDEX stories_grp ON stories(grp);
"""

# Indexes a cold build makes once at its end (one sort is much faster than
# keeping them up to date row by row); after that they are kept up to date.
LATE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS entries_title ON entries(title, id)",
    "CREATE INDEX IF NOT EXISTS entries_provider ON entries(prov_key, neg_ts, id)",
    "CREATE INDEX IF NOT EXISTS entries_quality ON entries(neg_quality, neg_ts, id)",
    "CREATE INDEX IF NOT EXISTS entries_heat ON entries(neg_heat, neg_ts, id)",
    "CREATE INDEX IF NOT EXISTS entries_ident ON entries(ident)",
    "CREATE INDEX IF NOT EXISTS entries_domain ON entries(domain)",
    "CREATE INDEX IF NOT EXISTS urls_key ON urls(key, id)",
    "CREATE INDEX IF NOT EXISTS refs_ref ON refs(ref, id)",
    "CREATE INDEX IF NOT EXISTS topics_topic ON topics(topic, id)",
)


class IndexUnusable(Exception):
    """The index cannot be opened or written (one-line reason)."""


class IndexDamaged(sqlite3.DatabaseError):
    """SQLite said the file is damaged (while reading or writing it)."""


def collection_digest(roots: Sequence[str | os.PathLike[str]]) -> str:
    key = "\n".join(sorted(os.path.abspath(r) for r in roots))
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def root_list(roots: Sequence[str | os.PathLike[str]]) -> list[str]:
    return sorted(os.path.abspath(r) for r in roots)


def is_damage(exc: BaseException) -> bool:
    """Whether an SQLite error says the file is damaged (not merely busy)."""
    if isinstance(exc, IndexDamaged):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "not a database", "file is encrypted", "disk image", "corrupt"))


def connect(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection as every part of the index uses it: autocommit (every
    write is an explicit transaction), WAL, a busy timeout."""
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=TIMEOUT, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cache_size=-16000")  # 16 MB of pages per connection
    if not readonly:
        conn.execute("PRAGMA synchronous=NORMAL")  # a cache: after a power cut it is consistent, maybe a batch behind
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taking the write lock up front."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str, default: object = None) -> object:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: object) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


# -- the writer's lock ---------------------------------------------------------------
class WriterLock:
    """One process at a time updates a collection's index: an advisory lock
    on a file beside it (``flock``: released by the system when the process
    ends, however it ends). Readers never take it."""

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(db.name + ".lock")
        self._fd: int | None = None

    def acquire(self, wait: float | None = None) -> bool:
        """Take the lock; wait up to ``wait`` seconds (None: as long as it takes).
        False when another process still holds it."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: SQLite's own locks serialise the writes
            return True
        if self._fd is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as exc:
                raise IndexUnusable(f"cannot write in {self.path.parent} ({exc.strerror or exc})") from None
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
            time.sleep(0.05)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None


# -- opening ---------------------------------------------------------------------------------
@dataclass
class Opened:
    path: Path
    conn: sqlite3.Connection
    notice: str = ""  # one line for the user: the file was damaged, or is kept nowhere
    created: bool = False


def index_path(roots: Sequence[str | os.PathLike[str]]) -> Path:
    return locations.collection_index(collection_digest(roots))


def open_index(roots: Sequence[str | os.PathLike[str]], path: Path | None = None) -> Opened:
    """The index of the collection at ``roots``, created if missing. The
    caller holds the :class:`WriterLock` (opening may create or replace the
    file). A damaged or foreign file is moved aside; an old one rebuilt.
    Raises :class:`IndexUnusable` when the cache folder cannot hold one."""
    path = path or index_path(roots)
    notice = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnusable(f"cannot create {path.parent} ({exc.strerror or exc})") from None
    if path.exists():
        problem = check_file(path, roots)
        if problem == "old":
            remove_files(path)
        elif problem:
            aside = move_aside(path)
            notice = f"the index {path} was {problem}; it was moved to {aside} and is being rebuilt"
    created = not path.exists()
    try:
        if created:
            _create_file(path, roots)
        conn = connect(path)
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
    except (sqlite3.Error, OSError) as exc:
        raise IndexUnusable(f"cannot open {path} ({exc})") from None
    return Opened(path, conn, notice, created)


def check_file(path: Path, roots: Sequence[str | os.PathLike[str]]) -> str:
    """"" when ``path`` is this collection's index, "old" when it is one made
    by another version, else why it cannot be used ("damaged", "not an index
    of this reader", ...)."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if not header:
        return "old"  # an empty file: a create that never ran
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "not an SQLite database"
    try:
        conn = connect(path)  # (the caller holds the writer lock) what was written lives in the -wal too
    except sqlite3.Error as exc:
        return f"damaged ({exc})"
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return "not an index of this reader"
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            return "old"
        if get_meta(conn, "words") != WORDS_VERSION:
            return "old"
        stored = get_meta(conn, "roots")
        if stored is None or json.loads(str(stored)) != root_list(roots):
            return "the index of another collection"
        conn.execute("SELECT count(*) FROM meta").fetchone()
    except (sqlite3.Error, ValueError) as exc:
        return "old" if not is_damage(exc) else f"damaged ({exc})"
    finally:
        conn.close()
    return ""


def _create_file(path: Path, roots: Sequence[str | os.PathLike[str]]) -> None:
    """A new, empty index made under a temporary name and renamed into place:
    a reader never opens a half-made one."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    remove_files(tmp)
    conn = connect(tmp)
    try:
        create(conn, roots)
    finally:
        conn.close()  # the last connection: its -wal is folded in and removed
    os.replace(tmp, path)
    remove_files(tmp)


def create(conn: sqlite3.Connection, roots: Sequence[str | os.PathLike[str]]) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    with transaction(conn):
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        for statement in TABLES.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        set_meta(conn, "roots", json.dumps(root_list(roots)))
        set_meta(conn, "words", WORDS_VERSION)
        set_meta(conn, "state", "building")
        set_meta(conn, "generation", 0)
        set_meta(conn, "created", datetime.now().isoformat(timespec="seconds"))


def move_aside(path: Path) -> Path:
    """Rename a file that cannot be used (and its -wal and -shm) out of the
    way, never overwriting anything; its new name."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{base}{s}").exists() for s in ("", "-wal", "-shm")):
        base = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.rename(src, f"{base}{suffix}")
    return base


def remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def scratch_path(roots: Sequence[str | os.PathLike[str]]) -> Path:
    """Where an index goes for this session when the cache folder cannot
    hold one (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="tui-reader-index-"))
    import atexit

    atexit.register(shutil.rmtree, folder, True)
    return folder / f"index-{collection_digest(roots)}.sqlite3"
