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

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from tui.core.catalog.read import GivenPaths as Paths
from tui.core.model import Entry
from tui.core.text import clean_line, clean_path, safe_json


class Reading:
    """Read and bookmarked identities from the bookmark store (read once)."""

    def __init__(self) -> None:
        self.bookmarked: set[str] = set()
        self.read: set[str] = set()
        try:
            from tui.core.bookmarks import BookmarkStore

            with BookmarkStore() as store:
                self.bookmarked, self.read = set(store.keys()), set(store.read_keys())
        except Exception:  # noqa: BLE001 - a store that cannot be read: nothing is read or bookmarked
            pass

    def marks(self) -> dict[str, set[str]]:
        """For the search's ``is:`` facets."""
        return {"bookmarked": self.bookmarked, "read": self.read}

    def state(self, entry: Entry) -> dict[str, bool]:
        from tui.core.bookmarks import entry_key

        key = entry_key(entry)
        return {"read": key in self.read, "bookmarked": key in self.bookmarked}


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
