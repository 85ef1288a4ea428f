"""The jump box tells the true number of matches and scrolls through all of
them; partial matches only under their divider; fzf's keys move; a long
query never holds the reader (issues 14 and 16)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.driver import reader
from tests.helpers import JAPAN, article, many_stories, write
from tui.ui.screens.jump import PAGE, JumpScreen
from tui.ui.screens.main import MainScreen


async def test_the_true_count_and_scrolling_past_the_first_page(tmp_path: Path) -> None:
    folder = many_stories(tmp_path, 2 * PAGE + 30)
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"story number")
        await r.settle()
        assert r.jump_status.startswith(f"{2 * PAGE + 30:,} matches")
        assert PAGE <= len(r.jump_titles) < 2 * PAGE + 30  # a page or two made; the rest as the view comes near
        last = 2 * PAGE + 29
        for _ in range(100):  # to the end of every result, page by page as they come
            if r.jump_current == last:
                break
            await pilot.press("pagedown")
            await r.settle()
        assert len(r.jump_titles) == 2 * PAGE + 30
        assert r.jump_current == last
        title = r.jump_titles[last]
        assert any(title in line for line in r.jump_lines())
        await pilot.press("enter")
        await r.wait_article(title)


async def test_partial_matches_only_under_the_divider(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    for i in range(3):
        write(folder, f"full{i}.md", article(f"Quokka zeppelin story {i}", date=f"2024-01-0{i + 1}T00:00:00Z"))
    for i in range(2):
        write(folder, f"part{i}.md", article(f"Quokka alone {i}", date=f"2024-02-0{i + 1}T00:00:00Z"))
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"quokka zeppelin")
        await r.settle()
        assert r.jump_status.startswith("3 matches + 2 partial")
        lines = [line.strip() for line in r.jump_lines() if line.strip()]
        divider = next(i for i, line in enumerate(lines) if "partial matches" in line)
        assert divider == 3 and all("zeppelin" in line.lower() for line in lines[:3])
        assert all("Quokka alone" in line for line in lines[4:6])
        # The cursor never rests on the divider: down from the last full match is the first partial one.
        await pilot.press("down", "down", "down")
        assert r.jump_current == 3 and r.jump_titles[3].startswith("Quokka alone")
        await pilot.press("up")
        assert r.jump_current == 2
        # Every word matching nothing: all partial, still under the divider.
        await pilot.press("ctrl+u", *"quokka xylophonist")
        await r.settle()
        assert r.jump_status.startswith("0 matches + 5 partial · no story has xylophonist".replace(" · ", "  ·  "))
        assert "partial matches" in r.jump_lines()[0]


async def test_a_capped_count_says_so_on_the_divider_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted up to a cap ("10,000+" on a million), the partial matches'
    divider says "+" as the status line does."""
    from tui.core.results import SearchResult

    folder = tmp_path / "col"
    for i in range(3):
        write(folder, f"full{i}.md", article(f"Quokka zeppelin story {i}", date=f"2024-01-0{i + 1}T00:00:00Z"))
    for i in range(6):
        write(folder, f"part{i}.md", article(f"Quokka alone {i}", date=f"2024-02-0{i + 1}T00:00:00Z"))
    counted = SearchResult.counted
    monkeypatch.setattr(SearchResult, "counted", lambda self, cap=5: counted(self, 5))  # a cap of 5 instead of 10,000
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"quokka zeppelin")
        await r.settle()
        assert r.jump_status.startswith("3 matches + 5+ partial")
        assert any("partial matches: 5+ missing a word" in line for line in r.jump_lines())


async def test_fzf_keys_move_in_the_results(tmp_path: Path) -> None:
    folder = many_stories(tmp_path, 10)
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash", *"story")
        await r.settle()
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+j")
        assert r.jump_current == 3
        await pilot.press("ctrl+p")
        assert r.jump_current == 2
        assert isinstance(app.screen, JumpScreen)  # ctrl+p moved; the palette stayed shut
        await pilot.press("ctrl+k")
        assert r.jump_current == 1
        assert r.jump_box == "story"  # the letters are untouched


async def test_a_long_pasted_query_then_esc_returns(seeds: Path) -> None:
    sentence = " ".join(
        "the government of japan restricts exports of facial recognition technology to china and other "
        "countries after a long debate about privacy security and the future of artificial intelligence systems"
        .split()[:33]
    )
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        await r.wait_screen(JumpScreen)
        await r.burst(sentence)
        assert r.jump_box == sentence
        assert "words past the first 16 ignored" in r.jump_status  # said, not silently dropped
        await r.burst(" more words", "<escape>")
        await r.wait_for(lambda: isinstance(app.screen, MainScreen), "Esc to close the jump box")


async def test_the_results_are_always_those_of_the_query_in_the_box(tmp_path: Path) -> None:
    folder = many_stories(tmp_path, 120)
    async with reader([folder]) as (app, pilot, r):
        await pilot.press("slash")
        await r.wait_screen(JumpScreen)
        await r.burst("story number 1", "<backspace>", "7")
        await r.settle()
        assert r.jump_box == "story number 7"
        assert r.jump_titles[: len(r.search("story number 7"))] == r.search("story number 7")
        assert r.jump_titles[0] == "Story number 7"


async def test_after_a_slow_search_the_next_runs_beside_the_box(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A short query on a quick collection is searched in the key's turn (one
    frame); once a search has been slow, the next runs in the thread and the
    box keeps answering while it does."""
    from tui.core.search import SearchIndex

    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        jump = await r.wait_screen(JumpScreen)
        await pilot.press(*"jap")
        assert not jump._searching and JAPAN in r.jump_titles  # answered in the key's turn
        slow = SearchIndex.results

        def slowly(self: SearchIndex, *args: object, **kwargs: object) -> object:
            time.sleep(0.4)
            return slow(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(SearchIndex, "results", slowly)
        jump._last_search = 1.0  # as if the last search had taken a second
        started = time.perf_counter()
        await pilot.press("a")
        assert time.perf_counter() - started < 0.3 and r.jump_box == "japa"  # the key did not wait
        await r.wait_for(lambda: not jump._searching, "the search thread to answer")
        await r.settle()
        assert JAPAN in r.jump_titles and r.jump_status.startswith("3 matches")


def _frames(monkeypatch: pytest.MonkeyPatch, jump: JumpScreen) -> list[tuple[str, bool]]:
    """Each frame the screen paints: the box's value, and whether the results
    shown are those of the query in the box."""
    from textual.screen import Screen

    frames: list[tuple[str, bool]] = []
    paint = Screen._compositor_refresh

    def painting(screen: Screen) -> None:
        paint(screen)
        if screen is jump:
            found = jump._found
            frames.append((jump.box.value, found is not None and found.serial == jump._serial))

    monkeypatch.setattr(Screen, "_compositor_refresh", painting)
    return frames


async def _typed(pilot: object, r: object, text: str) -> JumpScreen:
    """The jump box opened and ``text`` typed (answered in the key's turn)."""
    await pilot.press("slash")  # type: ignore[attr-defined]
    jump = await r.wait_screen(JumpScreen)  # type: ignore[attr-defined]
    await pilot.press(*text)  # type: ignore[attr-defined]
    await r.settle()  # type: ignore[attr-defined]
    return jump


def _searching_for(seconds: float, monkeypatch: pytest.MonkeyPatch, jump: JumpScreen) -> list[tuple[str, bool]]:
    """The next search goes to the thread and takes ``seconds`` more; the frames painted from now on."""
    from tui.core.search import SearchIndex

    search = SearchIndex.results

    def in_a_while(self: SearchIndex, *args: object, **kwargs: object) -> object:
        time.sleep(seconds)
        return search(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "results", in_a_while)
    jump._last_search = 1.0  # as if the last search had been slow: the next goes to the thread
    return _frames(monkeypatch, jump)


async def test_a_letter_searched_in_the_thread_shows_with_its_results(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a big collection the search runs beside the box; the letter typed
    waits for its results (a few milliseconds) so that one frame shows both,
    instead of a frame of the letter over the last query's results."""
    async with reader([seeds]) as (app, pilot, r):
        jump = await _typed(pilot, r, "jap")
        frames = _searching_for(0.005, monkeypatch, jump)
        await pilot.press("a")
        await r.wait_for(lambda: not jump._searching, "the search thread to answer")
        await r.settle()
        assert frames and frames[0] == ("japa", True)  # the first frame after the key: letter and results
        assert JAPAN in r.jump_titles


async def test_a_slow_search_never_holds_the_letter_back(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search that takes long: the letter shows once HOLD_SECONDS are past,
    over the last results, saying it searches, and the results follow."""
    from tui.ui.screens.jump import HOLD_SECONDS

    async with reader([seeds]) as (app, pilot, r):
        jump = await _typed(pilot, r, "jap")
        frames = _searching_for(0.5, monkeypatch, jump)
        await pilot.press("a")
        await pilot.pause(HOLD_SECONDS + 0.15)
        assert jump._searching and ("japa", False) in frames  # painted while it searches
        assert r.jump_status.startswith("searching…")
        await r.wait_for(lambda: not jump._searching, "the search thread to answer")
        await r.settle()
        assert frames[-1] == ("japa", True) and JAPAN in r.jump_titles


async def test_leaving_the_box_stops_its_search_and_quitting_never_waits_for_it(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search that would run for minutes (an exclusion beside a common term
    on a million articles) stops once the box is closed: the reader quits at
    once instead of waiting for its thread."""
    from tui.core.results import Stale
    from tui.core.search import SearchIndex

    def endless(self: SearchIndex, *args: object, stale: Callable[[], bool] | None = None, **kwargs: object) -> object:
        started = time.monotonic()
        while time.monotonic() - started < 30:
            if stale is not None and stale():  # as SQLite's progress handler asks
                raise Stale
            time.sleep(0.005)
        raise AssertionError("never stopped")

    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("slash")
        jump = await r.wait_screen(JumpScreen)
        monkeypatch.setattr(SearchIndex, "results", endless)
        jump._last_search = 1.0  # to the thread
        await pilot.press(*"japan")
        assert jump._searching
        await pilot.press("escape")
        await r.wait_for(lambda: not jump._searching, "the search to stop", timeout=2)
