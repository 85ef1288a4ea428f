"""The jump box and finding in an article, as a user drives them (Pilot).

Results show the matched characters, provider and date, and a snippet when
the match is in the excerpt or body; facet values complete; is:bookmarked /
is:unread follow the reader's state; recent queries and saved views survive a
restart; the query comes along into the article (marks, "2/7", n / N, Esc);
ctrl+f finds typed text.
"""

from __future__ import annotations

from pathlib import Path

from tests.driver import read_after, reader, screen_text
from tests.helpers import IBM, JAPAN, article, write
from tui.ui.screens.jump import JumpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.views import NameDialog, ViewsScreen


async def test_results_show_the_matched_characters_provider_and_date(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash", *"jpan facal")
        await pilot.pause()
        assert r.jump_titles[0] == JAPAN
        assert r.jump_title_marks(0) == ["Japan", "Facial"]
        first = r.jump_lines()[0]
        assert JAPAN in first and "Armstrong Economics · 2022-01-08" in first
        # The marked characters are drawn in the match style (bold underline).
        strip = r.jump.result_list.render_line(0)
        marked = "".join(seg.text for seg in strip if seg.style and seg.style.underline)
        assert marked == "JapanFacial"


async def test_a_match_in_the_body_shows_a_snippet(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    body = "Nothing here. " * 30 + "The zeppelinoid airship flew over the harbour at dawn. " + "More text. " * 30
    write(folder, "a.md", article("Airships return", body=body))
    write(folder, "b.md", article("Something else", extra='excerpt: "A story about the quokkaroo of Rottnest."'))
    write(folder, "c.md", article("Third story", extra="topics:\n  - Space\n  - Marsupial Science"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"zeppelinoid")
        await r.wait_for(lambda: "zeppelinoid airship" in screen_text(app), "the body snippet under the first result")
        lines = r.jump_lines()
        assert "Airships return" in lines[0]
        assert "text: " in lines[1] and "zeppelinoid airship" in lines[1]
        await pilot.press("escape", "slash", *"quokkaroo")
        await pilot.pause()
        lines = r.jump_lines()
        assert "Something else" in lines[0]
        assert "excerpt: " in lines[1] and "quokkaroo" in lines[1]
        await pilot.press("escape", "slash", *"marsupia")
        await pilot.pause()
        lines = r.jump_lines()
        assert "Third story" in lines[0]
        assert "topics: Space · Marsupial Science" in lines[1]
        snippet = r.jump.result_list.results[0].snippet
        assert [snippet.text[a:b] for a, b in snippet.spans] == ["Marsupia"]


async def test_facet_values_complete_with_tab_or_right(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash", *"facial topic:comp")
        await r.wait_for(lambda: r.jump_suggestion, "a completion in the jump box")
        assert r.jump_suggestion == "facial topic:computer vision"  # shown after the typed letters
        await pilot.press("tab")
        assert r.jump_box == 'facial topic:"computer vision"'  # quoted where the value needs it
        await pilot.press("space", *"prov")
        await r.wait_for(lambda: r.jump_suggestion, "a completion in the jump box")
        await pilot.press("right")
        assert r.jump_box.endswith("provider:")
        await pilot.press(*"reu")
        await r.wait_for(lambda: r.jump_suggestion, "a completion in the jump box")
        await pilot.press("right")
        assert r.jump_box == 'facial topic:"computer vision" provider:reuters'
        await pilot.pause()
        assert r.jump_titles == [IBM]


async def test_is_bookmarked_and_is_unread_follow_the_reader(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        r.go_to(next(e for e in r.rows if e.title == IBM))
        await pilot.press("b")
        await pilot.press("slash", *"is:bookmarked")
        await pilot.pause()
        assert r.jump_titles == [IBM]
        await pilot.press("escape")
        unread_before = {e.title for e in r.rows if not r.is_read(e)}
        await pilot.press("u")  # the IBM story: read now (or unread again)
        await pilot.press("slash", *"is:unread")
        await pilot.pause()
        now_unread = {e.title for e in r.rows if not r.is_read(e)}
        assert now_unread != unread_before
        assert set(r.jump_titles) == now_unread


async def test_recent_queries_come_back_after_a_restart(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash", *"ibm export", "enter")
        await pilot.pause()
        await pilot.press("slash", *"jpan", "enter")
        await pilot.pause()
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        assert "↑ recent queries" in screen_text(app)
        await pilot.press("up")
        assert r.jump_box == "jpan"  # newest first
        await pilot.press("up")
        assert r.jump_box == "ibm export"
        await pilot.pause()
        assert r.jump_titles[0] == IBM
        await pilot.press("down")
        assert r.jump_box == "jpan"
        await pilot.press(*" re")  # edited: ↑ ↓ move in the results again
        await pilot.pause()
        await pilot.press("down")
        assert r.jump_box == "jpan re"


async def test_a_saved_view_persists_and_can_be_switched_to_and_deleted(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash", *"export provider:reuters", "ctrl+s")
        assert isinstance(app.screen, NameDialog)
        await pilot.press(*"Reuters exports", "enter")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        await pilot.press("escape")
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("w")
        assert isinstance(app.screen, ViewsScreen)
        assert "Reuters exports" in screen_text(app) and "export provider:reuters" in screen_text(app)
        await pilot.press("enter")  # a saved view filters the list (tests/test_unread.py)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert r.titles == [IBM]
        assert r.subtitle.startswith("filter: export provider:reuters · 1 of 5")
        await pilot.press("w", "d")
        await pilot.pause()
        assert "No saved views yet" in screen_text(app)
    async with reader([seeds]) as (app, pilot, r):
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
    async with reader([folder], size=(100, 30)) as (app, pilot, r):
        await pilot.press("slash", *"quokkaroo", "enter")
        await r.wait_for(lambda: r.match_count == 3, "r.match_count == 3")
        assert isinstance(app.screen, MainScreen)
        assert r.matches == ["quokkaroo"] * 3
        assert r.find_count == "1/3"
        assert "Query quokkaroo" in screen_text(app) and "1/3" in screen_text(app)
        first = r.scroll
        await pilot.press("n")
        assert r.find_count == "2/3"
        assert r.scroll > first  # the match scrolled into view
        line = r.current_match_line
        assert r.scroll <= line < r.scroll + r.article_height
        await pilot.press("n", "n")
        assert r.find_count == "1/3"  # round again
        await pilot.press("N")
        assert r.find_count == "3/3"
        await pilot.press("escape")
        assert r.match_count == 0 and not r.find_shown
        await pilot.press("n")  # no marks: n does nothing
        assert r.match_count == 0


async def test_the_query_marks_only_the_article_it_opened(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    write(folder, "other.md", article("Another quokkaroo story", date="2024-05-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"the long read", "enter")
        await r.wait_for(lambda: r.match_count > 0, "r.match_count > 0")
        assert r.article_open  # Enter in the jump box opens the article, as on the list
        await pilot.press("K")  # the story above: the query was for the one it opened
        await r.wait_article("Another quokkaroo story")
        assert r.match_count == 0 and not r.find_shown


async def test_ctrl_f_finds_typed_text_in_any_article(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    write(folder, "other.md", article("Another quokkaroo story", date="2024-05-01T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("ctrl+f")
        assert r.find_shown and r.focus == "find"
        await pilot.press(*"QUOKK")  # case-insensitive, a word's beginning
        await pilot.pause()
        assert r.matches == ["quokk"]
        assert r.find_count == "1/1"
        await pilot.press("enter")  # back to the article, the marks stay
        await pilot.pause()
        assert r.focus == "article"
        r.focus_list()
        await pilot.press("j")
        await r.wait_article("The long read")
        assert r.matches == ["quokk"] * 3  # typed text stays for every article
        await pilot.press("n")
        assert r.find_count == "2/3"
        await pilot.press("ctrl+f", *["backspace"] * 5, *"quokaroo")  # a typo
        await pilot.pause()
        assert r.matches == ["quokkaroo"] * 3
        await pilot.press("escape")
        assert not r.find_shown and r.match_count == 0


async def test_ctrl_f_after_a_jump_replaces_the_query_as_you_type(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    long_article(folder)
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"long read", "enter")
        await r.wait_for(lambda: r.match_count > 0, "r.match_count > 0")
        assert r.matches[:2] == ["long", "read"]
        await pilot.press("ctrl+f")
        assert r.find_text == "long read"  # shown, selected: typing replaces it
        await pilot.press(*"quokkaroo")
        await pilot.pause()
        assert r.find_text == "quokkaroo"
        assert r.matches == ["quokkaroo"] * 3


async def test_typing_in_the_jump_box_and_moving_in_the_list_lay_nothing_out(seeds: Path, monkeypatch) -> None:  # noqa: ANN001
    """The box, its results, the lists and the article take their new
    lengths without a layout of the screen (benchmarks/bench_paint.py,
    "layout", measures what that saves)."""
    from textual.screen import Screen

    read_after(monkeypatch, 3600.0)  # (a row read changes the header, which may lay it out)
    layouts: list[str] = []
    original = Screen._refresh_layout

    def counting(self: Screen, *args: object, **kwargs: object) -> None:
        layouts.append(type(self).__name__)
        original(self, *args, **kwargs)

    async with reader([seeds]) as (app, pilot, r):
        await r.wait_graph()
        await r.settle()
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        await pilot.press("j", "j", "k", "enter")
        await r.wait_for(lambda: r.section("similar") is not None, "the sidebar's More like this")
        await r.settle()
        await pilot.press("slash")
        await r.wait_screen(JumpScreen)
        await r.settle()
        layouts.clear()  # (opening the box lays out its screen once)
        await pilot.press(*"facial recognition export")
        await r.settle()
        assert r.jump_box == "facial recognition export"
        assert layouts == []
