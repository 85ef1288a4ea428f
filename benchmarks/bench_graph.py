#!/usr/bin/env python3
"""The related-stories graph at scale: building it, and each lookup.

    python benchmarks/bench_graph.py [COLLECTION] [--count 50000]
    python benchmarks/bench_graph.py COLLECTION --engine index [--home DIR]

With ``--engine index``: the same look-ups on the on-disk index (what the
sidebar asks at a million articles; target p95 < 16 ms): backlinks
(``Catalog.citing``), related entries resolved (by URL, else by title),
by title alone, more like this, versions; p50 / p95 over 300 random
articles. The index is updated first (``--home DIR``: the one there, as it is).

Loads the collection (through the index cache), then prints

* the cost of what is built once per collection, off the UI thread: the
  title index, the search index (already built by the reader for search),
  the backlinks and the story groups;
* "more like this" for 300 random articles: p50 / p95 (target < 50 ms);
* resolving every related entry of 300 random articles (URL, then title):
  p50 / p95 per entry;
* how many backlinks and story groups there are, and the memory they take.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_from  # noqa: E402

from tui.core.collection import Collection  # noqa: E402
from tui.core.graph import Graph, more_like_this  # noqa: E402
from tui.core.loader import read_article  # noqa: E402
from tui.core.model import Article  # noqa: E402
from tui.core.search import SearchIndex  # noqa: E402


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) >= 100 else max(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50000)
    parser.add_argument("--engine", choices=("memory", "index"), default="memory")
    parser.add_argument("--home", help="the user folder whose index is used (--engine index)")
    args = parser.parse_args()
    root = collection_from(args)
    if args.engine == "index":
        return run_index(root, args.home)
    t = time.perf_counter()
    collection = Collection.load([root])
    print(f"{len(collection):,} articles loaded in {time.perf_counter() - t:.2f} s ({root})")

    t = time.perf_counter()
    collection.prepare()
    titles_s = time.perf_counter() - t
    t = time.perf_counter()
    search = SearchIndex(collection.entries)
    search_s = time.perf_counter() - t
    titles = collection.title_index()
    assert titles is not None
    graph = Graph.build(collection.entries, collection.ref_targets(), titles.keys)
    # Memory, measured apart (tracing slows everything down): what each keeps.
    tracemalloc.start()
    kept = Collection(collection.roots, collection.entries).prepare()
    titles_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    tracemalloc.start()
    kept_graph = Graph.build(collection.entries, collection.ref_targets(), titles.keys)
    graph_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del kept, kept_graph
    print(f"title index: {titles_s * 1000:.0f} ms, {titles_mb:.1f} MB (with the collection's own lookups)")
    print(f"search index (built by the reader anyway): {search_s * 1000:.0f} ms")
    cited = sum(len(v) for v in graph.cited_by.values())
    grouped = sum(len(g) for g in graph.groups)
    print(
        f"graph: {graph.seconds * 1000:.0f} ms, {graph_mb:.1f} MB: {cited:,} backlinks to {len(graph.cited_by):,} articles;"
        f" {len(graph.groups):,} stories told {grouped:,} times"
    )

    rng = random.Random(0)
    sample = rng.sample(range(len(collection)), min(300, len(collection)))
    times = []
    for i in sample:
        t = time.perf_counter()
        more_like_this(search, i)
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"more like this: p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, max {max(times):.1f} ms (target < 50 ms)"
    )

    times = []
    found = total = 0
    for i in sample:
        article = read_article(collection.entries[i].path)
        if not isinstance(article, Article):
            continue
        for related in article.related:
            t = time.perf_counter()
            hit = collection.resolve(related)
            times.append((time.perf_counter() - t) * 1000)
            total += 1
            found += hit is not None
    if times:
        print(
            f"resolve a related entry: p50 {statistics.median(times):.2f} ms, p95 {pct(times, 95):.2f} ms ({found}/{total} in the collection)"
        )
    return 0


def run_index(root: Path, home: str | None) -> int:
    import os

    if home:
        os.environ["TUI_READER_HOME"] = home
    from tui.core.catalog.catalog import Catalog

    catalog = Catalog.open([root], update="quick")
    n = len(catalog)
    rng = random.Random(0)
    sample = [i for i in (rng.randrange(1, n + 1) for _ in range(300)) if catalog.entry(i) is not None]
    times: dict[str, list[float]] = {k: [] for k in ("backlinks", "related (URL, else title)", "related by title", "more like this", "versions")}
    for i in sample:
        entry = catalog.entry(i)
        article = read_article(entry.path)
        for label, call in (("backlinks", lambda i=i: catalog.citing(i)), ("more like this", lambda i=i: catalog.more_like_this(i)), ("versions", lambda i=i: catalog.versions(i))):
            t = time.perf_counter()
            call()
            times[label].append((time.perf_counter() - t) * 1000)
        for related in article.related if isinstance(article, Article) else ():
            for label, by_url in (("related (URL, else title)", True), ("related by title", False)):
                t = time.perf_counter()
                catalog.resolve(related, by_url=by_url)
                times[label].append((time.perf_counter() - t) * 1000)
    print(f"{n:,} articles, {len(sample)} random ones (on-disk index: {root})")
    for label, values in times.items():
        if values:
            print(f"{label:>26}: p50 {statistics.median(values):6.2f} ms, p95 {pct(values, 95):6.2f} ms, max {max(values):7.1f} ms (target p95 < 16 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
