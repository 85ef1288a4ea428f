"""The lazy, counted sequence of search results: every hit by position,
computed as far as someone reads.

Each tier (full matches, then partial ones) is ordered by a cheap score (the
sum of each query word's best quality, which can only overestimate); only a
block of :data:`RERANK` candidates a caller reads is scored exactly and
sorted (see :class:`tui.core.ranking.Ranker`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from itertools import compress, islice
from typing import Any, Generic, TypeVar, overload

from tui.core.query import Query

RERANK = 300  # candidates scored exactly (whole-title similarity) at a time
class Stale(Exception):  # noqa: N818 - what it says of the search
    """A search stopped because a newer one was asked for (see ``SearchIndex.results``)."""


COUNT_CAP = 10_000  # SearchResult.counted: beyond this, "10,000+" (an exact count can cost seconds on a million)

T = TypeVar("T")


class Tier:
    """Candidates of one kind (full or partial matches) in cheap-score order,
    sorted only as far as someone reads.

    ``docs`` is a list, or a function making it when first needed. ``cheap``
    gives the docs' cheap scores (a list, or a function of the docs; None:
    ``docs`` are in order already). ``head(docs, size)``, when given, picks
    the first block without scoring every doc."""

    def __init__(
        self,
        docs: list[int] | Callable[[], list[int]],
        cheap: list[float] | Callable[[list[int]], list[float]] | None = None,
        head: Callable[[list[int], int], list[int]] | None = None,
    ) -> None:
        self._docs = docs
        self._cheap = cheap
        self._pick = head
        self._ordered = cheap is None
        self._order: list[int] | None = None
        self._head: list[int] | None = None

    @property
    def docs(self) -> list[int]:
        if callable(self._docs):
            self._docs = self._docs()
        return self._docs

    def __len__(self) -> int:
        return len(self.docs)

    def upto(self, cap: int) -> int:
        """How many, or ``cap`` when there are at least as many (cheaper than
        ``len`` where counting is costly: see the on-disk index's tiers)."""
        return min(len(self), cap)

    def _scores(self) -> list[float]:
        if callable(self._cheap):
            self._cheap = self._cheap(self.docs)
        assert self._cheap is not None
        return self._cheap

    def block(self, k: int, size: int) -> list[int]:
        """The ``k``-th block of ``size`` candidates, best cheap score first."""
        docs = self.docs
        if self._ordered:
            return docs[k * size : (k + 1) * size]
        if self._order is None:
            if k == 0 and len(docs) > size:
                if self._head is None:
                    self._head = self._pick(docs, size) if self._pick else [docs[i] for i in _top(self._scores(), size)]
                return self._head
            cheap = self._scores()
            ranked = sorted(range(len(docs)), key=lambda i: -cheap[i])  # stable: ties keep their order
            order = [docs[i] for i in ranked]
            if self._head is not None:
                # The first block was picked on its own (ties at the cut: the first ones); keep it.
                head = set(self._head)
                order = self._head + [d for d in order if d not in head]
            self._order = order
        return self._order[k * size : (k + 1) * size]


class Ranking(Sequence[T], Generic[T]):
    """Every result by position, best first: the full tier, then the partial
    one. ``materialize`` turns a block of candidate ids into records in
    their final order (scored exactly), ``make`` a record into a result; a
    block is made when first read, and a tier is only counted when a read
    reaches it (or ``len`` is asked)."""

    def __init__(
        self,
        tiers: Sequence[Tier],
        materialize: Callable[[list[int]], list[Any]],
        make: Callable[[Any], T],
        block: int = RERANK,
    ) -> None:
        self._tiers = list(tiers)
        self._materialize = materialize
        self._make = make
        self._size = block
        self._blocks: dict[tuple[int, int], list[Any]] = {}

    def __len__(self) -> int:
        return sum(len(t) for t in self._tiers)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            if i.step in (None, 1) and (i.start or 0) >= 0 and i.stop is not None and i.stop >= 0:
                return list(islice(self, i.start or 0, i.stop))  # reads no further than asked
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if i < 0:
            raise IndexError(i)
        for t, tier in enumerate(self._tiers):
            n = tier.upto(i + 1)  # less than i + 1 only when that is all of them
            if i < n:
                return self._at(t, i)
            i -= n
        raise IndexError(i)

    def _at(self, t: int, i: int) -> T:
        k, j = divmod(i, self._size)
        found = self._blocks.get((t, k))
        if found is None:
            found = self._blocks[(t, k)] = self._materialize(self._tiers[t].block(k, self._size))
        return self._make(found[j])

    def __iter__(self) -> Iterator[T]:
        # Never counts a tier further than it is read.
        for t, tier in enumerate(self._tiers):
            i = 0
            while i < tier.upto(i + 1):
                yield self._at(t, i)
                i += 1


class SearchResult(Ranking[T]):
    """Every hit of a search, by position: full matches, then partial ones
    (each hit says which words it lacks).

    ``query`` is the query as searched (cut to :data:`~tui.core.ranking.MAX_WORDS`);
    ``full`` and ``partial`` count them exactly (each when first asked);
    :meth:`counted` counts them up to a cap (what a keystroke can afford);
    ``ignored`` holds the query's words past that (as typed),
    ``unmatched`` those that match no article of the collection."""

    def __init__(
        self,
        query: Query,
        full: Tier,
        partial: Tier,
        materialize: Callable[[list[int]], list[Any]],
        make: Callable[[Any], T],
        ignored: tuple[str, ...] = (),
        unmatched: tuple[str, ...] = (),
    ) -> None:
        super().__init__([full, partial], materialize, make)
        self.query = query
        self.ignored = ignored
        self.unmatched = unmatched

    @property
    def full(self) -> int:
        return len(self._tiers[0])

    @property
    def partial(self) -> int:
        return len(self._tiers[1])

    def full_docs(self) -> list[int]:
        """The ids of every full match, in no promised order (no hit is made
        or scored: what filtering a list needs)."""
        return self._tiers[0].docs

    def counted(self, cap: int = COUNT_CAP) -> tuple[int, int | None, bool]:
        """(full, partial, exact): the two counts, each at most ``cap``;
        ``exact`` is False when one of them reached it ("10,000+"), and
        ``partial`` is None (not counted) when ``full`` did. On the on-disk
        index this reads at most ``cap`` rows a tier, where an exact count of
        a million matches costs seconds (``full`` / ``partial`` / ``len``
        count exactly, for a caller that can wait: a background worker)."""
        full = self._tiers[0].upto(cap)
        if full >= cap:
            return full, None, False
        partial = self._tiers[1].upto(cap)
        return full, partial, partial < cap


def _top(values: list[float], want: int) -> list[int]:
    """Positions of the ``want`` highest values (at the cut, the first ones)."""
    if want >= len(values):
        return list(range(len(values)))
    cut = heapq.nlargest(want, values)[-1]
    above = list(compress(range(len(values)), map(cut.__lt__, values)))
    ties = islice(compress(range(len(values)), map(cut.__eq__, values)), want - len(above))
    return above + list(ties)


__all__ = ["COUNT_CAP", "RERANK", "Ranking", "SearchResult", "Stale", "Tier"]
