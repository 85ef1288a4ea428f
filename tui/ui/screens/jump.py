"""The jump box: fuzzy-find a story as fast as you type."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.model import Entry
from tui.core.search import SearchIndex, match_spans

RESULTS = 50


class JumpScreen(ModalScreen[Entry | None]):
    """Type to re-rank the whole collection; Enter opens, Esc goes back."""

    HELP_SECTION = "Jump box (/)"
    HELP_ORDER = 20
    BINDINGS = [
        Binding("escape", "dismiss_none", "Back", tooltip="back, without jumping (Enter opens the chosen story)", id="jump.back"),
        Binding("down", "move(1)", "Next", show=False, tooltip="next result", id="jump.next"),
        Binding("up", "move(-1)", "Previous", show=False, tooltip="previous result", id="jump.previous"),
        Binding("pagedown", "move(10)", show=False, tooltip="ten results down", id="jump.page_down"),
        Binding("pageup", "move(-10)", show=False, tooltip="ten results up", id="jump.page_up"),
    ]

    def __init__(self, index: Callable[[], SearchIndex | None], recent: Sequence[Entry], query: str = "") -> None:
        super().__init__()
        self.index_source = index
        self.recent = list(recent[:RESULTS])
        self.initial_query = query
        self.results: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box"):
            yield Input(
                self.initial_query, placeholder="Jump to… (title, provider, topic, excerpt; typos are fine)", id="jump-input"
            )
            yield Label("", id="jump-status")
            yield OptionList(id="jump-results")

    def on_mount(self) -> None:
        self.query_one("#jump-results", OptionList).can_focus = False
        self.query_one("#jump-input", Input).focus()
        self._update(self.initial_query)
        if self.index_source() is None:
            self._waiting = self.set_interval(0.25, self._retry)

    def _retry(self) -> None:
        """The collection was still being read: search again once it is."""
        if self.index_source() is not None:
            self._waiting.stop()
            self._update(self.query_one("#jump-input", Input).value)

    def on_key(self, event: events.Key) -> None:
        """Keys typed with "/" in one go reach the screen before the box has
        focus; the box would have taken (and stopped) any printable key, so
        one that arrives here is text for it."""
        if event.is_printable and event.character:
            event.stop()
            box = self.query_one("#jump-input", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#jump-input")
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, query: str) -> None:
        options = self.query_one("#jump-results", OptionList)
        status = self.query_one("#jump-status", Label)
        prompts: list[Option] = []
        index = self.index_source()
        if not query.strip() or index is None:
            self.results = self.recent
            prompts = [Option(self._prompt(entry, "")) for entry in self.results]
            status.update("Still reading the collection… results follow" if index is None and query.strip() else "Newest stories")
        else:
            hits = index.search(query, limit=RESULTS)
            entries = index.entries
            self.results = [entries[h.index] for h in hits]
            prompts = [Option(self._prompt(entries[h.index], query, h.field)) for h in hits]
            status.update(f"{len(hits)} match{'es' if len(hits) != 1 else ''}" + (" (best 50)" if len(hits) == RESULTS else ""))
        options.clear_options()
        options.add_options(prompts)
        if prompts:
            options.highlighted = 0

    def _prompt(self, entry: Entry, query: str, matched: str = "title") -> Text:
        title = Text(entry.title)
        if query:
            for start, end in match_spans(query, entry.title):
                title.stylize("bold reverse", start, end)
        details = " · ".join(x for x in (entry.provider, entry.date_text) if x)
        if details:
            title.append("  " + details, "dim")
        if query and matched in ("excerpt", "topics", "provider"):
            title.append(f"  ({matched})", "dim italic")
        return title

    def action_move(self, delta: int) -> None:
        options = self.query_one("#jump-results", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    @on(Input.Submitted, "#jump-input")
    def _submitted(self) -> None:
        highlighted = self.query_one("#jump-results", OptionList).highlighted
        if highlighted is not None and highlighted < len(self.results):
            self.dismiss(self.results[highlighted])

    @on(OptionList.OptionSelected, "#jump-results")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.results):
            self.dismiss(self.results[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
