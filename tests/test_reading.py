"""Reading state, the place the reader reopens at, the bookmarks view and the
tags dialog, driven as a user would (see tests/test_ui.py for the helpers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_ui import (
    DATE_ORDER,
    IBM,
    JAPAN,
    NEWEST,
    SECOND,
    article,
    header_text,
    messages,
    reader,
    row_text,
    screen_text,
    until,
    write,
)
from tui.core.bookmarks import BookmarkStore
from tui.ui.screens import main as main_module
from tui.ui.screens.bookmarks import BookmarksScreen, TagFilter, TagsDialog


@pytest.fixture
def slow_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Showing an article never counts as reading it during the test."""
    monkeypatch.setattr(main_module, "READ_AFTER", 60.0)


def unread_dot(main: main_module.MainScreen, y: int) -> bool:
    return row_text(main, y)[1] == "•"


def stored_read() -> set[str]:
    store = BookmarkStore()
    try:
        return store.read_keys()
    finally:
        store.close()


async def test_unread_articles_are_marked_and_counted(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, main):
        assert main.unread == 5
        assert main.sub_title.startswith("5 articles · 5 unread · ")
        assert "5 unread" in screen_text(app)
        assert all(unread_dot(main, y) for y in range(5))
        assert main.article_list.render_line(0)  # bold title: checked by the snapshots


async def test_an_article_shown_for_a_moment_is_read(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_module, "READ_AFTER", 0.05)
    async with reader([seeds]) as (app, pilot, main):
        await until(pilot, lambda: main.unread == 4)
        assert main.unread == 4 and "4 unread" in main.sub_title
        assert not unread_dot(main, 0) and unread_dot(main, 1)
    assert len(stored_read()) == 1  # written by the time the reader has quit


async def test_moving_through_the_list_reads_only_where_the_cursor_rests(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_module, "READ_AFTER", 1.0)
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("j", "j", "j")
        await until(pilot, lambda: not unread_dot(main, 3), timeout=5)
        assert not unread_dot(main, 3)
        assert unread_dot(main, 1) and unread_dot(main, 2)


async def test_u_toggles_read_and_unread_and_it_is_kept(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("u")
        assert main.unread == 4 and not unread_dot(main, 0)
        assert "Marked read." in messages(app)
        await pilot.press("u")
        assert main.unread == 5 and unread_dot(main, 0)
        assert "Marked unread." in messages(app)
        await pilot.press("j", "j", "u")  # Japan
        assert main.unread == 4
    assert len(stored_read()) == 1
    async with reader([seeds]) as (app, pilot, main):
        assert main.unread == 4
        assert [unread_dot(main, y) for y in range(5)] == [True, True, False, True, True]


async def test_the_reader_reopens_on_the_last_article_and_scroll_offset(tmp_path: Path, slow_reading: None) -> None:
    folder = tmp_path / "col"
    body = "\n\n".join(f"Paragraph {i}: " + "words " * 30 for i in range(120))
    write(folder, "a.md", article("Newest", url="https://example.com/a", date="2024-03-01T00:00:00Z"))
    write(folder, "b.md", article("The long one", url="https://example.com/b", date="2024-02-01T00:00:00Z", body=body))
    write(folder, "c.md", article("Oldest", url="https://example.com/c", date="2024-01-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("j", "tab")
        await until(pilot, lambda: main.detail.article is not None and main.detail.article.title == "The long one")
        await until(pilot, lambda: main.detail.max_scroll_y > 60)
        main.detail.scroll_to(y=50, animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("q")
    async with reader([folder]) as (app, pilot, main):
        await until(pilot, lambda: main.detail.scroll_y == 50)
        assert main.current_entry.title == "The long one"
        assert main.detail.scroll_y == 50
    # Another collection has its own place.
    async with reader([folder / "c.md"]) as (app, pilot, main):
        assert main.current_entry.title == "Oldest"


async def open_bookmarks(pilot) -> BookmarksScreen:  # noqa: ANN001
    await pilot.press("B")
    await until(pilot, lambda: isinstance(pilot.app.screen, BookmarksScreen))
    screen = pilot.app.screen
    assert isinstance(screen, BookmarksScreen)
    return screen


def detail_text(view: BookmarksScreen) -> str:
    return view.detail.block_text("header")


def view_rows(view: BookmarksScreen) -> list[str]:
    return [view.bookmark_list.render_line(y).text.rstrip() for y in range(len(view.bookmark_list.rows))]


async def test_tags_dialog_edits_tags_and_note(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("j", "t")  # not bookmarked yet: saving bookmarks it
        await until(pilot, lambda: isinstance(app.screen, TagsDialog))
        await pilot.press(*"asia,Pol,asia", "tab", *"[b]x[/]", "ctrl+s")
        assert app.screen is main
        (saved,) = app.store.all()
        assert saved.title == SECOND and saved.tags == ("asia", "Pol") and saved.note == "[b]x[/]"
        assert row_text(main, 1).startswith("★")
        header = header_text(main)
        assert "#asia  #Pol" in header and "[b]x[/]" in header  # markup shown as typed
        # Esc leaves everything as it was.
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagsDialog))
        await pilot.press(*",z", "escape")
        assert app.screen is main and app.store.all()[0].tags == ("asia", "Pol")


async def test_tags_dialog_at_80x24_shows_how_to_save(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds], size=(80, 24)) as (app, pilot, main):
        await pilot.press("b", "j", "t")  # a tag in use: the dialog lists it too
        await until(pilot, lambda: isinstance(app.screen, TagsDialog))
        await pilot.press(*"one", "ctrl+s")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagsDialog))
        await pilot.pause()
        text = screen_text(app)
        assert "in use: one" in text and "Note" in text
        assert "Enter in the tags or ctrl+s saves · Esc cancels" in text


async def test_bookmarks_view_newest_first_with_tags_filter_and_open(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("b", "j", "j", "t")  # WSJ; then Japan with tags
        await until(pilot, lambda: isinstance(app.screen, TagsDialog))
        await pilot.press(*"asia", "enter")
        await pilot.press("j", "b")  # IBM, the newest
        view = await open_bookmarks(pilot)
        assert [b.title for b in view.bookmark_list.rows] == [IBM, JAPAN, NEWEST]
        assert "#asia" in view_rows(view)[1]
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, TagFilter))
        assert "#asia (1)" in screen_text(app)
        await pilot.press("down", "enter")
        assert app.screen is view
        assert [b.title for b in view.bookmark_list.rows] == [JAPAN]
        assert "#asia: 1 of 3 bookmarks" in screen_text(app)
        await pilot.press("enter")  # opens it in the reader
        assert app.screen is main
        assert main.current_entry.title == JAPAN
        await until(pilot, lambda: main.detail.article is not None and main.detail.article.title == JAPAN)


async def test_enter_on_an_external_bookmark_opens_its_url(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    async with reader([seeds]) as (app, pilot, main):
        monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
        await pilot.press("j", "j", "j")  # IBM
        await pilot.pause()
        main.related.options.focus()
        main.related.options.highlighted = 1
        await pilot.pause()
        related = main.related.items[1].related
        await pilot.press("b")
        await open_bookmarks(pilot)
        await pilot.press("enter")
        assert opened == [related.url]


async def test_a_bookmark_whose_file_is_gone_stays_and_relinks_when_it_comes_back(tmp_path: Path, slow_reading: None) -> None:
    folder = tmp_path / "col"
    story = write(folder / "first", "story.md", article("Wandering story", url="https://example.com/wander"))
    write(folder, "other.md", article("Another", url="https://example.com/other", date="2020-01-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("b")
    text = story.read_text(encoding="utf-8")
    story.unlink()
    async with reader([folder]) as (app, pilot, main):
        view = await open_bookmarks(pilot)
        assert " ✗ " in view_rows(view)[0] and "Wandering story" in view_rows(view)[0]
        await until(pilot, lambda: "The file is gone" in detail_text(view))
        assert "re-links when the article shows up again" in detail_text(view)
    moved = write(folder / "second", "renamed.md", text)
    async with reader([folder]) as (app, pilot, main):
        (mark,) = app.store.all()
        assert mark.path == str(moved)
        view = await open_bookmarks(pilot)
        assert " ✗ " not in view_rows(view)[0]
        await pilot.press("enter")
        assert app.screen is main and main.current_entry.path == str(moved)


async def test_read_only_data_folder_says_so_and_the_reader_runs(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow_reading: None
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("TUI_READER_HOME", str(blocker / "home"))
    async with reader([seeds]) as (app, pilot, main):
        (notice,) = [m for m in messages(app) if "Bookmarks will not be saved" in m]
        assert "cannot create" in notice and str(blocker) in notice and "\n" not in notice
        assert [e.title for e in main.rows] == DATE_ORDER
        await pilot.press("b", "u")
        assert row_text(main, 0).startswith("★") and main.unread == 4
    assert blocker.read_text() == "a file where the data folder should be"


async def test_cli_and_reader_share_the_store(seeds: Path, tmp_path: Path, slow_reading: None) -> None:
    from tui.cli import main as cli

    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    assert cli(["bookmarks", "add", str(copy / "002_37935ac11491d3da.txt"), "--tags", "cli"]) == 0
    async with reader([copy]) as (app, pilot, main):
        assert row_text(main, 1).startswith("★")
        view = await open_bookmarks(pilot)
        assert "#cli" in view_rows(view)[0] and SECOND[:20] in view_rows(view)[0]
