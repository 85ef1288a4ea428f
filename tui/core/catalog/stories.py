"""Story groups in the index: which articles tell one story (the rule is
:func:`tui.core.graph._same`: equal title words, one word more, or one word
spelt otherwise, published within a week).

After a first build, every group is found at once (:func:`regroup_all`):
each title's sorted words, and the same minus each word in turn, are hashed
into a temporary table, and SQLite's GROUP BY brings the titles sharing a key
together; only those pairs are compared. Memory stays with the pairs, not
the collection. After that, each update looks again only at the articles it
changed and the groups they touch (:func:`regroup`): a changed title's
candidates are the titles holding all its words but one, found by the
full-text table.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable

from tui.core.graph import MAX_BUCKET, MIN_WORDS, MIN_WORDS_FUZZY, WINDOW_DAYS, _same, story_words

CANDIDATES = 400  # titles an incremental update compares a changed title with, at most
_WINDOW = WINDOW_DAYS * 86400


def _hash(words: tuple[str, ...]) -> int:
    digest = hashlib.blake2b("\x00".join(words).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def title_keys(title: str) -> list[tuple[int, int]]:
    """(key, exact) pairs of a title: its sorted words (exact = 1), and the
    same minus each word (exact = 0)."""
    return _keys_of(tuple(sorted(story_words(title))))


class _Groups:
    """Union-find over some articles, keeping each group's date span within the window."""

    def __init__(self, info: dict[int, tuple[frozenset[str], float | None]]) -> None:
        self.info = info
        self.parent: dict[int, int] = {}
        self.span: dict[int, tuple[float | None, float | None]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(i, i) != root:
            parent[i], i = root, parent[i]
        return root

    def check(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b or i not in self.info or j not in self.info:
            return
        (x, x_ts), (y, y_ts) = self.info[i], self.info[j]
        if not _same(x, x_ts, y, y_ts):
            return
        lo_a, hi_a = self.span.get(a) or (self.info[a][1], self.info[a][1])
        lo_b, hi_b = self.span.get(b) or (self.info[b][1], self.info[b][1])
        lo = min((v for v in (lo_a, lo_b) if v is not None), default=None)
        hi = max((v for v in (hi_a, hi_b) if v is not None), default=None)
        if lo is not None and hi is not None and hi - lo > _WINDOW:
            return
        root, child = (a, b) if a < b else (b, a)
        self.parent[child] = root
        self.span[root] = (lo, hi)

    def chain(self, members: list[int]) -> None:
        """Identical titles, oldest first (undated last), each with the next."""
        members = sorted(members, key=lambda i: (self.info[i][1] is None, self.info[i][1] or 0.0, i))
        for a, b in zip(members, members[1:], strict=False):
            self.check(a, b)

    def groups(self, ids: Iterable[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in ids:
            out.setdefault(self.find(i), []).append(i)
        return {root: members for root, members in out.items() if len(members) > 1}


def _info(c: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[frozenset[str], float | None]]:
    out: dict[int, tuple[frozenset[str], float | None]] = {}
    ids = list(ids)
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        for i, title, ts in c.execute(f"SELECT id, title, ts FROM entries WHERE id IN ({','.join('?' * len(part))})", part):
            out[i] = (story_words(title), ts)
    return out


def _link(groups: _Groups, buckets: Iterable[tuple[list[int], list[int]]]) -> None:
    """Compare the pairs the buckets make, as :func:`tui.core.graph.find_stories` does:
    identical titles chained by date, then one word changed, then one word more."""
    buckets = list(buckets)
    for exact, _ in buckets:
        if len(exact) > 1:
            groups.chain(exact)
    for _, minus in buckets:
        if 1 < len(minus) <= MAX_BUCKET:
            for x in range(len(minus)):
                for y in range(x + 1, len(minus)):
                    groups.check(minus[x], minus[y])
    for exact, minus in buckets:
        if exact and minus and len(exact) * len(minus) <= MAX_BUCKET * MAX_BUCKET:
            for i in exact:
                for j in minus:
                    groups.check(i, j)


def _write(c: sqlite3.Connection, found: dict[int, list[int]]) -> None:
    c.executemany("INSERT OR REPLACE INTO stories(id, grp) VALUES (?, ?)", ((i, root) for root, members in found.items() for i in members))


def regroup_all(c: sqlite3.Connection) -> None:
    """Find every story group again (inside the caller's transaction)."""
    c.execute("CREATE TEMP TABLE IF NOT EXISTS skeys(key INTEGER NOT NULL, id INTEGER NOT NULL, exact INTEGER NOT NULL)")
    c.execute("DELETE FROM temp.skeys")
    last = 0
    while True:
        chunk = c.execute("SELECT id, title FROM entries WHERE id > ? ORDER BY id LIMIT 20000", (last,)).fetchall()
        if not chunk:
            break
        last = chunk[-1][0]
        c.executemany("INSERT INTO temp.skeys(key, id, exact) VALUES (?, ?, ?)", ((k, i, e) for i, t in chunk for k, e in title_keys(t)))
    buckets: list[tuple[list[int], list[int]]] = []
    involved: set[int] = set()
    for ids, kinds in c.execute("SELECT group_concat(id), group_concat(exact) FROM temp.skeys GROUP BY key HAVING count(*) > 1"):
        pairs = list(zip(map(int, ids.split(",")), kinds.split(","), strict=True))
        bucket = ([i for i, e in pairs if e == "1"], [i for i, e in pairs if e == "0"])
        buckets.append(bucket)
        involved.update(i for i, _ in pairs)
    c.execute("DELETE FROM temp.skeys")
    groups = _Groups(_info(c, involved))
    _link(groups, buckets)
    c.execute("DELETE FROM stories")
    _write(c, groups.groups(involved))


def regroup(c: sqlite3.Connection, changed: set[int], touched: set[int]) -> None:
    """Story groups again for the articles ``changed`` (new or re-read) and
    the groups ``touched`` (that lost or changed a member), inside the
    caller's transaction."""
    affected = set(changed)
    for g in touched:
        affected.update(i for (i,) in c.execute("SELECT id FROM stories WHERE grp = ?", (g,)))
    live = _info(c, affected)
    involved = set(live)
    for i, (words, _) in live.items():
        involved.update(_candidates(c, words))
    # Whole groups: a candidate's group is compared again as a whole.
    for i in list(involved):
        row = c.execute("SELECT grp FROM stories WHERE id = ?", (i,)).fetchone()
        if row is not None:
            involved.update(j for (j,) in c.execute("SELECT id FROM stories WHERE grp = ?", (row[0],)))
    info = _info(c, involved)
    keyed: dict[int, tuple[list[int], list[int]]] = {}
    for i in info:
        title_words = tuple(sorted(info[i][0]))
        for key, exact in _keys_of(title_words):
            keyed.setdefault(key, ([], []))[0 if exact else 1].append(i)
    groups = _Groups(info)
    _link(groups, (b for b in keyed.values() if len(b[0]) + len(b[1]) > 1))
    c.executemany("DELETE FROM stories WHERE id = ?", ((i,) for i in involved | affected))
    _write(c, groups.groups(info))


def _keys_of(words: tuple[str, ...]) -> list[tuple[int, int]]:
    out = [(_hash(words), 1)] if len(words) >= MIN_WORDS else []
    if len(words) >= MIN_WORDS_FUZZY:
        out.extend((_hash(words[:k] + words[k + 1 :]), 0) for k in range(len(words)))
    return out


def _candidates(c: sqlite3.Connection, words: frozenset[str]) -> list[int]:
    """Articles whose titles hold all of ``words`` but at most one."""
    if len(words) < MIN_WORDS:
        return []
    quoted = sorted(f'"{w}"' for w in words)
    if len(words) < MIN_WORDS_FUZZY:
        match = "title: (" + " ".join(quoted) + ")"
    else:
        match = " OR ".join("title: (" + " ".join(quoted[:k] + quoted[k + 1 :]) + ")" for k in range(len(quoted)))
    try:
        return [i for (i,) in c.execute("SELECT rowid FROM words WHERE words MATCH ? LIMIT ?", (match, CANDIDATES))]
    except sqlite3.OperationalError:
        return []  # a word the full-text syntax cannot take: no candidates
