"""Writing parsed files into the index: one transaction per batch, holding
the rows and everything derived from them, so a reader (or a process killed
mid-write) only ever sees whole files."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.catalog import rows as R
from tui.core.catalog import schema, stories
from tui.core.model import REF_SIZE, LoadIssue

TYPO_LONGEST = 32  # words longer than this get no typo look-up (nor a skeleton)
STORIES_INCREMENTAL = 20_000  # more changed articles than this: story groups are found again from scratch
# A first build adds to the vocabulary's counts every FLUSH_ARTICLES articles
# or FLUSH_SECONDS (not with every batch: each batch holds most words of the
# vocabulary again). ``vocab_through`` in ``meta`` is the last article id
# counted: a build killed in between counts the rest again when resumed.
FLUSH_ARTICLES = 50_000
FLUSH_SECONDS = 5.0

_COLS = ", ".join(("id", "path", "dir", "mtime_ns", "size", *R.COLUMNS))
_INSERT = f"INSERT OR REPLACE INTO entries({_COLS}) VALUES ({', '.join('?' * (5 + len(R.COLUMNS)))})"
_FTS_INSERT = "INSERT INTO words(rowid, title, provider, topics, excerpt, body) VALUES (?, ?, ?, ?, ?, ?)"
_FTS_DELETE = "INSERT INTO words(words, rowid, title, provider, topics, excerpt, body) VALUES ('delete', ?, ?, ?, ?, ?, ?)"
# The titles again, on their own: a title-only query reads only titles' words
# (in ``words`` each word's list covers every field: 3.5x slower at a million).
_TITLES_INSERT = "INSERT INTO titles(rowid, title) VALUES (?, ?)"
_TITLES_DELETE = "INSERT INTO titles(titles, rowid, title) VALUES ('delete', ?, ?)"
_VOCAB = (
    "INSERT INTO vocab(word, skel, title, provider, topics, excerpt, body) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(word) DO UPDATE SET title = title + excluded.title, provider = provider + excluded.provider, "
    "topics = topics + excluded.topics, excerpt = excerpt + excluded.excerpt, body = body + excluded.body"
)
_FACETS = "INSERT INTO facets(kind, value, n) VALUES (?, ?, ?) ON CONFLICT(kind, value) DO UPDATE SET n = n + excluded.n"


@dataclass
class Batch:
    """Files parsed (by workers or here), their counts, and where each came from."""

    parsed: list[R.Parsed]
    counts: R.Counts
    meta: Any  # build.ToParse: .meta(number) -> (dir, mtime_ns, size, old id or None)

    @staticmethod
    def merge(batches: Sequence[Batch]) -> Batch:
        if len(batches) == 1:
            return batches[0]
        parsed: list[R.Parsed] = []
        words: dict[str, list[int]] = {}
        facets: dict[tuple[str, str], int] = {}
        for b in batches:
            parsed.extend(b.parsed)
            _add_counts(words, facets, b.counts)
        return Batch(parsed, (words, facets), batches[0].meta)


def _add_counts(words: dict[str, list[int]], facets: dict[tuple[str, str], int], counts: R.Counts) -> None:
    more_words, more_facets = counts
    for word, n in more_words.items():
        found = words.get(word)
        if found is None:
            words[word] = list(n)
        else:
            for f in range(5):
                found[f] += n[f]
    for key, n in more_facets.items():
        facets[key] = facets.get(key, 0) + n


def skeleton(word: str) -> str:
    from tui.core.search import skeleton as skel

    return skel(word)


def typo_keys(word: str) -> set[str]:
    """The word and the word minus each of its letters in turn: two words
    one typo apart (a letter added, dropped, changed, or two swapped) share
    one of these (a symmetric-deletion index, as in SymSpell)."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class Writer:
    """Writes batches into one open index (the caller holds the writer lock)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM entries").fetchone()[0]
        self.incremental = schema.get_meta(conn, "state") == "complete"
        self.changed: set[int] = set()  # articles new or changed (their story groups are looked at again)
        self.touched_groups: set[int] = set()  # groups that lost or changed a member
        self.entries = int(schema.get_meta(conn, "entries", 0) or 0)  # type: ignore[arg-type]
        self.issues = int(schema.get_meta(conn, "issues", 0) or 0)  # type: ignore[arg-type]
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS batch_words(word TEXT PRIMARY KEY) WITHOUT ROWID")
        self.deferred = not self.incremental  # a first (or resumed) build: counts added in bulk
        self.pending: tuple[dict[str, list[int]], dict[tuple[str, str], int]] = ({}, {})
        self.pending_articles = 0
        self.flushed_at = time.monotonic()
        if self.deferred:
            self._recount()

    # -- the vocabulary's counts during a first build -----------------------------------
    def _recount(self) -> None:
        """Articles written after the last count (a build killed between two):
        counted again into what is pending."""
        through = int(schema.get_meta(self.conn, "vocab_through", 0) or 0)  # type: ignore[arg-type]
        rows = self.conn.execute(
            "SELECT id, title, provider, domain, topics, excerpt, words FROM entries WHERE id > ? ORDER BY id", (through,)
        )
        for _i, title, provider, domain, topics, excerpt, body in rows:
            topic_list = topics.split(R.SEP) if topics else []
            R.count_words(self.pending[0], R.field_texts(title, provider, domain, topic_list, excerpt, body))
            R.count_facets(self.pending[1], provider, domain, topic_list)
            self.pending_articles += 1

    def _flush(self, c: sqlite3.Connection) -> None:
        """What is pending into the vocabulary, inside the caller's transaction."""
        if self.pending_articles or any(self.pending):
            self._counts(c, self.pending, new_words=True)
            self.pending = ({}, {})
            self.pending_articles = 0
        schema.set_meta(c, "vocab_through", self.next_id - 1)
        self.flushed_at = time.monotonic()

    def _ensure_indexes(self, c: sqlite3.Connection) -> None:
        """The look-up indexes a first build makes at its end, made now:
        rows are about to be taken out."""
        for statement in schema.LATE_INDEXES:
            c.execute(statement)

    # -- whole updates ----------------------------------------------------------------
    def begin_update(self, folders: dict[int, tuple[str, int | None, int, int]]) -> None:
        """Mark the index as being updated; folders about to change are no
        longer trusted until :meth:`finish` (a killed update is redone)."""
        with schema.transaction(self.conn) as c:
            schema.set_meta(c, "state", "building")
            self._folders(c, {i: f for i, f in folders.items() if f[2] != -1}, keep_time=False)

    def finish(self, folders: dict[int, tuple[str, int | None, int, int]], stories_full: bool) -> None:
        """Sort indexes (made once, after a first build), story groups,
        folder times, and the index marked complete. After a first build the
        story groups are worked out in a thread while SQLite makes the
        indexes (it lets go of the interpreter meanwhile): both cores work."""
        full = stories_full or not self.incremental or len(self.changed) > STORIES_INCREMENTAL
        found: dict[str, object] = {}
        helper = None
        if full:
            path = self.conn.execute("PRAGMA database_list").fetchone()[2]

            def work() -> None:
                reader = schema.connect(path)
                try:
                    found["groups"] = stories.find_groups(reader)
                except BaseException as exc:  # noqa: BLE001 - done again below, in this thread
                    found["error"] = exc
                finally:
                    reader.close()

            helper = threading.Thread(target=work, name="story-groups", daemon=True)
            helper.start()
        with schema.transaction(self.conn) as c:
            if self.deferred:
                self._flush(c)
            self._ensure_indexes(c)
            self._folders(c, folders, keep_time=True)
            if helper is not None:
                helper.join()
                stories.regroup_all(c, found.get("groups"))  # type: ignore[arg-type]
            else:
                stories.regroup(c, self.changed, self.touched_groups)
            schema.set_meta(c, "state", "complete")
            self._bump(c)

    def save_folders(self, folders: dict[int, tuple[str, int | None, int, int]]) -> None:
        """New times of folders whose files were all found unchanged."""
        if folders:
            with schema.transaction(self.conn) as c:
                self._folders(c, folders, keep_time=True)

    @staticmethod
    def _folders(c: sqlite3.Connection, folders: dict[int, tuple[str, int | None, int, int]], keep_time: bool) -> None:
        """Store the folders walked: their times (``keep_time``), or none
        (not trusted until the update finishes); gone ones removed."""
        c.executemany("DELETE FROM folders WHERE id = ?", ((i,) for i, (_, _, d, _) in folders.items() if d == -1))
        c.executemany(
            "INSERT INTO folders(id, path, mtime_ns, dev, ino) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET mtime_ns = excluded.mtime_ns, dev = excluded.dev, ino = excluded.ino",
            ((i, R.db_path(p), m if keep_time else None, d, n) for i, (p, m, d, n) in folders.items() if d != -1),
        )

    def count(self) -> int:
        return self.entries + self.issues

    def _bump(self, c: sqlite3.Connection) -> None:
        schema.set_meta(c, "entries", self.entries)
        schema.set_meta(c, "issues", self.issues)
        if not self.deferred:
            schema.set_meta(c, "vocab_through", self.next_id - 1)  # counted with every batch
        c.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")

    # -- removing -------------------------------------------------------------------------
    def remove(self, ids: Sequence[int], issue_paths: Sequence[str]) -> None:
        for start in range(0, max(len(ids), len(issue_paths)), 500):
            with schema.transaction(self.conn) as c:
                words: dict[str, list[int]] = {}
                facets: dict[tuple[str, str], int] = {}
                part = ids[start : start + 500]
                if part:
                    self._before_drop(c)
                self._drop(c, part, words, facets)
                c.executemany("DELETE FROM entries WHERE id = ?", ((i,) for i in part))
                self.entries -= len(part)
                before = c.total_changes
                c.executemany("DELETE FROM issues WHERE path = ?", ((R.db_path(p),) for p in issue_paths[start : start + 500]))
                self.issues -= c.total_changes - before
                self._counts(c, (words, facets), new_words=False)
                self._bump(c)

    def add_walk_issues(self, issues: Iterable[tuple[str, int, str]]) -> None:
        """Problems met walking the folders (a folder that cannot be listed,
        a dangling symlink): issues with no file time, looked at again on
        every walk of their folder."""
        issues = [(R.db_path(p), d, R.text_ok(reason)) for p, d, reason in issues]
        if not issues:
            return
        with schema.transaction(self.conn) as c:
            c.executemany("DELETE FROM issues WHERE path = ?", ((p,) for p, _, _ in issues))
            c.executemany("INSERT OR REPLACE INTO issues(path, dir, mtime_ns, size, reason) VALUES (?, ?, NULL, NULL, ?)", issues)
            self.issues = c.execute("SELECT count(*) FROM issues").fetchone()[0]
            self._bump(c)

    def _before_drop(self, c: sqlite3.Connection) -> None:
        """Taking articles out takes their words' counts out at once: the
        counts pending must be in first, and the look-up indexes made."""
        if self.deferred:
            self._flush(c)
        self._ensure_indexes(c)

    def _drop(self, c: sqlite3.Connection, ids: Sequence[int], words: dict, facets: dict) -> None:
        """Take out everything derived from these articles (their rows stay)."""
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        old = c.execute(
            f"SELECT id, title, provider, domain, topics, excerpt, words, key, keys, refs FROM entries WHERE id IN ({marks})",
            list(ids),
        ).fetchall()
        for i, title, provider, domain, topics, excerpt, body, key, keys, refs in old:
            topic_list = topics.split(R.SEP) if topics else []
            texts = R.field_texts(title, provider, domain, topic_list, excerpt, body)
            c.execute(_FTS_DELETE, (i, *texts))
            c.execute(_TITLES_DELETE, (i, texts[0]))
            R.count_words(words, texts, -1)
            R.count_facets(facets, provider, domain, topic_list, -1)
            if key:
                c.executemany("DELETE FROM urls WHERE key = ? AND id = ?", ((k, i) for k in (key, *keys.split(R.SEP)) if k))
            c.executemany(
                "DELETE FROM refs WHERE ref = ? AND id = ?", ((refs[k : k + REF_SIZE], i) for k in range(0, len(refs), REF_SIZE))
            )
            c.executemany("DELETE FROM topics WHERE topic = ? AND id = ?", ((t, i) for t in set(topic_list)))
        if self.incremental:
            self.touched_groups.update(g for (g,) in c.execute(f"SELECT grp FROM stories WHERE id IN ({marks})", list(ids)))
        c.executemany("DELETE FROM stories WHERE id = ?", ((i,) for i in ids))

    # -- writing --------------------------------------------------------------------------
    def write(self, batch: Batch) -> tuple[list[tuple[str, tuple]], list[LoadIssue]]:
        """One batch, one transaction. Returns (path, row) of the articles
        written and the files that are issues."""
        written: list[tuple[str, tuple]] = []
        issues: list[LoadIssue] = []
        words: dict[str, list[int]] = {}
        facets: dict[tuple[str, str], int] = {}
        with schema.transaction(self.conn) as c:
            metas = [batch.meta.meta(number) for number, *_ in batch.parsed]
            old_ids = [m[3] for m in metas if m[3] is not None]
            if old_ids:
                self._before_drop(c)
                self._drop(c, old_ids, words, facets)
                self._counts(c, (words, facets), new_words=False)
                words, facets = {}, {}
            if c.execute("SELECT 1 FROM issues LIMIT 1").fetchone():  # (none, as in most first builds: no look-ups)
                before = c.total_changes
                c.executemany("DELETE FROM issues WHERE path = ?", ((R.db_path(p),) for _, p, *_ in batch.parsed))
                self.issues -= c.total_changes - before
            rows, fts, urls, refs, topics, bad = [], [], [], [], [], []
            for (_, path, row, texts, reason), (dir_id, mtime_ns, size, old) in zip(batch.parsed, metas, strict=True):
                if row is None or texts is None:
                    bad.append((R.db_path(path), dir_id, mtime_ns, size, R.text_ok(reason or "could not be read")))
                    issues.append(LoadIssue(path, reason or "could not be read"))
                    if old is not None:
                        c.execute("DELETE FROM entries WHERE id = ?", (old,))
                        self.entries -= 1
                    continue
                i = old if old is not None else self._new_id()
                if old is None:
                    self.entries += 1
                if self.incremental:
                    self.changed.add(i)
                rows.append((i, R.db_path(path), dir_id, mtime_ns, size, *row))
                fts.append((i, *texts))
                key, keys, blob, topic_text = row[10], row[11], row[12], row[4]
                if key:
                    urls.extend((k, i) for k in (key, *keys.split(R.SEP)) if k)
                refs.extend((blob[k : k + REF_SIZE], i) for k in range(0, len(blob), REF_SIZE))
                if topic_text:
                    topics.extend((t, i) for t in set(topic_text.split(R.SEP)))
                written.append((path, row))
            c.executemany(_INSERT, rows)
            c.executemany(_FTS_INSERT, fts)
            c.executemany(_TITLES_INSERT, ((f[0], f[1]) for f in fts))
            c.executemany("INSERT INTO urls(key, id) VALUES (?, ?)", urls)
            c.executemany("INSERT INTO refs(ref, id) VALUES (?, ?)", refs)
            c.executemany("INSERT INTO topics(topic, id) VALUES (?, ?)", topics)
            if bad:
                c.executemany("INSERT OR REPLACE INTO issues(path, dir, mtime_ns, size, reason) VALUES (?, ?, ?, ?, ?)", bad)
                self.issues += len(bad)
            if self.deferred:
                _add_counts(*self.pending, batch.counts)
                self.pending_articles += len(rows)
                if self.pending_articles >= FLUSH_ARTICLES or time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
                    self._flush(c)
            else:
                _add_counts(words, facets, batch.counts)
                self._counts(c, (words, facets), new_words=True)
            self._bump(c)
        return written, issues

    def _new_id(self) -> int:
        i = self.next_id
        self.next_id += 1
        return i

    def _counts(self, c: sqlite3.Connection, counts: R.Counts, new_words: bool) -> None:
        """The vocabulary's and the facets' counts moved by a batch; new words
        get their skeleton and typo keys."""
        words, facets = counts
        words = {w: n for w, n in words.items() if any(n)}
        if new_words and words:
            c.execute("DELETE FROM temp.batch_words")
            c.executemany("INSERT INTO temp.batch_words(word) VALUES (?)", ((w,) for w in words))
            fresh = [w for (w,) in c.execute("SELECT word FROM temp.batch_words WHERE word NOT IN (SELECT word FROM main.vocab)")]
            c.executemany(
                "INSERT OR IGNORE INTO typos(key, word) VALUES (?, ?)",
                ((k, w) for w in fresh if 3 <= len(w) <= TYPO_LONGEST for k in typo_keys(w)),
            )
        c.executemany(
            _VOCAB,
            (
                (w, skeleton(w) if 3 <= len(w) <= TYPO_LONGEST and not w.isdigit() else None, *n)
                for w, n in words.items()
            ),
        )
        c.executemany(_FACETS, ((kind, value, n) for (kind, value), n in facets.items() if n))
