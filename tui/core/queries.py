"""Recent queries and saved views of the jump box, in the user's SQLite store.

They live in the same database as the bookmarks (``locations.bookmarks_db()``,
tables ``recent`` and ``views``, see :mod:`tui.core.userdb`), so they get its
guarantees:

* Every change is one write transaction that applies itself to what is
  stored at that moment: readers open at once (or twenty ``save_view`` calls
  from twenty processes) add to each other's history instead of undoing it.
* What another process saved is seen at the next look: :attr:`QueryStore.recent`
  and :attr:`QueryStore.views` are read again whenever the database changed.
* A database that cannot be written, or one from a newer version (only read,
  never changed), gives a store that works in memory; :attr:`QueryStore.notice`
  says why in one line. A write that fails later (disk full) does the same.

Before this store, they lived in ``queries.json`` (see
:func:`tui.core.locations.queries_file`)::

    {"version": 1,
     "recent": ["newest query", "older query", ...],
     "views": [{"name": "Japan exports", "query": "japan export topic:policy"}, ...]}

That file is imported once, the first time a database without its import
opens (the fact is kept in the ``meta`` table), and is then left exactly as it
is: a backup, and still what an older version of the reader uses. A file of a
newer version is imported as far as it has this shape; one that cannot be
read is left alone and said so once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from tui.core import locations
from tui.core.userdb import UserDB

VERSION = 1  # of the old queries.json
MAX_RECENT = 100  # queries remembered, newest first
MAX_QUERY = 500  # characters of one query kept
MAX_NAME = 80  # characters of a view's name
MAX_LEGACY_BYTES = 4 << 20  # a queries.json larger than this is not one of ours
LEGACY_MARK = "imported queries.json"  # the meta row that says the import happened

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class View:
    """A query saved under a name."""

    name: str
    query: str


class QueryStore(UserDB):
    """Recent queries (newest first) and named views (last saved first), persisted.

    *path*: the database (default: the user's); *legacy*: the old
    ``queries.json`` to import once (default: the user's, when *path* is the
    default too; else none).
    """

    NOT_SAVED = "Recent queries and saved views will not be kept"

    def __init__(self, path: Path | None = None, legacy: Path | None = None) -> None:
        if path is None and legacy is None:
            legacy = locations.queries_file()
        super().__init__(path)
        self._cache: tuple[int, list[str], list[View]] | None = None
        if legacy is not None:
            self._import_legacy(Path(legacy))

    # -- reading ----------------------------------------------------------------------
    def _snapshot(self) -> tuple[int, list[str], list[View]]:
        """What is stored, read again only when the database changed since."""
        with self._lock:
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]  # moves on others' commits
            if self._cache is None or self._cache[0] != version:
                conn = self.conn
                recent = [q for (q,) in conn.execute("SELECT query FROM recent ORDER BY seq DESC, query LIMIT ?", (MAX_RECENT,))]
                views = [View(n, q) for n, q in conn.execute("SELECT name, query FROM views ORDER BY seq DESC, name")]
                self._cache = (version, recent, views)
            return self._cache

    @property
    def recent(self) -> list[str]:
        """Recent queries, newest first (at most :data:`MAX_RECENT`)."""
        return list(self._snapshot()[1])

    @property
    def views(self) -> list[View]:
        """Saved views, the one saved last first."""
        return list(self._snapshot()[2])

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)

    # -- changes --------------------------------------------------------------------
    def add_recent(self, query: str) -> None:
        """Remember a query as the newest (once: an older copy moves up)."""
        query = _clean(query, MAX_QUERY)
        if not query:
            return

        def change(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO recent (query, seq) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM recent)) "
                "ON CONFLICT(query) DO UPDATE SET seq = excluded.seq",
                (query,),
            )
            conn.execute(
                "DELETE FROM recent WHERE query NOT IN (SELECT query FROM recent ORDER BY seq DESC, query LIMIT ?)",
                (MAX_RECENT,),
            )

        self._change(change)

    def save_view(self, name: str, query: str) -> View:
        """Save (or replace) the view with this name; it goes first in the list."""
        view = View(_clean(name, MAX_NAME), _clean(query, MAX_QUERY))
        if not view.name:
            raise ValueError("a view needs a name")
        self._change(
            lambda conn: conn.execute(
                "INSERT INTO views (name, query, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM views)) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query, seq = excluded.seq",
                (view.name, view.query),
            )
        )
        return view

    def delete_view(self, name: str) -> bool:
        """Forget a view; False when there was none of that name."""
        return self._change(lambda conn: conn.execute("DELETE FROM views WHERE name = ?", (name,)).rowcount > 0)

    def _change(self, change: Callable[[sqlite3.Connection], T]) -> T:
        """One write transaction; when the file cannot take it, the store goes
        on in memory (said in :attr:`notice`) and the change is made there."""
        try:
            with self.write() as conn:
                result = change(conn)
        except sqlite3.Error as exc:
            if not self.persistent:
                raise
            self.go_in_memory(f"cannot write {self.path} ({exc})")
            with self.write() as conn:
                result = change(conn)
        self._cache = None
        return result

    # -- the old queries.json ----------------------------------------------------------------
    def _import_legacy(self, legacy: Path) -> None:
        """Import ``queries.json`` once per database; the file is never changed."""
        done = "SELECT 1 FROM meta WHERE name = ?"
        try:
            with self._lock:
                if self.conn.execute(done, (LEGACY_MARK,)).fetchone() is not None:
                    return
            data, why = _read_legacy(legacy)
            with self.write() as conn:
                if conn.execute(done, (LEGACY_MARK,)).fetchone() is not None:
                    return  # another process did it meanwhile
                if data is not None:
                    recent, views = data
                    # Older than anything saved here: seq 0, -1, -2 ... newest first.
                    conn.executemany(
                        "INSERT OR IGNORE INTO recent (query, seq) VALUES (?, ?)", [(q, -i) for i, q in enumerate(recent)]
                    )
                    conn.executemany(
                        "INSERT OR IGNORE INTO views (name, query, seq) VALUES (?, ?, ?)",
                        [(v.name, v.query, -i) for i, v in enumerate(views)],
                    )
                when = datetime.now(UTC).isoformat(timespec="seconds")
                conn.execute("INSERT INTO meta (name, value) VALUES (?, ?)", (LEGACY_MARK, f"{when}: {why or 'ok'}"))
        except sqlite3.Error as exc:
            self.notice = self.notice or f"{legacy} could not be imported ({exc}); it is left as it is."
            return
        self._cache = None
        if why and why != "absent":
            self.notice = self.notice or f"{legacy} could not be read ({why}); its views were not imported (it is left as it is)."


def _read_legacy(path: Path) -> tuple[tuple[list[str], list[View]] | None, str]:
    """What an old ``queries.json`` holds, and why not ("" when it was read).
    Only a regular file is read (a FIFO or a device is never opened for
    long), at most :data:`MAX_LEGACY_BYTES`."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None, "absent"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_size > MAX_LEGACY_BYTES:
            return None, "too large"
        raw = os.read(fd, MAX_LEGACY_BYTES + 1)
    except OSError as exc:
        return None, exc.strerror or str(exc)
    finally:
        os.close(fd)
    try:
        return _parse(raw), ""
    except ValueError as exc:
        return None, str(exc)


def _clean(text: str, limit: int) -> str:
    """One line, no control characters (nor lone surrogates, which no file
    or database can hold), at most ``limit`` characters."""
    text = "".join(
        " " if (ch < " " or "\x7f" <= ch <= "\x9f") else "\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in str(text)
    )
    return " ".join(text.split())[:limit]


def _parse(raw: bytes) -> tuple[list[str], list[View]]:
    """The old file's content. A newer version's file is read as far as it
    has this version's shape (never refused for its number alone)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise ValueError("not a saved-queries file")
    recent = data.get("recent", [])
    views = data.get("views", [])
    if not isinstance(recent, list) or not isinstance(views, list):
        raise ValueError("unexpected layout")
    out_recent = [_clean(q, MAX_QUERY) for q in recent if isinstance(q, str)]
    out_views: list[View] = []
    for item in views:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("query"), str):
            name = _clean(item["name"], MAX_NAME)
            if name and all(v.name != name for v in out_views):
                out_views.append(View(name, _clean(item["query"], MAX_QUERY)))
    return [q for q in dict.fromkeys(out_recent) if q][:MAX_RECENT], out_views
