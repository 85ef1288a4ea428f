"""The filter box (F): one line taking a query in the jump box's language;
Enter filters the main list with it, Esc leaves the list as it was."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.ui.widgets.query_box import CompletingBox
from tui.ui.widgets.text_box import OpensWithABox  # keys in the order typed, as in every box


class FilterInput(CompletingBox):
    """The filter's query box: facets complete as in the jump box."""

    HELP_SECTION = "Filter box (F): the query"
    HELP_ORDER = 24
    BINDINGS = [Binding("tab", "accept", "Complete", show=False, tooltip="accept the completion shown", id="filter.complete")]


class FilterBox(OpensWithABox, ModalScreen[str | None]):
    """Dismissed with the query typed (Enter; "" clears the filter) or None (Esc)."""

    HELP_SECTION = "Filter box (F)"
    HELP_ORDER = 23
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="close the box, the list's filter unchanged", id="filter.cancel")]

    def __init__(self, query: str = "", values: Callable[[], Mapping[str, Sequence[str]] | None] | None = None) -> None:
        super().__init__()
        self.initial = query
        self.values = values  # the collection's topics and providers, for completion

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-box"):
            yield Label("Filter", id="filter-label")
            yield FilterInput(
                self.initial,
                values=self.values,
                placeholder="is:unread topic:ai, words (typos welcome) · Enter filters the list · empty: no filter",
                id="filter-input",
                select_on_focus=False,
            )
            yield Label("enter · esc", id="filter-hint")

    @property
    def box(self) -> FilterInput:
        return self.query_one("#filter-input", FilterInput)

    def on_mount(self) -> None:
        self.box.focus()

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
