"""Every text box applies keys in the order they arrived (issue 16).

A terminal delivers a paste, a fast typist or tmux's ``send-keys`` burst in
one read: every key is queued before the reader takes the first. Textual's
own Input ran editing keys (bindings) only after the key had bubbled up to
the app, behind the letters that followed (Textualize/textual#6605).
These tests queue a whole burst before the app runs (``Reader.burst``) and
read the box.
"""

from __future__ import annotations

import random
from pathlib import Path

from textual.app import App, ComposeResult

from tests.driver import reader
from tests.helpers import key_events
from tui.ui.screens.bookmarks import TagsDialog
from tui.ui.screens.filter_box import FilterBox
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.views import NameDialog
from tui.ui.widgets.text_box import TextBox


async def test_a_burst_in_the_jump_box_reads_as_typed(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        await r.wait_screen(JumpScreen)
        await r.burst("expoxt", "<backspace>", "<backspace>", "rt contrl")
        assert r.jump_box == "export contrl"  # the "done when"
        await r.burst("<ctrl+u>", "leukemix", "<backspace>", "a")
        assert r.jump_box == "leukemia"
        await r.burst("<ctrl+u>", "acd", "<left>", "<left>", "b", "<end>", "e", "<home>", "<delete>", "A")
        assert r.jump_box == "Abcde"
        await r.burst("<end>", "<ctrl+u>", "word one", "<ctrl+w>", "two")
        assert r.jump_box == "word two"


async def test_keys_typed_with_the_slash_that_opens_the_box_land_in_it(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await r.burst("/", "japx", "<backspace>", "an")
        await r.wait_screen(JumpScreen)
        assert r.jump_box == "japan"


async def test_a_burst_in_the_find_bar_and_the_dialogs(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+f")
        assert r.find_shown and r.focus == "find"
        await r.burst("facal", "<left>", "<left>", "i", "<end>", "<backspace>", "l rx", "<backspace>", "ecognition")
        assert r.find_text == "facial recognition"
        await r.burst("<ctrl+u>", "china", "<home>", "<ctrl+k>", "asia")
        assert r.find_text == "asia"
        await pilot.press("escape")
        # The tags and note dialog: the tags box, then the note.
        r.focus_list()
        await pilot.press("t")
        dialog = await r.wait_screen(TagsDialog)
        await r.burst("asiz", "<backspace>", "a, pol", "<left>", "<left>", "<left>", "<backspace>", "<end>", "x", "<backspace>")
        assert dialog.query_one("#tags-input", TextBox).value == "asia,pol"
        await r.burst("<tab>", "notr", "<backspace>", "e", "<enter>", "two", "<left>", "<backspace>", "w")
        assert dialog.query_one("#note-input").text == "note\ntwo"
        await pilot.press("escape")


async def test_a_burst_in_the_view_name_dialog(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash", *"japan")
        await r.wait_screen(JumpScreen)
        await pilot.press("ctrl+s")
        dialog = await r.wait_screen(NameDialog)
        await r.burst("jpn", "<left>", "<left>", "a", "<end>", "<backspace>", "n", "<ctrl+w>", "asia")
        assert dialog.query_one("#view-name-input", TextBox).value == "asia"


async def test_a_burst_with_the_f_that_opens_the_filter_box_lands_in_it(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await r.burst("F", "is:unreax", "<backspace>", "d jpan", "<left>", "<left>", "<left>", "a")
        box = await r.wait_screen(FilterBox)
        assert box.box.value == "is:unread japan"


async def test_a_key_before_the_slash_in_the_same_burst_comes_first(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("enter")
        await r.settle()
        assert r.article_open
        await r.burst("q/jap")  # back to the list, then the jump box, then the letters
        await r.wait_screen(JumpScreen)
        assert r.jump_box == "jap"
        assert not r.article_open


async def test_slash_and_f_typed_in_the_find_bar_are_text(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+f")
        await r.burst("a/b F")
        assert r.find_text == "a/b F"
        assert r.focus == "find"


async def test_a_burst_in_the_command_palette(seeds: Path) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Input

    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+p")
        palette = await r.wait_screen(CommandPalette)
        await r.burst("thmx", "<backspace>", "e")
        assert palette.query_one(Input).value == "thme"


class OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield TextBox(id="box")


def model(keys: list[str]) -> str:
    """What a text box holds after ``keys`` (letters, backspace, delete, ←, →, home, end, ctrl+u), one at a time."""
    text, at = "", 0
    for key in keys:
        if len(key) == 1:
            text, at = text[:at] + key + text[at:], at + 1
        elif key == "backspace" and at:
            text, at = text[: at - 1] + text[at:], at - 1
        elif key == "delete":
            text = text[:at] + text[at + 1 :]
        elif key == "left":
            at = max(0, at - 1)
        elif key == "right":
            at = min(len(text), at + 1)
        elif key == "home":
            at = 0
        elif key == "end":
            at = len(text)
        elif key == "ctrl+u":
            text, at = text[at:], 0
    return text


async def test_random_bursts_of_letters_and_editing_keys_read_as_typed_one_by_one() -> None:
    """Seeded random bursts: the box ends as a box fed one key at a time would."""
    keys = [*"abcxyz", "backspace", "delete", "left", "right", "home", "end", "ctrl+u"]
    weights = [3] * 6 + [2, 1, 2, 1, 1, 1, 1]
    chooser = random.Random(1606)
    app = OneBox()
    async with app.run_test() as pilot:
        box = app.query_one("#box", TextBox)
        for _ in range(40):
            burst = chooser.choices(keys, weights, k=chooser.randint(5, 30))
            box.value = ""
            for event in key_events(*(k if len(k) == 1 else f"<{k}>" for k in burst)):
                app.post_message(event)  # type: ignore[arg-type]
            await pilot.pause()
            assert box.value == model(burst), burst
