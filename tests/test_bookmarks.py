"""The bookmark store: identity, what a bookmark keeps and what persists
(tags, notes, reading state, positions), merging and relinking.
Damage is tested in tests/test_bookmarks_damage.py, processes writing at
once in tests/test_bookmarks_concurrency.py."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers import T0, bm
from tui.core import locations
from tui.core.bookmarks import SCHEMA_VERSION, Bookmark, BookmarkStore, identity
from tui.core.model import Entry, Related

pytestmark = pytest.mark.usefixtures("bookmark_home")  # the store's files under tmp_path

def test_default_path_is_in_isolated_home(tmp_path: Path) -> None:
    store = BookmarkStore()
    assert store.path == locations.bookmarks_db()
    assert store.path.is_relative_to(tmp_path / "home")
    assert store.path.exists() and store.notice is None and store.persistent
    assert sqlite3.connect(store.path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def test_add_remove_toggle_contains_and_order() -> None:
    store = BookmarkStore()
    store.add(bm("a", 1))
    store.add(bm("b", 3))
    store.add(bm("c", 2))
    assert [b.key for b in store.all()] == ["b", "c", "a"]
    assert store.contains("a") and "a" in store and not store.contains("zz")
    assert store.keys() == {"a", "b", "c"}

    # Adding again refreshes the article's data, adds tags, fills an empty
    # note, and keeps when it was first bookmarked.
    assert store.add(bm("a", 99, title="New title", tags=("x", "y"), note="n")) is False
    got = store.get("a")
    assert got is not None
    assert got.title == "New title" and got.tags == ("x", "y") and got.note == "n"
    assert got.added_at == T0 + timedelta(minutes=1)

    assert store.remove("b") == bm("b", 3)  # what was removed
    assert store.remove("b") is None
    assert store.toggle(bm("d", 5))
    assert store.contains("d")
    assert not store.toggle(bm("d", 5))
    assert not store.contains("d")
    assert [b.key for b in store.all()] == ["c", "a"]
    assert store.get("missing") is None
    store.close()


def test_persists_across_reopen_with_all_fields(tmp_path: Path) -> None:
    path = tmp_path / "x" / "bookmarks.sqlite3"
    local = datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    original = bm("k", published=local, tags=("één", "two"), note="a note", external=True)
    with BookmarkStore(path) as store:
        store.add(original)
    with BookmarkStore(path) as store:
        assert store.all() == [original]
        got = store.get("k")
        assert got is not None and got.published == local and got.added_at.tzinfo is not None


def test_bookmark_survives_missing_file(tmp_path: Path) -> None:
    article = tmp_path / "col" / "story.md"
    article.parent.mkdir()
    article.write_text("---\ntitle: Gone\n---\nbody")
    entry = Entry(path=str(article), title="Gone", provider="Wire", ts=T0.timestamp(), url="https://www.wire.com/gone/")
    with BookmarkStore() as store:
        store.add(Bookmark.from_entry(entry))
    article.unlink()
    with BookmarkStore() as store:
        (got,) = store.all()
    assert (got.title, got.url, got.provider, got.published, got.path) == (
        "Gone",
        "https://www.wire.com/gone/",
        "Wire",
        T0,
        str(article),
    )
    assert got.key == "url:wire.com/gone" and not got.external


def test_identity_rules() -> None:
    same = {
        identity(u, "t", None, "p")
        for u in ("https://www.example.com/a/b/", "http://example.com/a/b", "example.com/a/b?utm_source=x")
    }
    assert same == {"url:example.com/a/b"}
    # No usable URL: title (case-insensitive) + publication date; the path is irrelevant.
    k1 = identity("", "Big News", T0, "one.md")
    assert k1.startswith("th:") and len(k1) == 3 + 40
    assert k1 == identity("not a url", "BIG NEWS", T0 + timedelta(hours=1), "moved/two.md")
    assert k1 != identity("", "Big News", T0 + timedelta(days=1), "one.md")
    assert identity("", "Big News", None, "x") != k1
    # Nothing else: the path.
    assert identity("", "", None, "dir/f.md") == "path:dir/f.md"


def test_from_entry_and_related() -> None:
    moved = [Entry(path=p, title="Story", url="", ts=T0.timestamp()) for p in ("a/1.md", "b/2.md")]
    assert Bookmark.from_entry(moved[0]).key == Bookmark.from_entry(moved[1]).key
    untitled = Bookmark.from_entry(Entry(path="u.md", title="(untitled)"))
    assert untitled.key == "path:u.md"
    rel = Related(
        title="Other",
        excerpt="",
        url="https://amp.other.org/s/amp",
        provider="Other",
        domain="other.org",
        published=T0,
        quality=None,
        images=(),
        raw={},
    )
    b = Bookmark.from_related(rel)
    assert b.external and b.path is None and b.key == "url:other.org/s"
    assert b.added_at.tzinfo is not None


def test_reading_state_persists_and_toggles(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    with BookmarkStore(path) as store:
        assert store.read_keys() == set()
        store.set_read(["a", "b", "c"])
        store.set_read(["b"], False)
        assert store.toggle_read("d") is True and store.toggle_read("a") is False
        assert store.is_read("c") and not store.is_read("a")
    with BookmarkStore(path) as store:
        assert store.read_keys() == {"c", "d"}


def test_positions_are_kept_per_collection(tmp_path: Path) -> None:
    from tui.core.bookmarks import Position, collection_id

    one, two = collection_id([tmp_path / "x", tmp_path / "y"]), collection_id([tmp_path / "z"])
    assert one == collection_id([tmp_path / "y", tmp_path / "x"])  # the order of the folders does not matter
    path = tmp_path / "b.sqlite3"
    with BookmarkStore(path) as store:
        assert store.position(one) is None
        store.save_position(one, Position("url:a", "x/a.md", 12.0))
        store.save_position(two, Position("url:b", "z/b.md", 0.0))
        store.save_position(one, Position("url:c", "x/c.md", 3.0))
    with BookmarkStore(path) as store:
        assert store.position(one) == Position("url:c", "x/c.md", 3.0)
        assert store.position(two) == Position("url:b", "z/b.md", 0.0)


def test_tags_and_note(tmp_path: Path) -> None:
    from tui.core.bookmarks import normalize_tags

    assert normalize_tags(" ai,  To Read ,AI,, x y ") == ("ai", "To Read", "x y")
    assert normalize_tags(["a,b", "c"]) == ("a b", "c")
    assert normalize_tags("#later, ##AI, # x, # #y, #, ai, c#") == ("later", "AI", "x", "y", "c#")  # as typed from habit
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        got = store.set_details(bm("new", 1), "ai, policy", "first note")  # bookmarks it
        assert got.tags == ("ai", "policy") and got.note == "first note" and store.contains("new")
        store.add(bm("old", 0, tags=("ai",)))
        again = store.set_details(bm("new", 50), ["policy"], "")
        assert again.tags == ("policy",) and again.note == "" and again.added_at == T0 + timedelta(minutes=1)
        assert store.tags() == [("ai", 1), ("policy", 1)]


def test_a_bookmark_relinks_when_its_article_shows_up_elsewhere(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        store.add(bm("url:x", path="/old/x.md"))
        store.add(bm("url:y", path=None, external=True))
        store.add(bm("url:z", path="/z.md"))
        assert store.relink({"url:x": "/new/place/x.md", "url:y": "/here/y.md", "url:z": "/z.md", "url:w": "/w"}) == 2
        assert store.get("url:x").path == "/new/place/x.md"
        y = store.get("url:y")
        assert y.path == "/here/y.md" and not y.external
        assert store.relink({"url:x": "/new/place/x.md"}) == 0


def test_merge_adds_missing_and_keeps_what_is_there(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        store.add(bm("a", 10, tags=("one",), note="mine"))
        added, changed = store.merge([bm("a", 5, tags=("two",), note="theirs"), bm("b", 1), bm("b", 1)])
        assert (added, changed) == (1, 1)
        a = store.get("a")
        assert a.tags == ("one", "two") and a.note == "mine" and a.added_at == T0 + timedelta(minutes=5)
        assert store.merge([bm("a", 5, tags=("two",))]) == (0, 0)
        assert len(store) == 2


def test_the_list_fast_key_is_the_store_key(seeds) -> None:  # noqa: ANN001
    """The list marks rows with a fast key; it must equal the stored one."""
    from tui.core.bookmarks import entry_key
    from tui.core.collection import Collection

    entries = list(Collection.load([seeds]).entries)
    entries.append(Entry(path="x/untitled.md", title="(untitled)"))
    entries.append(Entry(path="x/no-url.md", title="No URL", ts=T0.timestamp()))
    for entry in entries:
        assert entry_key(entry) == Bookmark.from_entry(entry).key


def test_tags_stored_with_a_leading_hash_read_without_it() -> None:
    """A tag typed ``#later`` before a leading ``#`` was dropped is stored so:
    it reads as the tag ``later`` (shown as ``#later``, not ``##later``),
    one with the ``later`` added since, and an edit keeps it so."""
    with BookmarkStore() as store:
        store.add(bm("k1", tags=("x",)))
        store.conn.execute("UPDATE bookmarks SET tags = ? WHERE key = 'k1'", ('["#later", "later", "## AI", "x"]',))
    with BookmarkStore() as store:
        (got,) = store.all()
        assert got.tags == ("later", "AI", "x")
        assert [tag for tag, _ in store.tags()] == ["AI", "later", "x"]
        store.update_details(got, "later, AI", got.note)
        assert store.all()[0].tags == ("later", "AI")
