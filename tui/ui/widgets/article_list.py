"""The article list: bookmark star, unread dot, date, provider, title per row.

Unread articles show a dot and a bold title (like unread mail).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.model import Entry
from tui.core.settings import DEFAULT_DATE_FORMAT, date_width, format_date
from tui.ui.widgets.strips import fit
from tui.ui.widgets.virtual_list import VirtualList


class ArticleList(VirtualList):
    """Virtual list of entries, in the order given."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--date",
        "article-list--provider",
        "article-list--bookmark",
        "article-list--unread",
        "article-list--count",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[Entry] = ()
        self.is_bookmarked: Callable[[Entry], bool] = lambda entry: False
        self.is_read: Callable[[Entry], bool] = lambda entry: True
        self.story_count: Callable[[Entry], int] = lambda entry: 1  # versions of the row's story
        self.empty_text = "Loading…"
        self.set_date_format(DEFAULT_DATE_FORMAT)

    def set_date_format(self, pattern: str) -> None:
        """Dates in the list: a strftime pattern (local time), in a column as wide as its dates."""
        self.date_format = pattern
        self._date_width = date_width(pattern)
        self._no_date = "-".center(self._date_width)
        self._dates: dict[float, str] = {}
        if self.is_mounted:
            self.refresh_rows()

    def date_text(self, entry: Entry) -> str:
        ts = entry.ts
        if ts is None:
            return self._no_date
        text = self._dates.get(ts)
        if text is None:
            try:
                local = datetime.fromtimestamp(ts).astimezone()
            except (OverflowError, OSError, ValueError):
                return entry.date_text.ljust(self._date_width)
            text = format_date(local, self.date_format).ljust(self._date_width)[: self._date_width]
            if len(self._dates) > 20_000:
                self._dates.clear()  # bounded: a page of rows is all a paint needs
            self._dates[ts] = text
        return text

    def set_rows(self, rows: Sequence[Entry], cursor: int = 0) -> None:
        self.rows = rows
        self.reset(cursor)

    def row_count(self) -> int:
        return len(self.rows)

    def row_cache_key(self, index: int) -> object:
        entry = self.rows[index]
        return self.is_bookmarked(entry), self.is_read(entry)

    def _palette(self, is_cursor: bool) -> tuple[Style, ...]:
        """The row's styles: base, bold, then each column's own, combined
        once per paint. The cursor row is one band: every cell of it in the
        cursor's colours (the columns' colours would bring their own
        background, and a colour chosen for the list's background)."""
        palette = self._styles.get(is_cursor)
        if palette is None:
            base = self.style("")
            names = ("article-list--bookmark", "article-list--unread", "article-list--date", "article-list--provider", "article-list--count")
            if is_cursor:
                base += self.style("virtual-list--cursor")
                palette = (base, base + Style(bold=True), base, base + Style(bold=True), base, base, base)
            else:
                palette = (base, base + Style(bold=True), *(base + self.style(name) for name in names))
            self._styles[is_cursor] = palette
        return palette

    def render_row_segments(self, index: int, width: int, is_cursor: bool) -> list[Segment]:
        """The row as segments, without Rich's Text layout (~10x cheaper than
        a ``Text`` per row: a page down draws 46 rows): bookmark star, unread
        dot, date, provider (from 48 columns), story count, title."""
        entry = self.rows[index]
        base, bold, star, dot, date, provider, count_style = self._palette(is_cursor)
        unread = not self.is_read(entry)
        segments = [
            Segment("★" if self.is_bookmarked(entry) else " ", star),
            Segment("• " if unread else "  ", dot),
            Segment(self.date_text(entry), date),
            Segment(" ", base),
        ]
        used = 3 + self._date_width + 1
        if width >= 48:
            # At 80 columns the title keeps 50 cells (see tests/test_layout.py).
            provider_width = 12 if width < 70 else 14 if width < 100 else 18 if width < 130 else 22
            segments.append(Segment(fit_cells(entry.provider or "—", provider_width, pad=True), provider))
            segments.append(Segment(" ", base))
            used += provider_width + 1
        count = self.story_count(entry)
        if count > 1:
            marker = f"×{count} "
            segments.append(Segment(marker, count_style))
            used += len(marker)
        title = fit_cells(entry.title, max(0, width - used), pad=False)
        segments.append(Segment(title, bold if unread else base))
        rest = width - used - cells(title)
        if rest > 0:
            segments.append(Segment(" " * rest, base))
        elif rest < 0:  # narrower than its columns: cut
            segments = list(fit(Strip(segments), width, base))
        return segments


# Characters of one cell each: Rich's own shortcut leaves out general
# punctuation (’ — …), common in titles, and then measures char by char.
_ONE_CELL_EACH = re.compile("[\u0020-\u007e\u00a0-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u2500-\u25fc]*").fullmatch


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    return len(text) if _ONE_CELL_EACH(text) else cell_len(text)


def fit_cells(text: str, width: int, *, pad: bool = False) -> str:
    """``text`` in at most ``width`` cells, an ellipsis when cut; padded with
    spaces to exactly ``width`` when ``pad``."""
    if width <= 0:
        return ""
    used = cells(text)
    if used <= width:
        return text + " " * (width - used) if pad else text
    return set_cell_size(text, width - 1) + "…"
