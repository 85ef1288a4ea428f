"""What another process writes to the user database shows in a running
reader (tui/ui/elsewhere.py): a bookmark added from the command line, stories
read in a second reader, loaded or queried from the index; the marks made in
this reader win over another's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.collection import generate
from tests.conftest import ROOT, SEEDS
from tests.driver import reader
from tests.helpers import stored_read
from tui.core import queried
from tui.core.bookmarks import BookmarkStore, entry_key
from tui.core.catalog.catalog import Catalog
from tui.ui import elsewhere


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(elsewhere, "POLL_SECONDS", 0.05)


def other_process(*args: str) -> None:
    """The command line, run beside the reader."""
    subprocess.run([sys.executable, "-m", "tui", *args], check=True, capture_output=True, cwd=ROOT, timeout=60)


def other_reader(keys: list[str], read: bool = True) -> None:
    """Another reader's marks: a connection of its own, as another process has."""
    with BookmarkStore() as store:
        store.set_read(keys, read)


async def test_a_bookmark_added_from_the_command_line_shows_its_star_and_tags() -> None:
    async with reader([SEEDS]) as (app, pilot, r):
        target = r.rows[2]
        assert not r.starred(2)
        other_process("bookmarks", "add", target.path, "--tags", "later")
        await r.wait_for(lambda: r.starred(2), "the star of a bookmark added elsewhere")
        await pilot.press("j", "j")
        await r.wait_article(target.title)
        await r.wait_for(lambda: "#later" in r.header, "the bookmark's tag in the article's header")
        other_process("bookmarks", "remove", target.path)
        await r.wait_for(lambda: not r.starred(2), "the star gone with the bookmark removed elsewhere")


async def test_stories_read_in_another_reader_lose_their_dot_and_the_count_follows() -> None:
    async with reader([SEEDS]) as (app, pilot, r):
        assert r.unread == 5 and "5 unread" in r.subtitle
        other_reader([entry_key(r.rows[1]), entry_key(r.rows[3])])
        await r.wait_for(lambda: r.unread == 3, "the count of what another reader read")
        assert [r.unread_dot(y) for y in range(5)] == [True, False, True, False, True]
        assert "3 unread" in r.subtitle
        other_reader([entry_key(r.rows[1])], read=False)
        await r.wait_for(lambda: r.unread == 4, "a story marked unread elsewhere")
        assert r.unread_dot(1)


async def test_the_marks_made_here_win_over_another_readers() -> None:
    async with reader([SEEDS]) as (app, pilot, r):
        mine = r.rows[0]
        await pilot.press("u")  # read here
        await r.wait_for(lambda: r.is_read(mine), "the mark made here")
        r.main.save_state()
        await r.wait_for(lambda: entry_key(mine) in stored_read(), "the mark written")
        other_reader([entry_key(mine)], read=False)  # another reader marks it unread...
        other_reader([entry_key(r.rows[4])])  # ... and reads another
        await r.wait_for(lambda: not r.unread_dot(4), "the other reader's mark of a story not touched here")
        assert r.is_read(mine) and not r.unread_dot(0)
        assert r.unread == 3


async def test_a_filtered_list_counts_what_another_reader_read() -> None:
    async with reader([SEEDS]) as (app, pilot, r):
        await pilot.press("U")  # unread only
        await r.wait_for(lambda: "5 unread" in r.subtitle, "the filtered count")
        other_reader([entry_key(r.rows[0])])
        await r.wait_for(lambda: "4 unread" in r.subtitle, "the filtered count after another reader's mark")
        assert len(r.rows) == 5  # the list stays as it is, as with a mark made here


async def test_a_queried_collection_shows_what_another_process_wrote(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    generate(folder, 300, seed=5)
    Catalog.open([folder]).close()
    monkeypatch.setattr(queried, "QUERY_FROM", 100)
    async with reader([folder]) as (app, pilot, r):
        assert r.unread == 300
        other_reader([entry_key(r.rows[1]), entry_key(r.rows[2])])
        await r.wait_for(lambda: r.unread == 298, "the count of what another reader read")
        assert [r.unread_dot(y) for y in range(4)] == [True, False, False, True]
        other_process("bookmarks", "add", r.rows[3].path)
        await r.wait_for(lambda: r.starred(3), "the star of a bookmark added elsewhere")
        await pilot.press("slash")
        await pilot.press(*"is:read")
        await r.wait_for(lambda: "2 matches" in r.screen_text(), "is:read of what another reader read")


async def test_the_bookmarks_view_lists_a_bookmark_added_meanwhile() -> None:
    from tui.ui.screens.bookmarks import BookmarksScreen

    async with reader([SEEDS]) as (app, pilot, r):
        await pilot.press("b")  # one bookmark here
        await pilot.press("B")
        view = await r.wait_screen(BookmarksScreen)
        assert [b.title for b in view.bookmark_list.rows] == [r.rows[0].title]
        other_process("bookmarks", "add", r.rows[3].path, "--tags", "cli")
        await r.wait_for(lambda: len(view.bookmark_list.rows) == 2, "the bookmark added from the command line")
        assert view.current is not None and view.current.title == r.rows[0].title  # the cursor stays on its bookmark
