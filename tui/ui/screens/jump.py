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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from tui.core.memory import release_memory
from tui.core.model import Entry
from tui.core.queries import QueryStore
from tui.core.query import complete, parse_query
from tui.core.search import Hit, SearchIndex, Snippet, file_snippet, match_spans
from tui.ui.palette import text_only
from tui.ui.textual_compat import shown_suggestion
from tui.ui.widgets.virtual_list import VirtualList

RESULTS = 50
BODY_SNIPPETS = 20  # body snippets read from the files (the first results, in a thread)


@dataclass(frozen=True)
class JumpChoice:
    """The story chosen, and the query that found it (carried into the article)."""

    entry: Entry
    query: str


@dataclass
class Result:
    entry: Entry
    title_spans: tuple[tuple[int, int], ...] = ()
    field: str = "title"
    snippet: Snippet | None = None
    mark_query: str = ""  # set: the snippet's spans are found when the line is first drawn


class FacetSuggester(Suggester):
    """Completes facet names and values (``topic:mac`` → ``topic:"machine
    learning"``) from the collection's values, via the core's ``complete``.

    Textual shows a suggestion as the letters after what is typed; a value that
    needs quotes is shown unquoted and becomes the quoted form when accepted
    (``QueryInput.accepts`` holds the real completions)."""

    def __init__(self, values: Callable[[], Mapping[str, Sequence[str]] | None], accepts: dict[str, str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values = values
        self.accepts = accepts

    async def get_suggestion(self, value: str) -> str | None:
        return suggestion_for(value, self.values(), self.accepts)


def suggestion_for(value: str, values: Mapping[str, Sequence[str]] | None, accepts: dict[str, str]) -> str | None:
    """What to show after ``value`` (the whole input as it would read), or None;
    records in ``accepts`` what accepting it puts in the box."""
    if not value or value[-1].isspace():
        return None
    full = complete(value, None, values or {})
    if not full or full == value:
        return None
    if full.lower().startswith(value.lower()):
        shown = value + full[len(value) :]
    else:
        # A quote was inserted: 'topic:mac' -> 'topic:"machine learning"'.
        i = 0
        while i < min(len(value), len(full)) and value[i].lower() == full[i].lower():
            i += 1
        typed, rest = value[i:], full[i:]
        if not rest.startswith('"') or not rest[1:].lower().startswith(typed.lower()):
            return None
        shown = value + rest[1 + len(typed) :].rstrip('"')
    if len(accepts) > 200:
        accepts.clear()
    accepts[shown] = full
    return shown


class QueryInput(Input):
    """The query box: → or Tab accepts a completion (quoted where the value needs it)."""

    HELP_SECTION = "Jump box: the query"
    HELP_ORDER = 21
    BINDINGS = [Binding("tab", "accept", "Complete", show=False, tooltip="accept the completion shown", id="jump.complete")]

    # Input sets its virtual size (as wide as its text) at every key, and in
    # Widget a new virtual size lays out the whole screen and the one under
    # this modal (benchmarks/bench_paint.py, "jump key"): the box's own size
    # never depends on its text, so only the box is repainted.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    # Called as the value changes, in the key's own handling: the results are
    # ready before the next frame, which shows the letter and them together (an
    # Input.Changed message would wait behind that frame). Set once mounted.
    on_value: Callable[[str], None] | None = None

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.accepts: dict[str, str] = {}

    def watch_value(self, value: str) -> None:
        if self.on_value is not None:
            self.on_value(value)

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and shown_suggestion(self):
            self.action_accept()
            return
        super().action_cursor_right(select)

    def action_accept(self) -> None:
        suggestion = shown_suggestion(self)
        if suggestion and self.cursor_at_end:
            self.value = self.accepts.get(suggestion, suggestion)
            self.cursor_position = len(self.value)


class JumpResults(VirtualList, can_focus=False):
    """The results, drawn by the virtual list line by line: a title line,
    and a snippet line when the match is in the excerpt or the body. The
    cursor is on a result (both its lines); :attr:`current` is its index."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "jump-results--match",
        "jump-results--meta",
        "jump-results--snippet",
        "jump-results--snippet-match",
        "jump-results--field",
    }

    @dataclass
    class Clicked(Message):
        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[Result] = []
        self._lines: list[tuple[int, int]] = []  # line -> (result, 0 title / 1 snippet)
        self._first_line: list[int] = []  # result -> its first line
        self.empty_text = ""

    @property
    def current(self) -> int:
        """The result under the cursor."""
        return self._lines[self.cursor][0] if 0 <= self.cursor < len(self._lines) else 0

    @current.setter
    def current(self, index: int) -> None:
        if self.results:
            self.cursor = self._first_line[max(0, min(index, len(self.results) - 1))]

    def set_results(self, results: list[Result]) -> None:
        self.results = results
        self._relines()
        # Lines are cached by what they show: while typing, the best results often stay.
        self.reset(0, keep_lines=True)

    def set_snippet(self, index: int, snippet: Snippet) -> None:
        """A body snippet arrived for one result: it gains its second line."""
        if 0 <= index < len(self.results) and self.results[index].snippet is None:
            current = self.current
            self.results[index].snippet = snippet
            self._relines()
            self.virtual_size = Size(self.scrollable_content_region.width or 1, len(self._lines))
            self.set_reactive(VirtualList.cursor, self._first_line[current] if self.results else 0)
            self._scroll_cursor_into_view()
            self.refresh()

    def _relines(self) -> None:
        lines: list[tuple[int, int]] = []
        first: list[int] = []
        for i, result in enumerate(self.results):
            first.append(len(lines))
            lines.append((i, 0))
            if result.snippet is not None:
                lines.append((i, 1))
        self._lines, self._first_line = lines, first

    def row_count(self) -> int:
        return len(self._lines)

    def cursor_span(self, cursor: int) -> tuple[int, int]:
        if not self._lines:
            return cursor, 1
        index = self._lines[min(cursor, len(self._lines) - 1)][0]
        return self._first_line[index], 2 if self.results[index].snippet is not None else 1

    def row_clicked(self, row: int, chain: int) -> None:
        """A click chooses the result at once."""
        index = self._lines[row][0]
        self.current = index
        self.post_message(self.Clicked(index))

    # -- drawing --------------------------------------------------------------------
    def text_style(self, name: str) -> Style:
        """A component's text style only: the row's own background (the cursor's) shows through."""
        style = self._styles.get(("text", name))
        if style is None:
            style = self._styles[("text", name)] = text_only(self.style(name))
        return style

    def row_cache_key(self, index: int) -> object:
        result_index, part = self._lines[index]
        result = self.results[result_index]
        snippet = result.snippet
        shown = result.title_spans if part == 0 else (snippet.text, snippet.spans, result.field) if snippet else None
        return result.entry.path, part, shown, result.mark_query

    def render_row(self, index: int, width: int) -> Text:
        result_index, part = self._lines[index]
        result = self.results[result_index]
        if part == 1 and result.mark_query and result.snippet is not None:
            # Only for the rows drawn: which topic words the query matched.
            result.snippet = Snippet(result.snippet.text, tuple(match_spans(result.mark_query, result.snippet.text)))
            result.mark_query = ""
        return self._title_line(result, width) if part == 0 else self._snippet_line(result, width)

    def _title_line(self, result: Result, width: int) -> Text:
        entry = result.entry
        provider, date = entry.provider or entry.domain, entry.date_text
        room = width // 3 - (len(date) + 3 if date else 0)  # the date stays whole; the provider is cut
        if provider and len(provider) > room:
            provider = provider[: max(0, room - 1)] + "…" if room >= 6 else ""
        meta = " · ".join(x for x in (provider, date) if x) if width >= 30 else ""
        title = Text(" " + entry.title, no_wrap=True, overflow="ellipsis")
        match = self.text_style("jump-results--match")
        for start, end in result.title_spans:
            title.stylize(match, start + 1, end + 1)
        room = max(4, width - len(meta) - 2)
        title.truncate(room, overflow="ellipsis", pad=True)
        title.append(" ")
        title.append(meta, self.text_style("jump-results--meta"))
        title.truncate(width, overflow="ellipsis", pad=True)
        return title

    def _snippet_line(self, result: Result, width: int) -> Text:
        snippet = result.snippet
        assert snippet is not None
        where = {"excerpt": "excerpt", "body": "text", "topics": "topics"}.get(result.field, "")
        text = Text("   ", no_wrap=True, overflow="ellipsis")
        text.append(f"{where}: " if where else "", self.text_style("jump-results--field"))
        start = len(text)
        text.append(snippet.text, self.text_style("jump-results--snippet"))
        match = self.text_style("jump-results--snippet-match")
        for a, b in snippet.spans:
            text.stylize(match, start + a, start + b)
        text.truncate(width, overflow="ellipsis", pad=True)
        return text


class JumpScreen(ModalScreen[JumpChoice | None]):
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
        self.recent = list(recent[:RESULTS])
        self.initial_query = query
        self.facet_sets = facet_sets or (lambda: None)  # what is:bookmarked and is:unread hold
        self.queries = queries
        self.values = values or (lambda: None)
        self.results: list[Entry] = []
        self._serial = 0
        self._query_text = ""
        self._history: int | None = None  # position in the recent queries while browsing them
        self._recalled = ""  # the query brought back (browsing ends once it is edited)

    def compose(self) -> ComposeResult:
        box = QueryInput(
            self.initial_query,
            placeholder="Jump to… title, provider, topic, words; topic: provider: is:unread after: ; ↑ recent",
            id="jump-input",
        )
        box.suggester = FacetSuggester(self.values, box.accepts)
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

    def on_key(self, event: events.Key) -> None:
        """Keys typed with "/" in one go reach the screen before the box has
        focus; the box would have taken (and stopped) any printable key, so
        one that arrives here is text for it."""
        if event.is_printable and event.character:
            event.stop()
            box = self.box
            box.focus()
            box.insert_text_at_cursor(event.character)

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
        else:
            found = index.results(parsed, marks=self.facet_sets())
            hits = found[:RESULTS]
            entries = index.entries
            self.results = [entries[h.index] for h in hits]
            rows = [self._row(entries[h.index], h) for h in hits]
            # The true counts: every word matched, then (listed after) some missing.
            count = f"{found.full:,} match{'es' if found.full != 1 else ''}" + (f" (best {RESULTS})" if found.full > RESULTS else "")
            if len(hits) > found.full:
                count += f" + {found.partial:,} partial"
            line = Text(count)
            if parsed.errors:
                line.append("  ⚠ " + parsed.errors[0], "bold")
            elif self._history is None:
                line.append("  ·  Enter opens  ·  ctrl+s saves as a view")  # muted already (#jump-status)
            if self._history is not None and self.queries is not None:
                line.append(f"  ·  recent query {self._history + 1} of {len(self.queries.recent)} (↑ ↓; type to edit)", "italic")
            status.update(layout=False, content=line)
            wanted = [(k, h.index) for k, h in enumerate(hits[:BODY_SNIPPETS]) if h.field == "body" and h.snippet is None]
            if wanted:
                self._body_snippets(self._serial, parsed, [(k, entries[i].path) for k, i in wanted])
        results.set_results(rows)

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
