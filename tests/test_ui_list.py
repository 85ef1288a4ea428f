"""The article list as a user drives it: the rows, the cursor keys and the
mouse, the sort, the warm start, the scrollbar, the pauses once loaded,
and the lines the list draws.

Each test runs the real ``ReaderApp`` headless with Textual's Pilot at
120x40 (unless a test is about the width) and asserts what the user sees
on screen or keeps afterwards. The autouse fixture in conftest.py points
XDG_* at a temporary folder, so nothing written here reaches the real
user directories. Notification messages are checked through
``app._notifications``; the tests about what a toast shows (or breaks)
render real toasts (``toasts=True``).

The other keys are tested in tests/test_ui_article.py,
tests/test_ui_bookmarking.py and tests/test_ui_screens.py. Run them in
parallel, they take about half the time::

    python -m pytest tests/test_ui_*.py tests/test_snapshots.py -n 2
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.driver import messages, reader, screen_text, without_unread
from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, PLAIN, SECOND, many_stories
from tui.core.bookmarks import BookmarkStore
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.panes import ReadingPanes

# -- the list -------------------------------------------------------------------------------


async def test_list_shows_five_rows_newest_first(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert r.titles == DATE_ORDER
        assert len(r.rows) == 5
        rendered = [r.row(y) for y in range(6)]
        assert rendered[0][3:].startswith("2023-08-08 Wall Street J") and "After Feeding Explosion" in rendered[0]
        assert rendered[4][3:].lstrip().startswith("-")  # the undated plain-text seed: no date
        assert "Report: Japan" in rendered[4]
        assert rendered[5].strip() == ""
        assert without_unread(r.subtitle) == "5 articles · newest first"
        assert r.article_title == NEWEST
        assert "5 articles · newest first" in without_unread(screen_text(app))


# (key, cursor after it): walked in order, so each key starts where the previous left off.
CURSOR_WALK = [
    ("k", 0),  # already at the top: stays
    ("j", 1),
    ("down", 2),
    ("k", 1),
    ("up", 0),
    ("G", 4),
    ("j", 4),  # already at the bottom: stays
    ("g", 0),
    ("end", 4),
    ("home", 0),
    ("pagedown", 4),  # a page is more than five rows
    ("pageup", 0),
    ("space", 4),
]


async def test_cursor_keys_move_and_detail_follows(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        for key, expected in CURSOR_WALK:
            await pilot.press(key)
            assert r.cursor == expected, key
            # The detail follows the cursor (at once, or when a held key rests).
            await r.wait_article(DATE_ORDER[expected])
            assert r.header.startswith(DATE_ORDER[expected]), key


async def test_screen_is_not_covered_by_a_loading_indicator(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    covered: list[object] = []
    original = MainScreen.set_loading

    def set_loading(self: MainScreen, loading: object) -> None:
        if loading:
            covered.append(loading)
        original(self, loading)

    monkeypatch.setattr(MainScreen, "set_loading", set_loading)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j")
        await r.settle()
        shot = screen_text(app)
        assert covered == [], f"the whole screen was put in Textual's loading state with {covered!r}"
        assert "5 articles · newest first" in without_unread(shot)
        assert "AI, facial recognition tech" in shot


async def test_enter_on_list_moves_focus_to_detail(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "enter")
        assert r.focus == "article"
        assert r.article_title == SECOND


async def test_plain_text_seed_detail(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("G")
        await r.wait_for(lambda: r.header.startswith(PLAIN), "r.header.startswith(PLAIN)")  # the detail follows the cursor
        header = r.header
        assert header.startswith(PLAIN)
        assert "no date" in header
        assert "plain text file (no front matter)" in header


async def test_click_on_a_row_moves_the_cursor(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert await pilot.click("#article-list", offset=(5, 3))
        await pilot.pause()
        assert r.cursor == 3
        assert r.article_title == IBM
        assert await pilot.click("#article-list", offset=(5, 1))
        await pilot.pause()
        assert r.cursor == 1
        assert r.article_title == SECOND
        # a click below the last row changes nothing
        assert await pilot.click("#article-list", offset=(5, 20))
        await pilot.pause()
        assert r.cursor == 1


async def test_double_click_on_a_row_opens_it(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert await pilot.click("#article-list", offset=(5, 2))
        assert await pilot.click("#article-list", offset=(5, 2), times=2)
        await pilot.pause()
        assert r.cursor == 2
        assert r.focus == "article"


# -- sort -------------------------------------------------------------------------------------


async def test_s_cycles_the_sort(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("s")  # right after newest first: oldest first, undated still last
        assert r.sort == "oldest"
        assert r.titles == [IBM, JAPAN, SECOND, NEWEST, PLAIN]
        assert without_unread(r.subtitle) == "5 articles · oldest first"
        assert "Sorted by oldest first" in messages(app)
        await pilot.press("s")
        assert r.sort == "title"
        titles = r.titles
        assert titles == sorted(DATE_ORDER, key=str.casefold)
        assert titles[0] == min(DATE_ORDER, key=str.casefold)
        assert "After Feeding" in r.row(0)
        assert without_unread(r.subtitle) == "5 articles · title A-Z"
        assert "title A-Z" in screen_text(app)
        assert "Sorted by title A-Z" in messages(app)

        labels = []
        for _ in range(4):
            await pilot.press("s")
            labels.append(r.subtitle.split(" · ")[-1])
        assert labels == ["provider A-Z", "quality, highest first", "heat, highest first", "newest first"]
        assert r.titles == DATE_ORDER


async def test_sort_keeps_the_current_article(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j")  # Japan
        await pilot.press("s")
        assert r.shown.title == JAPAN
        assert r.article_title == JAPAN


async def test_quality_sort_is_highest_first(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("s", "s", "s", "s")
        assert r.sort == "quality"
        qualities = [entry.quality for entry in r.rows]
        present = [q for q in qualities if q is not None]
        assert present == sorted(present, reverse=True)
        assert qualities[-1] is None  # the plain-text seed has no quality: last


# -- warm start: last run's first rows, then the index ------------------------------------------


async def test_warm_start_shows_last_runs_rows_and_never_empties_the_list(
    seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.index import IndexJob, read_first_screen

    async with reader([seed_copy]):
        pass  # a full load saves the first screen
    assert read_first_screen([seed_copy]) is not None
    counts: list[int] = []
    original = ReadingPanes.fill

    def fill(self: ReadingPanes, keep: object = None) -> None:
        original(self, keep)  # type: ignore[arg-type]
        counts.append(len(self.session.rows))

    monkeypatch.setattr(ReadingPanes, "fill", fill)
    app = ReaderApp([seed_copy], BookmarkStore(), job=IndexJob([seed_copy]))
    async with reader([seed_copy], app=app) as (app, pilot, r):
        assert r.titles == DATE_ORDER
    assert counts and counts[0] == 5 and 0 not in counts  # the rows were there from the first paint on


async def test_the_list_scrollbar_is_drawn_and_answers_the_mouse(tmp_path: Path) -> None:
    """The scrollbars are drawn by the reader's own QuickScrollBar: the thumb
    shows where the list is, a click on the track below it pages down, and
    dragging the thumb scrolls (Textual's scrollbar behaviour, unchanged)."""
    async with reader([many_stories(tmp_path, 300)]) as (app, pilot, r):
        listing = r.main.panes.article_list
        await r.wait_for(lambda: len(r.rows) == 300, "len(r.rows) == 300")
        await pilot.press("home")  # the cursor may have kept to the article shown while the list filled
        await pilot.pause()
        bar = listing.vertical_scrollbar
        assert type(bar).__name__ == "QuickScrollBar" and bar.display
        column = bar.region.x

        def track() -> list[str]:
            """What a click does at each line of the bar, as painted."""
            return [app.screen.get_style_at(column, y).meta.get("@mouse.down", "") for y in range(bar.region.y, bar.region.bottom)]

        before = track()
        assert before[0] == "grab" and before[-1] == "scroll_down"  # the thumb at the top, the track below
        assert listing.scroll_y == 0
        await pilot.click(offset=(column, bar.region.bottom - 2))  # on the track, below the thumb
        await pilot.pause()
        paged = listing.scroll_y
        assert paged > 20  # about a page
        after = track()
        assert after[0] == "scroll_up" and "grab" in after  # the thumb followed
        # Dragging the thumb back to the top scrolls back.
        thumb = bar.region.y + after.index("grab")
        await pilot.mouse_down(offset=(column, thumb))
        await pilot.hover(offset=(column, bar.region.y))
        await pilot.mouse_up(offset=(column, bar.region.y))
        await pilot.pause()
        assert listing.scroll_y < paged / 3


async def test_garbage_is_collected_in_the_pauses_once_loaded(seeds: Path) -> None:
    """Once the collection and its graph are loaded, the cycle collector runs
    between actions, not inside frames; leaving the reader gives Python back
    its automatic collection."""
    import gc
    import weakref

    class Node:
        other: object = None

    thresholds = gc.get_threshold()
    async with reader([seeds]) as (app, pilot, r):
        await r.wait_graph()
        await r.wait_for(lambda: app.collector.running, "the idle collector to start")
        assert app.collector.running and not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a
        garbage = weakref.ref(a)
        del a, b
        kept = [Node() for _ in range(5_000)]  # enough new objects to be worth a collection
        await r.wait_for(lambda: garbage() is None, "garbage() is None", timeout=3)
        assert garbage() is None and len(kept) == 5_000
    assert gc.isenabled() and gc.get_threshold() == thresholds  # Python's own pace again


async def in_every_state(r, pilot, check) -> None:  # noqa: ANN001
    """``check()`` with the list focused, paged down, not focused, in another
    theme, and narrower than its columns (rows are cut)."""
    r.focus_list()
    await pilot.pause()
    check()
    await pilot.press("pagedown", "down")
    check()
    r.focus_article()
    await pilot.pause()
    check()
    r.app.theme = "nord"
    await pilot.pause()
    check()
    await pilot.resize_terminal(46, 20)
    await pilot.pause()
    assert r.main.panes.article_list.size.width < 48
    check()


async def test_the_list_rows_fill_the_list_in_every_state(tmp_path: Path) -> None:
    """Each row of the article list (drawn straight to segments, see
    ArticleList.render_row_segments) is exactly as wide as the list, its
    right border cell included: focused or not, paged down, in another
    theme, and narrower than its columns."""
    async with reader([many_stories(tmp_path, 120)]) as (app, pilot, r):
        await r.wait_for(lambda: len(r.rows) == 120, "120 rows")

        def rows_fill_the_list() -> None:
            width = r.main.panes.article_list.region.width
            lines = r.list_lines()
            assert lines and any("Story number" in line.text for line in lines)
            for y, line in enumerate(lines):
                assert line.cell_length == width, (y, line.text)
                if not r.main.panes.article_list.has_class("-alone"):  # alone in a narrow terminal: no border
                    assert line.text.endswith("│"), line.text  # the border, after the scrollbar's column

        await in_every_state(r, pilot, rows_fill_the_list)


async def test_the_list_draws_its_lines_as_textual_would(tmp_path: Path) -> None:
    """The lists make their lines themselves (each row plus the right border
    cell), skipping Textual's generic line styling for speed: every line is
    the same, segment for segment, as Textual's own pipeline would make it,
    focused or not, at the top or paged down, in another theme, and cut to a
    column range."""
    from textual.geometry import Region
    from textual.widget import Widget

    async with reader([many_stories(tmp_path, 120)]) as (app, pilot, r):
        listing = r.main.panes.article_list
        await r.wait_for(lambda: len(r.rows) == 120, "120 rows")

        def same_as_textual() -> None:
            width, height = listing.region.size
            for crop in (Region(0, 0, width, height), Region(3, 2, width - 5, 4)):
                own = [list(strip) for strip in listing.render_lines(crop)]
                listing._styles_cache.clear()
                textual = [list(strip) for strip in Widget.render_lines(listing, crop)]
                assert listing._quick is not None  # the list's own path was taken
                assert own == textual
                assert all(sum(segment.cell_length for segment in line) == crop.width for line in own)

        await in_every_state(r, pilot, same_as_textual)
