"""Reading the index: articles by position in a sort order, by path, by id.

Each sort order is an index on a key of plain columns ending with the
article's id (so the order is total), which SQLite walks in order:

* the rows on screen are read by position: near the top with ``OFFSET``;
  further down from the nearest *anchor*, a key kept every
  :data:`STRIDE` positions (found once per change of the index by one walk
  of the sort index, a few hundred keys for a million articles, in a
  thread: :meth:`Reader.anchor_keys`), then at most :data:`STRIDE` steps;
  until the anchors are known, with ``OFFSET`` too (SQLite skips index
  entries: ~60 ms for the last page of a million);
* the position of an article is the count of keys before it, counted from
  the nearest anchor below it in the same way (or from the top).

Ties keep the order of the ids (the order files were first indexed in).
"""

from __future__ import annotations

import json
import os
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tui.core.catalog import rows as R
from tui.core.catalog import schema
from tui.core.model import Entry, LoadIssue

# sort -> the key columns of its index (see schema.LATE_INDEXES)
ORDERS: dict[str, tuple[str, ...]] = {
    "date": ("neg_ts", "id"),
    "title": ("title", "id"),
    "provider": ("prov_key", "neg_ts", "id"),
    "quality": ("neg_quality", "neg_ts", "id"),
    "heat": ("neg_heat", "neg_ts", "id"),
}
STRIDE = 1024  # positions between two anchors
DIRECT = 4 * STRIDE  # positions read with a plain OFFSET (no anchors needed)
PAGE = 2000  # rows per query when streaming a whole order
ENTRY_COLUMNS = "id, path, " + ", ".join(R.COLUMNS[:14])
# The same without the body's words (the largest column): what a list row needs.
LIST_COLUMNS = ENTRY_COLUMNS.removesuffix(", words") + ", '' AS words"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def comparable(sort: str, key: Sequence[object]) -> tuple:
    """A key as SQLite orders it (the title is compared NOCASE: ASCII letters folded)."""
    if sort == "title":
        return (str(key[0]).translate(_ASCII_LOWER), *key[1:])
    return tuple(key)


class GivenPaths:
    """The index keeps paths absolute; this shows them as the collection's
    folders were named (``seeds/001_….txt`` for ``tui-reader list seeds``)."""

    def __init__(self, given: Sequence[str | os.PathLike[str]]) -> None:
        self._roots = sorted(((os.path.abspath(g), os.fspath(g)) for g in given), key=lambda r: -len(r[0]))

    def shown(self, path: str) -> str:
        for absolute, named in self._roots:
            if path == absolute:
                return named
            if path.startswith(absolute + os.sep):
                return os.path.join(named, path[len(absolute) + 1 :])
        return path

    __call__ = shown


def entry_of(row: Sequence[object]) -> Entry:
    """An :class:`Entry` from a row of :data:`ENTRY_COLUMNS`."""
    return R.entry_from_row(R.py_path(row[1]), row[2:])  # type: ignore[arg-type]


class Reader:
    """Read access to one collection's index (see :class:`tui.core.catalog.catalog.Catalog`)."""

    def __init__(self, path: Path, roots: Sequence[str], conn: sqlite3.Connection) -> None:
        self.path = path
        self.roots = list(roots)
        self.conn = conn
        self._anchors: dict[str, tuple[int, list[tuple], list[tuple]]] = {}  # sort -> generation, keys, comparable keys
        self._indexes: set[str] = set()
        self.searched: tuple[int, dict] | None = None  # generation, articles read by searches (see QueriedSearch)

    # -- the state of the index ------------------------------------------------------------
    def meta(self, key: str, default: object = None) -> object:
        return schema.get_meta(self.conn, key, default)

    @property
    def complete(self) -> bool:
        """False while the index is being built (or a build was cut short)."""
        return self.meta("state") == "complete"

    @property
    def generation(self) -> int:
        """Grows with every write: what was read before may have changed."""
        return int(self.meta("generation", 0))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return int(self.meta("entries", 0))  # type: ignore[arg-type]

    def close(self) -> None:
        self.conn.close()

    # -- single articles --------------------------------------------------------------------
    def entry(self, id_: int) -> Entry | None:
        row = self.conn.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", (id_,)).fetchone()
        return None if row is None else entry_of(row)

    def entries(self, ids: Sequence[int], columns: str = ENTRY_COLUMNS) -> dict[int, Entry]:
        """id -> entry, for the ids that exist (``columns``: :data:`LIST_COLUMNS`
        leaves the body's words out)."""
        out: dict[int, Entry] = {}
        ids = list(ids)
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            marks = ",".join("?" * len(part))
            for row in self.conn.execute(f"SELECT {columns} FROM entries WHERE id IN ({marks})", part):
                out[row[0]] = entry_of(row)
        return out

    def id_of(self, path: str | os.PathLike[str]) -> int | None:
        row = self.conn.execute("SELECT id FROM entries WHERE path = ?", (R.db_path(os.path.abspath(path)),)).fetchone()
        return None if row is None else row[0]

    def by_path(self, path: str | os.PathLike[str]) -> Entry | None:
        i = self.id_of(path)
        return None if i is None else self.entry(i)

    def stat_of(self, ids: Sequence[int]) -> dict[int, tuple[str, int, int]]:
        """id -> (path, mtime_ns, size) as indexed."""
        out = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            rows = self.conn.execute(f"SELECT id, path, mtime_ns, size FROM entries WHERE id IN ({','.join('?' * len(part))})", part)
            out.update({i: (R.py_path(p), m, s) for i, p, m, s in rows})
        return out

    def issues(self) -> list[LoadIssue]:
        rows = self.conn.execute("SELECT path, reason FROM issues ORDER BY path")
        return [LoadIssue(R.py_path(p), r) for p, r in rows]

    # -- orders ---------------------------------------------------------------------------------
    def indexed_by(self, sort: str) -> str:
        """``INDEXED BY`` the sort's index (SQLite then never sorts), once it
        exists: a first build makes it at its end."""
        name = "entries_date" if sort == "date" else f"entries_{sort}"
        if name not in self._indexes:
            self._indexes = {n for (n,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        return f"INDEXED BY {name}" if name in self._indexes else ""

    def iter_order(self, sort: str = "date") -> Iterator[tuple[int, Entry]]:
        """Every article in ``sort`` order, a page at a time (memory stays flat)."""
        cols = ORDERS[sort]
        names = ", ".join(cols)
        key_of = len(cols)
        sql = f"SELECT {names}, {ENTRY_COLUMNS} FROM entries {self.indexed_by(sort)}"
        rows = self.conn.execute(f"{sql} ORDER BY {names} LIMIT ?", (PAGE,)).fetchall()
        marks = ", ".join("?" * len(cols))
        while rows:
            for row in rows:
                yield row[key_of], entry_of(row[key_of:])
            last = rows[-1][:key_of]
            rows = self.conn.execute(f"{sql} WHERE ({names}) > ({marks}) ORDER BY {names} LIMIT ?", (*last, PAGE)).fetchall()

    def rows(self, sort: str, start: int, count: int, columns: str = ENTRY_COLUMNS, make: Callable[[tuple], Any] = entry_of) -> list[tuple[int, Any]]:
        """The ``count`` articles from position ``start`` in ``sort`` order
        (``make``: what of each row, an entry by default)."""
        cols = ORDERS[sort]
        names = ", ".join(cols)
        start = max(0, start)
        base = f"SELECT {columns} FROM entries e {self.indexed_by(sort)}"
        keys = self.known_anchors(sort) if start >= DIRECT else None
        if not keys:  # near the top, or the anchors not found yet: SQLite skips index entries (~60 ms a million)
            found = self.conn.execute(f"{base} ORDER BY {names} LIMIT ? OFFSET ?", (count, start))
        else:
            k = min(start // STRIDE, len(keys) - 1)
            marks = ", ".join("?" * len(cols))
            found = self.conn.execute(
                f"{base} WHERE ({names}) >= ({marks}) ORDER BY {names} LIMIT ? OFFSET ?", (*keys[k], count, start - k * STRIDE)
            )
        return [(row[0], make(row)) for row in found]

    def position_of(self, id_: int, sort: str = "date") -> int | None:
        """Where an article is in ``sort`` order; None when it is not indexed."""
        cols = ORDERS[sort]
        names = ", ".join(cols)
        marks = ", ".join("?" * len(cols))
        key = self.conn.execute(f"SELECT {names} FROM entries WHERE id = ?", (id_,)).fetchone()
        if key is None:
            return None
        count = f"SELECT count(*) FROM entries {self.indexed_by(sort)} WHERE ({names}) < ({marks})"
        keys = self.known_anchors(sort) if len(self) > DIRECT else None
        if not keys:  # (counting every key before it: ~90 ms a million)
            return self.conn.execute(count, key).fetchone()[0]
        keys_compared = self._anchors[sort][2]
        k = max(0, bisect_right(keys_compared, comparable(sort, key)) - 1)
        before = self.conn.execute(f"{count} AND ({names}) >= ({marks})", (*key, *keys[k])).fetchone()[0]
        return k * STRIDE + before

    def adopt_anchors(self, sort: str, other: Reader) -> None:
        """Take the anchors ``other`` found (of the same index, in another thread)."""
        found = other._anchors.get(sort)
        if found is not None:
            self._anchors[sort] = found

    def known_anchors(self, sort: str) -> list[tuple] | None:
        """The anchors of ``sort`` if they are found already for this
        generation of the index: here, or kept in the index by an earlier
        run (:meth:`keep_anchors`)."""
        generation = self.generation
        found = self._anchors.get(sort)
        if found is None or found[0] != generation:
            try:
                kept = json.loads(str(schema.get_meta(self.conn, f"anchors_{sort}", "null")))
                if not isinstance(kept, dict) or kept.get("generation") != generation:
                    return None
                keys = [tuple(k) for k in kept["keys"]]
            except (ValueError, TypeError, KeyError, sqlite3.Error):
                return None
            found = self._anchors[sort] = (generation, keys, [comparable(sort, k) for k in keys])
        return found[1]

    def keep_anchors(self, sort: str) -> None:
        """Keep the anchors found for ``sort`` in the index, with its
        generation: the next start finds them in a millisecond (best effort)."""
        found = self._anchors.get(sort)
        if found is None:
            return
        try:
            conn = schema.connect(self.path)
            try:
                with schema.transaction(conn):
                    if int(schema.get_meta(conn, "generation", 0)) == found[0]:  # type: ignore[arg-type]
                        schema.set_meta(conn, f"anchors_{sort}", json.dumps({"generation": found[0], "keys": found[1]}))
            finally:
                conn.close()
        except (sqlite3.Error, ValueError, TypeError):
            pass  # only costs the next start its anchors

    def anchor_keys(self, sort: str) -> list[tuple]:
        """The key at every :data:`STRIDE`-th position (position 0 first): one
        walk of the sort's index (~2 s a million: see
        :func:`tui.core.catalog.catalog.warm_anchors`, which finds them in a thread)."""
        generation = self.generation
        found = self._anchors.get(sort)
        if found is None or found[0] != generation:
            names = ", ".join(ORDERS[sort])
            keys = [
                tuple(row)
                for row in self.conn.execute(
                    f"SELECT {names} FROM (SELECT {names}, row_number() OVER (ORDER BY {names}) - 1 AS n "
                    f"FROM entries {self.indexed_by(sort)}) WHERE n % ? = 0",
                    (STRIDE,),
                )
            ]
            found = self._anchors[sort] = (generation, keys, [comparable(sort, k) for k in keys])
        return found[1]
