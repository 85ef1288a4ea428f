"""Reading state, the place the reader reopens at, the bookmarks view and the
tags dialog, driven as a person would (tests/driver.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.driver import messages, read_after, reader, screen_text
from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, SECOND, article, many_stories, stored_read, write
from tui.ui.screens.bookmarks import TagFilter, TagsDialog


@pytest.fixture
def slow_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Showing an article never counts as reading it during the test."""
    read_after(monkeypatch, 60.0)


async def test_unread_articles_are_marked_and_counted(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        assert r.unread == 5
        assert r.subtitle.startswith("5 articles · 5 unread · ")
        assert "5 unread" in screen_text(app)
        assert all(r.unread_dot(y) for y in range(5))
        assert r.row(0)  # bold title: checked by the snapshots


async def test_an_article_shown_for_a_moment_is_read(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_after(monkeypatch, 0.05)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j")  # a move of the person's: from now on what stays shown is read
        await r.wait_for(lambda: r.unread == 4, "r.unread == 4")
        assert r.unread == 4 and "4 unread" in r.subtitle
        assert r.unread_dot(0) and not r.unread_dot(1)
    assert len(stored_read()) == 1  # written by the time the reader has quit


async def test_moving_through_the_list_reads_only_where_the_cursor_rests(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_after(monkeypatch, 1.0)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j", "j")
        await r.wait_for(lambda: not r.unread_dot(3), "not r.unread_dot(3)", timeout=5)
        assert not r.unread_dot(3)
        assert r.unread_dot(1) and r.unread_dot(2)


async def test_u_toggles_read_and_unread_and_it_is_kept(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("u")
        assert r.unread == 4 and not r.unread_dot(0)
        assert "Marked read." in messages(app)
        await pilot.press("u")
        assert r.unread == 5 and r.unread_dot(0)
        assert "Marked unread." in messages(app)
        await pilot.press("j", "j", "u")  # Japan
        assert r.unread == 4
    assert len(stored_read()) == 1
    async with reader([seeds]) as (app, pilot, r):
        assert r.unread == 4
        assert [r.unread_dot(y) for y in range(5)] == [True, True, False, True, True]


async def test_the_reader_reopens_on_the_last_article_and_scroll_offset(tmp_path: Path, slow_reading: None) -> None:
    folder = tmp_path / "col"
    body = "\n\n".join(f"Paragraph {i}: " + "words " * 30 for i in range(120))
    write(folder, "a.md", article("Newest", url="https://example.com/a", date="2024-03-01T00:00:00Z"))
    write(folder, "b.md", article("The long one", url="https://example.com/b", date="2024-02-01T00:00:00Z", body=body))
    write(folder, "c.md", article("Oldest", url="https://example.com/c", date="2024-01-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("j", "tab")
        await r.wait_article("The long one")
        await r.wait_for(lambda: r.max_scroll > 60, "r.max_scroll > 60")
        r.scroll_article(50)
        await pilot.pause()
        await pilot.press("q", "q")  # back to the list, then quit
    async with reader([folder]) as (app, pilot, r):
        await r.wait_for(lambda: r.scroll == 50, "r.scroll == 50")
        assert r.shown.title == "The long one"
        assert r.scroll == 50
    # Another collection has its own place.
    async with reader([folder / "c.md"]) as (app, pilot, r):
        assert r.shown.title == "Oldest"


async def test_tags_dialog_edits_tags_and_note(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "t")  # not bookmarked yet: saving bookmarks it
        await r.wait_screen(TagsDialog)
        await pilot.press(*"asia,Pol,asia", "tab", *"[b]x[/]", "ctrl+s")
        assert app.screen is r.main
        (saved,) = app.store.all()
        assert saved.title == SECOND and saved.tags == ("asia", "Pol") and saved.note == "[b]x[/]"
        assert r.row(1).startswith("★")
        header = r.header
        assert "#asia  #Pol" in header and "[b]x[/]" in header  # markup shown as typed
        # Esc leaves everything as it was.
        await pilot.press("t")
        await r.wait_screen(TagsDialog)
        await pilot.press(*",z", "escape")
        assert app.screen is r.main and app.store.all()[0].tags == ("asia", "Pol")


async def test_tags_dialog_at_80x24_shows_how_to_save(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds], size=(80, 24)) as (app, pilot, r):
        await pilot.press("b", "j", "t")  # a tag in use: the dialog lists it too
        await r.wait_screen(TagsDialog)
        await pilot.press(*"one", "ctrl+s")
        await pilot.press("t")
        await r.wait_screen(TagsDialog)
        await pilot.pause()
        text = screen_text(app)
        assert "in use: one" in text and "Note" in text
        assert "Enter in the tags or ctrl+s saves · Esc cancels" in text


async def test_bookmarks_view_newest_first_with_tags_filter_and_open(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("b", "j", "j", "t")  # WSJ; then Japan with tags
        await r.wait_screen(TagsDialog)
        await pilot.press(*"asia", "enter")
        await pilot.press("j", "b")  # IBM, the newest
        view = await r.open_bookmarks()
        assert r.bookmark_titles() == [IBM, JAPAN, NEWEST]
        assert "#asia" in r.bookmark_rows()[1]
        await pilot.press("f")
        await r.wait_screen(TagFilter)
        assert "#asia (1)" in screen_text(app)
        await pilot.press("down", "enter")
        assert app.screen is view
        assert r.bookmark_titles() == [JAPAN]
        assert "#asia: 1 of 3 bookmarks" in screen_text(app)
        await pilot.press("enter")  # opens it in the reader
        assert app.screen is r.main
        assert r.shown.title == JAPAN
        await r.wait_article(JAPAN)


async def test_enter_on_an_external_bookmark_opens_its_url(seeds: Path, monkeypatch: pytest.MonkeyPatch, a_browser: None) -> None:
    opened: list[str] = []
    async with reader([seeds]) as (app, pilot, r):
        monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
        await pilot.press("j", "j", "j")  # IBM
        await pilot.pause()
        r.choose_in_sidebar(1)
        await pilot.pause()
        related = r.related[1].related
        await pilot.press("b")
        await r.open_bookmarks()
        await pilot.press("enter")
        assert opened == [related.url]


async def test_a_bookmark_whose_file_is_gone_stays_and_relinks_when_it_comes_back(tmp_path: Path, slow_reading: None) -> None:
    folder = tmp_path / "col"
    story = write(folder / "first", "story.md", article("Wandering story", url="https://example.com/wander"))
    write(folder, "other.md", article("Another", url="https://example.com/other", date="2020-01-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("b")
    text = story.read_text(encoding="utf-8")
    story.unlink()
    async with reader([folder]) as (app, pilot, r):
        await r.open_bookmarks()
        assert " ✗ " in r.bookmark_rows()[0] and "Wandering story" in r.bookmark_rows()[0]
        await r.wait_for(lambda: "The file is gone" in r.bookmark_detail, "'The file is gone' in r.bookmark_detail")
        assert "re-links when the article shows up again" in r.bookmark_detail
    moved = write(folder / "second", "renamed.md", text)
    async with reader([folder]) as (app, pilot, r):
        (mark,) = app.store.all()
        assert mark.path == str(moved)
        await r.open_bookmarks()
        assert " ✗ " not in r.bookmark_rows()[0]
        await pilot.press("enter")
        assert app.screen is r.main and r.shown.path == str(moved)


async def test_read_only_data_folder_says_so_and_the_reader_runs(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow_reading: None
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("TUI_READER_HOME", str(blocker / "home"))
    async with reader([seeds]) as (app, pilot, r):
        (notice,) = [m for m in messages(app) if "Bookmarks will not be saved" in m]
        assert "cannot create" in notice and str(blocker) in notice and "\n" not in notice
        assert [e.title for e in r.rows] == DATE_ORDER
        await pilot.press("b", "u")
        assert r.row(0).startswith("★") and r.unread == 4
    assert blocker.read_text() == "a file where the data folder should be"


async def test_cli_and_reader_share_the_store(seeds: Path, tmp_path: Path, slow_reading: None) -> None:
    from tui.cli import main as cli

    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    assert cli(["bookmarks", "add", str(copy / "002_37935ac11491d3da.txt"), "--tags", "cli"]) == 0
    async with reader([copy]) as (app, pilot, r):
        assert r.row(1).startswith("★")
        await r.open_bookmarks()
        assert "#cli" in r.bookmark_rows()[0] and SECOND[:20] in r.bookmark_rows()[0]


async def test_reopening_far_down_the_list_shows_the_row_of_the_article(tmp_path: Path, slow_reading: None) -> None:
    """The place reopened at is on screen: the list scrolls to the row of last
    time's article (not the top of the list with its preview beside it)."""
    folder = many_stories(tmp_path, 150)
    async with reader([folder]) as (app, pilot, r):
        await pilot.press(*"j" * 100)
        await r.wait_for(lambda: r.shown is not None and r.shown.title == "Story number 49", "the 101st story shown")
        await pilot.press("q")
    async with reader([folder], size=(160, 48)) as (app, pilot, r):
        await r.wait_for(lambda: r.shown is not None and r.shown.title == "Story number 49", "last time's article")
        await pilot.pause(0.2)
        height = app.main.panes.article_list.size.height
        assert any("Story number 49" in r.row(y) for y in range(height)), [r.row(y) for y in range(3)]
