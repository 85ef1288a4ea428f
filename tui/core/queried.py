"""Reading a collection too big to load: the session asks the on-disk index.

Up to :data:`QUERY_FROM` articles, the reader loads every entry (a
:class:`~tui.core.session.ReadingSession`: sorting, filtering and story
groups are then dictionary work). From there on, a start opens the
collection's index (:class:`~tui.core.catalog.catalog.Catalog`, brought up
to date first) and the :class:`QueriedSession` asks it for what is on
screen, so memory stays flat whatever the collection's size:

* the list reads its rows by position in the sort order, a page at a time
  (:mod:`tui.core.catalog.view`); a filtered list holds the ids that pass
  (8 bytes each), sorted in the filter's thread;
* the jump box and the filter search the index (:class:`QueriedSearch`);
* the sidebar's related stories, backlinks, versions and "more like this"
  are look-ups (:class:`~tui.core.catalog.links.Links`);
* the reading state stays in the user database, attached to each connection
  (:mod:`tui.core.catalog.reading`): a row's dot is a look-up, the unread
  count one join (then kept as for a loaded collection: a read or unread
  identity changes it by its count of articles); a million read identities
  are never loaded (~180 MB, a second).

:mod:`tui.core.opening` opens the index and brings it up to date in threads.

One row per article: a story told by several outlets takes one row each
(its versions are in the sidebar, and ``v`` / ``V`` step through them).

Connections: the UI thread reads with the catalog's own; every other thread
("more like this", the sidebar) with a second one, so a long search never
holds up the rows being painted; the jump box's search and the filter have
one each, which a search nobody waits for any more stops (SQLite's progress
handler: quitting never waits for it).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.core.bookmarks import BookmarkStore, entry_key
from tui.core.catalog import schema
from tui.core.catalog.collection import CountsOnDisk, QueriedCollection, QueriedSearch
from tui.core.catalog.read import Reader
from tui.core.catalog.reading import ReadState
from tui.core.catalog.view import IdRows, SortedIds, SortedRows, all_ids, identities, identities_of, ordered_ids
from tui.core.collection import SORT_LABELS
from tui.core.listview import ListFilter, next_unread, query_notes
from tui.core.model import Entry
from tui.core.query import parse_query
from tui.core.session import RECENT, ReadingSession, Sections
from tui.core.walk import names_at_least

QUERY_FROM = 200_000  # articles from which the reader queries the index instead of loading it
NEAR = 4096  # rows next unread looks at one by one before it finds the read ones all at once


@dataclass
class Opened:
    """The index is open and up to date: the collection to show.
    ``unread``: counted against the read set of ``read_version``;
    ``changes``: what an update found ("" for none), ``rescan``: asked by R."""

    collection: QueriedCollection
    unread: int | None  # None: counted after (see Counted)
    read_version: int
    notice: str = ""
    changes: str = ""
    rescan: bool = False
    building: bool = False  # a first build's rows so far (the date order only: the others are sorted at its end)


@dataclass
class Counted:
    """The unread count of an index opened early, counted after its first rows
    were shown (against the reading state of ``read_version``)."""

    collection: QueriedCollection
    unread: int | None
    read_version: int


def wanted(roots: Sequence[str | os.PathLike[str]]) -> bool:
    """Whether the collection is big enough to be queried: its complete
    index holds at least :data:`QUERY_FROM` articles; without one (a first
    start, a build cut short), its folders hold that many article names
    (counted without a stat, stopping there: ~0.2 s for a big one)."""
    try:
        path = schema.index_path([os.path.abspath(r) for r in roots])
        if path.is_file():
            conn = schema.connect(path, readonly=True)
            try:
                if schema.get_meta(conn, "state") == "complete":
                    return int(schema.get_meta(conn, "entries", 0)) >= QUERY_FROM  # type: ignore[arg-type]
            finally:
                conn.close()
    except (OSError, sqlite3.Error, ValueError, TypeError, schema.IndexUnusable):
        pass
    return names_at_least(roots, QUERY_FROM)


class QueriedSession(ReadingSession):
    """A :class:`~tui.core.session.ReadingSession` whose collection stays on
    disk (see the module's docstring)."""

    on_disk = True
    read: ReadState  # type: ignore[assignment] - not a set: asked of the user database

    def __init__(self, store: BookmarkStore, roots: Sequence[str | os.PathLike[str]], sort: str = "date") -> None:
        super().__init__(store, roots, sort)
        self.queried: QueriedCollection | None = None
        self._passing: tuple[str, list[int]] | None = None  # the filter's ids, in the order of a sort
        self._marks: tuple[tuple[int, int], dict[str, frozenset[str]]] | None = None
        self._filtering: QueriedSearch | None = None  # the filter's searches (see search_filter)
        self.building = False  # the rows are a first build's so far (see Opened)
        self.mine = None  # the session's marks are the read state's changes (they win as these would)

    def _load_read(self) -> ReadState:  # type: ignore[override]
        """Not loaded: asked of the user database (see :mod:`tui.core.catalog.reading`)."""
        state = ReadState(self._stored)
        if not self.store.persistent:  # a store in memory: no file to attach, its few marks kept here
            state.changes = dict.fromkeys(self.store.read_keys(), True)
        return state

    def _user_db(self) -> Path | None:
        """Where the reading state is stored (None: a store in memory)."""
        return self.store.path if self.store.persistent else None

    def _stored(self, identity: str) -> bool:
        """Whether the user database holds this identity read (on this thread's connection)."""
        queried = self.queried
        if queried is None:
            return False
        try:
            return queried.reader().conn.execute("SELECT 1 FROM user.reading WHERE key = ?", (identity,)).fetchone() is not None
        except sqlite3.Error:
            return False  # (not attached yet)

    def opened(self, opened: Opened) -> None:
        """The index is open (again: the rows are read anew)."""
        collection = self.queried = opened.collection
        collection.use_reading(self._user_db())
        unread = opened.unread
        if opened.read_version != self.read_version and not opened.building:  # (un)read meanwhile: counted again
            unread = self.count_unread(collection)
        self.collection = collection  # type: ignore[assignment] - what the screens ask of a collection
        self.search_index = QueriedSearch(collection)  # type: ignore[assignment]
        self.identity_counts = CountsOnDisk(collection)  # type: ignore[assignment]
        self.facet_values = {}
        self.building = opened.building
        if not opened.building:
            self.load_progress = None
        self.first_screen_total = None
        self.unread = None if opened.building else unread  # (not counted until built, or yet: "." and A walk and mark)
        if self._passing is not None:  # the filter is searched again by the caller
            self._passing = (self._passing[0], [])

    def counted(self, counted: Counted) -> bool:
        """The count of an index opened early; False when it came too late."""
        if counted.collection is not self.queried or self.unread is not None or self.building:
            return False
        self.unread = counted.unread if counted.read_version == self.read_version else self.count_unread(counted.collection)
        return True

    def count_unread(self, collection: QueriedCollection) -> int | None:
        """How many articles of ``collection`` are unread: one join with the
        user database (a million: 0.3 s; call it off the UI thread). None
        when it cannot be counted (then "." and A walk and mark)."""
        collection.user_db = self._user_db()
        try:
            conn = collection.connect()
            try:
                return len(collection) - self.read.count_read(conn)
            finally:
                conn.close()
        except sqlite3.Error:
            return None

    # -- rows ---------------------------------------------------------------------------
    def arrange(self, keep: Entry | None = None) -> int:
        queried = self.queried
        if queried is None:
            return 0
        reader = queried.reader()
        order = "date" if self.building else self.sort
        if self._passing is None:
            self.rows = SortedRows(reader, order, queried.shown)  # type: ignore[assignment]
        else:
            sort, ids = self._passing
            if sort != order:
                ids = ordered_ids(reader, ids, order)
                self._passing = (order, ids)
            self.rows = IdRows(reader, ids, queried.shown)  # type: ignore[assignment]
        self.matched = len(self.rows)
        if keep is not None:
            row = self.row_of(keep)
            return row if row is not None else 0
        return 0

    def stored_counts(self) -> tuple[int | None, int | None]:
        """The unread counts of the collection and of the filtered list
        against what the user database holds now (another process wrote to
        it: :mod:`tui.core.elsewhere`); None where not known. Call it off the UI thread."""
        queried, passing = self.queried, self._passing
        if queried is None or self.building:
            return None, None
        rows = None
        if self.view.active and passing is not None:
            try:
                with self._connection() as conn:
                    rows = len(passing[1]) - len(self.read.read_ids(conn, passing[1]))
            except sqlite3.Error:
                pass
        return self.count_unread(queried), rows

    def stored_changed(self, unread: int | None, rows_unread: int | None) -> None:
        """Another process wrote to the user database: the counts of
        :meth:`stored_counts`, and ``is:read`` / ``is:unread`` read it again.
        The read version stays: an open or a count in flight stays valid."""
        if unread is not None and self.unread is not None:
            self.unread = unread
        if rows_unread is not None and self.view.active:
            self.rows_unread = rows_unread
        self.read.bulk += 1  # the temporary tables of is: are filled again
        self._marks = None

    def _unread_of(self, reader: Reader, ids: list[int]) -> int:
        """How many of these articles are unread (a filtered list's header)."""
        return len(ids) - len(self.read.read_ids(reader.conn, ids))

    def _rows_read(self, identity: str, read: bool) -> None:
        if self.view.active and self.queried is not None:
            n = self.queried.count_of(identity)
            self.rows_unread += -n if read else n

    def key_of(self, entry: Entry) -> str:
        return entry_key(entry)

    def row_of(self, entry: Entry) -> int | None:
        queried, rows = self.queried, self.rows
        if queried is None or not isinstance(rows, SortedRows | IdRows):
            return None
        i = queried.id_of(entry)
        return None if i is None else rows.position_of(i)

    def shown_at(self, row: int) -> Entry | None:
        if not 0 <= row < len(self.rows):
            return None
        try:
            return self.rows[row]
        except IndexError:  # gone from the index since the list was arranged
            return None

    def story_count(self, entry: Entry) -> int:
        return 1  # one row per article here (see the module's docstring)

    def _version_ids(self, entry: Entry) -> list[int]:
        queried = self.queried
        i = queried.id_of(entry) if queried is not None else None
        return [] if i is None or queried is None else queried.links().versions(i)

    def choose_version(self, entry: Entry) -> None:
        """Nothing to choose: each version of a story has a row of its own here."""

    def step_version(self, entry: Entry, step: int) -> tuple[Entry, int, int] | None:
        queried = self.queried
        ids = self._version_ids(entry)
        if len(ids) < 2 or queried is None:
            return None
        versions = queried.entries(ids)
        paths = [v.path for v in versions]
        k = paths.index(entry.path) if entry.path in paths else 0
        target = (k + step) % len(versions)
        return versions[target], target + 1, len(versions)

    def sections(self, entry: Entry) -> Sections:
        """The versions of its story (one look-up); the backlinks are left
        to :meth:`sections_in_full` (at a million articles they can take
        SQLite tens of milliseconds: never on the UI thread)."""
        return self._sections(entry, cited=False)

    def sections_in_full(self, entry: Entry) -> Sections:
        return self._sections(entry, cited=True)

    def _sections(self, entry: Entry, cited: bool) -> Sections:
        queried = self.queried
        i = queried.id_of(entry) if queried is not None else None
        if queried is None or i is None:
            return Sections([] if cited else None, [], None)
        links = queried.links()
        citing = queried.entries(links.citing(i)) if cited else None
        versions = queried.entries(links.versions(i))
        if len(versions) < 2:
            return Sections(citing, [], None)
        paths = [v.path for v in versions]
        return Sections(citing, versions, paths.index(entry.path) if entry.path in paths else None)

    def similar(self, entry: Entry, limit: int = 8) -> list[Entry] | None:
        queried = self.queried
        i = queried.id_of(entry) if queried is not None else None
        if queried is None or i is None:
            return None
        links = queried.links()
        return queried.entries(links.more_like_this(i, limit=limit, exclude=links.versions(i)))

    def newest(self) -> list[Entry]:
        queried = self.queried
        if queried is None:
            return []
        if self.sort == "date" and self._passing is None:
            return list(self.rows[:RECENT])
        return list(SortedRows(queried.reader(), "date", queried.shown)[:RECENT])

    def summary(self) -> str:
        queried = self.queried
        if queried is None:
            return ""
        total = len(queried)
        parts = [f"{total:,} article{'s' if total != 1 else ''}"]
        if self.view.active:
            parts = [self.view.label(), f"{self.matched:,} of {total:,}", f"{self.rows_unread:,} unread"]
        elif self.unread is not None and not self.building:
            parts.append(f"{self.unread:,} unread")
        parts.append(SORT_LABELS["date" if self.building else self.sort])
        if self.load_progress is not None:  # R: every file stat'ed, the list as it was meanwhile
            done, total = self.load_progress
            what = "indexing" if self.building else "checking"
            parts.insert(0, f"{what} {done:,}/{total:,} files…" if total else f"{what} the files…")  # (0/0: still walking them)
        if queried.issues:
            parts.append(f"{len(queried.issues):,} issues (!)")
        return " · ".join(parts)

    # -- reading state --------------------------------------------------------------------
    def entry_for(self, identity: str) -> Entry | None:
        return self.queried.by_identity(identity) if self.queried is not None else None

    # Mark all read (A) and its undo at a million rows: gathered, written and
    # counted off the UI thread (a second or more), then applied at once.
    def list_unread(self) -> list[str]:
        """Every unread identity of the list (call it off the UI thread)."""
        read, passing = self.read, self._passing
        with self._connection() as conn:
            if passing is None:  # one walk of every row
                done = read.read_ids(conn)
                return list(dict.fromkeys(ident for i, ident in conn.execute("SELECT id, ident FROM entries") if i not in done))
            done = read.read_ids(conn, passing[1])
            return list(dict.fromkeys(identities(conn, [i for i in passing[1] if i not in done])))

    def find_unread(self, cursor: int, step: int) -> tuple[int, bool] | None:
        """:func:`~tui.core.listview.next_unread` of the list, walked on a
        connection of its own (call it off the UI thread): the rows near the
        cursor with their stored state (a look-up each: quick when one is
        unread nearby), then, past :data:`NEAR` of them, the ids in order
        against the read ids found by one join (round a million: ~2 s)."""
        read, passing, queried = self.read, self._passing, self.queried
        with self._connection() as conn:
            reader = Reader(queried.catalog.path, queried.roots, conn)  # type: ignore[union-attr]
            order, ids = "date" if self.building else self.sort, None if passing is None else passing[1]
            flagged = identities_of(reader, order, ids, flagged=True)
            count = len(flagged)
            start = min(max(cursor, -1), count)
            for k in range(1, min(count, NEAR) + 1):
                row = start + (1 if step >= 0 else -1) * k
                if row % count == cursor:
                    return None
                if not read.of(*flagged[row % count]):  # type: ignore[misc]
                    return row % count, not 0 <= row < count
            if count <= NEAR:
                return None
            done = read.read_ids(conn, ids)
            return next_unread(SortedIds(reader, order, str) if ids is None else ids, cursor, step, done.__contains__)  # type: ignore[arg-type]

    def articles_holding(self, keys: Iterable[str]) -> tuple[int, int]:
        """How many articles of the collection, and of the list, have one of
        these identities (call it off the UI thread)."""
        wanted, passing = set(keys), self._passing
        with self._connection() as conn:
            total = sum(1 for k in identities(conn) if k in wanted)
            listed = total if passing is None else sum(1 for k in identities(conn, passing[1]) if k in wanted)
        return total, listed

    def marks_written(self, keys: list[str], read: bool, counts: tuple[int, int]) -> None:
        """What a mark-all (or its undo) written off the UI thread changes
        here: ``counts`` from :meth:`articles_holding` of ``keys``."""
        for key in keys:
            self.pending.pop(key, None)
        if self.store.persistent:
            self.read.written(keys)
        else:  # (a store in memory: never attached, the changes are the whole state)
            for key in keys:
                self.read.changes[key] = read
        sign = -1 if read else 1
        if self.unread is not None:
            self.unread = max(0, self.unread + sign * counts[0])
        self.rows_unread = max(0, self.rows_unread + sign * counts[1])
        self.read_version += 1

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self.queried is None:
            raise sqlite3.OperationalError("the index is not open")
        conn = self.queried.connect()
        try:
            yield conn
        finally:
            conn.close()

    # -- the filter ----------------------------------------------------------------------------
    def filter_search(self, view: ListFilter) -> tuple[QueriedSearch, Mapping[str, object] | None] | None:
        if not view.active or self.search_index is None:
            return None
        return self.search_index, self.facet_sets()  # type: ignore[return-value]

    def search_filter(
        self, view: ListFilter, index: object, marks: object, stale: Callable[[], bool] | None = None
    ) -> tuple[object, list[int], str, int]:
        """The ids passing ``view``, in the sort order (call it off the UI
        thread: on the search's own connection there, stopped when ``stale``)."""
        if self.queried is None or not isinstance(index, QueriedSearch):
            return super().search_filter(view, index, marks, stale)
        if self._filtering is None or self._filtering.collection is not self.queried:
            self._filtering = QueriedSearch(self.queried)  # a connection of its own: stopped when stale
        return self._filtering.run(lambda reader: self._passing_ids(reader, view, index, marks), stale)

    def _passing_ids(self, reader: Reader, view: ListFilter, index: QueriedSearch, marks: object) -> tuple[object, list[int], str, int]:
        read = self.read if view.unread_only else None
        parsed = parse_query(view.query)
        note = "; ".join(parsed.errors)
        if view.has_query:
            from tui.core.catalog.search import search

            found = search(reader.conn, parsed, len(reader), marks=marks)  # type: ignore[arg-type]
            note = query_notes(parsed, found)
            ids = found.full_docs()
            if read is not None:
                done = read.read_ids(reader.conn, ids)
                ids = [i for i in ids if i not in done]
            ordered = ordered_ids(reader, ids, self.sort)
        else:
            ordered = all_ids(reader, self.sort)
            if read is not None:
                done = read.read_ids(reader.conn)
                ordered = [i for i in ordered if i not in done]
        unread = len(ordered) if view.unread_only else self._unread_of(reader, ordered)
        return index, ordered, note, unread

    def apply_filter(self, view: ListFilter, found: tuple | None = None) -> str:
        self.view = view
        if not view.active:
            self._passing = None
            return ""
        if found is None or found[0] is not self.search_index:
            found = self.search_filter(view, self.search_index, self.facet_sets())
        self._passing = (self.sort, list(found[1]))
        self.rows_unread = found[3]
        return found[2]

    def facet_sets(self) -> Mapping[str, object] | None:
        """``is:`` as the index asks it: the bookmarked and read identities (a snapshot)."""
        version = (self.read_version, self.bookmarks_version)
        if self._marks is None or self._marks[0] != version:
            self._marks = (version, {"bookmarked": frozenset(self.bookmarked), "read": self.read.marks(self.read_version)})  # type: ignore[dict-item]
        return self._marks[1]

    # -- where the reader is -------------------------------------------------------------
    def restore_target(self) -> tuple[Entry, int, float] | None:
        position, queried = self.restore, self.queried
        if position is None or queried is None:
            return None
        self.restore = None
        entry = queried.by_path(position.path)
        if entry is None or entry_key(entry) != position.key:
            entry = queried.by_identity(position.key)
        row = self.row_of(entry) if entry is not None else None
        self.restored = entry is not None and row is not None
        if entry is None or row is None:
            return None
        return self.rows[row], row, position.scroll
