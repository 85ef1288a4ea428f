"""A collection as the screens ask it, answered by its index: the
articles by id and path, related stories resolved, the search the jump box
uses (see :mod:`tui.core.queried`, which reads collections too big to load
this way).

Connections: the UI thread reads with the catalog's own; every other thread
with a second one (:meth:`QueriedCollection.reader`), and the jump box's
searches with a third (:class:`QueriedSearch`), so a long search never
holds up the rows being painted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tui.core.catalog import schema
from tui.core.catalog.catalog import Catalog
from tui.core.catalog.read import GivenPaths, Reader
from tui.core.catalog.reading import JOINED, attach
from tui.core.collection import display_path
from tui.core.index import IndexStats
from tui.core.model import Entry, LoadIssue, Related
from tui.core.results import COUNT_CAP, SearchResult, Stale

T = TypeVar("T")


class QueriedCollection:
    """What the screens ask of a collection, answered by its index."""

    def __init__(self, catalog: Catalog, roots: Sequence[Path]) -> None:
        self.catalog = catalog
        self.roots = list(roots)
        self.shown = GivenPaths(roots)
        self.issues = [LoadIssue(self.shown(i.path), i.reason) for i in catalog.issues()]
        self.stats = IndexStats(files=len(catalog) + len(self.issues), cache_file=str(catalog.path), notice=catalog.notice)
        self._worker: Reader | None = None
        self._lock = threading.Lock()
        self.user_db: Path | None = None  # attached to every connection (tui.core.catalog.reading), once given

    def use_reading(self, user_db: Path | None) -> None:
        """The reading state is asked of this user database (attached to the
        connections: see :mod:`tui.core.catalog.reading`)."""
        self.user_db = user_db
        attach(self.catalog.conn, user_db)
        with self._lock:
            if self._worker is not None:
                attach(self._worker.conn, user_db)

    def connect(self) -> sqlite3.Connection:
        """A read-only connection of its own (the user database attached)."""
        conn = schema.connect(self.catalog.path, readonly=True)
        attach(conn, self.user_db)
        return conn

    def __len__(self) -> int:
        return len(self.catalog)

    def display_path(self, path: str) -> str:
        return display_path(path, self.roots)

    def reader(self) -> Reader:
        """The index as this thread reads it (see the module's docstring)."""
        if threading.current_thread() is threading.main_thread():
            return self.catalog
        with self._lock:
            if self._worker is None:
                self._worker = Reader(self.catalog.path, self.catalog.roots, self.connect())
            return self._worker

    def links(self) -> Catalog:
        """The graph look-ups (:class:`Links`) on this thread's connection."""
        reader = self.reader()
        if reader is self.catalog:
            return self.catalog
        linked = Catalog(reader.path, reader.roots, reader.conn)
        linked._anchors = reader._anchors  # noqa: SLF001 - the same anchors for the same connection
        return linked

    def close(self) -> None:
        self.catalog.close()
        if self._worker is not None:
            self._worker.close()

    # -- articles --------------------------------------------------------------------------
    def _shown(self, entry: Entry | None) -> Entry | None:
        return None if entry is None else entry._replace(path=self.shown(entry.path))

    def entry(self, id_: int) -> Entry | None:
        return self._shown(self.reader().entry(id_))

    def entries(self, ids: Sequence[int]) -> list[Entry]:
        """The entries of these ids, in that order (those gone skipped)."""
        found = self.reader().entries(ids)
        return [self._shown(found[i]) for i in ids if i in found]  # type: ignore[misc]

    def id_of(self, entry: Entry) -> int | None:
        return self.reader().id_of(entry.path)

    def by_path(self, path: str) -> Entry | None:
        return self._shown(self.reader().by_path(path))

    def by_identity(self, identity: str) -> Entry | None:
        row = self.reader().conn.execute("SELECT min(id) FROM entries WHERE ident = ?", (identity,)).fetchone()
        return self.entry(row[0]) if row and row[0] is not None else None

    def count_of(self, identity: str) -> int:
        """How many articles have this identity."""
        return self.reader().conn.execute("SELECT count(*) FROM entries WHERE ident = ?", (identity,)).fetchone()[0]

    def count_read(self, read: Iterable[str]) -> int:
        """How many articles have one of these identities."""
        keys = list(read)
        conn, total = self.reader().conn, 0
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            total += conn.execute(f"SELECT count(*) FROM entries WHERE ident IN ({','.join('?' * len(part))})", part).fetchone()[0]
        return total

    def count_stored_read(self, user_db: Path) -> int:
        """How many articles the reading state stored in ``user_db`` marks
        read: one join (a million read: 0.3 s, where :meth:`count_read` of
        the identities takes 3 s). Its own connection: call it in any thread."""
        conn = schema.connect(self.catalog.path, readonly=True)
        try:
            conn.execute("ATTACH ? AS user", (Path(user_db).resolve().as_uri() + "?mode=ro",))
            return conn.execute(f"SELECT count(*) {JOINED}").fetchone()[0]
        finally:
            conn.close()

    def resolve(self, related: Related, *, by_title: bool = True) -> Entry | None:
        """The article of the collection a related story points to."""
        i = self.links().resolve(related, by_title=by_title)
        return None if i is None else self.entry(i)


class _ById(Mapping[int, Entry]):
    """Articles by id, for the jump box (``index.entries[hit.index]``)."""

    def __init__(self, collection: QueriedCollection) -> None:
        self._collection = collection
        self._kept: dict[int, Entry] = {}

    def __getitem__(self, id_: int) -> Entry:
        entry = self._kept.get(id_)
        if entry is None:
            entry = self._collection.entry(id_)
            if entry is None:
                raise KeyError(id_)
            if len(self._kept) > 2000:
                self._kept.clear()
            self._kept[id_] = entry
        return entry

    def __iter__(self):  # noqa: ANN204
        return iter(())  # never walked: a million articles

    def __len__(self) -> int:
        return len(self._collection)


class QueriedSearch:
    """The search the jump box and the palette use, asked of the index (as
    :class:`tui.core.search.SearchIndex`: ``results``, ``search`` and
    ``entries``; a hit's ``index`` is the article's id).

    Off the UI thread it searches on a connection of its own, where a search
    that turned ``stale`` (a newer query was typed) is stopped by SQLite
    within a fraction of a millisecond (a progress handler) and raises
    :class:`~tui.core.results.Stale`: the newest query never waits for one
    nobody will see. That connection is used by one thread at a time (a
    lock): SQLite calls the handler holding the connection's mutex, and a
    second thread waiting for that mutex while holding Python's would
    deadlock them both."""

    on_disk = True  # counting its matches can take longer than finding the best (see JumpScreen)

    def __init__(self, collection: QueriedCollection) -> None:
        self.collection = collection
        self.entries = _ById(collection)
        self._own: Reader | None = None
        self._lock = threading.Lock()
        self._use = threading.RLock()  # one thread at a time on the connection of its own

    def _reader(self) -> Reader:
        if threading.current_thread() is threading.main_thread():
            return self.collection.reader()
        with self._lock:
            if self._own is None:
                catalog = self.collection.catalog
                self._own = Reader(catalog.path, catalog.roots, self.collection.connect())
            return self._own

    def results(self, query: object, *, marks: Mapping[str, object] | None = None, stale: Callable[[], bool] | None = None) -> SearchResult:
        from tui.core.catalog.search import search

        def searched(reader: Reader) -> SearchResult:
            return search(reader.conn, query, len(reader), marks=marks, rows=self._rows(reader))  # type: ignore[arg-type]

        reader = self._reader()
        if reader is self.collection.reader():  # (the UI thread's: never stopped)
            return searched(reader)
        return _Watched(self.run(searched, stale), stale or (lambda: False), self._use)  # type: ignore[return-value]

    def run(self, work: Callable[[Reader], T], stale: Callable[[], bool] | None = None) -> T:
        """``work`` done on this search's reader: off the UI thread, on its own
        connection, stopped by SQLite once ``stale`` answers true (raising
        :class:`~tui.core.results.Stale`); on the UI thread, never stopped."""
        reader = self._reader()
        if reader is self.collection.reader():
            return work(reader)
        with self._use:
            if stale is not None:
                reader.conn.set_progress_handler(stale, STALE_CHECK)  # a true answer stops the statement
            else:
                reader.conn.set_progress_handler(None, 0)
            try:
                return work(reader)
            except sqlite3.OperationalError:
                if stale is not None and stale():
                    raise Stale from None
                raise

    def _rows(self, reader: Reader) -> dict:
        """The articles' rows this connection's searches read, while the index
        is unchanged (each keystroke's candidates are mostly the last one's)."""
        generation = reader.generation
        kept = reader.searched
        if kept is None or kept[0] != generation or len(kept[1]) > DOCS_KEPT:
            kept = reader.searched = (generation, {})
        return kept[1]

    def search(self, query: object, limit: int | None = 50, *, marks: Mapping[str, object] | None = None) -> list:
        found = self.results(query, marks=marks)
        return found[: len(found) if limit is None else limit]


DOCS_KEPT = 8000  # articles' rows kept for the next keystroke's search (~1 KB each)
STALE_CHECK = 2000  # SQLite instructions between two checks for a newer query (~20-50 µs)


class _Watched:
    """A search result read lazily on a connection whose search may be
    stopped: reading it raises :class:`Stale` once it is."""

    def __init__(self, found: SearchResult, stale: Callable[[], bool], use: threading.RLock) -> None:
        self._found = found
        self._stale = stale
        self._use = use

    def _read(self, read: Callable[[], object]) -> Any:
        with self._use:
            try:
                return read()
            except sqlite3.OperationalError:
                if self._stale():
                    raise Stale from None
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._found, name)

    def __getitem__(self, i: int | slice) -> Any:
        return self._read(lambda: self._found[i])

    def __len__(self) -> int:
        return self._read(lambda: len(self._found))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._read(lambda: list(self._found)))

    @property
    def full(self) -> int:
        return self._read(lambda: self._found.full)

    @property
    def partial(self) -> int:
        return self._read(lambda: self._found.partial)

    def counted(self, cap: int = COUNT_CAP) -> tuple[int, int | None, bool]:
        return self._read(lambda: self._found.counted(cap))

    def full_docs(self) -> list[int]:
        return self._read(self._found.full_docs)


class CountsOnDisk:
    """identity -> how many articles have it, counted when asked."""

    def __init__(self, collection: QueriedCollection) -> None:
        self._collection = collection

    def __getitem__(self, identity: str) -> int:
        return self._collection.count_of(identity)
