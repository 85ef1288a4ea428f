"""The reading state of a collection read from its index (:mod:`tui.core.queried`):
it stays in the user database, asked where it is needed.

A loaded collection keeps the read identities in a Python set (what
:meth:`tui.core.bookmarks.BookmarkStore.read_keys` returns). A million read
identities take ~180 MB as strings and a second on the UI thread to load:
past the memory a million articles may take, and a start that waits. Here
the user database is attached to each connection of the index (as ``user``,
:func:`attach`): a row says whether it is stored read with :data:`STORED`
(one look-up in the reading table's key), a count is one join, and
:class:`ReadState` keeps only the marks this session made (a person's: a
few hundred, which take precedence over what is stored, written or not); a
mark all, written in one transaction before it is shown, is dropped from
them once written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

# Whether an article's identity is stored read: a column of a statement on
# ``entries`` (as ``e``) of a connection the user database is attached to.
STORED = "EXISTS (SELECT 1 FROM user.reading WHERE key = e.ident)"
FEW = 100_000  # ids from which the read ones are found by one join rather than a look-up each
# The articles stored read, by one join (a million: 0.3 s to count; a look-up per row is ten times slower).
JOINED = "FROM entries e WHERE e.ident IN (SELECT key FROM user.reading)"


def attach(conn: sqlite3.Connection, user_db: Path | None) -> None:
    """The user database attached to a connection of the index as ``user``
    (read only by what is asked of it); an empty reading table when there
    is none (a store in memory, or not made yet). Attached once."""
    if any(name == "user" for _, name, _ in conn.execute("PRAGMA database_list")):
        return
    if user_db is not None and Path(user_db).is_file():
        try:
            conn.execute("ATTACH ? AS user", (str(user_db),))
            conn.execute("SELECT 1 FROM user.reading LIMIT 0")
            return
        except sqlite3.Error:
            if any(name == "user" for _, name, _ in conn.execute("PRAGMA database_list")):
                conn.execute("DETACH user")
    conn.execute("ATTACH ':memory:' AS user")
    conn.execute("CREATE TABLE user.reading (key TEXT PRIMARY KEY, read_at TEXT)")


class ReadState:
    """The read identities, as a set answers ``identity in read``: what this
    session changed (:attr:`changes`, a person's marks), else the
    user database (``stored``: one look-up on the asking thread's
    connection). Not walked: the bulk questions are statements
    (:meth:`count_read`, :meth:`read_ids`)."""

    def __init__(self, stored: Callable[[str], bool]) -> None:
        self.stored = stored
        self.changes: dict[str, bool] = {}
        self.bulk = 0  # marks written all at once (and dropped from changes): counted

    def __contains__(self, identity: object) -> bool:
        changed = self.changes.get(identity)  # type: ignore[call-overload]
        return self.stored(identity) if changed is None else changed  # type: ignore[arg-type]

    def add(self, identity: str) -> None:
        self.changes[identity] = True

    def discard(self, identity: str) -> None:
        self.changes[identity] = False

    def written(self, identities: Iterable[str]) -> None:
        """These are in the user database now (one transaction): its word is theirs."""
        changes = self.changes
        for identity in identities:
            changes.pop(identity, None)
        self.bulk += 1

    def of(self, identity: str, stored: int) -> bool:
        """Whether a row read with :data:`STORED` is read."""
        changed = self.changes.get(identity)
        return bool(stored) if changed is None else changed

    def count_read(self, conn: sqlite3.Connection) -> int:
        """How many articles of the index are read: one join, then what this
        session changed (``conn``: the user database attached)."""
        total = conn.execute(f"SELECT count(*) {JOINED}").fetchone()[0]
        for identity, read in dict(self.changes).items():
            n, stored = conn.execute(f"SELECT count(*), max({STORED}) FROM entries e WHERE e.ident = ?", (identity,)).fetchone()
            if n and bool(stored) != read:
                total += n if read else -n
        return total

    def read_ids(self, conn: sqlite3.Connection, ids: Sequence[int] | None = None) -> set[int]:
        """The ids of the read articles of the index, or of these ids: one
        join for many (a million: 0.4 s; a row-by-row look-up is ten times
        slower), a look-up each for a few; then what this session changed."""
        if ids is None or len(ids) > FEW:
            found = {i for (i,) in conn.execute(f"SELECT e.id {JOINED}")}
            if ids is not None:
                found.intersection_update(ids)
        else:
            found = set()
            for start in range(0, len(ids), 900):  # (SQLite's oldest limit of parameters: 999)
                part = list(ids[start : start + 900])
                found.update(i for (i,) in conn.execute(f"SELECT e.id FROM entries e WHERE e.id IN ({','.join('?' * len(part))}) AND {STORED}", part))
        wanted = None if ids is None else set(ids)
        for identity, read in dict(self.changes).items():
            for (i,) in conn.execute("SELECT id FROM entries WHERE ident = ?", (identity,)):
                if wanted is None or i in wanted:
                    (found.add if read else found.discard)(i)
        return found

    def marks(self, version: int) -> StoredMarks:
        """What ``is:read`` / ``is:unread`` asks of the index (a snapshot)."""
        return StoredMarks(self.bulk, version, dict(self.changes))


class StoredMarks:
    """The read state as the search's ``is:read`` / ``is:unread`` ask it: the
    ids of the read and of the unread articles in two temporary tables of its
    connection (:meth:`fill`). Filled from the user database when a mark all
    (``bulk``) changed it, else kept: the session's own marks (``changes``,
    a few) are then moved from one table to the other."""

    def __init__(self, bulk: int, version: int, changes: dict[str, bool]) -> None:
        self.bulk = str(bulk)
        self.version = str(version)
        self.changes = changes

    def fill(self, conn: sqlite3.Connection) -> dict[str, int]:
        """The tables up to date; how many ids each holds."""
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS read_ids(id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS unread_ids(id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS read_filled(what TEXT PRIMARY KEY, token TEXT NOT NULL) WITHOUT ROWID")
        filled = dict(conn.execute("SELECT what, token FROM temp.read_filled"))
        if filled.get("stored") != self.bulk:  # a million: about a second, once
            conn.execute("DELETE FROM temp.read_filled")  # first: a fill stopped half-way is not taken as done
            conn.execute("DELETE FROM temp.read_ids")
            conn.execute("DELETE FROM temp.unread_ids")
            conn.execute(f"INSERT INTO temp.read_ids SELECT e.id {JOINED}")
            conn.execute("INSERT INTO temp.unread_ids SELECT id FROM entries WHERE id NOT IN (SELECT id FROM temp.read_ids)")
            conn.execute("INSERT INTO temp.read_filled VALUES ('stored', ?)", (self.bulk,))
            filled = {}
        if filled.get("changes") != self.version:
            # Every change of the session's, placed by its state now (they only grow until a bulk token).
            conn.execute("DELETE FROM temp.read_filled WHERE what = 'changes'")
            for identity, read in self.changes.items():
                ids = [(i,) for (i,) in conn.execute("SELECT id FROM entries WHERE ident = ?", (identity,))]
                conn.executemany(f"DELETE FROM temp.{'unread_ids' if read else 'read_ids'} WHERE id = ?", ids)
                conn.executemany(f"INSERT OR IGNORE INTO temp.{'read_ids' if read else 'unread_ids'}(id) VALUES (?)", ids)
            conn.execute("INSERT INTO temp.read_filled VALUES ('changes', ?)", (self.version,))
        return {name: conn.execute(f"SELECT count(*) FROM temp.{name}").fetchone()[0] for name in ("read_ids", "unread_ids")}


__all__ = ["JOINED", "STORED", "ReadState", "StoredMarks", "attach"]
