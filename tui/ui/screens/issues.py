"""The Issues screen: every file that could not be read, and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.core.model import LoadIssue
from tui.ui.widgets.footer import ReaderFooter
from tui.ui.widgets.virtual_list import VirtualList


def middle_cut(path: str, room: int) -> str:
    """A path cut in its middle to ``room`` characters: its start and its
    file name stay, and the reason after it is not pushed off the row."""
    if len(path) <= room:
        return path
    tail = max(8, room * 2 // 3)
    return path[: max(1, room - tail - 1)] + "…" + path[-tail:]


class IssueList(VirtualList):
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"issue-list--reason"}

    def __init__(self, issues: Sequence[LoadIssue], display_path: Callable[[str], str]) -> None:
        super().__init__(id="issue-list")
        self.issues = issues
        self.display_path = display_path
        self.empty_text = "Every file was read. No issues."

    def row_count(self) -> int:
        return len(self.issues)

    def render_row(self, index: int, width: int) -> Text:
        issue = self.issues[index]
        text = Text(middle_cut(self.display_path(issue.path), max(20, width - len(issue.reason) - 2)), "bold")
        text.append("  ")
        text.append(issue.reason, self.style("issue-list--reason"))
        return text


class IssuesScreen(Screen[None]):
    HELP_SECTION = "Issues screen (!)"
    HELP_ORDER = 40
    BINDINGS = [
        Binding("escape,q,!", "app.pop_screen", "Back", tooltip="back to the articles", id="issues.back"),
    ]

    def __init__(self, issues: Sequence[LoadIssue], display_path: Callable[[str], str] = str) -> None:
        super().__init__()
        self.issues = issues
        self.display_path = display_path

    def compose(self) -> ComposeResult:
        yield Header()
        count = len(self.issues)
        yield Static(
            f"{count:,} file{'s' if count != 1 else ''} could not be read as articles. The rest of the collection loaded.",
            id="issues-summary",
        )
        yield IssueList(self.issues, self.display_path)
        yield ReaderFooter(first=("help", "app.pop_screen"))

    def on_mount(self) -> None:
        self.sub_title = "Issues"
        issue_list = self.query_one(IssueList)
        issue_list.reset()
        issue_list.focus()
