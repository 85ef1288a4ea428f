"""The sidebar: the stories around the current one, in sections.

* Related: the article's own ``related:`` entries, each resolved to a file
  of the collection (● in the collection) or not (○ external);
* Versions: the same story told by other outlets (when there are some);
* Cited by: the articles whose related lists name this one;
* More like this: the nearest articles by topics, title and excerpt.

Every heading carries its count; a bookmarked entry has a ★.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

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

SECTIONS = ("versions", "cited", "similar")  # after Related, in this order
HEADINGS = {"related": "Related", "versions": "Versions", "cited": "Cited by", "similar": "More like this"}


@dataclass(frozen=True)
class RelatedItem:
    """One sidebar entry: a related snapshot (maybe resolved to a file here),
    or an article of the collection (cited by, more like this, versions)."""

    related: Related | None
    local: Entry | None  # the file in this collection it is, if any
    section: str = "related"
    current: bool = False  # the version shown now (Versions section)

    @property
    def title(self) -> str:
        if self.related is not None:
            return self.related.title
        return self.local.title if self.local is not None else ""

    @property
    def url(self) -> str:
        if self.related is not None:
            return self.related.url
        return self.local.url if self.local is not None else ""

    @property
    def provider(self) -> str:
        if self.related is not None:
            return self.related.provider or self.related.domain
        return (self.local.provider or self.local.domain) if self.local is not None else ""

    @property
    def published(self) -> datetime | None:
        if self.related is not None:
            return self.related.published
        return self.local.published if self.local is not None else None


class RelatedOptions(OptionList):
    """The sidebar's list. Its size is fixed by the layout, never by its
    options: a new article's entries repaint the list without re-laying out
    the whole screen (``virtual_size`` is a layout reactive in ``Widget``)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class RelatedPane(Vertical):
    """The related sidebar: one option list, its sections' headings as disabled rows."""

    @dataclass
    class Chosen(Message):
        item: RelatedItem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[RelatedItem] = []  # the Related section
        self.total = 0
        self.sections: dict[str, list[RelatedItem] | None] = dict.fromkeys(SECTIONS)  # None: not known yet
        self._rows: list[RelatedItem | None] = []  # per option: its item, None for a heading
        self.is_marked: Callable[[RelatedItem], bool] = lambda item: False

    def compose(self) -> ComposeResult:
        yield Label("Related", id="related-title")
        yield RelatedOptions(id="related-options")

    @property
    def options(self) -> OptionList:
        return self.query_one("#related-options", OptionList)

    def set_items(self, items: Sequence[RelatedItem], total: int | None = None, **sections: Sequence[RelatedItem] | None) -> None:
        """The Related section (``total`` entries in the file, ``items`` shown),
        and any other sections by name (``cited=[...]``; None: not known yet)."""
        self.items = list(items)
        self.total = len(self.items) if total is None else total
        self.sections = dict.fromkeys(SECTIONS)
        for name, value in sections.items():
            self.sections[name] = list(value) if value is not None else None
        local = sum(1 for item in self.items if item.local is not None)
        title = f"Related ({self.total:,})"
        if self.total > len(self.items):
            title = f"Related ({self.total:,}, first {len(self.items):,} shown)"
        if self.items:
            title += f" · {local} here"
        self.query_one("#related-title", Label).update(title, layout=False)  # one line, always
        self.refresh_items()

    def set_section(self, name: str, items: Sequence[RelatedItem] | None) -> None:
        self.sections[name] = list(items) if items is not None else None
        self.refresh_items()

    def clear(self) -> None:
        self.set_items([])
        self.sections = dict.fromkeys(SECTIONS)
        self.refresh_items()

    def refresh_items(self) -> None:
        options = self.options
        highlighted = options.highlighted
        options.clear_options()
        rows: list[RelatedItem | None] = []
        prompts: list[Option] = []
        if not self.items:
            prompts.append(Option(Text("No related stories.", style="dim"), disabled=True))
            rows.append(None)
        for item in self.items:
            prompts.append(Option(self._prompt(item), id=str(len(rows))))
            rows.append(item)
        for name in SECTIONS:
            items = self.sections.get(name)
            if name == "versions" and not items:
                continue  # only for a story told by several outlets
            count = "…" if items is None else f"{len(items):,}"
            prompts.append(Option(Text(f"{HEADINGS[name]} ({count})", style="bold reverse"), disabled=True))
            rows.append(None)
            for item in items or ():
                prompts.append(Option(self._prompt(item), id=str(len(rows))))
                rows.append(item)
        self._rows = rows
        options.add_options(prompts)
        if highlighted is not None and highlighted < len(rows) and rows[highlighted] is not None:
            options.highlighted = highlighted

    def _prompt(self, item: RelatedItem) -> Text:
        text = Text()
        if item.local is not None:
            text.append("● ", "green")
        else:
            text.append("○ ", "dim")
        if self.is_marked(item):
            text.append("★ ", "yellow")
        if item.current:
            text.append("▸ ", "bold")
        text.append(item.title, "bold" if item.local is not None else "")
        details = " · ".join(x for x in (item.provider, item.published.strftime("%Y-%m-%d") if item.published else "") if x)
        if item.section == "related" and item.local is not None:
            details = (details + " · " if details else "") + "in collection"
        if details:
            text.append("\n  " + details, "dim")
        return text

    @property
    def current(self) -> RelatedItem | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    @property
    def all_items(self) -> list[RelatedItem]:
        return [item for item in self._rows if item is not None]

    @on(OptionList.OptionSelected, "#related-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            item = self._rows[int(event.option.id)]
            if item is not None:
                self.post_message(self.Chosen(item))
