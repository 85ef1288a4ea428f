"""What ``tui-reader list``, ``search`` and ``show`` print, answered from
the on-disk index (:class:`tui.core.catalog.catalog.Catalog`): rows as they stream
out of the index, never the whole collection in memory.

* text: one line per article, ending with its path;
* ``--json``: one JSON array, written an element at a time;
* ``--json-lines``: one JSON object per line (NDJSON).

JSON objects carry the reading state of the bookmark store (``read``,
``bookmarked``). Paths are shown as the collection was named on the command
line (``seeds/001_….txt``), though the index keeps them absolute.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from tui.core.catalog.read import GivenPaths as Paths
from tui.core.model import Entry
from tui.core.text import clean_line, clean_path, safe_json


class Reading:
    """Read and bookmarked identities from the bookmark store: the bookmarks
    read once (a person's: a few thousand at most), the reading state asked
    per article (a million read identities are never loaded: they took a
    second and 200 MB of every ``search --json``). The store is only read,
    and stays open for the command's life."""

    def __init__(self) -> None:
        self.bookmarked: set[str] = set()
        self._store = None
        try:
            from tui.core.bookmarks import BookmarkStore

            store = BookmarkStore()
            self.bookmarked, self._store = set(store.keys()), store
        except Exception:  # noqa: BLE001 - a store that cannot be read: nothing is read or bookmarked
            pass

    def is_read(self, key: str) -> bool:
        try:
            return self._store is not None and self._store.is_read(key)
        except Exception:  # noqa: BLE001 - as above
            return False

    def marks(self, conn: sqlite3.Connection) -> dict[str, object]:
        """For the search's ``is:`` facets, on the index's connection ``conn``
        (the user database attached to it: see :mod:`tui.core.catalog.reading`)."""
        from tui.core.catalog.reading import StoredMarks, attach

        store = self._store
        persistent = store is not None and store.persistent
        try:
            attach(conn, store.path if persistent else None)  # type: ignore[union-attr]
        except sqlite3.Error:
            attach(conn, None)
        changes = {} if persistent or store is None else dict.fromkeys(store.read_keys(), True)
        return {"bookmarked": self.bookmarked, "read": StoredMarks(0, 0, changes)}

    def state(self, entry: Entry) -> dict[str, bool]:
        from tui.core.bookmarks import entry_key

        key = entry_key(entry)
        return {"read": self.is_read(key), "bookmarked": key in self.bookmarked}


def entry_json(entry: Entry, paths: Paths, reading: Reading | None) -> dict[str, Any]:
    data = entry.to_json()
    data["path"] = paths.shown(entry.path)
    if reading is not None:
        data.update(reading.state(entry))
    return data


def row_text(entry: Entry, paths: Paths) -> str:
    """``date  provider  title  path`` (titles never hold two spaces in a
    row), every part terminal-safe."""
    return (
        f"{entry.date_text or '----------'}  {clean_line(entry.provider)[:24]:<24}  {clean_line(entry.title)}"
        f"  {clean_path(paths.shown(entry.path))}"
    )


def write_json(objects: Iterable[dict[str, Any]], lines: bool, out: TextIO | None = None) -> None:
    """A JSON array (as ``json.dump(..., indent=2)`` writes it) or JSON lines,
    an object at a time."""
    out = out or sys.stdout
    if lines:
        for obj in objects:
            out.write(safe_json(obj, default=str) + "\n")
        return
    first = True
    for obj in objects:
        text = safe_json(obj, indent=2, default=str).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")


def stream(pairs: Iterable[tuple[int, Entry]]) -> Iterator[Entry]:
    for _, entry in pairs:
        yield entry
