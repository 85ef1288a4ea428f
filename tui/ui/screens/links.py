"""Every link and image of an article: pick one to open it in the browser."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.links import Link
from tui.core.urls import is_openable
from tui.ui.outside import open_url
from tui.ui.palette import muted

MAX_LINKS = 1000  # a body may hold thousands; the list shows this many


class LinksScreen(ModalScreen[None]):
    HELP_SECTION = "Links list (O)"
    HELP_ORDER = 30
    BINDINGS = [
        Binding("escape,q,O", "dismiss", "Back", tooltip="close the list", id="links.close"),
        Binding("o", "open_link", "Open", tooltip="open the chosen link (Enter too; http and https only)", id="links.open"),
        Binding("y,c", "copy_link", "Copy", tooltip="copy the chosen URL", id="links.copy"),
    ]

    def __init__(self, title: str, links: Sequence[Link]) -> None:
        super().__init__()
        self.article_title = title
        self.links = list(links[:MAX_LINKS])
        self.total = len(links)

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            count = f"{self.total:,} link{'s' if self.total != 1 else ''}"
            if self.total > MAX_LINKS:
                count += f" (the first {MAX_LINKS:,} shown)"
            yield Label(Text(f"{count} in “{self.article_title}”"), id="links-title")
            yield OptionList(*(Option(self._prompt(link)) for link in self.links), id="links-options")
            yield Label("Enter opens (http and https only) · y copies · Esc closes", id="links-hint")

    def on_mount(self) -> None:
        options = self.query_one("#links-options", OptionList)
        options.highlighted = 0
        options.focus()

    def _prompt(self, link: Link) -> Table:
        """Kind, then the URL (wrapped under itself) and what the article calls it."""
        table = Table.grid(padding=(0, 1))
        dim = muted(self.app.theme_variables)
        table.add_column(width=10, no_wrap=True, style=dim)
        table.add_column(ratio=1, overflow="fold")
        url = Text(link.url, "" if is_openable(link.url) else dim + Style(strike=True))
        if link.text and link.text != link.url:
            url.append(f"  {link.text}", dim + Style(italic=True))
        table.add_row(Text(link.kind), url)
        return table

    @property
    def current(self) -> Link | None:
        index = self.query_one("#links-options", OptionList).highlighted
        return self.links[index] if index is not None and 0 <= index < len(self.links) else None

    @on(OptionList.OptionSelected, "#links-options")
    def _chosen(self) -> None:
        self.action_open_link()

    def action_open_link(self) -> None:
        link = self.current
        if link is None:
            return
        open_url(self, link.url, "link")

    def action_copy_link(self) -> None:
        link = self.current
        if link is not None:
            self.app.copy_to_clipboard(link.url)
            self.notify(f"Copied {link.url}", timeout=2, markup=False)
