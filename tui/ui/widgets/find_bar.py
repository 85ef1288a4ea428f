"""The find bar under the detail pane: what is looked for, and "2/7"."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tui.ui.widgets.text_box import TextBox


class FindBar(Horizontal):
    """Shows the words marked in the article (the jump box's query, or text
    typed after ctrl+f), the current match and the count. Typing changes the
    marks as you type; Enter goes back to the article (n / N step), ↑ ↓ step
    from here, Esc clears the marks and closes the bar."""

    HELP_SECTION = "Find bar (ctrl+f)"
    HELP_ORDER = 25
    BINDINGS = [
        Binding("escape", "close", "Close find", tooltip="clear the marks and close the find bar", id="find.close"),
        Binding("down", "step(1)", "Next match", show=False, tooltip="next match (while typing)", id="find.next"),
        Binding("up", "step(-1)", "Previous match", show=False, tooltip="previous match (while typing)", id="find.previous"),
    ]

    @dataclass
    class Changed(Message):
        text: str

    @dataclass
    class Step(Message):
        step: int

    @dataclass
    class Done(Message):
        """Enter: back to reading, the marks stay."""

    @dataclass
    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Label("Find", id="find-label")
        yield TextBox(placeholder="words in this article (n / N: next / previous)", id="find-input", select_on_focus=False)
        yield Label("", id="find-count")
        yield Label("n N · esc", id="find-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def open(self, text: str, label: str = "Find", focus: bool = True) -> None:
        """Show the bar with this text (not announced as a change)."""
        self.add_class("-shown")
        self.query_one("#find-label", Label).update(label)
        box = self.input
        if box.value != text:
            with box.prevent(Input.Changed):
                box.value = text
                box.cursor_position = len(text)
        if focus:
            box.focus()
            if text:
                box.select_all()  # typing replaces it; → or End keeps it to edit

    def hide(self) -> None:
        self.remove_class("-shown")
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.set_count(0, 0)

    def set_count(self, current: int, total: int) -> None:
        """``current`` 0-based."""
        label = self.query_one("#find-count", Label)
        if not self.input.value.strip():
            label.update("")
        elif total:
            label.update(f"{current + 1}/{total}")
        else:
            label.update("no match")

    @property
    def count_text(self) -> str:
        return str(self.query_one("#find-count", Label).render())

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#find-label", Label).update("Find")
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(step))

    def action_close(self) -> None:
        self.post_message(self.Closed())
