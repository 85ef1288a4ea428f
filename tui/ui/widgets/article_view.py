"""The article view: the trail of stories walked (breadcrumb), the article
(detail pane) and the find bar under it.

It owns what belongs to reading one article: which words are found in it
and which match is current, the history of stories opened (back / forward)
and its breadcrumb, the scroll offset to restore. The main screen tells it
what to show; it never reaches back. A layout that gives the article the
whole width (narrow terminals, a full-screen reading mode) places this one
widget differently and gives it its own keys: nothing in it depends on the
list or the sidebar beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.core.bookmarks import Bookmark
from tui.core.find import Finder
from tui.core.history import History
from tui.core.links import Link, article_links
from tui.core.model import Article, Entry, LoadIssue
from tui.core.settings import DEFAULT_READ_AFTER
from tui.ui.outside import say
from tui.ui.widgets.article_list import fit_cells
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.find_bar import FindBar
from tui.ui.widgets.reading_detail import ReadingDetail

READ_AFTER = DEFAULT_READ_AFTER  # seconds an article stays shown before it counts as read (the setting read_after)
SCROLL_TRIES = 20  # times the saved scroll offset is tried while a long body renders (50 ms apart)


class ArticleView(Vertical):
    """Breadcrumb, detail pane and find bar (see the module's docstring)."""

    @dataclass
    class Read(Message):
        """An article stayed on screen ``READ_AFTER`` seconds: it counts as read."""

        entry: Entry

    @dataclass
    class LinksFound(Message):
        article: Article
        links: list[Link]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: History[Entry] = History()
        self._read_timer: Timer | None = None
        self._kept_unread: str | None = None  # the article u kept unread, while it stays shown
        self.read_after: float | None = None  # the setting (0: never by itself); None: READ_AFTER
        # Words found in the article: the jump box's query (for the article it
        # opened: ``_query_path``) or what was typed after ctrl+f (any article: None).
        self.finder: Finder | None = None
        self._query_path: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="breadcrumb")
        yield ReadingDetail(id="detail")
        yield FindBar(id="find-bar")

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    @property
    def breadcrumb(self) -> Static:
        return self.query_one("#breadcrumb", Static)

    @property
    def article(self) -> Article | None:
        """The article shown (None: a message, an external story)."""
        return self.detail.article

    def shows(self, entry: Entry | None) -> bool:
        """Is this article's file the one shown?"""
        article = self.detail.article
        return entry is not None and article is not None and article.path == entry.path

    def on_mount(self) -> None:
        self.breadcrumb.display = False

    def on_resize(self) -> None:
        if self.breadcrumb.display:
            # Its titles share the bar's width: made again once it has its new size.
            self.call_after_refresh(self._draw_trail)

    # -- what is shown ------------------------------------------------------------------
    def show_article(self, entry: Entry, article: Article, bookmark: Bookmark | None, versions: tuple[int, int] | None) -> None:
        """The article of ``entry``, with the words found in it (a query only
        in the article it opened); it counts as read once it has stayed on
        screen a moment (moving through the list with a key held reads nothing)."""
        finder = self.finder
        if finder is not None and self._query_path is not None and self._query_path != article.path:
            self.clear_find()
            finder = None
        self.detail.show_article(article, bookmark, versions=versions, finder=finder)
        if entry.path == self._kept_unread:
            return  # shown again (the list filtered, sorted, read anew): u still holds
        self._kept_unread = None
        self.read_later(entry)

    def read_later(self, entry: Entry) -> None:
        """Count the article shown as read once it has stayed a moment (the timer starts again)."""
        self._stop_reading()
        delay = READ_AFTER if self.read_after is None else self.read_after
        if delay > 0:
            self._read_timer = self.set_timer(delay, lambda: self._read(entry))

    def _read(self, entry: Entry) -> None:
        self._read_timer = None
        if self.on_screen:  # the list alone (a narrow terminal) reads nothing: Enter does
            self.post_message(self.Read(entry))

    @property
    def on_screen(self) -> bool:
        """The article is drawn: this view and every pane around it are displayed."""
        return all(getattr(node, "display", True) for node in self.ancestors_with_self)

    def keep_unread(self, entry: Entry) -> None:
        """The article shown does not count as read by itself (u was pressed:
        the person's say), also shown again, until another one is (or Enter)."""
        self._kept_unread = entry.path
        self._stop_reading()

    def _stop_reading(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def toggle_raw(self) -> None:
        """The raw front matter, shown or hidden (for every article from now on)."""
        if self.detail.toggle_raw() and self.detail.article is None:
            say(self, "No front matter to show here.", timeout=2)

    def step_part(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) part of a long body."""
        detail = self.detail
        if detail.article is None or detail.show_part(step):
            return
        if not detail.in_parts:
            say(self, "This article's body is shown whole.", timeout=2)
        else:
            say(self, "This is the last part." if step > 0 else "This is the first part.", timeout=2)

    def find_links(self) -> None:
        """Every link and image of the article, found off the UI thread (a
        long Markdown body takes a moment to parse): :class:`LinksFound`."""
        if self.detail.article is None:
            say(self, "No article shown: no links to list.", severity="warning")
        else:
            self._find_links(self.detail.article)

    @work(thread=True, exclusive=True, group="links")
    def _find_links(self, article: Article) -> None:
        links = article_links(article)
        if not get_current_worker().is_cancelled:
            self.post_message(self.LinksFound(article, links))

    def show_unreadable(self, entry: Entry, issue: LoadIssue) -> None:
        detail = self.detail
        detail.show_message(f"{entry.title}\n\nCannot show this file now: {issue.reason}\n{detail.display_path(issue.path)}")

    def show_message(self, message: str) -> None:
        self.detail.show_message(message)

    def restore_scroll(self, path: str, scroll: float, tries: int = SCROLL_TRIES) -> None:
        """Scroll to a saved offset once the body is laid out that far."""
        detail = self.detail
        if detail.article is None or detail.article.path != path:
            return
        if detail.max_scroll_y >= scroll or tries <= 0 or (not detail.rendering and tries < SCROLL_TRIES - 2):
            detail.scroll_to(y=scroll, animate=False, immediate=True)
        else:
            self.set_timer(0.05, lambda: self.restore_scroll(path, scroll, tries - 1))

    # -- find ---------------------------------------------------------------------------
    @property
    def finding(self) -> bool:
        """Are words looked for (the find bar shows them)?"""
        return self.find_bar.shown

    @property
    def has_matches_to_step(self) -> bool:
        return self.finder is not None and self.find_bar.shown

    def open_find(self) -> None:
        """ctrl+f: the find bar, with the words looked for now (if any) to edit."""
        text = self.find_bar.input.value if self.find_bar.shown else ""
        self._query_path = None  # typed here: stays for every article until Esc
        self.find_bar.open(text, label="Find")
        self.screen.refresh_bindings()

    def carry_query(self, query: str, path: str) -> bool:
        """The jump box's query comes along into the article it opened at
        ``path``: its words found there, n / N to step. False when the query
        has no words to find (a query carried before is dropped then)."""
        finder = Finder.from_query(query)
        if not finder:
            if self._query_path is not None:
                self.clear_find()
            return False
        self.finder, self._query_path = finder, path
        self.find_bar.open(query, label="Query", focus=False)
        if self.detail.article is not None and self.detail.article.path == path:
            self.detail.set_find(finder)  # already shown: not shown again, found now
        return True

    def step_match(self, step: int) -> bool:
        """The next (``step`` 1) or previous (-1) match; False when there is none."""
        if self.detail.match_count == 0:
            return False
        self.detail.step_match(step)
        return True

    def clear_find(self) -> None:
        self.finder, self._query_path = None, None
        focused = self.app.focused
        self.find_bar.hide()
        self.detail.set_find(None)
        if focused is None or focused is self.find_bar.input:
            self.detail.focus()
        self.screen.refresh_bindings()

    @on(FindBar.Changed)
    def _find_typed(self, event: FindBar.Changed) -> None:
        finder = Finder.from_query(event.text)
        self.finder = finder if finder else None
        self._query_path = None
        self.detail.set_find(self.finder)
        self.screen.refresh_bindings()

    @on(FindBar.Step)
    def _find_step(self, event: FindBar.Step) -> None:
        self.detail.step_match(event.step)

    @on(FindBar.Done)
    def _find_done(self) -> None:
        self.detail.focus()
        if not self.find_bar.input.value.strip():
            self.clear_find()

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.clear_find()

    @on(ReadingDetail.Leave)
    def _leave(self, event: ReadingDetail.Leave) -> None:
        """Esc closes the find bar and clears its marks first; the next one goes back to the list."""
        if event.find_first and (self.finding or self.detail.finder is not None):
            event.stop()
            self.clear_find()

    @on(DetailPane.Matches)
    def _matches(self, event: DetailPane.Matches) -> None:
        self.find_bar.set_count(event.current, event.total)

    # -- the trail of stories -------------------------------------------------------------
    def visit(self, entry: Entry) -> None:
        """A story opened: a step of the history."""
        self.history.visit(entry)
        self._draw_trail()

    def back(self, current: Entry | None) -> Entry | None:
        """The story opened before (None: nothing to go back to); ``current``,
        the story shown now, is recorded first when one wandered off to it."""
        history = self.history
        if current is not None and history.current is not None and current.path != history.current.path:
            history.visit(current)  # back returns to where one was before wandering off
        entry = history.back()
        self._draw_trail()
        return entry

    def forward(self) -> Entry | None:
        entry = self.history.forward()
        self._draw_trail()
        return entry

    def _draw_trail(self) -> None:
        bar, history = self.breadcrumb, self.history
        if len(history.items) < 2:
            bar.display = False
            return
        # Each title gets its share of the bar, at least 10 cells: fewer steps
        # are shown (the farthest from here first) so the current one always shows.
        width = max(bar.size.width or self.detail.size.width or 60, 30) - 2
        before, after = 4, 2
        while True:
            trail, here = history.trail(before, after)
            start = history.position - here
            ends = (4 if start > 0 else 0) + (4 if start + len(trail) < len(history.items) else 0)
            share = (width - ends - 3 * (len(trail) - 1)) // len(trail)
            if share >= 10 or before + after == 0:
                break
            if before >= after and before > 0:
                before -= 1
            else:
                after -= 1
        share = max(share, 10)
        text = Text(no_wrap=True, overflow="ellipsis")
        if start > 0:
            text.append("… › ")
        for k, entry in enumerate(trail):
            if k:
                text.append(" › ")
            text.append(fit_cells(entry.title, share), "bold reverse" if k == here else "")
        if start + len(trail) < len(history.items):
            text.append(" › …")
        bar.update(text)
        bar.display = True
