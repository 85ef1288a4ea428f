"""App-level signals: news any screen may publish and any widget may follow.

A signal is made on first use on whichever app asks, so a screen needs no
import of the app (nor of the screen that publishes).
"""

from __future__ import annotations

from textual.app import App
from textual.signal import Signal


def bookmarks_changed(app: App[object]) -> Signal[None]:
    """Published after any change of the bookmark store (a bookmark added,
    removed, its tags or note saved), wherever it was made: the list's stars,
    the sidebar's and the article's header follow it."""
    signal = getattr(app, "_reader_bookmarks_changed", None)
    if signal is None:
        signal = Signal(app, "bookmarks-changed")
        app._reader_bookmarks_changed = signal  # type: ignore[attr-defined]
    return signal
