"""Follow the folder (issue 16): new, changed and removed files show up by
themselves while the reader is open, with the cursor on the same story; the
watcher's news is applied through the index update R uses, for the changed
folders only; hostile files (a FIFO, a link to a terminal, a name that is
not UTF-8, an unreadable folder) are issues, never a hang or a crash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.driver import reader
from tests.helpers import article, write
from tui.core import settings as settings_file
from tui.core.collection import Collection
from tui.core.follow import apply


def story(folder: Path, name: str, title: str, day: int) -> Path:
    return write(folder, name, article(title, date=f"2024-03-{day:02}T10:00:00Z", url=f"https://example.com/{name}"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "news"
    for day, name in ((1, "a"), (2, "b"), (3, "c")):
        story(target, f"{name}.md", f"Story {name}", day)
    return target


def test_apply_reads_only_what_changed_in_the_folders_named(folder: Path) -> None:
    collection = Collection.load([folder])
    story(folder, "d.md", "Story d", 4)
    story(folder, "b.md", "Story b, corrected", 2)
    (folder / "c.md").unlink()
    story(folder / "sub", "e.md", "Story e", 5)
    followed = apply([folder], collection, [str(folder / "d.md"), str(folder / "b.md"), str(folder / "c.md"), str(folder / "sub")], "date")
    assert followed is not None and followed.summary() == "2 new, 1 changed, 1 removed"
    titles = sorted(e.title for e in followed.collection.entries)
    assert titles == ["Story a", "Story b, corrected", "Story d", "Story e"]
    assert apply([folder], followed.collection, [str(folder / "d.md")], "date") is None  # nothing new since
    shutil.rmtree(folder / "sub")
    gone = apply([folder], followed.collection, [str(folder / "sub")], "date")
    assert gone is not None and gone.summary() == "1 removed"
    again = Collection.load([folder])  # the index on disk holds what the reader shows
    assert sorted(e.title for e in again.entries) == ["Story a", "Story b, corrected", "Story d"]


async def test_new_changed_and_removed_files_show_by_themselves_with_the_cursor_kept(folder: Path) -> None:
    async with reader([folder], watch=True) as (app, pilot, r):
        assert r.titles == ["Story c", "Story b", "Story a"]
        await pilot.press("j")
        await r.wait_article("Story b")
        story(folder, "d.md", "Story d", 4)  # newest: lands above the cursor
        await r.wait_for(lambda: "Story d" in r.titles, "the new file in the list")
        assert r.shown is not None and r.shown.title == "Story b" and r.titles[0] == "Story d"
        await r.wait_for(lambda: "1 new." in r.messages, "the toast saying so")
        story(folder, "b.md", "Story b, corrected", 2)  # the story shown, edited
        await r.wait_for(lambda: "Story b, corrected" in r.titles, "the changed title in the list")
        await r.wait_article("Story b, corrected")
        assert "Story b" not in r.titles
        (folder / "b.md").unlink()  # the story shown, removed: the cursor stays on its row
        await r.wait_for(lambda: len(r.titles) == 3, "the removed file gone from the list")
        assert r.titles == ["Story d", "Story c", "Story a"] and r.shown is not None and r.shown.title == "Story a"
        await pilot.press("slash", *"story d", "enter")  # the search knows the new file
        await r.wait_article("Story d")
        assert app.is_running


async def test_hostile_files_appearing_while_open_are_issues_and_never_stop_the_reader(folder: Path) -> None:
    async with reader([folder], watch=True) as (app, pilot, r):
        os.mkfifo(folder / "pipe.md")
        (folder / "b.md").unlink()
        os.symlink("/dev/tty", folder / "b.md")  # a story swapped for a link to the terminal
        write(folder, os.fsdecode(b"bad\xff\xfe.md"), article("Badly named", date="2024-03-05T00:00:00Z"))
        locked = folder / "locked"
        story(locked, "x.md", "Behind a lock", 6)
        locked.chmod(0)
        try:
            write(folder, "zzz.md", article("Last one", date="2024-03-09T00:00:00Z"))
            await r.wait_for(lambda: "Last one" in r.titles and "Badly named" in r.titles, "the readable files in the list")
            await r.wait_for(lambda: "Story b" not in r.titles, "the swapped file out of the list")
            reasons = " ".join(issue.reason for issue in r.main.session.collection.issues)
            assert "named pipe" in reasons and "character device" in reasons
            await pilot.press("j", "j", "j", "j", "g")
            await r.settle()
            assert app.is_running
        finally:
            locked.chmod(0o755)


async def test_watch_false_in_the_settings_follows_nothing(folder: Path, tmp_path: Path) -> None:
    settings, problems = settings_file.parse("watch = false\n")
    assert problems == [] and settings.watch is False
    bad, said = settings_file.parse('watch = "sometimes"\n')
    assert bad.watch is True and len(said) == 1 and said[0].startswith("watch:")
    async with reader([folder], watch=False) as (app, pilot, r):
        assert not [w for w in app.workers if w.group == "follow"]
    async with reader([folder], watch=True) as (app, pilot, r):
        assert [w for w in app.workers if w.group == "follow"]
