"""The bookmark store when its file is damaged or cannot be written: a
damaged database moved aside byte for byte, a newer or older schema,
read-only folders and file systems, a check made ahead of the store."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.helpers import bm
from tui.core import locations
from tui.core.bookmarks import SCHEMA_VERSION, BookmarkStore

pytestmark = pytest.mark.usefixtures("bookmark_home")  # the store's files under tmp_path

def _damaged_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".damaged-" in p.name)


def test_garbage_file_is_moved_aside_byte_for_byte(tmp_path: Path) -> None:
    path = locations.bookmarks_db()
    path.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"stale wal")
    store = BookmarkStore()
    (aside,) = [p for p in _damaged_files(path.parent) if not p.name.endswith("-wal")]
    assert aside.read_bytes() == garbage
    assert Path(f"{aside}-wal").read_bytes() == b"stale wal"
    assert aside.name.startswith("bookmarks.sqlite3.damaged-")
    assert store.notice and str(aside) in store.notice and "\n" not in store.notice
    assert store.persistent and store.all() == []
    store.add(bm("fresh"))
    store.close()
    with BookmarkStore() as again:
        assert again.notice is None and again.keys() == {"fresh"}


def test_malformed_database_is_moved_aside_with_its_wal(tmp_path: Path) -> None:
    source = tmp_path / "src" / "bookmarks.sqlite3"
    path = tmp_path / "db" / "bookmarks.sqlite3"
    path.parent.mkdir()
    with BookmarkStore(source) as store:
        rows = [BookmarkStore._row(bm(f"k{i}", note="x" * 200)) for i in range(1500)]
        store.conn.execute("BEGIN")
        store.conn.executemany(BookmarkStore._UPSERT, rows)
        store.conn.execute("COMMIT")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.add(bm("only-in-wal"))
        # A snapshot with committed data still in the WAL (as after a crash).
        wal = Path(f"{source}-wal").read_bytes()
        data = bytearray(source.read_bytes())
    assert wal
    data[4096 * 3 : 4096 * 8] = b"\xff" * (4096 * 5)
    path.write_bytes(bytes(data))
    Path(f"{path}-wal").write_bytes(wal)
    store = BookmarkStore(path)
    (aside,) = [p for p in _damaged_files(path.parent) if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == bytes(data)
    assert Path(f"{aside}-wal").read_bytes() == wal
    assert store.notice and str(aside) in store.notice
    assert store.keys() == set()
    store.close()


def test_newer_schema_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.add(bm("old"))
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    store = BookmarkStore(path)
    assert store.notice and "newer version" in store.notice
    assert not store.persistent and store.keys() == {"old"}
    store.add(bm("new"))
    assert store.keys() == {"old", "new"}
    store.close()
    assert path.read_bytes() == before


def test_uncreatable_location_works_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = BookmarkStore(blocker / "data" / "bookmarks.sqlite3")
    assert store.notice and store.notice.startswith("Bookmarks will not be saved")
    assert not store.persistent
    assert store.toggle(bm("m")).bookmarked is True and store.keys() == {"m"}
    store.close()


def test_read_only_directory_works_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with BookmarkStore(folder / "bookmarks.sqlite3") as store:
        store.add(bm("kept"))
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("chmod does not stop writes here (running as root?)")
        # An existing database in a read-only folder: readable, not saved.
        store = BookmarkStore(folder / "bookmarks.sqlite3")
        assert store.notice and "will not be saved" in store.notice and not store.persistent
        assert "kept" in store.keys()
        assert store.toggle(bm("new")).bookmarked is True and store.contains("new")
        store.close()
        # No database yet, and it cannot be created.
        store = BookmarkStore(folder / "sub" / "bookmarks.sqlite3")
        assert store.notice and not store.persistent
        store.add(bm("x"))
        assert store.keys() == {"x"}
        store.close()
    finally:
        folder.chmod(stat.S_IRWXU)


def _read_only_mount(folder: Path) -> list[str] | None:
    """A command prefix that runs its command with *folder* mounted read-only
    (a private mount namespace: works as root, where chmod stops nothing),
    or None where this machine does not allow it."""
    import shutil
    import subprocess

    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && ! touch "{folder}/probe" 2>/dev/null'
    for prefix in ([unshare, "-m"], [unshare, "-rm"]):
        try:
            done = subprocess.run([*prefix, "sh", "-c", probe], capture_output=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    return None


def test_read_only_file_system_for_real(tmp_path: Path) -> None:
    """The data folder on a read-only mount (EROFS, which stops root too): the
    store reads what is there, keeps changes in memory and says why in one
    line; the command line changes nothing and says so in one line."""
    import json
    import subprocess
    import sys

    folder = locations.bookmarks_db().parent  # what the command line opens too
    with BookmarkStore(folder / "bookmarks.sqlite3") as store:
        store.add(bm("kept"))
    before = (folder / "bookmarks.sqlite3").read_bytes()
    prefix = _read_only_mount(folder)
    if prefix is None:
        pytest.skip("no read-only mount here (unshare -m not allowed)")
    root = Path(__file__).resolve().parent.parent
    seed = root / "seeds" / "000_0c7c719d9a70dd46.txt"
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from tests.helpers import bm\n"
        "from tui.core.bookmarks import BookmarkStore\n"
        "from tui.cli import main\n"
        f"store = BookmarkStore(Path({str(folder / 'bookmarks.sqlite3')!r}))\n"
        "before = sorted(store.keys())\n"
        "toggled = store.toggle(bm('new')).bookmarked\n"
        "print(json.dumps([store.notice, store.persistent, before, toggled, sorted(store.keys())]))\n"
        "store.close()\n"
        "sys.stdout.flush()\n"
        f"sys.exit(main(['bookmarks', 'add', {str(seed)!r}]))\n"
    )
    shell = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && exec "$0" -c "$1"'
    env = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run(
        [*prefix, "sh", "-c", shell, sys.executable, script], capture_output=True, text=True, timeout=60, env=env, cwd=root
    )
    out = done.stdout.splitlines()
    notice, persistent, seen, toggled, after = json.loads(out[0])
    assert notice.startswith("Bookmarks will not be saved: cannot open ") and "read" in notice and "\n" not in notice
    assert not persistent and seen == ["kept"] and toggled and after == ["kept", "new"]
    # The command line: nothing was changed, one line says so, status 1.
    assert done.returncode == 1 and out[1:] == []
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("tui-reader: error: Bookmarks will not be saved")
    assert done.stderr.rstrip().endswith("Nothing was changed.")
    assert (folder / "bookmarks.sqlite3").read_bytes() == before
    with BookmarkStore(folder / "bookmarks.sqlite3") as store:
        assert store.keys() == {"kept"}


def test_schema_1_database_is_migrated_keeping_every_bookmark(tmp_path: Path) -> None:
    from tui.core.bookmarks import _COLUMNS, _migrate_1

    path = tmp_path / "bookmarks.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    _migrate_1(conn)
    rows = [BookmarkStore._row(bm(f"old{i}", i, tags=("x",), note=f"note {i}")) for i in range(20)]
    conn.executemany("INSERT INTO bookmarks (" + ", ".join(_COLUMNS) + ") VALUES (" + ", ".join("?" * 10) + ")", rows)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with BookmarkStore(path) as store:
        assert store.notice is None and store.persistent
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert len(store) == 20 and store.get("old7") == bm("old7", 7, tags=("x",), note="note 7")
        store.set_read(["old1"])
        assert store.read_keys() == {"old1"}
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


def test_damaged_database_is_moved_aside_with_a_timestamp_and_a_new_store_starts(tmp_path: Path) -> None:
    import re

    path = tmp_path / "data" / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.add(bm("precious"))
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\x00garbage" * 399 + b"\x00" * 5  # the header page is ruined
    path.write_bytes(bytes(data))
    store = BookmarkStore(path)
    (aside,) = [p for p in path.parent.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert re.fullmatch(r"bookmarks\.sqlite3\.damaged-\d{8}-\d{6}(-\d+)?", aside.name)
    assert aside.read_bytes() == bytes(data)  # never overwritten
    assert store.notice is not None and "\n" not in store.notice and str(aside) in store.notice
    assert store.persistent and len(store) == 0
    store.add(bm("fresh"))
    store.close()
    assert aside.read_bytes() == bytes(data)


def test_unwritable_existing_database_is_read_and_the_reason_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only data folder (simulated: chmod does not stop root): the
    bookmarks there are shown, nothing is written, one line says why."""
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.add(bm("kept"))
    before = path.read_bytes()

    def readonly(self: BookmarkStore) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(BookmarkStore, "_open_file", readonly)
    store = BookmarkStore(path)
    assert store.notice == f"Bookmarks will not be saved: cannot open {path} (attempt to write a readonly database)."
    assert not store.persistent and store.keys() == {"kept"}
    store.toggle(bm("new"))
    store.set_read(["kept"])
    assert store.keys() == {"kept", "new"} and store.read_keys() == {"kept"}
    store.close()
    assert path.read_bytes() == before


def test_a_check_made_ahead_never_passes_a_damaged_file(tmp_path: Path) -> None:
    """A big collection's start checks the user database in a thread ahead
    of the store (tui/core/opening.py): a damaged file is still moved aside,
    and so is one damaged after that check; a sound one opens as it was."""
    from tui.core import userdb

    path = locations.bookmarks_db()
    with BookmarkStore() as store:
        store.conn.execute("BEGIN")
        store.conn.executemany(BookmarkStore._UPSERT, [BookmarkStore._row(bm(f"k{i}", note="x" * 200)) for i in range(1500)])
        store.conn.execute("COMMIT")
    assert userdb.check_ahead(path)
    with BookmarkStore() as store:  # unchanged since: its check is not made twice
        assert store.notice is None and len(store.keys()) == 1500
    userdb.check_ahead(path)
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 8] = b"\xff" * (4096 * 5)  # damaged after the check (found by its check alone)
    before = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))  # (the clock's grain aside: written later)
    store = BookmarkStore()
    assert store.notice and ".damaged-" in store.notice and store.keys() == set()
    store.close()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(bytes(range(256)) * 64)
    assert not userdb.check_ahead(garbage)  # never raises, never passes it
    store = BookmarkStore(garbage)
    assert store.notice and ".damaged-" in store.notice
    store.close()
