"""The bookmark store: identity, persistence, damage and concurrency."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core import locations
from tui.core.bookmarks import SCHEMA_VERSION, Bookmark, BookmarkStore, identity
from tui.core.model import Entry, Related

UTC = UTC
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_dirs_bookmarks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var, sub in (("XDG_DATA_HOME", "xdg-data"), ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_CONFIG_HOME", "xdg-config")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "home"))
    return tmp_path


def bm(key: str, minutes: int = 0, **kw: object) -> Bookmark:
    fields: dict[str, object] = dict(
        key=key,
        title=f"Title {key}",
        url=f"https://example.com/{key}",
        provider="Example",
        published=T0,
        path=f"news/{key}.md",
        added_at=T0 + timedelta(minutes=minutes),
    )
    fields.update(kw)
    return Bookmark(**fields)  # type: ignore[arg-type]


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
        "from tests.test_bookmarks import bm\n"
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


def _toggle_many(path: str, prefix: str, count: int, start: object, done: object) -> None:
    """Child: toggle *count* bookmarks, pausing a millisecond after every
    other one (a reader does not write back to back for ever); report when
    each toggle returned."""
    import time

    start.wait(60)  # type: ignore[attr-defined]  # a barrier: both children are ready
    store = BookmarkStore(Path(path))
    assert store.persistent and store.notice is None, store.notice
    returned = []
    for i in range(count):
        assert store.toggle(bm(f"{prefix}{i}", i)).bookmarked is True
        returned.append(time.time())
        if i % 2:
            time.sleep(0.001)
    store.close()
    done.put((prefix, returned))  # type: ignore[attr-defined]


def test_two_processes_toggling_500_each_keep_all_1000(tmp_path: Path) -> None:
    """Two reader processes toggle different bookmarks at the same time: their
    writes interleave (each waits for the other's transaction) and none is lost."""
    path = tmp_path / "shared" / "bookmarks.sqlite3"  # both processes create it
    ctx = multiprocessing.get_context("spawn")
    start, done = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_toggle_many, args=(str(path), p, 500, start, done)) for p in ("a", "b")]
    for p in procs:
        p.start()
    reports = [done.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    # At the same time: in the order the toggles returned, the writer changes
    # again and again (run one after the other, it would change once).
    order = [name for _, name in sorted((t, name) for name, times in reports for t in times)]
    switches = sum(1 for x, y in zip(order, order[1:], strict=False) if x != y)
    assert switches >= 50, f"the two writers hardly overlapped ({switches} switches)"
    with BookmarkStore(path) as store:
        keys = store.keys()
    assert len(keys) == 1000
    assert keys == {f"{p}{i}" for p in "ab" for i in range(500)}


def _open_fresh_stores(folder: str, rounds: int, start: object, done: object) -> None:
    """Child: in each round, open the round's not-yet-existing store at the
    same moment as the other children, and say what it got."""
    got = []
    for r in range(rounds):
        start.wait(60)  # type: ignore[attr-defined]
        store = BookmarkStore(Path(folder) / f"round{r}" / "bookmarks.sqlite3")
        got.append((store.persistent, store.notice))
        store.close()
    done.put(got)  # type: ignore[attr-defined]


def test_readers_starting_together_share_one_new_store(tmp_path: Path) -> None:
    """Four readers started at the same instant on a machine with no store yet:
    each one gets the same saved store. None takes the other's half-made file
    for a damaged one (moving it aside), or finds it locked and falls back to
    a store that saves nothing."""
    ctx = multiprocessing.get_context("spawn")
    rounds, count = 25, 4
    start, done = ctx.Barrier(count), ctx.Queue()
    procs = [ctx.Process(target=_open_fresh_stores, args=(str(tmp_path), rounds, start, done)) for _ in range(count)]
    for p in procs:
        p.start()
    results = [done.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * count
    assert [got for got in results if got != [(True, None)] * rounds] == []
    # Nothing moved aside, no temporary file left behind (SQLite's own -wal and
    # -shm stay when two readers close at the same moment: that is normal).
    names = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert names <= {"bookmarks.sqlite3", "bookmarks.sqlite3-wal", "bookmarks.sqlite3-shm"}


def _write_until_killed(path: str, round_no: int, out: int) -> None:
    """Child: write bookmarks (and reading state) as fast as it can, telling the
    parent each key only after the call that saved it has returned."""
    store = BookmarkStore(Path(path))
    with os.fdopen(out, "w", buffering=1) as pipe:
        for i in range(100_000):
            key = f"r{round_no}-{i}"
            if i % 3 == 2:
                store.set_details(bm(key, i), ("t", str(i)), "note " * i)
            else:
                store.add(bm(key, i))
            if i % 5 == 0:
                store.set_read([key])
            pipe.write(key + "\n")
            pipe.flush()
    os._exit(0)


def test_sigkill_while_writing_never_loses_a_returned_write(tmp_path: Path) -> None:
    """50 rounds: a process writing bookmarks is SIGKILLed at a random moment.
    The database always opens as it is (nothing moved aside) and holds every
    bookmark whose write had returned."""
    import random
    import select
    import signal
    import time

    path = tmp_path / "bookmarks.sqlite3"
    BookmarkStore(path).close()
    rng = random.Random(5)
    ctx = multiprocessing.get_context("fork")  # no interpreter start per round
    confirmed: set[str] = set()
    for round_no in range(50):
        read_end, write_end = os.pipe()
        proc = ctx.Process(target=_write_until_killed, args=(str(path), round_no, write_end))
        proc.start()
        os.close(write_end)
        want = rng.randint(0, 12)  # kill after this many returned writes, plus a random instant
        seen: list[str] = []
        buffer = b""
        deadline = time.monotonic() + 20
        while len(seen) < want and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 0.5)
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                seen += [line.decode() for line in lines]
        time.sleep(rng.random() * 0.004)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
        # Whatever the child confirmed before dying (still in the pipe) counts too.
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            buffer += chunk
        os.close(read_end)
        seen += [line.decode() for line in buffer.split(b"\n") if line]
        confirmed.update(seen)
        store = BookmarkStore(path)
        try:
            assert store.notice is None and store.persistent, store.notice
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            missing = confirmed - store.keys()
            assert not missing, f"round {round_no}: lost {sorted(missing)[:5]}"
        finally:
            store.close()
    assert len(confirmed) > 50
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


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


def test_the_list_fast_key_is_the_store_key(seeds) -> None:  # noqa: ANN001
    """The list marks rows with a fast key; it must equal the stored one."""
    from tui.core.bookmarks import entry_key
    from tui.core.collection import Collection

    entries = list(Collection.load([seeds]).entries)
    entries.append(Entry(path="x/untitled.md", title="(untitled)"))
    entries.append(Entry(path="x/no-url.md", title="No URL", ts=T0.timestamp()))
    for entry in entries:
        assert entry_key(entry) == Bookmark.from_entry(entry).key


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
