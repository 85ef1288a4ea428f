"""The main screen: article list, detail pane and related sidebar."""

from __future__ import annotations

import gc
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tui.core.bookmarks import Bookmark, BookmarkStore, Position, collection_id, entry_key, facet_marks
from tui.core.collection import SORT_KEYS, SORT_LABELS, Collection
from tui.core.editor import EditorError, run_editor
from tui.core.find import Finder
from tui.core.graph import Graph, more_like_this
from tui.core.history import History
from tui.core.index import FIRST_SCREEN_ROWS, IndexJob
from tui.core.links import Link, article_links, markdown_link
from tui.core.memory import IdleCollector, release_memory
from tui.core.model import Article, Entry, LoadIssue
from tui.core.queries import QueryStore, View
from tui.core.query import facet_values
from tui.core.search import SearchIndex
from tui.core.settings import Settings
from tui.core.urls import is_openable
from tui.ui.screens.bookmarks import BookmarksScreen, TagsDialog
from tui.ui.screens.issues import IssuesScreen
from tui.ui.screens.jump import JumpChoice, JumpScreen
from tui.ui.screens.links import LinksScreen
from tui.ui.screens.views import ViewsScreen
from tui.ui.widgets.article_list import ArticleList, fit_cells
from tui.ui.widgets.detail import DetailPane
from tui.ui.widgets.find_bar import FindBar
from tui.ui.widgets.related import RelatedItem, RelatedPane
from tui.ui.widgets.virtual_list import VirtualList

SIDEBAR_MIN_WIDTH = 100
FOLLOW_DELAY = 0.06  # seconds the cursor rests before the detail follows a held key
GC_TICK = 0.1  # seconds between looks for a pause to collect garbage in (see IdleCollector)
SIMILAR_DELAY = 0.05  # seconds after an article is shown before "more like this" is looked up
INLINE_READ_BYTES = 64 * 1024  # larger files are read in a thread
MAX_RELATED = 1000  # a file may list thousands; the sidebar shows this many
READ_AFTER = 0.6  # seconds an article's detail stays shown before it counts as read
SAVE_DELAY = 1.0  # reading-state writes are gathered this long, then written in a thread


class MainScreen(Screen[None]):
    HELP_SECTION = "Reading"
    HELP_ORDER = 10
    # Every binding has an id: the [keys] table of the settings remaps it, and
    # the help lists it (with the tooltip as its longer text).
    BINDINGS = [
        # A priority binding acts as the key arrives, before the keys typed
        # after it are handed out: "/jpan" typed in one go all lands in the box.
        Binding("slash", "jump", "Jump", priority=True, tooltip="jump: fuzzy-find any story (typos welcome)", id="jump"),
        # [ and ] reach every terminal as themselves (tmux, macOS Terminal,
        # iTerm2); alt+arrows and backspace are there for those used to them.
        # Early in the list: the footer shows them at 80 columns too.
        Binding("left_square_bracket,alt+left,backspace", "back", "Back", tooltip="back to the article opened before", id="back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", tooltip="forward again", id="forward"),
        Binding("s", "cycle_sort", "Sort", tooltip="cycle the sort: date, title, provider, quality, heat", id="sort"),
        Binding("b", "toggle_bookmark", "Bookmark", tooltip="bookmark / un-bookmark the article or related story", id="bookmark"),
        Binding(
            "B", "show_bookmarks", "Bookmarks", tooltip="bookmarks: newest first with tags; filter by tag, open", id="bookmarks"
        ),
        Binding(
            "t", "edit_tags", "Tags", show=False, tooltip="tags and note of the bookmark (bookmarks the article)", id="edit_tags"
        ),
        Binding(
            "u",
            "toggle_read",
            "Unread",
            show=False,
            tooltip="mark read / unread (an article shown a moment is read)",
            id="toggle_read",
        ),
        Binding("f", "toggle_raw", "Raw", tooltip="show / hide the raw front matter", id="raw"),
        Binding(
            "greater_than_sign", "body_part(1)", "Next part", show=False, tooltip="next part of a long body (256 KiB each)", id="next_part"
        ),
        Binding(
            "less_than_sign", "body_part(-1)", "Previous part", show=False, tooltip="previous part of a long body", id="previous_part"
        ),
        Binding("r", "toggle_sidebar", "Related", tooltip="show / hide the related sidebar", id="sidebar"),
        Binding("o", "open_url", "Open", tooltip="open the URL in the browser (http and https only)", id="open_url"),
        Binding("O", "links", "Links", show=False, tooltip="every link and image of the article: open one", id="links"),
        Binding("y", "copy_url", "Copy URL", show=False, tooltip="copy the URL", id="copy_url"),
        Binding(
            "c", "copy_link", "Copy link", show=False, tooltip="copy the article as a Markdown link [title](url)", id="copy_link"
        ),
        Binding("e", "edit", "Edit", show=False, tooltip="edit the article's file in $EDITOR, then show it again", id="edit"),
        Binding(
            "exclamation_mark", "show_issues", "Issues", tooltip="Issues: files that could not be read, and why", id="issues"
        ),
        Binding("R", "rescan", "Rescan", show=False, tooltip="rescan the collection (new, changed, removed files)", id="rescan"),
        Binding("tab", "app.focus_next", "Next pane", show=False, tooltip="next pane: list, detail, related", id="focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, tooltip="previous pane", id="focus_previous"),
        # Shown in the detail pane of a story told several times, not in the footer.
        Binding(
            "v",
            "next_version",
            "Version",
            show=False,
            tooltip="next version of a story told by several outlets",
            id="next_version",
        ),
        Binding(
            "V",
            "previous_version",
            "Previous version",
            show=False,
            tooltip="previous version of the story",
            id="previous_version",
        ),
        # Find in the open article; n / N and Esc only act (and show) while words are marked.
        Binding("w", "views", "Views", show=False, tooltip="saved views: open one in the jump box, delete one", id="views"),
        Binding("ctrl+f", "find", "Find", show=False, tooltip="find words in the open article", id="find"),
        Binding("n", "step_match(1)", "Next match", tooltip="next match of the query or find in the article", id="next_match"),
        Binding("N", "step_match(-1)", "Prev match", tooltip="previous match in the article", id="previous_match"),
        Binding("escape", "clear_find", "Clear marks", tooltip="clear the marked words and close the find bar", id="clear_find"),
    ]

    # Messages from the thread workers: post_message is thread-safe and never
    # blocks, so a worker can never hang on a UI that is shutting down.
    @dataclass
    class Indexed(Message):
        """The index job moved on: part or all of the collection, or progress only."""

        collection: Collection | None
        done: int
        total: int
        finished: bool = False
        error: str = ""
        first_screen: bool = False  # the rows saved by the last run, before the index

    @dataclass
    class ReadState(Message):
        """The identities of a loaded collection, computed in the loading thread."""

        collection: Collection
        counts: Counter[str]  # identity -> how many entries have it
        by_key: dict[str, Entry]  # identity -> the first entry with it
        unread: int  # entries not read, against the read set of `read_version`
        read_version: int
        keys: list[str] | None = None  # the identity of each entry, in order

    @dataclass
    class SaveFailed(Message):
        error: str

    @dataclass
    class SearchReady(Message):
        index: SearchIndex
        collection: Collection | None = None  # set: only for this collection (a reload's)
        values: dict[str, list[str]] | None = None  # facet values for completion

    @dataclass
    class GraphReady(Message):
        """Backlinks and story groups, built off the UI thread."""

        collection: Collection
        graph: Graph

    @dataclass
    class SimilarReady(Message):
        entry: Entry
        items: list[RelatedItem]

    @dataclass
    class FileRead(Message):
        entry: Entry
        article: Article | LoadIssue
        related: list[RelatedItem]
        related_total: int

    sort: reactive[str] = reactive("date", init=False)
    show_sidebar: reactive[bool] = reactive(True, init=False)

    @dataclass
    class Reloaded(Message):
        """A file was read again after editing: its new entry, and the collection with it."""

        old: Entry
        new: Entry | LoadIssue
        source: Collection | None  # the collection the new one was made from
        updated: Collection | None

    @dataclass
    class LinksFound(Message):
        article: Article
        links: list[Link]

    def __init__(
        self, roots: list[Path], store: BookmarkStore, job: IndexJob | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.set_reactive(MainScreen.sort, self.settings.sort)
        self.roots = roots
        self._job = job  # an index job started before the UI (see cli.run_reader)
        self._active_job: IndexJob | None = None
        self._before_rescan: set[str] = set()  # paths known when R was pressed
        self.store = store
        self.collection: Collection | None = None
        self.search_index: SearchIndex | None = None
        self.rows: list[Entry] = []
        self._row_of: dict[str, int] = {}  # path -> row, for jumping to an article
        self.marked: set[str] = store.keys()
        # Reading state: the read identities, and per identity how many
        # entries of the collection have it, so the unread count changes by
        # a lookup when an article is (un)read, never by a walk of the list.
        self.read: set[str] = store.read_keys()
        self._read_version = 0
        self.key_counts: Counter[str] = Counter()
        self.by_key: dict[str, Entry] = {}  # identity -> an entry with it (built on first use)
        self.unread: int | None = None
        self._pending: dict[str, bool] = {}  # reading-state writes not yet made
        self._save_timer: Timer | None = None
        self._read_timer: Timer | None = None
        self._save_failed = False
        self._collection_id = collection_id(roots)
        self._restore: Position | None = store.position(self._collection_id)
        self._restore_scroll: tuple[Entry, float] | None = None
        self._last_position: Position | None = None
        self._auto_width: bool | None = None
        self.load_progress: tuple[int, int] | None = (0, 0)
        self._last_move = 0.0
        self._detail_timer: Timer | None = None
        self._similar_timer: Timer | None = None
        self._follow_pending = False  # the detail will follow the cursor after the next paint
        self._first_screen_total: int | None = None  # showing last run's first rows, of this many
        self._first_screen_shown = False  # shown from on_mount, before the load worker ran
        self._loaded_once = False
        self.graph: Graph | None = None  # of self.collection, once built
        self._version_of: dict[int, int] = {}  # story group -> the entry index shown for it
        self._keep_detail: Entry | None = None  # shown already: a refill does not show it again
        self._opened: Entry | None = None  # opened by go_to: the cursor's follow need not show it again
        self.collector = IdleCollector()  # the cycle collector, run in pauses once all is loaded
        self.history: History[Entry] = History()
        # Words marked in the article: the jump box's query (for the article it
        # opened: `_find_path`) or what was typed after ctrl+f (any article: None).
        self._finder: Finder | None = None
        self._find_path: str | None = None
        # For the jump box: completion values, and which entries are bookmarked /
        # unread (computed when a query first asks, again only after a change).
        self.facet_values: dict[str, list[str]] | None = None
        self._entry_keys: tuple[object, list[str]] | None = None  # (the entries, their identities)
        self._marks_cache: tuple[tuple[int, ...], dict[str, set[int]]] | None = None
        self._marked_version = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            with Vertical(id="detail-column"):
                yield Static(id="breadcrumb")
                yield DetailPane(id="detail")
                yield FindBar(id="find-bar")
            yield RelatedPane(id="related")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def related(self) -> RelatedPane:
        return self.query_one(RelatedPane)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def on_mount(self) -> None:
        self.article_list.set_date_format(self.settings.date_format)
        self.detail.date_format = self.settings.detail_date_format
        self.article_list.is_marked = self._is_marked
        self.article_list.story_count = self._story_count
        self.query_one("#breadcrumb").display = False
        self.article_list.is_read = self._is_read
        self.related.is_marked = self._related_marked
        self.article_list.focus()
        self._apply_width(self.app.size.width)
        job = self._job
        first = job.first_screen if job is not None else None
        if job is not None and first is not None and first.sort == self.sort:
            # Last run's first rows, already read by the index job: in the very first frame.
            self._first_screen_shown = True
            self._partial(Collection(self.roots, first.entries), 0, first.total)
            self._first_screen_total = first.total
            self._update_subtitle()
            self.call_after_refresh(job.go)  # once they are on screen, the index may use the interpreter
        else:
            self.detail.show_message("Reading the collection…")
            self.sub_title = "reading…"
        self.load()
        self.set_interval(GC_TICK, self.collector.tick)

    def on_unmount(self) -> None:
        self.collector.stop()
        self.finish()

    def finish(self, wait: float = 0.0) -> None:
        """On the way out: stop indexing (what was read is cached; ``wait``
        seconds for it) and write the reading state and position now."""
        for job in (self._job, self._active_job):
            if job is not None:
                job.cancel(wait=wait)
        self.save_state(final=True)

    def say(self, message: str, **kwargs: object) -> None:
        """A toast. Never markup: titles and URLs come from files."""
        self.notify(message, markup=False, **kwargs)  # type: ignore[arg-type]

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Follow the index job in a thread; the list fills as entries arrive.

        Everything slow (building the collection's lookups, sorting) happens
        here, so the UI thread only swaps rows in.
        """
        job, self._job = self._job or IndexJob(self.roots), None
        if self._active_job is not None and self._active_job is not job:
            self._active_job.cancel()  # a rescan replaces an index still running
        self._active_job = job
        worker = get_current_worker()
        seen, pushed_at, pushed_count = -1, 0.0, -1
        interval = 0.3  # grows with the cost of a rebuild: its work stays a small share
        first_screen = True
        while True:
            if worker.is_cancelled:
                job.cancel()
                return
            seen, entries, issues, (done, total), finished = job.wait(seen, 0.25)
            if finished:
                break
            if first_screen and self._first_screen_shown:
                first_screen = False
                pushed_count = 0  # those rows stay until the index has entries to show
            if first_screen and job.first_screen is not None and not entries and not issues:
                first_screen = False
                if job.first_screen.sort == self.sort:
                    partial = Collection(self.roots, job.first_screen.entries)
                    self.post_message(self.Indexed(partial, 0, job.first_screen.total, first_screen=True))
                    pushed_count = 0  # these rows stay until the index has entries to show
                else:
                    job.go()
                continue
            now = time.monotonic()
            count = len(entries) + len(issues)
            # The first rows go out at once; after that, updates are spaced so
            # rebuilding the lookups and the sort (which grows with the
            # collection) takes at most a fifth of the time.
            if count != pushed_count and (pushed_count <= 0 or now - pushed_at >= interval):
                partial = Collection(self.roots, entries, issues, lazy_titles=False)
                partial.order(self.sort)
                self.post_message(self.Indexed(partial, done, total))
                interval = max(0.3, 5 * (time.monotonic() - now))
                pushed_at, pushed_count = now, count
            elif pushed_count >= 0:
                self.post_message(self.Indexed(None, done, total))
        if job.error is not None or job.result is None:
            self.post_message(self.Indexed(None, 0, 0, error=str(job.error)))
            return
        collection = Collection(self.roots, job.result.entries, job.result.issues, lazy_titles=False)
        collection.stats = job.result.stats
        sort = self.sort
        order = collection.order(sort)
        done = len(collection.entries)
        self.post_message(self.Indexed(collection, done, done, finished=True))
        job.result.save_first_screen(sort, [collection.entries[i] for i in order[:FIRST_SCREEN_ROWS]])
        job.result.records = {}  # only the first screen needed them: ~15 MB at 50,000 articles
        # Identities of every entry, here off the UI thread (~0.3 s at 50,000
        # articles): the unread count, the lookup by identity and the
        # bookmarks' re-linking all come from them.
        version, read = self._read_version, set(self.read)
        entries = collection.entries
        keys = [entry_key(entry) for entry in entries]
        counts = Counter(keys)
        unread = sum(n for key, n in counts.items() if key not in read)
        by_key = dict(zip(reversed(keys), reversed(entries), strict=True))
        try:
            self.store.relink(dict(zip(keys, (os.path.abspath(e.path) for e in entries), strict=True)))
        except sqlite3.Error:
            pass  # tried again next start; the bookmarks view finds it by identity meanwhile
        if not worker.is_cancelled:
            self.post_message(self.ReadState(collection, counts, by_key, unread, version, keys))
        search_index = SearchIndex(collection.entries)
        self.post_message(self.SearchReady(search_index, values=facet_values(collection.entries)))
        if worker.is_cancelled:
            return
        # The related-stories graph: title index, backlinks, story groups
        # (about a second at 50,000 articles, all here, none on the UI thread).
        collection.prepare()
        titles = collection.title_index()
        graph = Graph.build(collection.entries, collection.ref_targets(), titles.keys if titles else None)
        release_memory()  # the builds' temporary tables, back to the system
        if not worker.is_cancelled:
            self.post_message(self.GraphReady(collection, graph))

    @on(Indexed)
    def _indexed(self, event: Indexed) -> None:
        if event.error:
            self.say(f"Could not read the collection: {event.error}", severity="error")
        elif event.finished and event.collection is not None:
            self._loaded(event.collection)
        elif event.collection is not None:
            self._partial(event.collection, event.done, event.total)
            self._first_screen_total = event.total if event.first_screen else None
            self._update_subtitle()
            if event.first_screen and self._active_job is not None:
                # Once these rows are on screen, the index may use the interpreter.
                self.call_after_refresh(self._active_job.go)
        else:
            self._progress_only(event.done, event.total)

    @on(ReadState)
    def _read_state(self, event: ReadState) -> None:
        if event.collection is not self.collection:
            return  # a rescan or an edit replaced it meanwhile
        self.key_counts = event.counts
        self.by_key = event.by_key
        if event.keys is not None:
            self._entry_keys = (event.collection.entries, event.keys)
        self.unread = event.unread
        if event.read_version != self._read_version:  # (un)read meanwhile: count again, once
            self.unread = sum(n for key, n in event.counts.items() if key not in self.read)
        self._update_subtitle()
        if self._restore is not None:
            self._restore_position()

    @on(SearchReady)
    def _search_ready(self, event: SearchReady) -> None:
        if event.collection is None or event.collection is self.collection:
            self.facet_values = event.values
            self._index_ready(event.index)

    @on(GraphReady)
    def _graph_ready(self, event: GraphReady) -> None:
        if event.collection is not self.collection:
            return  # a rescan replaced it meanwhile
        self.graph = event.graph
        self._version_of.clear()
        entry = self.current_entry
        shown = entry is not None and self.detail.article is not None and self.detail.article.path == entry.path
        if event.graph.groups:
            # One row per story now; an article already shown stays as it is
            # (its scroll too): only its sidebar and version line change.
            self._keep_detail = entry if shown else None
            self._refill()
        if shown and entry is not None:
            self._update_sections(entry)
        # The graph, the title index and the story rows live as long as the
        # collection too: out of the collector's sight as well (a full
        # collection walking them stalled a frame now and then, ~30 ms).
        gc.freeze()
        # From now on, what use makes (rendered lines, mostly) is collected
        # in the pauses between a person's actions, not inside their frames.
        self.collector.start()

    @on(SimilarReady)
    def _similar_ready(self, event: SimilarReady) -> None:
        if event.entry is self.current_entry:
            self.related.set_section("similar", event.items)

    @on(FileRead)
    def _file_read(self, event: FileRead) -> None:
        if isinstance(event.article, LoadIssue):
            self._show_unreadable(event.entry, event.article)
        else:
            self._show_article(event.entry, event.article, event.related, event.related_total)

    def _progress_only(self, done: int, total: int) -> None:
        self.load_progress = (done, total)
        self._update_subtitle()
        self.article_list.empty_text = f"Reading {done:,} of {total:,} files…"
        self.article_list.refresh()

    def _partial(self, collection: Collection, done: int, total: int) -> None:
        """Part of the collection is known: show it while the rest is read."""
        self.load_progress = (done, total)
        self.collection = collection
        if self.graph is not None:  # (a rescan) built for the collection this one replaces: its indices mean nothing here
            self.graph = None
            self._version_of.clear()
        self.detail.display_path = collection.display_path
        self._refill()
        self.article_list.empty_text = f"Reading {done:,} of {total:,} files…"
        self.article_list.refresh()

    def _index_ready(self, search_index: SearchIndex) -> None:
        self.search_index = search_index
        # Everything loaded so far lives as long as the collection: move it out
        # of the garbage collector's sight, or each full collection walks
        # millions of objects and stalls a frame (~200 ms at 50,000 articles).
        gc.collect()
        gc.freeze()
        self.collector.slow_down()  # until the graph is built (then start())

    def _loaded(self, collection: Collection) -> None:
        self._first_screen_total = None
        self.graph = None
        self._version_of.clear()
        self.by_key = {}
        self.unread = None  # until its ReadState arrives
        rescan = self._loaded_once
        self._loaded_once = True
        self.load_progress = None
        before, self._before_rescan = self._before_rescan, set()
        self.collection = collection
        self.detail.display_path = collection.display_path
        self.article_list.empty_text = (
            "No articles here." if not collection.issues else "No articles could be read: press ! to see why."
        )
        self._refill()
        self._restore_position()
        if rescan:
            stats = collection.stats
            after = {entry.path for entry in collection.entries}
            self.say(
                f"{len(after - before):,} new, {stats.parsed:,} read again, {stats.removed:,} removed.",
                title="Rescanned",
                timeout=4,
            )
        if collection.stats.cache_problem and not rescan:
            self.say(collection.stats.cache_problem, title="Index cache", severity="warning", timeout=10)
        if collection.issues and not rescan:
            count = len(collection.issues)
            self.say(
                f"{count:,} file{'s' if count != 1 else ''} could not be read. Press ! to see which and why.",
                title="Issues",
                severity="warning",
            )
        if not collection.entries:
            self.detail.show_message("No articles to show.")

    def action_rescan(self) -> None:
        self._before_rescan = {entry.path for entry in self.collection.entries} if self.collection else set()
        self.search_index = None
        self._job = None
        self.say("Rescanning the collection…", timeout=2)
        self.collector.stop()  # reading the collection again: the collector's own pace meanwhile
        self.load()

    def _update_subtitle(self) -> None:
        if self.collection is None:
            return
        count = len(self.rows) if self._first_screen_total is None else self._first_screen_total
        parts = [f"{count:,} article{'s' if count != 1 else ''}"]
        if self._first_screen_total is None and count < len(self.collection.entries):
            # Stories told by several outlets take one row each.
            parts[0] = f"{count:,} stories ({len(self.collection.entries):,} articles)"
        if self.unread is not None and self.load_progress is None and self._first_screen_total is None:
            parts.append(f"{self.unread:,} unread")
        parts.append(SORT_LABELS[self.sort])
        if self._first_screen_total is not None:
            parts.append("checking for changes…")
        elif self.load_progress is not None:
            done, total = self.load_progress
            parts.insert(0, f"reading {done:,}/{total:,} files…")  # first: it still shows at 80 columns
        if self.collection.issues:
            parts.append(f"{len(self.collection.issues):,} issues (!)")
        self.sub_title = " · ".join(parts)

    def _refill(self, keep: Entry | None = None) -> None:
        """Recompute the rows from the collection, sort and filter."""
        collection = self.collection
        if collection is None:
            return
        current = keep or self.current_entry
        row_of: dict[str, int] = {}
        if self.graph is not None and self.graph.groups:
            rows, row_of = self._story_rows(collection, self.graph)
        else:
            rows = [collection.entries[i] for i in collection.order(self.sort)]
        self.rows = rows
        self._row_of = {entry.path: i for i, entry in enumerate(rows)}
        self._row_of.update(row_of)  # other versions of a story: its row
        cursor = 0
        if current is not None:
            for i, entry in enumerate(rows):
                if entry.path == current.path and entry.title == current.title:
                    cursor = i
                    break
        self.article_list.set_rows(rows, cursor)
        if not rows:
            self.detail.show_message("Nothing to show.")
            self.related.clear()
        self._update_subtitle()

    def _story_rows(self, collection: Collection, graph: Graph) -> tuple[list[Entry], dict[str, int]]:
        """One row per story: the first of its versions in the sort order; and
        the row of every other version (for going to it)."""
        assert self.collection is not None
        entries = collection.entries
        group_of = graph.group_of
        rows: list[Entry] = []
        first_row: dict[int, int] = {}
        others: dict[str, int] = {}
        for i in collection.order(self.sort):
            g = group_of.get(i)
            if g is not None:
                row = first_row.get(g)
                if row is not None:
                    others[entries[i].path] = row
                    continue
                first_row[g] = len(rows)
            rows.append(entries[i])
        return rows, others

    def _story_count(self, entry: Entry) -> int:
        """How many versions the story of a row has (1: told once)."""
        graph, collection = self.graph, self.collection
        if graph is None or collection is None:
            return 1
        i = collection.index_of(entry)
        g = graph.group_of.get(i) if i is not None else None
        return len(graph.groups[g]) if g is not None else 1

    # -- bookmarks and reading state ------------------------------------------------------
    def _is_marked(self, entry: Entry) -> bool:
        return entry_key(entry) in self.marked

    def _is_read(self, entry: Entry) -> bool:
        return entry_key(entry) in self.read

    def entry_for_key(self, key: str) -> Entry | None:
        """The entry of this collection with an identity (the lookup is built
        in the loading thread; if asked before it arrives, once here)."""
        if self.collection is None:
            return None
        if not self.by_key and self.collection.entries:
            self.by_key = {entry_key(e): e for e in reversed(self.collection.entries)}
        return self.by_key.get(key)

    def set_read(self, key: str, read: bool) -> None:
        """Mark one identity read or unread: the set, the count and the rows
        change at once; the write follows in a thread (see :meth:`save_state`)."""
        if (key in self.read) == read:
            return
        if read:
            self.read.add(key)
        else:
            self.read.discard(key)
        self._read_version += 1
        if self.unread is not None:
            self.unread += -self.key_counts[key] if read else self.key_counts[key]
        self._pending[key] = read
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_soon)
        self.article_list.refresh_rows()
        self._update_subtitle()

    def _save_soon(self) -> None:
        self._save_timer = None
        self.save_state()

    def _position(self) -> Position | None:
        """Where the reader is now (the last known place once the widgets are gone)."""
        try:
            entry = self.current_entry
            scroll = float(self.detail.scroll_y)
        except NoMatches:  # unmounting: the app saved it on the way out (ReaderApp.action_quit)
            return self._last_position
        if entry is None or self.collection is None or self._restore is not None:
            return self._last_position  # (not loaded yet: keep what was saved)
        self._last_position = Position(entry_key(entry), entry.path, scroll)
        return self._last_position

    def save_state(self, final: bool = False) -> None:
        """Write the reading state gathered so far and where the reader is:
        in a thread while running, at once (on the way out) when quitting."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        pending, self._pending = self._pending, {}
        position = self._position()
        if final:
            self._write_state(pending, position)
        elif pending or position is not None:
            self._write_state_in_thread(pending, position)

    def _write_state(self, pending: dict[str, bool], position: Position | None) -> str:
        """The writes; "" when they were made, else why not."""
        try:
            self.store.set_read([k for k, read in pending.items() if read], True)
            self.store.set_read([k for k, read in pending.items() if not read], False)
            if position is not None:
                self.store.save_position(self._collection_id, position)
        except sqlite3.Error as exc:
            return str(exc) or type(exc).__name__
        return ""

    @work(thread=True, group="state")
    def _write_state_in_thread(self, pending: dict[str, bool], position: Position | None) -> None:
        error = self._write_state(pending, position)
        if error:
            self.post_message(self.SaveFailed(error))

    @on(SaveFailed)
    def _save_failed_said(self, event: SaveFailed) -> None:
        if not self._save_failed:  # said once, not at every article
            self._save_failed = True
            self.say(f"The reading state could not be saved: {event.error}", title="Bookmarks", severity="error")

    def _restore_position(self) -> None:
        """Reopen on the article (and scroll offset) the reader was at last time."""
        position = self._restore
        if position is None or self.collection is None:
            return
        entry = self.collection.by_path(position.path)
        if entry is None or entry_key(entry) != position.key:
            if not self.by_key and self.unread is None:
                return  # the file moved: looked up by identity once that lookup arrives
            entry = self.by_key.get(position.key)
        self._restore = None
        row = self._row_of.get(entry.path) if entry is not None else None
        if entry is None or row is None:
            return
        if position.scroll > 0:
            self._restore_scroll = (entry, position.scroll)
        self.article_list.cursor = row

    def _apply_scroll(self, entry: Entry, scroll: float, tries: int = 20) -> None:
        """Scroll the detail to a saved offset once the body is laid out that far."""
        if entry is not self.current_entry:
            return
        detail = self.detail
        if detail.max_scroll_y >= scroll or tries <= 0 or (detail._body_task is None and tries < 18):
            detail.scroll_to(y=scroll, animate=False, immediate=True)
        else:
            self.set_timer(0.05, lambda: self._apply_scroll(entry, scroll, tries - 1))

    def _read_later(self, entry: Entry) -> None:
        """Count the article as read once its detail has stayed on screen a moment
        (moving through the list with a key held reads nothing)."""
        if self._read_timer is not None:
            self._read_timer.stop()

        def done() -> None:
            self._read_timer = None
            if entry is self.current_entry:
                self.set_read(entry_key(entry), True)

        self._read_timer = self.set_timer(READ_AFTER, done)

    def _related_marked(self, item: RelatedItem) -> bool:
        if item.local is not None:
            return entry_key(item.local) in self.marked
        assert item.related is not None
        return Bookmark.from_related(item.related).key in self.marked

    # -- what is current ---------------------------------------------------------------
    @property
    def current_entry(self) -> Entry | None:
        """The article shown: the row under the cursor, or the version of its
        story chosen with v / V."""
        rows = self.rows
        if not rows:
            return None
        cursor = self.article_list.cursor
        if not 0 <= cursor < len(rows):
            return None
        entry = rows[cursor]
        if self._version_of and self.graph is not None and self.collection is not None:
            i = self.collection.index_of(entry)
            g = self.graph.group_of.get(i) if i is not None else None
            chosen = self._version_of.get(g) if g is not None else None
            if chosen is not None:
                return self.collection.entries[chosen]
        return entry

    def _versions(self, entry: Entry) -> list[int]:
        """Entry indices of every version of the entry's story (just itself
        when it is told once, or not known yet)."""
        collection, graph = self.collection, self.graph
        i = collection.index_of(entry) if collection is not None else None
        if i is None:
            return []
        return graph.versions(i) if graph is not None else [i]

    def _related_has_focus(self) -> bool:
        return self.related.options.has_focus and self.related.current is not None

    # -- showing an article ----------------------------------------------------------
    @on(VirtualList.Highlighted, "#article-list")
    def _highlighted(self, event: VirtualList.Highlighted) -> None:
        """Show the article under the cursor: at once after a pause, and
        while a key is held down, once the cursor rests (a trailing throttle),
        so the list never waits for the detail pane."""
        if not 0 <= event.index < len(self.rows):
            return
        if event.moved:
            self._keep_detail = None  # only a refill's own highlight keeps the detail
            if self._restore is not None:
                self._restore = None  # the user moved before the collection was read: stay there
        now = time.monotonic()
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if not event.moved or now - self._last_move >= FOLLOW_DELAY * 2:
            # After the next paint: the cursor shows at once, the article a frame later.
            if not self._follow_pending:
                self._follow_pending = True
                self.call_after_refresh(self._follow_cursor)
        else:
            self._detail_timer = self.set_timer(FOLLOW_DELAY, self._follow_cursor)
        if event.moved:
            self._last_move = now

    def _follow_cursor(self) -> None:
        self._detail_timer = None
        self._follow_pending = False
        entry = self.current_entry
        keep, self._keep_detail = self._keep_detail, None
        opened, self._opened = self._opened, None
        if entry is not None and entry is not keep and entry is not opened:
            self.show_entry(entry)

    @on(VirtualList.Selected, "#article-list")
    def _selected(self, event: VirtualList.Selected) -> None:
        entry = self.current_entry
        if entry is not None:
            self._visit(entry)
        self.detail.focus()

    def show_entry(self, entry: Entry) -> None:
        try:
            small = os.stat(entry.path).st_size <= INLINE_READ_BYTES
        except OSError:
            small = True  # read_article says what is wrong
        if small:
            # A typical article (a few KB) reads and parses in about a
            # millisecond: here, with no thread hop before it is painted.
            article = _read_article(entry.path)
            if isinstance(article, LoadIssue):
                self._show_unreadable(entry, article)
            else:
                items = self._related_items(article)
                self._show_article(entry, article, items, len(article.related))
        else:
            self._read_entry(entry)

    @work(thread=True, exclusive=True, group="detail")
    def _read_entry(self, entry: Entry) -> None:
        """Read the whole file off the UI thread: a 30 MB file never freezes the keys."""
        article = _read_article(entry.path)
        if get_current_worker().is_cancelled:
            return
        if isinstance(article, LoadIssue):
            self.post_message(self.FileRead(entry, article, [], 0))
            return
        items = self._related_items(article)
        if not get_current_worker().is_cancelled:
            self.post_message(self.FileRead(entry, article, items, len(article.related)))

    def _related_items(self, article: Article) -> list[RelatedItem]:
        collection = self.collection
        return [RelatedItem(rel, collection.resolve(rel) if collection else None) for rel in article.related[:MAX_RELATED]]

    def _show_unreadable(self, entry: Entry, issue: LoadIssue) -> None:
        if entry is self.current_entry:
            self.detail.show_message(
                f"{entry.title}\n\nCannot show this file now: {issue.reason}\n{self.detail.display_path(issue.path)}"
            )
            self.related.clear()

    def _show_article(self, entry: Entry, article: Article, items: list[RelatedItem], total: int) -> None:
        if entry is not self.current_entry:
            return  # the cursor moved on while the file was read
        sections, versions, position = self._sections(entry)
        key = entry_key(entry)
        bookmark = self.store.get(key) if key in self.marked else None
        finder = self._finder
        if finder is not None and self._find_path is not None and self._find_path != article.path:
            self.action_clear_find()  # the jump box's query was for the article it opened
            finder = None
        with self.app.batch_update():
            self.detail.show_article(article, bookmark, versions=position, finder=finder)
            self.related.set_items(items, total, **sections)
        self._read_later(entry)
        if self._restore_scroll is not None:
            restore, self._restore_scroll = self._restore_scroll, None
            if restore[0] is entry:
                self.call_after_refresh(self._apply_scroll, entry, restore[1])
        # "More like this" is a thread's ~10 ms of Python: started once the
        # article is painted, so it never competes with that frame for the
        # interpreter (and a held key starts none).
        if self._similar_timer is not None:
            self._similar_timer.stop()
        self._similar_timer = self.set_timer(SIMILAR_DELAY, partial(self._similar_later, entry, versions))

    def _similar_later(self, entry: Entry, versions: list[int]) -> None:
        self._similar_timer = None
        article = self.detail.article
        if article is None or article.path != entry.path:
            return  # another article is shown by now
        if self.search_index is not None and self.graph is not None:
            self._find_similar(entry, versions)

    def _sections(self, entry: Entry) -> tuple[dict[str, list[RelatedItem] | None], list[int], tuple[int, int] | None]:
        """The sidebar's Cited by and Versions of an article (dictionary
        lookups), its versions, and which of them it is."""
        collection, graph = self.collection, self.graph
        sections: dict[str, list[RelatedItem] | None] = {}
        versions = self._versions(entry)
        position = None
        if collection is not None and graph is not None:
            i = collection.index_of(entry)
            entries = collection.entries
            sections["cited"] = [RelatedItem(None, entries[j], "cited") for j in graph.citing(i)] if i is not None else []
            if len(versions) > 1:
                sections["versions"] = [RelatedItem(None, entries[j], "versions", current=j == i) for j in versions]
                position = (versions.index(i) + 1, len(versions)) if i in versions else None
        return sections, versions, position

    def _update_sections(self, entry: Entry) -> None:
        """The graph is ready: the sections of the article already shown."""
        sections, versions, position = self._sections(entry)
        for name, items in sections.items():
            self.related.sections[name] = items
        self.related.refresh_items()
        self.detail.set_versions(position)
        if self.search_index is not None:
            self._find_similar(entry, versions)

    @work(thread=True, exclusive=True, group="similar")
    def _find_similar(self, entry: Entry, versions: list[int]) -> None:
        """More like this, off the UI thread (~10 ms at 50,000 articles)."""
        search_index, collection = self.search_index, self.collection
        if search_index is None or collection is None or search_index.entries is not collection.entries:
            return
        i = collection.index_of(entry)
        if i is None:
            return
        found = more_like_this(search_index, i, limit=16, exclude=versions)
        graph = self.graph
        if graph is not None:  # one version of each story is enough
            stories: set[int] = set()
            kept = []
            for j in found:
                g = graph.group_of.get(j)
                if g is None or g not in stories:
                    kept.append(j)
                    if g is not None:
                        stories.add(g)
            found = kept
        if not get_current_worker().is_cancelled:
            entries = collection.entries
            self.post_message(self.SimilarReady(entry, [RelatedItem(None, entries[j], "similar") for j in found[:8]]))

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
        current = self.current_entry
        if current is not None and current.path != entry.path:
            self._visit(current)
        self.go_to(entry)
        self._visit(entry)

    def _visit(self, entry: Entry) -> None:
        self.history.visit(entry)
        self._update_breadcrumb()

    def go_to(self, entry: Entry) -> bool:
        """Move the list cursor to an entry; False if it is not in the list.
        A version of a story shows in its story's row."""
        i = self._row_of.get(entry.path)
        if i is None:
            return False
        before = self.current_entry
        self._choose_version(entry)
        if self.article_list.cursor != i:
            self.article_list.cursor = i
            current = self.current_entry
            if current is not None:
                # Opened, not browsed to: the article is painted in the same
                # frame as the list's jump (arrow keys paint the list first).
                self._opened = current
                self.show_entry(current)
        elif before is not self.current_entry and self.current_entry is not None:
            self.show_entry(self.current_entry)
        self.article_list.focus()
        return True

    def _choose_version(self, entry: Entry) -> None:
        collection, graph = self.collection, self.graph
        if collection is None or graph is None:
            return
        i = collection.index_of(entry)
        g = graph.group_of.get(i) if i is not None else None
        if g is not None and i is not None:
            self._version_of[g] = i

    def _show_version(self, entry: Entry) -> None:
        """Show another version of the current story, in place."""
        self._choose_version(entry)
        current = self.current_entry
        if current is not None:
            self.show_entry(current)

    # -- walking ---------------------------------------------------------------------------
    def action_back(self) -> None:
        current = self.current_entry
        if current is not None and self.history.current is not None and current.path != self.history.current.path:
            self._visit(current)  # back returns to where one was before wandering off
        entry = self.history.back()
        if entry is None:
            self.say("Nothing to go back to: open a story (Enter, /, or the sidebar) first.", timeout=2)
            return
        self.go_to(entry)
        self._update_breadcrumb()

    def action_forward(self) -> None:
        entry = self.history.forward()
        if entry is None:
            self.say("Nothing ahead: you are at the newest step.", timeout=2)
            return
        self.go_to(entry)
        self._update_breadcrumb()

    def _update_breadcrumb(self) -> None:
        bar = self.query_one("#breadcrumb", Static)
        if len(self.history.items) < 2:
            bar.display = False
            return
        # Each title gets its share of the bar, at least 10 cells: fewer steps
        # are shown (the farthest from here first) so the current one always shows.
        width = max(bar.size.width or self.detail.size.width or 60, 30) - 2
        before, after = 4, 2
        while True:
            trail, here = self.history.trail(before, after)
            start = self.history.position - here
            ends = (4 if start > 0 else 0) + (4 if start + len(trail) < len(self.history.items) else 0)
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
            text.append("… › ", "dim")
        for k, entry in enumerate(trail):
            if k:
                text.append(" › ", "dim")
            title = fit_cells(entry.title, share)
            text.append(title, "bold reverse" if k == here else "")
        if start + len(trail) < len(self.history.items):
            text.append(" › …", "dim")
        bar.update(text)
        bar.display = True

    def action_next_version(self) -> None:
        self._step_version(1)

    def action_previous_version(self) -> None:
        self._step_version(-1)

    def _step_version(self, step: int) -> None:
        entry = self.current_entry
        if entry is None:
            return
        versions = self._versions(entry)
        if len(versions) < 2:
            self.say("This story is told once here: no other versions.", timeout=2)
            return
        assert self.collection is not None
        i = self.collection.index_of(entry)
        k = versions.index(i) if i in versions else 0
        target = self.collection.entries[versions[(k + step) % len(versions)]]
        self._show_version(target)
        self.say(
            f"Version {versions.index(self.collection.index_of(target)) + 1} of {len(versions)}: {target.provider or target.domain or target.title}",
            timeout=2,
        )

    # -- actions ---------------------------------------------------------------------------
    def action_jump(self, query: str = "") -> None:
        def chosen(choice: JumpChoice | None) -> None:
            if choice is None:
                return
            entry = choice.entry
            finder = Finder.from_query(choice.query)
            if finder:
                # The query comes along: its words marked in the article, n / N to step.
                self._finder, self._find_path = finder, entry.path
                self.find_bar.open(choice.query, label="Query", focus=False)
            elif self._find_path is not None:
                self.action_clear_find()
            shown = self.detail.article
            self.open_entry(entry)
            if finder and shown is not None and shown.path == entry.path and self.current_entry is entry:
                self.detail.set_find(finder)  # already shown: not shown again, marked now

        if self.sort == "date":
            recent = self.rows[:50]
        else:
            recent = [self.collection.entries[i] for i in self.collection.order("date")[:50]] if self.collection else []
        self.app.push_screen(
            JumpScreen(
                lambda: self.search_index,
                recent,
                query,
                marks=self.search_marks,
                queries=self.queries,
                values=self._completion_values,
            ),
            chosen,
        )

    @property
    def queries(self) -> QueryStore | None:
        return getattr(self.app, "queries", None)

    def _completion_values(self) -> dict[str, list[str]] | None:
        return self.facet_values  # computed in the loading thread, with the search index

    def search_marks(self) -> _Marks | None:
        """What is:bookmarked and is:unread need: entry indices of the search
        index's entries. Lazy: computed when a query first asks, and again only
        after a bookmark or the reading state changed."""
        index = self.search_index
        if index is None:
            return None
        return _Marks(self, index.entries)

    def _mark_sets(self, entries: object) -> dict[str, set[int]]:
        version = (id(entries), self._read_version, self._marked_version)
        cached = self._marks_cache
        if cached is not None and cached[0] == version:
            return cached[1]
        if self._entry_keys is None or self._entry_keys[0] is not entries:
            self._entry_keys = (entries, [entry_key(e) for e in entries])  # type: ignore[attr-defined]
        sets = facet_marks(self._entry_keys[1], self.marked, self.read)
        self._marks_cache = (version, sets)
        return sets

    def action_views(self) -> None:
        queries = self.queries
        if queries is None:
            return

        def chosen(view: View | None) -> None:
            if view is not None:
                self.action_jump(view.query)

        self.app.push_screen(ViewsScreen(queries), chosen)

    # -- find in the article -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step_match":
            return self._finder is not None and self.find_bar.shown  # else n / N are free, and not in the footer
        if action == "clear_find":
            return self.find_bar.shown
        return True

    def action_find(self) -> None:
        """ctrl+f: the find bar, with the words marked now (if any) to edit."""
        text = self.find_bar.input.value if self.find_bar.shown else ""
        self._find_path = None  # typed here: stays for every article until Esc
        self.find_bar.open(text, label="Find")
        self.refresh_bindings()

    def action_step_match(self, step: int) -> None:
        if self.detail.match_count == 0:
            self.say("No match in this article.", timeout=2)
            return
        self.detail.step_match(step)

    def action_clear_find(self) -> None:
        self._finder, self._find_path = None, None
        focused = self.app.focused
        self.find_bar.hide()
        self.detail.set_find(None)
        if focused is None or focused is self.find_bar.input:
            self.detail.focus()
        self.refresh_bindings()

    @on(FindBar.Changed)
    def _find_typed(self, event: FindBar.Changed) -> None:
        finder = Finder.from_query(event.text)
        self._finder = finder if finder else None
        self._find_path = None
        self.detail.set_find(self._finder)
        self.refresh_bindings()

    @on(FindBar.Step)
    def _find_step(self, event: FindBar.Step) -> None:
        self.detail.step_match(event.step)

    @on(FindBar.Done)
    def _find_done(self) -> None:
        self.detail.focus()
        if not self.find_bar.input.value.strip():
            self.action_clear_find()

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.action_clear_find()

    @on(DetailPane.Matches)
    def _matches(self, event: DetailPane.Matches) -> None:
        self.find_bar.set_count(event.current, event.total)

    def action_cycle_sort(self) -> None:
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]

    def watch_sort(self) -> None:
        self._refill()
        self.say(f"Sorted by {SORT_LABELS[self.sort]}", timeout=2)

    def action_show_bookmarks(self) -> None:
        self.app.push_screen(BookmarksScreen(self))

    def _bookmark_here(self) -> tuple[Bookmark, str] | None:
        """The bookmark (stored, or new) of the focused thing, and its title."""
        if self._related_has_focus():
            item = self.related.current
            assert item is not None
            if item.local is not None:
                bookmark = Bookmark.from_entry(item.local)
            else:
                assert item.related is not None
                bookmark = Bookmark.from_related(item.related)
            return self.store.get(bookmark.key) or bookmark, item.title
        entry = self.current_entry
        if entry is None:
            return None
        return self.store.get(entry_key(entry)) or Bookmark.from_entry(entry), entry.title

    def bookmarks_changed(self) -> None:
        """The store changed elsewhere (bookmarks view, dialog): show it."""
        self.marked = self.store.keys()
        self._marked_version += 1
        self.article_list.refresh_rows()
        self.related.refresh_items()
        entry = self.current_entry
        if entry is not None and self.detail.article is not None and self.detail.article.path == entry.path:
            key = entry_key(entry)
            self.detail.set_bookmark(self.store.get(key) if key in self.marked else None)

    def action_edit_tags(self) -> None:
        here = self._bookmark_here()
        if here is None:
            return
        bookmark, _ = here

        def saved(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            tags, note = result
            try:
                self.store.set_details(bookmark, tags, note)
            except sqlite3.Error as exc:
                self.say(f"Could not save the bookmark: {exc}", title="Bookmarks", severity="error")
                return
            self.bookmarks_changed()
            self.say("Saved the tags and note (bookmarked).", timeout=2)

        self.app.push_screen(TagsDialog(bookmark, self.store.tags()), saved)

    def action_toggle_read(self) -> None:
        entry = self.current_entry
        if entry is None:
            return
        if self._read_timer is not None:
            self._read_timer.stop()  # pressing u is the user's say: the timer must not undo it
            self._read_timer = None
        key = entry_key(entry)
        now = key not in self.read
        self.set_read(key, now)
        self.say("Marked read." if now else "Marked unread.", timeout=2)

    def action_toggle_bookmark(self) -> None:
        here = self._bookmark_here()
        if here is None:
            return
        bookmark, title = here
        try:
            now = self.store.toggle(bookmark)
        except sqlite3.Error as exc:
            self.say(f"Could not save the bookmark: {exc}", title="Bookmarks", severity="error")
            return
        self.bookmarks_changed()
        short = title if len(title) <= 80 else title[:79] + "…"
        self.say(("Bookmarked: " if now else "Removed bookmark: ") + short, timeout=2)

    def action_toggle_raw(self) -> None:
        shown = self.detail.toggle_raw()
        if shown and self.detail.article is None:
            self.say("No front matter to show here.", timeout=2)

    def action_body_part(self, step: int) -> None:
        """> / <: the next or previous part of a long body."""
        if self.detail.article is None or self.detail.show_part(step):
            return
        if not self.detail.in_parts:
            self.say("This article's body is shown whole.", timeout=2)
        else:
            self.say("This is the last part." if step > 0 else "This is the first part.", timeout=2)

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar

    def watch_show_sidebar(self, show: bool) -> None:
        self.related.display = show
        # Below SIDEBAR_MIN_WIDTH columns a sidebar the user asked for takes
        # the detail pane's place instead of squeezing it.
        self.set_class(show and not self._auto_width, "-sidebar-instead")

    def on_resize(self) -> None:
        self._apply_width(self.size.width)
        if self.query_one("#breadcrumb").display:
            # Its titles share the bar's width: made again once it has its new size.
            self.call_after_refresh(self._update_breadcrumb)

    def _apply_width(self, width: int) -> None:
        wide = width >= SIDEBAR_MIN_WIDTH
        if wide != self._auto_width:
            self._auto_width = wide
            shown = wide and self.settings.sidebar
            self.show_sidebar = shown
            self.related.display = shown
            self.set_class(False, "-sidebar-instead")

    def _current_url(self) -> tuple[str, str]:
        """(url, what) for the focused thing: a related entry or the article."""
        if self._related_has_focus():
            item = self.related.current
            assert item is not None
            return item.url, item.title
        entry = self.current_entry
        if entry is None:
            return "", ""
        return entry.url, entry.title

    def action_open_url(self) -> None:
        url, _ = self._current_url()
        if not url:
            self.say("This article has no URL.", severity="warning")
        elif not is_openable(url):
            self.say(f"Not opening {url!r}: only http and https links are opened.", severity="warning")
        else:
            self.app.open_url(url)
            self.say(f"Opening {url}", timeout=2)

    def action_copy_url(self) -> None:
        url, _ = self._current_url()
        if not url:
            self.say("This article has no URL.", severity="warning")
            return
        self.app.copy_to_clipboard(url)
        self.say(f"Copied {url}", timeout=2)

    def action_copy_link(self) -> None:
        url, title = self._current_url()
        if not url:
            self.say("This article has no URL: there is no link to copy.", severity="warning")
            return
        link = markdown_link(title, url)
        self.app.copy_to_clipboard(link)
        self.say(f"Copied {fit_cells(link, 100)}", title="Markdown link", timeout=3)

    # -- all links of the article --------------------------------------------------------
    def action_links(self) -> None:
        article = self.detail.article
        entry = self.current_entry
        if article is None or entry is None or article.path != entry.path:
            self.say("No article shown: no links to list.", severity="warning")
            return
        self._find_links(article)

    @work(thread=True, exclusive=True, group="links")
    def _find_links(self, article: Article) -> None:
        """Parsing a long Markdown body takes a moment: off the UI thread."""
        links = article_links(article)
        if not get_current_worker().is_cancelled:
            self.post_message(self.LinksFound(article, links))

    @on(LinksFound)
    def _links_found(self, event: LinksFound) -> None:
        if not event.links:
            self.say("This article has no links or images.", timeout=3)
            return
        self.app.push_screen(LinksScreen(event.article.title, event.links))

    # -- editing the file ----------------------------------------------------------------
    def action_edit(self) -> None:
        entry = self.current_entry
        if entry is None or not entry.path:
            self.say("No file to edit here.", severity="warning")
            return
        try:
            if self.app.is_headless:  # tests: no terminal to hand over
                status = run_editor(entry.path)
            else:
                with self.app.suspend():
                    status = run_editor(entry.path)
        except EditorError as exc:
            self.say(str(exc), title="Editor", severity="error")
            return
        except SuspendNotSupported:
            self.say("This terminal cannot hand the screen over to an editor.", title="Editor", severity="error")
            return
        if status != 0:
            self.say(f"The editor exited with status {status}.", title="Editor", severity="warning", timeout=4)
        self.reload_entry(entry)

    def reload_entry(self, entry: Entry) -> None:
        """Read one file again: its row, the sort, the search and the detail follow."""
        self._reload(entry, self.collection, self.sort)

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, entry: Entry, collection: Collection | None, sort: str) -> None:
        """Off the UI thread: a 50,000-article collection takes a moment to re-sort."""
        article = _read_article(entry.path)
        if isinstance(article, LoadIssue):
            self.post_message(self.Reloaded(entry, article, None, None))
            return
        new = article.to_entry()
        updated = collection.with_entry(entry.path, new) if collection is not None else None
        if updated is not None:
            updated.order(sort)
        self.post_message(self.Reloaded(entry, new, collection, updated))
        if updated is not None:
            self.post_message(self.SearchReady(SearchIndex(updated.entries), updated, facet_values(updated.entries)))

    @on(Reloaded)
    def _reloaded(self, event: Reloaded) -> None:
        if isinstance(event.new, LoadIssue):
            self.say(f"After editing, the file cannot be read: {event.new.reason}", severity="error")
            if self.current_entry is not None and self.current_entry.path == event.old.path:
                self._show_unreadable(self.current_entry, event.new)
            return
        if event.updated is not None and event.source is self.collection:
            self.collection = event.updated
            old_key, new_key = entry_key(event.old), entry_key(event.new)
            if old_key != new_key:  # the edit changed its identity: the counts follow
                self.key_counts[old_key] -= 1
                self.key_counts[new_key] += 1
                if self.unread is not None:
                    self.unread += (old_key in self.read) - (new_key in self.read)
            if self.by_key:
                if self.by_key.get(old_key) is event.old:
                    del self.by_key[old_key]
                self.by_key.setdefault(new_key, event.new)
            self._refill(keep=event.new)
        current = self.current_entry
        if current is not None:
            self.show_entry(current)
        self.say(f"Reloaded {fit_cells(event.new.title, 80)}", timeout=2)

    def action_show_issues(self) -> None:
        if self.collection is None:
            self.app.push_screen(IssuesScreen([]))
        else:
            self.app.push_screen(IssuesScreen(self.collection.issues, self.collection.display_path))


class _Marks(Mapping[str, set[int]]):
    """``marks`` for the search: the sets are made only when a query asks."""

    def __init__(self, screen: MainScreen, entries: object) -> None:
        self._screen = screen
        self._entries = entries

    def __getitem__(self, name: str) -> set[int]:
        return self._screen._mark_sets(self._entries)[name]

    def __iter__(self) -> Iterator[str]:
        return iter(("bookmarked", "unread"))

    def __len__(self) -> int:
        return 2


def _read_article(path: str) -> Article | LoadIssue:
    # Imported on first use: the YAML parser is not needed for the first paint.
    from tui.core.loader import read_article

    return read_article(path)


__all__ = ["MainScreen", "entry_key"]  # entry_key lives in tui.core.bookmarks
