"""The article beside the list as a user drives it: the raw front matter
(f), the related sidebar (r, Enter), focus (Tab), and opening or copying
URLs (o, y).

How these tests run (the real app, headless, what the user sees): see
tests/test_ui_list.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.driver import messages, reader, screen_text
from tests.helpers import IBM, SECURED_BLOB, WSJ_URL, article, write

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
