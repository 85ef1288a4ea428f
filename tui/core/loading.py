"""Loading a collection as a series of stages, for a thread to hand to the UI.

:func:`load_stages` follows an :class:`~tui.core.index.IndexJob` and yields
what the reader can show at each point, in order:

1. :class:`Partial`: last run's first screen (before the index is checked),
   then the articles read so far, spaced so the rebuilds stay a small share
   of the work; :class:`Progress` in between;
2. :class:`Loaded` (or :class:`Failed`): every article;
3. :class:`Identified`: the identity of every article, the unread count,
   the lookup by identity (and the bookmarks re-linked to moved files);
4. :class:`Searchable`: the search index and the facet values;
5. :class:`RelatedBuilt`: backlinks and story groups.

Everything slow (building lookups, sorting, the search index, the graph)
happens in the generator, so the thread that runs it only posts each stage
and the UI thread only swaps things in. :func:`reload_stages` does the same
for one file read again after an edit. No Textual here: the UI's worker
(``MainScreen.load``) wraps each stage in a message.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.bookmarks import BookmarkStore, entry_key
from tui.core.collection import Collection
from tui.core.graph import Graph
from tui.core.index import FIRST_SCREEN_ROWS, IndexJob
from tui.core.memory import release_memory
from tui.core.model import Article, Entry, LoadIssue
from tui.core.query import facet_values
from tui.core.search import SearchIndex

FIRST_INTERVAL = 0.3  # seconds between two partial collections at first
REBUILD_SHARE = 5  # ... later, this many times what the last rebuild took: rebuilds stay a fifth of the time


@dataclass
class Progress:
    """Files read so far, of how many (no new articles to show)."""

    done: int
    total: int


@dataclass
class Partial:
    """Part of the collection, sorted; ``first_screen``: last run's first
    rows (``total`` is then the size of the whole collection last time)."""

    collection: Collection
    done: int
    total: int
    first_screen: bool = False


@dataclass
class Loaded:
    """The whole collection, sorted."""

    collection: Collection


@dataclass
class Failed:
    error: str


@dataclass
class Identified:
    """The identities of a loaded collection (computed against the read set of ``read_version``)."""

    collection: Collection
    counts: Counter[str]  # identity -> how many articles have it
    by_identity: dict[str, Entry]  # identity -> the first article with it
    unread: int
    read_version: int
    identities: list[str]  # the identity of each entry, in order


@dataclass
class Searchable:
    """The search index; ``collection``: only for this collection (a reload's)."""

    index: SearchIndex
    values: dict[str, list[str]]  # facet values, for completion
    collection: Collection | None = None


@dataclass
class RelatedBuilt:
    """Backlinks and story groups."""

    collection: Collection
    graph: Graph


@dataclass
class Reloaded:
    """A file read again after an edit: its new entry (or why it cannot be
    read), the collection it was made from and the one made with it."""

    old: Entry
    new: Entry | LoadIssue
    source: Collection | None
    updated: Collection | None


Stage = Progress | Partial | Loaded | Failed | Identified | Searchable | RelatedBuilt | Reloaded


def load_stages(
    job: IndexJob,
    roots: Sequence[Path],
    *,
    sort: Callable[[], str],
    read_snapshot: Callable[[], tuple[int, set[str]]],
    store: BookmarkStore,
    first_screen_shown: Callable[[], bool] = lambda: False,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Stage]:
    """The stages of loading the collection ``job`` indexes (see the module).

    ``sort`` and ``read_snapshot`` are asked when needed (the person may sort
    or read meanwhile); ``first_screen_shown``: the UI painted last run's
    rows itself before this started; ``cancelled``: stop (the job too).
    After a :class:`Partial` with ``first_screen``, the caller lets the job
    go on (``job.go()``) once those rows are painted.
    """
    roots = list(roots)
    seen, pushed_at, pushed_count = -1, 0.0, -1
    interval = FIRST_INTERVAL
    first_screen = True
    while True:
        if cancelled():
            job.cancel()
            return
        seen, entries, issues, (done, total), finished = job.wait(seen, 0.25)
        if finished:
            break
        if first_screen and first_screen_shown():
            first_screen = False
            pushed_count = 0  # those rows stay until the index has entries to show
        if first_screen and job.first_screen is not None and not entries and not issues:
            first_screen = False
            if job.first_screen.sort == sort():
                yield Partial(Collection(roots, job.first_screen.entries), 0, job.first_screen.total, first_screen=True)
                pushed_count = 0  # these rows stay until the index has entries to show
            else:
                job.go()
            continue
        now = time.monotonic()
        count = len(entries) + len(issues)
        # The first rows go out at once; after that, updates are spaced so
        # rebuilding the lookups and the sort (which grows with the
        # collection) takes at most a fifth of the time.
        if count != pushed_count and (pushed_count <= 0 or now - pushed_at >= interval):
            partial = Collection(roots, entries, issues, lazy_titles=False)
            partial.order(sort())
            interval = max(FIRST_INTERVAL, REBUILD_SHARE * (time.monotonic() - now))
            pushed_at, pushed_count = now, count
            yield Partial(partial, done, total)
        elif pushed_count >= 0:
            yield Progress(done, total)
    if job.error is not None or job.result is None:
        yield Failed(str(job.error))
        return
    collection = Collection(roots, job.result.entries, job.result.issues, lazy_titles=False)
    collection.stats = job.result.stats
    shown_sort = sort()
    order = collection.order(shown_sort)
    yield Loaded(collection)
    job.result.save_first_screen(shown_sort, [collection.entries[i] for i in order[:FIRST_SCREEN_ROWS]])
    job.result.records = {}  # only the first screen needed them: ~15 MB at 50,000 articles
    yield from after_loaded(collection, read_snapshot=read_snapshot, store=store, cancelled=cancelled)


def after_loaded(
    collection: Collection,
    *,
    read_snapshot: Callable[[], tuple[int, set[str]]],
    store: BookmarkStore,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Identified | Searchable | RelatedBuilt]:
    """The stages that follow a whole collection (after :class:`Loaded`, or
    a collection changed in place by :mod:`tui.core.follow`): identities,
    search index, related-stories graph, each for this collection only."""
    # Identities of every entry, here off the UI thread (~0.3 s at 50,000
    # articles, benchmarks/bench_reading.py): the unread count, the lookup by
    # identity and the bookmarks' re-linking all come from them.
    version, read = read_snapshot()
    entries = collection.entries
    identities = [entry_key(entry) for entry in entries]
    counts = Counter(identities)
    unread = sum(n for identity, n in counts.items() if identity not in read)
    by_identity = dict(zip(reversed(identities), reversed(entries), strict=True))
    try:
        store.relink(dict(zip(identities, (os.path.abspath(e.path) for e in entries), strict=True)))
    except sqlite3.Error:
        pass  # tried again next start; the bookmarks view finds it by identity meanwhile
    if not cancelled():
        yield Identified(collection, counts, by_identity, unread, version, identities)
    yield Searchable(SearchIndex(collection.entries), facet_values(collection.entries), collection)
    if cancelled():
        return
    # The related-stories graph: title index, backlinks, story groups
    # (about a second at 50,000 articles, benchmarks/bench_graph.py).
    collection.prepare()
    titles = collection.title_index()
    graph = Graph.build(collection.entries, collection.ref_targets(), titles.keys if titles else None)
    release_memory()  # the builds' temporary tables, back to the system
    if not cancelled():
        yield RelatedBuilt(collection, graph)


def reload_stages(entry: Entry, collection: Collection | None, sort: str) -> Iterator[Reloaded | Searchable]:
    """One file read again after an edit: its entry in a new collection, then
    that collection's search index (re-sorting 50,000 articles takes a moment)."""
    article = load_article(entry.path)
    if isinstance(article, LoadIssue):
        yield Reloaded(entry, article, None, None)
        return
    new = article.to_entry()
    updated = collection.with_entry(entry.path, new) if collection is not None else None
    if updated is not None:
        updated.order(sort)
    yield Reloaded(entry, new, collection, updated)
    if updated is not None:
        yield Searchable(SearchIndex(updated.entries), facet_values(updated.entries), updated)


def load_article(path: str) -> Article | LoadIssue:
    """One article file, whole (its body too), or why it cannot be read."""
    # Imported on first use: the YAML parser is not needed for the first paint.
    from tui.core.loader import read_article

    return read_article(path)
