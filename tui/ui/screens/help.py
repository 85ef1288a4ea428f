"""Help: every key, as bound."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Moving",
        [
            ("↑ ↓  j k", "previous / next article (or related entry)"),
            ("PgUp PgDn  space", "a page up / down"),
            ("g  G  Home End", "first / last article"),
            ("Tab  Shift+Tab", "next / previous pane (list, detail, related)"),
            ("Enter", "open: the article, or the selected related story"),
            ("mouse", "click a row to show it, scroll with the wheel"),
        ],
    ),
    (
        "Walking the related stories",
        [
            ("[  alt+←  backspace", "back to the article opened before"),
            ("]  alt+→", "forward again"),
            ("v  V", "next / previous version of a story told by several outlets (×2 in the list)"),
            ("sidebar", "Related (● here, ○ external, ★ bookmarked), Versions, Cited by, More like this"),
        ],
    ),
    (
        "Finding",
        [
            ("/", "jump: fuzzy-find any story (typos welcome); Enter opens, Esc returns"),
            ("s", "cycle the sort: date, title, provider, quality, heat"),
            ("B", "show only bookmarks (again: everything)"),
            ("ctrl+p", "command palette: every action, and jump to any story"),
        ],
    ),
    (
        "Reading",
        [
            ("f", "show / hide the raw front matter"),
            ("r", "show / hide the related sidebar"),
            ("b", "bookmark / un-bookmark the article or selected related story"),
            ("o", "open the URL in the browser (http and https only)"),
            ("y", "copy the URL"),
        ],
    ),
    (
        "The reader",
        [
            ("!", "Issues: files that could not be read, and why"),
            ("R", "rescan the collection (new, changed, removed files)"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table())

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, rows in KEYS:
            table.add_row(Text(section, style="underline"), "")
            for key, what in rows:
                table.add_row(key, what)
            table.add_row("", "")
        table.add_row("", Text("Esc closes this help.", style="dim"))
        return table
