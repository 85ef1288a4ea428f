"""App-level signals: news any screen may publish and any widget may follow.

A signal is made on first use on whichever app asks, so a screen needs no
import of the app (nor of the screen that publishes).
"""

from __future__ import annotations

from textual.app import App
from textual.signal import Signal

SIGNAL = "reader_bookmarks_changed"  # the app's attribute holding the signal


def bookmarks_changed(app: App[object]) -> Signal[None]:
    """Published after any change of the bookmark store (a bookmark added,
    removed, its tags or note saved), wherever it was made: the list's stars,
    the sidebar's and the article's header follow it."""
    signal = getattr(app, SIGNAL, None)
    if signal is None:
        signal = Signal(app, "bookmarks-changed")
        setattr(app, SIGNAL, signal)  # an attribute of the reader's own, not Textual's
    return signal


ELSEWHERE = "reader_stored_elsewhere"


def stored_elsewhere(app: App[object]) -> Signal[None]:
    """Published when another process wrote to the user database (a second
    reader, the command line: :mod:`tui.ui.elsewhere`), after
    ``bookmarks_changed``: a view that reads the store when it opens (the
    bookmarks view) reads it again."""
    signal = getattr(app, ELSEWHERE, None)
    if signal is None:
        signal = Signal(app, "stored-elsewhere")
        setattr(app, ELSEWHERE, signal)
    return signal
