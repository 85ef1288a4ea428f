"""The main screen: the article list, the article view and the related sidebar, wired together.

What lives where:

* the state of reading (rows, reading state, bookmarks, facet sets, the
  place to reopen at) is a :class:`~tui.core.session.ReadingSession`, with
  no Textual in it;
* loading is :func:`~tui.core.loading.load_stages`: a thread worker here
  only posts each stage as a message, and the handlers swap it in;
* the list, the article view and the sidebar are kept in step by the
  :class:`~tui.ui.widgets.panes.ReadingPanes` (which article is shown, going
  from story to story, the layout); the article, its find bar and the
  breadcrumb are the :class:`~tui.ui.widgets.article_view.ArticleView`;
  "more like this" is looked up by the sidebar itself.

This screen keeps the keys, the compose, and the handlers between them: a
key or a message in, the session asked or told, the panes shown what it
says. Bookmark changes made anywhere arrive through the app's
``bookmarks_changed`` signal (:mod:`tui.ui.signals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Header
from textual.worker import get_current_worker

from tui.core.bookmarks import Bookmark, BookmarkStore, Position, entry_key
from tui.core.collection import SORT_CYCLE, SORT_LABELS, Collection
from tui.core.index import IndexJob
from tui.core.loading import (
    Failed,
    Identified,
    Loaded,
    Partial,
    Progress,
    RelatedBuilt,
    Reloaded,
    Searchable,
    Stage,
    load_stages,
)
from tui.core.model import Entry
from tui.core.opening import EarlyOpen, open_queried, update_queried
from tui.core.queried import Counted, Opened, QueriedSession, wanted
from tui.core.queries import QueryStore, View
from tui.core.session import ReadingSession
from tui.core.settings import Settings
from tui.ui import bookmarking, editing, outside
from tui.ui.elsewhere import StoreFollower
from tui.ui.follow import FolderFollower
from tui.ui.screens.bookmarks import BookmarksScreen, edit_bookmark
from tui.ui.screens.issues import IssuesScreen
from tui.ui.screens.jump import JumpChoice, JumpScreen
from tui.ui.screens.links import LinksScreen
from tui.ui.screens.list_keys import ListKeys
from tui.ui.screens.views import ViewsScreen
from tui.ui.signals import bookmarks_changed
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.footer import ReaderFooter
from tui.ui.widgets.panes import ReadingPanes

SAVE_DELAY = 1.0  # reading-state writes are gathered this long, then written in a thread


class MainScreen(ListKeys):
    HELP_SECTION = "Reading"
    HELP_ORDER = 10
    # Every binding has an id: the [keys] table of the settings remaps it, and
    # the help lists it (with the tooltip as its longer text).
    BINDINGS = [
        # A priority binding acts as the key arrives, before the keys typed
        # after it are handed out: "/jpan" typed in one go all lands in the box.
        Binding("slash", "jump", "Jump", tooltip="jump: fuzzy-find any story (typos welcome)", id="jump"),
        # [ and ] reach every terminal as themselves (tmux, macOS Terminal,
        # iTerm2); alt+arrows and backspace are there for those used to them.
        # Early in the list: the footer shows them at 80 columns too.
        Binding("left_square_bracket,alt+left,backspace", "back", "Back", tooltip="back to the article opened before", id="back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", tooltip="forward again", id="forward"),
        Binding("s", "cycle_sort", "Sort", tooltip="sort: newest, oldest, title, provider, quality, heat", id="sort"),
        Binding("b", "toggle_bookmark", "Bookmark", tooltip="bookmark / un-bookmark the article or related story", id="bookmark"),
        Binding("B", "show_bookmarks", "Bookmarks", tooltip="bookmarks: newest first with tags; filter by tag, open", id="bookmarks"),
        Binding("t", "edit_tags", "Tags", show=False, tooltip="tags and note of the bookmark (bookmarks the article)", id="edit_tags"),
        Binding("u", "toggle_read", "Unread", show=False, tooltip="mark read / unread (an article shown a moment is read)", id="toggle_read"),
        Binding("f", "toggle_raw", "Raw", tooltip="show / hide the raw front matter", id="raw"),
        Binding("greater_than_sign", "body_part(1)", "Next part", show=False, tooltip="next part of a long body (256 KiB each)", id="next_part"),
        Binding("less_than_sign", "body_part(-1)", "Previous part", show=False, tooltip="previous part of a long body", id="previous_part"),
        Binding("r", "toggle_sidebar", "Related", tooltip="show / hide the related sidebar", id="sidebar"),
        Binding("o", "open_url", "Open", tooltip="open the URL in the browser (http and https only)", id="open_url"),
        Binding("O", "links", "Links", show=False, tooltip="every link and image of the article: open one", id="links"),
        Binding("y", "copy_url", "Copy URL", show=False, tooltip="copy the URL", id="copy_url"),
        Binding("c", "copy_link", "Copy link", show=False, tooltip="copy the article as a Markdown link [title](url)", id="copy_link"),
        Binding("e", "edit", "Edit", show=False, tooltip="edit the article's file in $EDITOR, then show it again", id="edit"),
        Binding("exclamation_mark", "show_issues", "Issues", tooltip="Issues: files that could not be read, and why", id="issues"),
        Binding("R", "rescan", "Rescan", show=False, tooltip="rescan the collection (new, changed, removed files)", id="rescan"),
        Binding("tab", "app.focus_next", "Next pane", show=False, tooltip="next pane: list, detail, related", id="focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, tooltip="previous pane", id="focus_previous"),
        # Shown in the detail pane of a story told several times, not in the footer.
        Binding("v", "next_version", "Version", show=False, tooltip="next version of a story told by several outlets", id="next_version"),
        Binding("V", "previous_version", "Previous version", show=False, tooltip="previous version of the story", id="previous_version"),
        # Find in the open article; n / N and Esc only act (and show) while words are found.
        Binding("w", "views", "Views", show=False, tooltip="saved views: filter the list with one, delete one", id="views"),
        Binding("ctrl+f", "find", "Find", show=False, tooltip="find words in the open article", id="find"),
        Binding("n", "step_match(1)", "Next match", tooltip="next match of the query or find in the article", id="next_match"),
        Binding("N", "step_match(-1)", "Prev match", tooltip="previous match in the article", id="previous_match"),
        Binding("escape", "clear_find", "Clear marks", tooltip="clear the marked words and close the find bar", id="clear_find"),
        ListKeys.CLEAR_FILTER,
    ]

    # Messages from the thread workers: post_message is thread-safe and never
    # blocks, so a worker can never hang on a UI that is shutting down.
    @dataclass
    class Staged(Message):
        """A stage of loading (or of reloading an edited file), see tui.core.loading."""

        stage: Stage

    @dataclass
    class LoadPhase(Message):
        """How far loading is, for the app's pacing of the garbage collector:
        "painted" (the first frame), "searchable", "complete" (the graph too)
        or "rescanning"."""

        phase: str

    @dataclass
    class SaveFailed(Message):
        error: str

    sort: reactive[str] = reactive("date", init=False)

    def __init__(
        self, roots: list[Path], store: BookmarkStore, job: IndexJob | EarlyOpen | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.set_reactive(MainScreen.sort, self.settings.sort)
        self.roots = roots
        self.store = store
        # A collection too big to load is read from its index as it is shown (tui/core/queried.py).
        self.queried = isinstance(job, EarlyOpen) or (job is None and wanted(roots))
        self.session = (QueriedSession if self.queried else ReadingSession)(store, roots, self.settings.sort)
        self._job = job  # an index job started before the UI (see cli.run_reader)
        self._active_job: IndexJob | EarlyOpen | None = None
        self._first_screen_shown = False  # last run's rows shown from on_mount, before the load worker ran
        self._loaded_once = False
        self._before_rescan: set[str] = set()  # paths known when R was pressed
        self._save_timer: Timer | None = None
        self._save_failed = False
        self._removals = bookmarking.Removals()  # bookmarks removed with b: b again puts one back

    def compose(self) -> ComposeResult:
        yield Header()
        yield ReadingPanes(self.session, self.settings, id="panes")
        yield FolderFollower()  # new, changed and removed files show by themselves (tui/ui/follow.py)
        yield StoreFollower()  # what other processes write to the user database shows (tui/ui/elsewhere.py)
        yield ReaderFooter()

    @property
    def panes(self) -> ReadingPanes:
        return self.query_one(ReadingPanes)

    @property
    def current_entry(self) -> Entry | None:
        """The article shown: the row under the cursor, or the version of its story chosen with v / V."""
        return self.panes.current_entry

    @property
    def queries(self) -> QueryStore | None:
        return getattr(self.app, "queries", None)

    def on_mount(self) -> None:
        self.panes.article_list.focus()
        self.panes.article_view.read_after = self.settings.read_after
        bookmarks_changed(self.app).subscribe(self, self._bookmarks_changed, immediate=True)
        self.call_after_refresh(self.post_message, self.LoadPhase("painted"))
        job = self._job
        first = job.first_screen if job is not None else None
        if self.queried:
            self.panes.article_view.show_message("Opening the collection's index…")
            self.sub_title = "opening the index…"
            early = job.take(self.session) if isinstance(job, EarlyOpen) else None  # type: ignore[arg-type]
            if early is not None:  # opened while the UI was imported: its rows in the very first frame
                self._opened(early)
        elif job is not None and first is not None and first.sort == self.sort:
            # Last run's first rows, already read by the index job: in the very first frame.
            self._first_screen_shown = True
            self._partial(Collection(self.roots, first.entries), 0, first.total, first_screen=True)
            self.call_after_refresh(job.go)  # once they are on screen, the index may use the interpreter
        else:
            self.panes.article_view.show_message("Reading the collection…")
            self.sub_title = "reading…"
        self.load()

    def on_unmount(self) -> None:
        self.stop_filtering()
        self.finish()

    def finish(self, wait: float = 0.0) -> None:
        """On the way out: stop indexing (what was read is cached; ``wait``
        seconds for it) and write the reading state and position now."""
        for job in (self._job, self._active_job):
            if job is not None:
                job.cancel(wait=wait)
        self.marks_saved()
        self.save_state(final=True)

    def say(self, message: str, **kwargs: Any) -> None:
        outside.say(self, message, **kwargs)

    # -- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        """Follow the index job in a thread, posting each stage of loading."""
        worker = get_current_worker()
        if isinstance(self.session, QueriedSession):
            post = lambda stage: self.post_message(self.Staged(stage))  # noqa: E731
            again = self._loaded_once
            if again and self._job is not None:  # opened early (on_mount): counted, brought up to date now
                early, self._job = self._job, None
                update_queried(self.session, self.roots, post, cancelled=lambda: worker.is_cancelled, early=early)  # type: ignore[arg-type]
                return
            open_queried(self.session, self.roots, post, full=again, first=not again, cancelled=lambda: worker.is_cancelled)
            return
        job, self._job = self._job or IndexJob(self.roots), None
        if self._active_job is not None and self._active_job is not job:
            self._active_job.cancel()  # a rescan replaces an index still running
        self._active_job = job
        for stage in load_stages(
            job,
            self.roots,
            sort=lambda: self.sort,
            read_snapshot=self.session.read_snapshot,
            store=self.store,
            first_screen_shown=lambda: self._first_screen_shown,
            cancelled=lambda: worker.is_cancelled,
        ):
            self.post_message(self.Staged(stage))

    @on(Staged)
    def _staged(self, event: Staged) -> None:
        session = self.session
        match event.stage:
            case Failed(error=error):
                self.say(f"Could not read the collection: {error}", severity="error")
            case Progress(done=done, total=total):
                session.progress(done, total)
                self._update_subtitle()
                self.panes.reading(done, total)
            case Partial() as partial:
                self._partial(partial.collection, partial.done, partial.total, partial.first_screen)
                if partial.first_screen and self._active_job is not None:
                    self.call_after_refresh(self._active_job.go)  # once these rows are on screen, the index may go on
            case Loaded(collection=collection):
                self._loaded(collection)
            case Identified() as identified if session.identified(identified):
                self._update_subtitle()
                self._restore_position()
            case Searchable() as searchable if session.searchable(searchable):
                if session.view.has_query:  # the filter asked the new index again
                    self._arrange()
                self.post_message(self.LoadPhase("searchable"))
            case RelatedBuilt() as built if session.related_built(built):
                self.panes.story_known()
                self._update_subtitle()
                self.post_message(self.LoadPhase("complete"))
            case Reloaded() as reloaded:
                editing.reloaded(self, reloaded)
            case Opened() as opened:
                self._opened(opened)
            case Counted() as counted if session.counted(counted):  # type: ignore[attr-defined]
                self._update_subtitle()

    def _partial(self, collection: Collection, done: int, total: int, first_screen: bool = False) -> None:
        """Part of the collection is known: show it while the rest is read."""
        self.session.partial(collection, done, total, first_screen)
        self.panes.show_collection(collection, done, total)
        self._update_subtitle()

    def _loaded(self, collection: Collection) -> None:
        rescan, self._loaded_once = self._loaded_once, True
        before, self._before_rescan = self._before_rescan, set()
        self.session.loaded(collection)
        self.panes.show_collection(collection)
        self._update_subtitle()
        self._restore_position()
        if collection.stats.cache_problem and not rescan:
            self.say(collection.stats.cache_problem, title="Index cache", severity="warning", timeout=10)
        if rescan:
            stats = collection.stats
            new = len({entry.path for entry in collection.entries} - before)
            self.say(f"{new:,} new, {stats.parsed:,} read again, {stats.removed:,} removed.", title="Rescanned", timeout=4)
        elif collection.issues:
            count = len(collection.issues)
            self.say(
                f"{count:,} file{'s' if count != 1 else ''} could not be read. Press ! to see which and why.",
                title="Issues",
                severity="warning",
            )
        if not collection.entries:
            self.panes.article_view.show_message("No articles to show.")

    def _opened(self, opened: Opened) -> None:
        """The index of a collection too big to load is open (first, or again after R or a change)."""
        again, self._loaded_once = self._loaded_once, True
        current = self.current_entry if again else None
        whole_first = not again or self.session.building  # type: ignore[attr-defined] - (the rows before were a first build's)
        self.session.opened(opened)  # type: ignore[attr-defined]
        if self.session.view.active:
            self.apply_filter(self.session.view)  # searched again in the new index
        self.panes.show_collection(opened.collection)  # type: ignore[arg-type]
        if current is not None:
            self.panes.fill(current)
            shown = self.current_entry
            if shown is not None:
                self.panes.show_entry(shown)  # its file may have changed
        self._update_subtitle()
        self._restore_position()
        if opened.notice:
            self.say(opened.notice, title="Index", severity="warning", timeout=10)
        if again and opened.changes:
            self.say(opened.changes, title="Rescanned" if opened.rescan else "Folder changed", timeout=4)
        elif whole_first and not opened.building and opened.collection.issues:
            count = len(opened.collection.issues)
            self.say(f"{count:,} file{'s' if count != 1 else ''} could not be read. Press ! to see which and why.", title="Issues", severity="warning")
        if not len(opened.collection) and not opened.building:
            self.panes.article_view.show_message("No articles to show.")
        if not opened.building:
            self.post_message(self.LoadPhase("complete"))

    def action_rescan(self) -> None:
        collection = self.session.collection
        self._before_rescan = {entry.path for entry in collection.entries} if isinstance(collection, Collection) else set()
        self.session.search_index = None
        self._job = None
        self.say("Rescanning the collection…", timeout=2)
        self.post_message(self.LoadPhase("rescanning"))
        self.load()

    def _update_subtitle(self) -> None:
        if self.session.collection is not None:
            self.sub_title = self.session.summary()
        elif self.queried and self.session.load_progress:  # a first index of a big collection
            self.sub_title = "indexing {:,}/{:,} files…".format(*self.session.load_progress)

    def _arrange(self, keep: Entry | None = None) -> None:
        """The rows again (collection, sort, stories), the cursor kept on the article shown."""
        self.panes.fill(keep)
        self._update_subtitle()

    def _restore_position(self) -> None:
        """Reopen on the article (and scroll offset) the reader was at last time."""
        target = self.session.restore_target()
        if target is not None:
            entry, row, scroll = target
            self.panes.restore(row, entry.path, scroll)

    # -- reading state --------------------------------------------------------------------
    def set_read(self, identity: str, read: bool) -> None:
        """Mark one identity read or unread: the rows and the count change at
        once; the write follows in a thread (see :meth:`save_state`)."""
        if not self.session.set_read(identity, read):
            return
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_soon)
        self.panes.article_list.refresh_rows()
        self._update_subtitle()

    def _save_soon(self) -> None:
        self._save_timer = None
        self.save_state()

    @on(ArticleView.Read)
    def _read(self, event: ArticleView.Read) -> None:
        if event.entry is self.current_entry and self.session.touched:  # nothing read before a move or an open
            self.set_read(entry_key(event.entry), True)

    def save_state(self, final: bool = False) -> None:
        """Write the reading state gathered so far and where the reader is:
        in a thread while running, at once (on the way out) when quitting."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        pending = self.session.take_pending()
        try:
            position = self.session.position(self.current_entry, float(self.panes.detail.scroll_y))
        except NoMatches:  # unmounting: the app saved it on the way out (ReaderApp.action_quit)
            position = self.session.last_position
        if final:
            self.session.write(pending, position)
        elif pending or position is not None:
            self._write_in_thread(pending, position)

    @work(thread=True, group="state")
    def _write_in_thread(self, pending: dict[str, bool], position: Position | None) -> None:
        error = self.session.write(pending, position)
        if error:
            self.post_message(self.SaveFailed(error))

    @on(SaveFailed)
    def _save_failed_said(self, event: SaveFailed) -> None:
        if not self._save_failed:  # said once, not at every article
            self._save_failed = True
            self.say(f"The reading state could not be saved: {event.error}", title="Bookmarks", severity="error")

    def action_toggle_read(self) -> None:
        entry = self.current_entry
        if entry is None:
            return
        self.panes.article_view.keep_unread(entry)  # pressing u is the person's say: the timer must not undo it
        identity = entry_key(entry)
        now = identity not in self.session.read
        self.set_read(identity, now)
        self.say("Marked read." if now else "Marked unread.", timeout=2)

    # -- going to a story -----------------------------------------------------------------
    def go_to(self, entry: Entry) -> bool:
        """Move the list cursor to an article (shown in the same frame); False if it is not listed."""
        return self.panes.go_to(entry)

    def open_story(self, entry: Entry) -> None:
        """Open an article in the article view, as Enter on the list does (q
        goes back to the list, on its row): the jump box's, a bookmark's and
        the command palette's choice."""
        self.panes.open_entry(entry)
        self.panes.article_open = True

    def action_back(self) -> None:
        self.panes.back()

    def action_forward(self) -> None:
        self.panes.forward()

    def action_next_version(self) -> None:
        self.panes.step_version(1)

    def action_previous_version(self) -> None:
        self.panes.step_version(-1)

    def action_jump(self, query: str = "") -> None:
        def chosen(choice: JumpChoice | None) -> None:
            if choice is not None:
                self.panes.article_view.carry_query(choice.query, choice.entry.path)
                self.open_story(choice.entry)

        session = self.session
        screen = JumpScreen(
            lambda: session.search_index,
            session.newest(),
            query,
            facet_sets=session.facet_sets,
            queries=self.queries,
            values=lambda: session.facet_values,
        )
        self.app.push_screen(screen, chosen)

    def action_views(self) -> None:
        queries = self.queries
        if queries is None:
            return

        def chosen(view: View | None) -> None:
            if view is not None:
                self.action_filter_view(view.query)

        self.app.push_screen(ViewsScreen(queries), chosen)

    # -- find in the article --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step_match":
            return self.panes.article_view.has_matches_to_step  # else n / N are free, and not in the footer
        if action == "clear_find":
            return self.panes.article_view.finding
        return super().check_action(action, parameters)

    def action_find(self) -> None:
        self.panes.article_view.open_find()

    def action_step_match(self, step: int) -> None:
        if not self.panes.article_view.step_match(step):
            self.say("No match in this article.", timeout=2)

    def action_clear_find(self) -> None:
        self.panes.article_view.clear_find()

    # -- the list and the panes -----------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.sort = SORT_CYCLE[(SORT_CYCLE.index(self.sort) + 1) % len(SORT_CYCLE)]

    def watch_sort(self) -> None:
        self.session.sort = self.sort
        self._arrange()
        self.say(f"Sorted by {SORT_LABELS[self.sort]}", timeout=2)

    def action_toggle_raw(self) -> None:
        self.panes.article_view.toggle_raw()

    def action_body_part(self, step: int) -> None:
        self.panes.article_view.step_part(step)

    def action_toggle_sidebar(self) -> None:
        self.panes.toggle_sidebar()

    def action_show_issues(self) -> None:
        collection = self.session.collection
        if collection is None:
            self.app.push_screen(IssuesScreen([]))
        else:
            self.app.push_screen(IssuesScreen(collection.issues, collection.display_path))

    # -- bookmarks and the world outside ---------------------------------------------------
    def _bookmark_here(self) -> tuple[Bookmark, str] | None:
        """The bookmark (stored, or new) of the focused story, and its title."""
        here = self.panes.here()
        if here is None:
            return None
        bookmark = Bookmark.from_entry(here) if isinstance(here, Entry) else here.bookmark()
        return self.store.get(bookmark.key) or bookmark, here.title

    def _bookmarks_changed(self, _: object = None) -> None:
        """The store changed (here, in the bookmarks view, the dialog): show it."""
        self.session.bookmarks_changed()
        self.panes.refresh_bookmarks()

    def action_show_bookmarks(self) -> None:
        def chosen(entry: Entry | None) -> None:
            if entry is not None:
                self.open_story(entry)

        self.app.push_screen(BookmarksScreen(self.store, self.session.listed, self.panes.detail.display_path), chosen)

    def action_toggle_bookmark(self) -> None:
        here = self._bookmark_here()
        if here is not None:
            bookmarking.toggle(self, self.store, *here, self._removals)

    def action_edit_tags(self) -> None:
        here = self._bookmark_here()
        if here is not None:
            edit_bookmark(self, self.store, here[0])

    def action_open_url(self) -> None:
        outside.open_url(self, outside.url_of(self.panes.here())[0])

    def action_copy_url(self) -> None:
        outside.copy_url(self, *outside.url_of(self.panes.here()))

    def action_copy_link(self) -> None:
        outside.copy_link(self, *outside.url_of(self.panes.here()))

    def action_links(self) -> None:
        if self.panes.article_view.shows(self.current_entry):
            self.panes.article_view.find_links()
        else:
            self.say("No article shown: no links to list.", severity="warning")

    @on(ArticleView.LinksFound)
    def _links_found(self, event: ArticleView.LinksFound) -> None:
        if not event.links:
            self.say("This article has no links or images.", timeout=3)
        else:
            self.app.push_screen(LinksScreen(event.article.title, event.links))

    def action_edit(self) -> None:
        editing.edit(self)
