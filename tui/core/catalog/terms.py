"""What a query asks of the index: each word's vocabulary, and each
operator and facet as an SQL condition (which articles) with the same test
in Python (how well one article meets it, for ranking).

A plain word is matched against the ``vocab`` table by the rules of the
in-memory engine (:meth:`tui.core.vocab.FieldIndex.matches` and
:func:`tui.core.search.token_matches`, shared: beginnings, one typo through
the ``typos`` table, consonant skeletons); the words it stands for become a
full-text query.
"""

from __future__ import annotations

import itertools
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz, utils

from tui.core.catalog.links import quote
from tui.core.catalog.rows import FIELDS, SEP, UNDATED
from tui.core.catalog.write import typo_keys
from tui.core.query import Facet, Term
from tui.core.search import WEIGHTS, token_matches, words
from tui.core.vocab import TYPO_CUTOFF, FieldIndex

BODY_COMMON = 25  # as tui.core.search: a body word in more than 1/25 of the articles is not searched
CONTAINING = 2000  # vocabulary words an exact term ('x) stands for, at most
FEW = 20_000  # a facet held by more articles is checked article by article (see Conditions.facet)
Table = dict[str, dict[str, float]]  # field -> {vocabulary word: weighted quality}


class IndexField(FieldIndex):
    """One field's vocabulary in the index, answering as a
    :class:`~tui.core.vocab.FieldIndex` does (its ``matches`` rules run
    unchanged on these look-ups)."""

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:  # noqa: D107 - no postings in memory
        self.conn = conn
        self.name = name
        self._counts: dict[str, int] = {}

    def count(self, word: str) -> int:
        found = self._counts.get(word)
        if found is None:
            row = self.conn.execute(f"SELECT {self.name} FROM vocab WHERE word = ?", (word,)).fetchone()
            found = self._counts[word] = row[0] if row else 0
        return found

    def has(self, word: str) -> bool:
        return self.count(word) > 0

    def beginning(self, token: str, limit: int) -> list[str]:
        rows = self.conn.execute(
            f"SELECT word FROM vocab WHERE word >= ? AND word < ? AND {self.name} > 0 ORDER BY word LIMIT ?",
            (token, token + "\U0010ffff", limit),
        )
        return [w for (w,) in rows]

    def typos(self, token: str) -> Iterable[tuple[str, float]]:
        keys = list(typo_keys(token))
        rows = self.conn.execute(
            f"SELECT DISTINCT t.word FROM typos t JOIN vocab v ON v.word = t.word "
            f"WHERE t.key IN ({','.join('?' * len(keys))}) AND v.{self.name} > 0",
            keys,
        )
        for (word,) in rows:
            score = fuzz.ratio(token, word)
            if score >= TYPO_CUTOFF:
                yield word, score

    def consonants(self, token: str, limit: int) -> Iterable[tuple[str, list[str]]]:
        rows = self.conn.execute(
            f"SELECT skel, word FROM vocab WHERE skel >= ? AND skel < ? AND {self.name} > 0 ORDER BY skel, word",
            (token, token + "\U0010ffff"),
        )
        out: dict[str, list[str]] = {}
        for sk, word in rows:
            if sk not in out and len(out) >= limit:
                break
            out.setdefault(sk, []).append(word)
        return out.items()

    def containing(self, text: str) -> list[str]:
        if len(text) <= 2 and self.has(text):
            return [text]
        rows = self.conn.execute(f"SELECT word FROM vocab WHERE instr(word, ?) > 0 AND {self.name} > 0 LIMIT ?", (text, CONTAINING))
        return [w for (w,) in rows]


def word_table(fields: Mapping[str, IndexField], token: str, articles: int) -> Table:
    """What one query word stands for, per field (see :func:`tui.core.search.token_matches`)."""
    table: Table = {}
    for quality, name, word in sorted(token_matches(fields, token, max(50, articles // BODY_COMMON))):
        table.setdefault(name, {})[word] = quality  # lowest first: the best stays
    return table


def either(tables: Iterable[Table]) -> Table:
    """``a | b``: a word that stands for what either stands for."""
    out: Table = {}
    for table in tables:
        for name, found in table.items():
            merged = out.setdefault(name, {})
            for word, quality in found.items():
                merged[word] = max(quality, merged.get(word, 0.0))
    return out


def table_match(table: Table, *, fields: Iterable[str] = FIELDS, least: float = 0.0) -> str | None:
    """The full-text query for the words a table holds (``least``: only
    those of this quality at least, before the field's weight: INFLECTED
    is the word itself and its inflections), None when it holds none."""
    asked: dict[str, list[str]] = {}  # word -> the fields it is asked in
    for name in fields:
        for word, quality in table.get(name, {}).items():
            if quality >= least * WEIGHTS[name] - 1e-9:
                asked.setdefault(word, []).append(name)
    # One phrase per word, for all its fields ({title body}: "study"): FTS5
    # reads a word's list once per phrase, and a word asked field by field
    # (title: "study" OR body: "study") had its list read once per field.
    together: dict[tuple[str, ...], list[str]] = {}
    for word, names in asked.items():
        together.setdefault(tuple(names), []).append(word)
    parts = [
        (names[0] if len(names) == 1 else "{" + " ".join(names) + "}") + ": (" + " OR ".join(quote(w) for w in words_) + ")"
        for names, words_ in together.items()
    ]
    return "(" + " OR ".join(parts) + ")" if parts else None


def best_word(table: Table, doc: Doc, tops: Sequence[tuple[str, float, int]] | None = None) -> tuple[float, str, str] | None:
    """The best (weighted quality, field, word) of a table's words in an
    article (of equal ones, the first field in the table, then the first in
    the article). ``tops``: :func:`table_tops`, the fields best first: a
    field that cannot beat what was found is never split into words (the
    body, mostly)."""
    best: tuple[float, str, str] | None = None
    at = 0  # the table position of best's field
    for name, top, pos in tops if tops is not None else table_tops(table):
        if best is not None and (top < best[0] or (top == best[0] and pos > at)):
            continue
        found = table[name]
        present = doc.field_set(name)
        if not present:
            continue
        if len(found) < len(present):
            hits = [w for w in found if w in present]  # a few look-ups, not one per article word
            if len(hits) > 1:
                hits.sort(key=doc.field_words(name).index)
        else:
            hits = [w for w in doc.field_words(name) if w in found]
        for word in hits:
            quality = found[word]
            if best is None or quality > best[0] or (quality == best[0] and pos < at):
                best, at = (quality, name, word), pos
    return best


def table_tops(table: Table) -> list[tuple[str, float, int]]:
    """A table's fields, each with its best quality and its position, best first."""
    tops = [(name, max(found.values()), pos) for pos, (name, found) in enumerate(table.items()) if found]
    return sorted(tops, key=lambda t: (-t[1], t[2]))


def best_in(table: Table, doc: Doc, tops: Sequence[tuple[str, float, int]] | None = None) -> tuple[float, str] | None:
    """The best (weighted quality, field) of a table's words in an article."""
    found = best_word(table, doc, tops)
    return None if found is None else found[:2]


@dataclass
class Doc:
    """What ranking and the conditions' tests need of one article."""

    id: int
    title: str
    provider: str
    domain: str
    ts: float | None
    topics: tuple[str, ...]
    excerpt: str
    body: str
    ident: str
    plain_title: str = field(init=False)
    _words: dict[str, list[str]] = field(init=False, repr=False)
    _sets: dict[str, set[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.plain_title = utils.default_process(self.title)
        self._words, self._sets = {}, {}

    def field_words(self, name: str) -> list[str]:
        """One field's words, in order (split when first asked: a search
        asks of some hundred articles for two or three fields)."""
        found = self._words.get(name)
        if found is None:
            text = self.field_text(name)
            found = self._words[name] = text.split() if name == "body" else words(text)
        return found

    def field_text(self, name: str) -> str:
        """One field's text as its words are split from it (each word is in it)."""
        if name == "title":
            return self.plain_title
        if name == "provider":
            return f"{self.provider} {self.domain}".lower()
        if name == "topics":
            return " ".join(self.topics).lower()
        if name == "excerpt":
            return self.excerpt.lower()
        return self.body

    def field_set(self, name: str) -> set[str]:
        found = self._sets.get(name)
        if found is None:
            found = self._sets[name] = set(self.field_words(name))
        return found

    @property
    def words(self) -> dict[str, list[str]]:
        """Every field's words."""
        return {name: self.field_words(name) for name in FIELDS}

    @property
    def haystack(self) -> str:
        return " ".join((self.title, self.provider, self.domain, " ".join(self.topics), self.excerpt, self.body)).lower()


DOC_COLUMNS = "id, title, provider, domain, ts, topics, excerpt, words, ident"


def read_docs(conn: sqlite3.Connection, ids: Iterable[int], rows: dict[int, tuple] | None = None) -> dict[int, Doc]:
    """The articles with these ids. ``rows``: their rows as read before
    (a row is ~1 KB, its Doc ~9 KB: rows are what a caller keeps), and
    those read now are added to it."""
    kept = {} if rows is None else rows
    ids = list(ids)
    missing = [i for i in ids if i not in kept]
    for start in range(0, len(missing), 900):
        part = missing[start : start + 900]
        for row in conn.execute(f"SELECT {DOC_COLUMNS} FROM entries WHERE id IN ({','.join('?' * len(part))})", part):
            kept[row[0]] = row
    out: dict[int, Doc] = {}
    for i in ids:
        row = kept.get(i)
        if row is not None:
            _, title, provider, domain, ts, topics, excerpt, body, ident = row
            out[i] = Doc(i, title, provider, domain, ts, tuple(topics.split(SEP)) if topics else (), excerpt, body, ident)
    return out


@dataclass
class Cond:
    """Which articles meet an operator or facet (``sql``, a condition on
    ``e``, the entries row) and how well one does (``test``: its weighted
    quality and field, or None)."""

    sql: str
    params: list[object]
    test: Callable[[Doc], tuple[float, str] | None]
    label: str = ""
    held: int = 0  # about how many articles meet it, when known (see row_by_row)
    least: int = 0  # at least this many articles meet it (a count that needs no reading)
    # The same condition (same params) for a query that walks an order or the
    # full-text matches: ids tested against a set, no row read for each.
    walk: str | None = None


NOTHING = Cond("0", [], lambda d: None)


def _walk(conds: list[Cond], joint: str) -> str | None:
    return joint.join(f"({c.walk or c.sql})" for c in conds) if any(c.walk for c in conds) else None


def any_of(conds: list[Cond]) -> Cond:
    """One of these conditions holds (the best one's quality)."""
    if len(conds) == 1:
        return conds[0]
    if not conds:
        return NOTHING
    test = lambda d: next((r for r in (c.test(d) for c in conds) if r), None)  # noqa: E731
    return Cond(" OR ".join(f"({c.sql})" for c in conds), [v for c in conds for v in c.params], test, walk=_walk(conds, " OR "))


def all_of(conds: list[Cond]) -> Cond:
    """Every one of these conditions holds."""
    test = lambda d: (1.0, "") if all(c.test(d) for c in conds) else None  # noqa: E731
    return Cond(" AND ".join(f"({c.sql})" for c in conds), [v for c in conds for v in c.params], test, walk=_walk(conds, " AND "))


def negate(cond: Cond) -> Cond:
    """The condition does not hold."""
    walk = f"NOT ({cond.walk})" if cond.walk else None
    return Cond(f"NOT ({cond.sql})", list(cond.params), lambda d: None if cond.test(d) else (1.0, ""), walk=walk)


# Row by row: a condition most articles meet (or miss) is tested on each row
# SQLite reads in the order it walks (a LIMIT stops it early), instead of
# gathering every matching id first (seconds for half a million).
_ROW_TESTS: weakref.WeakValueDictionary[int, Callable[[Doc], object]] = weakref.WeakValueDictionary()
_row_keys = itertools.count(1)
ROW_COLUMNS = "e.id, e.title, e.provider, e.domain, e.ts, e.topics, e.excerpt, e.words, e.ident"


def _row_test(
    key: int, i: int, title: str, provider: str, domain: str, ts: float | None, topics: str, excerpt: str, body: str, ident: str
) -> int:
    test = _ROW_TESTS.get(key)
    if test is None:
        return 0
    doc = Doc(i, title, provider, domain, ts, tuple(topics.split(SEP)) if topics else (), excerpt, body, ident)
    return int(test(doc) is not None)


def best_containing(doc: Doc, part: str) -> tuple[float, str] | None:
    """The best word of the article holding ``part`` ('x): its weighted
    quality (whole word 1.0, else 0.9) and field, the first field on a tie."""
    best: tuple[float, str] | None = None
    for name in FIELDS:
        # A field whose text does not hold it has no word that does: most rows a
        # common term is tested on (row by row) are not split into words at all.
        if part not in doc.field_text(name):
            continue
        for w in doc.field_words(name):
            if part in w:
                q = WEIGHTS[name] * (1.0 if w == part else 0.9)
                if best is None or q > best[0]:
                    best = (q, name)
    return best


def row_by_row(conn: sqlite3.Connection, cond: Cond) -> Cond:
    """The same condition, tested on each row as SQLite reads it."""
    conn.create_function("tui_row", 10, _row_test)
    key = next(_row_keys)
    _ROW_TESTS[key] = cond.test  # as long as the condition lives
    return Cond(f"tui_row({key}, {ROW_COLUMNS})", [], cond.test, cond.label, cond.held, cond.least)


def common(held: int, articles: int) -> bool:
    """Held by so many articles that testing rows as they are read beats
    gathering their ids (5% or more)."""
    return held > max(2000, articles // 20)


class Conditions:
    """Turns the query's terms and facets into :class:`Cond` for one index."""

    def __init__(self, conn: sqlite3.Connection, fields: Mapping[str, IndexField], articles: int, marks: Mapping[str, object] | None) -> None:
        self.conn = conn
        self.fields = fields
        self.articles = articles
        self.marks = marks
        self._temp = 0

    def _ids_table(self, ids: Iterable[int]) -> str:
        self._temp += 1
        name = f"temp.ids_{self._temp}"
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS ids_{self._temp}(id INTEGER PRIMARY KEY)")
        self.conn.execute(f"DELETE FROM {name}")
        self.conn.executemany(f"INSERT OR IGNORE INTO {name}(id) VALUES (?)", ((i,) for i in ids))
        return name

    def term(self, term: Term) -> Cond:
        if term.kind == "exact":
            return self._exact(term)
        if term.kind in ("prefix", "suffix", "equal"):
            return self._anchored(term)
        tables = [word_table(self.fields, w, self.articles) for w in dict.fromkeys(term.words)]
        matches = [table_match(t) for t in tables]
        if not tables or not all(matches):
            return NOTHING
        match = " AND ".join(m for m in matches if m)

        tops = [table_tops(t) for t in tables]

        def test(doc: Doc) -> tuple[float, str] | None:
            found = [best_in(t, doc, top) for t, top in zip(tables, tops, strict=True)]
            if any(f is None for f in found):
                return None
            return sum(f[0] for f in found if f) / len(found), found[0][1] if found[0] else "title"

        return Cond(
            "e.id IN (SELECT rowid FROM words WHERE words MATCH ?)", [match], test, held=min(self.held(t) for t in tables)
        )

    def held(self, table: Table) -> int:
        """About how many articles hold one of a table's words (at most: one may hold several)."""
        return sum(self.fields[name].count(w) for name, found in table.items() for w in found)

    def _exact(self, term: Term) -> Cond:
        text = term.text
        parts = words(text)
        if not parts:
            return NOTHING
        per_part = []
        for part in parts:
            found = {name: f.containing(part) for name, f in self.fields.items()}
            if not any(found.values()):
                return NOTHING
            per_part.append(found)
        first = parts[0]
        match = " AND ".join("(" + " OR ".join(quote(w) for ws in found.values() for w in dict.fromkeys(ws)) + ")" for found in per_part)
        whole = len(parts) > 1 or first != text

        def test(doc: Doc) -> tuple[float, str] | None:
            best = best_containing(doc, first)
            if whole:
                if text not in doc.haystack:
                    return None
                return best or (0.5, "title")
            return best

        held = min(sum(self.fields[name].count(w) for name, ws in found.items() for w in ws) for found in per_part)
        cond = Cond("e.id IN (SELECT rowid FROM words WHERE words MATCH ?)", [match], test, held=held)
        if not whole:
            # One part, any word holding it: every article of its most held word meets it.
            cond.least = max(self.fields[name].count(w) for name, ws in per_part[0].items() for w in ws)
            return cond
        # Candidates hold every part; the text itself must be in them, tested as they are read.
        checked = row_by_row(self.conn, cond)
        return Cond(f"{cond.sql} AND {checked.sql}", [match], test, held=held)

    def _anchored(self, term: Term) -> Cond:
        text = utils.default_process(term.text)
        if not text:
            return NOTHING
        kind = term.kind

        def test(doc: Doc) -> tuple[float, str] | None:
            title = doc.plain_title
            ok = title.startswith(text) if kind == "prefix" else title.endswith(text) if kind == "suffix" else title == text
            return (1.0, "title") if ok else None

        parts = text.split()
        whole = parts[:-1] if kind == "prefix" else parts[1:] if kind == "suffix" else parts
        titles = self.fields["title"]
        if whole:
            match = "title: (" + " ".join(quote(w) for w in whole) + ")"
            held = min(titles.count(w) for w in whole)
        elif kind == "prefix" and text.isascii() and text.isalnum():  # the first word begins so: a prefix query
            match = f"title: {quote(text)} *"
            held = sum(titles.count(w) for w in titles.beginning(text, CONTAINING))
        elif kind == "suffix" and text.isascii() and text.isalnum():  # the last word ends so
            ending = [w for (w,) in self.conn.execute("SELECT word FROM vocab WHERE title > 0 AND substr(word, -?) = ?", (len(text), text))]
            match = "title: (" + " OR ".join(quote(w) for w in ending) + ")" if ending else None
            held = sum(titles.count(w) for w in ending) if ending else 0
            if not ending:
                return NOTHING
        else:  # a title equal to a few letters, or not plain ASCII: every title
            match, held = None, self.articles
        if common(held, self.articles):
            # Most titles hold the words: each title is tested as the order is walked.
            return row_by_row(self.conn, Cond("", [], test, held=held))
        if match is not None:
            rows = self.conn.execute("SELECT e.id, e.title FROM titles w JOIN entries e ON e.id = w.rowid WHERE w.titles MATCH ?", (match,))
        else:
            rows = self.conn.execute("SELECT id, title FROM entries")
        process = utils.default_process
        if kind == "prefix":
            kept = [i for i, title in rows if process(title).startswith(text)]
        elif kind == "suffix":
            kept = [i for i, title in rows if process(title).endswith(text)]
        else:
            kept = [i for i, title in rows if process(title) == text]
        return Cond(f"e.id IN (SELECT id FROM {self._ids_table(kept)})", [], test)

    def facet(self, facet: Facet) -> Cond:
        name, value = facet.name, facet.value
        if name == "is":
            return self._reading(value)
        if name in ("after", "before"):
            ts = datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
            # On neg_ts (indexed; an undated article's is UNDATED, after every date).
            if name == "after":
                return Cond("e.neg_ts <= ?", [-ts], lambda d: (0.5, "") if d.ts is not None and d.ts >= ts else None)
            return Cond(
                "e.neg_ts > ? AND e.neg_ts < ?", [-ts, UNDATED], lambda d: (0.5, "") if d.ts is not None and d.ts < ts else None
            )
        kinds = ("topic",) if name == "topic" else ("provider", "domain")
        norm = _norm if name == "topic" else str.lower
        want = norm(value)
        want_words = _norm(value)

        def fits(v: str) -> bool:
            v = norm(v)
            return v.startswith(want) or bool(want_words) and (" " + _norm(v)).find(" " + want_words) >= 0

        values: dict[str, list[str]] = {k: [] for k in kinds}
        held_by = dict.fromkeys(kinds, 0)
        for kind, v, n in self.conn.execute(
            f"SELECT kind, value, n FROM facets WHERE kind IN ({','.join('?' * len(kinds))}) AND n > 0", kinds
        ):
            if fits(v):
                values[kind].append(v)
                held_by[kind] += n
        held = max(held_by.values())
        if name == "topic":
            chosen = set(values["topic"])
            marks = ",".join("?" * len(chosen))
            if not chosen:
                sql = "0"
            elif held > FEW:
                # Most articles: checked one by one as the order is walked (a LIMIT
                # stops early), never the whole list of ids gathered and sorted first.
                sql = f"EXISTS (SELECT 1 FROM topics t WHERE t.topic IN ({marks}) AND t.id = e.id)"
            else:
                sql = f"e.id IN (SELECT id FROM topics WHERE topic IN ({marks}))"
            return Cond(sql, list(chosen), lambda d: (0.5, "") if chosen & set(d.topics) else None)
        names, domains = set(values["provider"]), set(values["domain"])
        keys = sorted({v.casefold() for v in names})
        # Few articles: found by the indexes (then sorted); many: checked as the order is walked.
        many = common(held, self.articles)
        plus = "+" if many else ""
        in_keys, in_domains = ",".join("?" * len(keys)), ",".join("?" * len(domains))
        sql = f"({plus}e.prov_key IN ({in_keys}) OR {plus}e.domain IN ({in_domains}))"
        # A walk (the date order, or full-text matches) tests each id against the
        # few articles' ids, read from the indexes alone, rather than each row.
        walk = None if many else f"+e.id IN (SELECT id FROM entries WHERE prov_key IN ({in_keys}) UNION ALL SELECT id FROM entries WHERE domain IN ({in_domains}))"
        return Cond(sql, [*keys, *sorted(domains)], lambda d: (0.5, "") if d.provider in names or d.domain in domains else None, walk=walk)

    def _reading(self, value: str) -> Cond:
        """``is:bookmarked`` / ``is:unread`` / ``is:read``: ``marks`` holds identity keys
        (``"bookmarked"``, ``"read"``); without marks no article is either."""
        if self.marks is None:
            return NOTHING
        which = "bookmarked" if value == "bookmarked" else "read"
        keys = self.marks.get(which, ())
        if hasattr(keys, "fill"):  # in the user database (tui.core.catalog.reading): the ids of either kind
            sizes = keys.fill(self.conn)
            table = "read_ids" if value == "read" else "unread_ids"
            ids = _InTable(self.conn, f"temp.{table}")
            sql = f"e.id IN (SELECT id FROM temp.{table})"
            return Cond(sql, [], lambda d: (0.5, "") if d.id in ids else None, held=sizes[table], walk=f"+{sql}")
        self._fill_marks(which, keys)
        held = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)  # type: ignore[arg-type]
        if which == "bookmarked":
            return Cond("e.ident IN (SELECT key FROM temp.mark_bookmarked)", [], lambda d: (0.5, "") if d.ident in held else None)
        if value == "read":
            return Cond("e.ident IN (SELECT key FROM temp.mark_read)", [], lambda d: (0.5, "") if d.ident in held else None)
        return Cond("e.ident NOT IN (SELECT key FROM temp.mark_read)", [], lambda d: (0.5, "") if d.ident not in held else None)

    def _fill_marks(self, which: str, keys: object) -> None:
        """The identities in a temporary table of the connection, filled again
        only when they changed. The same snapshot (a frozenset, whose hash
        Python keeps) is known by its hash and size."""
        conn = self.conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS mark_{which}(key TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS mark_filled(which TEXT PRIMARY KEY, token TEXT NOT NULL) WITHOUT ROWID")
        token = f"{hash(keys)}:{len(keys)}" if isinstance(keys, frozenset) else None
        row = conn.execute("SELECT token FROM temp.mark_filled WHERE which = ?", (which,)).fetchone()
        if token is not None and row is not None and row[0] == token:
            return
        conn.execute("DELETE FROM temp.mark_filled WHERE which = ?", (which,))  # first: a fill stopped half-way is not taken as done
        conn.execute(f"DELETE FROM temp.mark_{which}")
        conn.executemany(f"INSERT OR IGNORE INTO temp.mark_{which}(key) VALUES (?)", ((k,) for k in keys))  # type: ignore[attr-defined]
        if token is not None:
            conn.execute("INSERT INTO temp.mark_filled(which, token) VALUES (?, ?)", (which, token))


class _InTable:
    """``id in held`` as a look-up in a temporary table of ids of the search's connection."""

    def __init__(self, conn: sqlite3.Connection, table: str) -> None:
        self.conn, self.table = conn, table

    def __contains__(self, id_: object) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {self.table} WHERE id = ?", (id_,)).fetchone() is not None


def _norm(text: str) -> str:
    return " ".join(words(text))
