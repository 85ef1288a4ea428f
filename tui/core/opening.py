"""Opening a collection too big to load: its index brought up to date and
opened in threads, each step posted to the screen (see :mod:`tui.core.queried`
for the session that reads it).

* :class:`EarlyOpen` opens a complete index from the very start (before the
  UI is imported): the first frame can show its rows; its unread count
  follows (:class:`~tui.core.queried.Counted`);
* :func:`open_queried` brings it up to date (a first build shows its rows so
  far meanwhile: :func:`_built_shown`) and posts
  :class:`~tui.core.queried.Opened`;
* :func:`update_queried` and :func:`follow_queried` update it in place after
  an early open and when the folders change.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tui.core import locations, userdb
from tui.core.catalog import schema
from tui.core.catalog.build import UpdateStats
from tui.core.catalog.catalog import Catalog, warm_anchors
from tui.core.catalog.collection import QueriedCollection
from tui.core.catalog.read import ORDERS
from tui.core.loading import Failed, Progress, Stage
from tui.core.queried import Counted, Opened, QueriedSession


def open_queried(
    session: QueriedSession,
    roots: Sequence[Path],
    post: Callable[[Stage | Opened], None],
    *,
    full: bool = False,
    changed: Iterable[str] = (),
    cancelled: Callable[[], bool] = lambda: False,
    found: UpdateStats | None = None,
    first: bool = False,
) -> None:
    """Bring the index up to date and open it, posting :class:`Progress`
    then :class:`Opened` (or :class:`Failed`); call it in a thread. A quick
    update (folders whose time changed) unless ``full`` (every file stat'ed:
    R); ``changed``: files known to have changed (a folder watcher's);
    ``found``: what an update just made found (said as the changes).
    ``first`` (a start): the index as it is is shown at once, then brought
    up to date (and shown again if anything changed)."""
    from tui.core.catalog import build

    try:
        # A start shows the index as it is, then updates it; one being built
        # (a first start, a build cut short) is finished first, its rows so
        # far shown meanwhile (newest first).
        update = None if first and _complete(roots) else "full" if full else "quick"
        if first and update is not None:
            catalog = _built_shown(session, roots, post, update, cancelled)
        else:
            catalog = Catalog.open(roots, update=update, progress=lambda d, t: post(Progress(d, t)), cancelled=cancelled)
        changed = list(changed)
        if changed:
            more = build.update_paths(catalog.roots, changed, path=catalog.path)
            if catalog.stats is not None:
                catalog.stats.parsed += more.parsed
                catalog.stats.removed += more.removed
    except (schema.IndexUnusable, sqlite3.Error, OSError) as exc:
        post(Failed(str(exc) or type(exc).__name__))
        return
    if cancelled():  # the reader quits: nothing more to show (a build cut short was walked again)
        return
    collection = QueriedCollection(catalog, roots)
    version = session.read_version
    unread = session.count_unread(collection)
    stats = found or catalog.stats
    changes = ""
    if stats is not None and (stats.parsed or stats.removed or full) and not (first and update is not None):  # (a first build changed nothing)
        changes = f"{stats.parsed:,} new or changed, {stats.removed:,} removed."
    post(Opened(collection, unread, version, catalog.notice, changes, rescan=full))
    if first and update is None:  # shown as it was: now brought up to date
        try:
            stats = build.update(catalog.roots, full=False, path=catalog.path, cancelled=cancelled)
        except (schema.IndexUnusable, sqlite3.Error, OSError):
            stats = None  # R says what is wrong
        if stats is not None and (stats.parsed or stats.removed or stats.notice) and not cancelled():
            open_queried(session, roots, post, cancelled=cancelled, found=stats)
            return
    warm_anchors(catalog, [session.sort, *ORDERS], cancelled)


SHOWN_EVERY = 3.0  # seconds between two showings of a first build's rows so far


def _built_shown(session: QueriedSession, roots: Sequence[Path], post: Callable[[Stage | Opened], None], update: str, cancelled: Callable[[], bool]) -> Catalog:
    """The index brought up to date (a first build, or one cut short) in a
    thread, its rows so far posted every SHOWN_EVERY seconds meanwhile
    (:class:`Opened` with ``building``): the list fills as the files are
    indexed, newest first, and the jump box and filter search what is there."""
    done = [0]

    def progress(d: int, t: int) -> None:
        done[0] = d
        post(Progress(d, t))

    result: dict[str, object] = {}

    def build() -> None:
        try:
            result["catalog"] = Catalog.open(roots, update=update, progress=progress, cancelled=cancelled)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            result["error"] = exc

    def show() -> bool:
        try:
            partial = QueriedCollection(Catalog.open(roots, update=None), roots)
        except (schema.IndexUnusable, sqlite3.Error, OSError):
            return False  # not there yet (or a temporary index): progress only
        if len(partial):
            post(Opened(partial, 0, session.read_version, building=True))  # (unread: counted once built)
        return True

    builder = threading.Thread(target=build, name="first-index", daemon=True)
    builder.start()
    shown = 0
    if schema.index_path([os.path.abspath(r) for r in roots]).exists():
        show()  # a build cut short: what it wrote, while the files are walked again
    while builder.is_alive():
        builder.join(SHOWN_EVERY)
        if builder.is_alive() and not cancelled() and done[0] > shown and show():
            shown = done[0]
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["catalog"]  # type: ignore[return-value]


class EarlyOpen:
    """A big collection's index opened in a thread from the very start
    (``tui/cli.py`` starts it before the UI is imported): the first frame
    can show its rows. Its index is then brought up to date in the
    background (:func:`update_queried`)."""

    first_screen = None  # (what an index job of a loaded collection has)

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = list(roots)
        self.collection: QueriedCollection | None = None
        self.user_db = locations.bookmarks_db()
        self.read_count: int | None = None  # articles the stored reading state marks read
        self._open = threading.Event()  # set once opened (or not): the count follows
        self._thread = threading.Thread(target=self._run, name="open the index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            if _complete(self.roots):
                self.collection = QueriedCollection(Catalog.open(self.roots, update=None), self.roots)
        except (schema.IndexUnusable, sqlite3.Error, OSError):
            pass  # open_queried says what is wrong
        finally:
            self._open.set()
        userdb.check_ahead(self.user_db)  # (a million read: its check overlaps with importing the UI)
        try:
            if self.collection is not None and self.user_db.is_file():
                self.read_count = self.collection.count_stored_read(self.user_db)
        except (sqlite3.Error, OSError):
            pass  # counted from the session's set instead (take)

    def take(self, session: QueriedSession, wait: float = 0.5) -> Opened | None:
        """What to show first, or None: then :func:`open_queried` opens it.
        Its rows never wait for the unread count (a million read: a join of
        0.3 s): unless counted already, it follows (:meth:`count`)."""
        self._open.wait(wait)
        collection = self.collection if self._open.is_set() else None
        if collection is None:
            return None
        return Opened(collection, None if self._thread.is_alive() else self._unread(session), session.read_version)

    def count(self, session: QueriedSession, post: Callable[[Stage | Opened | Counted], None]) -> None:
        """The unread count once made (call it in a thread, after :meth:`take`)."""
        self._thread.join()
        if self.collection is not None:
            post(Counted(self.collection, self._unread(session), session.read_version))

    def _unread(self, session: QueriedSession) -> int | None:
        read = self.read_count
        if read is None or session.store.path != self.user_db or session.read_version:
            return session.count_unread(self.collection)  # type: ignore[arg-type] - (one join)
        return len(self.collection) - read  # type: ignore[arg-type]

    def cancel(self, wait: float = 0.0) -> None:
        """Nothing to stop (opening takes milliseconds)."""


def update_queried(
    session: QueriedSession, roots: Sequence[Path], post: Callable[[Stage | Opened | Counted], None], cancelled: Callable[[], bool], early: EarlyOpen | None = None
) -> None:
    """After an early open: its unread count (when not shown with it), the
    index brought up to date (and the collection opened anew if anything
    changed), then the anchors found. In a thread."""
    if early is not None:
        early.count(session, post)
    try:
        follow_queried(session, roots, post, cancelled)
    except (schema.IndexUnusable, sqlite3.Error, OSError):
        return  # the rows shown stay; R says what is wrong
    if session.queried is not None:
        warm_anchors(session.queried.catalog, [session.sort, *ORDERS], cancelled)


def _complete(roots: Sequence[Path]) -> bool:
    try:
        conn = schema.connect(schema.index_path([os.path.abspath(r) for r in roots]), readonly=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        return schema.get_meta(conn, "state") == "complete"
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def follow_queried(
    session: QueriedSession, roots: Sequence[Path], post: Callable[[Stage | Opened], None], cancelled: Callable[[], bool] = lambda: False
) -> None:
    """One look at the folders' times (a quick update, milliseconds when
    nothing changed): what changed is updated in place in the index, and the
    collection opened anew (posted as :class:`Opened`). Call it in a thread."""
    from tui.core.catalog import build

    queried = session.queried
    if queried is None or session.load_progress is not None:
        return  # opening, or R: that reads the folders anyway
    stats = build.update(queried.catalog.roots, full=False, path=queried.catalog.path, cancelled=cancelled)
    if (stats.parsed or stats.removed) and not cancelled():
        open_queried(session, roots, post, cancelled=cancelled, found=stats)
