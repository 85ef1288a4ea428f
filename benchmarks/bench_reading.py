"""What reading state and bookmarks cost on a large collection.

    python benchmarks/bench_reading.py [COLLECTION] [--count 50000]

Prints, for the collection's entries:

* the identities of every entry and the unread count: done once per load,
  in the loading thread (never per key);
* re-linking 1,000 bookmarks against every entry (same thread, once per load);
* loading the read set at start with every article read;
* what a cursor move adds on the UI thread: the identity of the visible rows
  (two set lookups each) and (un)reading one article (a set and a counter);
* one reading-state write (made in a thread) and one bookmark toggle.

Uses a throw-away store; tests never assert these timings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import collection_from  # noqa: E402

from tui.core.bookmarks import Bookmark, BookmarkStore, entry_key  # noqa: E402
from tui.core.collection import Collection  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    args = parser.parse_args()
    root = collection_from(args)
    collection = Collection.load([root])
    entries = collection.entries
    print(f"{len(entries):,} articles in {root}")

    t = time.perf_counter()
    keys = [entry_key(e) for e in entries]
    counts = Counter(keys)
    unread = sum(n for k, n in counts.items() if k not in set())
    print(f"identities + unread count, once per load (thread): {ms(time.perf_counter() - t)} ({unread:,} unread)")

    with tempfile.TemporaryDirectory() as home:
        store = BookmarkStore(Path(home) / "b.sqlite3")
        now = datetime.now(UTC)
        marks = [Bookmark(k, "t", "", "", None, "/old/" + str(i), now) for i, k in enumerate(keys[:1000])]
        store.merge(marks)
        t = time.perf_counter()
        found = dict(zip(keys, (e.path for e in entries), strict=True))
        moved = store.relink(found)
        print(
            f"re-link 1,000 bookmarks against every entry, once per load (thread): {ms(time.perf_counter() - t)} ({moved:,} moved)"
        )

        store.set_read(keys)
        t = time.perf_counter()
        read = store.read_keys()
        print(f"read set at start, {len(read):,} read: {ms(time.perf_counter() - t)}")

        visible = entries[:40]
        runs = []
        for _ in range(200):
            t = time.perf_counter()
            for e in visible:
                k = entry_key(e)
                _ = k in read, k in read
            runs.append(time.perf_counter() - t)
        print(f"UI thread per paint, 40 visible rows read/marked: p50 {ms(statistics.median(runs))}")

        t = time.perf_counter()
        for k in keys[:1000]:
            read.discard(k)
            unread += counts[k]
        print(f"UI thread per (un)read: {ms((time.perf_counter() - t) / 1000)} (set + counter, no walk of the list)")

        writes = []
        for k in keys[:50]:
            t = time.perf_counter()
            store.set_read([k], False)
            writes.append(time.perf_counter() - t)
        writes.sort()
        print(
            f"one reading-state write (in a thread): p50 {ms(writes[len(writes) // 2])}, p95 {ms(writes[int(len(writes) * 0.95)])}"
        )
        toggles = []
        for i in range(50):
            t = time.perf_counter()
            store.toggle(Bookmark(f"bench{i}", "t", "", "", None, None, now))
            toggles.append(time.perf_counter() - t)
        toggles.sort()
        print(f"one bookmark toggle (b): p50 {ms(toggles[len(toggles) // 2])}, p95 {ms(toggles[int(len(toggles) * 0.95)])}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
