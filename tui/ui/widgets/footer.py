"""The footer, with help and quit (or back) first: never the ones cut off.

Textual's footer lists the keys of the focused widget, then of the screen,
then of the app; on a narrow terminal the last ones fall off the edge, and
those are ``? Help`` and ``q Quit``. This one puts the keys a person needs
to find their way (help, quit, back to the list) first, the rest in
Textual's order after them, compact (one space between keys).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST = ("help", "quit", "leave")  # the actions shown first, in this order


class ReaderFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)  # a cell less per key: more of them fit at 80 columns

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        first = sorted(
            (w for w in widgets if getattr(w, "action", None) in FIRST),
            key=lambda w: FIRST.index(getattr(w, "action", "")),
        )
        yield from first
        yield from (w for w in widgets if w not in first)
