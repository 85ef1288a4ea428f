"""A vertical scrollbar whose lines are made straight from its segments.

A scrollbar has no border, padding or text, yet Textual's generic line
styling costs about a millisecond for a 46-line bar in every frame that
moves it (``benchmarks/bench_paint.py``, "scrollbar"): each page down in the
list, and three bars in every article opened (list, detail and sidebar).
:class:`QuickScrollBar` draws the same segments (Textual's own
``ScrollBarRender.render_bar``: same colours, same thumb, the same mouse
actions in their styles) into strips itself, once per position.
Every scrolling widget of the reader (the lists, the detail pane, the jump
box's results) gets it by inheriting :class:`QuickScrollBars` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color
from rich.segment import Segment
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from tui.ui.textual_compat import own_vertical_scrollbar
from tui.ui.widgets.strips import Line

if TYPE_CHECKING:
    from textual.widget import Widget


class QuickScrollBar(ScrollBar):
    """Textual's vertical scrollbar; its lines made directly, and kept until it changes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []

    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self.size
        bar = self.render()
        if not self.vertical or not isinstance(bar, ScrollBarRender) or width <= 0 or height <= 0:
            return super().render_lines(crop)
        style = self.app.console.get_style(bar.style)
        filters = self.get_line_filters()
        base = self.visual_style.rich_style  # under the segments' own styles, as Textual renders it
        key = (width, height, bar.virtual_size, bar.window_size, bar.position, style, base, tuple(filters))
        if key != self._key:
            segments = bar.render_bar(
                size=height,
                virtual_size=bar.virtual_size,
                window_size=bar.window_size,
                position=bar.position,
                thickness=width,
                vertical=True,
                back_color=style.bgcolor or Color.parse("#555555"),
                bar_color=style.color or Color.parse("bright_magenta"),
            ).segments
            # A bar is a few distinct cells (track, thumb, the thumb's ends):
            # one strip each, shared by the lines that show it.
            _, background = self.background_colors
            made: dict[Segment, Strip] = {}
            for segment in segments:
                if segment not in made:
                    strip = Strip([segment], width).apply_style(base)
                    for line_filter in filters:
                        strip = strip.apply_filter(line_filter, background)
                    made[segment] = Line(list(strip), strip.cell_length)  # (no cycle when the screen divides it)
            self._key, self._strips = key, [made[segment] for segment in segments]
        return [strip.crop(crop.x, crop.right) for strip in self._strips[crop.y : crop.bottom]]


class QuickScrollBars:
    """Mixin for a scrolling widget (first in its bases): its vertical
    scrollbar is a :class:`QuickScrollBar`."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar, made on first use (as Textual's own property does)."""
        widget: Widget = self  # type: ignore[assignment]
        return own_vertical_scrollbar(
            widget, lambda: QuickScrollBar(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
        )
