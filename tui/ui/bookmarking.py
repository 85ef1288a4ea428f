"""Bookmark changes made from a screen: each one transaction of the store,
said in a toast with what it changed, and a removal that can be undone.

The store reads what is stored inside each write (another process may have
added tags or a note a moment ago), so what a removal took away is what the
toast names and what the undo puts back (:meth:`BookmarkStore.restore`),
tags, note and date included.
"""

from __future__ import annotations

import sqlite3

from textual.dom import DOMNode

from tui.core.bookmarks import Bookmark, BookmarkStore, contents
from tui.core.text import clean_line
from tui.ui.outside import say
from tui.ui.signals import bookmarks_changed

KEEP = 50  # removals remembered for undo (per screen)


def short(title: str, limit: int = 80) -> str:
    title = clean_line(title)
    return title if len(title) <= limit else title[: limit - 1] + "…"


class Removals:
    """Bookmarks removed from one screen, as stored when removed (their tags,
    note and date, whoever wrote them), newest last: what an undo restores."""

    def __init__(self) -> None:
        self._removed: dict[str, Bookmark] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._removed

    def keep(self, b: Bookmark) -> None:
        self._removed.pop(b.key, None)
        self._removed[b.key] = b
        while len(self._removed) > KEEP:
            del self._removed[next(iter(self._removed))]

    def forget(self, key: str) -> None:
        self._removed.pop(key, None)

    def get(self, key: str) -> Bookmark | None:
        return self._removed.get(key)

    def last(self) -> Bookmark | None:
        return next(reversed(self._removed.values()), None)


def removed_message(removed: Bookmark, title: str, undo: str) -> str:
    """"Removed bookmark with 2 tags and a note: <title> (b again puts it back)"."""
    lost = contents(removed)
    said = f"Removed bookmark with {lost}: " if lost else "Removed bookmark: "
    return said + short(title) + (f" ({undo} puts it back)" if lost else "")


def restore(node: DOMNode, store: BookmarkStore, removed: Bookmark, title: str) -> Bookmark | None:
    """Put a removed bookmark back exactly (merged with anything stored
    since); said, and published. None when the store could not write."""
    try:
        back = store.restore(removed)
    except sqlite3.Error as exc:
        say(node, f"Could not save the bookmark: {exc}", title="Bookmarks", severity="error")
        return None
    bookmarks_changed(node.app).publish(None)
    kept = contents(back)
    say(node, (f"Bookmark back with {kept}: " if kept else "Bookmark back: ") + short(title), timeout=3)
    return back


def toggle(node: DOMNode, store: BookmarkStore, bookmark: Bookmark, title: str, removals: Removals, undo: str = "b again") -> None:
    """``b``: bookmark the article, or remove its bookmark saying what went
    with it; ``b`` again on an article whose bookmark this screen removed
    puts that bookmark back as it was."""
    earlier = removals.get(bookmark.key)
    try:
        if earlier is not None and bookmark.key not in store:
            removals.forget(bookmark.key)
            restore(node, store, earlier, title)
            return
        done = store.toggle(bookmark)
    except sqlite3.Error as exc:
        say(node, f"Could not save the bookmark: {exc}", title="Bookmarks", severity="error")
        return
    bookmarks_changed(node.app).publish(None)
    if done.removed is not None:
        removals.keep(done.removed)
        say(node, removed_message(done.removed, title, undo), timeout=6 if done.lost else 2)
    else:
        removals.forget(bookmark.key)
        say(node, "Bookmarked: " + short(title), timeout=2)


