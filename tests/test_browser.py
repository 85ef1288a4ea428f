"""`o` opens a link in a browser, or says plainly why not (issue 16).

The ``browser`` setting is a command run as a list of arguments (``%u`` is
the URL, else it goes last), with the terminal handed over; without it, the
system's browser; with none, a plain message, and nothing claims to open.
"""

from __future__ import annotations

import json
import sys
import webbrowser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.driver import messages, reader
from tests.helpers import WSJ_URL, article, write
from tui.core.bookmarks import BookmarkStore
from tui.core.browser import BrowserError, browser_argv, parse_command
from tui.core.settings import Settings, parse
from tui.ui import outside
from tui.ui.app import ReaderApp


def fake_browser(folder: Path, status: int = 0) -> tuple[Path, Path]:
    """A browser that records the arguments it was given (one JSON list a line); its path and the record."""
    record = folder / "calls.jsonl"
    script = folder / "fake-browser"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"with open({str(record)!r}, 'a') as f:\n    f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.exit({status})\n"
    )
    script.chmod(0o755)
    return script, record


def calls(record: Path) -> list[list[str]]:
    return [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []


def app_with(roots: list[Path], browser: tuple[str, ...]) -> ReaderApp:
    return ReaderApp(roots, BookmarkStore(), settings=Settings(browser=browser))


def test_the_command_gets_the_url_as_one_argument() -> None:
    assert browser_argv(("w3m", "%u"), "https://a.example/x") == ["w3m", "https://a.example/x"]
    assert browser_argv(("lynx", "-accept_all_cookies"), "https://a.example/") == ["lynx", "-accept_all_cookies", "https://a.example/"]
    assert browser_argv(("b", "--url=%u", "-n"), "http://x.example/;rm -rf ~") == ["b", "--url=http://x.example/;rm -rf ~", "-n"]
    with pytest.raises(BrowserError):
        browser_argv(("w3m",), "javascript:alert(1)")
    with pytest.raises(BrowserError):
        browser_argv(("w3m",), "file:///etc/passwd")


@given(st.text(), st.sampled_from(["http", "https", "HTTPS"]), st.booleans())
def test_any_url_is_exactly_one_argument(tail: str, scheme: str, placeholder: bool) -> None:
    url = f"{scheme}://example.com/{tail}"
    command = ("browse", "-x", "%u") if placeholder else ("browse", "-x")
    try:
        argv = browser_argv(command, url)
    except BrowserError:
        return  # not an openable URL (urlsplit refuses it): nothing runs
    assert argv == ["browse", "-x", url]


def test_the_setting_is_a_command_string_or_list_and_a_bad_one_is_one_line() -> None:
    assert parse('browser = "w3m -o confirm_qq=false %u"')[0].browser == ("w3m", "-o", "confirm_qq=false", "%u")
    assert parse('browser = ["my browser", "%u"]')[0].browser == ("my browser", "%u")
    assert parse('browser = ""') == (Settings(), [])
    for bad in ("browser = 3", 'browser = "w3m \\"%u"', 'browser = ["w3m", 1]', 'browser = "w3m\\n%u"', "browser = {a = 1}"):
        settings, problems = parse(bad)
        assert settings.browser == () and len(problems) == 1 and problems[0].startswith("browser: "), bad
        assert "the system's browser" in problems[0]
    assert parse_command(["lynx"]) == ("lynx",)


async def test_o_runs_the_browser_setting_with_the_url(seeds: Path, tmp_path: Path) -> None:
    script, record = fake_browser(tmp_path)
    async with reader([seeds], app=app_with([seeds], (str(script), "--new-tab", "%u"))) as (app, pilot, r):
        await pilot.press("o")
        await pilot.pause()
        assert calls(record) == [["--new-tab", WSJ_URL]]
        assert not any("No browser" in m for m in messages(app))


async def test_a_url_is_never_a_command(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    url = "https://example.com/a;touch${IFS}PWNED&$(touch PWNED2)"
    write(folder, "a.md", article("Shell", url=url))
    script, record = fake_browser(tmp_path)
    async with reader([folder], app=app_with([folder], (str(script),))) as (app, pilot, r):
        await pilot.press("o")
        await pilot.pause()
        assert calls(record) == [[url]]
        assert not list(tmp_path.glob("PWNED*")) and not list(Path.cwd().glob("PWNED*"))


async def test_a_browser_that_fails_is_reported(seeds: Path, tmp_path: Path) -> None:
    script, record = fake_browser(tmp_path, status=3)
    async with reader([seeds], app=app_with([seeds], (str(script),))) as (app, pilot, r):
        await pilot.press("o")
        await pilot.pause()
        assert calls(record) == [[WSJ_URL]]
        assert "The browser exited with status 3." in messages(app)
    async with reader([seeds], app=app_with([seeds], (str(tmp_path / "no-such-browser"), "%u"))) as (app, pilot, r):
        await pilot.press("o")
        await pilot.pause()
        assert any("cannot run the browser" in m and "command not found" in m for m in messages(app))
        assert not any(m.startswith("Opening") for m in messages(app))


async def test_without_a_browser_o_says_so(seeds: Path, monkeypatch: pytest.MonkeyPatch, recorder) -> None:
    def none() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("o")
        await pilot.pause()
        assert opened == []
        assert any(m.startswith(f"No browser found to open {WSJ_URL}") for m in messages(app))
        assert not any(m.startswith("Opening") for m in messages(app))


async def test_a_text_browser_of_the_system_gets_the_terminal(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorder) -> None:
    """webbrowser would run a console browser (www-browser, lynx) behind the reader's back: it is run like the setting."""
    script, record = fake_browser(tmp_path)
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser([str(script), "-dump", "%s"]))
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("o")
        await pilot.pause()
        assert calls(record) == [["-dump", WSJ_URL]] and opened == []


async def test_a_window_browser_of_the_system_gets_the_url_through_textual(seeds: Path, recorder, a_browser: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("o")
        assert opened == [WSJ_URL] and f"Opening {WSJ_URL}" in messages(app)
    assert outside.system_browser() is not None
