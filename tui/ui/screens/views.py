"""Saved views: a query kept under a name. Naming one, and the list to switch to."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.queries import QueryStore, View
from tui.ui.palette import muted
from tui.ui.widgets.text_box import TextBox


class NameDialog(ModalScreen[str | None]):
    """Asks for the name of a view (Enter saves, Esc cancels)."""

    HELP_SECTION = "Naming a view"
    HELP_ORDER = 22
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="cancel, nothing saved", id="view_name.cancel")]

    def __init__(self, query: str, name: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.initial_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="view-name-box"):
            yield Label("Save the query as a view", id="view-name-title")
            yield Label(Text(self.query_text), id="view-name-query")
            yield TextBox(self.initial_name, placeholder="name of the view (Enter saves, Esc cancels)", id="view-name-input")

    def on_mount(self) -> None:
        self.query_one("#view-name-input", Input).focus()

    @on(Input.Submitted, "#view-name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("A view needs a name.", severity="warning", timeout=2)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ViewsScreen(ModalScreen[View | None]):
    """Every saved view: Enter filters the main list with its query, d deletes one."""

    HELP_SECTION = "Saved views (w)"
    HELP_ORDER = 22
    BINDINGS = [
        Binding("escape", "dismiss_none", "Back", tooltip="back", id="views.back"),
        Binding("d,delete", "delete", "Delete", tooltip="delete the selected view", id="views.delete"),
    ]

    def __init__(self, queries: QueryStore) -> None:
        super().__init__()
        self.queries = queries

    def compose(self) -> ComposeResult:
        with Vertical(id="views-box"):
            yield Label("Saved views", id="views-title")
            yield OptionList(id="views-options")
            yield Label("Enter: filter the list with it  ·  d: delete  ·  Esc: back", id="views-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#views-options", OptionList).focus()

    def _fill(self, highlighted: int = 0) -> None:
        options = self.query_one("#views-options", OptionList)
        options.clear_options()
        if not self.queries.views:
            options.add_option(Option(Text("No saved views yet: type a query after / and press ctrl+s.", style="italic"), disabled=True))
            return
        width = max(len(v.name) for v in self.queries.views)
        for view in self.queries.views:
            line = Text(view.name.ljust(width), style="bold")
            line.append("   ")
            line.append(view.query, muted(self.app.theme_variables))
            options.add_option(Option(line))
        options.highlighted = max(0, min(highlighted, len(self.queries.views) - 1))

    @on(OptionList.OptionSelected, "#views-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.queries.views):
            self.dismiss(self.queries.views[event.option_index])

    def action_delete(self) -> None:
        k = self.query_one("#views-options", OptionList).highlighted
        if k is None or not 0 <= k < len(self.queries.views):
            return
        view = self.queries.views[k]
        self.queries.delete_view(view.name)
        self.notify(f"Deleted the view “{view.name}”.", title="Views", markup=False, timeout=2)
        self._fill(k)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
