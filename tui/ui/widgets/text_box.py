"""Text boxes that apply every key in the order it arrived.

Textual's own Input and TextArea type a printable key in the box's own
handler, but an editing key (backspace, ←, ctrl+u, Enter…) is a *binding*:
its Key event first bubbles up to the app, which then runs the binding. Keys
that arrive in one read (a fast typist, a paste through tmux, a chorded
keyboard) are all forwarded to the box before that bubbled event comes back,
so ``leukemix⌫a`` ends as ``leukemix`` and ``ctrl+u`` then letters ends empty
(Textualize/textual#6605). Here the box runs the binding of a key itself,
right when that key reaches it: the binding the app would have run (the
box's own, then its screen's; the same the footer shows), only earlier, in
order with the letters around it.

Every text box of the reader is one of these: :class:`TextBox` (one line)
and :class:`NoteBox` (several lines).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

from tui.ui.textual_compat import palette_input_with
from tui.ui.widgets.scrollbar import QuickScrollBars


class KeysInOrder:
    """Runs a key's binding as the key reaches the box (mixed in first, into a text widget)."""

    def types(self, event: events.Key) -> bool:
        """The box types this key itself (its own key handler inserts it)."""
        box: Widget = self  # type: ignore[assignment]
        return box.check_consume_key(event.key, event.character)

    async def on_key(self, event: events.Key) -> None:
        box: Widget = self  # type: ignore[assignment]
        focused = box.app.focused
        if focused is not box:
            # An earlier key of the same burst moved the focus (Tab, Enter that
            # closed a dialog): the app had already sent the rest here. They go
            # on, in order, to where a person's next key would go.
            event.stop()
            event.prevent_default()
            (focused or box.app.screen).post_message(events.Key(event.key, event.character))
            return
        if self.types(event):
            return  # the text widget's own handler types it, in this same turn
        if await self.run_key(event.key):
            event.stop()
            event.prevent_default()

    async def run_key(self, key: str) -> bool:
        """Run the binding the app would run for ``key`` with this box focused;
        False when none did (the key then bubbles up as usual)."""
        box: Widget = self  # type: ignore[assignment]
        active = box.screen.active_bindings.get(key)
        if active is None or not active.enabled or active.binding.priority:
            # A priority binding was tried by the app before the key came here.
            return False
        return await box.app.run_action(active.binding.action, active.node)


class TextBox(KeysInOrder, Input):
    """A one-line text box (Textual's Input) that keeps keys in order."""

    async def take_key(self, event: events.Key) -> None:
        """A key that reached the screen before this box had the focus (typed
        in the same burst as the key that opened it): handle it as if typed here."""
        if self.types(event) and event.character is not None:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *selection)
        else:
            await self.run_key(event.key)


class OpensWithABox:
    """A screen opened by a key, with a text box (:attr:`box`) that takes the
    keys: those typed in the same burst as the opening key reach the screen
    before the box has the focus; each is handled as if typed in the box, in
    order (mixed in first, into the screen)."""

    box: TextBox

    async def on_key(self, event: events.Key) -> None:
        screen: Widget = self  # type: ignore[assignment]
        box = self.box
        if getattr(event, "for_the_box", False) or screen.app.focused is not box:
            event.stop()
            event.prevent_default()
            screen.screen.set_focus(box)
            await box.take_key(event)


def palette_keeps_keys_in_order() -> None:
    """Textual's command palette (ctrl+p) types in its own box, with the same
    problem: it is given one that keeps keys in order (see
    :func:`tui.ui.textual_compat.palette_input_with`)."""
    palette_input_with(KeysInOrder)


def for_the_box(event: events.Key) -> events.Key:
    """The same key, to be handled by a box screen's box (:class:`OpensWithABox`)."""
    key = events.Key(event.key, event.character)
    key.for_the_box = True  # type: ignore[attr-defined]
    return key


class NoteBox(QuickScrollBars, KeysInOrder, TextArea):
    """A text area (several lines) that keeps keys in order."""

    def types(self, event: events.Key) -> bool:
        if self.read_only:
            return False
        if event.key == "enter":
            return True  # a new line, typed by TextArea's own handler
        if self.tab_behavior == "indent" and event.key == "escape":
            return True  # TextArea's own handler moves the focus on
        return super().types(event)


__all__ = ["KeysInOrder", "NoteBox", "TextBox"]
