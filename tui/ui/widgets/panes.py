"""The reading panes: the article list, the article view and the related
sidebar side by side, and which article they show.

:class:`ReadingPanes` keeps the three in step: the article under the list's
cursor is read (from the file, in a thread when it is large) and shown in
the article view with its sidebar; going to a story (Enter, a sidebar link,
back / forward, the jump box) moves the cursor and shows it in the same
frame; a story told by several outlets shows the version chosen with v / V.
It is also the layout (:mod:`tui.ui.widgets.pane_layout` says where each
pane goes): the list with the article as a preview, or the article view
(Enter; Esc, q, h, ← back to the list; J / K the next / previous story),
and the list's share of the width (= / -, remembered). The rows and every
other piece of state come from the :class:`~tui.core.session.ReadingSession`
the screen gives it; it never writes to the store.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.core import layout as list_width
from tui.core.collection import Collection
from tui.core.loading import load_article
from tui.core.model import Article, Entry, LoadIssue
from tui.core.session import ReadingSession, Sections
from tui.core.settings import Settings
from tui.ui.outside import say
from tui.ui.widgets import pane_layout
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.reading_detail import ReadingDetail
from tui.ui.widgets.related import RelatedItem, RelatedPane, related_items
from tui.ui.widgets.virtual_list import VirtualList

FOLLOW_DELAY = 0.06  # seconds the cursor rests before the article follows a held key
INLINE_LOAD_BYTES = 64 * 1024  # larger files are loaded in a thread
# A queried collection (tui.core.queried) looks the sidebar up in the index
# once an article has been shown this long (seconds): a look-up takes SQLite
# tens to hundreds of milliseconds at a million articles.
LOOK_UP_DELAY = 0.3


class ReadingPanes(Horizontal):
    """List, article view and sidebar (see the module's docstring)."""

    HELP_SECTION = "Layout"
    HELP_ORDER = 12
    BINDINGS = [
        Binding("equals_sign,plus", "list_width(1)", "Wider list", show=False, tooltip="wider list, narrower preview (remembered)", id="list_wider"),
        Binding("minus", "list_width(-1)", "Narrower list", show=False, tooltip="narrower list, wider preview (remembered)", id="list_narrower"),
        # The article's own keys do this while it has the focus; these work from its sidebar too.
        Binding("escape,q", "close_article", "Close", tooltip="in the article view: back to the list (first closing a sidebar shown in the article's place)", id="layout.back"),
    ]

    @dataclass
    class ArticleLoaded(Message):
        entry: Entry
        article: Article | LoadIssue
        related: list[RelatedItem]
        related_total: int

    @dataclass
    class LookedUp(Message):
        """The sidebar of an article in full, looked up in a thread (a queried
        collection: related stories by title, backlinks)."""

        entry: Entry
        related: list[RelatedItem]
        story: Sections

    show_sidebar: reactive[bool] = reactive(True, init=False)
    article_open: reactive[bool] = reactive(False, init=False)  # the article view (Enter), else the list
    sidebar_beside: reactive[bool] = reactive(False, init=False)  # the sidebar in the article view (r there)

    def __init__(self, session: ReadingSession, settings: Settings, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.settings = settings
        self._auto_width: bool | None = None
        self.list_share = list_width.remembered(session.store, settings.list_width)  # percent, beside the preview
        self._last_move = 0.0
        self._follow_timer: Timer | None = None
        self._look_up_timer: Timer | None = None
        self._follow_pending = False  # the article will follow the cursor after the next paint
        self._keep_shown: Entry | None = None  # shown already: a new arrangement of rows does not show it again
        self._opened: Entry | None = None  # opened by go_to: the cursor's follow need not show it again
        self._restore_scroll: tuple[str, float] | None = None  # (path, offset) to scroll to once shown

    def compose(self) -> ComposeResult:
        yield ArticleList(id="article-list")
        with Container(id="reading-column"):
            yield ArticleView(id="article-view")
            yield RelatedPane(id="related")

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def related(self) -> RelatedPane:
        return self.query_one(RelatedPane)

    @property
    def current_entry(self) -> Entry | None:
        """The article shown: the row under the cursor, or the version of its story chosen with v / V."""
        return self.session.shown_at(self.article_list.cursor)

    def here(self) -> RelatedItem | Entry | None:
        """What b, t, o, y and c act on: the sidebar's entry while it has focus, else the article shown."""
        if self.related.options.has_focus and self.related.current is not None:
            return self.related.current
        return self.current_entry

    def on_mount(self) -> None:
        listing, session = self.article_list, self.session
        listing.set_date_format(self.settings.date_format)
        listing.is_bookmarked = session.is_bookmarked
        listing.is_read = session.is_read
        listing.story_count = session.story_count
        self.detail.date_format = self.settings.detail_date_format
        self.related.is_bookmarked = lambda item: item.identity in session.bookmarked
        self._apply_width(self.app.size.width)

    # -- the rows ---------------------------------------------------------------------------
    def show_collection(self, collection: Collection, done: int | None = None, total: int = 0) -> None:
        """The rows of a collection: part of it while ``done`` of ``total``
        files are read (said in the list until it has rows), else all of it."""
        self.detail.display_path = collection.display_path
        listing = self.article_list
        if done is not None:
            listing.empty_text = f"Reading {done:,} of {total:,} files…"
        else:
            listing.empty_text = "No articles could be read: press ! to see why." if collection.issues else "No articles here."
        self.fill()
        listing.refresh()

    def reading(self, done: int, total: int) -> None:
        """Files read so far, said in the list while it has no rows."""
        self.article_list.empty_text = f"Reading {done:,} of {total:,} files…"
        self.article_list.refresh()

    def fill(self, keep: Entry | None = None) -> None:
        """The rows again (collection, sort, stories), the cursor kept on ``keep`` or the article shown."""
        if self.session.collection is None:
            return
        cursor = self.session.arrange(keep or (self.current_entry if self.session.placed else None))
        self.article_list.set_rows(self.session.rows, cursor)
        if not self.session.rows:
            self.article_view.show_message("Nothing to show.")
            self.related.clear()

    def restore(self, row: int, path: str, scroll: float) -> None:
        """Back at last time's article: its row, and its scroll offset once it is shown."""
        if scroll > 0:
            self._restore_scroll = (path, scroll)
        self.article_list.reset(row, keep_lines=True)  # not a move of the person's: nothing is read by it

    def refresh_bookmarks(self) -> None:
        """The bookmarks changed: the stars, and the header of the article shown."""
        self.article_list.refresh_rows()
        self.related.refresh_items()
        entry = self.current_entry
        if entry is not None and self.article_view.shows(entry):
            self.detail.set_bookmark(self.session.bookmark_of(entry))

    def story_known(self) -> None:
        """The related-stories graph is built: one row per story, and the
        sections of the article shown (which stays as it is, its scroll too)."""
        entry = self.current_entry
        shown = self.article_view.shows(entry)
        if self.session.graph is not None and self.session.graph.groups:
            self._keep_shown = entry if shown else None
            self.fill()
        if shown and entry is not None:
            story = self.session.sections(entry)
            self.related.set_story(story)
            self.detail.set_versions(story.position)
            self.related.look_up_similar(entry, self.session.similar, delay=0)

    # -- showing the article under the cursor -------------------------------------------------
    @on(VirtualList.Highlighted, "#article-list")
    def _highlighted(self, event: VirtualList.Highlighted) -> None:
        """Show the article under the cursor: at once after a pause, and
        while a key is held down, once the cursor rests (a trailing throttle),
        so the list never waits for the article."""
        if not 0 <= event.index < len(self.session.rows):
            return
        if event.moved:
            self.session.touched = True  # the person moved: what is shown from now on may count as read
            self._keep_shown = None  # only a new arrangement's own highlight keeps the article
            self.session.restore = None  # the person moved before the collection was read: stay there
        now = time.monotonic()
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        if not event.moved or now - self._last_move >= FOLLOW_DELAY * 2:
            # After the next paint: the cursor shows at once, the article a frame later.
            if not self._follow_pending:
                self._follow_pending = True
                self.call_after_refresh(self._follow_cursor)
        else:
            self._follow_timer = self.set_timer(FOLLOW_DELAY, self._follow_cursor)
        if event.moved:
            self._last_move = now

    def _follow_cursor(self) -> None:
        self._follow_timer = None
        self._follow_pending = False
        entry = self.current_entry
        keep, self._keep_shown = self._keep_shown, None
        opened, self._opened = self._opened, None
        if entry is not None and entry is not keep and entry is not opened:
            self.show_entry(entry)

    @on(VirtualList.Selected, "#article-list")
    def _selected(self) -> None:
        entry = self.current_entry
        self.session.touched = True
        if entry is not None:
            self.article_view.visit(entry)
            if self.article_view.shows(entry):
                self.article_view.read_later(entry)
        self.article_open = True

    def show_entry(self, entry: Entry) -> None:
        """Read the article's file and show it (the sidebar too)."""
        try:
            small = os.stat(entry.path).st_size <= INLINE_LOAD_BYTES
        except OSError:
            small = True  # load_article says what is wrong
        if not small:
            self._load_in_thread(entry)
            return
        # A typical article (a few KB) reads and parses in about a
        # millisecond: here, with no thread hop before it is painted.
        article = load_article(entry.path)
        if isinstance(article, LoadIssue):
            self._show_unreadable(entry, article)
        else:
            self._show_article(entry, article, self._related(article), len(article.related))

    @work(thread=True, exclusive=True, group="detail")
    def _load_in_thread(self, entry: Entry) -> None:
        """Read the whole file off the UI thread: a 30 MB file never freezes the keys."""
        article = load_article(entry.path)
        if get_current_worker().is_cancelled:
            return
        if isinstance(article, LoadIssue):
            self.post_message(self.ArticleLoaded(entry, article, [], 0))
            return
        items = self._related(article)
        if not get_current_worker().is_cancelled:
            self.post_message(self.ArticleLoaded(entry, article, items, len(article.related)))

    def _related(self, article: Article) -> list[RelatedItem]:
        """The article's related stories, resolved as far as is quick: a
        queried collection resolves titles in :meth:`_look_up` (at a million
        articles a title takes SQLite up to half a second)."""
        return related_items(article, self.session.collection, by_title=not self.session.on_disk)

    def _look_up_soon(self, entry: Entry, article: Article) -> None:
        """Look the sidebar up in full once the article has been shown a
        moment (browsing with a held key starts none)."""
        if self._look_up_timer is not None:
            self._look_up_timer.stop()
        self._look_up_timer = self.set_timer(LOOK_UP_DELAY, lambda: self._look_up(entry, article) if entry is self.current_entry else None)

    @work(thread=True, exclusive=True, group="look-up")
    def _look_up(self, entry: Entry, article: Article) -> None:
        worker = get_current_worker()
        collection = self.session.collection
        items = []
        try:
            for item in related_items(article, collection, by_title=False):
                if worker.is_cancelled:
                    return  # another article by now: its own look-up follows
                if item.local is None and item.related is not None and collection is not None:
                    item = RelatedItem(item.related, collection.resolve(item.related))
                items.append(item)
            story = self.session.sections_in_full(entry)
        except (sqlite3.Error, OSError):
            return  # the index went away meanwhile: the sidebar keeps what it showed
        if not worker.is_cancelled:
            self.post_message(self.LookedUp(entry, items, story))

    @on(LookedUp)
    def _looked_up(self, event: LookedUp) -> None:
        if event.entry is self.current_entry and self.article_view.shows(event.entry):
            self.related.refine(event.related, event.story)

    @on(ArticleLoaded)
    def _article_loaded(self, event: ArticleLoaded) -> None:
        if isinstance(event.article, LoadIssue):
            self._show_unreadable(event.entry, event.article)
        else:
            self._show_article(event.entry, event.article, event.related, event.related_total)

    def _show_unreadable(self, entry: Entry, issue: LoadIssue) -> None:
        if entry is self.current_entry:
            self.article_view.show_unreadable(entry, issue)
            self.related.clear()

    def _show_article(self, entry: Entry, article: Article, items: list[RelatedItem], total: int) -> None:
        if entry is not self.current_entry:
            return  # the cursor moved on while the file was read
        story: Sections = self.session.sections(entry)
        with self.app.batch_update():
            self.article_view.show_article(entry, article, self.session.bookmark_of(entry), story.position)
            self.related.set_items(items, total, story)
        if self._restore_scroll is not None:
            (path, scroll), self._restore_scroll = self._restore_scroll, None
            if path == entry.path:
                self.call_after_refresh(self.article_view.restore_scroll, path, scroll)
        if self.session.on_disk:
            self._look_up_soon(entry, article)
            self.related.look_up_similar(entry, self.session.similar, delay=LOOK_UP_DELAY)
        else:
            self.related.look_up_similar(entry, self.session.similar)

    # -- going to a story ---------------------------------------------------------------------
    @on(RelatedPane.Chosen)
    def _related_chosen(self, event: RelatedPane.Chosen) -> None:
        item = event.item
        if item.local is not None:
            if item.section == "versions":
                self._show_version(item.local)
            else:
                self.open_entry(item.local)
        elif item.related is not None:
            source = self.current_entry.title if self.current_entry else ""
            self.detail.show_related(item.related, None, source)

    def open_entry(self, entry: Entry) -> None:
        """Go to an article and record the step in the history (the article
        one comes from first, when it is not recorded yet)."""
        self.session.touched = True  # opened: from now on an article shown may count as read
        current = self.current_entry
        if current is not None and current.path != entry.path:
            self.article_view.visit(current)
        self.go_to(entry)
        self.article_view.visit(entry)

    def go_to(self, entry: Entry) -> bool:
        """Move the list cursor to an article; False if it is not in the list.
        A version of a story shows in its story's row."""
        row = self.session.row_of(entry)
        if row is None:
            return False
        before = self.current_entry
        self.session.choose_version(entry)
        if self.article_list.cursor != row:
            self.article_list.cursor = row
            current = self.current_entry
            if current is not None:
                # Opened, not browsed to: the article is painted in the same
                # frame as the list's jump (arrow keys paint the list first).
                self._opened = current
                self.show_entry(current)
        elif before is not self.current_entry and self.current_entry is not None:
            self.show_entry(self.current_entry)
        self.focus_reading()
        return True

    def _show_version(self, entry: Entry) -> None:
        """Show another version of the current story, in place (a queried
        collection lists each version in a row of its own: there)."""
        if self.session.on_disk:
            self.go_to(entry)
            return
        self.session.choose_version(entry)
        current = self.current_entry
        if current is not None:
            self.show_entry(current)

    def back(self) -> None:
        entry = self.article_view.back(self.current_entry)
        if entry is None:
            say(self, "Nothing to go back to: open a story (Enter, /, or the sidebar) first.", timeout=2)
        else:
            self.go_to(entry)

    def forward(self) -> None:
        entry = self.article_view.forward()
        if entry is None:
            say(self, "Nothing ahead: you are at the newest step.", timeout=2)
        else:
            self.go_to(entry)

    def step_version(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) version of the story shown, in its row."""
        entry = self.current_entry
        if entry is None:
            return
        found = self.session.step_version(entry, step)
        if found is None:
            say(self, "This story is told once here: no other versions.", timeout=2)
            return
        target, which, count = found
        self._show_version(target)
        say(self, f"Version {which} of {count}: {target.provider or target.domain or target.title}", timeout=2)

    # -- the article view ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_article":
            return self.article_open  # on the list, Esc and q are the screen's and the app's
        return True

    def action_close_article(self) -> None:
        """Esc / q in the article view: one step back (the find bar; the
        sidebar that took the article's place; then the list)."""
        if self.article_view.finding:
            self.article_view.clear_find()
        elif self.article_open and self.sidebar_beside and not pane_layout.plan(self.app.size.width, True, True, self.list_share).article_shown:
            self.sidebar_beside = False  # the article is shown again, with the keys
        else:
            self.close_article()

    @on(ReadingDetail.Leave)
    def close_article(self) -> None:
        """Back to the list, on the row the article was read from."""
        self.article_open = False
        self.article_list.focus()

    @on(ReadingDetail.StepStory)
    def _step_story(self, event: ReadingDetail.StepStory) -> None:
        """J / K: the next or previous story of the list, shown here at once."""
        row = self.article_list.cursor + event.step
        if not 0 <= row < len(self.session.rows):
            say(self, "This is the last story of the list." if event.step > 0 else "This is the first story of the list.", timeout=2)
            return
        self.article_list.cursor = row
        current = self.current_entry
        if current is not None:
            self._opened = current  # shown now, not when the cursor's follow comes
            self.show_entry(current)

    def focus_reading(self) -> None:
        """The keys to the list, or in the article view to the article (its sidebar when it takes its place)."""
        if not self.article_open:
            self.article_list.focus()
        elif self.article_view.display:
            self.detail.focus()
        else:
            self.related.options.focus()

    # -- the layout ---------------------------------------------------------------------------
    def watch_show_sidebar(self) -> None:
        self.arrange_panes()

    def watch_sidebar_beside(self) -> None:
        self.arrange_panes()

    def watch_article_open(self) -> None:
        self.arrange_panes()
        self.focus_reading()

    def toggle_sidebar(self) -> None:
        """r: the sidebar of the layout shown (the list's, under the preview; the article view's, beside it)."""
        if self.article_open:
            self.sidebar_beside = not self.sidebar_beside
            return
        self.show_sidebar = not self.show_sidebar
        if self.show_sidebar and self.app.size.width <= pane_layout.NARROW_WIDTH:
            say(self, "The related sidebar shows in the article view: Enter, then r.", timeout=3)

    def arrange_panes(self) -> None:
        width = self.app.size.width
        sidebar = self.sidebar_beside if self.article_open else self.show_sidebar
        layout = pane_layout.plan(width, self.article_open, sidebar, self.list_share)
        column = self.query_one("#reading-column")
        pane_layout.apply(self, layout, self.article_list, column, self.article_view, self.related)
        focused = self.app.focused
        if focused is not None and self in focused.ancestors and not all(node.display for node in focused.ancestors_with_self if node is not self.screen):
            self.focus_reading()  # what had the keys was hidden

    def action_list_width(self, step: int) -> None:
        """= / -: the list's share of the width beside the preview, remembered."""
        if self.article_open or self.app.size.width <= pane_layout.NARROW_WIDTH:
            say(self, f"The list's width changes in the list with its preview (wider than {pane_layout.NARROW_WIDTH} columns).", timeout=3)
            return
        share = list_width.step(self.list_share, step)
        if share == self.list_share:
            say(self, "The list is as wide as it goes." if step > 0 else "The list is as narrow as it goes.", timeout=2)
            return
        self.list_share = share
        self.arrange_panes()
        problem = list_width.remember(self.session.store, share, self.settings.list_width)
        if problem:
            say(self, f"The list's width is not remembered: {problem}", severity="warning")
        else:
            say(self, f"List: {share}% of the width", timeout=1)

    def on_resize(self) -> None:
        self._apply_width(self.app.size.width)

    def _apply_width(self, width: int) -> None:
        wide = width >= pane_layout.SIDEBAR_MIN_WIDTH
        if wide != self._auto_width:
            self._auto_width = wide
            self.set_reactive(ReadingPanes.show_sidebar, wide and self.settings.sidebar)
        self.arrange_panes()
