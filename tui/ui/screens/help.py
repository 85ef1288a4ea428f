"""Help: every key as bound now (after the settings' keymap), from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui import keys
from tui.ui.palette import muted

WITH_IDS = 100  # columns from which the binding ids show beside what the keys do


class HelpScreen(ModalScreen[None]):
    HELP_SECTION = "Help"
    HELP_ORDER = 90
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", tooltip="close this help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._update())

    def on_resize(self, event: events.Resize) -> None:
        self._update()

    def _update(self) -> None:
        self.query_one("#help-table", Static).update(self._table())

    def _table(self) -> Table:
        """Keys, what they do and (where there is room for it beside them) the binding id."""
        app = self.app
        dim = muted(app.theme_variables)
        with_ids = app.size.width >= WITH_IDS
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        if with_ids:
            table.add_column(style=dim, no_wrap=True)

        def row(*cells: str | Text) -> None:
            table.add_row(*cells[: 3 if with_ids else 2])

        row(Text("Keys", style="bold"), Text("Every key as bound now. Esc closes this help.", style=dim), "")
        row("", "", "")
        for n, section in enumerate(keys.sections(app)):
            row(Text(section.title, style="underline"), "", Text("binding id", style="italic") if n == 0 else "")
            for binding in section.rows:
                shown = "  ".join(keys.key_display(app, key) for key in binding.keys) or "(none)"
                row(Text(shown), Text(binding.description), Text(binding.binding_id))
            row("", "", "")
        row("mouse", "click a row to show it, scroll with the wheel", "")
        row("", "", "")
        note = 'To change a key, name its binding id in the [keys] table of the settings file, e.g. sort = "S" (tui-reader config edit).'
        if not with_ids:
            note += f" The binding ids show here {WITH_IDS} columns wide, and in docs/keys.md."
        row("", Text(note, style=dim), "")
        return table
