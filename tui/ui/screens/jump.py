"""The jump box: fuzzy-find a story as fast as you type.

Each result is a title with the matched characters highlighted, its provider
and date on the right; when the match is in the excerpt or the body, a second
line shows a snippet around it. The results are drawn line by line by a
virtual list (no widget per result), so a keystroke costs the search and the
few lines on screen. Facet values complete in the box (→ or Tab accepts);
↑ ↓ in an empty box bring back recent queries; ctrl+s saves the query as a
named view.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from tui.core.memory import release_memory
from tui.core.model import Entry
from tui.core.queries import QueryStore
from tui.core.query import Query, parse_query
from tui.core.ranking import MAX_WORDS
from tui.core.results import SearchResult, Stale
from tui.core.search import Hit, SearchIndex, Snippet, file_snippet
from tui.core.text import clean_line
from tui.ui.widgets.jump_results import JumpResults, Result
from tui.ui.widgets.query_box import CompletingBox
from tui.ui.widgets.text_box import OpensWithABox

RECENT = 50  # stories shown in an empty box
PAGE = 50  # results made at a time (a screenful and more): the first page, then one more as the view comes near the end
BODY_SNIPPETS = 20  # body snippets read from the files (the first results, in a thread)
# A short query on a collection that answers quickly is searched right in the
# key's turn: results and the typed letter show in one frame (a thread costs a
# second frame: benchmarks/bench_ui.py, "jump"). Anything else (a pasted
# sentence, a huge collection, a search that took long) goes to the thread,
# where no search can hold a key up.
INLINE_WORDS = 3
INLINE_ENTRIES = 200_000
INLINE_SECONDS = 0.03  # the last search took less (a keystroke's budget): the next may be inline
# A search in the thread: the typed letter waits this long at most for its
# results, so that one frame shows both. Painted at once, the letter starts a
# frame (60 a second) and the results, ready a few milliseconds later, wait
# for the next one: 10-17 ms more a keystroke (benchmarks/bench_ui.py, "jump").
HOLD_SECONDS = 0.03


@dataclass(frozen=True)
class JumpChoice:
    """The story chosen, and the query that found it (carried into the article)."""

    entry: Entry
    query: str


class QueryInput(CompletingBox):
    """The query box: → or Tab accepts a completion (quoted where the value needs it)."""

    HELP_SECTION = "Jump box: the query"
    HELP_ORDER = 21
    BINDINGS = [
        Binding("tab", "accept", "Complete", show=False, tooltip="accept the completion shown", id="jump.complete"),
        # fzf's keys: move in the results without leaving the letters.
        Binding("ctrl+n,ctrl+j", "screen.move(1)", "Next", show=False, tooltip="next result (as fzf)", id="jump.next_result"),
        Binding("ctrl+p,ctrl+k", "screen.move(-1)", "Previous", show=False, tooltip="previous result (as fzf)", id="jump.previous_result"),
    ]

    # Input sets its virtual size (as wide as its text) at every key, and in
    # Widget a new virtual size lays out the whole screen and the one under
    # this modal (benchmarks/bench_paint.py, "jump key"): the box's own size
    # never depends on its text, so only the box is repainted.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    # Called as the value changes, in the key's own handling: the results are
    # ready before the next frame, which shows the letter and them together (an
    # Input.Changed message would wait behind that frame). Set once mounted.
    on_value: Callable[[str], None] | None = None

    def watch_value(self, value: str) -> None:
        if self.on_value is not None:
            self.on_value(value)


class JumpScreen(OpensWithABox, ModalScreen[JumpChoice | None]):
    """Type to re-rank the whole collection; Enter opens, Esc goes back."""

    HELP_SECTION = "Jump box (/)"
    HELP_ORDER = 20
    BINDINGS = [
        Binding("escape", "dismiss_none", "Back", tooltip="back, without jumping (Enter opens the chosen story)", id="jump.back"),
        Binding(
            "down", "move(1)", "Next", show=False, tooltip="next result (in an empty box: a newer recent query)", id="jump.next"
        ),
        Binding(
            "up", "move(-1)", "Previous", show=False, tooltip="previous result (in an empty box: recent queries)", id="jump.previous"
        ),
        Binding("pagedown", "page(1)", show=False, tooltip="a page of results down", id="jump.page_down"),
        Binding("pageup", "page(-1)", show=False, tooltip="a page of results up", id="jump.page_up"),
        Binding("ctrl+s", "save_view", "Save view", tooltip="save the query as a named view", id="jump.save_view"),
    ]

    OWNS_PALETTE_KEY = True  # ctrl+p moves in the results here (fzf), as ctrl+n / ctrl+j / ctrl+k do

    @dataclass
    class Found(Message):
        """A page of results of one search (``start``: the position of its first)."""

        serial: int
        found: SearchResult[Hit]
        entries: Sequence[Entry]  # of the index searched
        start: int
        hits: list[Hit]
        total: int  # results counted (capped: see SearchResult.counted)
        full: int = 0  # of which every word matched
        exact: bool = True  # False: there are more ("10,000+")
        counted: bool = True  # False: the counts follow (Counted): until then, those of the page

    @dataclass
    class Counted(Message):
        """The counts of a search whose first page is shown (counted after it: on
        a million articles counting can take longer than finding the best)."""

        serial: int
        full: int
        partial: int | None
        exact: bool

    @dataclass
    class Failed(Message):
        """A search failed in its thread (the index or the user database went away)."""

        serial: int
        error: str

    @dataclass
    class Searched(Message):
        """Body snippets read for the results of one search."""

        serial: int
        snippets: list[tuple[int, Snippet]]

    def __init__(
        self,
        index: Callable[[], SearchIndex | None],
        recent: Sequence[Entry],
        query: str = "",
        *,
        facet_sets: Callable[[], Mapping[str, object] | None] | None = None,
        queries: QueryStore | None = None,
        values: Callable[[], Mapping[str, Sequence[str]] | None] | None = None,
    ) -> None:
        super().__init__()
        self.index_source = index
        self.recent = list(recent[:RECENT])
        self.initial_query = query
        self.facet_sets = facet_sets or (lambda: None)  # what is:bookmarked and is:unread hold
        self.queries = queries
        self.values = values or (lambda: None)
        self.results: list[Entry] = []
        self._serial = 0
        # One search thread at a time, always on the newest query: keys that
        # arrive while it runs only replace what it does next (a pasted
        # sentence is one search, not one per letter).
        self._search_lock = threading.Lock()
        self._wanted: tuple[int, SearchIndex, Query, Mapping[str, object] | None] | None = None
        self._searching = False
        self._last_search = 0.0  # seconds the last search took (see INLINE_SECONDS)
        self._found: JumpScreen.Found | None = None  # the first page of the results shown
        self._query_text = ""
        self._held: ExitStack | None = None  # the frame held for a search's results (the app's batch update, open)
        self._held_until: Timer | None = None
        self._history: int | None = None  # position in the recent queries while browsing them
        self._recalled = ""  # the query brought back (browsing ends once it is edited)

    def compose(self) -> ComposeResult:
        box = QueryInput(
            self.initial_query,
            placeholder="Jump to… title, provider, topic, words; topic: provider: is:unread after: ; ↑ recent",
            id="jump-input",
            values=self.values,
        )
        with Vertical(id="jump-box"):
            yield box
            yield Label("", id="jump-status")
            yield JumpResults(id="jump-results")

    @property
    def box(self) -> QueryInput:
        return self.query_one("#jump-input", QueryInput)

    @property
    def result_list(self) -> JumpResults:
        return self.query_one("#jump-results", JumpResults)

    def on_mount(self) -> None:
        self.box.focus()
        self.box.on_value = self._changed
        self._update(self.initial_query)
        if self.index_source() is None:
            self._waiting = self.set_interval(0.25, self._retry)

    def _retry(self) -> None:
        """The collection was still being read: search again once it is."""
        if self.index_source() is not None:
            self._waiting.stop()
            self._update(self.box.value)

    def _changed(self, value: str) -> None:
        """The box's value changed (QueryInput.on_value): search at once."""
        if self._history is not None and value != self._recalled:
            self._history = None  # edited: it is the query now, ↑ ↓ move in its results
        self._update(value)

    def _update(self, query: str) -> None:
        results = self.result_list
        status = self.query_one("#jump-status", Label)
        index = self.index_source()
        self._serial += 1
        parsed = parse_query(query)
        self._query_text = query
        if parsed.is_empty or index is None:
            self.results = self.recent
            rows = [Result(entry) for entry in self.results]
            if index is None and query.strip():
                status.update(layout=False, content="Still reading the collection… results follow")
            else:
                hint = "  ·  ↑ recent queries" if self.queries is not None and self.queries.recent else ""
                views = "  ·  ctrl+s saves a view" if query.strip() else ""
                status.update(layout=False, content=Text("Newest stories" + hint + views))
            if parsed.errors:
                status.update(layout=False, content=Text("⚠ " + parsed.errors[0], style="bold"))
            results.set_results(rows)
            self._release_frame()
            return
        marks = self.facet_sets()
        if self._inline_ok(index, parsed):
            try:
                page = self._search_page(self._serial, index, parsed, marks)
            except (sqlite3.Error, OSError) as exc:
                self._failed(self.Failed(self._serial, str(exc) or type(exc).__name__))
                return
            self._found_page(page)
            return
        with self._search_lock:
            start = not self._searching
            self._wanted = (self._serial, index, parsed, marks)
            self._searching = True
        self._hold_frame()
        if start:
            self._search_newest()

    def _hold_frame(self) -> None:
        """Hold the screen's next frame until the results come (at most
        HOLD_SECONDS from the first key held, however many follow)."""
        if self._held is None:
            self._held = ExitStack()
            self._held.enter_context(self.app.batch_update())
            # On the app, not the screen: a screen's timers stop with it, and the
            # frame must be released whatever happens to the screen.
            self._held_until = self.app.set_timer(HOLD_SECONDS, self._hold_expired)

    def _hold_expired(self) -> None:
        self._held_until = None  # (a timer is not stopped from its own callback)
        if self._searching:  # a long search: the letter shows, over the last results, with a word of it
            self.query_one("#jump-status", Label).update(layout=False, content=Text("searching…"))
        self._release_frame()

    def _release_frame(self) -> None:
        held, self._held = self._held, None
        timer, self._held_until = self._held_until, None
        if timer is not None:
            timer.stop()
        if held is not None:
            held.close()

    def _inline_ok(self, index: SearchIndex, parsed: Query) -> bool:
        with self._search_lock:
            idle = not self._searching
        return (
            idle
            and self._last_search < INLINE_SECONDS
            and len(parsed.terms) <= INLINE_WORDS
            and len(index.entries) <= INLINE_ENTRIES
        )

    def _search_page(
        self, serial: int, index: SearchIndex, parsed: Query, marks: Mapping[str, object] | None, count: bool = True
    ) -> Found:
        """One search and its first page (in the key's turn or in the thread:
        there, ``count`` False, the counts follow; a search a newer query made
        stale may stop with :class:`Stale`)."""
        started = time.perf_counter()
        found = index.results(parsed, marks=marks, stale=lambda: serial != self._serial)
        hits = found[:PAGE]
        self._last_search = time.perf_counter() - started
        if not count:
            full = sum(1 for h in hits if not h.partial)
            return self.Found(serial, found, index.entries, 0, hits, len(hits), full, False, counted=False)
        # Counted up to a cap: an exact count of a million matches costs the index seconds.
        full, partial, exact = found.counted()
        return self.Found(serial, found, index.entries, 0, hits, full + (partial or 0), full, exact)

    @work(thread=True, group="search")
    def _search_newest(self) -> None:
        """Search for the newest query wanted, until none is newer (in a
        thread: the box, Esc and every key answer while it runs)."""
        while True:
            with self._search_lock:
                wanted = self._wanted
                if wanted is None or get_current_worker().is_cancelled:
                    self._wanted, self._searching = None, False
                    return
            serial, index, parsed, marks = wanted
            try:
                if serial == self._serial:
                    # On disk, counting can take longer than finding the best: the page first.
                    later = index.on_disk
                    page = self._search_page(serial, index, parsed, marks, count=not later)
                    if serial == self._serial:
                        self.post_message(page)
                        if later:
                            counts = page.found.counted()
                            if serial == self._serial:
                                self.post_message(self.Counted(serial, *counts))
            except Stale:
                pass  # a newer query came: it is next
            except (sqlite3.Error, OSError) as exc:
                self.post_message(self.Failed(serial, str(exc) or type(exc).__name__))
            with self._search_lock:
                if self._wanted is wanted:  # nothing newer came meanwhile
                    self._wanted, self._searching = None, False
                    return

    @work(thread=True, exclusive=True, group="more")
    def _more(self, serial: int, start: int) -> None:
        """The next page of results, made as the view comes near the end of those shown.

        Only numbers in its arguments: a Textual worker is freed by the cycle
        collector (it and its task's context refer to each other), and a
        search result held there stayed with its rows until a collection
        (docs/performance.md, "Garbage collection")."""
        page = self._found
        if page is None or page.serial != serial:
            return
        try:
            hits = page.found[start : start + PAGE]
        except (Stale, sqlite3.Error, OSError):
            return
        if serial == self._serial and not get_current_worker().is_cancelled:
            self.post_message(self.Found(serial, page.found, page.entries, start, hits, page.total, page.full))

    @on(JumpResults.More)
    def _wants_more(self, event: JumpResults.More) -> None:
        if self._found is not None and self._found.serial == self._serial:
            self._more(self._found.serial, event.start)

    @on(Found)
    def _found_page(self, event: Found) -> None:
        """Results of a search: shown only if it is of the query in the box now."""
        if event.serial != self._serial:
            return
        entries = event.entries
        rows = [self._row(entries[h.index], h) for h in event.hits]
        if event.start:
            self.results.extend(entries[h.index] for h in event.hits)
            self.result_list.add_results(event.start, rows)
            return
        found = event.found
        self._found = event
        self.results = [entries[h.index] for h in event.hits]
        self.query_one("#jump-status", Label).update(layout=False, content=self._status(found, event))
        self.result_list.set_results(rows, event.full, event.total, capped=not event.exact)
        self._release_frame()
        wanted = [(k, h.index) for k, h in enumerate(event.hits[:BODY_SNIPPETS]) if h.field == "body" and h.snippet is None]
        if wanted:
            self._body_snippets(event.serial, found.query, [(k, entries[i].path) for k, i in wanted])

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if event.serial == self._serial:
            self.query_one("#jump-status", Label).update(Text(clean_line(f"The search failed: {event.error}")))

    @on(Counted)
    def _counted(self, event: Counted) -> None:
        page = self._found
        if event.serial != self._serial or page is None or page.serial != event.serial:
            return
        total = event.full + (event.partial or 0)
        self._found = page = replace(page, total=total, full=event.full, exact=event.exact, counted=True)
        self.query_one("#jump-status", Label).update(layout=False, content=self._status(page.found, page))
        self.result_list.set_counts(event.full, total, capped=not event.exact)

    def _status(self, found: SearchResult[Hit], page: Found) -> Text:
        """The counts: every word matched, then (listed after) some missing;
        "10,000+" past the cap; "counting…" until they are known."""
        more = "" if page.exact else "+"
        if not page.counted:
            line = Text("counting…")
        elif page.total == page.full and not page.exact:  # the full matches reached the cap: partial not counted
            line = Text(f"{page.full:,}{more} matches")
        else:
            line = Text(f"{page.full:,} match{'es' if page.full != 1 else ''}")
            if page.total > page.full:
                line.append(f" + {page.total - page.full:,}{more} partial")
        if found.unmatched:
            line.append("  ·  no story has " + ", ".join(found.unmatched[:3]), "italic")
        if found.ignored:
            line.append(f"  ·  {len(found.ignored)} words past the first {MAX_WORDS} ignored", "italic")
        parsed = parse_query(self._query_text)
        if parsed.errors:
            line.append("  ⚠ " + parsed.errors[0], "bold")
        elif self._history is None:
            line.append("  ·  Enter opens  ·  ctrl+s saves as a view")  # muted already (#jump-status)
        if self._history is not None and self.queries is not None:
            line.append(f"  ·  recent query {self._history + 1} of {len(self.queries.recent)} (↑ ↓; type to edit)", "italic")
        return line

    def _row(self, entry: Entry, hit: Hit) -> Result:
        snippet = hit.snippet if hit.field in ("excerpt", "body") else None
        if hit.field == "topics" and entry.topics:
            # The topics are not on the title line: the line below shows them, marked.
            shown = " · ".join(entry.topics)[:200]
            return Result(entry, hit.title_spans, hit.field, Snippet(shown, ()), mark_query=self._query_text)
        return Result(entry, hit.title_spans, hit.field, snippet)

    @work(thread=True, exclusive=True, group="snippets")
    def _body_snippets(self, serial: int, query: object, wanted: list[tuple[int, str]]) -> None:
        """Body snippets need the files (bodies are not kept in memory): read
        for the first results, off the UI thread, after the results are shown."""
        worker = get_current_worker()
        found = []
        for k, path in wanted:
            if worker.is_cancelled or serial != self._serial:
                return
            snippet = file_snippet(path, query)  # type: ignore[arg-type]
            if snippet is not None:
                found.append((k, snippet))
        if found:
            self.post_message(self.Searched(serial, found))

    @on(Searched)
    def _snippets_arrived(self, event: Searched) -> None:
        if event.serial == self._serial:
            for k, snippet in event.snippets:
                self.result_list.set_snippet(k, snippet)

    # -- keys -------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        """↑ ↓ move in the results; ↑ on the first result of an empty box brings
        back the recent queries (↑ older, ↓ newer), until one is edited."""
        results = self.result_list
        if self.queries is not None and self.queries.recent:
            if self._history is not None or (delta < 0 and not self.box.value.strip() and results.current == 0):
                self._recall(-delta)
                return
        if results.results:
            results.current += delta

    def action_page(self, delta: int) -> None:
        self._history = None
        results = self.result_list
        if results.results:
            page = max(1, results.scrollable_content_region.height // 2)
            results.current += delta * page

    def _recall(self, step: int) -> None:
        """Bring back a recent query: step +1 older, -1 newer (past the newest: empty)."""
        assert self.queries is not None
        recent = self.queries.recent
        position = (-1 if self._history is None else self._history) + step
        if position >= len(recent):
            self.notify("No older query.", timeout=1.5)
            return
        if position < 0:
            self._history = None
            self._recalled = ""
            self.box.value = ""
            return
        self._history = position
        self._recalled = recent[position]
        self.box.value = recent[position]
        self.box.cursor_position = len(recent[position])

    def _choose(self, k: int) -> None:
        if 0 <= k < len(self.results):
            query = self.box.value
            self._remember(query)
            self.dismiss(JumpChoice(self.results[k], query if parse_query(query).has_text else ""))

    def _remember(self, query: str) -> None:
        if self.queries is not None and query.strip():
            self.queries.add_recent(query)

    @on(Input.Submitted, "#jump-input")
    def _submitted(self) -> None:
        self._choose(self.result_list.current)

    @on(JumpResults.Clicked)
    def _clicked(self, event: JumpResults.Clicked) -> None:
        self._choose(event.index)

    def on_unmount(self) -> None:
        self._release_frame()
        # A search still running is of a box nobody sees: stopped (SQLite's
        # progress handler sees the serial move), or quitting would wait for it.
        self._serial += 1
        # Each keystroke's search made and dropped tables of scores: once the
        # box is closed, the freed heap goes back to the system.
        self.results = []
        self.app.call_later(release_memory)

    def action_dismiss_none(self) -> None:
        self._remember(self.box.value)
        self.dismiss(None)

    def action_save_view(self) -> None:
        query = self.box.value.strip()
        if self.queries is None:
            return
        if not query:
            self.notify("Type a query first: a view is a saved query.", severity="warning", timeout=3)
            return
        from tui.ui.screens.views import NameDialog

        def named(name: str | None) -> None:
            if not name or self.queries is None:
                return
            try:
                view = self.queries.save_view(name, query)
            except ValueError as exc:
                self.notify(str(exc), severity="warning", markup=False)
                return
            self._remember(query)
            note = f" ({self.queries.notice})" if self.queries.notice else ""
            self.notify(f"Saved view “{view.name}”: {view.query}{note}", title="Views", markup=False, timeout=3)

        self.app.push_screen(NameDialog(query), named)
