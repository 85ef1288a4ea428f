"""The related-articles sidebar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.core.model import Entry, Related


@dataclass(frozen=True)
class RelatedItem:
    related: Related
    local: Entry | None  # the file in this collection it points to, if any


class RelatedOptions(OptionList):
    """The sidebar's list. Its size is fixed by the layout, never by its
    options: a new article's entries repaint the list without re-laying out
    the whole screen (``virtual_size`` is a layout reactive in ``Widget``)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class RelatedPane(Vertical):
    """Every ``related:`` entry of the current article, marked local or external."""

    @dataclass
    class Chosen(Message):
        item: RelatedItem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[RelatedItem] = []
        self.is_marked: Callable[[RelatedItem], bool] = lambda item: False

    def compose(self) -> ComposeResult:
        yield Label("Related", id="related-title")
        yield RelatedOptions(id="related-options")

    @property
    def options(self) -> OptionList:
        return self.query_one("#related-options", OptionList)

    def set_items(self, items: Sequence[RelatedItem], total: int | None = None) -> None:
        self.items = list(items)
        local = sum(1 for item in self.items if item.local is not None)
        total = len(self.items) if total is None else total
        title = f"Related ({total:,})"
        if total > len(self.items):
            title = f"Related ({total:,}, first {len(self.items):,} shown)"
        if self.items:
            title += f" · {local} here"
        self.query_one("#related-title", Label).update(title, layout=False)  # one line, always
        self.refresh_items()

    def refresh_items(self) -> None:
        options = self.options
        highlighted = options.highlighted
        options.clear_options()
        if not self.items:
            options.add_option(Option(Text("No related stories.", style="dim"), disabled=True))
            return
        options.add_options(Option(self._prompt(item), id=str(i)) for i, item in enumerate(self.items))
        if highlighted is not None and highlighted < len(self.items):
            options.highlighted = highlighted

    def _prompt(self, item: RelatedItem) -> Text:
        rel = item.related
        text = Text()
        if item.local is not None:
            text.append("● ", "green")
        else:
            text.append("↗ ", "dim")
        if self.is_marked(item):
            text.append("★ ", "yellow")
        text.append(rel.title, "bold" if item.local is not None else "")
        details = " · ".join(
            x for x in (rel.provider or rel.domain, rel.published.strftime("%Y-%m-%d") if rel.published else "") if x
        )
        if item.local is not None:
            details = (details + " · " if details else "") + "in collection"
        if details:
            text.append("\n  " + details, "dim")
        return text

    @property
    def current(self) -> RelatedItem | None:
        index = self.options.highlighted
        if index is None or not self.items or index >= len(self.items):
            return None
        return self.items[index]

    @on(OptionList.OptionSelected, "#related-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self.items[int(event.option.id)]))
