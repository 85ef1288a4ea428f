"""The reading session and the loading stages, without Textual: rows in
display order (one per story), reading state and its writes, bookmarks and
the search's facet sets, where the reader was."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, PLAIN, SECOND, article, loaded, stages_of, write
from tui.core.bookmarks import Bookmark, BookmarkStore, Position, entry_key
from tui.core.loading import (
    Identified,
    Loaded,
    Progress,
    Reloaded,
    Searchable,
    reload_stages,
)
from tui.core.model import LoadIssue
from tui.core.session import ReadingSession

LEUKEMIA = "Artificial intelligence tracks down leukemia"


def stories(tmp_path: Path) -> Path:
    """Story B told by two outlets (B and B2); A cites B; C is alone."""
    folder = tmp_path / "col"
    write(
        folder,
        "a.md",
        article("Story A about nothing much", url="https://a.example/a", date="2024-01-05T00:00:00Z", extra=f'related:\n  - title: "{LEUKEMIA}"\n    webUrl: "https://science.example/leukemia"'),
    )
    write(folder, "b.md", article(LEUKEMIA, url="https://science.example/leukemia", date="2024-01-03T00:00:00Z"))
    write(folder, "b2.md", article("Artificial Intelligence That Tracks Down Leukemia Discovered", url="https://medicine.example/l", date="2024-01-02T00:00:00Z"))
    write(folder, "c.md", article("Chip makers expand factories", url="https://c.example/c", date="2024-01-01T00:00:00Z"))
    return folder


def test_the_stages_of_loading_come_in_order(seeds: Path) -> None:
    session = ReadingSession(BookmarkStore(), [seeds])
    kinds = [type(stage).__name__ for stage in stages_of(seeds, session)]
    assert kinds[-4:] == ["Loaded", "Identified", "Searchable", "RelatedBuilt"]
    assert set(kinds[:-4]) <= {"Partial", "Progress"}


def test_rows_are_in_display_order_and_follow_the_sort(seeds: Path) -> None:
    session = loaded(seeds)
    assert [e.title for e in session.rows] == DATE_ORDER
    assert session.shown_at(0).title == NEWEST and session.shown_at(5) is None
    session.sort = "title"
    keep = session.rows[2]  # Japan
    row = session.arrange(keep)
    assert [e.title for e in session.rows] == sorted(DATE_ORDER, key=str.casefold)
    assert session.rows[row] is keep
    assert session.summary() == "5 articles · 5 unread · title A-Z"


def test_a_story_told_twice_takes_one_row_and_its_versions_step(tmp_path: Path) -> None:
    session = loaded(stories(tmp_path))
    titles = [e.title for e in session.rows]
    assert titles == ["Story A about nothing much", LEUKEMIA, "Chip makers expand factories"]
    assert session.summary().startswith("3 stories (4 articles) · 4 unread")
    b, b2 = (next(e for e in session.collection.entries if e.path.endswith(name)) for name in ("b.md", "b2.md"))
    assert session.row_of(b2) == session.row_of(b) == 1  # a version shows in its story's row
    assert session.story_count(b) == 2
    found = session.step_version(b, 1)
    assert found is not None and found[0] is b2 and found[1:] == (2, 2)
    session.choose_version(b2)
    assert session.shown_at(1) is b2
    story = session.sections(b2)
    assert [e.title for e in story.versions] == [LEUKEMIA, b2.title] and story.position == (2, 2)
    assert story.cited == []
    assert [e.title for e in session.sections(b).cited or []] == ["Story A about nothing much"]


def test_reading_changes_the_count_by_identity_and_is_written(seeds: Path) -> None:
    session = loaded(seeds)
    japan = next(e for e in session.rows if e.title == JAPAN)
    assert session.unread == 5 and not session.is_read(japan)
    assert session.set_read(entry_key(japan), True)
    assert not session.set_read(entry_key(japan), True)  # already read: nothing changes
    assert session.unread == 4 and session.is_read(japan)
    assert session.summary() == "5 articles · 4 unread · newest first"
    pending = session.take_pending()
    assert pending == {entry_key(japan): True} and session.pending == {}
    assert session.write(pending, None) == ""
    with BookmarkStore() as store:
        assert store.read_keys() == {entry_key(japan)}


def test_identities_counted_against_an_older_read_set_are_counted_again(seeds: Path) -> None:
    session = ReadingSession(BookmarkStore(), [seeds])
    stages = stages_of(seeds, session)
    session.loaded(next(s for s in stages if isinstance(s, Loaded)).collection)
    session.arrange()
    identified = next(s for s in stages if isinstance(s, Identified))
    session.set_read(entry_key(session.rows[0]), True)  # read after the loading thread counted
    assert session.identified(identified) and session.unread == 4


def test_facet_sets_follow_bookmarks_and_reading(seeds: Path) -> None:
    store = BookmarkStore()
    session = loaded(seeds, store)
    index = session.search_index
    assert index is not None
    sets = session.facet_sets()
    assert sets is not None and sets["bookmarked"] == set() and len(sets["unread"]) == 5
    ibm = next(e for e in index.entries if e.title == IBM)
    store.toggle(Bookmark.from_entry(ibm))
    session.bookmarks_changed()
    session.set_read(entry_key(ibm), True)
    sets = session.facet_sets()
    assert {index.entries[i].title for i in sets["bookmarked"]} == {IBM}
    assert IBM not in {index.entries[i].title for i in sets["unread"]}
    assert session.is_bookmarked(ibm) and session.bookmark_of(ibm) is not None


def test_the_place_of_last_time_is_found_again_even_after_a_move(tmp_path: Path) -> None:
    folder = tmp_path / "col"
    write(folder, "a.md", article("Newest", url="https://example.com/a", date="2024-03-01T00:00:00Z"))
    old = write(folder, "b.md", article("The one", url="https://example.com/b", date="2024-02-01T00:00:00Z"))
    first = loaded(folder)
    the_one = first.rows[1]
    assert first.restore is None  # nothing saved from a run before
    assert first.write({}, first.position(the_one, 12.0)) == ""
    moved = folder / "renamed.md"
    os.rename(old, moved)
    session = ReadingSession(BookmarkStore(), [folder])
    assert session.restore is not None and session.restore_target() is None  # nothing loaded yet
    stages = stages_of(folder, session)
    session.loaded(next(s for s in stages if isinstance(s, Loaded)).collection)
    session.arrange()
    assert session.restore_target() is None  # not at its path: looked up by identity once known
    assert session.identified(next(s for s in stages if isinstance(s, Identified)))
    entry, row, scroll = session.restore_target()
    assert entry.path == str(moved) and session.rows[row] is entry and scroll == 12.0
    assert session.restore is None
    assert session.position(entry, 3.0) == Position(entry_key(entry), entry.path, 3.0)


def test_newest_stories_whatever_the_sort(seeds: Path) -> None:
    session = loaded(seeds, sort="title")
    assert [e.title for e in session.newest()] == DATE_ORDER
    assert session.listed(entry_key(session.rows[0])) is session.rows[0]
    assert session.listed("url:nowhere.example/none") is None


def test_an_edit_reloads_one_file_and_its_identity_follows(seed_copy: Path) -> None:
    session = loaded(seed_copy)
    newest = session.rows[0]
    path = Path(newest.path)
    path.write_text(path.read_text(encoding="utf-8").replace("webUrl:", "oldUrl:").replace(NEWEST, "Edited title"), encoding="utf-8")
    reloaded, searchable = reload_stages(newest, session.collection, session.sort)
    assert isinstance(reloaded, Reloaded) and isinstance(searchable, Searchable)
    assert session.reloaded(reloaded.old, reloaded.new, reloaded.source, reloaded.updated)
    session.arrange(reloaded.new)
    assert "Edited title" in [e.title for e in session.rows]
    assert session.unread == 5 and session.identity_counts[entry_key(reloaded.new)] == 1
    assert session.searchable(searchable)
    path.unlink()
    (gone,) = reload_stages(reloaded.new, session.collection, session.sort)
    assert isinstance(gone, Reloaded) and isinstance(gone.new, LoadIssue)


def test_the_summary_says_how_far_loading_is(seeds: Path) -> None:
    session = loaded(seeds)
    collection = session.collection
    assert collection is not None
    session.partial(collection, 3, 10)
    assert session.summary().startswith("reading 3/10 files… · 5 articles")
    session.partial(collection, 0, 40, first_screen=True)
    assert session.summary() == "40 articles · newest first · checking for changes…"
    assert PLAIN in [e.title for e in session.rows] and SECOND in [e.title for e in session.rows]


def test_progress_without_new_rows(seeds: Path) -> None:
    session = ReadingSession(BookmarkStore(), [seeds])
    assert session.summary() == ""  # nothing known yet
    session.progress(1, 5)
    assert session.load_progress == (1, 5)
    assert not any(isinstance(stage, Progress) and stage.total < 0 for stage in stages_of(seeds, session))
