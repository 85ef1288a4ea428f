"""Search on the index: the engine finds the candidates, ranking keeps the
rules of :mod:`tui.core.ranking`.

Each plain query word becomes the vocabulary words it stands for (see
:mod:`~tui.core.catalog.terms`), each operator and facet an SQL condition.
The *full* matches (every word, every operator and facet) are one full-text
query ANDing the words' alternatives; the *partial* ones (some words) are
the same with fewer words. Neither is ever loaded whole: the first
:data:`~tui.core.results.RERANK` candidates are gathered in rounds that
promise the best scores first (every word in the title as itself or an
inflection, then all but one there and that one in the provider, topics or
excerpt, then in the title at all, then anywhere as itself, then
anywhere), then scored exactly (:func:`tui.core.ranking.match_article`:
each query word an article word of its own) and sorted; further blocks
follow in the index's order (the most recently indexed first) as they are
read. Counting is done by SQLite.

At a million articles each full-text query costs milliseconds to a tenth
of a second, so a search asks as few as it can: the full matches are read
once (:meth:`_Search._first_full`), a term most articles meet is tested row
by row as the order is walked (:func:`~tui.core.catalog.terms.row_by_row`),
partial matches take at most :data:`SUBSETS` subsets of the words, and the
caller may keep the rows read for the next keystroke (``rows``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from itertools import combinations
from math import comb

from rapidfuzz import fuzz

from tui.core.catalog.read import ENTRY_COLUMNS, entry_of
from tui.core.catalog.rows import FIELDS
from tui.core.catalog.terms import (
    NOTHING,
    Cond,
    Conditions,
    Doc,
    IndexField,
    Table,
    all_of,
    any_of,
    best_word,
    common,
    either,
    negate,
    read_docs,
    row_by_row,
    table_match,
    table_tops,
    word_table,
)
from tui.core.model import Entry
from tui.core.query import Facet, Query, Term, as_query, cap_words
from tui.core.ranking import MAX_WORDS, Match, match_article, score
from tui.core.results import RERANK, SearchResult
from tui.core.search import INFLECTED, KNOWN_WORD, WEIGHTS, Hit

_ID = re.compile(r"\be\.id\b")  # a condition on the article's id
_COLUMN = re.compile(r"\be\.")  # ... or on any column of its row

HEADS = ("title", "provider", "topics", "excerpt")  # the fields every article has a few words of
GOOD = 0.8  # a beginning of the word, or a close typo of a long one (see tui.core.vocab.FieldIndex.matches)
WIDER = 4  # a round with more matches than the pool needs: this many times as many looked at (see _Search.pool)
ALL_BUT_ONE = 4  # queries of this many words at most: "all but one word in the title" before the heads...
ALL_BUT_ONE_UNDER = 100  # ... when the titles gave fewer candidates than this, and the heads more than are read
PUSH_IDS = 2000  # a condition on more ids is not handed to the full-text table (see _sql)
VERIFY = 5000  # full matches checked one by one when two query words can stand for one article word
COMBINATIONS = 24  # queries for "all the words but k" at most, per k
SUBSETS = 4  # queries of some of the words at most, in all: then any of them


class _Slot:
    """A plain query word (or an OR of such words): it needs an article word of its own."""

    def __init__(self, label: str, table: Table) -> None:
        self.label = label
        self.table = table
        self.match = table_match(table)
        self.vocab = {w for found in table.values() for w in found}
        self.tops = table_tops(table)
        # A word of the collection ("pain"): its beginnings and typos count
        # KNOWN_WORD less (tui.core.search.token_matches), "paint" too.
        known = any(found.get(label, 0.0) >= WEIGHTS[name] - 1e-9 for name, found in table.items() if name != "body")
        self.good = GOOD * KNOWN_WORD if known else GOOD

    def least(self, level: float) -> float:
        """The quality a round at ``level`` asks of this word's matches."""
        return self.good if level == GOOD else level


class _Tier:
    """Candidates read by position, for :class:`tui.core.results.Ranking`:
    a first pool gathered best first, then the rest in the index's order."""

    def __init__(self, engine: _Search, full: bool) -> None:
        self.engine = engine
        self.full = full
        self._count: int | None = None
        self._seen = 0  # there are at least this many
        self.other: _Tier | None = None  # the full tier, for the partial one
        self._pool: list[int] | None = None
        self._rest: list[int] = []

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.engine.count(self.full)
        return self._count

    def upto(self, cap: int) -> int:
        """The count, or ``cap`` when there are more: at most ``cap`` rows read
        (a keystroke cannot wait for SQLite to count a million matches)."""
        if self._count is not None:
            return min(self._count, cap)
        if cap <= self._seen:
            return cap
        if cap <= RERANK:
            # The first block, gathered anyway to be read: fewer than a block is all of them.
            pool = self.block(0, RERANK)
            if len(pool) < RERANK:
                self._count = len(pool)
            self._seen = max(self._seen, len(pool))
            return min(len(pool), cap)
        limit = max(cap, 2 * self._seen, RERANK)
        if self.full:
            found = self.engine.count(True, limit)
        else:
            # Once the full matches are counted exactly, partial = any word -
            # full: no "not a full match" subquery (it reads every full match).
            full = self.other.upto(limit) if self.other is not None else limit
            found = self.engine.count(False, limit, full if full < limit else None)
        if found < limit:
            self._count = found
        self._seen = max(self._seen, min(found, limit))
        return min(found, cap)

    @property
    def docs(self) -> list[int]:
        """Every id of the tier, unranked (what filtering a list needs)."""
        return self.engine.ordered(self.full, 2**62)

    def block(self, k: int, size: int) -> list[int]:
        if self._pool is None:
            self._pool = self.engine.pool(self.full, size)
        if k == 0:
            return self._pool
        want = k * size
        if len(self._rest) < want:
            taken = set(self._pool)
            self._rest = [i for i in self.engine.ordered(self.full, want + len(taken)) if i not in taken]
        return self._rest[(k - 1) * size : k * size]


class _Search:
    """One query on one index."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        query: Query,
        articles: int,
        marks: Mapping[str, object] | None,
        rows: dict[int, tuple] | None = None,
    ) -> None:
        self.conn = conn
        self.query = query
        fields = {name: IndexField(conn, name) for name in FIELDS}
        self.make = Conditions(conn, fields, articles, marks)
        self.slots: list[_Slot] = []
        self.required: list[list[Cond]] = []  # each group: one of its conditions must hold
        self.labels: list[str] = []
        self.where: list[Cond] = []  # facets and negations: SQL only
        for group in dict.fromkeys(query.groups):
            self._group(group, fields, articles)
        self._row_by_row(articles)
        self.n = len(self.slots) + len(self.required)
        self.whole_query = " ".join(w for t in query.terms if not t.negate for w in t.words)
        self.rows: dict[int, tuple] = {} if rows is None else rows  # articles' rows read (kept by the caller across keystrokes)
        self.scored: dict[int, tuple[tuple, tuple[int, float, str, tuple[str, ...]]]] = {}
        self.demoted: list[int] = []
        self._full: tuple[list[int], bool] = ([], False)  # the first full matches read, all of them? (see _first_full)

    def _group(self, group: tuple, fields: Mapping[str, IndexField], articles: int) -> None:
        positives = [a for a in group if not a.negate]
        negatives = [a for a in group if a.negate]
        if negatives:
            # The group fails only when every negative atom matches and no positive one does.
            inner = [self._cond(a) for a in negatives] + [negate(self._cond(a)) for a in positives]
            self.where.append(NOTHING if self.query.contradicts else negate(all_of(inner)))
            return
        facets = [a for a in positives if isinstance(a, Facet)]
        terms = [a for a in positives if isinstance(a, Term)]
        if facets and not terms:
            self.where.append(any_of([self.make.facet(f) for f in facets]))
            return
        if not facets and all(t.kind == "fuzzy" for t in terms):
            if len(terms) == 1:
                for word in terms[0].words:
                    if all(s.label != word for s in self.slots):
                        self.slots.append(_Slot(word, word_table(fields, word, articles)))
                return
            if all(len(t.words) == 1 for t in terms):
                label = " | ".join(t.words[0] for t in terms)
                self.slots.append(_Slot(label, either(word_table(fields, t.words[0], articles) for t in terms)))
                return
        self.required.append([self._cond(a) for a in positives])
        self.labels.append(" | ".join(t.shown for t in terms))

    def _row_by_row(self, articles: int) -> None:
        """A term most articles meet, as the query's only condition beside its
        plain words (``'r``, ``'open-source``): tested on each row read, in
        the index's order, until a page is full, instead of gathering the ids
        of half a million articles first. Only then: next to another
        condition, the two together may be rare, and the walk long."""
        if len(self.required) == 1 and len(self.required[0]) == 1 and not self.where:
            cond = self.required[0][0]
            if cond.held and common(cond.held, articles):
                self.required[0] = [row_by_row(self.conn, cond)]

    def _cond(self, atom: Term | Facet) -> Cond:
        return self.make.facet(atom) if isinstance(atom, Facet) else self.make.term(atom)

    # -- candidates ------------------------------------------------------------------------
    def _sql(
        self,
        match: str | None,
        extra: list[Cond],
        what: str,
        tail: str = "",
        params: tuple = (),
        table: str = "words",
        ordered: bool = False,
    ) -> tuple[str, list]:
        """``table``: "titles" for a match of titles only (their own, smaller
        full-text table); ``ordered``: the rows are walked in the date order."""
        conds = [any_of(group) for group in self.required] + self.where + extra
        # A walk (the date order, the full-text matches) tests ids (Cond.walk);
        # counting every article of a facet alone reads its indexes.
        walking = ordered or match is not None
        clauses = [c.walk if walking and c.walk else c.sql for c in conds]
        values: list[object] = [v for c in conds for v in c.params]
        if match is not None and not any(_COLUMN.search(_ID.sub("", c)) for c in clauses):
            # The words and conditions on the id alone: the full-text table answers without the entries.
            what = _ID.sub("w.rowid", what)
            # SQLite hands "rowid IN (ids)" to FTS5, which then evaluates the
            # whole match once per id: fine for a few ids, minutes for the
            # 270,000 articles of 'recog at a million ('recog !china study…).
            # A term's many ids are tested on the rows the match yields instead.
            clauses = [_ID.sub("+w.rowid" if cond.held > PUSH_IDS else "w.rowid", c) for c, cond in zip(clauses, conds, strict=True)]
            sql = f"SELECT {what} FROM {table} w WHERE w.{table} MATCH ?"
            values.insert(0, match)
        elif match is not None:
            sql = f"SELECT {what} FROM {table} w JOIN entries e ON e.id = w.rowid WHERE w.{table} MATCH ?"
            values.insert(0, match)
        else:
            sql = f"SELECT {what} FROM entries e WHERE 1"
        if clauses:
            sql += " AND " + " AND ".join(f"({c})" for c in clauses)
        return sql + tail, values + list(params)

    def _full_match(self, fields: tuple[str, ...] = FIELDS, least: float = 0.0) -> str | None:
        parts = [table_match(s.table, fields=fields, least=s.least(least)) for s in self.slots]
        if not all(parts):
            return None
        return " AND ".join(p for p in parts if p)

    def _all_but_one(self) -> list[str]:
        """Full matches of every word but one in the title, that one in the
        heads (the provider, a topic, the excerpt), each word in turn: such a
        story ranks before one with fewer words in its title ('magazine
        natural processing language' among a million, where hundreds of "…
        large language models" from "Analytics India Magazine" hold all four
        words in their heads). Two to ALL_BUT_ONE words; a word found in no
        other field than the title gives the titles' match again: left out."""
        if not 2 <= len(self.slots) <= ALL_BUT_ONE:
            return []
        title = [table_match(s.table, fields=("title",), least=s.least(INFLECTED)) for s in self.slots]
        out = []
        for j, slot in enumerate(self.slots):
            heads = table_match(slot.table, fields=HEADS, least=slot.least(INFLECTED))
            if heads is not None and heads != title[j] and all(title[:j] + title[j + 1 :]):
                out.append(" AND ".join([*title[:j], heads, *title[j + 1 :]]))  # type: ignore[list-item]
        return out

    def _ids(self, match: str | None, limit: int, extra: list[Cond] = (), table: str = "words") -> list[int]:  # type: ignore[assignment]
        if match is None and self.slots:
            return []
        order = " ORDER BY w.rowid DESC" if match is not None else " ORDER BY e.neg_ts, e.id"
        sql, values = self._sql(match, list(extra), "e.id", order + " LIMIT ?", (limit,), table, ordered=True)
        return [i for (i,) in self.conn.execute(sql, values)]

    def _not_full(self) -> list[Cond]:
        """Not a full match of the words (the operators and facets hold for both tiers)."""
        match = self._full_match()
        if match is None:
            return []
        return [Cond("e.id NOT IN (SELECT rowid FROM words WHERE words MATCH ?)", [match], lambda d: None)]

    def count(self, full: bool, limit: int | None = None, full_count: int | None = None) -> int:
        """How many full (or partial) matches; with ``limit``, at most that
        many rows are read (the count is exact when it is below ``limit``).
        ``full_count``: the exact number of full matches, when known."""
        if full:
            if self.slots and self._full_match() is None:
                return 0
            known, complete = self._full
            if complete:  # every full match was read already (fewer than a pool, or verified)
                return len(known) - len(self.demoted)
            if limit is not None and not self.slots and not self.where and len(self.required) == 1 and len(self.required[0]) == 1:
                # One term alone ('r): past the limit by the vocabulary's counts, no row read
                # (a term tested row by row costs Python 10 µs a row, 0.1-0.4 s a count).
                if self.required[0][0].least >= limit + len(self.demoted):
                    return limit
            return self._counted(self._full_match() if self.slots else None, [], limit, len(self.demoted)) - len(self.demoted)
        if len(self.slots) < 2 or self._any_match() is None:
            return 0
        if limit is not None and full_count is not None:
            # Every full match matches some word: partial = any word - full.
            return min(limit, self._counted(self._any_match(), [], limit, full_count + len(self.demoted)) - full_count)
        return self._counted(self._any_match(), self._not_full(), limit, 0) + len(self.demoted)

    def _counted(self, match: str | None, extra: list[Cond], limit: int | None, more: int) -> int:
        if limit is None:
            sql, values = self._sql(match, extra, "count(*)")
            return self.conn.execute(sql, values).fetchone()[0]
        sql, values = self._sql(match, extra, "1", " LIMIT ?", (limit + more,))
        return self.conn.execute(f"SELECT count(*) FROM ({sql})", values).fetchone()[0]

    def _any_match(self) -> str | None:
        parts = [s.match for s in self.slots if s.match]
        return " OR ".join(f"({p})" for p in parts) if parts else None

    def pool(self, full: bool, size: int) -> list[int]:
        """The first ``size`` candidates, gathered best first, scored exactly and sorted."""
        found: dict[int, None] = {}
        if full:
            typed = all(len(s.label) >= 3 for s in self.slots)  # no word of a letter or two (half typed)
            if self.slots:
                # Best first: a round's matches may be more than a pool holds,
                # so the rounds go from the words themselves to their
                # beginnings to their typos, and from the fields that weigh
                # most to the rest (a word in the provider or excerpt beats a
                # typo in the title; one in the body, none). With words of
                # three letters or more, a round looks at up to WIDER pools
                # and keeps the shortest titles (equal matches rank so); with
                # a word of a letter or two (half typed), the index's order
                # stands.
                asked = [
                    (("title",), INFLECTED, "titles"),
                    (("title",), GOOD, "titles"),
                    (HEADS, INFLECTED, "words"),
                    (("title",), 0.0, "titles"),
                    (HEADS, GOOD, "words"),
                    (HEADS, 0.0, "words"),
                    (FIELDS, INFLECTED, "words"),
                    (FIELDS, GOOD, "words"),
                    (FIELDS, 0.0, "words"),
                ]
                rounds: dict[tuple[str | None, str], bool] = {}
                for fields, least, table in asked:
                    rounds.setdefault((self._full_match(fields, least), table), typed)
                heads = (self._full_match(HEADS, INFLECTED), "words")  # (before it: all but one word in the title)
            else:
                rounds, heads = {(None, "words"): False}, None
            lost = set(self.demoted)
            every: list[int] | None = None
            whole = self._full_match() if self.slots else None  # what _first_full reads
            asked_titles = max((k for k, (_, table) in enumerate(rounds) if table == "titles"), default=-1)
            for k, ((match, table), wide) in enumerate(rounds.items()):
                if match is None and self.slots:
                    continue
                if every is None and (match == whole or (table == "words" and k > asked_titles)):
                    # Not filled by the titles: are there more than a pool at all?
                    every = self._first_full(size + 1 + len(lost))
                    if len(every) <= size + len(lost):  # no: all of them, in one query
                        found.update(dict.fromkeys(i for i in every if i not in lost))
                        break
                want = (WIDER * (size - len(found)) if wide else size - len(found)) + len(found) + len(lost)
                # The whole match is read once (_first_full): counting reads it too.
                read = self._first_full(want) if match == whole else self._ids(match, want, table=table)
                if (match, table) == heads and typed and len(found) < ALL_BUT_ONE_UNDER and len(set(read) - lost - found.keys()) > size - len(found):
                    # More stories hold every word in their heads than the
                    # pool takes: those with all but one in the title first.
                    for other in self._all_but_one():
                        self._add(found, lost, self._ids(other, want), want, size)
                self._add(found, lost, read, want, size)
                if len(found) >= size:
                    break
            ids = list(found)
        else:
            ids = self._partial_pool(size)
        return [rec[0] for rec in self.materialize(ids)][:size]

    def _add(self, found: dict[int, None], lost: set[int], read: list[int], want: int, size: int) -> None:
        """A round's ids into the pool (up to ``size``): all when the round
        read fewer than it asked for, else the shortest titles."""
        need = size - len(found)
        fresh = [i for i in read if i not in lost and i not in found]
        if len(read) >= want:  # more than WIDER pools: the index's order stands
            fresh = fresh[:need]
        found.update(dict.fromkeys(self._shortest(fresh, need)))

    def _shortest(self, ids: list[int], n: int) -> list[int]:
        """The ``n`` of ``ids`` with the shortest titles (of equal matches the
        shorter title ranks first; index order among equal lengths): a round
        with more matches than the pool keeps those most likely to rank."""
        if len(ids) <= n:
            return ids
        length = dict(self.conn.execute(f"SELECT id, length(title) FROM entries WHERE id IN ({','.join('?' * len(ids))})", ids))
        return sorted(ids, key=lambda i: length.get(i, 0))[:n]

    def verify(self) -> None:
        """Where two query words can stand for one article word, the full
        matches (up to :data:`VERIFY` of them) are checked one by one: those
        where the words cannot each have a word of their own are partial
        (``demoted``). Done before anything is counted."""
        match = self._full_match()
        if match is None or not self._clash():
            return
        everything = self._first_full(VERIFY)
        if len(everything) < VERIFY:
            docs = self._read(everything)
            self.demoted = [i for i in everything if not self._match(docs[i]).full]

    def _clash(self) -> bool:
        slots = self.slots
        return any(not slots[i].vocab.isdisjoint(slots[j].vocab) for i in range(len(slots)) for j in range(i + 1, len(slots)))

    def _partial_pool(self, size: int) -> list[int]:
        """Partial matches, most words first: every k-word subset of the words, k falling."""
        if len(self.slots) < 2:
            return []
        found: dict[int, None] = dict.fromkeys(self.demoted)
        live = [s.match for s in self.slots if s.match]
        # The full matches, left out: by their ids when they are few (read
        # once), else by SQL (which would evaluate every word again per query).
        full = self._full_ids()
        not_full = self._not_full() if full is None else []
        skip = full or set()
        held = {s.match: self.make.held(s.table) for s in self.slots if s.match}
        queries = 0
        for k in range(len(self.slots) - 1, 0, -1):
            if k > len(live):
                continue
            if comb(len(live), k) > COMBINATIONS or queries >= SUBSETS:
                rounds = [" OR ".join(f"({m})" for m in live)]
            else:
                # Those likely to hold the most first (their rarest word the most
                # common): a pool is often full after one or two.
                combos = sorted(combinations(live, k), key=lambda c: -min(held[m] for m in c))
                rounds = [" AND ".join(f"({m})" for m in combo) for combo in combos]
            for match in rounds:
                if len(found) >= size:
                    break
                queries += 1
                for i in self._ids(match, size + len(found) + len(skip), not_full):
                    if len(found) < size and i not in skip:
                        found[i] = None
            if len(found) >= size:
                break
        return list(found)

    def _full_ids(self) -> set[int] | None:
        """The ids of every full match (demoted ones too), when there are fewer than :data:`VERIFY`."""
        ids = self._first_full(VERIFY)
        return set(ids) if len(ids) < VERIFY else None

    def _first_full(self, limit: int) -> list[int]:
        """The first ``limit`` full matches in the index's order (demoted ones
        too): read once per search, however many ask (each reading of a
        long query's words costs FTS5 a tenth of a second at a million)."""
        known, complete = self._full
        if len(known) < limit and not complete:
            match = self._full_match() if self.slots else None
            known = self._ids(match, limit) if match is not None or not self.slots else []
            self._full = (known, len(known) < limit)
        return known[:limit]

    def ordered(self, full: bool, limit: int) -> list[int]:
        """Candidates in the index's order (the most recently indexed first)."""
        if full:
            lost = set(self.demoted)
            return [i for i in self._ids(self._full_match() if self.slots else None, limit + len(lost)) if i not in lost]
        return self.demoted + self._ids(self._any_match(), limit, self._not_full())

    # -- scoring ---------------------------------------------------------------------------------
    def _read(self, ids: list[int]) -> dict[int, Doc]:
        # Made from the rows each time (2 µs an article), never kept: a result
        # may live on in a worker's arguments until the cycle collector comes
        # (Textual's workers are in a cycle with their context), and 300 parsed
        # articles a keystroke made that collection 50-90 ms.
        return read_docs(self.conn, ids, self.rows)

    def _match(self, doc: Doc) -> Match:
        """The best assignment of the query words to the article's words:
        each word's best match when those are different words (most
        articles), else the assignment (:func:`tui.core.ranking.match_article`)."""
        best = [best_word(s.table, doc, s.tops) for s in self.slots]
        got = [b[2] for b in best if b is not None]
        if len(set(got)) == len(got):
            return Match(tuple(None if b is None else (b[1], b[2]) for b in best), sum(b[0] for b in best if b is not None))
        return match_article([s.table for s in self.slots], doc.words)

    def materialize(self, block: list[int]) -> list[tuple[int, float, str, tuple[str, ...]]]:
        """A block scored exactly, best first (as :meth:`tui.core.ranking.Ranker._materialize`)."""
        if not self.n:  # facets and negations only: nothing to rank, the index's order stands
            return [(i, 100.0, "", ()) for i in block]
        scored = self.scored
        docs = self._read([i for i in block if i not in scored])
        for i in block:
            doc = docs.get(i)
            if doc is not None:
                scored[i] = self._score(doc)
        ranked = [scored[i] for i in block if i in scored]
        ranked.sort(key=lambda item: item[0])
        return [record for _, record in ranked]

    def _score(self, doc: Doc) -> tuple[tuple, tuple[int, float, str, tuple[str, ...]]]:
        i = doc.id
        match = self._match(doc)
        total, best, where, covered, missing = 0.0, -1.0, "title", len(self.required), []
        for slot, chosen in zip(self.slots, match.chosen, strict=True):
            if chosen is None:
                missing.append(slot.label)
                continue
            quality = slot.table[chosen[0]][chosen[1]]
            total += quality
            covered += 1
            if quality > best:
                best, where = quality, chosen[0]
        for group in self.required:
            found = [f for f in (c.test(doc) for c in group) if f is not None]
            quality, name = max(found) if found else (0.0, "")
            total += quality
            if quality > best:
                best, where = quality, name or "title"
        whole = fuzz.WRatio(self.whole_query, doc.plain_title) / 100 if self.whole_query else 0.0
        points = score(total, covered, self.n, whole)
        key = (-covered, -points, len(doc.plain_title), -(doc.ts or 0.0), i)
        return key, (i, points, where, tuple(missing))


def search(
    conn: sqlite3.Connection,
    query: str | Query,
    articles: int,
    *,
    marks: Mapping[str, object] | None = None,
    rows: dict[int, tuple] | None = None,
) -> SearchResult[Hit]:
    """Every hit of ``query``, best first, read by position, counted (see
    :class:`tui.core.results.SearchResult`). Each :class:`~tui.core.search.Hit`
    has the article's id as ``index`` and its entry. ``marks``: identity keys
    (:func:`tui.core.bookmarks.entry_key`) of the ``"bookmarked"`` and
    ``"read"`` articles, for ``is:``; without them ``is:`` matches nothing.
    ``rows``: articles' rows already read from this index as it is now (the
    next keystroke's candidates are mostly the last one's), filled as it reads."""
    q = as_query(query)
    used, ignored = cap_words(q, MAX_WORDS)
    engine = _Search(conn, used, articles, marks, rows)
    engine.verify()
    unmatched = tuple(s.label for s in engine.slots if not s.match) + tuple(
        label for label, group in zip(engine.labels, engine.required, strict=True) if all(c is NOTHING for c in group)
    )
    entries: dict[int, Entry] = {}

    def make(record: tuple[int, float, str, tuple[str, ...]]) -> Hit:
        i, points, where, missing = record
        if i not in entries:
            row = conn.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", (i,)).fetchone()
            entries[i] = entry_of(row)
        return Hit(i, points, where, used, entries[i], missing)

    if used.is_empty:
        return SearchResult(used, _Empty(), _Empty(), list, make, ignored)
    full, partial = _Tier(engine, True), _Tier(engine, False)
    partial.other = full
    return SearchResult(used, full, partial, engine.materialize, make, ignored, unmatched)


class _Empty:
    docs: list[int] = []

    def __len__(self) -> int:
        return 0

    def upto(self, cap: int) -> int:
        return 0

    def block(self, k: int, size: int) -> list[int]:
        return []


__all__ = ["RERANK", "search"]
