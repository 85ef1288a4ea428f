"""Recent queries and saved views of the jump box, kept in the user data folder.

One small JSON file (``queries.json``, see :func:`tui.core.locations.queries_file`)::

    {"version": 1,
     "recent": ["newest query", "older query", ...],
     "views": [{"name": "Japan exports", "query": "japan export topic:policy"}, ...]}

* Every write is atomic: a temporary file in the same folder, ``fsync``, then
  ``os.replace`` over the old one; a kill at any moment leaves the old file or
  the new one, never half of one.
* Each change reads the file again first and applies itself to what is there,
  so two readers open at once add to each other's history instead of undoing it.
* A file that cannot be read as this format (damaged, or written by something
  else) is never overwritten: it is renamed aside with a timestamp
  (``queries.json.damaged-YYYYMMDD-HHMMSS``), :attr:`QueryStore.notice` says so
  in one line, and a new file starts.
* A folder that cannot be written costs persistence, not the session: the
  store keeps working in memory and :attr:`QueryStore.notice` says why.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.core import locations
from tui.core.atomic import write_text_atomically

VERSION = 1
MAX_RECENT = 100  # queries remembered, newest first
MAX_QUERY = 500  # characters of one query kept
MAX_NAME = 80  # characters of a view's name


@dataclass(frozen=True, slots=True)
class View:
    """A query saved under a name."""

    name: str
    query: str


class QueryStore:
    """Recent queries (newest first) and named views, persisted."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else locations.queries_file()
        self.notice: str | None = None
        self._writable = True
        self.recent: list[str] = []
        self.views: list[View] = []
        self._load()

    # -- reading ------------------------------------------------------------------
    def _load(self) -> None:
        data = self._read()
        if data is not None:
            self.recent, self.views = data

    def _read(self) -> tuple[list[str], list[View]] | None:
        """What the file holds; None when there is no file or it could not be read
        (a damaged file is moved aside here)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._fail(f"cannot read {self.path}: {exc.strerror or exc}")
            return None
        try:
            return _parse(raw)
        except ValueError as exc:
            self._move_aside(str(exc))
            return None

    def _move_aside(self, why: str) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        try:
            os.rename(self.path, aside)
        except OSError as exc:
            # Never overwritten: without a rename, nothing is written here this session.
            self._fail(f"{self.path} is damaged ({why}) and could not be moved aside ({exc.strerror or exc})")
            return
        self.notice = f"The saved queries file was damaged ({why}); it was kept as {aside} and a new one started."

    def _fail(self, reason: str) -> None:
        self._writable = False
        self.notice = f"Recent queries and saved views will not be kept: {reason}."

    # -- changes --------------------------------------------------------------------
    def add_recent(self, query: str) -> None:
        """Remember a query as the newest (once: an older copy moves up)."""
        query = _clean(query, MAX_QUERY)
        if not query:
            return

        def change(recent: list[str], views: list[View]) -> tuple[list[str], list[View]]:
            return [query] + [q for q in recent if q != query][: MAX_RECENT - 1], views

        self._change(change)

    def save_view(self, name: str, query: str) -> View:
        """Save (or replace) the view with this name; it goes first in the list."""
        view = View(_clean(name, MAX_NAME), _clean(query, MAX_QUERY))
        if not view.name:
            raise ValueError("a view needs a name")

        def change(recent: list[str], views: list[View]) -> tuple[list[str], list[View]]:
            return recent, [view] + [v for v in views if v.name != view.name]

        self._change(change)
        return view

    def delete_view(self, name: str) -> bool:
        """Forget a view; False when there was none of that name."""
        found = any(v.name == name for v in self.views)

        def change(recent: list[str], views: list[View]) -> tuple[list[str], list[View]]:
            return recent, [v for v in views if v.name != name]

        self._change(change)
        return found

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)

    def _change(self, change) -> None:  # noqa: ANN001 - (recent, views) -> (recent, views)
        if self._writable:
            on_disk = self._read()  # what another reader may have written meanwhile
            if on_disk is not None:
                self.recent, self.views = on_disk
        self.recent, self.views = change(self.recent, self.views)
        if self._writable:
            try:
                write_text_atomically(self.path, _dump(self.recent, self.views))
            except OSError as exc:
                self._fail(f"cannot write {self.path}: {exc.strerror or exc}")


def _clean(text: str, limit: int) -> str:
    """One line, no control characters, at most ``limit`` characters."""
    text = "".join(" " if (ch < " " or ch == "\x7f") else ch for ch in str(text))
    return " ".join(text.split())[:limit]


def _parse(raw: bytes) -> tuple[list[str], list[View]]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise ValueError("not a saved-queries file")
    if data["version"] > VERSION:
        raise ValueError(f"written by a newer reader (version {data['version']})")
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


def _dump(recent: list[str], views: list[View]) -> str:
    data = {"version": VERSION, "recent": recent, "views": [{"name": v.name, "query": v.query} for v in views]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

