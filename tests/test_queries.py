"""The store of recent queries and saved views (tui/core/queries.py), in the
user's SQLite store; the old queries.json is imported once and left alone."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tui.core import locations
from tui.core.queries import MAX_RECENT, QueryStore, View


def test_lives_in_the_user_database(isolated_dirs: Path) -> None:
    with QueryStore() as store:
        store.add_recent("japan")
        assert store.path == locations.bookmarks_db()
        assert str(store.path).startswith(str(isolated_dirs))
    with sqlite3.connect(locations.bookmarks_db()) as conn:
        assert conn.execute("SELECT query FROM recent").fetchall() == [("japan",)]
    assert not locations.queries_file().exists()  # nothing is written there any more


def test_recent_newest_first_once_each_and_persisted(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = QueryStore(path)
    for q in ["japan", "ibm export", "japan", "  ", "china\x1b[31m  rules"]:
        store.add_recent(q)
    assert store.recent == ["china [31m rules", "japan", "ibm export"]
    assert QueryStore(path).recent == store.recent


def test_recent_is_bounded(tmp_path: Path) -> None:
    store = QueryStore(tmp_path / "db.sqlite3")
    for i in range(MAX_RECENT + 20):
        store.add_recent(f"q{i}")
    recent = QueryStore(tmp_path / "db.sqlite3").recent
    assert len(recent) == MAX_RECENT and recent[0] == f"q{MAX_RECENT + 19}"


def test_views_saved_replaced_deleted(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = QueryStore(path)
    store.save_view("Japan", "japan export")
    store.save_view("Unread AI", "is:unread topic:ai")
    store.save_view("Japan", "japan !china")
    assert QueryStore(path).views == [View("Japan", "japan !china"), View("Unread AI", "is:unread topic:ai")]
    assert store.delete_view("Japan") is True
    assert store.delete_view("Japan") is False
    assert QueryStore(path).views == [View("Unread AI", "is:unread topic:ai")]
    with pytest.raises(ValueError):
        store.save_view("   ", "x")


def test_two_readers_see_and_keep_each_others_changes(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    a, b = QueryStore(path), QueryStore(path)
    a.add_recent("from a")
    b.add_recent("from b")
    a.save_view("A", "a")
    b.save_view("B", "b")
    # Each sees the other's writes without reopening.
    assert a.recent == b.recent == ["from b", "from a"]
    assert [v.name for v in a.views] == [v.name for v in b.views] == ["B", "A"]
    assert b.delete_view("A") is True and a.view("A") is None
    fresh = QueryStore(path)
    assert fresh.recent == ["from b", "from a"] and fresh.views == [View("B", "b")]


def _legacy(folder: Path, data: object) -> Path:
    path = folder / "queries.json"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_queries_json_is_imported_once_and_left_as_it_is(tmp_path: Path) -> None:
    legacy = _legacy(tmp_path, {"version": 1, "recent": ["new", "old"], "views": [{"name": "J", "query": "japan"}]})
    before = legacy.read_bytes()
    db = tmp_path / "db.sqlite3"
    with QueryStore(db, legacy) as store:
        assert store.recent == ["new", "old"] and store.views == [View("J", "japan")] and store.notice is None
        store.add_recent("newer")
        store.delete_view("J")
    assert legacy.read_bytes() == before  # the backup, untouched
    with QueryStore(db, legacy) as store:  # not imported a second time: the deleted view stays deleted
        assert store.recent == ["newer", "new", "old"] and store.views == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("queries")] == ["queries.json"]


def test_the_default_store_imports_the_users_queries_json(isolated_dirs: Path) -> None:
    _legacy(locations.data_dir(), {"version": 1, "recent": ["kept"], "views": [{"name": "V", "query": "v"}]})
    with QueryStore() as store:
        assert store.recent == ["kept"] and store.views == [View("V", "v")]


def test_a_queries_json_from_a_newer_version_is_imported_not_renamed(tmp_path: Path) -> None:
    data = {"version": 7, "recent": ["q"], "views": [{"name": "N", "query": "n", "colour": "red"}], "more": {}}
    legacy = _legacy(tmp_path, data)
    before = legacy.read_bytes()
    with QueryStore(tmp_path / "db.sqlite3", legacy) as store:
        assert store.views == [View("N", "n")] and store.recent == ["q"] and store.notice is None
    assert legacy.read_bytes() == before and [p.name for p in tmp_path.iterdir() if ".damaged" in p.name] == []


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b'["a list"]', b'{"version": 1, "recent": 5}'])
def test_an_unreadable_queries_json_is_said_once_and_never_touched(tmp_path: Path, content: bytes) -> None:
    legacy = tmp_path / "queries.json"
    legacy.write_bytes(content)
    db = tmp_path / "db.sqlite3"
    with QueryStore(db, legacy) as store:
        assert store.recent == [] and store.views == []
        assert store.notice is not None and "\n" not in store.notice and str(legacy) in store.notice
        store.add_recent("new")
    with QueryStore(db, legacy) as store:
        assert store.notice is None and store.recent == ["new"]
    assert legacy.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir())[-1] == "queries.json"


def test_a_fifo_named_queries_json_is_not_read(tmp_path: Path) -> None:
    legacy = tmp_path / "queries.json"
    os.mkfifo(legacy)
    with QueryStore(tmp_path / "db.sqlite3", legacy) as store:  # would hang for ever if it read the FIFO
        assert store.recent == [] and store.notice and "not a regular file" in store.notice


def test_odd_entries_are_skipped_not_fatal(tmp_path: Path) -> None:
    legacy = _legacy(
        tmp_path,
        {"version": 1, "recent": ["ok", 3, None, "ok", "\ud800x"], "views": [{"name": "v", "query": "q"}, {"x": 1}, "s"]},
    )
    store = QueryStore(tmp_path / "db.sqlite3", legacy)
    assert store.recent == ["ok", "\ufffdx"] and store.views == [View("v", "q")] and store.notice is None


def test_unwritable_folder_works_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        store = QueryStore(folder / "db.sqlite3")
        store.add_recent("japan")
        store.save_view("J", "japan")
        assert store.recent == ["japan"] and store.views == [View("J", "japan")]
        assert store.notice and "will not be kept" in store.notice
    finally:
        folder.chmod(0o700)


def test_a_newer_database_is_read_never_changed(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with QueryStore(path) as store:
        store.save_view("Old", "old")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    with QueryStore(path) as store:
        assert store.views == [View("Old", "old")] and not store.persistent
        assert store.notice and "newer version" in store.notice
        store.save_view("New", "new")
        assert [v.name for v in store.views] == ["New", "Old"]
    assert path.read_bytes() == before


def test_a_failed_write_goes_on_in_memory_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.sqlite3"
    store = QueryStore(path)
    store.add_recent("kept")
    real = store.write

    def full():  # noqa: ANN202
        if store.persistent:
            raise sqlite3.OperationalError("database or disk is full")
        return real()

    monkeypatch.setattr(store, "write", full)
    store.add_recent("lost")
    assert store.recent == ["lost", "kept"]  # this session still has it
    assert "will not be kept" in store.notice and "disk is full" in store.notice and not store.persistent
    assert QueryStore(path).recent == ["kept"]
