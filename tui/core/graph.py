"""The collection as a graph: who cites whom, what is alike, which files tell
one story.

Built once per collection, off the UI thread (:meth:`Graph.build`), then
every lookup is a dictionary access or, for "more like this", a few
thousand additions over a word index (well under 50 ms at 50,000 articles;
``benchmarks/bench_graph.py`` prints the figures).

Same story, several outlets
---------------------------
Two articles are *versions of one story* when, comparing the sets of their
title words (case-folded, punctuation dropped, stop words such as "the",
"of", "to" left out),

* the sets are equal (word order, case and punctuation aside) and hold at
  least :data:`MIN_WORDS` words; or
* one set is the other plus one word, the smaller holding at least
  :data:`MIN_WORDS_FUZZY` words ("... blood cancer" / "... blood cancer:
  study"); or
* they differ in one word each, the two being spellings of one word
  (rapidfuzz ``ratio`` >= :data:`SPELLING`: leukemia / leukaemia), with at
  least :data:`MIN_WORDS_FUZZY` words;

and, when both are dated, they were published at most :data:`WINDOW_DAYS`
days apart. Groups are the connected pieces of that relation.
"""

from __future__ import annotations

import heapq
import math
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tui.core.model import REF_SIZE, Entry, title_key

MIN_WORDS = 3
MIN_WORDS_FUZZY = 4
SPELLING = 80.0
WINDOW_DAYS = 7
MAX_BUCKET = 16  # a near-title key shared by more titles than this is a template, not a story
STOP_WORDS = frozenset(
    "a an the of to in on at for and or but by with from as is are was were be been it its this that these those"
    " into over after about than then up out new says said say".split()
)


def story_words(title: str) -> frozenset[str]:
    return frozenset(w for w in title_key(title).split() if w not in STOP_WORDS)


def same_story(a: Entry, b: Entry) -> bool:
    """The rule above, for two articles."""
    return _same(story_words(a.title), a.ts, story_words(b.title), b.ts)


def _same(x: frozenset[str], x_ts: float | None, y: frozenset[str], y_ts: float | None) -> bool:
    if x_ts is not None and y_ts is not None and abs(x_ts - y_ts) > WINDOW_DAYS * 86400:
        return False
    if x == y:
        return len(x) >= MIN_WORDS
    small, big = (x, y) if len(x) <= len(y) else (y, x)
    if len(big) - len(small) == 1:
        return len(small) >= MIN_WORDS_FUZZY and small < big
    if len(x) == len(y) >= MIN_WORDS_FUZZY:
        only_x, only_y = x - y, y - x
        if len(only_x) == 1 and len(only_y) == 1:
            (u,), (v,) = only_x, only_y
            return min(len(u), len(v)) >= 4 and fuzz.ratio(u, v) >= SPELLING
    return False


def find_stories(entries: Sequence[Entry], title_keys: Sequence[str] | None = None) -> list[list[int]]:
    """Groups of two or more entry indices telling one story (newest first).

    Candidates come from hashing, never from comparing every pair: the sorted
    title words, and the same minus each word in turn (a one-word insertion,
    deletion or substitution leaves one such key in common). A group's dated
    members span at most the window, so a chain of near-titles (or an undated
    copy of a recurring headline) never joins stories years apart.
    """
    keys = title_keys if title_keys is not None else [title_key(e.title) for e in entries]
    stop = STOP_WORDS
    intern = sys.intern  # one copy of each word: 50,000 titles share a vocabulary
    words = [tuple(sorted({intern(w) for w in key.split() if w not in stop})) for key in keys]
    # Candidate keys are hashes of the sorted word lists, packed with the
    # entry index into one 64-bit integer and sorted: equal keys end up side
    # by side. (A hash collision only makes a candidate pair, which the rule
    # then checks.) Sorted arrays instead of dictionaries of lists keep the
    # peak small: ~20 MB rather than ~100 MB at 50,000 titles.
    count = len(entries)
    shift = max(20, count.bit_length())
    mask = (1 << (63 - shift)) - 1
    low_bits = (1 << shift) - 1

    def packed_keys(full: bool) -> array:
        out: list[int] = []
        if full:
            out.extend((hash(w) & mask) << shift | i for i, w in enumerate(words) if len(w) >= MIN_WORDS)
        else:
            add = out.append
            for i, w in enumerate(words):
                if len(w) >= MIN_WORDS_FUZZY:
                    for k in range(len(w)):
                        add((hash(w[:k] + w[k + 1 :]) & mask) << shift | i)
        out.sort()
        return array("q", out)

    def runs(table: array) -> dict[int, list[int]]:
        """key -> its indices, for keys held by more than one index, in the
        order the keys first appear (as a dictionary built entry by entry)."""
        found: dict[int, list[int]] = {}
        start, n = 0, len(table)
        while start < n:
            key = table[start] >> shift
            end = start + 1
            while end < n and table[end] >> shift == key:
                end += 1
            if end - start > 1:
                found[key] = [table[k] & low_bits for k in range(start, end)]
            start = end
        return dict(sorted(found.items(), key=lambda item: item[1][0]))

    exact_table = packed_keys(True)
    exact = runs(exact_table)
    minus_one_table = packed_keys(False)
    minus_one = runs(minus_one_table)
    parent = list(range(count))
    window = WINDOW_DAYS * 86400
    ts = [e.ts for e in entries]
    low: list[float | None] = list(ts)  # the oldest and newest date of each group (at its root)
    high: list[float | None] = list(ts)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def check(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a == b or not _same(frozenset(words[i]), ts[i], frozenset(words[j]), ts[j]):
            return
        lo = min((x for x in (low[a], low[b]) if x is not None), default=None)
        hi = max((x for x in (high[a], high[b]) if x is not None), default=None)
        if lo is not None and hi is not None and hi - lo > window:
            return
        root, child = (a, b) if a < b else (b, a)
        parent[child] = root
        low[root], high[root] = lo, hi

    for members in exact.values():
        # Identical titles, oldest first: a recurring headline ("Daily
        # briefing") only joins the issues within the window; undated
        # copies come last and join the newest dated one.
        members.sort(key=lambda i: (ts[i] is None, ts[i] or 0.0))
        for a, b in zip(members, members[1:], strict=False):
            check(a, b)
    # A title whose whole key is some other title's key minus one word: the
    # exact keys of single titles are needed too, found by bisecting.
    exact_keys = array("q", (packed >> shift for packed in exact_table))
    known = set(exact_keys)
    for members in minus_one.values():
        if len(members) <= MAX_BUCKET:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    check(members[x], members[y])  # one word each differs
    for packed in minus_one_table:
        key = packed >> shift
        if key not in known:
            continue
        k = bisect_left(exact_keys, key)
        bigger = exact.get(key) or [exact_table[k] & low_bits]
        members = minus_one.get(key) or [packed & low_bits]
        if len(bigger) * len(members) <= MAX_BUCKET * MAX_BUCKET:
            j = packed & low_bits
            for i in bigger:
                check(i, j)  # one title is this key plus one word
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda i: (-(ts[i] or 0.0), entries[i].path))
            out.append(members)
    return out


@dataclass
class Graph:
    """Backlinks and story groups of one collection (indices into its entries)."""

    cited_by: dict[int, array] = field(default_factory=dict)
    group_of: dict[int, int] = field(default_factory=dict)
    groups: list[list[int]] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def build(cls, entries: Sequence[Entry], targets: Mapping[bytes, int], title_keys: Sequence[str] | None = None) -> Graph:
        """``targets``: packed ref -> entry index (:meth:`Collection.ref_targets`)."""
        started = time.perf_counter()
        cited_by: dict[int, array] = {}
        get = targets.get
        for i, entry in enumerate(entries):
            refs = entry.refs
            for k in range(0, len(refs), REF_SIZE):
                target = get(refs[k : k + REF_SIZE])
                if target is None or target == i:
                    continue
                bucket = cited_by.get(target)
                if bucket is None:
                    bucket = cited_by[target] = array("I")
                if not bucket or bucket[-1] != i:
                    bucket.append(i)
        groups = find_stories(entries, title_keys)
        group_of = {i: g for g, members in enumerate(groups) for i in members}
        return cls(cited_by, group_of, groups, time.perf_counter() - started)

    def citing(self, index: int) -> list[int]:
        return list(self.cited_by.get(index, ()))

    def versions(self, index: int) -> list[int]:
        """Every version of the story ``index`` tells, itself included (newest first)."""
        g = self.group_of.get(index)
        return list(self.groups[g]) if g is not None else [index]


# -- more like this -----------------------------------------------------------------------
SIMILAR_WEIGHTS = {"title": 1.0, "topics": 0.6, "excerpt": 0.45}
COMMON = 0.04  # words in more than this share of a field are skipped (they say nothing)
MAX_TERMS = 24  # the rarest words of an article that are looked up


def more_like_this(search_index: object, index: int, limit: int = 8, exclude: Sequence[int] = ()) -> list[int]:
    """The articles nearest to entry ``index``: shared title words, topics
    and excerpt words, each weighted by its rarity (idf), reusing the word
    index of :class:`tui.core.search.SearchIndex`; then the best candidates
    re-ranked with rapidfuzz's ``token_set_ratio`` of the titles."""
    from tui.core.search import words as split_words

    entries = search_index.entries  # type: ignore[attr-defined]
    fields = search_index.fields  # type: ignore[attr-defined]
    n = len(entries)
    if not 0 <= index < n:
        return []
    entry = entries[index]
    own_title = set(split_words(entry.title)) - STOP_WORDS
    own_excerpt = set(split_words(entry.excerpt)) - STOP_WORDS - own_title
    own_topics = set(split_words(" ".join(entry.topics))) - STOP_WORDS
    cap = max(20, int(n * COMMON))
    lookups: list[tuple[float, array]] = []
    for name, query in (("title", own_title | own_excerpt), ("excerpt", own_title | own_excerpt), ("topics", own_topics)):
        postings = fields[name].postings
        weight = SIMILAR_WEIGHTS[name]
        for word in query:
            docs = postings.get(word)
            if docs is None or len(docs) > cap or len(docs) < 2:
                continue
            w = weight * math.log(n / len(docs))
            if name == "excerpt" and word not in own_title:
                w *= 0.7  # excerpt word against excerpt word: the weakest evidence
            lookups.append((w, docs))
    lookups.sort(key=lambda item: -item[0])
    scores: dict[int, float] = {}
    get = scores.get
    for w, docs in lookups[: MAX_TERMS * 2]:
        for d in docs:
            scores[d] = get(d, 0.0) + w
    return nearest(scores, index, entry, lambda ds: {d: entries[d] for d in ds}, limit, exclude)


def nearest(
    scores: dict[int, float], index: int, entry: Entry, entries_of: Callable[[list[int]], Mapping[int, Entry]], limit: int, exclude: Sequence[int]
) -> list[int]:
    """The ``limit`` best of ``scores`` (article -> summed weights of the rare
    words shared with ``entry``; not itself, not ``exclude``), re-ranked with
    the titles' ``token_set_ratio``: best first, then newest. ``entries_of``
    gives the entries of some articles (the in-memory list, or the index)."""
    scores.pop(index, None)
    for d in exclude:
        scores.pop(d, None)
    if not scores:
        return []
    best = heapq.nlargest(limit * 4, scores.items(), key=lambda item: item[1])
    top = best[0][1] or 1.0
    mine = title_key(entry.title)
    found = entries_of([d for d, _ in best])
    ranked = sorted(
        ((s / top) * 0.8 + 0.2 * fuzz.token_set_ratio(mine, title_key(found[d].title)) / 100, -(found[d].ts or 0.0), d)
        for d, s in best
        if d in found
    )
    ranked.sort(key=lambda item: (-item[0], item[1]))  # best first, then newest
    return [d for _, _, d in ranked[:limit]]
