"""Bookmarks as a user makes them: b on an article or a related entry, the
bookmarks view (B), and the bookmarks kept across a rescan (R).

How these tests run (the real app, headless, what the user sees): see
tests/test_ui_list.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.driver import messages, reader, screen_text, without_unread
from tests.helpers import DATE_ORDER, IBM, NEWEST, SECOND, article, write
from tui.core.bookmarks import BookmarkStore
from tui.ui.screens.bookmarks import BookmarksScreen

# -- bookmarks ------------------------------------------------------------------------------------


async def test_b_bookmarks_and_persists(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j")  # the Japan Today story
        await pilot.press("b")
        assert len(r.bookmarked) == 1
        assert r.starred(1)
        assert not r.starred(0)
        assert f"Bookmarked: {SECOND}" in messages(app)
    store = BookmarkStore()  # the same (isolated) XDG folders as the app
    try:
        saved = store.all()
        assert [b.title for b in saved] == [SECOND]
        assert saved[0].url.startswith("https://japantoday.com/")
        assert saved[0].path is not None and saved[0].path.endswith("002_37935ac11491d3da.txt")
    finally:
        store.close()

    # A new session shows the mark straight away.
    async with reader([seeds]) as (app, pilot, r):
        assert r.starred(1)
        await pilot.press("j", "b")  # and b again removes it
        await pilot.pause()
        assert not r.starred(1)
        assert r.bookmarked == set()
        assert f"Removed bookmark: {SECOND}" in messages(app)
    store = BookmarkStore()
    try:
        assert len(store) == 0
    finally:
        store.close()


async def test_B_opens_the_bookmarks_view_and_back(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("b", "j", "j", "j", "b")  # WSJ, then IBM: IBM is the newest bookmark
        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        view = app.screen
        assert isinstance(view, BookmarksScreen)
        assert [b.title for b in view.bookmark_list.rows] == [IBM, NEWEST]
        assert "2 bookmarks, newest first" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is r.main
        assert r.shown.title == IBM


async def test_enter_on_a_bookmark_opens_its_article_and_q_goes_back_to_its_row(seeds: Path) -> None:
    """As Enter on the list and in the jump box: the article itself, not
    the list with the cursor on it (at 80 columns the list is alone)."""
    async with reader([seeds], size=(80, 24)) as (app, pilot, r):
        await pilot.press("j", "j", "j", "b", "g")  # IBM bookmarked, the cursor back on the first row
        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        await pilot.press("enter")
        await r.wait_for(lambda: app.screen is r.main, "the reader")
        await pilot.pause()
        assert r.main.panes.article_open and r.shown.title == IBM
        assert "export controls" in screen_text(app) and "Wall Street J" not in screen_text(app)  # the article, not the list
        await pilot.press("q")
        await pilot.pause()
        assert not r.main.panes.article_open and r.shown.title == IBM
        assert "Wall Street J" in screen_text(app)


async def test_the_bookmarks_view_at_80_columns_gives_the_list_the_whole_width(seeds: Path) -> None:
    async with reader([seeds], size=(80, 24)) as (app, pilot, r):
        await pilot.press("b", "B")
        view = await r.wait_screen(BookmarksScreen)
        await pilot.pause()
        assert not view.detail.display and view.bookmark_list.region.width == 80
        assert NEWEST[:60] in screen_text(app)  # (beside the detail, 20 columns of it fitted)
        assert screen_text(app).splitlines()[-1].startswith("? Help esc Back")
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert view.detail.display and view.bookmark_list.region.width < 80


async def test_b_in_bookmarks_view_removes_and_b_again_undoes(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("b", "j", "b", "B")
        await r.wait_screen(BookmarksScreen)
        view = app.screen
        await pilot.press("b")  # the row stays, hollow, so b can undo
        assert len(app.store) == 1
        assert view.bookmark_list.render_line(0).text.startswith("☆")
        assert not r.starred(1)
        await pilot.press("b")
        assert len(app.store) == 2
        assert view.bookmark_list.render_line(0).text.startswith("★")


async def test_B_with_no_bookmarks_says_so(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        assert "No bookmarks yet" in screen_text(app)
        await pilot.press("b", "o", "t", "enter", "f")  # nothing to act on: nothing breaks
        await pilot.pause()
        assert len(app.store) == 0


async def test_bookmark_a_related_entry(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j", "j")  # IBM
        await pilot.pause()
        r.choose_in_sidebar(1)  # Facebook Faces New Lawsuit ...
        await pilot.pause()
        related_title = r.related[1].related.title
        await pilot.press("b")
        assert len(app.store) == 1
        saved = app.store.all()[0]
        assert saved.external and saved.title == related_title
        assert not r.starred(3)  # the article itself is not bookmarked
        assert "★ " + related_title[:20] in screen_text(app)  # the sidebar marks the entry

        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        row = app.screen.bookmark_list.render_line(0).text
        assert row.startswith("★ ") and related_title[:20] in row and " ↗ " in row
        await r.wait_for(lambda: "not a file here" in screen_text(app), "'not a file here' in screen_text(app)")
        assert "A related story, not a file here: Enter opens its URL." in screen_text(app)


async def test_untitled_article_without_url_shows_its_bookmark(tmp_path: Path) -> None:
    """A file whose title reads "(untitled)" and that has no URL: b must mark it."""
    folder = tmp_path / "col"
    write(folder, "u.md", article("(untitled)"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("b")
        assert len(app.store) == 1
        assert r.starred(0)
        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        row = app.screen.bookmark_list.render_line(0).text
        assert "(untitled)" in row and "(file missing)" not in row


async def test_R_rescans_the_collection(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        write(seed_copy, "005_new.md", article("A brand new story", url="https://example.com/new", date="2030-01-01T00:00:00Z"))
        await pilot.press("R")
        await r.wait_loaded()
        assert r.titles == ["A brand new story", *DATE_ORDER]
        assert without_unread(r.subtitle) == "6 articles · newest first"
        assert any("1 new" in m for m in messages(app))


async def test_bookmarks_view_after_a_rescan(seed_copy: Path) -> None:
    """Bookmark the WSJ story, edit another file, rescan (R): the bookmark is still here."""
    async with reader([seed_copy]) as (app, pilot, r):
        await pilot.press("b")
        japan = seed_copy / "000_0c7c719d9a70dd46.txt"
        japan.write_text(japan.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        await pilot.press("R")
        await r.wait_loaded()
        assert r.titles == DATE_ORDER
        assert r.starred(0)
        await pilot.press("B")
        await r.wait_screen(BookmarksScreen)
        row = app.screen.bookmark_list.render_line(0).text
        assert NEWEST[:30] in row and "(" not in row.split(NEWEST[:30])[1]


async def test_below_100_columns_a_toast_takes_two_lines_not_half_the_list(seeds: Path) -> None:
    """Two bookmarks in a row at 60x20: each toast is its message on at most
    two lines (no blank lines inside, the whole width), where half the width
    and a padding made five or six lines each and covered half the list."""
    async with reader([seeds], size=(60, 20), toasts=True) as (app, pilot, r):
        await pilot.press("j", "j", "j", "b", "j", "b")
        await r.wait_for(lambda: len(app.screen.query("Toast")) == 2, "two toasts")
        await pilot.pause()
        for toast in app.screen.query("Toast"):
            assert toast.region.width > 30 and toast.region.height <= 2, toast.region
        assert "Bookmarked: IBM says" in screen_text(app)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert all(toast.region.width <= 60 for toast in app.screen.query("Toast"))  # wide: as Textual draws them
