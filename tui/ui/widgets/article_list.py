"""The article list: bookmark mark, unread dot, date, provider, title per row.

Unread articles show a dot and a bold title (like unread mail).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from rich.text import Text

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
        if self.is_mounted:
            self.refresh_rows()

    def date_text(self, entry: Entry) -> str:
        if entry.ts is None:
            return self._no_date
        try:
            local = datetime.fromtimestamp(entry.ts).astimezone()
        except (OverflowError, OSError, ValueError):
            return entry.date_text.ljust(self._date_width)
        return format_date(local, self.date_format).ljust(self._date_width)[: self._date_width]

    def set_rows(self, rows: Sequence[Entry], cursor: int = 0) -> None:
        self.rows = rows
        self.reset(cursor)

    def row_count(self) -> int:
        return len(self.rows)

    def row_cache_key(self, index: int) -> object:
        entry = self.rows[index]
        return self.is_marked(entry), self.is_read(entry)

    def render_row(self, index: int, width: int) -> Text:
        entry = self.rows[index]
        style = self.style
        text = Text(no_wrap=True, overflow="ellipsis")
        unread = not self.is_read(entry)
        text.append("★" if self.is_marked(entry) else " ", style("article-list--mark"))
        text.append("• " if unread else "  ", style("article-list--unread"))
        text.append(self.date_text(entry), style("article-list--date"))
        text.append(" ")
        if width >= 48:
            provider_width = 14 if width < 70 else 18 if width < 100 else 22
            provider = Text(entry.provider or "—", style("article-list--provider"))
            provider.truncate(provider_width, overflow="ellipsis", pad=True)
            text.append_text(provider)
            text.append(" ")
        count = self.story_count(entry)
        if count > 1:
            text.append(f"×{count} ", style("article-list--count"))
        text.append(entry.title, "bold" if unread else "")
        return text
