"""The list's rows read from the index, a page at a time: what the reader
shows of a collection too big to load (see :mod:`tui.core.queried`).

* :class:`SortedRows`: every article in a sort order, read by position
  (:meth:`tui.core.catalog.read.Reader.rows`); "oldest first" is the date
  order read backwards, undated articles last in both;
* :class:`IdRows`: the articles of a list of ids (a filtered list), in the
  order given (:func:`ordered_ids` sorts them).

Both are sequences of :class:`~tui.core.model.Entry` whose items are read
when asked for and kept a while (the pages around the cursor): memory stays
flat whatever the collection's size. An entry read twice is the same object
while its page is kept, so the screens can compare entries with ``is``.
Entries carry the path as the collection was named (:class:`GivenPaths`)
and no body words (the list never shows them; search asks the index).
"""

from __future__ import annotations

import array
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload

from tui.core.catalog.read import LIST_COLUMNS, ORDERS, Reader, comparable
from tui.core.catalog.reading import STORED
from tui.core.catalog.rows import UNDATED
from tui.core.model import Entry

PAGE = 128  # rows read at once
PAGES_KEPT = 48  # pages kept (~6,000 rows: a few screens either side of the cursor, and the jump box's)
_SORT_OF = {"oldest": "date"}


class _Paged(Sequence[Entry]):
    """Rows read a page at a time, the pages used last kept."""

    page = PAGE

    def __init__(self, reader: Reader, shown: Callable[[str], str]) -> None:
        self.reader = reader
        self._shown = shown
        self._pages: OrderedDict[int, list[Entry]] = OrderedDict()

    def __len__(self) -> int:
        raise NotImplementedError

    def _read(self, start: int, count: int) -> list[Entry]:
        raise NotImplementedError

    def _made(self, entry: Entry) -> Entry:
        return entry._replace(path=self._shown(entry.path))

    def _page(self, k: int) -> list[Entry]:
        page = self._pages.get(k)
        if page is None:
            page = [self._made(e) for e in self._read(k * self.page, self.page)]
            self._pages[k] = page
            if len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(k)
        return page

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        n = len(self)
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        page = self._page(i // self.page)
        offset = i % self.page
        if offset >= len(page):  # the index changed under the list (another process): the row is gone
            raise IndexError(i)
        return page[offset]

    def __iter__(self):  # noqa: ANN204 - a page at a time, not an item at a time
        for k in range((len(self) + self.page - 1) // self.page):
            yield from self._page(k)

    def forget(self) -> None:
        """Read everything again when next asked (the index changed)."""
        self._pages.clear()


class SortedRows(_Paged):
    """Every article of the index in ``sort`` order."""

    def __init__(self, reader: Reader, sort: str, shown: Callable[[str], str]) -> None:
        super().__init__(reader, shown)
        self.sort = sort
        self._n = len(reader)
        # "oldest first": the dated articles of the date order, backwards, then the undated ones.
        self._dated = dated_count(reader) if sort == "oldest" else 0

    def __len__(self) -> int:
        return self._n

    def _rows(self, sort: str, start: int, count: int) -> list[tuple[int, Entry]]:
        return self.reader.rows(sort, start, count, LIST_COLUMNS)

    def _read(self, start: int, count: int) -> list[Entry]:
        end = min(start + count, self._n)
        if self.sort != "oldest":
            return [e for _, e in self._rows(self.sort, start, end - start)]
        d = self._dated
        out: list[Entry] = []
        if start < d:  # oldest-first positions [start, min(end, d)) are date positions d-1-p
            last = min(end, d)
            found = self._rows("date", d - last, last - start)
            out.extend(e for _, e in reversed(found))
        if end > d:
            first = max(start, d)
            out.extend(e for _, e in self._rows("date", first, end - first))
        return out

    def position_of(self, id_: int) -> int | None:
        """The row of an article (by its id in the index)."""
        p = self.reader.position_of(id_, _SORT_OF.get(self.sort, self.sort))
        if p is None or self.sort != "oldest":
            return p
        return self._dated - 1 - p if p < self._dated else p


class IdRows(_Paged):
    """The articles of ``ids``, in that order (those gone from the index are skipped when read)."""

    def __init__(self, reader: Reader, ids: Iterable[int], shown: Callable[[str], str]) -> None:
        super().__init__(reader, shown)
        self.ids = array.array("q", ids)  # 8 bytes a row

    def __len__(self) -> int:
        return len(self.ids)

    def _read(self, start: int, count: int) -> list[Entry]:
        part = self.ids[start : start + count].tolist()
        found = self.reader.entries(part, LIST_COLUMNS)
        return [found[i] for i in part if i in found]

    def position_of(self, id_: int) -> int | None:
        try:
            return self.ids.index(id_)
        except ValueError:
            return None


class SortedIdentities(SortedRows):
    """The identity of each row of :class:`SortedRows` (what "next unread"
    walks: a million in about 3 s, three times quicker than whole rows)."""

    page = 4096  # a walk: few statements
    flagged = False  # each row (identity, stored read): see tui.core.catalog.reading

    def _made(self, entry: Entry) -> Entry:
        return entry

    def _rows(self, sort: str, start: int, count: int) -> list[tuple[int, Entry]]:
        if self.flagged:
            return self.reader.rows(sort, start, count, f"e.id, e.ident, {STORED}", lambda row: (row[1], row[2]))
        return self.reader.rows(sort, start, count, "id, ident", lambda row: row[1])


class SortedIds(SortedRows):
    """The id of each row of :class:`SortedRows` (a walk of a million: ~1.5 s)."""

    page = 4096

    def _made(self, entry: Entry) -> Entry:
        return entry

    def _rows(self, sort: str, start: int, count: int) -> list[tuple[int, Entry]]:
        return self.reader.rows(sort, start, count, "id", lambda row: row[0])


class IdIdentities(IdRows):
    """The identity of each row of :class:`IdRows`."""

    page = 4096  # a walk: few statements
    flagged = False  # each row (identity, stored read)

    def _made(self, entry: Entry) -> Entry:
        return entry

    def _read(self, start: int, count: int) -> list[Entry]:
        part = self.ids[start : start + count].tolist()
        found: dict[int, object] = {}
        for k in range(0, len(part), 900):  # (SQLite's oldest limit of parameters: 999)
            some = part[k : k + 900]
            if self.flagged:
                rows = self.reader.conn.execute(f"SELECT e.id, e.ident, {STORED} FROM entries e WHERE e.id IN ({','.join('?' * len(some))})", some)
                found.update((i, (ident, stored)) for i, ident, stored in rows)
            else:
                found.update(self.reader.conn.execute(f"SELECT id, ident FROM entries WHERE id IN ({','.join('?' * len(some))})", some))
        return [found[i] for i in part if i in found]  # type: ignore[misc]


def identities_of(reader: Reader, sort: str, ids: Sequence[int] | None = None, flagged: bool = False) -> Sequence[str]:
    """The identities of the rows :func:`rows_of` lists, in the same order
    (``flagged``: each with whether it is stored read, as (identity, 0 / 1);
    the user database attached, see :mod:`tui.core.catalog.reading`)."""
    rows = SortedIdentities(reader, sort, str) if ids is None else IdIdentities(reader, ids, str)
    rows.flagged = flagged
    return rows  # type: ignore[return-value]


def dated_count(reader: Reader) -> int:
    """How many articles have a date (they come first in the date order)."""
    sql = f"SELECT count(*) FROM entries {reader.indexed_by('date')} WHERE neg_ts < ?"
    return reader.conn.execute(sql, (UNDATED,)).fetchone()[0]


def ordered_ids(reader: Reader, ids: Iterable[int], sort: str) -> list[int]:
    """``ids`` in ``sort`` order (as :class:`SortedRows` lists them)."""
    wanted = list(ids)
    key_sort = _SORT_OF.get(sort, sort)
    names = ", ".join(ORDERS[key_sort])
    keyed: list[tuple] = []
    for start in range(0, len(wanted), 900):
        part = wanted[start : start + 900]
        marks = ",".join("?" * len(part))
        keyed.extend(reader.conn.execute(f"SELECT {names} FROM entries WHERE id IN ({marks})", part))
    keyed.sort(key=lambda k: comparable(key_sort, k))
    out = [k[-1] for k in keyed]
    if sort == "oldest":
        dated = [i for k, i in zip(keyed, out, strict=True) if k[0] < UNDATED]
        out = dated[::-1] + out[len(dated) :]
    return out


def all_ids(reader: Reader, sort: str) -> list[int]:
    """Every article's id in ``sort`` order."""
    key_sort = _SORT_OF.get(sort, sort)
    names = ", ".join(ORDERS[key_sort])
    out = [i for (i,) in reader.conn.execute(f"SELECT id FROM entries {reader.indexed_by(key_sort)} ORDER BY {names}")]
    if sort == "oldest":
        undated = {i for (i,) in reader.conn.execute(f"SELECT id FROM entries {reader.indexed_by('date')} WHERE neg_ts >= ?", (UNDATED,))}
        dated = [i for i in out if i not in undated]
        out = dated[::-1] + [i for i in out if i in undated]
    return out


def identities(conn: sqlite3.Connection, ids: Sequence[int] | None = None) -> Iterator[str]:
    """The identity of every article (``ids`` None), or of these articles;
    one per article (a million in about a second: call it off the UI thread)."""
    if ids is None:
        yield from (ident for (ident,) in conn.execute("SELECT ident FROM entries"))
        return
    for start in range(0, len(ids), 900):
        part = list(ids[start : start + 900])
        yield from (ident for (ident,) in conn.execute(f"SELECT ident FROM entries WHERE id IN ({','.join('?' * len(part))})", part))


def rows_of(reader: Reader, sort: str, shown: Callable[[str], str], ids: Sequence[int] | None = None) -> SortedRows | IdRows:
    """The rows to list: every article (``ids`` None), or those of ``ids`` in that order."""
    return SortedRows(reader, sort, shown) if ids is None else IdRows(reader, ids, shown)
