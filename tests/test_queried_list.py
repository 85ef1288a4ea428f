"""A collection too big to load is read from its index as it is shown
(tui/core/queried.py): its list in each order, the keys, the jump box, the
filter and the sidebar, searches made stale, and searches that fail.

These tests lower the threshold so that a small generated collection is
"big" (the ``big`` fixture, tests/conftest.py): what a person sees must be
what the loaded reader shows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.driver import reader
from tui.core.queried import QueriedSession


def sort_keys(entries: list, sort: str) -> list:
    """What each sort orders by, per article (ties may differ between the
    loaded reader and the index: ties keep the order files were indexed in)."""
    if sort in ("date", "oldest"):
        return [e.ts for e in entries]
    if sort == "title":
        return [e.title.casefold() for e in entries]
    return [e.provider.casefold() or "\U0010ffff" for e in entries]


def loaded_order(folder: Path, sort: str) -> list:
    """Every article in the loaded reader's order for ``sort`` (it groups a
    story's versions in one row; the queried one lists each article)."""
    from tests.helpers import loaded

    collection = loaded(folder, sort=sort).collection
    return [collection.entries[i] for i in collection.order(sort)]


async def test_the_list_is_the_index_in_each_order(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        assert isinstance(r.main.session, QueriedSession)
        assert r.subtitle.startswith("400 articles")
        for sort in ("date", "oldest", "title", "provider"):
            while r.sort != sort:
                await pilot.press("s")
                await r.settle()
            rows, expected = r.rows, loaded_order(big, sort)
            assert sorted(e.path for e in rows) == sorted(str(big / os.path.relpath(e.path, big)) for e in expected)
            assert sort_keys(rows, sort) == sort_keys(expected, sort)


async def test_keys_read_the_article_and_go_back(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        first = r.rows[0]
        await pilot.press("j", "j")
        await r.wait_article(r.rows[2].title)
        await pilot.press("enter")
        assert r.article_open
        await pilot.press("space", "q")
        assert not r.article_open and r.cursor == 2
        await pilot.press("G")
        await r.wait_article(r.rows[-1].title)
        await pilot.press("g")
        await r.wait_article(first.title)


async def test_the_jump_box_finds_a_story_with_a_typo_and_opens_it(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        target = r.rows[123]
        words = [w for w in target.title.split() if len(w) > 5][:2]
        typo = " ".join(w[:2] + w[3] + w[2] + w[4:] for w in words)  # two letters swapped in each word
        await pilot.press("slash")
        await r.burst(typo)
        await r.wait_for(lambda: target.title in r.screen_text(), "the story among the results", timeout=10)
        titles = [e.title for e in app.screen.results]
        app.screen._choose(titles.index(target.title))
        await r.settle()
        await r.wait_article(target.title)
        assert r.shown.title == target.title


async def test_the_filter_lists_what_passes_in_the_sort_order(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        topic = r.rows[0].topics[0]
        await pilot.press("F")
        await r.burst(f"topic:{topic.lower().replace(' ', '-')}" if " " not in topic else f'topic:"{topic}"', "<enter>")
        await r.wait_for(lambda: "filter:" in r.subtitle, "the filter to apply", timeout=10)
        rows = r.rows
        assert rows and all(topic in e.topics for e in rows)
        dates = [e.ts for e in rows if e.ts is not None]
        assert dates == sorted(dates, reverse=True)
        assert f"{len(rows):,} of 400" in r.subtitle
        await pilot.press("escape")
        await r.wait_for(lambda: len(r.rows) == 400, "the whole list again")


async def test_the_sidebar_resolves_related_stories_in_the_index(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        for row in range(60):
            r.move_to(row)
            await r.settle()
            items = r.main.panes.related.items
            if any(item.local is not None for item in items):
                break
        else:
            pytest.fail("no related story of the first 60 was found in the collection")
        local = next(item.local for item in items if item.local is not None)
        r.open(local)
        await r.wait_article(local.title)


async def test_a_search_made_stale_stops_and_the_newest_answers(big: Path) -> None:
    """Keys typed faster than the index answers: each new query stops the
    one before it, and the results are those of the query in the box."""
    async with reader([big]) as (app, pilot, r):
        await pilot.press("slash")
        jump = app.screen
        for prefix in ("s", "st", "stu", "stud", "study"):
            jump.box.value = prefix  # each one while the one before may still be searching
        await r.settle()
        await r.wait_for(lambda: jump._found is not None and jump._found.serial == jump._serial, "the newest query's results")
        assert all("stud" in e.title.lower() or "stud" in " ".join(e.topics).lower() or "stud" in e.excerpt.lower() for e in jump.results[:5])
        await r.wait_for(lambda: "counting" not in r.screen_text(), "the counts")


async def test_a_filter_still_searching_stops_for_a_newer_one_and_when_the_reader_quits(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A filter's search of seconds (a million articles) is stopped by SQLite
    once nobody waits for it: a newer filter was asked for, or the reader
    quit (before, quitting waited for it to end)."""
    import time

    ended: list[str] = []

    def endless(self: QueriedSession, reader: object, view: object, index: object, marks: object) -> object:
        try:  # a statement that never ends by itself: only the progress handler stops it
            reader.conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c").fetchone()  # type: ignore[attr-defined]
        finally:
            ended.append(view.query)  # type: ignore[attr-defined]
        raise AssertionError("never stopped")

    monkeypatch.setattr(QueriedSession, "_passing_ids", endless)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("F")
        await r.burst("robot", "<enter>")
        await pilot.pause(0.3)
        assert ended == []  # still searching
        await pilot.press("F")  # the box holds the query asked for ("robot"), still searched
        await r.burst("<ctrl+u>", "chips", "<enter>")
        await r.wait_for(lambda: ended == ["robot"], "the first filter's search to stop", timeout=3)
        await pilot.pause(0.3)
        assert ended == ["robot"]
        await pilot.press("q")
    deadline = time.monotonic() + 3
    while ended != ["robot", "chips"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ended == ["robot", "chips"]


async def test_a_filter_or_a_count_that_fails_is_said_and_the_reader_goes_on(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index or the user database failing under a search in a thread
    (moved away, locked, damaged) is one line, never a crash."""
    import sqlite3

    def broken(self: QueriedSession, *args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(QueriedSession, "search_filter", broken)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("U")
        await r.wait_for(lambda: any(m.startswith("Could not filter the list: disk I/O error") for m in r.messages), "the failure said")
        await pilot.press("j")
        assert r.cursor == 1 and app.is_running
    from tui.core.catalog.reading import ReadState

    monkeypatch.setattr(ReadState, "count_read", lambda self, conn: broken(None))  # type: ignore[arg-type]
    async with reader([big]) as (app, pilot, r):
        assert r.unread is None and len(r.rows) == 400 and "unread" not in r.subtitle
        await pilot.press("full_stop")  # not counted: walked
        await r.wait_for(lambda: r.cursor == 1, "the next unread story")


async def test_a_jump_box_search_that_fails_says_so(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from tui.core.catalog.collection import QueriedSearch

    def broken(self: QueriedSearch, *args: object, **kwargs: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed [x]")

    async with reader([big]) as (app, pilot, r):
        monkeypatch.setattr(QueriedSearch, "results", broken)
        await pilot.press("slash")
        await r.burst("drone")
        await r.wait_for(lambda: "The search failed: database disk image is malformed [x]" in r.screen_text(), "the failure said")
        await pilot.press("escape")
        assert app.is_running


async def test_sidebar_look_ups_that_fail_leave_the_reader_running(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backlinks and "more like this" are asked of the index in threads: an
    index that fails under them leaves the sidebar as it was."""
    import sqlite3

    def broken(self: QueriedSession, *args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(QueriedSession, "sections_in_full", broken)
    monkeypatch.setattr(QueriedSession, "similar", broken)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("j", "enter", "r")
        await pilot.pause(0.5)
        await r.settle()
        await pilot.press("q", "j")
        assert app.is_running and r.cursor == 2
