"""Follow the folder: new, changed and removed files show up by themselves.

:class:`FolderFollower` is an invisible widget of the main screen. Its
thread worker runs ``watchfiles`` (Rust's ``notify``: inotify, FSEvents,
kqueue or ReadDirectoryChangesW; polling where none works) on the
collection's folders; a burst of changes is gathered (``DEBOUNCE_MS``, and
whatever comes while one is applied waits for the next turn), then applied
in place by :func:`tui.core.follow.apply`, the comparison and parsing ``R``
uses, for the changed folders only. The new collection replaces the shown
one with the cursor on the same story, and the identities, the search index
and the graph follow as after a load (the screen's ``Staged`` messages).

The worker belongs to the widget: it stops with the screen or the app
(its stop event is checked every ``STEP_MS``). Nothing it meets stops the
reader: a watcher that cannot start or fails is said once, an index that
cannot be updated in place (an unusable cache folder) is rescanned as ``R``
does, any other error costs that one turn. ``watch = false`` in the settings turns it off.

A collection queried from its index (:mod:`tui.core.queried`) is followed
by looking at its folders' times every ``POLL_SECONDS`` instead (the
quick update of the command line): setting up ``watchfiles`` on a million
files holds Python's lock for seconds, freezing the reader. A file edited
in place there shows after ``R`` (or ``e``, which reads it again).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from tui.core.follow import Followed, NeedsRescan, apply
from tui.core.loading import after_loaded
from tui.core.opening import follow_queried, open_queried
from tui.core.queried import QueriedSession
from tui.core.text import clean_line

DEBOUNCE_MS = 800  # a burst of changes is gathered up to this long
STEP_MS = 100  # ... and ends after this long without a change; the stop event is checked this often
TIMEOUT_MS = 1000  # changes held back while loading are tried again at least this often
RESTARTS, RESTART_WINDOW = 10, 60.0  # a watcher failing more often than this is given up (said once)

POLL_SECONDS = 3.0  # a queried collection's folders are looked at this often

GROUP = "follow"  # the worker's group: it runs until the screen goes

log = logging.getLogger(__name__)


class _Stop:
    """watchfiles' stop event: the widget going away, or its worker cancelled."""

    def __init__(self, worker: Worker[Any]) -> None:
        self.worker = worker
        self.event = threading.Event()

    def is_set(self) -> bool:
        return self.event.is_set() or self.worker.is_cancelled


class FolderFollower(Widget):
    """Follows the collection's folders while the main screen is up (see the module)."""

    DEFAULT_CSS = "FolderFollower { display: none; }"

    @dataclass
    class Changed(Message):
        followed: Followed

    @dataclass
    class Stopped(Message):
        """The watcher stopped (``reason``); or, with ``rescan``, the index
        could not be updated in place: read everything again, as R does."""

        reason: str
        rescan: bool = False

    def __init__(self) -> None:
        super().__init__()
        self._stop: _Stop | None = None

    def on_mount(self) -> None:
        screen: Any = self.screen
        folders = [str(root) for root in screen.roots if root.is_dir()]
        if getattr(screen.settings, "watch", True) and folders:
            self.run_worker(lambda: self._follow(folders), thread=True, exclusive=True, group=GROUP, name="follow the folders")

    def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop.event.set()

    # -- in the worker's thread --------------------------------------------------------
    def _follow(self, folders: list[str]) -> None:
        stop = self._stop = _Stop(get_current_worker())
        screen: Any = self.screen
        if isinstance(screen.session, QueriedSession):
            post = lambda stage: screen.post_message(screen.Staged(stage))  # noqa: E731
            while not stop.event.wait(POLL_SECONDS) and not stop.is_set():
                try:
                    follow_queried(screen.session, screen.roots, post, cancelled=stop.is_set)
                except Exception:  # noqa: BLE001 - costs this turn only; R reads everything again
                    log.warning("looking at the folders failed", exc_info=True)
            return
        pending: set[str] | None = set()  # None: something changed, not said where
        failures: list[float] = []
        while not stop.is_set():
            try:
                pending = self._watch(folders, stop, pending)
            except Exception as exc:  # noqa: BLE001 - the watcher failed: start it again, or say why not
                # A name that is not UTF-8 makes watchfiles fail on its event
                # (it cannot decode the path): the change is somewhere, and a
                # new watcher follows the next ones.
                log.info("the folder watcher stopped; starting it again", exc_info=True)
                pending = None
                now = time.monotonic()
                failures = [t for t in failures if now - t < RESTART_WINDOW] + [now]
                if len(failures) > RESTARTS:
                    if not stop.is_set():
                        self.post_message(self.Stopped(str(exc) or type(exc).__name__))
                    return
            else:
                return  # stopped

    def _watch(self, folders: list[str], stop: _Stop, pending: set[str] | None) -> set[str] | None:
        """One watcher until it stops (then what is left to apply) or fails."""
        from watchfiles import watch  # imported here: the first paint never waits for it

        for changes in watch(
            *folders,
            stop_event=stop,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            rust_timeout=TIMEOUT_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
            ignore_permission_denied=True,
        ):
            if pending is not None:
                pending.update(path for _, path in changes)
            if (pending is None or pending) and not stop.is_set():
                pending = self._apply(pending, stop)
        return pending

    def _apply(self, pending: set[str] | None, stop: _Stop) -> set[str] | None:
        """Apply the changes under ``pending``; what is left to apply later."""
        screen: Any = self.screen
        session = screen.session
        collection = session.collection
        if collection is None or session.load_progress is not None:
            return pending  # loading: tried again when it is done
        if isinstance(session, QueriedSession):  # the index is updated in place, and read anew
            post = lambda stage: screen.post_message(screen.Staged(stage))  # noqa: E731
            open_queried(session, screen.roots, post, changed=sorted(pending or ()), cancelled=stop.is_set)
            return set()
        try:
            followed = apply(screen.roots, collection, pending, screen.sort)
        except NeedsRescan:  # (the cache folder cannot hold the index): what R does
            self.post_message(self.Stopped("", rescan=True))
            return set()
        except Exception:  # noqa: BLE001 - costs this turn only; R reads everything again
            log.warning("applying folder changes failed", exc_info=True)
            return set()
        if followed is not None and not stop.is_set():
            self.post_message(self.Changed(followed))
            for stage in after_loaded(
                followed.collection, read_snapshot=session.read_snapshot, store=screen.store, cancelled=stop.is_set
            ):
                screen.post_message(screen.Staged(stage))
        return set()

    # -- on the UI thread ---------------------------------------------------------------
    @on(Changed)
    def _changed(self, event: Changed) -> None:
        screen: Any = self.screen
        session, panes = screen.session, screen.panes
        followed = event.followed
        if followed.source is not session.collection:
            # Replaced meanwhile: by a rescan still running (it reads the
            # index this change is in), or by an edit: then read it all again.
            if session.load_progress is None:
                screen.load()
            return
        current = screen.current_entry
        row = panes.article_list.cursor
        keep = followed.collection.by_path(current.path) if current is not None else None
        session.loaded(followed.collection)
        panes.fill(keep)
        if current is not None and keep is None and session.rows:
            panes.article_list.cursor = min(row, len(session.rows) - 1)  # its file went: the row below
        elif keep is not None and keep != current:
            panes.show_entry(keep)  # its file changed: shown again
        screen.sub_title = session.summary()
        screen.notify(f"{followed.summary()}.", title="Folder changed", timeout=3, markup=False)

    @on(Stopped)
    def _stopped(self, event: Stopped) -> None:
        screen: Any = self.screen
        if event.rescan:
            screen.load()
            return
        reason = clean_line(event.reason)
        screen.notify(f"Not following the folder any more ({reason}): R rescans.", title="Folder", severity="warning", markup=False)
