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
import sys
from array import array
from collections.abc import Iterable
from itertools import compress, islice, repeat
from operator import eq

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

    def __init__(self, info: dict[int, tuple[tuple[str, ...], float | None]]) -> None:
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
        if not _same(frozenset(x), x_ts, frozenset(y), y_ts):
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


def _info(c: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[tuple[str, ...], float | None]]:
    """id -> (its title's story words, its date), for these articles. The
    words are tuples of shared strings (a set each would be ~700 bytes: at a
    million templated titles, half a million are compared)."""
    out: dict[int, tuple[tuple[str, ...], float | None]] = {}
    intern = sys.intern
    ids = list(ids)
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        for i, title, ts in c.execute(f"SELECT id, title, ts FROM entries WHERE id IN ({','.join('?' * len(part))})", part):
            out[i] = (tuple(intern(w) for w in story_words(title)), ts)
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


ID_BITS = 26  # an article's place in one regrouping (up to 67 million)
PART_SIZE = 250_000  # articles whose keys are sorted at once (a million: four rounds, ~60 MB each)


def regroup_all(c: sqlite3.Connection, found: dict[int, list[int]] | None = None) -> None:
    """Every story group again, written inside the caller's transaction
    (``found``: :func:`find_groups`' answer, when worked out meanwhile)."""
    groups = find_groups(c) if found is None else found
    c.execute("DELETE FROM stories")
    _write(c, groups)


def find_groups(c: sqlite3.Connection) -> dict[int, list[int]]:
    """Every story group (root id -> its members), only reading ``c``.

    Each article's keys (``entries.story``, made by the workers) are packed
    with its place into 64-bit integers, sorted, and read for runs of equal
    keys: memory is a few arrays of integers, in rounds by key range for big
    collections, never the titles."""
    ids = array("q")
    blobs: list[bytes] = []
    places = array("q")
    for id_, blob in c.execute("SELECT id, story FROM entries WHERE length(story) > 0"):
        places.extend(repeat(len(ids), len(blob) // 8))
        ids.append(id_)
        blobs.append(blob)
    raw = array("Q")
    raw.frombytes(b"".join(blobs))
    if sys.byteorder != "little":
        raw.byteswap()
    del blobs
    key_shift = ID_BITS + 1
    packed = array("Q", ((v >> key_shift) << key_shift | (v & 1) << ID_BITS | p for v, p in zip(raw, places, strict=False)))
    del raw, places
    place_mask = (1 << ID_BITS) - 1
    bits = min(4, (len(ids) // PART_SIZE).bit_length())
    parts, part_shift = 1 << bits, 64 - bits
    buckets: list[tuple[list[int], list[int]]] = []
    involved: set[int] = set()
    if parts == 1:
        rounds: list[array] = [packed]
    else:
        rounds = [array("Q") for _ in range(parts)]
        for v in packed:
            rounds[v >> part_shift].append(v)
        del packed
    while rounds:
        chosen = sorted(rounds.pop(0))  # in key order (the union is order-dependent: always the same)
        for start, end in _runs([v >> key_shift for v in chosen]):
            run = chosen[start:end]
            exact = [ids[v & place_mask] for v in run if v >> ID_BITS & 1]
            n_minus = len(run) - len(exact)
            # Only what _link will compare: identical titles (chained), a
            # small run of near-titles, a small cross of both. A key shared
            # by many near-titles is a template, not a story.
            pairs = 2 <= n_minus <= MAX_BUCKET or (exact and n_minus and len(exact) * n_minus <= MAX_BUCKET * MAX_BUCKET)
            if pairs or len(exact) > 1:
                minus = [ids[v & place_mask] for v in run if not v >> ID_BITS & 1] if pairs else []
                buckets.append((exact, minus))
                involved.update(exact)
                involved.update(minus)
        del chosen
    groups = _Groups(_info(c, involved))
    _link(groups, buckets)
    return groups.groups(involved)


def _runs(keys: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each run of two or more equal neighbours in ``keys``
    (found at C speed: most keys are alone)."""
    same = list(compress(range(len(keys) - 1), map(eq, keys, islice(keys, 1, None))))
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(same):
        start = end = same[k]
        while k + 1 < len(same) and same[k + 1] == end + 1:
            k += 1
            end += 1
        out.append((start, end + 2))
        k += 1
    return out


def regroup(c: sqlite3.Connection, changed: set[int], touched: set[int]) -> None:
    """Story groups again for the articles ``changed`` (new or re-read) and
    the groups ``touched`` (that lost or changed a member), inside the
    caller's transaction."""
    affected = set(changed)
    for g in touched:
        affected.update(i for (i,) in c.execute("SELECT id FROM stories WHERE grp = ?", (g,)))
    live = _info(c, affected)
    involved = set(live)
    for words, _ in live.values():
        involved.update(_candidates(c, frozenset(words)))
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
        return [i for (i,) in c.execute("SELECT rowid FROM titles WHERE titles MATCH ? LIMIT ?", (match, CANDIDATES))]
    except sqlite3.OperationalError:
        return []  # a word the full-text syntax cannot take: no candidates
