"""The reading session: what the reader shows and keeps, without Textual.

One :class:`ReadingSession` per open collection holds

* the collection, its search index and its related-stories graph, as the
  loading stages (:mod:`tui.core.loading`) deliver them;
* the rows of the list in display order: one row per story (a story told
  by several outlets takes one row, see :meth:`ReadingSession.arrange`),
  and which version of a story is shown;
* the reading state: the read identities, how many articles have each
  identity (so the unread count changes by a lookup, never by a walk of the
  list), and the writes not made yet;
* the bookmarked identities, and the sets the search's ``is:bookmarked`` /
  ``is:unread`` facets hold (made when a query first asks);
* where the reader was (the article and the scroll offset), to reopen there.

The UI (``tui/ui/screens/main.py``) asks it what to show and tells it what
the person did; it never touches the session's sets itself. The words used
here (identity, story, version, row, facet set) are the glossary's
(``docs/design.md``).
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from tui.core.bookmarks import Bookmark, BookmarkStore, Position, collection_id, entry_key, facet_marks
from tui.core.collection import SORT_LABELS, Collection
from tui.core.graph import Graph, more_like_this
from tui.core.listview import ListFilter, allowed_paths, filter_order, matching, unread_identities
from tui.core.loading import Identified, RelatedBuilt, Searchable
from tui.core.model import Entry
from tui.core.query import parse_query
from tui.core.search import SearchIndex

RECENT = 50  # the newest stories the jump box shows before anything is typed


@dataclass(frozen=True)
class Sections:
    """What the sidebar shows of an article besides its own related list:
    the articles citing it, the versions of its story, which version it is."""

    cited: list[Entry] | None  # None: the graph is not built yet
    versions: list[Entry]  # every version of its story ([] when told once)
    current: int | None  # the index of the article itself in ``versions``

    @property
    def position(self) -> tuple[int, int] | None:
        """(which, of how many) for a story told several times, else None."""
        if len(self.versions) < 2 or self.current is None:
            return None
        return self.current + 1, len(self.versions)


class ReadingSession:
    """The state of reading one collection (see the module's docstring)."""

    on_disk = False  # the collection is queried from its index (tui.core.queried), not loaded

    def __init__(self, store: BookmarkStore, roots: Sequence[str | os.PathLike[str]], sort: str = "date") -> None:
        self.store = store
        self.sort = sort
        self.collection: Collection | None = None
        self.search_index: SearchIndex | None = None
        self.graph: Graph | None = None
        self.facet_values: dict[str, list[str]] | None = None  # completion values of the jump box
        self.rows: list[Entry] = []
        self._row_of: dict[str, int] = {}  # path -> row (other versions of a story: its row)
        self._version_of: dict[int, int] = {}  # story group -> the entry index shown for it
        # Reading state: the read identities, and per identity how many
        # articles of the collection have it.
        self.read: set[str] = self._load_read()
        self.read_version = 0
        self.identity_counts: Counter[str] = Counter()
        self._by_identity: dict[str, Entry] = {}  # identity -> the first entry with it
        self.unread: int | None = None  # known once the identities are
        self.pending: dict[str, bool] = {}  # reading-state writes not made yet
        self.mine: dict[str, bool] | None = {}  # every mark made here: it wins over another process's (tui.core.elsewhere)
        self.bookmarked: set[str] = store.keys()
        self.bookmarks_version = 0
        self._identities: tuple[object, list[str]] | None = None  # (the entries, their identities)
        self._facet_cache: tuple[tuple[int, ...], dict[str, set[int]]] | None = None
        # Where the reader was: to restore once the collection is read; the last known place.
        self.collection_id = collection_id(roots)
        self.restore: Position | None = store.position(self.collection_id)
        self.touched = False  # the person moved the cursor or opened something: articles shown may count as read
        self.restored = False  # last time's place was found and shown
        self.last_position: Position | None = None
        # Loading: (done, total) files while reading; the count of last run's first screen while it shows.
        self.load_progress: tuple[int, int] | None = (0, 0)
        self.first_screen_total: int | None = None
        # The list's filter (tui.core.listview): the paths that pass, worked out when applied.
        self.view = ListFilter()
        self._allowed: frozenset[str] | None = None
        self.matched = 0  # articles passing the filter, at the last arrangement
        self._row_keys: Counter[str] | None = None  # while filtered: the rows' identities, for their unread count
        self.rows_unread = 0

    def _load_read(self) -> set[str]:
        """The read identities (every one, loaded: see :mod:`tui.core.catalog.reading` for a collection too big)."""
        return self.store.read_keys()

    # -- the collection arrives ------------------------------------------------------
    def partial(self, collection: Collection, done: int, total: int, first_screen: bool = False) -> None:
        """Part of the collection is known (or last run's first screen, of ``total``)."""
        self.load_progress = (done, total)
        if self.graph is not None:  # (a rescan) built for the collection this one replaces: its indices mean nothing here
            self.graph = None
            self._version_of.clear()
        self.collection = collection
        self.first_screen_total = total if first_screen else None
        self._refilter()

    def progress(self, done: int, total: int) -> None:
        self.load_progress = (done, total)

    def loaded(self, collection: Collection) -> None:
        """All of it: the graph and the identities follow (see :meth:`identified`)."""
        self.first_screen_total = None
        self.load_progress = None
        self.graph = None
        self._version_of.clear()
        self._by_identity = {}
        self.unread = None
        self.collection = collection
        self._refilter()

    def _refilter(self) -> None:
        """More articles (loading, a rescan): "unread only" takes them in; a
        query waits for the search index of them (see :meth:`searchable`)."""
        if self.view.unread_only and not self.view.has_query:
            self.apply_filter(self.view)

    def searchable(self, stage: Searchable) -> bool:
        """The search index is built (for ``stage.collection``, if given: a
        reload's); False when it came too late."""
        if stage.collection is not None and stage.collection is not self.collection:
            return False
        self.search_index = stage.index
        self.facet_values = stage.values
        if self.view.has_query:  # the filter's query, asked again of the new index
            self.apply_filter(self.view)
        return True

    def identified(self, stage: Identified) -> bool:
        """The identities of every article, computed in the loading thread
        against the read set of ``stage.read_version``; False when the
        collection was replaced meanwhile (a rescan, an edit)."""
        if stage.collection is not self.collection:
            return False
        self.identity_counts = stage.counts
        self._by_identity = stage.by_identity
        self._identities = (stage.collection.entries, stage.identities)
        self.unread = stage.unread
        if stage.read_version != self.read_version:  # (un)read meanwhile: counted again, once
            self.unread = sum(n for identity, n in stage.counts.items() if identity not in self.read)
        return True

    def related_built(self, stage: RelatedBuilt) -> bool:
        """The related-stories graph; False when the collection was replaced meanwhile."""
        if stage.collection is not self.collection:
            return False
        self.graph = stage.graph
        self._version_of.clear()
        return True

    def read_snapshot(self) -> tuple[int, set[str]]:
        """The read set as it is now, and its version (for the loading thread)."""
        return self.read_version, set(self.read)

    # -- rows ---------------------------------------------------------------------------
    def arrange(self, keep: Entry | None = None) -> int:
        """The rows again, from the collection and the sort: one row per
        story once the graph knows them (the first of its versions in the
        sort order). Returns the row of ``keep`` (0 when it is not listed)."""
        collection = self.collection
        if collection is None:
            return 0
        order = filter_order(collection.order(self.sort), collection.entries, self._allowed)
        self.matched = len(order)
        others: dict[str, int] = {}
        if self.graph is not None and self.graph.groups:
            rows: list[Entry] = []
            first_row: dict[int, int] = {}
            group_of, entries = self.graph.group_of, collection.entries
            for i in order:
                g = group_of.get(i)
                if g is not None:
                    row = first_row.get(g)
                    if row is not None:
                        others[entries[i].path] = row
                        continue
                    first_row[g] = len(rows)
                rows.append(entries[i])
        else:
            rows = [collection.entries[i] for i in order]
        self.rows = rows
        self._count_rows_unread([collection.entries[i] for i in order])
        self._row_of = {entry.path: i for i, entry in enumerate(rows)}
        self._row_of.update(others)
        if keep is not None:
            for i, entry in enumerate(rows):
                if entry.path == keep.path and entry.title == keep.title:
                    return i
        return 0

    def key_of(self, entry: Entry) -> str:
        """An article's identity (looked up when the identities are known)."""
        known, collection = self._identities, self.collection
        if known is not None and collection is not None and known[0] is collection.entries:
            i = collection.index_of(entry)
            if i is not None:
                return known[1][i]
        return entry_key(entry)

    def _count_rows_unread(self, passing: list[Entry]) -> None:
        """While the list is filtered, the header counts its unread articles
        (as "N of M" counts them: a story's versions that pass, each; its rows
        would say "114 of 114 · 110 unread"): counted here once, then kept by
        :meth:`_rows_read` at each change."""
        if not self.view.active:
            self._row_keys = None
            return
        self._row_keys = Counter(map(self.key_of, passing))
        self.rows_unread = sum(n for key, n in self._row_keys.items() if key not in self.read)

    def _rows_read(self, identity: str, read: bool) -> None:
        if self._row_keys is not None:
            self.rows_unread += -self._row_keys[identity] if read else self._row_keys[identity]

    def row_of(self, entry: Entry) -> int | None:
        """The row an article shows in (a version of a story: its story's row)."""
        return self._row_of.get(entry.path)

    def shown_at(self, row: int) -> Entry | None:
        """The article shown for a row: the row's own, or the version of its story chosen."""
        if not 0 <= row < len(self.rows):
            return None
        entry = self.rows[row]
        if self._version_of and self.graph is not None and self.collection is not None:
            g = self._group(entry)
            chosen = self._version_of.get(g) if g is not None else None
            if chosen is not None:
                return self.collection.entries[chosen]
        return entry

    def _group(self, entry: Entry) -> int | None:
        i = self.collection.index_of(entry) if self.collection is not None else None
        return self.graph.group_of.get(i) if i is not None and self.graph is not None else None

    def story_count(self, entry: Entry) -> int:
        """How many versions the story of a row has (1: told once)."""
        g = self._group(entry) if self.graph is not None else None
        return len(self.graph.groups[g]) if g is not None and self.graph is not None else 1

    def versions(self, entry: Entry) -> list[int]:
        """Entry indices of every version of the article's story (just itself
        when it is told once, or not known yet)."""
        collection, graph = self.collection, self.graph
        i = collection.index_of(entry) if collection is not None else None
        if i is None:
            return []
        return graph.versions(i) if graph is not None else [i]

    def choose_version(self, entry: Entry) -> None:
        """Show this version in its story's row from now on."""
        i = self.collection.index_of(entry) if self.collection is not None else None
        g = self._group(entry)
        if g is not None and i is not None:
            self._version_of[g] = i

    def step_version(self, entry: Entry, step: int) -> tuple[Entry, int, int] | None:
        """The next (``step`` 1) or previous (-1) version of the article's
        story: (it, its number from 1, how many); None when told once."""
        versions = self.versions(entry)
        if len(versions) < 2 or self.collection is None:
            return None
        i = self.collection.index_of(entry)
        k = versions.index(i) if i in versions else 0
        target = (k + step) % len(versions)
        return self.collection.entries[versions[target]], target + 1, len(versions)

    def sections(self, entry: Entry) -> Sections:
        """Cited by, and the versions of its story (dictionary lookups)."""
        collection, graph = self.collection, self.graph
        versions = self.versions(entry)
        if collection is None or graph is None:
            return Sections(None, [], None)
        i = collection.index_of(entry)
        entries = collection.entries
        cited = [entries[j] for j in graph.citing(i)] if i is not None else []
        if len(versions) < 2:
            return Sections(cited, [], None)
        return Sections(cited, [entries[j] for j in versions], versions.index(i) if i in versions else None)

    def sections_in_full(self, entry: Entry) -> Sections:
        """:meth:`sections`, with what a queried collection leaves out of them (call it off the UI thread)."""
        return self.sections(entry)

    def similar(self, entry: Entry, limit: int = 8) -> list[Entry] | None:
        """More like this, one version of each story (call it off the UI
        thread: ``benchmarks/bench_graph.py`` times it); None when the search index or
        the graph is not there (yet)."""
        search_index, collection, graph = self.search_index, self.collection, self.graph
        if search_index is None or collection is None or graph is None or search_index.entries is not collection.entries:
            return None
        i = collection.index_of(entry)
        if i is None:
            return None
        stories: set[int] = set()
        kept = []
        for j in more_like_this(search_index, i, limit=limit * 2, exclude=self.versions(entry)):
            g = graph.group_of.get(j)
            if g is None or g not in stories:
                kept.append(collection.entries[j])
                if g is not None:
                    stories.add(g)
        return kept[:limit]

    def newest(self) -> list[Entry]:
        """The newest stories (what the jump box shows before a query)."""
        if self.sort == "date":
            return self.rows[:RECENT]
        if self.collection is None:
            return []
        return [self.collection.entries[i] for i in self.collection.order("date")[:RECENT]]

    def summary(self) -> str:
        """The header's line: how many stories, unread, the sort, loading, issues."""
        collection = self.collection
        if collection is None:
            return ""
        first = self.first_screen_total
        count = len(self.rows) if first is None else first
        parts = [f"{count:,} article{'s' if count != 1 else ''}"]
        filtered = self.view.active and first is None
        if filtered:
            # "filter: topic:ai · 312 of 50,000": the articles passing, of all.
            parts = [self.view.label(), f"{self.matched:,} of {len(collection.entries):,}"]
        elif first is None and count < len(collection.entries):
            # Stories told by several outlets take one row each.
            parts[0] = f"{count:,} stories ({len(collection.entries):,} articles)"
        if filtered and self.load_progress is None:
            parts.append(f"{self.rows_unread:,} unread")
        elif self.unread is not None and self.load_progress is None and first is None:
            parts.append(f"{self.unread:,} unread")
        parts.append(SORT_LABELS[self.sort])
        if first is not None:
            parts.append("checking for changes…")
        elif self.load_progress is not None:
            done, total = self.load_progress
            parts.insert(0, f"reading {done:,}/{total:,} files…")  # first: it still shows at 80 columns
        if collection.issues:
            parts.append(f"{len(collection.issues):,} issues (!)")
        return " · ".join(parts)

    # -- reading state and bookmarks -------------------------------------------------
    def is_read(self, entry: Entry) -> bool:
        return self.key_of(entry) in self.read

    def is_bookmarked(self, entry: Entry) -> bool:
        return entry_key(entry) in self.bookmarked

    def bookmark_of(self, entry: Entry) -> Bookmark | None:
        """The article's bookmark, when it has one (its tags and note)."""
        identity = entry_key(entry)
        return self.store.get(identity) if identity in self.bookmarked else None

    def entry_for(self, identity: str) -> Entry | None:
        """The article of this collection with an identity (the lookup is
        built in the loading thread; if asked before it arrives, once here)."""
        if self.collection is None:
            return None
        if not self._by_identity and self.collection.entries:
            self._by_identity = {entry_key(e): e for e in reversed(self.collection.entries)}
        return self._by_identity.get(identity)

    def listed(self, identity: str) -> Entry | None:
        """The article with an identity, when the list can go to it."""
        entry = self.entry_for(identity)
        return entry if entry is not None and self.row_of(entry) is not None else None

    def set_read(self, identity: str, read: bool) -> bool:
        """Mark one identity read or unread: the set and the count change at
        once, the write waits in :attr:`pending`. False when nothing changed."""
        if not self.set_read_many([identity], read):
            return False
        self.pending[identity] = read
        return True

    def set_read_many(self, identities: Iterable[str], read: bool) -> list[str]:
        """Mark identities read (or unread) here, for a write the caller makes
        itself (one transaction: mark all read, its undo); writes of them
        still pending are dropped. Returns those that changed."""
        changed = [k for k in dict.fromkeys(identities) if (k in self.read) != read]
        mine = self.mine
        for identity in changed:
            self.pending.pop(identity, None)
            if mine is not None:
                mine[identity] = read
            if read:
                self.read.add(identity)
            else:
                self.read.discard(identity)
            if self.unread is not None:
                self.unread += -self.identity_counts[identity] if read else self.identity_counts[identity]
            self._rows_read(identity, read)
        if changed:
            self.read_version += 1
        return changed

    def unread_in_list(self) -> int | None:
        """How many articles of the list are unread (None: not counted yet)."""
        return self.rows_unread if self.view.active else self.unread

    def unread_shown(self) -> list[str]:
        """What "mark all read" marks: every unread identity of the rows (their stories' other versions too)."""
        entries = self.collection.entries if self.collection is not None else []
        return unread_identities(self.rows, self.key_of, lambda e: [entries[i] for i in self.versions(e)] or [e], self.read)

    # -- the list's filter ------------------------------------------------------------
    def filter_search(self, view: ListFilter) -> tuple[SearchIndex, Mapping[str, set[int]] | None] | None:
        """What the filter's query is searched in (the index and its marks),
        when it has a query and the index is ready: the slow part, which a
        caller may run in a thread (:func:`tui.core.listview.matching`) and
        hand to :meth:`apply_filter` as ``found``."""
        collection, index = self.collection, self.search_index
        if not view.has_query or collection is None or index is None or index.entries is not collection.entries:
            return None
        return index, self.facet_sets()

    def search_filter(
        self, view: ListFilter, index: SearchIndex, marks: Mapping[str, set[int]] | None, stale: Callable[[], bool] | None = None
    ) -> tuple[SearchIndex, set[int], str]:
        """The slow part of a filter (call it off the UI thread): what
        :meth:`apply_filter` takes as ``found``. ``stale``: a true answer
        stops it (:class:`~tui.core.results.Stale`), as the jump box's search."""
        docs, note = matching(index, view.query, marks, stale)
        return index, docs, note

    def apply_filter(self, view: ListFilter, found: tuple[SearchIndex, set[int], str] | None = None) -> str:
        """Filter the list (call :meth:`arrange` after): the articles passing
        are worked out now, or taken from ``found`` (what :meth:`filter_search`
        gave, searched: used if that index is still the one). Returns a note
        for the person, or ""."""
        self.view = view
        collection, index = self.collection, self.search_index
        if collection is None:
            self._allowed = None
            return ""
        docs: set[int] | None = None
        note = "; ".join(parse_query(view.query).errors)  # (a query of only such mistakes filters nothing)
        if view.has_query:
            if index is None or index.entries is not collection.entries:
                self._allowed = frozenset()  # shown once the search index is built (see searchable)
                return "the search index is still being built: the filter applies once it is"
            if found is not None and found[0] is index:
                docs, note = found[1], found[2]
            else:
                docs, note = matching(index, view.query, self.facet_sets())
        self._allowed = allowed_paths(collection.entries, docs, view.unread_only, self.is_read)
        return note

    def bookmarks_changed(self) -> None:
        """The store's bookmarks changed (here or in another view): read them again."""
        self.bookmarked = self.store.keys()
        self.bookmarks_version += 1

    def reloaded(self, old: Entry, new: Entry, source: Collection | None, updated: Collection | None) -> bool:
        """A file was read again after an edit; False when the collection it
        was made from is no longer the one shown (nothing changes then)."""
        if updated is None or source is not self.collection:
            return False
        self.collection = updated
        old_identity, new_identity = entry_key(old), entry_key(new)
        if old_identity != new_identity:  # the edit changed its identity: the counts follow
            self.identity_counts[old_identity] -= 1
            self.identity_counts[new_identity] += 1
            if self.unread is not None:
                self.unread += (old_identity in self.read) - (new_identity in self.read)
        if self._by_identity:
            if self._by_identity.get(old_identity) is old:
                del self._by_identity[old_identity]
            self._by_identity.setdefault(new_identity, new)
        return True

    # -- the search's facet sets --------------------------------------------------------
    def facet_sets(self) -> Mapping[str, set[int]] | None:
        """What ``is:bookmarked`` and ``is:unread`` hold: entry indices of the
        search index's entries. Lazy: made when a query first asks, and again
        only after a bookmark or the reading state changed."""
        index = self.search_index
        if index is None:
            return None
        return _FacetSets(self, index.entries)

    def _facet_sets_of(self, entries: object) -> dict[str, set[int]]:
        version = (id(entries), self.read_version, self.bookmarks_version)
        cached = self._facet_cache
        if cached is not None and cached[0] == version:
            return cached[1]
        if self._identities is None or self._identities[0] is not entries:
            self._identities = (entries, [entry_key(e) for e in entries])  # type: ignore[attr-defined]
        sets = facet_marks(self._identities[1], self.bookmarked, self.read)
        self._facet_cache = (version, sets)
        return sets

    # -- where the reader is -------------------------------------------------------------
    def position(self, entry: Entry | None, scroll: float) -> Position | None:
        """Where the reader is now (the last known place when nothing is shown,
        or while the place of last time is still to be restored)."""
        if entry is None or self.collection is None or self.restore is not None:
            return self.last_position
        self.last_position = Position(entry_key(entry), entry.path, scroll)
        return self.last_position

    def restore_target(self) -> tuple[Entry, int, float] | None:
        """Last time's article, its row and the scroll offset, once it can be
        found; None while it cannot yet (or there is none to restore)."""
        position = self.restore
        if position is None or self.collection is None:
            return None
        entry = self.collection.by_path(position.path)
        if entry is None or entry_key(entry) != position.key:
            if not self._by_identity and self.unread is None:
                return None  # the file moved: looked up by identity once that lookup arrives
            entry = self._by_identity.get(position.key)
        self.restore = None
        row = self.row_of(entry) if entry is not None else None
        self.restored = entry is not None and row is not None
        return None if entry is None or row is None else (entry, row, position.scroll)

    @property
    def placed(self) -> bool:
        """The cursor is somewhere chosen (by the person, or last time's place):
        new arrangements of rows keep its article; before that, the first row."""
        return self.touched or self.restored

    def take_pending(self) -> dict[str, bool]:
        pending, self.pending = self.pending, {}
        return pending

    def write(self, pending: dict[str, bool], position: Position | None) -> str:
        """Write reading-state changes and the position; "" when they were
        made, else why not (the store may be locked or the disk full)."""
        try:
            self.store.set_read([k for k, read in pending.items() if read], True)
            self.store.set_read([k for k, read in pending.items() if not read], False)
            if position is not None:
                self.store.save_position(self.collection_id, position)
        except sqlite3.Error as exc:
            return str(exc) or type(exc).__name__
        return ""


class _FacetSets(Mapping[str, set[int]]):
    """The search's ``marks``: the sets are made only when a query asks."""

    def __init__(self, session: ReadingSession, entries: object) -> None:
        self._session = session
        self._entries = entries

    def __getitem__(self, name: str) -> set[int]:
        return self._session._facet_sets_of(self._entries)[name]

    def __iter__(self) -> Iterator[str]:
        return iter(("bookmarked", "unread", "read"))

    def __len__(self) -> int:
        return 3
