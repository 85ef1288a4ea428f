"""Screenshots of the reader on the seeds, compared with the accepted SVGs in
``tests/__snapshots__/test_snapshots/`` (pytest-textual-snapshot).

After an intended change of the look, regenerate and review them::

    python -m pytest tests/test_snapshots.py --snapshot-update

What keeps them stable on any machine:

* ``TZ=UTC``: the detail header shows dates in local time.
* The load runs in a thread worker and the Markdown body renders in an
  asyncio task: every ``run_before`` waits for both.
* Toasts ("Sorted by…", "Bookmarked: …") time out after 2 s, so a slow run
  would catch them or not: they are cleared before the shot.
* The detail pane shows the article's path relative to the collection root's
  parent (``seeds/004_….txt``), never the absolute path of the clone;
  :func:`test_screens_show_no_absolute_path` checks that.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.driver import Reader, read_after, screen_text
from tui.core.bookmarks import BookmarkStore
from tui.ui.app import ReaderApp
from tui.ui.screens.bookmarks import BookmarksScreen, TagsDialog
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.links import LinksScreen

from .helpers import local_zone

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def frozen_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shots do not depend on timing or the day: showing an article never
    marks it read by itself (u does), and bookmarks are all made on one day."""
    from datetime import UTC, datetime

    from tui.core import bookmarks

    read_after(monkeypatch, 3600.0)
    monkeypatch.setattr(bookmarks, "_now", lambda: datetime(2026, 5, 4, 9, 30, tzinfo=UTC))


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Local time is UTC for the duration of a test (and restored after)."""
    with local_zone("UTC"):
        yield


async def settled(pilot: Pilot) -> None:
    """Loaded, body rendered, no toasts: what a person sees once the reader is idle."""
    r = Reader(pilot.app, pilot)  # type: ignore[arg-type]
    await r.wait_loaded()
    await r.wait_for(lambda: not r.rendering, "the whole article to be drawn")
    await r.settle()
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def until_screen(pilot: Pilot, cls: type) -> None:
    await Reader(pilot.app, pilot).wait_screen(cls)  # type: ignore[arg-type]


def steps(*actions: Callable[[Pilot], Awaitable[None]]) -> Callable[[Pilot], Awaitable[None]]:
    """A ``run_before``: wait for the load, run the actions, settle again."""

    async def run_before(pilot: Pilot) -> None:
        await settled(pilot)
        for action in actions:
            await action(pilot)
        await settled(pilot)

    return run_before


def press(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def action(pilot: Pilot) -> None:
        await pilot.press(*keys)

    return action


def reader(seeds: Path) -> ReaderApp:
    return ReaderApp([seeds], BookmarkStore())


def test_main_screen_120x40(snap_compare, seeds: Path) -> None:
    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps())


def test_main_screen_80x24(snap_compare, seeds: Path) -> None:
    assert snap_compare(reader(seeds), terminal_size=(80, 24), run_before=steps())


def test_list_and_preview_160x48(snap_compare, seeds: Path) -> None:
    """Wide: the list with a comfortable share, the preview beside it, the sidebar under the preview."""
    assert snap_compare(reader(seeds), terminal_size=(160, 48), run_before=steps(press("j", "j", "j")))


async def open_ibm(pilot: Pilot) -> None:
    """The IBM story shown in the preview first (as a person's pace gives it), then Enter."""
    r = Reader(pilot.app, pilot)  # type: ignore[arg-type]
    await pilot.press("j", "j", "j")
    await r.wait_for(lambda: r.article_title is not None and r.article_title.startswith("IBM"), "the IBM story shown")
    await r.settle()
    await pilot.press("enter")


def test_article_view_160x48(snap_compare, seeds: Path) -> None:
    """Enter: the article takes the whole width."""
    assert snap_compare(reader(seeds), terminal_size=(160, 48), run_before=steps(open_ibm))


def test_article_view_80x24(snap_compare, seeds: Path) -> None:
    assert snap_compare(reader(seeds), terminal_size=(80, 24), run_before=steps(open_ibm))


def test_jump_box_with_a_query(snap_compare, seeds: Path) -> None:
    async def typed(pilot: Pilot) -> None:
        await pilot.press("slash")
        await until_screen(pilot, JumpScreen)
        await pilot.press(*"jpan facal")

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(typed))


def test_jump_box_80x24_with_a_snippet(snap_compare, seeds: Path) -> None:
    """A match in the excerpt shows a second line with the words around it."""

    async def typed(pilot: Pilot) -> None:
        await pilot.press("slash")
        await until_screen(pilot, JumpScreen)
        await pilot.press(*"guardrails")  # a word of the WSJ story's excerpt only

    assert snap_compare(reader(seeds), terminal_size=(80, 24), run_before=steps(typed))


def test_article_with_the_query_marked(snap_compare, seeds: Path) -> None:
    """The jump box's query comes into the article: marks, the second one current, "2/N"."""

    async def opened(pilot: Pilot) -> None:
        await pilot.press("slash")
        await until_screen(pilot, JumpScreen)
        await pilot.press(*"china facial", "enter")
        r = Reader(pilot.app, pilot)  # type: ignore[arg-type]
        await r.wait_for(lambda: r.match_count > 1, "the query's matches in the article")
        await pilot.press("n")

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(opened))


def test_help_screen(snap_compare, seeds: Path) -> None:
    async def opened(pilot: Pilot) -> None:
        await pilot.press("question_mark")
        await until_screen(pilot, HelpScreen)

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(opened))


def test_main_screen_with_read_and_bookmarked_rows(snap_compare, seeds: Path) -> None:
    # Read the first two (u), bookmark the third: dot and bold title only on unread rows.
    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(press("u", "j", "u", "j", "b")))


async def _tagged(pilot: Pilot) -> None:
    """WSJ bookmarked; Japan tagged "asia, policy" with a note; IBM bookmarked."""
    await pilot.press("b", "j", "j", "t")
    await until_screen(pilot, TagsDialog)
    pilot.app.screen.query_one("#tags-input").value = "asia, policy"
    pilot.app.screen.query_one("#note-input").text = "Compare with the 2019 rules."
    await pilot.press("ctrl+s")
    await pilot.press("j", "b")


def test_bookmarks_view(snap_compare, seeds: Path) -> None:
    async def opened(pilot: Pilot) -> None:
        await _tagged(pilot)
        await pilot.press("B")
        await until_screen(pilot, BookmarksScreen)
        await pilot.press("j")

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(opened))


def test_links_of_an_article(snap_compare, seeds: Path) -> None:
    # The IBM story (fourth row): web, AMP, AMP cache and an image.
    async def opened(pilot: Pilot) -> None:
        await pilot.press("j", "j", "j")
        await settled(pilot)
        await pilot.press("O")
        await until_screen(pilot, LinksScreen)

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(opened))


def test_tags_dialog(snap_compare, seeds: Path) -> None:
    async def opened(pilot: Pilot) -> None:
        await _tagged(pilot)
        await settled(pilot)  # no toast left behind the dialog (the screen under a modal keeps its own)
        await pilot.press("k", "t")
        await until_screen(pilot, TagsDialog)
        for field in pilot.app.screen.query("#tags-input, #note-input"):
            field.cursor_blink = False  # a blinking cursor would be caught on or off

    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(opened))


def test_raw_front_matter_view(snap_compare, seeds: Path) -> None:
    # The Japan seed (third row) has the long `secured:` value.
    assert snap_compare(reader(seeds), terminal_size=(120, 40), run_before=steps(press("j", "j", "f")))


@pytest.mark.parametrize(
    ("size", "keys"),
    [((120, 40), ()), ((80, 24), ()), ((120, 40), ("j", "j", "f")), ((120, 200), ("j", "j", "enter", "f"))],
    ids=["main-120x40", "main-80x24", "raw-120x40", "raw-120x200"],
)
async def test_screens_show_no_absolute_path(seeds: Path, size: tuple[int, int], keys: tuple[str, ...]) -> None:
    """Snapshots must not depend on where the repository is cloned.

    The 200-row terminal shows the whole article view, including the file path
    at its end: it must read ``seeds/…``, not the absolute path.
    """
    app = reader(seeds)
    async with app.run_test(size=size) as pilot:
        await steps(press(*keys))(pilot)
        text = screen_text(app)
    assert str(ROOT) not in text
    assert str(seeds) not in text
    if size[1] >= 200:
        assert "seeds/000_0c7c719d9a70dd46.txt" in text
