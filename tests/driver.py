"""The reader as the tests drive it: keys in, what a person sees out.

``reader(roots)`` runs the real ``ReaderApp`` headless (Textual's Pilot)
and yields ``(app, pilot, r)``: ``pilot.press`` types keys, ``r`` (a
:class:`Reader`) says what is on screen and what the reader keeps (the
rows, the article shown, the sidebar, the toasts, the unread count) and
does the few things a test needs besides keys (go to an article, focus an
entry of the sidebar). A test asserts through ``r``, never through the
widgets: when the UI is rearranged, this file changes, the tests do not.

Waiting: :meth:`Reader.settle` lets the app finish what it started (its
thread workers, then its messages); :meth:`Reader.wait_for` waits for a
condition and fails, saying what it waited for and what was on screen,
when the condition never holds.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import WorkerCancelled

from tests.helpers import SIZE, key_events, wait_for
from tui.core import settings as settings_file
from tui.core.bookmarks import BookmarkStore
from tui.core.model import Article, Entry
from tui.ui.app import ReaderApp
from tui.ui.elsewhere import GROUP as ELSEWHERE_GROUP
from tui.ui.follow import GROUP as FOLLOW_GROUP
from tui.ui.screens.bookmarks import BookmarksScreen
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.textual_compat import shown_suggestion
from tui.ui.widgets import article_view
from tui.ui.widgets.related import RelatedItem


def screen_text(app: ReaderApp) -> str:
    """Everything on the current screen as plain text, one line per terminal row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def finite_workers(app: ReaderApp) -> list[Any]:
    """The app's workers that end by themselves (not the followers of the folder and of the user database, which run until the app ends)."""
    return [w for w in app.workers if w.group not in (FOLLOW_GROUP, ELSEWHERE_GROUP)]


async def wait_workers(app: ReaderApp) -> None:
    """Wait for the app's finite workers; one cancelled meanwhile (replaced
    by a newer one, as R replaces a load) counts as done."""
    workers = finite_workers(app)
    if not workers:  # (an empty list would mean every worker to Textual)
        return
    try:
        await app.workers.wait_for_complete(workers)
    except WorkerCancelled:
        pass


def messages(app: ReaderApp) -> list[str]:
    """Every toast said so far (shown or not)."""
    return [notification.message for notification in app._notifications]


def without_unread(text: str) -> str:
    """A subtitle without its unread count (which changes as articles are shown)."""
    return re.sub(r" · [\d,]+ unread", "", text)


def read_after(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """An article counts as read once shown this long (during the test)."""
    monkeypatch.setattr(article_view, "READ_AFTER", seconds)


def quiet_crash(app: ReaderApp) -> None:
    """On a crash, Textual renders a traceback with every local, which takes
    seconds; the exception itself is still raised by ``run_test()``."""
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]


class Reader:
    """What a person sees of a running reader, and the few moves a test makes besides keys."""

    def __init__(self, app: ReaderApp, pilot: Pilot) -> None:
        self.app = app
        self.pilot = pilot

    # -- waiting ------------------------------------------------------------------------
    async def settle(self) -> None:
        """Let the app finish what it started: its thread workers, then the messages they posted."""
        await wait_workers(self.app)
        await self.pilot.pause()

    async def wait_for(self, condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds; fail with ``what`` and the screen if it never does."""

        async def step() -> None:
            await self.pilot.pause(0.01)

        await wait_for(condition, what, step, timeout, lambda: screen_text(self.app))

    async def wait_loaded(self, timeout: float = 10.0) -> None:
        """The collection is read and searchable (the related-stories graph may still be building)."""

        def loaded() -> bool:
            main = self._main_or_none()
            return main is not None and main.session.collection is not None and main.session.search_index is not None

        async def step() -> None:
            await wait_workers(self.app)
            await self.pilot.pause(0.01)

        await wait_for(loaded, "the collection to load", step, timeout, lambda: screen_text(self.app))
        await self.pilot.pause()

    async def wait_graph(self) -> None:
        """The related-stories graph is built (one row per story, the sidebar's sections)."""
        await self.wait_for(lambda: self.main.session.graph is not None, "the related-stories graph")

    async def wait_article(self, title: str, timeout: float = 5.0) -> None:
        """The article pane shows the article of this title."""
        await self.wait_for(lambda: self.article_title == title, f"the article {title!r} to be shown", timeout)

    async def wait_screen(self, cls: type[Screen[Any]]) -> Any:
        await self.wait_for(lambda: isinstance(self.app.screen, cls), f"the {cls.__name__}")
        return self.app.screen

    async def wait_shown(self, text: str, timeout: float = 5.0) -> None:
        """``text`` appears on screen."""
        await self.wait_for(lambda: text in self.screen_text(), f"{text!r} on screen", timeout)

    # -- the screens ----------------------------------------------------------------------
    def _main_or_none(self) -> MainScreen | None:
        try:
            return self.app.main
        except LookupError:
            return None

    @property
    def main(self) -> MainScreen:
        return self.app.main

    def screen_text(self) -> str:
        return screen_text(self.app)

    def lines(self) -> list[str]:
        return self.screen_text().splitlines()

    def footer(self) -> str:
        return self.lines()[-1]

    @property
    def messages(self) -> list[str]:
        return messages(self.app)

    @property
    def subtitle(self) -> str:
        return self.main.sub_title

    # -- the list -------------------------------------------------------------------------
    @property
    def rows(self) -> list[Entry]:
        """The list's rows, in display order (one per story)."""
        return list(self.main.session.rows)

    @property
    def titles(self) -> list[str]:
        return [entry.title for entry in self.main.session.rows]

    @property
    def entries(self) -> list[Entry]:
        """Every article of the collection (a story's other versions too)."""
        collection = self.main.session.collection
        return list(collection.entries) if collection is not None else []

    def entry(self, title: str) -> Entry:
        return next(e for e in self.entries if e.title == title)

    def row(self, y: int) -> str:
        """The text of one visible row of the list, as drawn."""
        return self.main.panes.article_list.render_line(y).text

    def list_lines(self) -> list[Strip]:
        """Every line of the list as Textual draws it (its rows, the scrollbar's column, the border)."""
        listing = self.main.panes.article_list
        return listing.render_lines(Region(0, 0, *listing.region.size))

    def starred(self, y: int) -> bool:
        """The row shows the bookmark star (in its first column)."""
        return self.row(y).startswith("★")

    def unread_dot(self, y: int) -> bool:
        return self.row(y)[1] == "•"

    @property
    def cursor(self) -> int:
        return self.main.panes.article_list.cursor

    def move_to(self, row: int) -> None:
        """The list's cursor to a row (as a click would)."""
        self.main.panes.article_list.cursor = row

    @property
    def sort(self) -> str:
        return self.main.sort

    @property
    def unread(self) -> int | None:
        return self.main.session.unread

    @property
    def bookmarked(self) -> set[str]:
        """The identities bookmarked, as the reader knows them."""
        return set(self.main.session.bookmarked)

    def is_read(self, entry: Entry) -> bool:
        return self.main.session.is_read(entry)

    # -- the article ----------------------------------------------------------------------
    @property
    def shown(self) -> Entry | None:
        """The article of the row under the cursor (the version chosen, for a story told several times)."""
        return self.main.current_entry

    @property
    def article(self) -> Article | None:
        """The article the article pane shows (None: a message, an external story)."""
        return self.main.panes.detail.article

    @property
    def article_title(self) -> str | None:
        article = self.article
        return article.title if article is not None else None

    def block(self, name: str) -> str:
        """A part of the article pane as text: "header", "raw", "part", "body", "note", "links"."""
        return self.main.panes.detail.block_text(name)

    @property
    def header(self) -> str:
        return self.block("header")

    def has_block(self, name: str) -> bool:
        return self.main.panes.detail.has_block(name)

    @property
    def raw_shown(self) -> bool:
        return self.main.panes.detail.show_raw

    @property
    def rendering(self) -> bool:
        """Part of a long body is still being drawn."""
        return self.main.panes.detail.body_pending

    @property
    def scroll(self) -> float:
        return self.main.panes.detail.scroll_y

    @property
    def max_scroll(self) -> float:
        return self.main.panes.detail.max_scroll_y

    @property
    def article_height(self) -> int:
        return self.main.panes.detail.scrollable_content_region.height

    def scroll_article(self, y: float) -> None:
        self.main.panes.detail.scroll_to(y=y, animate=False, immediate=True)

    def show_entry(self, entry: Entry) -> None:
        """Read and show this article (what the cursor's rest does)."""
        self.main.panes.show_entry(entry)

    def go_to(self, entry: Entry) -> bool:
        """Go to an article as the jump box, the sidebar and back / forward do."""
        return self.main.go_to(entry)

    def open(self, entry: Entry) -> None:
        """Open an article as a link does: a step of the history too."""
        self.main.panes.open_entry(entry)

    async def burst(self, *parts: str) -> None:
        """Keys in one read, as a paste or a fast typist delivers them: every
        key is queued before the app takes the first (see ``helpers.key_events``)."""
        for event in key_events(*parts):
            self.app.post_message(event)  # type: ignore[arg-type]
        await self.settle()

    # -- the layout -------------------------------------------------------------------------
    @property
    def article_open(self) -> bool:
        """The article view (Enter) is open: the article takes the whole width, no list."""
        return self.main.panes.article_open

    @property
    def list_shown(self) -> bool:
        return self.main.panes.article_list.display

    @property
    def preview_shown(self) -> bool:
        """The article shows beside the list (the wide list layout)."""
        panes = self.main.panes
        return panes.article_list.display and panes.article_view.display and panes.query_one("#reading-column").display

    @property
    def list_width(self) -> int:
        """Columns the list takes on screen."""
        return self.main.panes.article_list.region.width

    def title_cells(self, y: int) -> int:
        """How many cells of its title row ``y`` of the list shows (an ellipsis counts)."""
        title = self.rows[round(self.main.panes.article_list.scroll_y) + y].title
        row = self.row(y)
        start = row.index(title[:12])
        return len(row[start:].rstrip())

    def cursor_backgrounds(self) -> set[object]:
        """The background colours of the cells of the cursor's row, as drawn."""
        listing = self.main.panes.article_list
        y = listing.cursor - round(listing.scroll_y)
        row_width = listing.scrollable_content_region.width
        strip = self.list_lines()[y].crop(0, row_width)
        return {segment.style.bgcolor for segment in strip if segment.style is not None}

    # -- find ---------------------------------------------------------------------------------
    @property
    def matches(self) -> list[str]:
        """The text of every match found in the article, in order."""
        return self.main.panes.detail.match_texts()

    @property
    def match_count(self) -> int:
        return self.main.panes.detail.match_count

    @property
    def current_match_line(self) -> int | None:
        return self.main.panes.detail.current_match_line

    @property
    def find_shown(self) -> bool:
        return self.main.panes.article_view.find_bar.shown

    @property
    def find_count(self) -> str:
        """What the find bar says: "2/7", "no match"."""
        return self.main.panes.article_view.find_bar.count_text

    @property
    def find_text(self) -> str:
        return self.main.panes.article_view.find_bar.input.value

    # -- the sidebar ----------------------------------------------------------------------
    @property
    def sidebar_shown(self) -> bool:
        return self.main.panes.related.display

    @property
    def related(self) -> list[RelatedItem]:
        """The sidebar's Related section: the article's own related stories."""
        return list(self.main.panes.related.items)

    def section(self, name: str) -> list[RelatedItem] | None:
        """A section of the sidebar ("cited", "versions", "similar"); None while not known."""
        return self.main.panes.related.sections.get(name)

    def sidebar_entries(self) -> list[RelatedItem]:
        """Every entry of the sidebar, in order (headings left out)."""
        return self.main.panes.related.all_items

    def choose_in_sidebar(self, index: int) -> None:
        """Focus the sidebar with its ``index``-th entry highlighted (options count headings)."""
        options = self.main.panes.related.options
        options.focus()
        options.highlighted = index

    def sidebar_index(self, section: str) -> int:
        """The option index of the first entry of a section."""
        rows = self.main.panes.related._rows
        return next(k for k, item in enumerate(rows) if item is not None and item.section == section)

    @property
    def sidebar_scrollbar(self) -> bool:
        return self.main.panes.related.options.show_vertical_scrollbar

    @property
    def breadcrumb_shown(self) -> bool:
        return self.main.panes.article_view.breadcrumb.display

    @property
    def history_position(self) -> int:
        return self.main.panes.article_view.history.position

    # -- focus ----------------------------------------------------------------------------
    @property
    def focus(self) -> str:
        """Which pane has the keys: "list", "article", "sidebar", "find", or the widget's name."""
        focused = self.app.focused
        panes = self.main.panes
        named: dict[Widget | None, str] = {
            panes.article_list: "list",
            panes.detail: "article",
            panes.related.options: "sidebar",
            panes.article_view.find_bar.input: "find",
        }
        return named.get(focused, type(focused).__name__ if focused is not None else "")

    def focus_list(self) -> None:
        self.main.panes.article_list.focus()

    def focus_article(self) -> None:
        self.main.panes.detail.focus()

    # -- the search -------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[str]:
        """Titles the search finds for ``query`` (the jump box's engine), best first."""
        index = self.main.session.search_index
        assert index is not None
        return [index.entries[hit.index].title for hit in index.search(query, limit=limit)]

    @property
    def jump(self) -> JumpScreen:
        screen = self.app.screen
        assert isinstance(screen, JumpScreen), f"the jump box is not open ({type(screen).__name__} is)"
        return screen

    @property
    def jump_box(self) -> str:
        return self.jump.box.value

    @property
    def jump_status(self) -> str:
        """The line above the results: the counts, a hint or a warning."""
        return str(self.jump.query_one("#jump-status").render())

    @property
    def jump_current(self) -> int:
        """The position of the result under the cursor."""
        return self.jump.result_list.current

    @property
    def jump_titles(self) -> list[str]:
        return [entry.title for entry in self.jump.results]

    def jump_lines(self) -> list[str]:
        """The jump box's result lines as drawn."""
        results = self.jump.result_list
        return [results.render_line(y).text for y in range(results.scrollable_content_region.height)]

    def jump_title_marks(self, k: int) -> list[str]:
        """The characters of the ``k``-th result's title marked as matching."""
        result = self.jump.result_list.results[k]
        return [result.entry.title[a:b] for a, b in result.title_spans]

    @property
    def jump_suggestion(self) -> str:
        """The completion the jump box shows after what is typed ("": none)."""
        return shown_suggestion(self.jump.box)

    # -- the bookmarks view -------------------------------------------------------------------
    async def open_bookmarks(self) -> BookmarksScreen:
        """B: the bookmarks view."""
        await self.pilot.press("B")
        return await self.wait_screen(BookmarksScreen)

    @property
    def bookmarks_view(self) -> BookmarksScreen:
        screen = self.app.screen
        assert isinstance(screen, BookmarksScreen), f"the bookmarks view is not open ({type(screen).__name__} is)"
        return screen

    def bookmark_titles(self) -> list[str]:
        return [b.title for b in self.bookmarks_view.bookmark_list.rows]

    def bookmark_rows(self) -> list[str]:
        view = self.bookmarks_view
        return [view.bookmark_list.render_line(y).text.rstrip() for y in range(len(view.bookmark_list.rows))]

    @property
    def bookmark_detail(self) -> str:
        return self.bookmarks_view.detail.block_text("header")


@asynccontextmanager
async def reader(
    roots: list[Path],
    size: tuple[int, int] = SIZE,
    *,
    toasts: bool = False,
    app: ReaderApp | None = None,
    watch: bool = False,
    loaded: bool = True,
) -> AsyncIterator[tuple[ReaderApp, Pilot, Reader]]:
    """The app on ``roots``, loaded (``loaded=False``: as it starts). ``toasts=True``
    renders notifications as a person sees them (the messages are recorded
    either way). ``watch``: follow the folders (off by default: a test that
    changes files then decides when the reader sees it, with R)."""
    if app is None:
        settings, problems = settings_file.load()
        app = ReaderApp(roots, BookmarkStore(), settings=replace(settings, watch=watch), problems=problems)
    quiet_crash(app)
    async with app.run_test(size=size, notifications=toasts) as pilot:
        r = Reader(app, pilot)
        if loaded:
            await r.wait_loaded()
        yield app, pilot, r
