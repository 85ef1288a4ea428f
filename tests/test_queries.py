"""The store of recent queries and saved views (tui/core/queries.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.core import locations
from tui.core.queries import MAX_RECENT, QueryStore, View


def test_lives_in_the_user_data_folder(isolated_dirs: Path) -> None:
    store = QueryStore()
    store.add_recent("japan")
    assert store.path == locations.data_dir() / "queries.json"
    assert str(store.path).startswith(str(isolated_dirs))
    assert store.path.exists()


def test_recent_newest_first_once_each_and_persisted(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    store = QueryStore(path)
    for q in ["japan", "ibm export", "japan", "  ", "china\x1b[31m  rules"]:
        store.add_recent(q)
    assert store.recent == ["china [31m rules", "japan", "ibm export"]
    assert QueryStore(path).recent == store.recent


def test_recent_is_bounded(tmp_path: Path) -> None:
    store = QueryStore(tmp_path / "q.json")
    for i in range(MAX_RECENT + 20):
        store.add_recent(f"q{i}")
    assert len(QueryStore(tmp_path / "q.json").recent) == MAX_RECENT


def test_views_saved_replaced_deleted(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
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


def test_two_readers_keep_each_others_changes(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    a, b = QueryStore(path), QueryStore(path)
    a.add_recent("from a")
    b.add_recent("from b")
    a.save_view("A", "a")
    b.save_view("B", "b")
    fresh = QueryStore(path)
    assert fresh.recent == ["from b", "from a"]
    assert {v.name for v in fresh.views} == {"A", "B"}


def test_write_is_atomic_temp_fsync_replace_fsync_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "q.json"
    store = QueryStore(path)
    store.add_recent("first")
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])

    def replace(src, dst):  # noqa: ANN001
        calls.append("replace")
        assert Path(src).parent == path.parent and Path(src) != path
        assert json.loads(Path(src).read_text())["recent"][0] == "second"
        assert json.loads(path.read_text())["recent"] == ["first"]  # the old file whole until the rename
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    store.add_recent("second")
    assert calls == ["fsync", "replace", "fsync"]  # the data, the rename, then the folder (the rename durable)
    assert [p.name for p in tmp_path.iterdir()] == ["q.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "q.json"
    store = QueryStore(path)
    store.add_recent("kept")

    def broken(src, dst):  # noqa: ANN001
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    store.add_recent("lost")
    assert store.recent[0] == "lost"  # this session still has it
    assert "will not be kept" in store.notice and "No space left" in store.notice
    assert QueryStore(path).recent == ["kept"]
    assert [p.name for p in tmp_path.iterdir()] == ["q.json"]


@pytest.mark.parametrize(
    "content", [b"{not json", b"\xff\xfe\x00garbage", b'["a list"]', b'{"version": 99, "recent": []}', b'{"version": 1, "recent": 5}']
)
def test_a_damaged_file_is_moved_aside_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "q.json"
    path.write_bytes(content)
    store = QueryStore(path)
    assert store.recent == [] and store.views == []
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("q.json.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert store.notice is not None and "\n" not in store.notice and str(aside[0]) in store.notice
    store.add_recent("new")
    assert QueryStore(path).recent == ["new"]
    assert aside[0].read_bytes() == content


def test_odd_entries_are_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"version": 1, "recent": ["ok", 3, None, "ok"], "views": [{"name": "v", "query": "q"}, {"x": 1}, "s"]}))
    store = QueryStore(path)
    assert store.recent == ["ok"] and store.views == [View("v", "q")] and store.notice is None


def test_unwritable_folder_works_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        store = QueryStore(folder / "q.json")
        store.add_recent("japan")
        store.save_view("J", "japan")
        assert store.recent == ["japan"] and store.views == [View("J", "japan")]
        assert store.notice and "will not be kept" in store.notice
    finally:
        folder.chmod(0o700)
