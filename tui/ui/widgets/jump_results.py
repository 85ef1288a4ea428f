"""The jump box's results: every match, drawn line by line as it comes into view.

A result is a title line (matched characters marked, provider and date on
the right) and, when the match is in the excerpt, the body or the topics, a
snippet line. Full matches come first; partial matches (an article that
misses a query word) only under a "partial matches" divider line. The
search gives its results by position (:class:`tui.core.results.SearchResult`);
the list holds the ones made so far and asks for the next page
(:class:`JumpResults.More`) when the view comes near their end, so it
scrolls through all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from tui.core.model import Entry
from tui.core.search import Snippet, match_spans
from tui.ui.palette import text_only
from tui.ui.widgets.virtual_list import VirtualList

TITLE, SNIPPET, DIVIDER = 0, 1, 2  # the kinds of line
MORE_WITHIN = 40  # lines from the end of those made: ask for the next page


@dataclass
class Result:
    entry: Entry
    title_spans: tuple[tuple[int, int], ...] = ()
    field: str = "title"
    snippet: Snippet | None = None
    mark_query: str = ""  # set: the snippet's spans are found when the line is first drawn


class JumpResults(VirtualList, can_focus=False):
    """The results, drawn by the virtual list line by line. The cursor is on
    a result (both its lines); :attr:`current` is its index."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "jump-results--match",
        "jump-results--meta",
        "jump-results--snippet",
        "jump-results--snippet-match",
        "jump-results--field",
        "jump-results--divider",
    }

    @dataclass
    class Clicked(Message):
        index: int

    @dataclass
    class More(Message):
        """The view came near the end of the results made: make more, from ``start``."""

        start: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[Result] = []
        self.full = 0  # results before this one match every word; the rest are partial
        self.total = 0  # every result the search has (made or not)
        self.capped = False  # the counts stopped at a cap: there are more ("10,000+")
        self._lines: list[tuple[int, int]] = []  # line -> (result, kind)
        self._first_line: list[int] = []  # result -> its title line
        self._asked = -1  # the start of the page asked for last
        self.empty_text = ""

    @property
    def current(self) -> int:
        """The result under the cursor."""
        return self._lines[self.cursor][0] if 0 <= self.cursor < len(self._lines) else 0

    @current.setter
    def current(self, index: int) -> None:
        if self.results:
            self.cursor = self._first_line[max(0, min(index, len(self.results) - 1))]

    def set_results(self, results: list[Result], full: int | None = None, total: int | None = None, capped: bool = False) -> None:
        """New results (the first page of ``total``; the first ``full`` match every word)."""
        self.results = results
        self.full = len(results) if full is None else full
        self.total = len(results) if total is None else total
        self.capped = capped
        self._asked = -1
        self._relines()
        # Lines are cached by what they show: while typing, the best results often stay.
        self.reset(0, keep_lines=True)
        if self.results:
            self.set_reactive(VirtualList.cursor, self._first_line[0])  # not on a divider
            self._scroll_cursor_into_view()

    def set_counts(self, full: int, total: int, capped: bool = False) -> None:
        """The search's counts arrived (after its first page): the divider and paging follow, the cursor stays."""
        if (full, total, capped) == (self.full, self.total, self.capped):
            return
        current = self.current
        self.full, self.total, self.capped = full, total, capped
        self._relines()
        self._keep_cursor(current)

    def add_results(self, start: int, results: list[Result]) -> None:
        """The next page arrived (results from ``start``): the cursor stays where it is."""
        if start != len(self.results) or not results:
            return
        current = self.current
        self.results.extend(results)
        self._relines()
        self._keep_cursor(current)

    def set_snippet(self, index: int, snippet: Snippet) -> None:
        """A body snippet arrived for one result: it gains its second line."""
        if 0 <= index < len(self.results) and self.results[index].snippet is None:
            current = self.current
            self.results[index].snippet = snippet
            self._relines()
            self._keep_cursor(current)

    def _keep_cursor(self, current: int) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width or 1, len(self._lines))
        self.set_reactive(VirtualList.cursor, self._first_line[current] if self.results else 0)
        self._scroll_cursor_into_view()
        self.refresh()

    def _relines(self) -> None:
        lines: list[tuple[int, int]] = []
        first: list[int] = []
        for i, result in enumerate(self.results):
            if i == self.full:
                lines.append((i, DIVIDER))
            first.append(len(lines))
            lines.append((i, TITLE))
            if result.snippet is not None:
                lines.append((i, SNIPPET))
        self._lines, self._first_line = lines, first

    def row_count(self) -> int:
        return len(self._lines)

    def cursor_span(self, cursor: int) -> tuple[int, int]:
        if not self._lines:
            return cursor, 1
        index = self._lines[min(cursor, len(self._lines) - 1)][0]
        return self._first_line[index], 2 if self.results[index].snippet is not None else 1

    def validate_cursor(self, value: int) -> int:
        value = super().validate_cursor(value)
        if self._lines and value < len(self._lines) and self._lines[value][1] != TITLE:
            return self._first_line[self._lines[value][0]]  # a divider or a snippet: its result
        return value

    def row_clicked(self, row: int, chain: int) -> None:
        """A click chooses the result at once (a click on the divider does nothing)."""
        index, kind = self._lines[row]
        if kind == DIVIDER:
            return
        self.current = index
        self.post_message(self.Clicked(index))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Near the end of the results made, and more to come: ask for the next page.
        made = len(self.results)
        if made < self.total and self._asked != made and round(self.scroll_y) + self.size.height + MORE_WITHIN >= len(self._lines):
            self._asked = made
            self.post_message(self.More(made))
        return super().render_lines(crop)

    # -- drawing --------------------------------------------------------------------
    def text_style(self, name: str) -> Style:
        """A component's text style only: the row's own background (the cursor's) shows through."""
        style = self._styles.get(("text", name))
        if style is None:
            style = self._styles[("text", name)] = text_only(self.style(name))
        return style

    def row_cache_key(self, index: int) -> object:
        result_index, part = self._lines[index]
        result = self.results[result_index]
        snippet = result.snippet
        if part == DIVIDER:
            return DIVIDER, self.total - self.full, self.capped
        shown = result.title_spans if part == TITLE else (snippet.text, snippet.spans, result.field) if snippet else None
        return result.entry.path, part, shown, result.mark_query

    def render_row(self, index: int, width: int) -> Text:
        result_index, part = self._lines[index]
        result = self.results[result_index]
        if part == DIVIDER:
            return self._divider_line(width)
        if part == SNIPPET and result.mark_query and result.snippet is not None:
            # Only for the rows drawn: which topic words the query matched.
            result.snippet = Snippet(result.snippet.text, tuple(match_spans(result.mark_query, result.snippet.text)))
            result.mark_query = ""
        return self._title_line(result, width) if part == TITLE else self._snippet_line(result, width)

    def _divider_line(self, width: int) -> Text:
        partial = self.total - self.full
        label = f" partial matches: {partial:,}{'+' if self.capped else ''} missing a word "
        rule = max(0, width - len(label) - 2)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("──" + label + "─" * rule, self.text_style("jump-results--divider"))  # (a Text's own style is not drawn here)
        text.truncate(width, overflow="ellipsis", pad=True)
        return text

    def _title_line(self, result: Result, width: int) -> Text:
        entry = result.entry
        provider, date = entry.provider or entry.domain, entry.date_text
        room = width // 3 - (len(date) + 3 if date else 0)  # the date stays whole; the provider is cut
        if provider and len(provider) > room:
            provider = provider[: max(0, room - 1)] + "…" if room >= 6 else ""
        meta = " · ".join(x for x in (provider, date) if x) if width >= 30 else ""
        title = Text(" " + entry.title, no_wrap=True, overflow="ellipsis")
        match = self.text_style("jump-results--match")
        for start, end in result.title_spans:
            title.stylize(match, start + 1, end + 1)
        room = max(4, width - len(meta) - 2)
        title.truncate(room, overflow="ellipsis", pad=True)
        title.append(" ")
        title.append(meta, self.text_style("jump-results--meta"))
        title.truncate(width, overflow="ellipsis", pad=True)
        return title

    def _snippet_line(self, result: Result, width: int) -> Text:
        snippet = result.snippet
        assert snippet is not None
        where = {"excerpt": "excerpt", "body": "text", "topics": "topics"}.get(result.field, "")
        text = Text("   ", no_wrap=True, overflow="ellipsis")
        text.append(f"{where}: " if where else "", self.text_style("jump-results--field"))
        start = len(text)
        text.append(snippet.text, self.text_style("jump-results--snippet"))
        match = self.text_style("jump-results--snippet-match")
        for a, b in snippet.spans:
            text.stylize(match, start + a, start + b)
        text.truncate(width, overflow="ellipsis", pad=True)
        return text


__all__ = ["JumpResults", "Result"]
