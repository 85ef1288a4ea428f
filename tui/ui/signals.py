"""App-level signals: news any screen may publish and any widget may follow.

A signal is made on first use on whichever app asks, so a screen needs no
import of the app (nor of the screen that publishes).
"""

from __future__ import annotations

from textual.app import App
from textual.signal import Signal


def _signal(app: App[object], name: str) -> Signal[None]:
    """The app's signal ``name``, made on first use (an attribute of the reader's own, not Textual's)."""
    attribute = "reader_" + name.replace("-", "_")
    signal = getattr(app, attribute, None)
    if signal is None:
        signal = Signal(app, name)
        setattr(app, attribute, signal)
    return signal


def bookmarks_changed(app: App[object]) -> Signal[None]:
    """Published after any change of the bookmark store (a bookmark added,
    removed, its tags or note saved), wherever it was made: the list's stars,
    the sidebar's and the article's header follow it."""
    return _signal(app, "bookmarks-changed")


def stored_elsewhere(app: App[object]) -> Signal[None]:
    """Published when another process wrote to the user database (a second
    reader, the command line: :mod:`tui.ui.elsewhere`), after
    ``bookmarks_changed``: a view that reads the store when it opens (the
    bookmarks view) reads it again."""
    return _signal(app, "stored-elsewhere")
