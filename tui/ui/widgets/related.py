"""The sidebar: the stories around the current one, in sections.

* Related: the article's own ``related:`` entries, each resolved to a file
  of the collection (● in the collection) or not (○ external);
* Versions: the same story told by other outlets (when there are some);
* Cited by: the articles whose related lists name this one;
* More like this: the nearest articles by topics, title and excerpt.

Every heading carries its count; a bookmarked entry has a ★.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Label
from textual.worker import get_current_worker

from tui.core.bookmarks import Bookmark, entry_key
from tui.core.collection import Collection
from tui.core.model import Article, Entry, Related
from tui.core.session import Sections
from tui.ui.palette import text_only
from tui.ui.widgets.virtual_list import VirtualList

SECTIONS = ("versions", "cited", "similar")  # after Related, in this order
SIMILAR_DELAY = 0.05  # seconds after an article is shown before "more like this" is looked up
MAX_RELATED = 1000  # a file may list thousands; the sidebar shows this many
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

    def bookmark(self) -> Bookmark:
        """A new bookmark of it: of its file here when it has one, else of the related story."""
        if self.local is not None:
            return Bookmark.from_entry(self.local)
        assert self.related is not None
        return Bookmark.from_related(self.related)

    @property
    def identity(self) -> str:
        return entry_key(self.local) if self.local is not None else self.bookmark().key


def related_items(article: Article, collection: Collection | None, *, by_title: bool = True) -> list[RelatedItem]:
    """The article's own related stories (the first ``MAX_RELATED``), each
    resolved to a file of the collection when it is one (by its URLs, and
    its title unless ``by_title`` is False)."""
    return [RelatedItem(rel, collection.resolve(rel, by_title=by_title) if collection else None) for rel in article.related[:MAX_RELATED]]


class RelatedOptions(VirtualList):
    """The sidebar's list: options of a few wrapped lines each (an entry, or
    a section heading that cannot be chosen), drawn by the virtual list.

    Textual's ``OptionList`` re-renders every visible option through its
    layout each time the options change (tens of ms per article here, when
    it was measured); this one
    wraps each option once per width into strips and paints them from a
    cache, so a new article's sidebar costs about a millisecond. The cursor
    sits on an option's first line and spans all its lines; ``highlighted``
    is the option index (None: no option highlighted).
    """

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"related--local", "related--muted", "related--bookmark"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._prompts: list[Text] = []
        self._enabled: list[bool] = []
        self._strips: list[Strip] = []  # every line of every option, at _width
        self._first: list[int] = []  # each option's first line
        self._width = -1
        self._none = True
        self.empty_text = ""

    # -- options ------------------------------------------------------------------
    def set_options(self, prompts: Sequence[Text], enabled: Sequence[bool], highlighted: int | None = None) -> None:
        self._prompts, self._enabled = list(prompts), list(enabled)
        self._width = -1
        self._wrap()
        keep = highlighted is not None and 0 <= highlighted < len(self._prompts) and self._enabled[highlighted]
        self._none = not keep
        self.reset(self._first[highlighted] if keep and highlighted is not None else 0)

    @property
    def option_count(self) -> int:
        return len(self._prompts)

    @property
    def highlighted(self) -> int | None:
        if self._none or not self._prompts:
            return None
        return self._option_at(self.cursor)

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._prompts):
            self._none = True
            self.refresh()
            return
        self._none = False
        self._wrap()
        self.cursor = self._first[index]

    def _option_at(self, line: int) -> int:
        return max(0, bisect_right(self._first, line) - 1)

    def _wrap(self) -> None:
        """Each option's lines at the current width (once per width)."""
        width = self.scrollable_content_region.width
        if width == self._width and len(self._first) == len(self._prompts):
            return
        self._width = width
        strips: list[Strip] = []
        first: list[int] = []
        if width > 0:
            console = self.app.console
            options = console.options.update_width(width)
            for prompt in self._prompts:
                first.append(len(strips))
                strips.extend(Strip(line, width) for line in console.render_lines(prompt, options, pad=True, new_lines=False))
        else:
            for _prompt in self._prompts:
                first.append(len(strips))
                strips.append(Strip.blank(0))
        self._strips, self._first = strips, first
        self._row_lines.clear()

    # -- the virtual list's side ----------------------------------------------------
    def row_count(self) -> int:
        self._wrap()
        return len(self._strips)

    def on_resize(self) -> None:
        self._wrap()
        super().on_resize()
        if not self._none and self._prompts:
            self.cursor = self._first[min(self._option_at(self.cursor), len(self._first) - 1)]

    def cursor_span(self, cursor: int) -> tuple[int, int]:
        if self._none or not self._first:
            return -1, 0
        option = self._option_at(cursor)
        end = self._first[option + 1] if option + 1 < len(self._first) else len(self._strips)
        return self._first[option], end - self._first[option]

    def row_cache_key(self, index: int) -> object:
        return self._width

    def render_row_segments(self, index: int, width: int, is_cursor: bool) -> list[Segment]:
        strip = self._strips[index] if index < len(self._strips) else Strip.blank(width)
        if is_cursor:
            strip = self.on_band(strip)
        return list(strip.apply_style(self.style("")).crop_extend(0, width, None))

    def render_row(self, index: int, width: int) -> Text:
        return Text()

    # -- moving between options -------------------------------------------------
    def _enabled_from(self, start: int, step: int) -> int | None:
        i = start
        while 0 <= i < len(self._enabled):
            if self._enabled[i]:
                return i
            i += step
        return None

    def _go(self, option: int | None) -> None:
        if option is not None:
            self.highlighted = option

    def action_cursor_down(self) -> None:
        current = self.highlighted
        self._go(self._enabled_from(0 if current is None else current + 1, 1))

    def action_cursor_up(self) -> None:
        current = self.highlighted
        if current is None:
            self._go(self._enabled_from(len(self._enabled) - 1, -1))
        else:
            self._go(self._enabled_from(current - 1, -1))

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        target = self._option_at(min(len(self._strips) - 1, (0 if self._none else self.cursor) + height))
        self._go(self._enabled_from(target, 1) or self._enabled_from(target, -1))

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        target = self._option_at(max(0, (0 if self._none else self.cursor) - height))
        self._go(self._enabled_from(target, -1) or self._enabled_from(target, 1))

    def action_first(self) -> None:
        self._go(self._enabled_from(0, 1))

    def action_last(self) -> None:
        self._go(self._enabled_from(len(self._enabled) - 1, -1))

    def action_select(self) -> None:
        current = self.highlighted
        if current is not None and self._enabled[current]:
            self.post_message(self.Selected(self, current))

    def row_clicked(self, row: int, chain: int) -> None:
        """A click highlights the option under it (a heading: nothing); a double click chooses it."""
        if not 0 <= row < len(self._strips):
            return
        option = self._option_at(row)
        if not self._enabled[option]:
            return
        if option == self.highlighted and chain >= 2:
            self.post_message(self.Selected(self, option))
        self.highlighted = option


class RelatedPane(Vertical):
    """The related sidebar: one option list, its sections' headings as disabled rows."""

    @dataclass
    class Chosen(Message):
        item: RelatedItem

    @dataclass
    class SimilarFound(Message):
        entry: Entry
        found: list[Entry]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[RelatedItem] = []  # the Related section
        self.total = 0
        self.sections: dict[str, list[RelatedItem] | None] = dict.fromkeys(SECTIONS)  # None: not known yet
        self._rows: list[RelatedItem | None] = []  # per option: its item, None for a heading
        self.is_bookmarked: Callable[[RelatedItem], bool] = lambda item: False
        self._similar_for: Entry | None = None  # the article "more like this" is looked up for
        self._similar_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("Related", id="related-title")
        yield RelatedOptions(id="related-options")

    @property
    def options(self) -> RelatedOptions:
        return self.query_one("#related-options", RelatedOptions)

    def set_items(self, items: Sequence[RelatedItem], total: int | None = None, story: Sections | None = None) -> None:
        """The Related section (``total`` entries in the file, ``items``
        shown), and the story's sections (None: not known yet)."""
        self.items = list(items)
        self.total = len(self.items) if total is None else total
        self.sections = dict.fromkeys(SECTIONS)
        if story is not None:
            self.sections.update(self._story_sections(story))
        local = sum(1 for item in self.items if item.local is not None)
        title = f"Related ({self.total:,})"
        if self.total > len(self.items):
            title = f"Related ({self.total:,}, first {len(self.items):,} shown)"
        if self.items:
            title += f" · {local} here"
        self.query_one("#related-title", Label).update(title, layout=False)  # one line, always
        self.refresh_items()

    def refine(self, items: Sequence[RelatedItem], story: Sections) -> None:
        """The same article's sidebar, looked up in full: "More like this" and the cursor stay."""
        similar, cursor = self.sections.get("similar"), self.options.cursor
        self.set_items(items, self.total, story)
        self.sections["similar"] = similar
        self.refresh_items()
        self.options.cursor = min(cursor, max(0, self.options.row_count() - 1))

    def set_section(self, name: str, items: Sequence[RelatedItem] | None) -> None:
        self.sections[name] = list(items) if items is not None else None
        self.refresh_items()

    def set_story(self, story: Sections) -> None:
        """The story's sections became known (the graph is built) for the article shown."""
        self.sections.update(self._story_sections(story))
        self.refresh_items()

    @staticmethod
    def _story_sections(story: Sections) -> dict[str, list[RelatedItem]]:
        sections: dict[str, list[RelatedItem]] = {}
        if story.cited is not None:  # (None: not known yet)
            sections["cited"] = [RelatedItem(None, entry, "cited") for entry in story.cited]
        if story.versions:
            sections["versions"] = [
                RelatedItem(None, entry, "versions", current=k == story.current) for k, entry in enumerate(story.versions)
            ]
        return sections

    def clear(self) -> None:
        self._similar_for = None
        self.set_items([])
        self.sections = dict.fromkeys(SECTIONS)
        self.refresh_items()

    # -- more like this -------------------------------------------------------------------
    def look_up_similar(self, entry: Entry, similar: Callable[[Entry], list[Entry] | None], delay: float = SIMILAR_DELAY) -> None:
        """Fill "More like this" for ``entry`` with what ``similar`` finds, in
        a thread (``benchmarks/bench_graph.py`` times it), ``delay`` seconds from
        now: once the article is painted, so it never competes with that
        frame for the interpreter (and a held key starts none)."""
        self._similar_for = entry
        if self._similar_timer is not None:
            self._similar_timer.stop()
            self._similar_timer = None
        if delay:
            self._similar_timer = self.set_timer(delay, partial(self._similar_now, entry, similar))
        else:
            self._similar_now(entry, similar)

    def _similar_now(self, entry: Entry, similar: Callable[[Entry], list[Entry] | None]) -> None:
        self._similar_timer = None
        if entry is self._similar_for:  # not another article by now
            self._find_similar(entry, similar)

    @work(thread=True, exclusive=True, group="similar")
    def _find_similar(self, entry: Entry, similar: Callable[[Entry], list[Entry] | None]) -> None:
        try:
            found = similar(entry)
        except (sqlite3.Error, OSError):
            return  # the index went away meanwhile: the section stays empty
        if found is not None and not get_current_worker().is_cancelled:
            self.post_message(self.SimilarFound(entry, found))

    @on(SimilarFound)
    def _similar_found(self, event: SimilarFound) -> None:
        if event.entry is self._similar_for:
            self.set_section("similar", [RelatedItem(None, entry, "similar") for entry in event.found])

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_items())  # the prompts carry colours

    def _style(self, name: str) -> Style:
        return text_only(self.options.get_component_rich_style(name))

    def refresh_items(self) -> None:
        options = self.options
        highlighted = options.highlighted
        rows: list[RelatedItem | None] = []
        prompts: list[Text] = []
        if not self.items:
            prompts.append(Text("No related stories.", style=self._style("related--muted")))
            rows.append(None)
        for item in self.items:
            prompts.append(self._prompt(item))
            rows.append(item)
        for name in SECTIONS:
            items = self.sections.get(name)
            if name == "versions" and not items:
                continue  # only for a story told by several outlets
            count = "…" if items is None else f"{len(items):,}"
            prompts.append(Text(f"{HEADINGS[name]} ({count})", style="bold reverse"))
            rows.append(None)
            for item in items or ():
                prompts.append(self._prompt(item))
                rows.append(item)
        self._rows = rows
        keep = highlighted if highlighted is not None and highlighted < len(rows) and rows[highlighted] is not None else None
        options.set_options(prompts, [row is not None for row in rows], keep)

    def _prompt(self, item: RelatedItem) -> Text:
        text = Text()
        if item.local is not None:
            text.append("● ", self._style("related--local"))
        else:
            text.append("○ ", self._style("related--muted"))
        if self.is_bookmarked(item):
            text.append("★ ", self._style("related--bookmark"))
        if item.current:
            text.append("▸ ", "bold")
        text.append(item.title, "bold" if item.local is not None else "")
        details = " · ".join(x for x in (item.provider, item.published.strftime("%Y-%m-%d") if item.published else "") if x)
        if item.section == "related" and item.local is not None:
            details = (details + " · " if details else "") + "in collection"
        if details:
            text.append("\n  " + details, self._style("related--muted"))
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

    @on(VirtualList.Selected, "#related-options")
    def _chosen(self, event: VirtualList.Selected) -> None:
        event.stop()
        if 0 <= event.index < len(self._rows):
            item = self._rows[event.index]
            if item is not None:
                self.post_message(self.Chosen(item))

    @on(VirtualList.Highlighted, "#related-options")
    def _moved(self, event: VirtualList.Highlighted) -> None:
        event.stop()  # the main screen follows the article list's cursor only
