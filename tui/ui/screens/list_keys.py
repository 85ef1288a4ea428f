"""The unread workflow and the list's filter: the keys, on the main screen.

:class:`ListKeys` is the main screen's base: its bindings work whichever
pane has the focus (the list, the article), and its actions only ask the
session (:class:`~tui.core.session.ReadingSession`, which uses
:mod:`tui.core.listview`) and tell the panes what to show.

* ``.`` / ``,``: the next / previous unread story of the list (round the end once);
* ``A``: mark every story of the list as shown (filtered) read, one
  transaction in the user's database; ``ctrl+z`` undoes the last one (one
  transaction too, and only what it marked: a story another reader marked
  read meanwhile stays read);
* ``U``: unread stories only; ``F``: filter the list with a query (the jump
  box's language); ``Esc`` clears the filter. A saved view (``w``) opens as
  such a filter.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.core.bookmarks import mark_stamp
from tui.core.listview import ListFilter, next_unread
from tui.core.results import Stale
from tui.core.userdb import TIMEOUT
from tui.ui.keys import keys_display
from tui.ui.screens.filter_box import FilterBox

if TYPE_CHECKING:
    from tui.core.bookmarks import BookmarkStore
    from tui.core.model import Entry
    from tui.core.session import ReadingSession
    from tui.ui.widgets.panes import ReadingPanes


class ListKeys(Screen[None]):
    """Bindings and actions of the unread workflow and the filter (see the module)."""

    HELP_SECTION = "Unread and filter"
    HELP_ORDER = 11
    BINDINGS = [
        Binding("full_stop", "next_unread(1)", "Next unread", show=False, tooltip="next unread story (in the list or the article)", id="next_unread"),
        Binding("comma", "next_unread(-1)", "Prev unread", show=False, tooltip="previous unread story", id="previous_unread"),
        Binding("A", "mark_all_read", "All read", show=False, tooltip="mark every story of the list (as filtered) read", id="mark_all_read"),
        Binding("ctrl+z", "undo_mark_all", "Undo", show=False, tooltip="undo the last mark-all-read", id="undo_mark_all"),
        Binding("U", "toggle_unread_only", "Unread only", show=False, tooltip="show unread stories only / every story", id="unread_only"),
        Binding("F", "filter", "Filter", show=False, tooltip="filter the list with a query (is:unread topic:ai, words)", id="filter"),
    ]
    # Esc (clear_filter) is bound beside find's Esc in MainScreen.BINDINGS: a
    # subclass's binding of a key replaces its base's.
    CLEAR_FILTER = Binding("escape", "clear_filter", "Clear filter", tooltip="clear the list's filter (and unread only)", id="clear_filter")

    if TYPE_CHECKING:
        session: ReadingSession
        store: BookmarkStore

        @property
        def panes(self) -> ReadingPanes: ...

        def say(self, message: str, **kwargs: Any) -> None: ...

        def save_state(self, final: bool = False) -> None: ...

        def _update_subtitle(self) -> None: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Esc's other uses (the find bar, an article view of its own) come first.
            return self.asked_view.active and not self.panes.article_view.finding
        return True

    def _key(self, binding_id: str) -> str:
        return keys_display(self.app, binding_id, " or ") or binding_id

    # -- next unread ------------------------------------------------------------------------
    def action_next_unread(self, step: int) -> None:
        rows, cursor = self.session.rows, self.panes.article_list.cursor
        if self.session.unread_in_list() == 0:
            found = None
        elif self.session.on_disk:  # a million rows to walk, maybe (3 s): never on the UI thread
            if self._looking is None:
                self._looking = self.set_timer(0.5, self._say_looking)
            self._next_unread_in_thread(rows, cursor, step)
            return
        else:
            found = next_unread(rows, cursor, step, self.session.is_read)
        self._go_to_unread(rows, found, step)

    @work(thread=True, exclusive=True, group="next-unread")
    def _next_unread_in_thread(self, rows: Sequence[Entry], cursor: int, step: int) -> None:
        try:
            found = self.session.find_unread(cursor, step)
        except (sqlite3.Error, OSError):
            return  # the index went away meanwhile: its next start says why
        if not get_current_worker().is_cancelled:
            self.post_message(self.UnreadFound(rows, found, step))

    @dataclass
    class UnreadFound(Message):
        """The walk for the next unread story (in a thread) ended."""

        rows: Sequence[Entry]  # the rows walked
        found: tuple[int, bool] | None  # (row, went round the end), or none unread
        step: int

    @on(UnreadFound)
    def _unread_found(self, event: UnreadFound) -> None:
        self._go_to_unread(event.rows, event.found, event.step)

    def _say_looking(self) -> None:
        self._looked = True
        self.say("Looking for the next unread story…", timeout=60)

    def _go_to_unread(self, rows: Sequence[Entry], found: tuple[int, bool] | None, step: int) -> None:
        if self._looking is not None:
            self._looking.stop()
            self._looking = None
        if self._looked:  # its answer replaces the "Looking…" toast
            self._looked = False
            self.app.clear_notifications()
        if found is None:
            self.say("No other unread story in this list.", timeout=2)
            return
        row, wrapped = found
        focused = self.app.focused
        try:
            entry = rows[row]  # (the rows looked at: the list may have been arranged again since)
        except IndexError:
            return  # gone from the index meanwhile
        self.panes.go_to(entry)
        if focused is not None and focused is not self.panes.article_list:
            focused.focus()  # in the article it stays in the article
        if wrapped:
            self.say("Round the end of the list: back " + ("at the top." if step > 0 else "at the bottom."), timeout=2)

    # -- mark all read, undo ----------------------------------------------------------------
    # The list changes at once; the write (one transaction) follows in a thread,
    # and the way out waits for it (:meth:`marks_saved`): never lost, never a frozen key.
    @dataclass
    class MarksWritten(Message):
        changed: list[str]  # what changed here
        read: bool  # marked read (A) or unread again (the undo)
        written: list[str]  # what the write changed in the database
        error: str = ""
        counts: tuple[int, int] | None = None  # a list read from the index: applied once written (articles_holding)
        stamp: str = ""  # ... its mark-all's own time read: what its undo unmarks (BookmarkStore.unmark_stamped)
        stored: tuple[int | None, int | None] | None = None  # ... after that undo: the unread counts (stored_counts)

    def __init__(self) -> None:
        super().__init__()
        # The last mark-all: (changed here, written); of a list read from the
        # index, its stamp (the identities of a million take 110 MB).
        self._undo: tuple[list[str], list[str]] | str | None = None
        self._writing = False  # a mark-all (or its undo) is being written
        self._marks_to_write: tuple[list[str] | None, bool, list[str], str] | None = None  # what the thread writes
        self._written = threading.Event()
        self._written.set()
        self._filter_serial = 0  # the filter being searched (see apply_filter)
        self._asked: ListFilter | None = None  # that filter (see asked_view)
        self._looking: Timer | None = None  # says that the next unread story is being looked for
        self._looked = False  # (it said so)

    def action_mark_all_read(self) -> None:
        if self._writing:
            self.say("Still saving the last mark-all: a moment…", timeout=2)
            return
        self.save_state(final=True)  # the writes still waiting go first: none may undo this one later
        if self.session.unread_in_list() == 0:
            self.say("Every story in this list is read already.", timeout=2)
            return
        if self.session.on_disk:
            self._undo = None
            self.say("Marking the list read…", timeout=2)
            self._write_marks(None, True, [])
            return
        changed = self.session.set_read_many(self.session.unread_shown(), True)
        if not changed:
            self.say("Every story in this list is read already.", timeout=2)
            return
        self._undo = None
        self._write_marks(changed, True, changed)
        count = len(changed)
        self.say(f"Marked {count:,} article{'s' if count != 1 else ''} read. {self._key('undo_mark_all')} undoes it.", timeout=6)

    def action_undo_mark_all(self) -> None:
        if self._writing:
            self.say("Still saving the last mark-all: a moment…", timeout=2)
            return
        if self._undo is None:
            self.say("Nothing to undo: A marks every story of the list read.", timeout=2)
            return
        undo, self._undo = self._undo, None
        if isinstance(undo, str):
            self._write_marks(None, False, [], stamp=undo)
            return
        changed, written = undo
        if self.session.on_disk:
            self._write_marks(None, False, written)
            return
        self.session.set_read_many(changed, False)
        self._write_marks(changed, False, written)
        count = len(changed)
        self.say(f"Undone: {count:,} article{'s' if count != 1 else ''} unread again.", timeout=3)

    def _write_marks(self, changed: list[str] | None, read: bool, keys: list[str], stamp: str = "") -> None:
        """``changed`` None: a list read from the index, whose identities are
        gathered (mark read) and counted in the thread, and shown once
        written; ``stamp``: the undo of such a mark-all."""
        self._writing = True
        self._written.clear()
        if changed is not None:
            self._reading_changed()
        self._marks_to_write = (changed, read, keys, stamp)
        self._write_marks_in_thread()

    @work(thread=True, group="marks")
    def _write_marks_in_thread(self) -> None:
        """Mark read: ``keys`` (what is stored decides what changed); the undo:
        unmark ``keys``, what the mark-all wrote. One transaction either way.
        The lists come through an attribute, not as the worker's arguments:
        a finished worker stays referenced a while by the context of what its
        message started (a toast's timer), and its arguments with it (a
        million identities: 110 MB)."""
        job, self._marks_to_write = self._marks_to_write, None
        if job is None:
            return
        changed, read, keys, stamp = job
        counts = stored = None
        if read and changed is None and self.store.persistent:
            stamp = mark_stamp()  # (a store in memory: its read state is the session's, by identity)
        try:
            if stamp and not read:
                self.store.unmark_stamped(stamp)
                written = []
            elif read:
                written = self.store.mark_read(self.session.list_unread() if changed is None else keys, stamp or None)
            else:
                self.store.set_read(keys, False)
                written = keys
            error = ""
        except sqlite3.Error as exc:
            written, error = [], str(exc) or type(exc).__name__
        else:
            if stamp and not read:
                stored = self.session.stored_counts()  # (one join: a million in 0.3 s)
            elif changed is None:
                changed = written
                try:
                    counts = self.session.articles_holding(written)
                except sqlite3.Error:
                    counts = (0, 0)  # written all the same; the counts catch up when the index is next read
        finally:
            self._written.set()
        self.post_message(self.MarksWritten(changed or [], read, written, error, counts, stamp, stored))

    @on(MarksWritten)
    def _marks_written(self, event: MarksWritten) -> None:
        self._writing = False
        if event.stored is not None:
            self._shown_undone(event.stored)
        elif event.counts is not None:
            self._shown_written(event)
        elif event.error:  # nothing was written: the list says so again
            self.session.set_read_many(event.changed, not event.read)
            self._reading_changed()
            what = "mark them read" if event.read else "undo"
            self.say(f"Could not {what}: {event.error}", title="Reading state", severity="error")
        elif event.read:
            self._undo = (event.changed, event.written)

    def _shown_written(self, event: MarksWritten) -> None:
        """A mark-all (or its undo) of a list read from the index, written: shown now."""
        self.session.marks_written(event.written, event.read, event.counts)  # type: ignore[arg-type]
        self._reading_changed()
        count = event.counts[0]  # type: ignore[index]
        articles = f"{count:,} article{'s' if count != 1 else ''}"
        if not event.read:
            self.say(f"Undone: {articles} unread again.", timeout=3)
        elif event.written:
            self._undo = event.stamp or (event.written, event.written)
            self.say(f"Marked {articles} read. {self._key('undo_mark_all')} undoes it.", timeout=6)
        else:
            self.say("Every story in this list is read already.", timeout=2)

    def _shown_undone(self, stored: tuple[int | None, int | None]) -> None:
        """The undo of a mark-all by its stamp, written: the counts as stored now."""
        session = self.session
        before = session.unread
        session.stored_changed(*stored)  # type: ignore[attr-defined] - (a QueriedSession: stamps are theirs)
        session.read_version += 1  # a count still in flight is of before
        self._reading_changed()
        if before is not None and session.unread is not None:
            count = session.unread - before
            self.say(f"Undone: {count:,} article{'s' if count != 1 else ''} unread again.", timeout=3)
        else:
            self.say("Undone: unread again.", timeout=3)

    def marks_saved(self, wait: float = TIMEOUT) -> None:
        """On the way out: a mark-all still being written is waited for."""
        self._written.wait(wait)

    def _reading_changed(self) -> None:
        self.panes.article_list.refresh_rows()
        self._update_subtitle()

    # -- the filter -------------------------------------------------------------------------
    @property
    def asked_view(self) -> ListFilter:
        """The filter last asked for: the list's own, or one still being searched
        (a second U while the first is searched at a million takes it back)."""
        return self._asked if self._asked is not None else self.session.view

    def action_toggle_unread_only(self) -> None:
        view = self.asked_view
        self.apply_filter(replace(view, unread_only=not view.unread_only))

    def action_filter(self) -> None:
        def chosen(query: str | None) -> None:
            if query is not None:
                self.apply_filter(replace(self.asked_view, query=query.strip()))

        session = self.session
        self.app.push_screen(FilterBox(self.asked_view.query, values=lambda: session.facet_values), chosen)

    def action_filter_view(self, query: str) -> None:
        """A saved view: the list filtered by its query."""
        self.apply_filter(replace(self.asked_view, query=query))

    def action_clear_filter(self) -> None:
        self.apply_filter(ListFilter())
        self.say("Filter cleared: every story is listed.", timeout=2)

    @dataclass
    class Filtered(Message):
        """The filter's query was searched (in a thread): what passes."""

        serial: int
        view: ListFilter
        found: tuple[Any, Any, str] | None
        error: str = ""  # found None: why the search failed

    def apply_filter(self, view: ListFilter) -> None:
        """Filter the list: the rows again, the cursor kept on the article
        shown if it passes. A query is searched in a thread (a word query
        over a big collection takes a while); the list changes when it answers."""
        self._filter_serial += 1
        self._asked = None
        search = self.session.filter_search(view)
        if search is None:
            self._show_filter(view, self.session.apply_filter(view))
            return
        self._asked = view
        index, marks = search
        self._search_filter(self._filter_serial, view, index, marks)

    @work(thread=True, exclusive=True, group="filter")
    def _search_filter(self, serial: int, view: ListFilter, index: Any, marks: Any) -> None:
        # A newer filter, or the screen gone (quitting), stops this one: a
        # search of seconds at a million is never waited for.
        try:
            found = self.session.search_filter(view, index, marks, stale=lambda: serial != self._filter_serial)
        except Stale:
            return
        except (sqlite3.Error, OSError) as exc:  # the index (or the user database) went away meanwhile
            self.post_message(self.Filtered(serial, view, None, str(exc) or type(exc).__name__))
            return
        self.post_message(self.Filtered(serial, view, found))

    def stop_filtering(self) -> None:
        """A filter still being searched is stopped (the screen is leaving)."""
        self._filter_serial += 1
        self._asked = None

    @on(Filtered)
    def _filtered(self, event: Filtered) -> None:
        if event.serial != self._filter_serial:  # a newer filter (or none) was asked for since
            return
        self._asked = None
        if event.found is None:
            self.say(f"Could not filter the list: {event.error}", title="Filter", severity="error")
            return
        self._show_filter(event.view, self.session.apply_filter(event.view, event.found))

    def _show_filter(self, view: ListFilter, note: str) -> None:
        listing = self.panes.article_list
        listing.empty_text = (
            f"No story passes the filter: {self._key('clear_filter')} clears it, {self._key('filter')} changes it."
            if view.active
            else "No articles here."
        )
        self.panes.fill()
        listing.refresh()
        self._update_subtitle()
        if note:
            self.say(note, title="Filter", severity="warning", timeout=5)
