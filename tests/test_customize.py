"""Making the reader yours, as a user does it: a settings file (keys, theme,
sort, sidebar, dates, paths), `e` to edit the article, `c` to copy it as a
Markdown link, `O` for every link of the article, and a help screen that
shows the keys as they are bound now."""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.driver import messages, reader, screen_text
from tests.helpers import JAPAN, NEWEST, PLAIN, WSJ_URL, article, write
from tui.core import locations
from tui.core.bookmarks import BookmarkStore
from tui.ui.app import ReaderApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.links import LinksScreen


def write_settings(text: str) -> Path:
    path = locations.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def footer_text(app: ReaderApp) -> str:
    return screen_text(app).splitlines()[-1]


# -- keys ----------------------------------------------------------------------------


async def test_a_remapped_key_triggers_its_action_and_the_old_one_does_not(seeds: Path) -> None:
    write_settings('[keys]\nsort = "S"\n"list.down" = "n,down"\n')
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("s")
        await pilot.pause()
        assert r.sort == "date"  # s is no longer bound
        await pilot.press("S")
        await r.wait_for(lambda: r.sort == "oldest", "r.sort == 'oldest'")
        assert "oldest first" in screen_text(app).splitlines()[0]
        await pilot.press("n")
        assert r.cursor == 1
        await pilot.press("j")  # j was list.down's; the keymap replaced it
        assert r.cursor == 1
        assert "S Sort" in footer_text(app) and "s Sort" not in footer_text(app)


async def test_the_help_shows_the_keys_as_bound_now(seeds: Path) -> None:
    write_settings('[keys]\nsort = "S"\nedit = "ctrl+e"\n')
    async with reader([seeds], size=(120, 80)) as (app, pilot, r):
        await pilot.press("question_mark")
        await r.wait_screen(HelpScreen)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        # The help box's rows, without the screen behind it on either side.
        sort_row = next(line for line in lines if "sort: newest, oldest" in line).split("│")[1]
        edit_row = next(line for line in lines if "edit the article's file" in line).split("│")[1]
        assert sort_row.split()[0] == "S" and sort_row.split()[-1] == "sort"
        assert edit_row.split()[0] == "^e" and edit_row.split()[-1] == "edit"


async def test_every_binding_of_the_reader_has_an_id_and_a_help_row(seeds: Path) -> None:
    """Any binding added anywhere in tui.ui shows up in the help (and can be remapped)."""
    from tui.ui import keys

    async with reader([seeds]) as (app, pilot, r):
        rows = [row for section in keys.sections(app) for row in section.rows]
        assert rows and all(row.binding_id for row in rows)
        ids = [row.binding_id for row in rows]
        assert len(ids) == len(set(ids))
        assert {"quit", "help", "sort", "edit", "copy_link", "links", "list.down", "jump.back", "links.open"} <= set(ids)


async def test_an_unknown_binding_id_or_bad_key_is_one_message_and_the_rest_applies(seeds: Path) -> None:
    write_settings('[keys]\nnope = "x"\nsort = "two words"\nraw = "F"\n')
    async with reader([seeds]) as (app, pilot, r):
        said = messages(app)
        assert any(m.startswith("keys.nope:") and "no binding" in m for m in said)
        assert any(m.startswith("keys.sort:") for m in said)
        await pilot.press("s")  # not remapped: the default key still works
        await r.wait_for(lambda: r.sort == "oldest", "r.sort == 'oldest'")
        await pilot.press("F")
        assert r.raw_shown


# -- other settings --------------------------------------------------------------------


async def test_a_bad_value_is_a_one_line_notification_and_the_default_is_used(seeds: Path) -> None:
    write_settings('sort = "size"\nsidebar = "maybe"\ntheme = "no-such-theme"\n')
    async with reader([seeds]) as (app, pilot, r):
        said = [m for m in messages(app) if m.split(":")[0] in ("sort", "sidebar", "theme")]
        assert len(said) == 3 and all("\n" not in m for m in said)
        assert r.sort == "date" and r.sidebar_shown
        assert app.theme == "textual-dark"


async def test_a_toml_error_is_one_notification_and_every_default(seeds: Path) -> None:
    write_settings('sort = "title\n')
    async with reader([seeds]) as (app, pilot, r):
        said = [m for m in messages(app) if "not valid TOML" in m]
        assert len(said) == 1
        assert r.sort == "date"


async def test_sort_sidebar_and_date_formats_from_the_settings(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    write_settings('sort = "title"\nsidebar = false\ndate_format = "%d/%m/%y"\ndetail_date_format = "%Y-%m-%d at %H:%M"\n')
    try:
        async with reader([seeds]) as (app, pilot, r):
            assert r.sort == "title"
            assert r.titles == sorted(r.titles, key=str.casefold)
            assert not r.sidebar_shown  # 120 columns, but the settings say no sidebar
            await pilot.press("r")
            assert r.sidebar_shown  # r still shows it
            r.go_to(r.entry(NEWEST))
            await r.wait_for(lambda: NEWEST in r.header, "NEWEST in r.header")
            row = r.row(r.cursor)
            assert "08/08/23" in row
            assert "2023-08-08 at 10:07" in r.header
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


async def test_no_path_opens_the_settings_paths_instead_of_the_seeds(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(folder, "a.md", article("My own article"))
    write_settings(f'paths = ["{folder}"]\n')
    async with reader([], app=ReaderApp(store=BookmarkStore())) as (app, pilot, r):
        assert r.titles == ["My own article"]


async def test_the_theme_chosen_in_the_palette_is_remembered_across_runs(seeds: Path) -> None:
    path = write_settings('# mine\nsort = "title"  # keep\n')
    async with reader([seeds]) as (app, pilot, r):
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await r.settle()  # the palette searches in a worker
        await pilot.press("enter")  # the "Theme" command: a palette of themes
        await r.settle()
        await pilot.press(*"nord")
        await r.settle()
        await pilot.press("enter")
        await r.wait_for(lambda: app.theme == "nord", "app.theme == 'nord'")
        assert app.theme == "nord"
    text = path.read_text()
    assert text.startswith('# mine\nsort = "title"  # keep\n')  # the user's lines are kept
    assert tomllib.loads(text)["theme"] == "nord"
    async with reader([seeds]) as (app, pilot, r):
        assert app.theme == "nord"
        assert r.sort == "title"


# -- e: edit -------------------------------------------------------------------------------


def fake_editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\ntext = path.read_text()\n" + body)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


async def test_e_edits_the_file_and_the_reader_shows_the_edit(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, f"path.write_text(text.replace({NEWEST!r}, 'Edited: a new title'))\n"))
    async with reader([seed_copy]) as (app, pilot, r):
        assert NEWEST in r.header
        await pilot.press("e")
        await r.wait_for(lambda: "Edited: a new title" in r.header, "'Edited: a new title' in r.header")
        assert "Edited: a new title" in r.header
        assert "Edited: a new title" in r.titles and NEWEST not in r.titles
        assert "Edited: a new title" in r.row(r.cursor)
        await r.wait_for(lambda: "Edited: a new title" in r.search("edited new title", limit=1), "the search to find the edited title")
        assert r.search("edited new title", limit=1) == ["Edited: a new title"]
    assert "Edited: a new title" in (seed_copy / "004_bab4575553efcfb1.txt").read_text()


async def test_e_with_an_editor_that_cannot_run_says_so(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "/no/such/editor-program")
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("e")
        await pilot.pause()
        assert any("cannot run the editor" in m for m in messages(app))
        assert NEWEST in r.header


# -- c: copy as a Markdown link ------------------------------------------------------------------


async def test_c_copies_the_article_as_a_markdown_link(seeds: Path) -> None:
    async with reader([seeds], toasts=True) as (app, pilot, r):
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == f"[{NEWEST}]({WSJ_URL})"
        assert any(m.startswith("Copied [After Feeding") for m in messages(app))


async def test_c_on_an_article_without_url_says_so(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("G")
        await r.wait_for(lambda: PLAIN in r.header, "PLAIN in r.header")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == ""
        assert "This article has no URL: there is no link to copy." in messages(app)


# -- O: every link ---------------------------------------------------------------------------


async def test_O_lists_every_link_and_image_and_opens_the_chosen_one(tmp_path: Path, recorder, a_browser: None) -> None:
    folder = tmp_path / "col"
    extra = (
        'ampWebUrl: "https://example.com/a/amp"\n'
        'originalUrl: "https://original.example.com/a"\n'
        "images:\n  - url: https://img.example.com/cover.jpg\n    width: 800\n    height: 600\n"
    )
    body = (
        "See [the report](https://report.example.com/r) and ![a chart](https://img.example.com/chart.png).\n\n"
        "Also https://bare.example.com/x and [a mail](mailto:someone@example.com).\n"
    )
    write(folder, "a.md", article("Links galore", url="https://example.com/a", extra=extra, body=body))
    async with reader([folder]) as (app, pilot, r):
        opened = recorder(app, "open_url")
        await pilot.press("O")
        await r.wait_screen(LinksScreen)
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        assert [link.url for link in screen.links] == [
            "https://example.com/a",
            "https://example.com/a/amp",
            "https://original.example.com/a",
            "https://img.example.com/cover.jpg",
            "https://report.example.com/r",
            "https://img.example.com/chart.png",
            "https://bare.example.com/x",
            "mailto:someone@example.com",
        ]
        text = screen_text(app)
        assert "the report" in text and "https://img.example.com/chart.png" in text
        await pilot.press("down", "down", "down", "down", "enter")
        assert opened == ["https://report.example.com/r"]
        await pilot.press("end", "enter")  # mailto: is listed, never opened
        assert opened == ["https://report.example.com/r"]
        assert any("only http and https" in m for m in messages(app))
        await pilot.press("escape")
        assert not isinstance(app.screen, LinksScreen)


async def test_O_on_the_seeds_lists_the_front_matter_links(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        r.go_to(next(e for e in r.rows if e.title == JAPAN))
        await r.wait_for(lambda: JAPAN in r.header, "JAPAN in r.header")
        await pilot.press("O")
        await r.wait_screen(LinksScreen)
        assert app.screen.query_one(OptionList).option_count >= 1


async def test_a_key_taken_from_another_binding_is_said_and_the_help_shows_it(seeds: Path) -> None:
    write_settings('[keys]\nsort = "b"\nraw = "nosuchkey"\n')
    async with reader([seeds], size=(120, 80)) as (app, pilot, r):
        said = messages(app)
        assert "keys.sort: 'b' was also the key of 'bookmark', which no longer has it" in said
        assert any(m.startswith("keys.raw: 'nosuchkey' is not a key name") for m in said)
        await pilot.press("b")
        await r.wait_for(lambda: r.sort == "oldest", "r.sort == 'oldest'")
        assert not r.bookmarked  # b sorts now, it does not bookmark
        await pilot.press("f")  # raw keeps its own key
        assert r.raw_shown
        await pilot.press("question_mark")
        await r.wait_screen(HelpScreen)
        lines = screen_text(app).splitlines()
        bookmark_row = next(line for line in lines if "bookmark / un-bookmark" in line)
        assert "(none)" in bookmark_row


async def test_the_palette_names_the_remapped_key(seeds: Path) -> None:
    write_settings('[keys]\ncopy_link = "C"\n')
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"markdown")
        await r.wait_for(lambda: "Copy [title](url) to the clipboard (C)" in screen_text(app), "'Copy [title](url) to the clipboard (C)' in screen_text(app)")
        assert "Copy [title](url) to the clipboard (C)" in screen_text(app)


async def test_a_new_theme_repaints_the_article_and_the_list_in_its_colours(seeds: Path) -> None:
    """Switching the theme while reading: the article already shown and the
    rows already drawn take the new theme's colours at once (they were
    rendered with the old ones)."""
    async with reader([seeds], size=(160, 40)) as (app, pilot, r):
        await r.wait_for(lambda: r.article is not None, "r.article is not None")
        await pilot.pause()
        listing, detail = r.main.panes.article_list, r.main.panes.detail
        lines = screen_text(app).splitlines()
        x0, x1 = detail.region.x, detail.region.right
        title_y = next(y for y in range(detail.region.y, detail.region.bottom) if detail.article.title[:20] in lines[y][x0:x1])

        def seen() -> tuple[object, object, object]:
            title = app.screen.get_style_at(detail.region.x + 3, title_y)
            provider = app.screen.get_style_at(listing.region.x + 16, listing.region.y + 2)  # the provider column
            return title.color, title.bgcolor, provider.color

        before = seen()
        app.theme = "nord"
        await r.settle()
        nord = app.get_theme("nord")
        title_color, background, provider_color = seen()
        assert (title_color, background, provider_color) != before
        assert background.triplet.hex.lower() == nord.background.lower()
        # The title in the accent colour, the provider in the secondary one, each
        # made readable on the theme's backgrounds (tui/ui/palette.py).
        assert title_color.triplet.hex.lower() == app.theme_variables["text-accent"].lower()
        assert provider_color.triplet.hex.lower() == app.theme_variables["text-secondary"].lower()
