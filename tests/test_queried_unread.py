"""The reading state of a collection read from its index
(tui/core/queried.py): the unread count, unread only, mark all read and
its undo, the next unread story, is:read / is:unread, all asked of the
user database, never loaded.

These tests lower the threshold so that a small generated collection is
"big" (the ``big`` fixture, tests/conftest.py): what a person sees must be
what the loaded reader shows.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tests.driver import reader
from tui.core import opening, queried
from tui.core.bookmarks import BookmarkStore
from tui.core.catalog.catalog import Catalog
from tui.core.queried import QueriedSession


async def test_unread_only_and_the_unread_count(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        await pilot.press("j")
        target = r.rows[1]
        await r.wait_article(target.title)
        await r.wait_for(lambda: r.is_read(target), "the article shown to count as read")
        assert r.unread == 399 and "399 unread" in r.subtitle
        await pilot.press("u")
        assert r.unread == 400
        await pilot.press("u")
        assert r.unread == 399
        await pilot.press("U")
        await r.wait_for(lambda: "unread only · 399 of 400" in r.subtitle, "unread only", timeout=10)
        assert target.title not in r.titles


async def test_mark_all_read_and_its_undo_are_written_then_shown(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A, ctrl+z on a list read from the index: its identities are gathered,
    written and counted in a thread (a million rows take seconds), then shown."""
    from tests.driver import read_after
    from tests.helpers import stored_read
    from tui.core.bookmarks import entry_key

    read_after(monkeypatch, 60.0)
    async with reader([big]) as (app, pilot, r):
        identities = {entry_key(e) for e in r.rows}
        await pilot.press("A")
        await r.wait_for(lambda: r.unread == 0 and "0 unread" in r.subtitle, "every article read", timeout=10)
        assert stored_read() == identities
        assert not any(r.unread_dot(y) for y in range(5))
        assert any(m.startswith("Marked 400 articles read.") for m in r.messages)
        await pilot.press("ctrl+z")
        await r.wait_for(lambda: r.unread == 400 and "400 unread" in r.subtitle, "every article unread again", timeout=10)
        assert stored_read() == set() and r.unread_dot(0)
        # Nothing keeps the identities once undone (at a million: 110 MB): not
        # a finished worker, still referenced by the context of its toast's timer.
        gc.collect()
        held = [o for o in gc.get_objects() if isinstance(o, list) and len(o) == 400 and all(isinstance(k, str) for k in o) and set(o) == identities]
        assert held == []
        await pilot.press("F")
        await r.burst("is:unread", "<enter>")  # every article passes: a filtered list of the index's ids
        await r.wait_for(lambda: "filter:" in r.subtitle, "the filter", timeout=10)
        await pilot.press("A")
        await r.wait_for(lambda: r.unread == 0 and "· 0 unread" in r.subtitle, "the filtered list read", timeout=10)
        assert stored_read() == identities


async def test_the_undo_of_a_mark_all_unmarks_what_it_marked_and_nothing_else(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The undo goes by the mark-all's own time read (its stamp), not by a
    list of its identities held meanwhile: a story read before it stays read."""
    from tests.driver import read_after
    from tests.helpers import stored_read
    from tui.core.bookmarks import entry_key

    read_after(monkeypatch, 60.0)
    async with reader([big]) as (app, pilot, r):
        first = r.rows[0]
        await pilot.press("u")  # read before the mark-all
        await r.wait_for(lambda: r.unread == 399, "one story read")
        await pilot.press("A")
        await r.wait_for(lambda: r.unread == 0 and "0 unread" in r.subtitle, "every article read", timeout=10)
        await pilot.press("ctrl+z")
        await r.wait_for(lambda: r.unread == 399 and "399 unread" in r.subtitle, "the mark-all undone", timeout=10)
        assert stored_read() == {entry_key(first)} and not r.unread_dot(0) and r.unread_dot(1)
        assert any(m.startswith("Undone: 399 articles unread again.") for m in r.messages)


async def test_keys_still_work_while_a_mark_all_is_written(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A million rows take seconds to mark read: the list keeps its keys meanwhile."""
    import time

    from tests.driver import read_after
    from tui.core.catalog.collection import QueriedCollection

    read_after(monkeypatch, 60.0)
    slow = QueriedCollection.count_of

    def count_of(self: QueriedCollection, identity: str) -> int:
        time.sleep(0.005)  # an index slow to answer each look-up (the old way: 2 s for 400 on the UI thread)
        return slow(self, identity)

    monkeypatch.setattr(QueriedCollection, "count_of", count_of)
    original = QueriedSession.list_unread

    def list_unread(self: QueriedSession) -> list[str]:
        time.sleep(1.0)  # a million identities to gather
        return original(self)

    monkeypatch.setattr(QueriedSession, "list_unread", list_unread)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("A", "j")
        await r.wait_for(lambda: r.cursor == 1, "the cursor moved while marking", timeout=0.5)
        assert r.unread == 400
        await r.wait_for(lambda: r.unread == 0, "every article read", timeout=10)


async def test_next_unread_walks_the_index_off_the_ui_thread(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """. finds the next unread row however far (a million rows: seconds, in a
    thread); with nothing unread it says so at once, walking nothing."""
    from tests.driver import read_after
    from tui.core.bookmarks import entry_key

    read_after(monkeypatch, 60.0)
    async with reader([big]) as (app, pilot, r):
        keys = [entry_key(e) for e in r.rows]
    with BookmarkStore() as store:  # every story read but the 300th
        store.set_read([key for k, key in enumerate(keys) if k != 300], True)
    import time

    walk = QueriedSession.find_unread

    def slow_walk(self: QueriedSession, cursor: int, step: int) -> tuple[int, bool] | None:
        time.sleep(1.0)  # a million rows
        return walk(self, cursor, step)

    monkeypatch.setattr(QueriedSession, "find_unread", slow_walk)
    async with reader([big]) as (app, pilot, r):
        assert r.unread == 1
        await pilot.press("full_stop", "j")
        await r.wait_for(lambda: r.cursor == 1, "the keys working meanwhile", timeout=0.5)
        await r.wait_for(lambda: any(m.startswith("Looking for the next unread") for m in r.messages), "the walk said")
        await r.wait_for(lambda: r.cursor == 300, "the only unread story", timeout=10)
        await pilot.press("u")  # read now: nothing is left
        assert r.unread == 0
        from tui.ui.screens import list_keys

        walked = []
        monkeypatch.setattr(QueriedSession, "find_unread", lambda *args: walked.append(args))
        monkeypatch.setattr(list_keys, "next_unread", lambda *args: walked.append(args))
        await pilot.press("full_stop")
        assert any(m.startswith("No other unread story") for m in r.messages) and not walked


def test_the_identities_walked_are_those_of_the_rows_in_each_order(big: Path) -> None:
    from tui.core.bookmarks import entry_key
    from tui.core.catalog.view import identities_of, rows_of

    catalog = Catalog.open([big])
    try:
        some = [i for i, _ in catalog.iter_order("title")][::7]
        for sort in ("date", "oldest", "title", "provider", "quality", "heat"):
            for ids in (None, some):
                rows = rows_of(catalog, sort, str, ids)
                assert list(identities_of(catalog, sort, ids)) == [entry_key(e) for e in rows]
    finally:
        catalog.close()


async def test_a_start_with_all_but_one_read_counts_one_unread(big: Path) -> None:
    """The count of a big collection's start is one join with the stored state."""
    from dataclasses import replace

    from tests.helpers import stored_read
    from tui.core import settings as settings_file
    from tui.core.bookmarks import entry_key
    from tui.core.opening import EarlyOpen
    from tui.ui.app import ReaderApp

    with BookmarkStore() as store:
        catalog = Catalog.open([big])
        store.set_read({entry_key(e) for _, e in catalog.iter_order("date")}, True)
        catalog.close()
        store.set_read([sorted(stored_read())[0]], False)  # one article left unread
    job = EarlyOpen([big])
    settings, _ = settings_file.load()
    app = ReaderApp([big], BookmarkStore(), job=job, settings=replace(settings, watch=False))
    async with reader([big], app=app) as (app, pilot, r):
        assert job.read_count == 399
        assert r.unread == 1 and "1 unread" in r.subtitle


async def test_a_second_u_while_the_first_is_searched_takes_it_back(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """U U quickly at a million (the first one's list takes seconds to find):
    every story listed again, as the keys said, not "unread only"."""
    import time

    found = QueriedSession.search_filter

    def slow(self: QueriedSession, *args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        return found(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(QueriedSession, "search_filter", slow)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("U", "U")
        await pilot.pause(1.5)
        await r.settle()
        assert not r.subtitle.startswith("unread only") and len(r.rows) == 400
        await pilot.press("U")
        await r.wait_for(lambda: r.subtitle.startswith("unread only"), "unread only", timeout=10)
        await pilot.press("escape")  # Esc clears it, asked or shown
        await r.wait_for(lambda: r.subtitle.startswith("400 articles"), "every story again", timeout=10)


async def test_is_read_in_the_jump_box_follows_the_reading_state(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``is:read`` answers from a copy of the read set kept by the search's
    connection, made again only when the set changed: each answer is today's."""
    from tests.driver import read_after

    read_after(monkeypatch, 60.0)

    async def read_ones() -> list[str]:
        await pilot.press("slash")
        await r.burst("is:read")
        await r.wait_for(lambda: "searching" not in r.screen_text() and "is:read" in r.screen_text(), "the answer", timeout=10)
        await pilot.pause(0.3)
        found = sorted(e.title for e in app.screen.results)
        await pilot.press("escape")
        return found

    async with reader([big]) as (app, pilot, r):
        first, second = r.rows[0].title, r.rows[1].title
        await pilot.press("u")  # the first story read
        assert await read_ones() == [first]
        assert await read_ones() == [first]  # the same set: its copy kept
        await pilot.press("j", "u", "k", "u")  # the second read, the first unread again
        assert await read_ones() == [second]


async def test_the_reading_state_of_a_big_collection_is_asked_not_loaded(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A million read identities would take ~180 MB and a second to load: a
    big collection asks the user database instead (attached to the index).
    Every reading key shows what is stored, with the read set never loaded."""
    from tests.driver import read_after
    from tests.helpers import stored_read
    from tui.core.bookmarks import entry_key

    read_after(monkeypatch, 60.0)
    async with reader([big]) as (app, pilot, r):
        keys = [entry_key(e) for e in r.rows]
    unread = {keys[2], keys[5], keys[9]}
    with BookmarkStore() as store:
        store.set_read([k for k in keys if k not in unread], True)

    loader = BookmarkStore.read_keys

    def never(self: BookmarkStore) -> set[str]:
        raise AssertionError("the whole read set loaded")

    async def unread_found() -> set[str]:
        await pilot.press("slash")
        await r.burst("is:unread")
        await r.wait_for(lambda: "searching" not in r.screen_text() and "is:unread" in r.screen_text(), "the answer", timeout=10)
        await pilot.pause(0.3)
        found = {entry_key(e) for e in app.screen.results}
        await pilot.press("escape")
        return found

    monkeypatch.setattr(BookmarkStore, "read_keys", never)
    async with reader([big]) as (app, pilot, r):
        assert r.unread == 3 and "3 unread" in r.subtitle
        assert [y for y in range(12) if r.unread_dot(y)] == [2, 5, 9]
        await pilot.press("full_stop")
        await r.wait_for(lambda: r.cursor == 2, "the first unread story")
        await pilot.press("u")  # read: the dot goes, the count follows
        await r.settle()
        assert not r.unread_dot(2) and r.unread == 2
        await pilot.press("U")
        await r.wait_for(lambda: r.subtitle.startswith("unread only · 2 of 400"), "unread only", timeout=10)
        assert {entry_key(e) for e in r.rows} == {keys[5], keys[9]}
        await pilot.press("U", "F")
        await r.burst("is:unread", "<enter>")
        await r.wait_for(lambda: "· 2 of 400" in r.subtitle, "the filter is:unread", timeout=10)
        assert {entry_key(e) for e in r.rows} == {keys[5], keys[9]}
        await pilot.press("escape")
        await r.wait_for(lambda: r.subtitle.startswith("400 articles"), "every story again", timeout=10)
        assert await unread_found() == {keys[5], keys[9]}
        await pilot.press("A")
        await r.wait_for(lambda: r.unread == 0 and "0 unread" in r.subtitle, "every article read", timeout=10)
        assert not any(r.unread_dot(y) for y in range(12))
        assert await unread_found() == set()  # the jump box's is:unread follows a mark all
        await pilot.press("ctrl+z")  # the undo gives back what A marked, no more
        await r.wait_for(lambda: r.unread == 2, "two unread again", timeout=10)
        assert [y for y in range(12) if r.unread_dot(y)] == [5, 9]
        assert await unread_found() == {keys[5], keys[9]}
    monkeypatch.setattr(BookmarkStore, "read_keys", loader)
    assert stored_read() == set(keys) - {keys[5], keys[9]}


async def test_the_first_rows_never_wait_for_the_unread_count(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A million read take SQLite a third of a second to count: the rows of
    an index opened early come first, the count in the header after."""
    import time
    from dataclasses import replace

    from tui.core import settings as settings_file
    from tui.core.bookmarks import entry_key
    from tui.core.catalog.collection import QueriedCollection
    from tui.ui.app import ReaderApp

    with BookmarkStore() as store:
        catalog = Catalog.open([big])
        store.set_read([entry_key(e) for _, e in catalog.iter_order("date")][:100], True)
        catalog.close()
    count = QueriedCollection.count_stored_read

    def slow(self: QueriedCollection, user_db: Path) -> int:
        time.sleep(1.5)
        return count(self, user_db)

    monkeypatch.setattr(QueriedCollection, "count_stored_read", slow)
    job = opening.EarlyOpen([big])
    settings, _ = settings_file.load()
    app = ReaderApp([big], BookmarkStore(), job=job, settings=replace(settings, watch=False))
    async with reader([big], app=app, loaded=False) as (app, pilot, r):
        await r.wait_for(lambda: len(r.rows) == 400, "the rows", timeout=1.0)
        assert r.unread is None and "unread" not in r.subtitle
        await r.wait_for(lambda: r.unread == 300 and "300 unread" in r.subtitle, "the count after", timeout=10)


@pytest.mark.parametrize("near", [10, 4096])
async def test_next_unread_far_away_is_found_by_the_read_ids(big: Path, monkeypatch: pytest.MonkeyPatch, near: int) -> None:
    """Past the rows near the cursor, . walks the ids against the read ones
    found all at once: the same stories as row by row, both ways, filtered too."""
    from tests.driver import read_after
    from tui.core.bookmarks import entry_key

    read_after(monkeypatch, 60.0)
    monkeypatch.setattr(queried, "NEAR", near)
    async with reader([big]) as (app, pilot, r):
        keys = [entry_key(e) for e in r.rows]
    with BookmarkStore() as store:
        store.set_read([key for k, key in enumerate(keys) if k not in (40, 300)], True)
    async with reader([big]) as (app, pilot, r):
        await pilot.press("full_stop")
        await r.wait_for(lambda: r.cursor == 40, "the first unread story", timeout=10)
        await pilot.press("full_stop")
        await r.wait_for(lambda: r.cursor == 300, "the next one", timeout=10)
        await pilot.press("full_stop")
        await r.wait_for(lambda: r.cursor == 40, "round the end", timeout=10)
        await pilot.press("comma")
        await r.wait_for(lambda: r.cursor == 300, "back, round the top", timeout=10)
        await pilot.press("u")  # read by hand: the walk knows it
        await pilot.press("comma")
        await r.wait_for(lambda: r.cursor == 40, "the one left", timeout=10)
        await pilot.press("U")
        await r.wait_for(lambda: r.subtitle.startswith("unread only"), "unread only", timeout=10)
