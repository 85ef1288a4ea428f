"""Opening a collection too big to load (tui/core/queried.py,
tui/core/opening.py): the first build of its index, the index opened
before the UI, the place and bookmarks kept between runs, a hostile
collection, and the folder changing under it.

These tests lower the threshold so that a small generated collection is
"big" (the ``big`` fixture, tests/conftest.py): what a person sees must be
what the loaded reader shows.
"""

from __future__ import annotations

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
