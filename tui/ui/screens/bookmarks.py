"""The bookmarks view (newest first, with tags, filtered by tag), the dialog
that edits a bookmark's tags and note, and the tag picker."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.bookmarks import Bookmark, BookmarkStore, Saved, merge_tags, normalize_tags
from tui.core.loading import load_article
from tui.core.model import Article, Entry, LoadIssue
from tui.core.text import clean_line
from tui.core.urls import is_openable
from tui.ui import bookmarking
from tui.ui.outside import open_url, say
from tui.ui.signals import bookmarks_changed, stored_elsewhere
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.footer import ReaderFooter
from tui.ui.widgets.pane_layout import NARROW_WIDTH
from tui.ui.widgets.text_box import NoteBox, TextBox
from tui.ui.widgets.virtual_list import VirtualList

HERE, ELSEWHERE, MISSING, EXTERNAL = "here", "elsewhere", "missing", "external"
STATUS_GLYPH = {HERE: " ", ELSEWHERE: "↪", MISSING: "✗", EXTERNAL: "↗"}
STATUS_TEXT = {
    HERE: "",
    ELSEWHERE: "not in this collection",
    MISSING: "file missing",
    EXTERNAL: "external story",
}


class BookmarkList(VirtualList):
    """Bookmarks, one per row: mark, date bookmarked, title, tags, where it is."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "bookmark-list--mark",
        "bookmark-list--date",
        "bookmark-list--tag",
        "bookmark-list--status",
    }

    def __init__(self, screen: BookmarksScreen) -> None:
        super().__init__(id="bookmark-list")
        self.owner = screen
        self.rows: list[Bookmark] = []
        self.empty_text = "No bookmarks yet: press b on an article."

    def row_count(self) -> int:
        return len(self.rows)

    def row_cache_key(self, index: int) -> object:
        b = self.rows[index]
        return b.key in self.owner.removed, b.tags

    def render_row(self, index: int, width: int) -> Text:
        b = self.rows[index]
        style = self.style
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("☆ " if b.key in self.owner.removed else "★ ", style("bookmark-list--mark"))
        text.append(b.added_at.astimezone().strftime("%Y-%m-%d") + " ", style("bookmark-list--date"))
        status = self.owner.status(b)
        text.append(STATUS_GLYPH[status] + " ", style("bookmark-list--status"))
        for tag in b.tags:  # before the title: a long title must not hide them
            text.append(f"#{tag}", style("bookmark-list--tag"))
            text.append(" ")
        text.append(b.title or b.url or b.path or "(untitled)", style("bookmark-list--status") if status == MISSING else "")
        if STATUS_TEXT[status]:
            text.append(f"  ({STATUS_TEXT[status]})", style("bookmark-list--status"))
        return text


class BookmarksScreen(Screen[Entry | None]):
    """Every bookmark, newest first; the selected one is shown on the right.

    Given the store, a ``lookup`` (identity -> the article of the list that
    has it, if any) and how to show a path; dismissed with the article to
    open in the reader (None: back without one). Each change of the store is
    published (:func:`tui.ui.signals.bookmarks_changed`)."""

    HELP_SECTION = "Bookmarks (B)"
    HELP_ORDER = 25
    BINDINGS = [
        Binding("escape,B,q", "back", "Back", tooltip="back to the articles", id="bookmarks.back"),
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="open the article in the reader (its URL when it is not a file here)",
            id="bookmarks.open",
        ),
        Binding("f", "filter", "Filter by tag", tooltip="show only the bookmarks with one tag (or all)", id="bookmarks.filter"),
        Binding("t", "edit", "Tags & note", tooltip="edit the bookmark's tags and note", id="bookmarks.edit"),
        Binding("b", "toggle", "Un/bookmark", tooltip="remove the bookmark (again: put it back)", id="bookmarks.toggle"),
        Binding(
            "ctrl+z",
            "undo",
            "Undo",
            show=False,
            tooltip="put back the bookmark removed last, with its tags and note",
            id="bookmarks.undo",
        ),
        Binding(
            "o", "open_url", "Open URL", tooltip="open the URL in the browser (http and https only)", id="bookmarks.open_url"
        ),
    ]

    @dataclass
    class Loaded(Message):
        key: str
        article: Article | LoadIssue

    def __init__(
        self,
        store: BookmarkStore,
        lookup: Callable[[str], Entry | None],
        display_path: Callable[[str], str] = str,
        tag: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.lookup = lookup
        self.display_path = display_path
        self.tag = tag  # "" is every bookmark
        self.removed = bookmarking.Removals()  # removed here: the row stays (☆) so b or ctrl+z can undo
        self._status: dict[str, str] = {}
        self.bookmarks: list[Bookmark] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="bookmarks-filter")
        with Horizontal(id="bookmarks-panes"):
            yield BookmarkList(self)
            yield DetailPane(id="bookmark-detail")
        yield ReaderFooter(first=("help", "back"))

    @property
    def bookmark_list(self) -> BookmarkList:
        return self.query_one(BookmarkList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    def on_mount(self) -> None:
        self.sub_title = "Bookmarks"
        self.detail.display_path = self.display_path
        self.reload()
        self.bookmark_list.focus()
        stored_elsewhere(self.app).subscribe(self, lambda _: self.reload(keep=self.current.key if self.current else None))

    def on_resize(self, event: events.Resize) -> None:
        """At 80 columns and below the list takes the whole width, as the article list does."""
        self.set_class(event.size.width <= NARROW_WIDTH, "-narrow")  # (app.tcss: the detail hidden)

    def reload(self, keep: str | None = None) -> None:
        """Read the bookmarks again (newest first) and apply the tag filter."""
        self.bookmarks = self.store.all()
        tag = self.tag.casefold()
        rows = [b for b in self.bookmarks if not tag or any(t.casefold() == tag for t in b.tags)]
        cursor = next((i for i, b in enumerate(rows) if b.key == keep), 0)
        bookmark_list = self.bookmark_list
        bookmark_list.rows = rows
        if self.tag and not rows:
            bookmark_list.empty_text = f"No bookmark is tagged #{self.tag}."
        bookmark_list.reset(cursor)
        count = len(self.bookmarks)
        what = f"{count:,} bookmark{'s' if count != 1 else ''}, newest first"
        if self.tag:
            what = f"#{self.tag}: {len(rows):,} of {what}"
        legend = "   ↗ external story · ✗ file missing · ↪ in another folder"
        self.query_one("#bookmarks-filter", Static).update(Text(what + legend, no_wrap=True, overflow="ellipsis"))
        if not rows:
            self.detail.show_message("Nothing to show.")

    def status(self, b: Bookmark) -> str:
        """Where the bookmarked article is (asked once per bookmark)."""
        status = self._status.get(b.key)
        if status is None:
            if self.lookup(b.key) is not None:
                status = HERE
            elif b.path and os.path.isfile(b.path):
                status = ELSEWHERE
            elif b.external or not b.path:
                status = EXTERNAL
            else:
                status = MISSING
            self._status[b.key] = status
        return status

    @property
    def current(self) -> Bookmark | None:
        rows = self.bookmark_list.rows
        cursor = self.bookmark_list.cursor
        return rows[cursor] if 0 <= cursor < len(rows) else None

    # -- the detail ------------------------------------------------------------------
    @on(VirtualList.Highlighted, "#bookmark-list")
    def _highlighted(self, event: VirtualList.Highlighted) -> None:
        b = self.current
        if b is None:
            return
        status = self.status(b)
        entry = self.lookup(b.key) if status == HERE else None
        path = entry.path if entry is not None else b.path if status == ELSEWHERE else None
        if path:
            self._load(b.key, path)
        else:
            self._show_snapshot(b)

    @work(thread=True, exclusive=True, group="bookmark-detail")
    def _load(self, key: str, path: str) -> None:
        article = load_article(path)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(key, article))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        b = self.current
        if b is None or b.key != event.key:
            return
        if isinstance(event.article, LoadIssue):
            self._show_snapshot(b, f"cannot read the file now: {event.article.reason}")
        else:
            self.detail.show_article(event.article, self._stored(b))

    def _stored(self, b: Bookmark) -> Bookmark | None:
        return None if b.key in self.removed else b

    def _show_snapshot(self, b: Bookmark, problem: str = "") -> None:
        """A bookmark with no file to show: what was saved of it."""
        status = self.status(b)
        text = Text()
        style = self.detail.component_style
        text.append(b.title + "\n", style("detail--title"))
        if b.provider:
            text.append(b.provider + "\n", "bold")
        if b.published:
            text.append(b.published.astimezone().strftime("%a %d %b %Y") + "\n", style("detail--dim"))
        if problem:
            text.append(problem + "\n", style("detail--warn"))
        elif status == MISSING:
            text.append(f"The file is gone: {self.detail.display_path(b.path or '')}\n", style("detail--warn"))
            text.append("The bookmark stays; it re-links when the article shows up again.\n", style("detail--dim"))
        elif status == EXTERNAL:
            text.append("A related story, not a file here: Enter opens its URL.\n", style("detail--dim"))
        stored = self._stored(b)
        if stored is not None:
            text.append_text(self.detail.bookmark_text(stored))
        if b.url:
            text.append("\n" + b.url + "\n")
        self.detail.show_text(text)

    # -- actions ---------------------------------------------------------------------------
    @on(VirtualList.Selected, "#bookmark-list")
    def _selected(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        b = self.current
        if b is None:
            return
        status = self.status(b)
        entry = self.lookup(b.key) if status == HERE else None
        if entry is not None:
            self.dismiss(entry)
        elif is_openable(b.url):
            open_url(self, b.url)
        elif status == ELSEWHERE:
            self.detail.focus()
        else:
            say(self, "The file is gone and this bookmark has no web address to open.", severity="warning")

    def action_open_url(self) -> None:
        b = self.current
        if b is not None:
            open_url(self, b.url, "bookmark")

    def action_toggle(self) -> None:
        """b: remove the bookmark (the row stays, ☆), or put back one removed here."""
        b = self.current
        if b is not None:
            bookmarking.toggle(self, self.store, b, b.title, self.removed, undo="b or ctrl+z")
            self._changed_here()

    def action_undo(self) -> None:
        """ctrl+z: put back the bookmark removed here last, exactly as it was."""
        b = self.removed.last()
        if b is None:
            say(self, "No bookmark removed here to put back.", timeout=2)
            return
        self.removed.forget(b.key)
        if bookmarking.restore(self, self.store, b, b.title) is not None:
            rows = self.bookmark_list.rows
            row = next((i for i, r in enumerate(rows) if r.key == b.key), None)
            if row is not None:
                self.bookmark_list.cursor = row
            self._changed_here()

    def _changed_here(self) -> None:
        self.bookmark_list.refresh_rows()
        self._highlighted(VirtualList.Highlighted(self.bookmark_list, self.bookmark_list.cursor, moved=False))

    def action_edit(self) -> None:
        b = self.current
        if b is None:
            return

        def saved() -> None:
            self.removed.forget(b.key)
            self.reload(keep=b.key)

        edit_bookmark(self, self.store, b, saved)

    def action_filter(self) -> None:
        def chosen(tag: str | None) -> None:
            if tag is not None:
                self.tag = tag
                self.reload(keep=self.current.key if self.current else None)

        self.app.push_screen(TagFilter(self.store.tags(), len(self.bookmarks), self.tag), chosen)


class TagFilter(ModalScreen[str | None]):
    """Pick a tag to show only its bookmarks ("" = all)."""

    HELP_SECTION = "Tag filter (f)"
    HELP_ORDER = 26
    BINDINGS = [Binding("escape,f", "cancel", "Cancel", tooltip="keep the filter as it was", id="tag_filter.cancel")]

    def __init__(self, tags: list[tuple[str, int]], total: int, current: str) -> None:
        super().__init__()
        self.tags = tags
        self.total = total
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-filter-box"):
            yield Label("Filter by tag", id="tag-filter-title")
            options = [Option(Text(f"All bookmarks ({self.total:,})"), id="")]
            options += [Option(Text(f"#{tag} ({n:,})"), id=tag) for tag, n in self.tags]
            yield OptionList(*options, id="tag-filter-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [""] + [tag for tag, _ in self.tags]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)


def edit_bookmark(
    node: DOMNode,
    store: BookmarkStore,
    bookmark: Bookmark,
    then: Callable[[], None] | None = None,
    *,
    tags: str | None = None,
    note: str | None = None,
    notice: str = "",
) -> None:
    """The tags dialog for ``bookmark`` (stored or new, as the dialog shows
    it; ``tags`` / ``note``: what the boxes start with instead of its own).

    Saving merges the edit with what is stored now
    (:meth:`BookmarkStore.update_details`): tags added elsewhere meanwhile
    stay. When the note was changed elsewhere too, nothing is written: the
    dialog opens again on the stored bookmark, with the edited tags and both
    notes, saying so. A save tells every view, says what was kept, then
    calls ``then``."""

    def saved(result: tuple[str, str] | None) -> None:
        if result is None:
            return
        tags_text, note_text = result
        try:
            done = store.update_details(bookmark, tags_text, note_text)
        except sqlite3.Error as exc:
            say(node, f"Could not save the bookmark: {exc}", title="Bookmarks", severity="error")
            return
        if done.conflict:
            theirs = done.bookmark
            say(node, CONFLICT, title="Bookmarks", severity="warning", timeout=8)
            edit_bookmark(
                node,
                store,
                theirs,
                then,
                tags=", ".join(merge_tags(bookmark.tags, tags_text, theirs.tags)),
                note=both_notes(theirs.note, note_text),
                notice=CONFLICT,
            )
            return
        bookmarks_changed(node.app).publish(None)
        say(node, saved_message(bookmark, tags_text, note_text, done), timeout=4)
        if then is not None:
            then()

    dialog = TagsDialog(bookmark, store.tags(), tags=tags, note=note, notice=notice)
    node.app.push_screen(dialog, saved)


CONFLICT = (
    "The note was changed elsewhere while you edited it: nothing is saved yet. "
    "Both notes are in the box (theirs first): keep what you want and save again."
)
YOURS = "──── your note ────"


def both_notes(theirs: str, mine: str) -> str:
    """The stored note, then the edited one, for the person to merge."""
    return f"{theirs.rstrip()}\n{YOURS}\n{mine.strip()}\n"


def saved_message(base: Bookmark, tags: str, note: str, done: Saved) -> str:
    """What a save did, with what it kept of changes made elsewhere meanwhile."""
    said = "Saved the tags and note" + (" (bookmarked)." if done.created else ".")
    mine = {t.casefold() for t in normalize_tags(tags)}
    kept = [t for t in done.bookmark.tags if t.casefold() not in mine]
    if kept:
        said += " Kept " + ", ".join(f"#{clean_line(t)}" for t in kept) + ", added elsewhere meanwhile."
    if note == base.note and done.bookmark.note != note:
        said += " Kept the note written elsewhere meanwhile."
    return said


class TagsDialog(ModalScreen[tuple[str, str] | None]):
    """Edit a bookmark's tags (comma-separated) and note; saving bookmarks it."""

    HELP_SECTION = "Tags and note (t)"
    HELP_ORDER = 27
    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", priority=True, tooltip="save the tags and note (Enter in the tags too)", id="tags.save"
        ),
        Binding("escape", "cancel", "Cancel", tooltip="close without saving", id="tags.cancel"),
    ]

    def __init__(
        self,
        bookmark: Bookmark,
        tags_in_use: list[tuple[str, int]],
        *,
        tags: str | None = None,
        note: str | None = None,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.bookmark = bookmark
        self.tags_in_use = tags_in_use
        self.tags = ", ".join(bookmark.tags) if tags is None else tags
        self.note = bookmark.note if note is None else note
        self.notice = notice

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-box"):
            yield Label("Tags and note", id="tags-title")
            yield Static(Text(self.bookmark.title, no_wrap=True, overflow="ellipsis"), id="tags-article")
            if self.notice:
                yield Static(Text(self.notice), id="tags-notice")
            yield Label("Tags, separated by commas", classes="tags-label")
            yield TextBox(self.tags, placeholder="e.g. ai, to-read", id="tags-input")
            if self.tags_in_use:
                used = ", ".join(tag for tag, _ in self.tags_in_use[:12])
                yield Static(Text("in use: " + used, no_wrap=True, overflow="ellipsis"), id="tags-in-use")
            yield Label("Note", classes="tags-label")
            yield NoteBox(self.note, id="note-input", soft_wrap=True, show_line_numbers=False)
            yield Static("Enter in the tags or ctrl+s saves · Esc cancels", id="tags-hint")

    def on_mount(self) -> None:
        tags = self.query_one("#tags-input", Input)
        tags.focus()
        tags.cursor_position = len(tags.value)

    @on(Input.Submitted, "#tags-input")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss((self.query_one("#tags-input", Input).value, self.query_one("#note-input", TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)
