"""The article list: bookmark mark, unread dot, date, provider, title per row.

Unread articles show a dot and a bold title (like unread mail).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.model import Entry
from tui.core.settings import DEFAULT_DATE_FORMAT, date_width, format_date
from tui.ui.widgets.virtual_list import VirtualList


class ArticleList(VirtualList):
    """Virtual list of entries, in the order given."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--date",
        "article-list--provider",
        "article-list--mark",
        "article-list--unread",
        "article-list--count",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[Entry] = ()
        self.is_marked: Callable[[Entry], bool] = lambda entry: False
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
        return self.is_marked(entry), self.is_read(entry)

    def _row_style(self, name: str, is_cursor: bool, extra: str = "") -> Style:
        """Base, then cursor, then the column's own style: what
        ``Strip.apply_style`` would give, combined once per paint."""
        key = f"{name}|{is_cursor}|{extra}"
        style = self._styles.get(key)
        if style is None:
            style = self.style("")
            if is_cursor:
                style += self.style("virtual-list--cursor")
            if name:
                style += self.style(name)
            if extra:
                style += Style.parse(extra)
            self._styles[key] = style
        return style

    def render_row_strip(self, index: int, width: int, is_cursor: bool) -> Strip:
        """The row as segments, without Rich's Text layout (~10x cheaper than
        a ``Text`` per row: a page down draws 40 rows): bookmark mark, unread
        dot, date, provider (from 48 columns), story count, title."""
        entry = self.rows[index]
        style = self._row_style
        unread = not self.is_read(entry)
        segments = [
            Segment("★" if self.is_marked(entry) else " ", style("article-list--mark", is_cursor)),
            Segment("• " if unread else "  ", style("article-list--unread", is_cursor)),
            Segment(self.date_text(entry), style("article-list--date", is_cursor)),
            Segment(" ", style("", is_cursor)),
        ]
        used = 3 + self._date_width + 1
        if width >= 48:
            provider_width = 14 if width < 70 else 18 if width < 100 else 22
            segments.append(Segment(fit_cells(entry.provider or "—", provider_width, pad=True), style("article-list--provider", is_cursor)))
            segments.append(Segment(" ", style("", is_cursor)))
            used += provider_width + 1
        count = self.story_count(entry)
        if count > 1:
            marker = f"×{count} "
            segments.append(Segment(marker, style("article-list--count", is_cursor)))
            used += len(marker)
        title = fit_cells(entry.title, max(0, width - used), pad=False)
        segments.append(Segment(title, style("", is_cursor, "bold" if unread else "")))
        rest = width - used - cell_len(title)
        if rest > 0:
            segments.append(Segment(" " * rest, style("", is_cursor)))
        return Strip(segments).crop_extend(0, width, style("", is_cursor))  # narrower than its columns: cut


def fit_cells(text: str, width: int, *, pad: bool = False) -> str:
    """``text`` in at most ``width`` cells, an ellipsis when cut; padded with
    spaces to exactly ``width`` when ``pad``."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width) if pad else text
    return set_cell_size(text, width - 1) + "…"
