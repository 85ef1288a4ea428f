"""The collection as a graph, looked up in the index: where a related entry
points, who cites an article, the versions of its story, and more like it.

The rules are those of the in-memory graph (:mod:`tui.core.resolve`,
:mod:`tui.core.graph`); here each answer is a few queries:

* a related entry resolves by any of its URLs (the ``urls`` table, first
  article first), else by title: the titles sharing its words (the
  full-text table, best first), compared with rapidfuzz, of the same site
  when the entry names one;
* backlinks: the articles whose related lists hold a reference (a packed
  URL key or title, see :func:`tui.core.model.ref_digest`) that names this
  article (the ``refs`` table);
* versions: the article's story group (the ``stories`` table);
* more like this: its rarest words (document counts from the ``vocab``
  table), the articles holding them weighted by rarity, re-ranked by title.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence

from rapidfuzz import fuzz

from tui.core.catalog.rows import FIELDS, split
from tui.core.graph import COMMON, MAX_TERMS, SIMILAR_WEIGHTS, STOP_WORDS, nearest
from tui.core.model import TITLE_REF, Related, ref_digest, title_key
from tui.core.resolve import MIN_SHARED, TITLE_THRESHOLD, entry_sites, resolve_related

TITLE_CANDIDATES = 300  # titles compared with a related entry's, best full-text matches first
# More like this reads the articles of an article's rarest words, rarest
# first, until this many rows: a word of 40,000 articles among a million
# (still "rare" by graph.COMMON) would cost more than all the rarer ones.
ROWS = 30_000
RAREST = 3  # title words asked of the full-text table when looking for the same title


def quote(word: str) -> str:
    """A word as the full-text query language takes it, whatever it holds."""
    return '"' + word.replace('"', '""') + '"'


class Links:
    """Graph lookups over the index (mixed into :class:`tui.core.catalog.catalog.Catalog`)."""

    # From Reader: conn, entry(id), entries(ids), len().
    conn: sqlite3.Connection

    # -- related entries ----------------------------------------------------------------------
    def id_of_url(self, key: str) -> int | None:
        """The first article with this normalised URL."""
        row = self.conn.execute("SELECT min(id) FROM urls WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def resolve(
        self,
        related: Related,
        *,
        by_url: bool = True,
        by_title: bool = True,
        threshold: float = TITLE_THRESHOLD,
        same_site: bool = True,
    ) -> int | None:
        """The article a related snapshot points to (as :meth:`Collection.resolve_index`)."""
        return resolve_related(related, self.id_of_url if by_url else None, self.match_title if by_title else None, threshold, same_site)

    def match_title(
        self, title: str, sites: set[str] | None = None, threshold: float = TITLE_THRESHOLD, ts: float | None = None
    ) -> tuple[int, float] | None:
        """(id, score) of the best title match at or above ``threshold``, only
        among articles of ``sites`` when given; ties to the nearest date."""
        key = title_key(title)
        words = list(dict.fromkeys(split(title)))
        if not key or not words:
            return None
        if not sites:
            same = [i for i, t in self._titled(words).items() if title_key(t) == key]
            if same:
                return min(same), 100.0
        # A title that matches shares at least half of the words, so it holds
        # one of the rarest (len - half + 1) of them (as TitleIndex.candidates):
        # only those are asked for, never the common ones a million titles hold.
        counts = self._counts("title", set(words))
        present = sorted((w for w in words if counts.get(w)), key=lambda w: counts[w])
        if not present:
            return None
        need = max(1, round(len(present) * MIN_SHARED))
        match = "title: (" + " OR ".join(quote(w) for w in present[: len(present) - need + 1]) + ")"
        ids = [i for (i,) in self.conn.execute("SELECT rowid FROM titles WHERE titles MATCH ? ORDER BY rank LIMIT ?", (match, TITLE_CANDIDATES))]
        # Titles first (a few columns); whole entries only for the titles that match.
        close: dict[int, float] = {}
        for i, candidate in self._titles(ids).items():
            score = fuzz.token_sort_ratio(key, title_key(candidate), score_cutoff=threshold)
            if score:
                close[i] = score
        scored: list[tuple[float, float, int]] = []
        for i, entry in self.entries(list(close)).items():
            if sites and not (entry_sites(entry) & sites):
                continue
            distance = abs(entry.ts - ts) if entry.ts is not None and ts is not None else float("inf")
            scored.append((-close[i], distance, i))
        if not scored:
            return None
        score, _, best = min(scored)
        return best, -score

    def _titled(self, words: Sequence[str]) -> dict[int, str]:
        """id -> title of the articles whose titles hold the rarest of these
        words (at most 1,000; the caller compares the titles): the common
        ones ("to", "the") add nothing but work to a full-text AND."""
        counts = self._counts("title", set(words))
        if any(not counts.get(w) for w in words):
            return {}
        rarest = sorted(words, key=lambda w: counts[w])[:RAREST]
        match = "title: (" + " ".join(quote(w) for w in rarest) + ")"
        ids = [i for (i,) in self.conn.execute("SELECT rowid FROM titles WHERE titles MATCH ? LIMIT 1000", (match,))]
        return self._titles(ids)

    def _titles(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            rows = self.conn.execute(f"SELECT id, title FROM entries WHERE id IN ({','.join('?' * len(part))})", part)
            out.update(rows)
        return out

    # -- backlinks and versions ----------------------------------------------------------------
    def citing(self, id_: int) -> list[int]:
        """The articles whose related lists name this one (oldest indexed first)."""
        entry = self.entry(id_)
        if entry is None:
            return []
        refs = [ref_digest(key) for key in entry.all_keys if self.id_of_url(key) == id_]
        key = title_key(entry.title)
        words = list(dict.fromkeys(split(entry.title)))
        if key and words:
            same = [i for i, t in self._titled(words).items() if title_key(t) == key]
            if same and min(same) == id_:
                refs.append(ref_digest(TITLE_REF + key))
        if not refs:
            return []
        marks = ",".join("?" * len(refs))
        rows = self.conn.execute(f"SELECT DISTINCT id FROM refs WHERE ref IN ({marks}) AND id != ? ORDER BY id", (*refs, id_))
        return [i for (i,) in rows]

    def versions(self, id_: int) -> list[int]:
        """Every version of the story this article tells, itself included, newest first."""
        rows = self.conn.execute(
            "SELECT e.id, e.ts, e.path FROM stories s JOIN entries e ON e.id = s.id "
            "WHERE s.grp = (SELECT grp FROM stories WHERE id = ?)",
            (id_,),
        ).fetchall()
        if not rows:
            return [id_]
        rows.sort(key=lambda r: (-(r[1] or 0.0), r[2]))
        return [r[0] for r in rows]

    def story_size(self, id_: int) -> int:
        row = self.conn.execute("SELECT count(*) FROM stories WHERE grp = (SELECT grp FROM stories WHERE id = ?)", (id_,)).fetchone()
        return max(1, row[0])

    # -- more like this --------------------------------------------------------------------------
    def more_like_this(self, id_: int, limit: int = 8, exclude: Sequence[int] = ()) -> list[int]:
        """The articles nearest to this one (as :func:`tui.core.graph.more_like_this`)."""
        entry = self.entry(id_)
        n = len(self)
        if entry is None or not n:
            return []
        own_title = set(split(entry.title)) - STOP_WORDS
        own_excerpt = set(split(entry.excerpt)) - STOP_WORDS - own_title
        own_topics = set(split(" ".join(entry.topics))) - STOP_WORDS
        cap = max(20, int(n * COMMON))
        lookups: list[tuple[float, str, str, int]] = []
        for name, query in (("title", own_title | own_excerpt), ("excerpt", own_title | own_excerpt), ("topics", own_topics)):
            counts = self._counts(name, query)
            weight = SIMILAR_WEIGHTS[name]
            for word, df in counts.items():
                if df > cap or df < 2:
                    continue
                w = weight * math.log(n / df)
                if name == "excerpt" and word not in own_title:
                    w *= 0.7  # excerpt word against excerpt word: the weakest evidence
                lookups.append((w, name, word, df))
        lookups.sort(key=lambda item: -item[0])
        scores: dict[int, float] = {}
        get = scores.get
        budget = ROWS
        for w, name, word, df in lookups[: MAX_TERMS * 2]:
            if df > budget and scores:
                continue  # the rarer words (weighed more) were read first; this one would cost more than it tells
            budget -= df
            table = "titles" if name == "title" else "words"  # (a title's words: their own table, smaller)
            for (d,) in self.conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (f"{name}: {quote(word)}",)):
                scores[d] = get(d, 0.0) + w
        return nearest(scores, id_, entry, self.entries, limit, exclude)

    def _counts(self, field: str, words: set[str]) -> dict[str, int]:
        """How many articles hold each word in ``field``."""
        if not words:
            return {}
        column = FIELDS[FIELDS.index(field)]
        marks = ",".join("?" * len(words))
        rows = self.conn.execute(f"SELECT word, {column} FROM vocab WHERE word IN ({marks})", list(words))
        return {w: n for w, n in rows if n}
