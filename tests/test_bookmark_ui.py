"""Bookmarks changed from the screens while another process writes them too
(issue 14, "lost writes"): ``b`` says what a removal takes and puts it back,
the bookmarks view's removal can be undone, and the tags dialog never
overwrites what the CLI wrote while it was open."""

from __future__ import annotations

from pathlib import Path

from tests.driver import reader
from tests.helpers import NEWEST, cli_bookmark
from tui.core.bookmarks import Bookmark, BookmarkStore
from tui.ui.screens.bookmarks import TagsDialog


def stored(key: str) -> Bookmark | None:
    """The bookmark as a new process would find it (the reader's store aside)."""
    with BookmarkStore() as store:
        return store.get(key)


def said(messages: list[str], start: str) -> str:
    found = [m for m in messages if m.startswith(start)]
    assert found, f"no toast starting {start!r} in {messages}"
    return found[-1]


async def test_b_on_a_bookmark_another_process_filled_says_what_goes_and_b_again_puts_it_back(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        entry = r.shown
        assert entry is not None and entry.title == NEWEST
        # The reader opened with no bookmark; the CLI adds one with tags and a note meanwhile.
        cli_bookmark(entry.path, tags="china, policy", note="Read with the WSJ piece")
        key = next(iter(BookmarkStore().keys()))
        before = stored(key)
        assert before is not None and before.tags == ("china", "policy")
        await pilot.press("b")
        await r.settle()
        removed = said(r.messages, "Removed bookmark")
        assert removed.startswith("Removed bookmark with 2 tags and a note: ") and "b again puts it back" in removed
        assert stored(key) is None
        await pilot.press("b")
        await r.settle()
        assert said(r.messages, "Bookmark back").startswith("Bookmark back with 2 tags and a note: ")
        assert stored(key) == before  # tags, note and the date it was first bookmarked
        assert r.starred(0)


async def test_b_on_a_bare_bookmark_says_no_more_than_before(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        await pilot.press("b")
        await pilot.press("b")
        await r.settle()
        assert r.messages[-2:] == [f"Bookmarked: {NEWEST}", f"Removed bookmark: {NEWEST}"]
        assert len(BookmarkStore()) == 0


async def test_a_removal_in_the_bookmarks_view_is_undone_with_ctrl_z_exactly(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        cli_bookmark(r.shown.path, tags="later", note="a note")
        (before,) = BookmarkStore().all()
        await r.open_bookmarks()
        await pilot.press("b")
        await r.settle()
        assert "Removed bookmark with 1 tag and a note: " in said(r.messages, "Removed bookmark")
        assert r.bookmark_rows()[0].startswith("☆")
        assert stored(before.key) is None
        await pilot.press("ctrl+z")
        await r.settle()
        assert said(r.messages, "Bookmark back").startswith("Bookmark back with 1 tag and a note")
        assert r.bookmark_rows()[0].startswith("★")
        await pilot.press("ctrl+z")
        assert r.messages[-1] == "No bookmark removed here to put back."
        await pilot.press("escape")
    assert stored(before.key) == before  # after the reader closed, as the next start finds it


async def test_tags_saved_in_the_dialog_keep_tags_the_cli_added_while_it_was_open(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        path = r.shown.path
        await pilot.press("t")
        await r.wait_screen(TagsDialog)
        cli_bookmark(path, tags="from-cli")  # between opening the dialog and saving it
        await pilot.press(*"mine", "enter")
        await r.settle()
        assert said(r.messages, "Saved the tags").endswith("Kept #from-cli, added elsewhere meanwhile.")
    (b,) = BookmarkStore().all()
    assert set(b.tags) == {"mine", "from-cli"}


async def test_a_note_changed_by_the_cli_while_the_dialog_was_open_is_never_overwritten(seed_copy: Path) -> None:
    async with reader([seed_copy]) as (app, pilot, r):
        path = r.shown.path
        cli_bookmark(path, tags="ai", note="first note")
        await pilot.press("t")
        await r.wait_screen(TagsDialog)
        cli_bookmark(path, tags="cli", note="their change")  # the CLI replaces the note meanwhile
        await pilot.press(*", urgent", "tab", *"my change ", "ctrl+s")
        await r.settle()
        assert "changed elsewhere while you edited it" in said(r.messages, "The note was changed")
        dialog = await r.wait_screen(TagsDialog)
        assert "nothing is saved yet" in r.screen_text()
        (b,) = BookmarkStore().all()
        assert b.note == "their change" and set(b.tags) == {"ai", "cli"}  # nothing written by the first save
        assert dialog.tags == "ai, cli, urgent" and "their change" in dialog.note and "my change" in dialog.note
        await pilot.press("ctrl+s")
        await r.settle()
        assert said(r.messages, "Saved the tags").startswith("Saved the tags and note.")
    (b,) = BookmarkStore().all()
    assert set(b.tags) == {"ai", "cli", "urgent"}
    assert "their change" in b.note and "my change" in b.note
