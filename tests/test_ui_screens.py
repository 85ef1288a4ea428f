"""The screens over the list as a user opens them: the jump box (/), the
issues (!), the help (?), quitting (q), the command palette (ctrl+p);
and titles holding markup or escapes in each of them.

How these tests run (the real app, headless, what the user sees): see
tests/test_ui_list.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.driver import messages, reader, screen_text, without_unread
from tests.helpers import DATE_ORDER, IBM, JAPAN, SECOND, article, write
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.issues import IssueList, IssuesScreen
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.main import MainScreen

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
        await pilot.pause()
        assert r.shown.title == IBM
        assert r.main.panes.article_open  # opened, as Enter on the list and in the jump box
        await pilot.press("q")
        await pilot.pause()
        assert not r.main.panes.article_open and r.shown.title == IBM


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
