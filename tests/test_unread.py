"""The unread workflow and the list's filter, driven as a person would
(tests/driver.py): next unread (. and ,) in the list and in the article,
mark all read (A) and its undo (ctrl+z), unread only (U), the filter box
(F) and Esc, a saved view as a filter, read_after, the first row at start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.driver import messages, read_after, reader
from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, PLAIN, SECOND, article, stored_read, write, write_settings
from tui.core import loading
from tui.core.bookmarks import BookmarkStore, entry_key
from tui.ui.screens.filter_box import FilterBox
from tui.ui.screens.main import MainScreen
from tui.ui.textual_compat import shown_suggestion


@pytest.fixture
def slow_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    read_after(monkeypatch, 60.0)


# -- nothing read by itself; the first row ----------------------------------------------------
async def test_nothing_is_read_before_the_person_moves(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_after(monkeypatch, 0.01)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.pause(0.3)
        await r.settle()
        assert r.unread == 5 and "5 unread" in r.subtitle
        assert r.cursor == 0 and r.article_title == NEWEST
        await pilot.press("enter")  # opening the first story is a move of the person's
        await r.wait_for(lambda: r.unread == 4, "the story opened to count as read")
        assert not r.unread_dot(0)


async def test_u_holds_while_the_story_stays_shown(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """u marks the story shown unread: showing it again (unread only, a sort)
    never reads it by itself; another story shown, or Enter, does."""
    read_after(monkeypatch, 0.05)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j")
        await r.wait_for(lambda: r.unread == 4, "the second story read by staying shown")
        await pilot.press("u")
        assert r.unread == 5 and r.unread_dot(1)
        await pilot.press("U")  # unread only: it is listed, shown again
        await r.wait_for(lambda: r.subtitle.startswith("unread only · 5 of 5"), "unread only")
        await pilot.press("s")
        await pilot.pause(0.4)
        await r.settle()
        assert r.unread == 5 and r.article_title == DATE_ORDER[1]
        await pilot.press("enter")  # opening it is reading it
        await r.wait_for(lambda: r.unread == 4, "the story opened to count as read")


async def test_the_list_alone_reads_nothing_until_enter(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns the list takes the whole width (no preview): moving over
    stories shows none of them, so none counts as read; Enter reads it."""
    read_after(monkeypatch, 0.01)
    async with reader([seeds], size=(80, 24)) as (app, pilot, r):
        assert not r.preview_shown
        await pilot.press("j", "j")
        await pilot.pause(0.3)
        await r.settle()
        assert r.unread == 5
        await pilot.press("enter")
        await r.wait_for(lambda: r.unread == 4, "the story opened to count as read")
        assert not r.unread_dot(2)


async def test_read_after_0_reads_only_by_hand(seeds: Path) -> None:
    write_settings("read_after = 0\n")
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "j", "enter")
        await pilot.pause(0.8)  # longer than the default delay
        await r.settle()
        assert r.unread == 5
        await pilot.press("u")
        assert r.unread == 4


async def test_a_bad_read_after_is_one_line_and_the_default(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings('read_after = "soon"\n')
    async with reader([seeds]) as (app, pilot, r):
        said = [m for m in messages(app) if m.startswith("read_after")]
        assert len(said) == 1 and "using the default (0.6)" in said[0]


async def test_a_collection_read_in_stages_opens_on_its_first_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files named oldest first: the first files indexed are the last rows."""
    monkeypatch.setattr(loading, "FIRST_INTERVAL", 0.0)  # every batch read is shown
    partials: list[int] = []
    original = MainScreen._partial

    def counting(self: MainScreen, *args: object, **kwargs: object) -> None:
        partials.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MainScreen, "_partial", counting)
    folder = tmp_path / "many"
    for i in range(400):
        write(folder, f"{i:04}.md", article(f"Story {i}", url=f"https://x.example/{i}", date=f"2024-01-{1 + i // 24:02}T{i % 24:02}:00:00Z"))
    read_after(monkeypatch, 60.0)
    async with reader([folder]) as (app, pilot, r):
        await r.settle()
        assert partials, "the collection was shown in stages"
        assert r.cursor == 0
        assert r.titles[0] == "Story 399" and r.article_title == "Story 399"


# -- next unread ------------------------------------------------------------------------------
async def test_next_and_previous_unread_in_the_list(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "u", "k")  # the second story read by hand
        await pilot.press("full_stop")
        assert r.cursor == 2 and r.article_title == JAPAN  # the read one is skipped
        await pilot.press("comma")
        assert r.cursor == 0
        await pilot.press("comma")  # round the end: the last unread
        assert r.cursor == 4 and any("Round the end" in m for m in r.messages)


async def test_next_unread_in_the_article_stays_in_the_article(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("enter")
        assert r.focus == "article"
        await pilot.press("full_stop")
        await r.wait_article(SECOND)
        assert r.cursor == 1 and r.focus == "article"


async def test_next_unread_says_when_there_is_none(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("A", "full_stop")
        assert r.cursor == 0 and "No other unread story in this list." in r.messages


# -- mark all read, undo ------------------------------------------------------------------------
async def test_mark_all_read_and_undo_are_shown_and_kept(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("A")
        assert r.unread == 0 and "0 unread" in r.subtitle  # at once; the write follows
        await r.settle()
        assert not any(r.unread_dot(y) for y in range(5))
        assert any(m.startswith("Marked 5 articles read.") and "^z" in m for m in r.messages)
        assert len(stored_read()) == 5  # written at once, in one transaction
        await pilot.press("ctrl+z")
        assert r.unread == 5 and "5 unread" in r.subtitle
        await r.settle()
        assert stored_read() == set()
        await pilot.press("ctrl+z")
        assert any(m.startswith("Nothing to undo") for m in r.messages)
        await pilot.press("A")
    async with reader([seeds]) as (app, pilot, r):
        assert r.unread == 0


async def test_undo_leaves_what_another_reader_marked_read(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        ibm = entry_key(r.entry(IBM))
        with BookmarkStore() as other:  # another reader, or the CLI, meanwhile
            other.set_read([ibm], True)
        await pilot.press("A")
        await r.settle()
        await pilot.press("ctrl+z")
        await r.settle()
        assert r.unread == 5
        assert stored_read() == {ibm}


async def test_mark_all_read_marks_only_the_filtered_list(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F", *"japan exports", "enter")
        assert r.titles == [JAPAN, PLAIN]
        await pilot.press("A")
        assert r.unread == 3
        assert r.subtitle.startswith("filter: japan exports · 2 of 5 · 0 unread")
        await pilot.press("escape")
        assert r.titles == DATE_ORDER and "3 unread" in r.subtitle


# -- unread only, the filter ----------------------------------------------------------------------
async def test_unread_only_toggles(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "u")  # the second story read
        await pilot.press("U")
        assert r.titles == [NEWEST, JAPAN, IBM, PLAIN]
        assert r.subtitle.startswith("unread only · 4 of 5")
        await pilot.press("U")
        assert r.titles == DATE_ORDER and not r.subtitle.startswith("unread only")


async def test_the_filter_box_filters_the_list_in_place(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F")
        assert isinstance(app.screen, FilterBox)
        await pilot.press(*"japn exprts", "enter")  # typos welcome
        assert isinstance(app.screen, MainScreen)
        assert r.titles == [JAPAN, PLAIN]
        assert r.subtitle.startswith("filter: japn exprts · 2 of 5 · 2 unread")
        assert "filter: japn exprts" in r.lines()[0]
        assert r.cursor == 0 and r.article_title == JAPAN
        await pilot.press("j")
        assert r.cursor == 1 and r.shown.title == PLAIN
        await pilot.press("j")
        assert r.cursor == 1  # the end of the filtered list
        await pilot.press("F")  # the box holds the filter to change
        assert app.screen.box.value == "japn exprts"
        await pilot.press("escape")
        assert r.titles == [JAPAN, PLAIN]  # Esc in the box changes nothing
        await pilot.press("escape")  # Esc on the list clears the filter
        assert r.titles == DATE_ORDER and not r.subtitle.startswith("filter")
        assert r.shown.title == PLAIN  # the cursor stays on the story shown


async def test_a_slow_filter_search_never_holds_the_keys_and_esc_wins(seeds: Path, slow_reading: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The filter's query is searched in a thread: the list keeps moving
    meanwhile, and clearing the filter before the search answers wins."""
    import time

    from tui.core import session

    slow = session.matching

    def slowly(*args: object) -> object:
        time.sleep(0.5)
        return slow(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "matching", slowly)
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F", *"japn exprts", "enter")
        started = time.perf_counter()
        await pilot.press("j")
        assert time.perf_counter() - started < 0.4 and r.cursor == 1  # the key did not wait
        await r.settle()
        assert r.titles == [JAPAN, PLAIN]  # then the filter applies
        await pilot.press("F", *"ibm", "enter")
        await pilot.press("escape")  # cleared before that search answered
        await r.settle()
        assert r.titles == DATE_ORDER and not r.subtitle.startswith("filter")


async def test_the_filter_box_completes_facets(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F", *"is:u")
        box = await r.wait_screen(FilterBox)
        await r.wait_for(lambda: shown_suggestion(box.box) == "is:unread", "the completion shown")
        await pilot.press("tab", "enter")
        await r.settle()
        assert r.subtitle.startswith("filter: is:unread")


async def test_is_unread_filter_and_next_unread_through_it(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("j", "u", "j", "u")  # SECOND and JAPAN read
        await pilot.press("F", *"is:unread", "enter")
        assert r.titles == [NEWEST, IBM, PLAIN]
        await pilot.press("u")  # read now: it stays listed until the filter is applied again
        assert r.titles == [NEWEST, IBM, PLAIN]
        await pilot.press("full_stop")
        assert r.shown.title == IBM


async def test_a_filter_matching_nothing_says_how_to_clear_it(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F", *"zqxwvy", "enter")
        assert r.titles == []
        assert any("zqxwvy" in m for m in r.messages)
        assert "No story passes the filter" in r.screen_text()
        await pilot.press("escape")
        assert r.titles == DATE_ORDER


async def test_esc_closes_the_find_bar_before_it_clears_the_filter(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await pilot.press("F", *"japan exports", "enter", "ctrl+f", *"japan")
        assert r.find_shown
        await pilot.press("escape")
        assert not r.find_shown and r.titles == [JAPAN, PLAIN]
        r.focus_list()
        await pilot.press("escape")
        assert r.titles == DATE_ORDER


async def test_a_saved_view_opens_as_a_filter(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):
        app.queries.save_view("Japan", "japan exports")
        await pilot.press("w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert r.titles == [JAPAN, PLAIN]
        assert r.subtitle.startswith("filter: japan exports · 2 of 5")


async def test_a_mark_all_that_cannot_be_written_is_said_and_undone_on_screen(seeds: Path, slow_reading: None) -> None:
    async with reader([seeds]) as (app, pilot, r):

        def locked(keys: object, stamp: object = None) -> list[str]:
            raise sqlite3.OperationalError("database is locked")

        r.main.store.mark_read = locked  # type: ignore[method-assign]
        await pilot.press("A")
        await r.settle()
        assert r.unread == 5 and all(r.unread_dot(y) for y in range(5))
        assert any(m.startswith("Could not mark them read: database is locked") for m in r.messages)
        assert stored_read() == set()
