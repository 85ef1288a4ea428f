"""How a search ranks articles: pure functions of the query's words and an
article's words, and the lazy, counted sequence of results.

The rules (the word index in :mod:`tui.core.search` feeds them; an engine on
disk can feed them the same way):

* A query uses at most its first :data:`MAX_WORDS` words; the rest are
  ignored, and the result says which.
* Each query word stands for some words of the collection, each with a
  weighted quality (0..1: how well it matches, times its field's weight):
  :class:`WordMatches`, per field ``{word: weighted quality}``.
* An article matches a query word with one of its words; every query word
  needs a *different* article word (a word found in two fields is still one
  word). :func:`match_article` finds the best such assignment: the most query
  words matched, then the highest total quality (a maximum-weight bipartite
  matching, Hungarian algorithm, polynomial in the words).
* An article that matches every query word is a *full* match; one that
  matches some is a *partial* match, listed after every full match.
* :func:`score` turns a match into 0..100.

:class:`Ranker` applies them to one search's candidates over a word index:
it counts the full and partial matches (sets and C-level maps; an
assignment only for the articles where two query words' best match is one
word) and scores exactly only the blocks read of the lazy
:class:`~tui.core.results.SearchResult`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, eq, itemgetter, not_
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz

from tui.core.query import Query
from tui.core.results import SearchResult, Tier, _top
from tui.core.vocab import TITLE, Scores, Source, WordScores

# Sixteen words: a whole remembered title fits (the real corpus's titles: 11
# words at the median, 18 at the 95th percentile), far more than it takes to
# single out a story (findability's queries use two to five), and a pasted
# paragraph costs sixteen vocabulary scans at most (each new word ~15 ms at
# 50,000 articles), never more.
MAX_WORDS = 16
PAIR_WORDS = 16  # two query words competing for more article words than this: each article is looked at

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

WordMatches = Mapping[str, Mapping[str, float]]  # field -> {vocabulary word: weighted quality}


@dataclass(frozen=True, slots=True)
class Match:
    """How one article matches the query words: for each query word, the
    article word it got (field, word), or None."""

    chosen: tuple[tuple[str, str] | None, ...]
    total: float  # the sum of the chosen words' weighted qualities

    @property
    def covered(self) -> int:
        return sum(c is not None for c in self.chosen)

    @property
    def full(self) -> bool:
        return all(c is not None for c in self.chosen)


def article_options(queries: Sequence[WordMatches], fields: Mapping[str, Iterable[str]]) -> list[dict[str, tuple[float, str]]]:
    """Per query word, the article's words it matches: ``{word: (weighted
    quality, field)}``, the best field for each word."""
    held = {name: set(found) for name, found in fields.items()}
    options: list[dict[str, tuple[float, str]]] = []
    for matches in queries:
        best: dict[str, tuple[float, str]] = {}
        for name, table in matches.items():
            present = held.get(name)
            if not present or not table:
                continue
            small, large = (present, table) if len(present) <= len(table) else (table, present)
            for word in small:
                if word in large:
                    quality = table[word]
                    if quality > best.get(word, (-1.0, ""))[0]:
                        best[word] = (quality, name)
        options.append(best)
    return options


def match_article(queries: Sequence[WordMatches], fields: Mapping[str, Iterable[str]]) -> Match:
    """The best assignment of the query words to different words of one
    article (``fields``: field -> its words)."""
    options = article_options(queries, fields)
    picked = assign([{w: q for w, (q, _) in opts.items()} for opts in options])
    chosen = tuple(None if w is None else (options[i][w][1], w) for i, w in enumerate(picked))
    total = sum(options[i][w][0] for i, w in enumerate(picked) if w is not None)
    return Match(chosen, total)


def assign(options: Sequence[Mapping[K, float]]) -> list[K | None]:
    """For each row (a query word), a different key (an article word) from
    its ``options`` ({key: weight}, weights >= 0), or None: as many rows as
    possible get one, then the highest total weight. Polynomial: a row whose
    best key no other row can take keeps it; the rest go to the Hungarian
    algorithm, O(rows² · keys)."""
    picked: list[K | None] = [None] * len(options)
    wanted: dict[K, int] = {}
    for opts in options:
        for key in opts:
            wanted[key] = wanted.get(key, 0) + 1
    hard: list[int] = []
    for i, opts in enumerate(options):
        if not opts:
            continue
        best = max(opts, key=opts.__getitem__)
        if wanted[best] == 1:
            picked[i] = best  # no one else wants it: taking it is never worse
        else:
            hard.append(i)
    if not hard:
        return picked
    # A row never needs more than its len(hard) best keys: one of them is free.
    rows = [heapq.nlargest(len(hard), options[i].items(), key=lambda kv: kv[1]) for i in hard]
    taken = {picked[i] for i in range(len(options)) if picked[i] is not None}
    keys = list(dict.fromkeys(k for row in rows for k, _ in row if k not in taken))
    column = {k: j for j, k in enumerate(keys)}
    # One more matched row must outweigh any total of weights.
    bonus = 1.0 + sum(max((w for _, w in row), default=0.0) for row in rows)
    cost = [[0.0] * max(len(keys), len(hard)) for _ in hard]
    for r, row in enumerate(rows):
        for k, w in row:
            if k in column:
                cost[r][column[k]] = -(w + bonus)
    for r, j in enumerate(_hungarian(cost)):
        if j < len(keys) and cost[r][j] < 0:
            picked[hard[r]] = keys[j]
    return picked


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of each row to a different column (rows <=
    columns): the column of each row. Shortest augmenting paths with
    potentials (Kuhn-Munkres, as in e-maxx), O(rows² · columns)."""
    n, m = len(cost), len(cost[0]) if cost else 0
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # row (1-based) holding each column; 0: free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            row = cost[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    out = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            out[owner[j] - 1] = j - 1
    return out


def score(total: float, covered: int, words: int, whole: float) -> float:
    """0..100: the mean quality of the query's words (``total`` / ``words``),
    with 15% for the whole query's similarity to the title (``whole``, 0..1),
    scaled by the share of the words matched."""
    if not words:
        return 100.0
    return round(100 * (0.85 * total / words + 0.15 * whole) * (covered / words), 1)


class Ranker(Generic[T]):
    """One search's candidates, counted, and scored as far as they are read.

    ``index`` is the word index (its ``titles``, ``entries`` and
    ``field_words(doc)``); ``hit(doc, score, field, missing)`` makes a result."""

    def __init__(
        self,
        index: Any,
        hit: Callable[[int, float, str, tuple[str, ...]], T],
        query: Query,
        slots: list[WordScores],
        required: list[Scores],
        allowed: list[Container[int]],
        excluded: list[set[int]],
    ) -> None:
        self.index = index
        self.hit = hit
        self.slots = slots
        self.required = required
        self.allowed = allowed
        self.excluded = excluded
        self.n = len(slots) + len(required)
        self.query = query
        self.whole_query = " ".join(w for t in query.terms if not t.negate for w in t.words)
        self.known: dict[int, Match] = {}  # exact matches already worked out
        # What each word stands for, and which pairs of words can want one article word.
        vocab = [s.vocab for s in slots] if len(slots) > 1 else []
        self.vocab = vocab
        self.rivals = [(i, j) for i in range(len(vocab)) for j in range(i + 1, len(vocab)) if not vocab[i].isdisjoint(vocab[j])]

    def result(self, ignored: tuple[str, ...], unmatched: tuple[str, ...]) -> SearchResult[T]:
        keys, totals, demoted = self._full()
        full = Tier(keys, totals)
        partial = Tier([])
        if len(self.slots) > 1:
            partial = Tier(lambda: self._partial(set(keys), demoted), self._cheap_partial, self._best_partial)
        return SearchResult(self.query, full, partial, self._materialize, lambda rec: self.hit(*rec), ignored, unmatched)

    def _full(self) -> tuple[list[int], list[float], list[int]]:
        """The articles matching every word and operator and passing every
        filter, their scores, and those that only match with a word counted
        twice (partial matches)."""
        groups = [s.best for s in self.slots] + [r[0] for r in self.required]
        if not all(groups):
            return [], [], []
        if len(groups) == 1 and not (self.allowed or self.excluded):
            return list(groups[0]), list(groups[0].values()), []
        # Set algebra and map/zip: the loops over up to 50,000 articles a
        # keystroke run in C.
        by_size = sorted(groups, key=len)
        full = set(by_size[0]) if len(groups) == 1 else by_size[0].keys() & by_size[1].keys()
        for best in by_size[2:]:
            if full:
                full &= best.keys()
        for a in self.allowed:
            full = full & a if isinstance(a, (set, frozenset)) else {d for d in full if d in a}
        for x in self.excluded:
            full -= x
        keys = list(full)
        totals = _sums(groups, keys)
        collisions = self._collisions(keys)
        if not collisions:
            return keys, totals, []
        # Two words whose best match here is the same article word: only an
        # assignment of different words tells whether all of them match.
        changed: dict[int, float] = {}  # doc -> its total, assigned
        lost: set[int] = set()  # docs that cannot give every word a word of its own
        by_article: set[int] = set()  # docs whose words must be looked at
        for (i, j), docs in collisions.items():
            if not self._isolated(i, j) or not self._pair(i, j, docs, changed, lost):
                by_article.update(docs)
        if by_article:
            extra = dict(zip(keys, totals, strict=False)) if self.required else {}
            for doc in by_article:
                match = self._match(doc)
                if match.full:
                    changed[doc] = match.total + (extra[doc] - sum(s.best[doc] for s in self.slots) if extra else 0.0)
                    lost.discard(doc)
                else:
                    lost.add(doc)
        if changed:
            totals = list(map(changed.get, keys, totals))
        if lost:
            kept = list(map(lost.__contains__, keys))
            keys, totals = list(compress(keys, map(not_, kept))), list(compress(totals, map(not_, kept)))
        return keys, totals, list(lost)

    def _collisions(self, keys: list[int]) -> dict[tuple[int, int], list[int]]:
        """Per pair of query words that can stand for a same word, the
        articles of ``keys`` where both have that word as their best match."""
        slots = self.slots
        out: dict[tuple[int, int], list[int]] = {}
        for i, j in self.rivals:
            mine = map(itemgetter(1), map(slots[i].src.__getitem__, keys))
            theirs = map(itemgetter(1), map(slots[j].src.__getitem__, keys))
            both = list(compress(keys, map(eq, mine, theirs)))
            if both:
                out[(i, j)] = both
        return out

    def _isolated(self, i: int, j: int) -> bool:
        """No other query word stands for a word that words ``i`` or ``j`` stand for."""
        return all((a, b) == (i, j) or not {a, b} & {i, j} for a, b in self.rivals)

    def _pair(self, i: int, j: int, docs: list[int], changed: dict[int, float], lost: set[int]) -> bool:
        """Two words (alone in standing for each other's words) whose best
        match in ``docs`` is one word ``w``: one keeps ``w``, the other
        takes its best other word, whichever adds up to more; none: the
        article lacks a word. Done per ``w`` with each word's scores without
        ``w`` (False: too many different ``w`` to be worth it)."""
        a, b = self.slots[i], self.slots[j]
        by_word: dict[str, list[int]] = {}
        for doc in docs:
            by_word.setdefault(a.src[doc][1], []).append(doc)
        if len(by_word) > PAIR_WORDS:
            return False
        for word, group in by_word.items():
            a_else = self.index.best_without(a, word)
            b_else = self.index.best_without(b, word)
            for doc in group:
                x, y = a.best[doc], b.best[doc]
                alt_a, alt_b = a_else.get(doc), b_else.get(doc)
                if alt_a is None and alt_b is None:
                    lost.add(doc)
                    continue
                gain = max(x + alt_b if alt_b is not None else 0.0, y + alt_a if alt_a is not None else 0.0) - x - y
                changed[doc] = changed.get(doc, sum(s.best[doc] for s in self.slots) + sum(r[0][doc] for r in self.required)) + gain
        return True

    def _match(self, doc: int) -> Match:
        found = self.known.get(doc)
        if found is None:
            found = self.known[doc] = match_article([s.table for s in self.slots], self.index.field_words(doc))
        return found

    def _partial(self, full: set[int], demoted: list[int]) -> list[int]:
        """The articles matching some of the words (and every operator and filter), not all."""
        docs: set[int] = set().union(*(s.best.keys() for s in self.slots))
        docs -= full
        docs.update(demoted)
        for r in self.required:
            docs &= r[0].keys()
        for a in self.allowed:
            docs = docs & a if isinstance(a, (set, frozenset)) else {d for d in docs if d in a}
        for x in self.excluded:
            docs -= x
        return list(docs)

    def _best_partial(self, docs: list[int], size: int) -> list[int]:
        """About the ``size`` best of the partial matches ``docs`` by cheap
        score, without scoring them all: an article matching ``k`` of the
        ``n`` words is held by one of the ``n - k + 1`` rarest words, so the
        most-matched ones are found among the articles of the rarest words
        first (small sets), taking more words until there are enough."""
        wanted = set(docs)
        rarest = sorted(self.slots, key=lambda s: len(s.best))
        n = len(rarest)
        seen: set[int] = set()
        pool: list[int] = []
        counts: list[int] = []
        for k in range(n, 0, -1):
            new = list(wanted - seen if k == 1 else (rarest[n - k].best.keys() & wanted) - seen)
            seen.update(new)
            pool += new
            counts += self._counts(new)
            # Those matching at least k words are all in the pool now.
            enough = list(compress(pool, map(k.__le__, counts)))
            if len(enough) >= size or k == 1:
                cheap = self._cheap_partial(enough)
                return [enough[i] for i in _top(cheap, size)]
        return []

    def _counts(self, docs: list[int]) -> list[int]:
        count: Iterable[int] = repeat(0, len(docs))
        for s in self.slots:
            count = map(add, count, map(s.best.__contains__, docs))
        return list(count)

    def _cheap_partial(self, docs: list[int]) -> list[float]:
        """Words matched first, then the sum of their best qualities (a word
        counted twice is only found out in the block read)."""
        count = self._counts(docs)
        totals = _sums([s.best for s in self.slots], docs, partial=True, plus=[r[0] for r in self.required])
        cheap = list(map(add, map((self.n + 1).__mul__, count), totals))
        for i in compress(range(len(docs)), map(self.known.__contains__, docs)) if self.known else ():
            match = self.known[docs[i]]
            cheap[i] = (self.n + 1) * match.covered + match.total + sum(r[0][docs[i]] for r in self.required)
        return cheap

    def _materialize(self, block: list[int]) -> list[tuple[int, float, str, tuple[str, ...]]]:
        """A block of candidates scored exactly, best first: more words
        matched first, then the score (with the whole query's similarity to
        the title), then the shorter title, then the newer. Each: (doc,
        score, field matched best, query words missing)."""
        index = self.index
        titles, entries = index.titles, index.entries
        slots, required, known, n = self.slots, self.required, self.known, self.n
        src_of = [s.src.get for s in slots]
        labels = [s.label for s in slots]
        tables = [s.table for s in slots]
        clash = bool(self.rivals)
        whole_query = self.whole_query
        ranked = []
        for doc in block:
            match = known.get(doc)
            chosen = match.chosen if match is not None else [get(doc) for get in src_of]
            if match is None and clash:
                got = [c[1] for c in chosen if c is not None]
                if len(set(got)) < len(got):
                    chosen = self._match(doc).chosen  # two words' best is one article word
            total, best, where, covered, missing = 0.0, -1.0, "title", len(required), []
            for k, c in enumerate(chosen):
                if c is None:
                    missing.append(labels[k])
                    continue
                quality = tables[k][c[0]][c[1]]
                total += quality
                covered += 1
                if quality > best:
                    best, where = quality, c[0]
            for found, src in required:
                quality = found[doc]
                total += quality
                if quality > best:
                    best, where = quality, src.get(doc, TITLE)[0] or "title"
            whole = fuzz.WRatio(whole_query, titles[doc]) / 100 if whole_query else 0.0
            points = score(total, covered, n, whole)
            ranked.append(((-covered, -points, len(titles[doc]), -(entries[doc].ts or 0.0), doc), (doc, points, where, tuple(missing))))
        ranked.sort(key=itemgetter(0))
        return [record for _, record in ranked]


def _sums(
    groups: list[dict[int, float]], docs: list[int], partial: bool = False, plus: Sequence[dict[int, float]] = ()
) -> list[float]:
    """Per doc, the sum of its scores in ``groups`` (0 where missing when
    ``partial``) and in ``plus`` (where it must be)."""
    total: Iterable[float] = [0.0] * len(docs)
    for g in groups:
        total = map(add, total, map(g.get, docs, repeat(0.0)) if partial else map(g.__getitem__, docs))
    for g in plus:
        total = map(add, total, map(g.__getitem__, docs))
    return list(total)


def max_merge(scores: list[Scores]) -> Scores:
    best: dict[int, float] = {}
    src: dict[int, Source] = {}
    for b, w in sorted(scores, key=lambda s: len(s[0]), reverse=True):
        for doc, quality in b.items():
            if quality > best.get(doc, -1.0):
                best[doc] = quality
                src[doc] = w.get(doc, TITLE)
    return best, src


__all__ = [
    "MAX_WORDS",
    "Match",
    "Ranker",
    "WordMatches",
    "article_options",
    "assign",
    "match_article",
    "max_merge",
    "score",
]
