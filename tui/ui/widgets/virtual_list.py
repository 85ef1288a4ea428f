"""A list that renders only the rows on screen.

Textual's ``ListView`` builds a widget per row and is unusable past a few
thousand rows; this one is a ``ScrollView`` whose ``render_line`` draws the
visible rows from plain data, with a small line cache (the approach of
Toolong's ``log_lines.py``). It stays instant at 50,000 rows and beyond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.ui.palette import on_band
from tui.ui.textual_compat import forget_styled_lines, has_border_titles, scrollbars_follow
from tui.ui.widgets.scrollbar import QuickScrollBars
from tui.ui.widgets.strips import Line, fit


class VirtualList(QuickScrollBars, ScrollView, can_focus=True):
    """Base class: subclasses say how many rows there are and draw one row."""

    HELP_SECTION = "Moving in a list"
    HELP_ORDER = 5
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="previous article (or issue)", id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, tooltip="next article (or issue)", id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, tooltip="a page up", id="list.page_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, tooltip="a page down", id="list.page_down"),
        Binding("home,g", "first", "First", show=False, tooltip="first article", id="list.first"),
        Binding("end,G", "last", "Last", show=False, tooltip="last article", id="list.last"),
        Binding("enter", "select", "Open", show=False, tooltip="open: the article in the whole width (Esc or q: back to the list)", id="list.select"),
    ]

    COMPONENT_CLASSES = {"virtual-list--cursor", "virtual-list--empty"}
    ALLOW_SELECT = False  # a click picks a row; it does not select text

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)  # watch_cursor repaints
    # A list's size never depends on its rows: a new row count repaints the
    # list and its scrollbar without a layout of the screen (see
    # textual_compat.scrollbars_follow). A scrollbar that appears or goes
    # still lays the screen out, as Textual does.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a row."""

        virtual_list: VirtualList
        index: int
        moved: bool = True  # False when the rows were replaced (load, sort, filter)

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    @dataclass
    class Selected(Message):
        """Enter (or a click) on a row."""

        virtual_list: VirtualList
        index: int

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._row_lines: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[object, Any] = {}  # styles looked up (or combined) for the paint under way
        self._paint = (0, 0, False)  # scroll offset, width and focus, for the paint under way
        self._cursor_rows = (0, 1)  # rows drawn as the cursor, for the paint under way
        self._quick: tuple[Segment, ...] | None = None  # the own line path's line end, when it is in use
        self._edge_key: tuple[object, ...] | None = None
        self._edge: tuple[Segment, ...] = ()
        self.empty_text = "Nothing to show."
        self._center_when_sized = False

    # -- what subclasses provide ------------------------------------------
    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int, width: int) -> Text:
        raise NotImplementedError

    def row_cache_key(self, index: int) -> object:
        """Anything that changes how a row looks (e.g. a bookmark mark)."""
        return None

    def render_row_segments(self, index: int, width: int, is_cursor: bool) -> list[Segment] | None:
        """A faster way to draw a row, straight to segments (None: use
        :meth:`render_row`). They must make exactly ``width`` cells and
        carry the cursor and base styles themselves."""
        return None

    # -- data changes -----------------------------------------------------------
    def reset(self, cursor: int = 0, keep_lines: bool = False) -> None:
        """Call after the rows changed: recompute size, clear the cache
        (``keep_lines``: the cache keys say what each line shows, so lines
        drawn before may serve again)."""
        if not keep_lines:
            self._row_lines.clear()
        count = self.row_count()
        self.virtual_size = Size(self.scrollable_content_region.width or 1, count)
        self.set_reactive(VirtualList.cursor, max(0, min(cursor, count - 1)))
        self._center_cursor()
        self.refresh()
        if count:
            self.post_message(self.Highlighted(self, self.cursor, moved=False))

    def refresh_rows(self) -> None:
        self._row_lines.clear()
        self.refresh()

    # -- cursor -------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count() - 1))

    def cursor_span(self, cursor: int) -> tuple[int, int]:
        """The rows drawn as the cursor at ``cursor``: first row and count
        (one row; a list of multi-line items spans an item)."""
        return cursor, 1

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        self._scroll_cursor_into_view()
        if round(self.scroll_y) == top:
            # Only the rows that changed: a step repaints two lines, not the list.
            width = self.size.width
            (a, m), (b, n) = self.cursor_span(old), self.cursor_span(new)
            self.refresh(Region(0, a - top, width, m), Region(0, b - top, width, n))
        else:
            self.refresh()
        if self.row_count():
            self.post_message(self.Highlighted(self, new))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        first, count = self.cursor_span(self.cursor)
        last = first + max(1, min(count, height)) - 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count() - 1

    def action_select(self) -> None:
        if self.row_count():
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y
        if 0 <= row < self.row_count():
            self.row_clicked(row, event.chain)

    def row_clicked(self, row: int, chain: int) -> None:
        """A click moves the cursor to the row; a double click opens it."""
        if row == self.cursor and chain >= 2:
            self.post_message(self.Selected(self, row))
        self.cursor = row

    # -- rendering ---------------------------------------------------------------
    def _center_cursor(self) -> None:
        """The cursor's row in the middle of the list; once the list has a
        size if it has none yet (a place restored before the first layout)."""
        height = self.scrollable_content_region.height
        self._center_when_sized = height <= 0
        if height > 0:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._row_lines.clear()
        self.virtual_size = Size(self.scrollable_content_region.width or 1, self.row_count())
        if self._center_when_sized:
            self._center_cursor()
        else:
            self._scroll_cursor_into_view()  # a smaller terminal keeps the cursor's row on screen

    def watch_virtual_size(self, size: Size) -> None:
        scrollbars_follow(self, size)

    def style(self, name: str) -> Style:
        """A component class's style, looked up once per paint (not per row)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per paint, not once per line.
        self._styles = {"": self.rich_style}
        self._paint = (round(self.scroll_y), self.scrollable_content_region.width, self.has_focus)
        self._cursor_rows = self.cursor_span(self.cursor)
        filters = self.get_line_filters()
        edge = self._quick_edge(filters)
        if edge is None:
            self._quick = None
            return super().render_lines(crop)
        # The list's own line path. Textual's generic line styling (borders,
        # padding, tint, opacity and hatch checked line by line, more Strips
        # made per line) costs a page down a few ms a frame: see "lines" in
        # benchmarks/bench_paint.py and docs/performance.md. A list styled with
        # at most a right border needs none of it: each line is its row plus
        # the segments Textual puts after it (the blank under the scrollbar,
        # the border cell), taken once from a line Textual made; one Strip per
        # line. tests/test_ui_list.py checks the lines are Textual's, segment for segment.
        if self._quick is None:
            forget_styled_lines(self)  # lines Textual kept may be stale by the time it is used again
        self._quick = edge
        width = self.region.width
        _, background = self.background_colors
        strips: list[Strip] = []
        for y in crop.line_range:
            segments = self._row_segments(y)
            if segments is None:
                segments = list(self.render_line(y))
            for line_filter in filters:
                segments = line_filter.apply(segments, background)
            strips.append(Line([*segments, *edge], width))  # the edge is already through the filters
        if crop.column_span != (0, width):
            strips = [strip.crop(crop.x, crop.right) for strip in strips]
        return strips

    def _quick_edge(self, filters: Sequence[LineFilter]) -> tuple[Segment, ...] | None:
        """What Textual puts right of each row, through ``filters``: the
        blank under the scrollbar and the right border's cell, when the
        widget's styles allow the list's own line path; None when they need Textual's."""
        styles = self.styles
        (top, _), (right, right_color), (bottom, _), (left, _) = styles.border
        if (
            top or bottom or left
            or any(edge for edge, _ in styles.outline)
            or styles.padding != (0, 0, 0, 0)
            or styles.tint.a
            or self.opacity != 1.0
            or styles.text_opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or has_border_titles(self)
            or self.BLANK
        ):
            return None
        width, row_width = self.region.width, self._paint[1]
        key = (width, row_width, self.background_colors, right, right_color, tuple(filters))
        if self._edge_key != key:
            # Taken from one line Textual styles itself.
            forget_styled_lines(self)
            line = super().render_lines(Region(0, 0, width, 1))[0]
            forget_styled_lines(self)
            if line.cell_length != width or row_width > width:
                return None
            self._edge_key, self._edge = key, tuple(line.crop(row_width, width))
        return self._edge

    def _row_segments(self, y: int) -> list[Segment] | None:
        """Line ``y`` drawn by :meth:`render_row_segments`, if it draws it."""
        top, width, _ = self._paint
        row = top + y
        if row >= self.row_count():
            return None
        first, span = self._cursor_rows
        return self.render_row_segments(row, width, first <= row < first + span)

    def render_line(self, y: int) -> Strip:
        # Drawn straight to segments in microseconds: not worth a cache entry
        # (a page down would churn forty through it) nor a cache lookup.
        segments = self._row_segments(y)
        if segments is not None:
            return Strip(segments, self._paint[1])
        top, width, focused = self._paint
        count = self.row_count()
        row = top + y
        base = self.style("")
        if count == 0:
            if y == 0:
                text = Text(self.empty_text, style=self.style("virtual-list--empty"))
                text.truncate(width, overflow="ellipsis", pad=True)
                return Strip(text.render(self.app.console), width).apply_style(base)
            return Strip.blank(width, base)
        if row >= count:
            return Strip.blank(width, base)
        first, span = self._cursor_rows
        is_cursor = first <= row < first + span
        key = (row, width, is_cursor, focused, self.row_cache_key(row))
        strip = self._row_lines.get(key)
        if strip is None:
            text = self.render_row(row, width)
            text.truncate(width, overflow="ellipsis", pad=True)
            segments = list(text.render(self.app.console))
            strip = fit(Strip(segments, text.cell_len), width)
            if is_cursor:
                strip = self.on_band(strip)
            strip = strip.apply_style(base)
            self._row_lines[key] = strip
        return strip

    def on_band(self, segments: Iterable[Segment]) -> Strip:
        """A cursor row: one band, every character readable on it (tui/ui/palette.py)."""
        band = self.style("virtual-list--cursor")
        return Strip([Segment(text, on_band(style, band), control) for text, style, control in segments])

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        """The cached lines carry the old theme's colours."""
        self._row_lines.clear()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
