"""The bookmark store shared by processes: two writing at once, readers
starting together on a new store, a writer killed at any moment."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from tests.helpers import bm
from tui.core.bookmarks import BookmarkStore

pytestmark = pytest.mark.usefixtures("bookmark_home")  # the store's files under tmp_path

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
