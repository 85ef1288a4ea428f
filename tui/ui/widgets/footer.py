"""The footer, with help and quit (or back) first: never the ones cut off.

Textual's footer lists the keys of the focused widget, then of the screen,
then of the app; on a narrow terminal the last ones fall off the edge, and
those are ``? Help`` and ``q Quit``. This one puts the keys a person needs
to find their way (help, quit, back to the list) first, the rest in
Textual's order after them, compact (one space between keys).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

FIRST = ("help", "quit", "leave", "close_article")  # the actions shown first, in this order


class ReaderFooter(Footer):
    def __init__(self, first: tuple[str, ...] = FIRST) -> None:
        super().__init__(compact=True)  # a cell less per key: more of them fit at 80 columns
        self.first = first  # the actions shown first, in this order

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        first = sorted(
            (w for w in widgets if getattr(w, "action", None) in self.first),
            key=lambda w: self.first.index(getattr(w, "action", "")),
        )
        yield from first
        yield from (w for w in widgets if w not in first)
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Keys that would run under the palette key (on the right edge) are
        left out whole, not shown cut (? lists every key)."""
        size = self.size
        if not size.width:
            return

        def width(key: Widget) -> int:
            return key.get_content_width(size, size) + key.styles.gutter.width + key.styles.margin.width

        keys = [k for k in self.children if not k.has_class("-command-palette")]
        room = size.width - sum(width(k) for k in self.children if k.has_class("-command-palette"))
        used, fits = 0, True
        for key in keys:
            used += width(key)
            fits = fits and used <= room  # one left out: the rest too, in order
            key.display = fits
