"""The jump box and finding in an article, as a user drives them (Pilot).

Results show the matched characters, provider and date, and a snippet when
the match is in the excerpt or body; facet values complete; is:bookmarked /
is:unread follow the reader's state; recent queries and saved views survive a
restart; the query comes along into the article (marks, "2/7", n / N, Esc);
ctrl+f finds typed text.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_ui import IBM, JAPAN, article, reader, screen_text, until, write
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.views import NameDialog, ViewsScreen


def title_marks(screen: JumpScreen, k: int) -> list[str]:
    result = screen.result_list.results[k]
    return [result.entry.title[a:b] for a, b in result.title_spans]


def drawn_lines(screen: JumpScreen) -> list[str]:
    results = screen.result_list
    results._paint = (round(results.scroll_y), results.scrollable_content_region.width)
    results._styles = {"": results.rich_style}
    return [results.render_line(y).text for y in range(results.scrollable_content_region.height)]


async def test_results_show_the_matched_characters_provider_and_date(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("slash", *"jpan facal")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JumpScreen)
        assert screen.results[0].title == JAPAN
        assert title_marks(screen, 0) == ["Japan", "Facial"]
        first = drawn_lines(screen)[0]
        assert JAPAN in first and "Armstrong Economics · 2022-01-08" in first
        # The marked characters are drawn in the match style (bold underline).
        strip = screen.result_list.render_line(0)
        marked = "".join(seg.text for seg in strip if seg.style and seg.style.underline)
        assert marked == "JapanFacial"


async def test_a_match_in_the_body_shows_a_snippet(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    body = "Nothing here. " * 30 + "The zeppelinoid airship flew over the harbour at dawn. " + "More text. " * 30
    write(folder, "a.md", article("Airships return", body=body))
    write(folder, "b.md", article("Something else", extra='excerpt: "A story about the quokkaroo of Rottnest."'))
    write(folder, "c.md", article("Third story", extra="topics:\n  - Space\n  - Marsupial Science"))
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("slash", *"zeppelinoid")
        await until(pilot, lambda: app.screen.result_list.results and app.screen.result_list.results[0].snippet)
        lines = drawn_lines(app.screen)
        assert "Airships return" in lines[0]
        assert "text: " in lines[1] and "zeppelinoid airship" in lines[1]
        await pilot.press("escape", "slash", *"quokkaroo")
        await pilot.pause()
        lines = drawn_lines(app.screen)
        assert "Something else" in lines[0]
        assert "excerpt: " in lines[1] and "quokkaroo" in lines[1]
        await pilot.press("escape", "slash", *"marsupia")
        await pilot.pause()
        lines = drawn_lines(app.screen)
        assert "Third story" in lines[0]
        assert "topics: Space · Marsupial Science" in lines[1]
        snippet = app.screen.result_list.results[0].snippet
        assert [snippet.text[a:b] for a, b in snippet.spans] == ["Marsupia"]


async def test_facet_values_complete_with_tab_or_right(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("slash", *"facial topic:comp")
        await until(pilot, lambda: app.screen.box._suggestion)
        assert app.screen.box._suggestion == "facial topic:computer vision"  # shown after the typed letters
        await pilot.press("tab")
        assert app.screen.box.value == 'facial topic:"computer vision"'  # quoted where the value needs it
        await pilot.press("space", *"prov")
        await until(pilot, lambda: app.screen.box._suggestion)
        await pilot.press("right")
        assert app.screen.box.value.endswith("provider:")
        await pilot.press(*"reu")
        await until(pilot, lambda: app.screen.box._suggestion)
        await pilot.press("right")
        assert app.screen.box.value == 'facial topic:"computer vision" provider:reuters'
        await pilot.pause()
        assert [e.title for e in app.screen.results] == [IBM]


async def test_is_bookmarked_and_is_unread_follow_the_reader(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, main):
        main.go_to(next(e for e in main.rows if e.title == IBM))
        await pilot.press("b")
        await pilot.press("slash", *"is:bookmarked")
        await pilot.pause()
        assert [e.title for e in app.screen.results] == [IBM]
        await pilot.press("escape")
        unread_before = {e.title for e in main.rows if not main._is_read(e)}
        await pilot.press("u")  # the IBM story: read now (or unread again)
        await pilot.press("slash", *"is:unread")
        await pilot.pause()
        now_unread = {e.title for e in main.rows if not main._is_read(e)}
        assert now_unread != unread_before
        assert {e.title for e in app.screen.results} == now_unread


async def test_recent_queries_come_back_after_a_restart(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("slash", *"ibm export", "enter")
        await pilot.pause()
        await pilot.press("slash", *"jpan", "enter")
        await pilot.pause()
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("slash")
        assert "↑ recent queries" in screen_text(app)
        await pilot.press("up")
        assert app.screen.box.value == "jpan"  # newest first
        await pilot.press("up")
        assert app.screen.box.value == "ibm export"
        await pilot.pause()
        assert app.screen.results[0].title == IBM
        await pilot.press("down")
        assert app.screen.box.value == "jpan"
        await pilot.press(*" re")  # edited: ↑ ↓ move in the results again
        await pilot.pause()
        await pilot.press("down")
        assert app.screen.box.value == "jpan re"


async def test_a_saved_view_persists_and_can_be_switched_to_and_deleted(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("slash", *"export provider:reuters", "ctrl+s")
        assert isinstance(app.screen, NameDialog)
        await pilot.press(*"Reuters exports", "enter")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        await pilot.press("escape")
    async with reader([seeds]) as (app, pilot, main):
        await pilot.press("w")
        assert isinstance(app.screen, ViewsScreen)
        assert "Reuters exports" in screen_text(app) and "export provider:reuters" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        assert app.screen.box.value == "export provider:reuters"
        assert [e.title for e in app.screen.results] == [IBM]
        await pilot.press("escape", "w", "d")
        await pilot.pause()
        assert "No saved views yet" in screen_text(app)
    async with reader([seeds]) as (app, pilot, main):
        assert app.queries.views == []


def long_article(folder: Path) -> Path:
    paragraphs = [f"Paragraph {i} about nothing in particular, filler words to read." for i in range(60)]
    for i in (3, 30, 55):
        paragraphs[i] = f"Paragraph {i}: the quokkaroo appears here."
    return write(folder, "long.md", article("The long read", body="\n\n".join(paragraphs)))


async def test_the_query_comes_into_the_article_with_a_counter_and_n(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    write(folder, "other.md", article("Another story", date="2024-05-01T00:00:00Z"))
    async with reader([folder], size=(100, 30)) as (app, pilot, main):
        await pilot.press("slash", *"quokkaroo", "enter")
        await until(pilot, lambda: main.detail.match_count == 3)
        assert isinstance(app.screen, MainScreen)
        assert main.detail.marked_texts() == ["quokkaroo"] * 3
        assert main.find_bar.count_text == "1/3"
        assert "Query quokkaroo" in screen_text(app) and "1/3" in screen_text(app)
        first = main.detail.scroll_y
        await pilot.press("n")
        assert main.find_bar.count_text == "2/3"
        assert main.detail.scroll_y > first  # the match scrolled into view
        line = main.detail.current_match_line
        assert main.detail.scroll_y <= line < main.detail.scroll_y + main.detail.scrollable_content_region.height
        await pilot.press("n", "n")
        assert main.find_bar.count_text == "1/3"  # round again
        await pilot.press("N")
        assert main.find_bar.count_text == "3/3"
        await pilot.press("escape")
        assert main.detail.match_count == 0 and not main.find_bar.shown
        await pilot.press("n")  # no marks: n does nothing
        assert main.detail.match_count == 0


async def test_the_query_marks_only_the_article_it_opened(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    write(folder, "other.md", article("Another quokkaroo story", date="2024-05-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("slash", *"the long read", "enter")
        await until(pilot, lambda: main.detail.match_count > 0)
        await pilot.press("k")  # another article: the query was for the one it opened
        await until(pilot, lambda: main.detail.article.title == "Another quokkaroo story")
        assert main.detail.match_count == 0 and not main.find_bar.shown


async def test_ctrl_f_finds_typed_text_in_any_article(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    write(folder, "other.md", article("Another quokkaroo story", date="2024-05-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("ctrl+f")
        assert main.find_bar.shown and app.focused is main.find_bar.input
        await pilot.press(*"QUOKK")  # case-insensitive, a word's beginning
        await pilot.pause()
        assert main.detail.marked_texts() == ["quokk"]
        assert main.find_bar.count_text == "1/1"
        await pilot.press("enter")  # back to the article, the marks stay
        await pilot.pause()
        assert app.focused is main.detail
        main.article_list.focus()
        await pilot.press("j")
        await until(pilot, lambda: main.detail.article.title == "The long read")
        assert main.detail.marked_texts() == ["quokk"] * 3  # typed text stays for every article
        await pilot.press("n")
        assert main.find_bar.count_text == "2/3"
        await pilot.press("ctrl+f", *["backspace"] * 5, *"quokaroo")  # a typo
        await pilot.pause()
        assert main.detail.marked_texts() == ["quokkaroo"] * 3
        await pilot.press("escape")
        assert not main.find_bar.shown and main.detail.match_count == 0


async def test_ctrl_f_after_a_jump_replaces_the_query_as_you_type(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    async with reader([folder]) as (app, pilot, main):
        await pilot.press("slash", *"long read", "enter")
        await until(pilot, lambda: main.detail.match_count > 0)
        assert main.detail.marked_texts()[:2] == ["long", "read"]
        await pilot.press("ctrl+f")
        assert main.find_bar.input.value == "long read"  # shown, selected: typing replaces it
        await pilot.press(*"quokkaroo")
        await pilot.pause()
        assert main.find_bar.input.value == "quokkaroo"
        assert main.detail.marked_texts() == ["quokkaroo"] * 3
