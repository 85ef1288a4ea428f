"""What other processes write to the user database shows here within
seconds: the stars of a bookmark added with ``tui-reader bookmarks add``,
the dots and counts of stories read in a second reader.

:class:`StoreFollower` is an invisible widget of the main screen. Its thread
asks the store every ``POLL_SECONDS`` whether another connection committed
(one ``PRAGMA``, never a read of the tables); only then does it read the
reading state (:func:`tui.core.elsewhere.read_stored`), which the UI thread
takes (:func:`~tui.core.elsewhere.take_stored`), and the bookmarks are read
again as after a change made here (the ``bookmarks_changed`` signal). The
marks made here win over what is stored, so nothing changes under the
person's own keys. Nothing it meets stops the reader: a store that fails
costs a turn.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.core.elsewhere import Stored, read_stored, take_stored
from tui.ui.signals import bookmarks_changed, stored_elsewhere

POLL_SECONDS = 2.0  # the store is asked this often whether another process wrote to it
GROUP = "elsewhere"  # the worker's group: it runs until the screen goes

log = logging.getLogger(__name__)


class StoreFollower(Widget):
    """Follows the user database while the main screen is up (see the module)."""

    DEFAULT_CSS = "StoreFollower { display: none; }"

    @dataclass
    class Changed(Message):
        stored: Stored

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._again = threading.Event()  # read it again: the session changed while it was read

    def on_mount(self) -> None:
        try:
            self._seen: int | None = self.screen.store.data_version()  # type: ignore[attr-defined]
        except sqlite3.Error:
            self._seen = None
        # The thread starts after the first frames: a start never waits for it.
        self.set_timer(POLL_SECONDS, self._start_following)

    def _start_following(self) -> None:
        self.run_worker(self._follow, thread=True, exclusive=True, group=GROUP, name="follow the user database")

    def on_unmount(self) -> None:
        self._stop.set()

    # -- in the worker's thread --------------------------------------------------------
    def _follow(self) -> None:
        screen: Any = self.screen
        store, worker, seen = screen.store, get_current_worker(), self._seen
        while not (self._stop.is_set() or worker.is_cancelled):
            stored = None
            try:
                version = store.data_version()
                if version != seen or self._again.is_set():
                    seen = version
                    self._again.clear()
                    stored = read_stored(screen.session)
            except sqlite3.Error:
                pass  # (closed on the way out, locked, damaged: the store says so where it writes)
            except Exception:  # noqa: BLE001 - costs this turn only
                log.warning("reading what another process wrote failed", exc_info=True)
            if stored is not None and not (self._stop.is_set() or worker.is_cancelled):
                self.post_message(self.Changed(stored))
            self._stop.wait(POLL_SECONDS)

    # -- on the UI thread ---------------------------------------------------------------
    @on(Changed)
    def _changed(self, event: Changed) -> None:
        screen: Any = self.screen
        session = screen.session
        if not take_stored(session, event.stored):
            self._again.set()
        elif session.collection is not None:
            if session.view.active and not session.on_disk:
                screen.panes.fill()  # the filtered list's unread count, worked out again
            screen.sub_title = session.summary()
        bookmarks_changed(self.app).publish(None)  # the bookmarks read again: the stars, the article's header
        stored_elsewhere(self.app).publish(None)  # the bookmarks view, if open
