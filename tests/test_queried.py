"""A collection too big to load is read from its index as it is shown
(tui/core/queried.py): the same reader, keys and answers as a loaded one.

These tests lower the threshold so that a small generated collection is
"big": what a person sees must be what the loaded reader shows.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from fixtures.collection import generate
from tests.driver import reader
from tests.helpers import article, write
from tui.core import opening, queried, walk
from tui.core.bookmarks import BookmarkStore
from tui.core.catalog.catalog import Catalog
from tui.core.queried import QueriedSession


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A generated collection of 400 articles, indexed, that the reader queries."""
    folder = tmp_path / "archive"
    generate(folder, 400, seed=3)
    Catalog.open([folder]).close()  # indexed once (as any earlier start or CLI command does)
    monkeypatch.setattr(queried, "QUERY_FROM", 100)
    return folder


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


async def test_bookmarks_and_the_place_are_kept(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        await pilot.press("j", "j", "j")
        target = r.rows[3]
        await r.wait_article(target.title)
        await pilot.press("b")
        await r.wait_for(lambda: r.starred(3), "the star")
        await app.action_quit()
    async with reader([big]) as (app, pilot, r):
        await r.wait_for(lambda: r.shown is not None and r.shown.title == target.title, "last time's article")
        assert r.starred(r.cursor)


async def test_the_place_reopened_far_down_is_on_screen(big: Path) -> None:
    """Reopened before the first layout (the index answers at once), the
    list still scrolls to the row of last time's article."""
    from dataclasses import replace

    from tui.core import settings as settings_file
    from tui.core.bookmarks import BookmarkStore
    from tui.core.opening import EarlyOpen
    from tui.ui.app import ReaderApp

    async with reader([big], size=(160, 48)) as (app, pilot, r):
        await pilot.press("G")  # the last article
        target = r.rows[-1]
        await r.wait_article(target.title)
        await app.action_quit()
    # As tui-reader starts a big collection: the index opened while the UI is imported.
    settings, _ = settings_file.load()
    app = ReaderApp([big], BookmarkStore(), job=EarlyOpen([big]), settings=replace(settings, watch=False))
    async with reader([big], app=app, size=(160, 48)) as (app, pilot, r):
        await r.wait_for(lambda: r.shown is not None and r.shown.title == target.title, "last time's article")
        await pilot.pause(0.1)
        listing = app.main.panes.article_list
        assert listing.scroll_y <= listing.cursor < listing.scroll_y + listing.scrollable_content_region.height
        assert any(target.title[:40] in r.row(y) for y in range(listing.size.height))


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


async def test_a_change_in_the_folder_shows_after_a_rescan(big: Path) -> None:
    async with reader([big]) as (app, pilot, r):
        write(big, "zz-new.md", article("A brand new story", date="2099-01-01T00:00:00Z"))
        victim = r.rows[5]
        os.remove(victim.path)
        await pilot.press("R")
        await r.wait_for(lambda: r.titles[0] == "A brand new story", "the new story on top", timeout=15)
        assert victim.path not in {e.path for e in r.rows}
        assert len(r.rows) == 400
        assert any("1 new or changed, 1 removed" in m for m in r.messages)


async def test_new_files_show_by_themselves(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.ui import follow

    monkeypatch.setattr(follow, "POLL_SECONDS", 0.2)
    async with reader([big], watch=True) as (app, pilot, r):
        write(big / "000", "zz-new.md", article("Filed a moment ago", date="2099-01-01T00:00:00Z"))
        await r.wait_for(lambda: r.titles[:1] == ["Filed a moment ago"], "the new story to show", timeout=15)
        assert len(r.rows) == 401
        await r.wait_for(lambda: any("1 new or changed, 0 removed" in m for m in r.messages), "the change said", timeout=5)


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


async def test_a_big_collection_without_an_index_is_indexed_then_queried(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A first start: the index is built (progress shown, memory flat), never loaded."""
    folder = tmp_path / "first"
    generate(folder, 300, seed=4)
    monkeypatch.setattr(queried, "QUERY_FROM", 100)
    async with reader([folder]) as (app, pilot, r):
        assert isinstance(r.main.session, QueriedSession)
        await r.wait_for(lambda: len(r.rows) == 300, "every article listed", timeout=20)
        assert r.subtitle.startswith("300 articles")
        await pilot.press("j", "enter")
        assert r.article_open


async def test_a_first_build_lists_what_is_indexed_so_far_newest_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A first start of a big collection: while the index is built, the
    list shows the articles written so far, newest first, then all of them."""
    import time

    from tui.core.catalog import build, write

    folder = tmp_path / "first"
    generate(folder, 300, seed=4)
    monkeypatch.setattr(queried, "QUERY_FROM", 100)
    monkeypatch.setattr(opening, "SHOWN_EVERY", 0.1)
    monkeypatch.setattr(build, "SMALL_CHUNK", 10)  # a batch of 10 files...
    slow = write.Writer.write

    def slowly(self: write.Writer, batch: write.Batch) -> object:
        time.sleep(0.1)  # ... every 0.1 s: a build of 3 s
        return slow(self, batch)

    monkeypatch.setattr(write.Writer, "write", slowly)
    async with reader([folder], loaded=False) as (app, pilot, r):
        await r.wait_for(lambda: 0 < len(r.rows) < 300, "some articles listed while indexing", timeout=20)
        assert r.subtitle.startswith("indexing ") and "newest first" in r.subtitle
        shown = [r.main.session.rows[k] for k in range(len(r.rows))]
        assert [e.ts or 0 for e in shown] == sorted((e.ts or 0 for e in shown), reverse=True)
        first = r.rows[0]
        await pilot.press("full_stop")  # the next unread story: not "none" (the count is not known yet)
        await r.wait_for(lambda: r.shown is not None and r.shown.path != first.path, "the next unread story", timeout=10)
        assert not any(m.startswith("No other unread") for m in r.messages)
        await r.wait_for(lambda: len(r.rows) == 300, "every article listed", timeout=20)
        await r.wait_for(lambda: not r.subtitle.startswith("indexing"), "the build done", timeout=20)
        assert r.subtitle.startswith("300 articles · 300 unread")


def test_a_first_build_cut_short_by_quitting_ends_there(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Quitting while a first build runs: nothing more is done (the files
    were walked again, 4.5 s at a million, before the reader could exit);
    the next start resumes the build."""
    from tui.core.catalog import build
    from tui.core.loading import Progress

    folder = tmp_path / "first"
    generate(folder, 50, seed=5)
    monkeypatch.setattr(build, "SMALL_CHUNK", 10)
    updates = []
    real = build.update
    monkeypatch.setattr(build, "update", lambda *a, **k: updates.append(k.get("full")) or real(*a, **k))
    quitting = []

    def post(stage: object) -> None:
        if isinstance(stage, Progress) and stage.done >= 20:
            quitting.append(True)  # the person quits
        assert not isinstance(stage, queried.Opened) or stage.building

    session = QueriedSession(BookmarkStore(), [folder])
    opening.open_queried(session, [folder], post, first=True, cancelled=lambda: bool(quitting))
    assert len(updates) == 1
    catalog = Catalog.open([folder], update=None)
    assert 20 <= len(catalog) < 50 and not opening._complete([folder])
    catalog.close()


def test_the_size_is_told_without_reading_a_file(tmp_path: Path) -> None:
    for i in range(30):
        write(tmp_path / f"d{i % 3}", f"{i}.md", "x")
    write(tmp_path / ".hidden", "a.md", "x")
    write(tmp_path, "notes.pdf", "x")
    assert walk.names_at_least([tmp_path], 30)
    assert not walk.names_at_least([tmp_path], 31)


async def test_a_hostile_collection_queried_shows_its_issues_and_no_control(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Broken and hostile files through the index: every other article listed,
    each broken one an issue, and no control character reaches the screen."""
    from fixtures import broken
    from tui.ui.screens.issues import IssuesScreen

    folder = tmp_path / "hostile"
    expected = broken.generate(folder, large=False)
    for i in range(20):
        write(folder / "ok", f"{i}.md", article(f"Fine story {i}", date=f"2024-02-{i + 1:02}T00:00:00Z"))
    monkeypatch.setattr(queried, "QUERY_FROM", 10)
    async with reader([folder]) as (app, pilot, r):
        assert isinstance(r.main.session, QueriedSession)
        assert "Fine story 19" in r.titles
        assert "issues (!)" in r.subtitle
        for row in range(len(r.rows)):  # every article shown once
            r.move_to(row)
            await pilot.pause()
        await r.settle()
        text = r.screen_text()
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in text)
        await pilot.press("exclamation_mark")
        await r.wait_screen(IssuesScreen)
        text = r.screen_text()
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in text)
        issues = r.main.session.collection.issues
        assert len(r.rows) + len(issues) == len(expected) + 20  # every file an article or an issue


async def test_opened_before_the_ui_its_rows_are_in_the_first_frame(big: Path) -> None:
    """As tui-reader starts a big collection: the index opened while the UI is
    imported, its rows there from the first frame, then brought up to date."""
    from dataclasses import replace

    from tui.core import settings as settings_file
    from tui.core.bookmarks import BookmarkStore
    from tui.core.opening import EarlyOpen
    from tui.ui.app import ReaderApp

    write(big / "000", "zz-late.md", article("Filed while the reader was closed", date="2099-01-01T00:00:00Z"))
    settings, _ = settings_file.load()
    app = ReaderApp([big], BookmarkStore(), job=EarlyOpen([big]), settings=replace(settings, watch=False))
    async with reader([big], app=app) as (app, pilot, r):
        assert isinstance(r.main.session, QueriedSession)
        await r.wait_for(lambda: r.titles[:1] == ["Filed while the reader was closed"], "the index brought up to date", timeout=15)
        assert len(r.rows) == 401


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
