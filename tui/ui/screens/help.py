"""Help: every key as bound now (after the settings' keymap), from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui import keys
from tui.ui.palette import muted


class HelpScreen(ModalScreen[None]):
    HELP_SECTION = "Help"
    HELP_ORDER = 90
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", tooltip="close this help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-table")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.query_one("#help-table", Static).update(self._table()))

    def _table(self) -> Table:
        app = self.app
        dim = muted(app.theme_variables)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(style=dim, no_wrap=True)
        table.add_row(Text("Keys", style="bold"), Text("Every key as bound now. Esc closes this help.", style=dim), "")
        table.add_row("", "", "")
        for n, section in enumerate(keys.sections(app)):
            table.add_row(Text(section.title, style="underline"), "", Text("binding id", style="italic") if n == 0 else "")
            for row in section.rows:
                shown = "  ".join(keys.key_display(app, key) for key in row.keys) or "(none)"
                table.add_row(Text(shown), Text(row.description), Text(row.binding_id))
            table.add_row("", "", "")
        table.add_row("mouse", "click a row to show it, scroll with the wheel", "")
        table.add_row("", "", "")
        note = Text(
            'To change a key, name its binding id in the [keys] table of the settings file, e.g. sort = "S"'
            " (tui-reader config edit).",
            style=dim,
        )
        table.add_row("", note, "")
        return table
