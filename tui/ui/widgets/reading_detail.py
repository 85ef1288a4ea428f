"""The article pane with the keys of a terminal reader (newsboat, less, Frogmouth).

:class:`ReadingDetail` is the :class:`~tui.ui.widgets.detail.DetailPane`
of the reading screen, with its own keys while it has the focus: ``j`` /
``k`` / arrows a line, ``space`` / PgDn / PgUp a page, ``g`` / ``G`` top
and bottom, ``J`` / ``K`` the next / previous story, and ``Esc`` / ``q`` /
``h`` / ``←`` back to the list. It only scrolls itself and says what the
person asked for (:class:`Leave`, :class:`StepStory`); the panes decide
what that means. Scrolling is immediate: a key held down never queues
animations.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from tui.ui.widgets.detail import DetailPane


class ReadingDetail(DetailPane):
    """The article pane of the reading screen (see the module's docstring)."""

    HELP_SECTION = "Article view (Enter)"
    HELP_ORDER = 15
    BINDINGS = [
        Binding("down,j", "line(1)", "Down", show=False, tooltip="scroll a line down", id="article.down"),
        Binding("up,k", "line(-1)", "Up", show=False, tooltip="scroll a line up", id="article.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, tooltip="a page down", id="article.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="a page up", id="article.page_up"),
        Binding("g,home", "top", "Top", show=False, tooltip="top of the article", id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, tooltip="end of the article", id="article.bottom"),
        Binding("J", "step_story(1)", "Next story", tooltip="next story of the list, staying in the article", id="article.next_story"),
        Binding("K", "step_story(-1)", "Prev story", tooltip="previous story of the list", id="article.previous_story"),
        Binding("escape", "leave(True)", "List", show=False, tooltip="close the find bar and clear its marks; else back to the list", id="article.escape"),
        Binding("q", "leave", "List", tooltip="back to the list, on the same row", id="article.leave"),
        Binding("h,left", "leave", "List", show=False, tooltip="back to the list, on the same row", id="article.leave"),
    ]

    @dataclass
    class Leave(Message):
        """Esc, q, h or ←: back to the list (Esc: once the find is closed)."""

        find_first: bool = False

    @dataclass
    class StepStory(Message):
        """J or K: the next (1) or previous (-1) story of the list."""

        step: int

    def action_line(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)  # a line of the last page stays in sight
        self.scroll_to(y=self.scroll_y + step * page, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_step_story(self, step: int) -> None:
        self.post_message(self.StepStory(step))

    def action_leave(self, find_first: bool = False) -> None:
        self.post_message(self.Leave(find_first))
