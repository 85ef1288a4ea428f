"""The layouts and the article view, as a newsboat or Frogmouth reader uses them.

Wide: the list with the article under its cursor as a preview; Enter opens
the article view (the whole width), where j k space g G J K read and Esc q
h ← go back to the list, on the same row. At 80 columns and below the list
takes the whole width. The list's share of the width changes with = / - and
is remembered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, requires_corpus
from tests.driver import reader
from tests.helpers import article, write
from tui.core import layout
from tui.core.bookmarks import BookmarkStore
from tui.core.locations import settings_file
from tui.core.settings import parse
from tui.ui.app import ReaderApp

LONG_BODY = "\n\n".join(f"Paragraph {i}: " + "words to read in the terminal " * 3 for i in range(120))


def long_articles(tmp_path: Path, count: int = 4) -> Path:
    """Stories with bodies many screens long, newest first: "Story 0", "Story 1", …"""
    folder = tmp_path / "long"
    for i in range(count):
        write(folder, f"{i}.md", article(f"Story {i}", url=f"https://example.com/{i}", date=f"2024-03-{20 - i:02}T00:00:00Z", body=LONG_BODY))
    return folder


def long_titles(tmp_path: Path, count: int = 30) -> Path:
    folder = tmp_path / "titles"
    for i in range(count):
        title = f"Title {i:02} of a story whose headline goes on and on well past any narrow column of a list"
        extra = "provider: {name: A Provider With A Long Name, domain: example.com}"
        write(folder, f"{i:02}.md", article(title, url=f"https://example.com/t{i}", date=f"2024-02-{i % 28 + 1:02}T00:00:00Z", extra=extra))
    return folder


async def test_enter_opens_the_article_view_and_its_keys_read_it(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        assert r.preview_shown and not r.article_open
        await pilot.press("enter")
        assert r.article_open and not r.list_shown and r.focus == "article"
        await r.wait_article("Story 0")
        assert r.main.panes.article_view.region.width == 120 and not r.sidebar_shown  # the whole width
        await r.wait_for(lambda: r.max_scroll > 100, "the long body drawn")
        await pilot.press(*["j"] * 12)
        assert r.scroll == 12
        await pilot.press("k", "up", "down")
        assert r.scroll == 11
        await pilot.press("space")
        page = r.article_height - 1
        assert r.scroll == 11 + page
        await pilot.press("pagedown", "pageup")
        assert r.scroll == 11 + page
        await pilot.press("G")
        assert r.scroll == r.max_scroll
        await pilot.press("g")
        assert r.scroll == 0
        await pilot.press("b")  # b stays bookmark
        assert len(app.store) == 1 and r.article_open


async def test_esc_returns_to_the_same_row_and_j_shows_the_next_story(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("j", "enter")
        await r.wait_article("Story 1")
        await pilot.press("escape")
        assert not r.article_open and r.list_shown and r.focus == "list" and r.cursor == 1
        await pilot.press("j")
        await r.wait_article("Story 2")
        assert r.cursor == 2


@pytest.mark.parametrize("key", ["q", "h", "left"])
async def test_q_h_and_left_go_back_to_the_list(tmp_path: Path, key: str) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("j", "j", "enter", key)
        assert app.is_running and not r.article_open and r.focus == "list" and r.cursor == 2


async def test_q_on_the_list_quits(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("enter", "q")
        assert app.is_running
        await pilot.press("q")
        await r.wait_for(lambda: not app.is_running, "the reader to quit")


async def test_j_and_k_capitals_step_through_stories_in_the_article_view(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("enter")
        await r.wait_article("Story 0")
        await pilot.press("J")
        await r.wait_article("Story 1")
        await pilot.press("J")
        await r.wait_article("Story 2")
        assert r.article_open and r.focus == "article" and r.cursor == 2
        await pilot.press("j", "j", "K")
        await r.wait_article("Story 1")
        assert r.scroll == 0  # each story from its top
        await pilot.press("K", "K")  # the first story: stays, says so
        await r.wait_article("Story 0")
        assert any("first story" in m for m in r.messages)
        await pilot.press("escape")
        assert r.cursor == 0 and not r.article_open


async def test_esc_closes_the_find_bar_first_then_goes_back(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("enter")
        await r.wait_article("Story 0")
        await pilot.press("ctrl+f", *"terminal", "enter")
        assert r.find_shown and r.match_count > 0 and r.focus == "article"
        await pilot.press("escape")
        assert not r.find_shown and r.match_count == 0 and r.article_open
        await pilot.press("escape")
        assert not r.article_open and r.focus == "list"


async def test_history_and_matches_keep_their_keys_in_the_article_view(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("enter")
        await r.wait_article("Story 0")
        r.open(r.entry("Story 3"))  # as a link does: a step of the history
        await r.wait_article("Story 3")
        await pilot.press("left_square_bracket")
        await r.wait_article("Story 0")
        assert r.article_open and r.focus == "article"  # back stays in the article view


async def test_80_columns_the_list_takes_the_whole_width_with_50_cells_of_title(tmp_path: Path) -> None:
    async with reader([long_titles(tmp_path)], size=(80, 24)) as (app, pilot, r):
        assert r.list_shown and not r.preview_shown
        assert r.list_width == 80
        assert all(r.title_cells(y) >= 50 for y in range(10))
        assert all("2024-02-" in r.row(y) for y in range(10))  # and the date
        header, footer = r.lines()[0], r.footer()
        assert "newest first" in header
        assert "? Help" in footer and "q Quit" in footer
        await pilot.press("enter")
        assert r.article_open and r.main.panes.article_view.region.width == 80
        assert "q List" in r.footer() and "? Help" in r.footer()
        await pilot.press("escape")
        assert not r.article_open and r.list_width == 80


async def test_the_footer_shows_whole_keys_only(seeds: Path) -> None:
    """A key that does not fit is left out whole (? lists them all): no cut
    "f" before the palette key, no letter of a hidden key at the edge."""
    for width in (60, 80, 100):
        async with reader([seeds], size=(width, 24)) as (app, pilot, r):
            for _ in range(2):  # the list, then the article view
                footer = r.footer()
                assert footer.endswith("▏^p palette"), footer
                shown = footer.split("▏")[0].split()
                assert len(shown[-1]) > 1, footer  # a description, not a key cut from its own
                await pilot.press("enter")
                await r.settle()


async def test_60_columns_stay_readable(tmp_path: Path) -> None:
    async with reader([long_titles(tmp_path)], size=(60, 20)) as (app, pilot, r):
        assert r.list_width == 60 and not r.preview_shown
        assert all(r.title_cells(y) >= 30 for y in range(10))
        assert "? Help" in r.footer() and "q Quit" in r.footer()
        await pilot.press("enter")
        await r.wait_for(lambda: r.article_title is not None and r.article_title.startswith("Title"), "the article")
        assert r.main.panes.article_view.region.width == 60


async def test_160_columns_the_list_keeps_60_cells_of_title_beside_the_preview(tmp_path: Path) -> None:
    async with reader([long_titles(tmp_path)], size=(160, 48)) as (app, pilot, r):
        assert r.preview_shown
        assert all(r.title_cells(y) >= 60 for y in range(10))


@requires_corpus
async def test_the_real_corpus_at_80x24_shows_50_cells_of_title() -> None:
    async with reader([CORPUS], size=(80, 24)) as (app, pilot, r):
        long_enough = [y for y in range(20) if len(r.rows[y].title) >= 50]
        assert long_enough and all(r.title_cells(y) >= 50 for y in long_enough)


async def test_the_list_width_keys_change_it_and_it_is_remembered(tmp_path: Path) -> None:
    folder = long_titles(tmp_path)
    async with reader([folder], size=(160, 48)) as (app, pilot, r):
        before = r.list_width
        await pilot.press("equals_sign")
        assert r.list_width == before + 8  # 5% of 160
        await pilot.press("minus", "minus")
        assert r.list_width == before - 8
        narrower = r.list_width
        app.store.close()
    async with reader([folder], size=(160, 48)) as (app, pilot, r):
        assert r.list_width == narrower  # remembered
        await pilot.press(*["equals_sign"] * 10)
        assert r.list_width == 128  # 80% at most
        assert any("as wide as it goes" in m for m in r.messages)
        app.store.close()
    # Editing the setting wins over the last choice.
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text("list_width = 40\n", encoding="utf-8")
    async with reader([folder], size=(160, 48)) as (app, pilot, r):
        assert r.list_width == 64


async def test_the_cursor_row_is_one_band_and_the_focused_pane_shows(tmp_path: Path) -> None:
    async with reader([long_titles(tmp_path)], size=(160, 48)) as (app, pilot, r):
        await pilot.press("j")
        assert len(r.cursor_backgrounds()) == 1  # star, dot, date, provider, title: one background
        listing = r.main.panes.article_list
        focused_border = listing.styles.border_right[1]
        await pilot.press("tab")  # the preview has the keys
        assert r.focus == "article"
        assert len(r.cursor_backgrounds()) == 1
        assert listing.styles.border_right[1] != focused_border


def test_the_list_width_setting_is_checked() -> None:
    settings, problems = parse("list_width = 55\n")
    assert settings.list_width == 55 and not problems
    for bad in ("list_width = 5", "list_width = 95", 'list_width = "wide"', "list_width = true"):
        settings, problems = parse(bad + "\n")
        assert settings.list_width == 60 and len(problems) == 1 and problems[0].startswith("list_width:")


def test_the_remembered_width_is_one_meta_row(tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "user.db")
    assert layout.remembered(store, 60) == 60
    assert layout.remember(store, 70, 60) == ""
    assert layout.remembered(store, 60) == 70
    assert layout.remembered(store, 50) == 50  # the setting changed since: it wins
    store.set_meta(layout.META_NAME, "not json")
    assert layout.remembered(store, 60) == 60
    assert layout.step(80, 1) == 80 and layout.step(25, -1) == 25 and layout.step(60, -1) == 55
    store.close()


async def test_the_app_runs_with_a_store_that_cannot_remember(tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "user.db")
    store.go_in_memory("testing")
    async with reader([long_titles(tmp_path)], size=(160, 48), app=ReaderApp([long_titles(tmp_path)], store)) as (app, pilot, r):
        await pilot.press("minus")
        assert r.list_width == 88


async def test_r_shows_the_sidebar_of_the_layout_shown(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        assert r.sidebar_shown  # the list's, under the preview (the sidebar setting)
        await pilot.press("enter")
        assert not r.sidebar_shown  # the article view: the whole width
        await pilot.press("r")
        assert r.sidebar_shown and r.main.panes.article_view.region.width == 120 - 34
        await pilot.press("escape")
        assert r.sidebar_shown and r.preview_shown
        await pilot.press("r", "enter")
        assert not r.preview_shown and r.sidebar_shown  # each layout keeps its own
        await pilot.press("r", "escape")
        assert not r.sidebar_shown


async def test_q_from_the_sidebar_of_the_article_view_goes_back_not_out(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(90, 30)) as (app, pilot, r):
        await pilot.press("enter", "r")  # below 100 columns its sidebar takes the article's place
        assert r.sidebar_shown and r.focus == "sidebar" and r.article_open
        await pilot.press("q")  # one step back: the article it took the place of
        assert app.is_running and r.article_open and not r.sidebar_shown and r.focus == "article"
        await pilot.press("r", "escape")  # Esc the same
        assert r.article_open and not r.sidebar_shown and r.focus == "article"
        await pilot.press("q")
        assert app.is_running and not r.article_open and r.focus == "list"
        await pilot.press("escape")  # on the list Esc does nothing of the kind
        assert app.is_running and r.focus == "list"


async def test_esc_from_the_sidebar_beside_the_article_goes_back_to_the_list(tmp_path: Path) -> None:
    async with reader([long_articles(tmp_path)], size=(120, 40)) as (app, pilot, r):
        await pilot.press("enter", "r", "tab")
        assert r.sidebar_shown and r.focus == "sidebar" and r.article_open
        await pilot.press("escape")  # the article is on screen beside it: back to the list
        assert not r.article_open and r.focus == "list"


async def test_the_article_pane_has_one_background_as_its_keys_come_and_go(seeds: Path) -> None:
    """The article view is brighter while it has the keys: every line of it,
    the lines rendered before it had them too (a header and a few body lines
    kept the darker background, as they were rendered)."""
    from textual.geometry import Region

    from tui.ui.widgets.detail import DetailPane

    def backgrounds(pane: DetailPane) -> set:
        lines = pane.render_lines(Region(0, 0, pane.size.width, pane.size.height))
        return {segment.style.bgcolor for line in lines for segment in line if segment.style and segment.style.bgcolor}

    async with reader([seeds], size=(80, 24)) as (app, pilot, r):
        await pilot.press("g", "j", "j", "j", "enter")  # shown in the list's preview first, then read
        await r.settle()
        pane = app.focused
        assert isinstance(pane, DetailPane)
        with_keys, shown = pane.rich_style.bgcolor, backgrounds(pane)
        app.set_focus(None)
        await pilot.pause()
        without_keys = pane.rich_style.bgcolor
        assert with_keys != without_keys
        assert with_keys in shown and without_keys not in shown
        assert without_keys in backgrounds(pane) and with_keys not in backgrounds(pane)
