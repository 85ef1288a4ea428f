"""The search engine alone, in-process: keystroke to results, and long queries.

    python benchmarks/bench_search.py [COLLECTION] [--count 50000]
    python benchmarks/bench_search.py COLLECTION --engine index [--home DIR]

With ``--engine index`` it measures the on-disk index instead
(``Catalog.search``, what the jump box asks at a million articles): the
index of COLLECTION is brought up to date first (in the private user
folder, or in ``--home DIR``'s when given: an index already built there is
used as it is), then each keystroke of the typed queries below, and of
facet-only and negated queries, is timed from the query to the first 50
hits and their count up to 1,000 ("1,000+"), then (apart: a background
worker's job) the count up to 10,000 (see ``SearchResult.counted``).

Loads the collection (warm cache, a private user folder), builds the word
index once, then prints p50 / p95 of ``SearchIndex.search(prefix, limit=50)``
(what the jump box asks for on each keystroke; target p95 < 30 ms at 50,000):

* typing 40 queries letter by letter, the same queries as
  ``bench_ui.py`` (one to three title words);
* typing 20 longer queries (four to eight title words, a remembered title);
* pasted queries of 12, 20, 33 and 200 words (titles run together), each
  searched once from a cold cache: before this engine's ranking became
  polynomial the 20-word one took seconds and the 33-word one did not end,
  so those are skipped on an engine without ``SearchIndex.results``.

With ``SearchIndex.results`` (the lazy, counted result) it also prints the
true number of full and partial matches of a few queries and the time to
count them and to read their 1,000th hit.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_args, collection_from, warm_home  # noqa: E402


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def ms(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:6.1f} ms   p95 {p95(values) * 1000:6.1f} ms   max {max(values) * 1000:6.1f} ms"


def typed(index: object, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        for i in range(1, len(query) + 1):
            started = time.perf_counter()
            index.search(query[:i], limit=50)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - started)
    return times


def run(root: Path) -> None:
    from tui.core.collection import Collection
    from tui.core.search import SearchIndex

    started = time.perf_counter()
    entries = Collection.load([root]).entries
    index = SearchIndex(entries)
    print(f"{len(entries):,} articles; loaded and indexed in {time.perf_counter() - started:.1f} s")
    rng = random.Random(1)
    short = []
    for _ in range(40):  # as bench_ui.py
        title = entries[rng.randrange(len(entries))].title.lower().split()
        short.append(" ".join(title[: rng.randint(1, 3)]))
    rng = random.Random(2)
    longer = []
    for _ in range(20):
        title = entries[rng.randrange(len(entries))].title.lower().split()
        longer.append(" ".join(title[: rng.randint(4, 8)]))
    times = typed(index, short)
    print(f"typing 1-3 words ({len(times)} keystrokes)    {ms(times)}   (target p95 < 30 ms)")
    times = typed(index, longer)
    print(f"typing 4-8 words ({len(times)} keystrokes)    {ms(times)}")
    counted = hasattr(SearchIndex, "results")
    pool = " ".join(entries[rng.randrange(len(entries))].title for _ in range(60)).split()
    for n in (12, 20, 33, 200):
        if n > 12 and not counted:
            print(f"pasted {n:>3} words: skipped (exponential in the number of words before the bounded ranking)")
            continue
        index = SearchIndex(entries)  # cold: no word scored yet
        started = time.perf_counter()
        index.search(" ".join(pool[:n]), limit=50)
        print(f"pasted {n:>3} words, cold: {(time.perf_counter() - started) * 1000:8.1f} ms")
    if counted:
        for query in ("ai", "facial recog", "fake faces", "robots europe funding"):
            started = time.perf_counter()
            result = index.results(query)  # type: ignore[attr-defined]
            full, partial = result.full, result.partial
            counting = time.perf_counter() - started
            started = time.perf_counter()
            if len(result) > 1000:
                result[1000]  # noqa: B018
            deep = time.perf_counter() - started
            print(
                f"{query!r:>26}: {full:>6,} full, {partial:>6,} partial; counted in {counting * 1000:6.1f} ms,"
                f" hit 1,000 read in {deep * 1000:6.1f} ms"
            )


KEYSTROKE_CAP = 1000  # the count a keystroke waits for ("1,000+"); up to COUNT_CAP in the background


def keystrokes(catalog: object, queries: list[str], whole: bool = False) -> tuple[list[float], list[float]]:
    """Per keystroke (or per query when ``whole``): query -> first 50 hits and
    their count up to KEYSTROKE_CAP; then (second list) the count up to
    COUNT_CAP ("10,000+"), what a background worker would do."""
    from tui.core.results import COUNT_CAP

    times, later = [], []
    for query in queries:
        for i in range(len(query) if whole else 1, len(query) + 1):
            started = time.perf_counter()
            found = catalog.search(query[:i])  # type: ignore[attr-defined]
            found[:50]  # noqa: B018
            found.counted(KEYSTROKE_CAP)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            found.counted(COUNT_CAP)
            later.append(time.perf_counter() - started)
    return times, later


FACETED = ["topic:ai", "topic:robotics", "provider:forbes", "-robot", "robot -ai", "!ai", "ai !topic:ai",
           "after:2024", "before:2020 robot", "topic:ai provider:wired", "-topic:ai", "'face", "^the", "drone$"]


def run_index(root: Path) -> None:
    from tui.core.catalog.catalog import Catalog

    started = time.perf_counter()
    catalog = Catalog.open([root], update="quick")
    n = len(catalog)
    print(f"{n:,} articles; index opened (quick update) in {time.perf_counter() - started:.1f} s")
    rng = random.Random(1)

    def title() -> list[str]:
        while True:
            entry = catalog.entry(rng.randrange(1, n + 1))
            if entry is not None:
                return entry.title.lower().split()

    short = [" ".join(title()[: rng.randint(1, 3)]) for _ in range(40)]
    rng = random.Random(2)
    longer = [" ".join(title()[: rng.randint(4, 8)]) for _ in range(20)]
    keystrokes(catalog, short[:3])  # the first touches of the file's pages
    for label, queries, whole in (("typing 1-3 words", short, False), ("typing 4-8 words", longer, False), ("facets, negations", FACETED, True)):
        times, later = keystrokes(catalog, queries, whole)
        print(f"{label} ({len(times)} queries): first 50 + count to {KEYSTROKE_CAP:,}: {ms(times)}   (target p95 < 30 ms)")
        print(f"{'':>{len(label)}}   then the count to 10,000 (background): {ms(later)}")
    for query in FACETED:
        started = time.perf_counter()
        found = catalog.search(query)
        found[:50]  # noqa: B018
        full, partial, exact = found.counted(KEYSTROKE_CAP)
        took = time.perf_counter() - started
        more = "+" if full >= KEYSTROKE_CAP else ""
        shown = f"{full:,}{more} full, " + ("partial not counted" if partial is None else f"{partial:,}{'' if exact else '+'} partial")
        print(f"{query!r:>24}: {shown:<32} first 50 and count in {took * 1000:6.1f} ms")


def main() -> int:
    parser_args = collection_args(__doc__, 50_000)
    root = collection_from(parser_args)
    if parser_args.engine == "index":
        import contextlib
        import os

        if parser_args.home:
            os.environ["TUI_READER_HOME"] = parser_args.home
        with warm_home(root) if not parser_args.home else contextlib.nullcontext():
            print(f"collection: {root} (on-disk index)")
            run_index(root)
        return 0
    with warm_home(root):
        print(f"collection: {root}")
        run(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
