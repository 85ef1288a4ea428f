"""Every character on every screen is readable: WCAG AA, 4.5:1 against the
colour behind it, in every theme the reader offers, measured on what is drawn
(``tests/contrast.py`` reads the screenshot Textual exports).

Each test opens one screen and draws it in each theme in turn (changing the
theme as the palette does), then fails listing the worst runs of text: the
screen, the theme, the text, its colours and their ratio. The main screen
and the article are drawn in every theme; the other screens, which use the
same colours, in a few themes chosen for being hard (light ones, low-contrast
dark ones): a theme switch costs Textual about a quarter of a second. The ANSI
themes (``ansi-dark``, ``ansi-light``) are not measured: their colours are
the terminal's own palette, which the reader cannot know.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import ModalScreen

from tests.contrast import AA, Offence, offences, ratio
from tests.driver import Reader, read_after, reader
from tests.helpers import article, write
from tui.core.bookmarks import BookmarkStore
from tui.ui.app import ReaderApp
from tui.ui.palette import contrast, readable
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.issues import IssuesScreen
from tui.ui.screens.jump import JumpScreen

THEMES = sorted(name for name in App().available_themes if not name.startswith("ansi-"))
SOME_THEMES = ["textual-dark", "textual-light", "solarized-dark", "solarized-light", "atom-one-dark", "catppuccin-latte"]
SHOWN = 12  # offences listed when a test fails


async def each_theme(app: ReaderApp, r: Reader, screen: str, themes: list[str]) -> list[Offence]:
    """The current screen drawn in each of ``themes``, its text under AA."""
    found: list[Offence] = []
    for theme in themes:
        app.theme = theme
        await r.settle()
        await r.pilot.pause()
        top = app.screen
        # What is behind a dialog is shaded on purpose: only the dialog counts.
        inside = top.children[0].region if isinstance(top, ModalScreen) else None
        found += offences(app.export_screenshot(), f"{screen} [{theme}]", inside)
    return found


def verdict(found: list[Offence]) -> None:
    worst = sorted(found, key=lambda o: o.ratio)[:SHOWN]
    assert not found, f"{len(found)} runs of text under {AA}:1; the worst:\n" + "\n".join(map(str, worst))


Steps = Callable[[ReaderApp, Reader], Awaitable[None]]


async def main_list(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("j", "u", "b")  # a read row, a bookmarked row; the cursor row; a toast


async def article_marked(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("slash")
    await r.wait_screen(JumpScreen)
    await r.pilot.press(*"china facial", "enter")
    await r.wait_for(lambda: r.match_count > 1, "the query's matches in the article")
    await r.pilot.press("n")


async def article_raw(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("j", "j", "enter", "f")  # the Japan seed: a long `secured:` value


async def find_bar(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("enter", "ctrl+f")  # the empty find box: its placeholder


MARKDOWN = """# A heading

#### A fourth-level heading (Rich dims it by default)

Some `inline code`, a [link](https://example.com/a) and **bold** text.

> A quote, which Rich draws in magenta.

1. A numbered item
- A bulleted item

```python
def code_block(x: int) -> str:  # a comment
    return "a string" + str(42)
```
"""


async def article_markdown(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("j", "j", "j", "j", "enter")  # markdown.md: the oldest dated story, above the undated one


async def jump_box(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("slash")
    await r.wait_screen(JumpScreen)
    await r.pilot.press(*"jpan facal")
    await r.settle()


async def bookmarks(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("b", "j", "j", "b", "j", "b")
    await r.open_bookmarks()
    await r.pilot.press("j")


async def help_screen(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("question_mark")
    await r.wait_screen(HelpScreen)


async def issues(app: ReaderApp, r: Reader) -> None:
    await r.pilot.press("exclamation_mark")
    await r.wait_screen(IssuesScreen)


SCREENS: dict[str, tuple[Steps, list[str]]] = {
    "main": (main_list, THEMES),
    "article+marks": (article_marked, THEMES),
    "article+raw": (article_raw, THEMES),
    "article+markdown": (article_markdown, SOME_THEMES),
    "find bar": (find_bar, SOME_THEMES),
    "jump box": (jump_box, SOME_THEMES),
    "bookmarks": (bookmarks, SOME_THEMES),
    "help": (help_screen, SOME_THEMES),
    "issues": (issues, SOME_THEMES),
}


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_every_text_is_readable(screen: str, seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_after(monkeypatch, 3600.0)  # rows become read by the keys above only
    write(seed_copy, "broken.md", "---\ntitle: [never closed\n---\nBody.\n")  # one issue
    write(seed_copy, "markdown.md", article("Every kind of Markdown", date="2001-01-01T00:00:00Z", body=MARKDOWN))
    app = ReaderApp([seed_copy], BookmarkStore())
    async with reader([seed_copy], app=app, toasts=True) as (app, pilot, r):
        steps, themes = SCREENS[screen]
        await steps(app, r)
        await r.settle()
        verdict(await each_theme(app, r, screen, themes))


def test_the_measure_is_wcag() -> None:
    """Known pairs: black on white is 21:1, #767676 on white just passes AA, #777777 just fails."""
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert ratio("#777777", "#ffffff") < AA < ratio("#767676", "#ffffff")
    assert ratio("#004578", "#121212") == pytest.approx(1.9, abs=0.1)  # the provider column of issue 16


def test_a_colour_is_moved_only_as_far_as_it_must() -> None:
    from textual.color import Color

    white, orange = Color.parse("#e0e0e0"), Color.parse("#fea62b")
    fixed = readable(orange, [white])
    assert contrast(fixed, white) >= AA
    assert fixed.hsl.h == pytest.approx(orange.hsl.h, abs=0.05)  # still orange, darker
    assert readable(Color.parse("#000000"), [white]) == Color.parse("#000000")  # already readable: unchanged


async def test_the_measure_sees_what_textual_themes_get_wrong(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the reader's fix-up (tui/ui/palette.py), textual-light's titles
    and solarized-light's dates are found unreadable: the test is not blind."""
    from tui.ui import app as app_module

    monkeypatch.setattr(app_module, "readable_variables", dict)
    async with reader([seeds]) as (app, pilot, r):
        found = await each_theme(app, r, "main", ["textual-light", "solarized-light"])
    assert any("[textual-light]" in o.where and "Facial" in o.text for o in found)
    assert any("[solarized-light]" in o.where and "2023" in o.text for o in found)
