"""The reader as a user drives it: every key, the mouse, the palette.

Each test runs the real ``ReaderApp`` headless with Textual's Pilot at
120x40 (unless a test is about the width) and asserts what the user sees
on screen or keeps afterwards (bookmarks on disk). The autouse fixture in
conftest.py points XDG_* at a temporary folder, so bookmarks written here
never reach the real user directories.

Notification messages are checked through ``app._notifications``; the tests
about what a toast shows (or breaks) render real toasts (``toasts=True``).

Run them in parallel, they take about half the time::

    python -m pytest tests/test_ui.py tests/test_snapshots.py -n 2
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.driver import messages, reader, screen_text, without_unread
from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, PLAIN, SECOND, SECURED_BLOB, WSJ_URL, article, many_stories, write
from tui.core.bookmarks import BookmarkStore
from tui.ui.app import ReaderApp
from tui.ui.screens.bookmarks import BookmarksScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.issues import IssueList, IssuesScreen
from tui.ui.screens.jump import JumpScreen
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


# -- front matter -------------------------------------------------------------------------


async def test_f_shows_the_raw_front_matter(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j")  # Japan: the seed with a `secured:` blob
        await pilot.pause()
        assert not r.has_block("raw")
        assert "secured" not in r.header
        assert SECURED_BLOB not in r.header
        assert SECURED_BLOB not in screen_text(app)

        await pilot.press("f")
        code = r.block("raw")
        assert "secured:" in code
        assert SECURED_BLOB in code
        assert 'title: "Japan Restricts Exports of AI Facial Technology"' in code
        assert "secured:" in screen_text(app) or "title:" in screen_text(app)

        await pilot.press("f")
        assert not r.has_block("raw")
        assert SECURED_BLOB not in screen_text(app)


async def test_raw_view_follows_the_cursor(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("f")
        assert "wsj.com" in r.block("raw")
        await pilot.press("G")  # plain text: no front matter
        await pilot.pause()
        assert "no front matter" in r.block("raw")


# -- related sidebar ------------------------------------------------------------------------


async def test_r_toggles_the_related_sidebar(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert r.sidebar_shown
        assert "Related (4)" in screen_text(app)
        await pilot.press("r")
        assert not r.sidebar_shown
        assert "Related (" not in screen_text(app)
        await pilot.press("r")
        assert r.sidebar_shown
        assert "Related (4)" in screen_text(app)


async def test_narrow_terminal_collapses_the_sidebar(seeds: Path) -> None:
    async with reader([seeds], size=(90, 30)) as (app, pilot, r):
        assert not r.sidebar_shown
        assert "Related (" not in screen_text(app)
        await pilot.press("r")  # the user can still ask for it
        await pilot.pause()
        assert r.sidebar_shown


async def test_sidebar_follows_resizes(seeds: Path) -> None:
    async with reader([seeds], size=(120, 40)) as (app, pilot, r):
        assert r.sidebar_shown
        await pilot.resize_terminal(90, 40)
        await pilot.pause()
        assert not r.sidebar_shown
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert r.sidebar_shown


async def test_related_lists_every_entry(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j", "j")  # IBM, seed 003
        await pilot.pause()
        assert r.article_title == IBM
        assert len(r.related) == 4
        titles = [item.related.title for item in r.related]
        assert titles == [r.title for r in r.article.related]
        assert titles[0].startswith("Montreal should restrict police use")
        assert all(item.local is None for item in r.related)
        assert "Related (4) · 0 here" in screen_text(app)
        await pilot.press("G")  # the plain-text seed has none
        await pilot.pause()
        assert "No related stories." in screen_text(app)


async def test_enter_on_an_external_related_entry(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j", "j")  # IBM
        await pilot.pause()
        r.choose_in_sidebar(0)
        await pilot.press("enter")
        header = r.header
        assert header.startswith("Related story")
        assert f"(named by “{IBM}”)" in header
        assert "Montreal should restrict police use of facial recognition technology" in header
        assert "Not in this collection (external)." in header
        assert r.article is None
        assert r.cursor == 3  # the list did not move


async def test_enter_on_a_local_related_entry_goes_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(
        folder,
        "a.md",
        article(
            "Story A",
            url="https://example.com/a",
            date="2024-01-02T00:00:00Z",
            extra='related:\n  - title: "Story B, as A saw it"\n    webUrl: "https://www.example.com/b?utm_source=x"',
        ),
    )
    write(folder, "b.md", article("Story B", url="https://example.com/b", date="2024-01-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        assert r.shown.title == "Story A"
        assert r.related[0].local is not None
        assert "Related (1) · 1 here" in screen_text(app)
        r.choose_in_sidebar(0)
        await pilot.press("enter")
        assert r.cursor == 1
        assert r.article_title == "Story B"
        assert r.focus == "list"


# -- focus ---------------------------------------------------------------------------------------


async def test_tab_moves_focus_list_detail_related(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert r.focus == "list"
        await pilot.press("tab")
        assert r.focus == "article"
        await pilot.press("tab")
        assert r.focus == "sidebar"
        await pilot.press("tab")
        assert r.focus == "list"
        await pilot.press("shift+tab")
        assert r.focus == "sidebar"


async def test_tab_skips_the_hidden_sidebar(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("r", "tab", "tab")
        assert r.focus == "list"


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


# -- URLs --------------------------------------------------------------------------------------


async def test_o_opens_https_urls(seeds: Path, recorder, a_browser: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("o")
        assert opened == [WSJ_URL]
        assert f"Opening {WSJ_URL}" in messages(app)


async def test_o_opens_the_selected_related_entry(seeds: Path, recorder, a_browser: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        r.choose_in_sidebar(0)
        await pilot.press("o")
        assert opened == [r.related[0].related.url]
        assert opened[0].startswith("https://techcrunch.com/")


async def test_o_refuses_javascript_urls(tmp_path: Path, recorder) -> None:
    folder = tmp_path / "col"
    write(folder, "evil.md", article("Evil link", url="javascript:alert(1)"))
    async with reader([folder]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("o")
        assert opened == []
        assert any("Not opening 'javascript:alert(1)'" in m for m in messages(app))
        assert any("only http and https" in m for m in messages(app))


async def test_o_without_url_says_so(seeds: Path, recorder) -> None:
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        copied = recorder(app, "copy_to_clipboard")
        await pilot.press("G", "o", "y")  # the plain-text seed has no URL
        await pilot.pause()
        assert opened == [] and copied == []
        assert messages(app).count("This article has no URL.") == 2


async def test_y_copies_the_url(seeds: Path, recorder) -> None:
    async with reader([seeds]) as (app, pilot, r):
        copied = recorder(app, "copy_to_clipboard")
        await pilot.press("y")
        assert copied == [WSJ_URL]
        assert f"Copied {WSJ_URL}" in messages(app)


# -- jump ------------------------------------------------------------------------------------------


async def test_jump_with_typos_lands_on_the_story(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        assert isinstance(app.screen, JumpScreen)
        assert "Newest stories" in screen_text(app)
        await pilot.press(*"jpan facal")
        assert len(app.screen.result_list.results) >= 1
        assert app.screen.results[0].title == JAPAN
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert r.shown.title == JAPAN
        assert r.article_title == JAPAN
        assert r.article_open and r.focus == "article"  # Enter opens it, as on the list
        await pilot.press("q")
        assert not r.article_open and r.focus == "list" and r.shown.title == JAPAN  # back on its row


async def test_jump_arrow_keys_pick_another_result(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        second = app.screen.results[1]  # empty query: newest stories
        await pilot.press("down", "enter")
        assert r.shown.title == second.title == SECOND


async def test_jump_escape_keeps_the_cursor(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j")
        await pilot.press("slash")
        await pilot.press(*"ibm")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert r.cursor == 2
        assert r.article_title == JAPAN


async def test_keys_typed_in_the_jump_box_are_text(seeds: Path) -> None:
    """q, ?, !, b, s ... typed in the jump box are part of the query, not commands."""
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        await pilot.press(*"qbs?!/fr")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, JumpScreen)
        assert app.screen.query_one("#jump-input").value == "qbs?!/fr"
        assert r.sort == "date" and len(app.store) == 0 and r.sidebar_shown


# -- issues, help, quit --------------------------------------------------------------------------


async def test_issues_screen_lists_broken_files(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "good.md", article("A good story", url="https://example.com/good"))
    write(folder, "broken.md", "---\ntitle: [unclosed\n---\n")
    async with reader([folder]) as (app, pilot, r):
        assert r.titles == ["A good story"]
        assert "1 issues (!)" in r.subtitle
        assert any("1 file could not be read" in m for m in messages(app))
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, IssuesScreen)
        issues = app.screen.query_one(IssueList)
        assert issues.row_count() == 1
        assert issues.issues[0].path.endswith("broken.md")
        text = screen_text(app)
        assert "1 file could not be read as articles" in text
        assert "front matter is not valid YAML" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert r.shown.title == "A good story"


async def test_issues_screen_shows_the_file_name_of_a_deep_path(tmp_path: Path) -> None:
    folder = tmp_path / "collection" / "2023" / "08" / "a-folder-with-a-rather-long-name"
    write(folder, "good.md", article("A good story", url="https://example.com/good"))
    write(folder, "broken-article-file.md", "---\ntitle: [unclosed\n---\n")
    async with reader([tmp_path / "collection"]) as (app, pilot, r):
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, IssuesScreen)
        assert "broken-article-file.md" in screen_text(app)


async def test_issues_screen_keeps_the_reason_of_a_very_long_path(tmp_path: Path) -> None:
    folder = tmp_path / "collection"
    deep = folder
    for _ in range(3):
        deep = deep / ("d" * 120)
    write(deep, "broken.md", "---\ntitle: [unclosed\n---\n")
    write(folder, "good.md", article("A good story", url="https://example.com/good"))
    async with reader([folder], size=(80, 24)) as (app, pilot, r):
        await pilot.press("exclamation_mark")
        await r.wait_screen(IssuesScreen)
        row = next(line for line in r.lines() if "broken.md" in line)
        assert row.startswith("collec") and "…" in row and "front matter is not valid YAML" in row


async def test_issues_screen_with_no_issues(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, IssuesScreen)
        assert "Every file was read. No issues." in screen_text(app)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, MainScreen)


async def test_help_opens_and_closes(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Esc closes this help." in text
        assert "fuzzy-find any story" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark", "q")  # q closes the help, it does not quit
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, MainScreen)


async def test_help_in_a_narrow_terminal_keeps_what_the_keys_do(seeds: Path) -> None:
    async with reader([seeds], size=(60, 20)) as (app, pilot, r):
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "help: every key as" in text and "binding id" not in text  # the ids give way, not the descriptions
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert "binding id" in screen_text(app)


async def test_q_quits(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("q")
    assert app.return_code == 0
    assert not app.is_running


# -- command palette -------------------------------------------------------------------------------


async def test_command_palette_sorts_by_title(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+p")
        await pilot.press(*"sort by title")
        await r.wait_for(lambda: "title A-Z" in screen_text(app), "'title A-Z' in screen_text(app)")  # the palette searches in a worker
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert r.sort == "title"
        assert r.titles[0] == min(DATE_ORDER, key=str.casefold)
        assert without_unread(r.subtitle) == "5 articles · title A-Z"


async def test_command_palette_opens_a_story(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+p")
        await pilot.press(*"IBM export")
        await r.wait_for(lambda: "Open: " + IBM in screen_text(app), "'Open: ' + IBM in screen_text(app)")
        assert "Open: " + IBM in screen_text(app)
        await pilot.press("enter")
        assert r.shown.title == IBM


# -- hostile text ------------------------------------------------------------------------------------

HOSTILE_TITLE = r"[bold]x[/] and \e[2J clear"  # YAML "\e" is ESC


async def test_markup_and_escapes_in_a_title_are_shown_literally(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "hostile.md", article(HOSTILE_TITLE, url="https://example.com/hostile"))
    async with reader([folder]) as (app, pilot, r):
        assert r.rows[0].title == "[bold]x[/] and ␛[2J clear"
        row = r.row(0)
        assert "[bold]x[/]" in row
        assert "␛[2J" in row
        assert "\x1b" not in row
        header = r.header
        assert header.startswith("[bold]x[/] and ␛[2J clear")
        text = screen_text(app)
        assert "[bold]x[/] and ␛[2J clear" in text
        assert "\x1b" not in text


async def test_bookmark_notification_shows_a_markup_title_literally(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "hostile.md", article(HOSTILE_TITLE, url="https://example.com/hostile"))
    async with reader([folder], toasts=True) as (app, pilot, r):
        await pilot.press("b")
        await r.wait_for(lambda: app.screen.query("Toast"), "app.screen.query('Toast')")
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("[bold]x[/]" in toast for toast in toasts), toasts


async def test_bookmarking_a_title_with_a_closing_tag_does_not_crash(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "closing.md", article("Closing tag first [/bold] oops", url="https://example.com/closing"))
    async with reader([folder], toasts=True) as (app, pilot, r):
        await pilot.press("b")
        await r.wait_for(lambda: app.screen.query("Toast") or not app.is_running, "app.screen.query('Toast') or not app.is_running")
        assert app.is_running
        assert len(app.store) == 1


async def test_command_palette_with_a_closing_tag_title_does_not_crash(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "closing.md", article("Closing tag first [/bold] oops", url="https://example.com/closing"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("ctrl+p")
        await pilot.press(*"closing tag")
        await r.wait_for(lambda: "Open: " in screen_text(app) or not app.is_running, "'Open: ' in screen_text(app) or not app.is_running")
        assert app.is_running
        assert "Open: Closing tag first [/bold] oops" in screen_text(app)


async def test_clicking_a_bookmark_toast_runs_no_action_from_the_title(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "click.md", article("[@click=app.quit]Click me[/]", url="https://example.com/click"))
    async with reader([folder], toasts=True) as (app, pilot, r):
        await pilot.press("b")
        await r.wait_for(lambda: app.screen.query("Toast"), "app.screen.query('Toast')")
        toast = app.screen.query_one("Toast")
        await pilot.click(toast, offset=(2 + len("Bookmarked: "), 1))  # on the title
        await r.settle()
        assert app.is_running, "a click on the toast ran app.quit, named by the article's title"


async def test_slash_and_a_query_typed_in_one_go_all_land_in_the_jump_box(seeds: Path) -> None:
    """A terminal delivers "/jpan" as one burst: no key may reach the list."""
    from textual import events

    async with reader([seeds]) as (app, pilot, r):
        for key, char in [("slash", "/"), ("j", "j"), ("p", "p"), ("a", "a"), ("n", "n"), ("slash", "/"), ("b", "b")]:
            app.post_message(events.Key(key, char))
        await r.wait_for(lambda: isinstance(app.screen, JumpScreen) and app.screen.box.value == "jpan/b", "every key of the burst in the box")
        assert isinstance(app.screen, JumpScreen)
        assert app.screen.query_one("#jump-input").value == "jpan/b"
        assert r.cursor == 0 and not r.bookmarked


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

        r.focus_list()
        await pilot.pause()
        rows_fill_the_list()
        await pilot.press("pagedown", "down")
        rows_fill_the_list()
        r.focus_article()
        await pilot.pause()
        rows_fill_the_list()
        app.theme = "nord"
        await pilot.pause()
        rows_fill_the_list()
        await pilot.resize_terminal(46, 20)  # rows narrower than their columns are cut
        await pilot.pause()
        assert r.main.panes.article_list.size.width < 48
        rows_fill_the_list()


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

        r.focus_list()
        await pilot.pause()
        same_as_textual()
        await pilot.press("pagedown", "down")
        same_as_textual()
        r.focus_article()
        await pilot.pause()
        same_as_textual()
        app.theme = "nord"
        await pilot.pause()
        same_as_textual()
        await pilot.resize_terminal(46, 20)  # rows narrower than their columns are cut
        await pilot.pause()
        assert listing.size.width < 48
        same_as_textual()
