"""Bookmarks: what the reader keeps for the user, in the user's SQLite store.

* Each bookmark is keyed by :func:`identity`, which survives moving or
  renaming the article's file (URL first, then title + date, then path).
* The store (:class:`BookmarkStore`, on :class:`tui.core.userdb.UserDB`)
  never loses a returned write: every change is one ``BEGIN IMMEDIATE``
  transaction that reads the stored bookmark inside it and merges (tags are
  added to, a note is filled, never overwritten by a stale copy). What a
  removal took away is returned, so it can be said and undone; an edit of
  tags and note made from an old copy is a three-way merge that reports a
  conflict instead of overwriting (:meth:`BookmarkStore.update_details`).
* Reading state (read / unread per identity) and the last position in each
  collection live in the same database, written the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tui.core.model import Entry, Related, as_datetime
from tui.core.stored import (
    bool_from_db,
    float_from_db,
    normalize_tags,
    path_from_db,
    path_key,
    path_to_db,
    tags_from_db,
    text_from_db,
)
from tui.core.text import valid_text
from tui.core.urls import normalize_url
from tui.core.userdb import (  # noqa: F401 - re-exported: the schema's history is the store's
    BOOKMARK_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    TIMEOUT,
    UserDB,
    _migrate_1,
)

UNTITLED = "(untitled)"  # Article.title's placeholder: not a real title


def identity(url: str, title: str, published: datetime | None, path: str | None) -> str:
    """The key of an article that survives moving or renaming its file.

    ``url:<normalized url>`` when the URL normalizes; else
    ``th:<sha1 of casefolded title + "\\n" + UTC publication date>`` when
    there is a title; else ``path:<path>``.
    """
    key = normalize_url(url)
    if key:
        return "url:" + key
    title = " ".join((title or "").split()).casefold()
    if title:
        day = ""
        if published is not None:
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            day = published.astimezone(UTC).date().isoformat()
        return "th:" + hashlib.sha1(f"{title}\n{day}".encode("utf-8", "surrogatepass")).hexdigest()
    return "path:" + path_key(path or "")


def entry_key(entry: Entry) -> str:
    """The identity of a file in a collection (:func:`identity` of its fields).

    Most articles have a URL, whose normal form the entry already holds:
    that is the fast path (one string concatenation), cheap enough for every
    visible row on every paint and for a whole collection in a thread.
    """
    if entry.url_key:
        return "url:" + entry.url_key
    title = "" if entry.title == UNTITLED else entry.title
    return identity(entry.url, title, entry.published, entry.path)


def facet_marks(keys: Iterable[str], bookmarked: Container[str], read: Container[str]) -> dict[str, set[int]]:
    """The entries (by position of their identity in ``keys``) that the
    search's ``is:bookmarked``, ``is:unread`` and ``is:read`` facets hold."""
    keys = keys if isinstance(keys, list) else list(keys)
    return {
        "bookmarked": {i for i, k in enumerate(keys) if k in bookmarked},
        "unread": {i for i, k in enumerate(keys) if k not in read},
        "read": {i for i, k in enumerate(keys) if k in read},
    }


@dataclass(frozen=True)
class Position:
    """Where the reader was in a collection: the article and the detail's scroll offset."""

    key: str
    path: str
    scroll: float


def collection_id(roots: Iterable[str | os.PathLike[str]]) -> str:
    """The name positions are saved under: the collection's folders, absolute and sorted."""
    return "\n".join(sorted(path_key(os.path.abspath(r)) for r in roots))


def _now() -> datetime:
    return datetime.now(UTC)


def mark_stamp() -> str:
    """The time read of one mark-all (:meth:`BookmarkStore.mark_read`), its
    own: to the microsecond, where a story read by itself is stamped to
    the second, so an undo by it takes nothing else."""
    return _now().isoformat(timespec="microseconds")


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@dataclass(frozen=True)
class Bookmark:
    """One bookmark: a snapshot of what the article said when it was saved."""

    key: str
    title: str
    url: str
    provider: str
    published: datetime | None
    path: str | None
    added_at: datetime
    tags: tuple[str, ...] = ()
    note: str = ""
    external: bool = False  # a related story, not a file in the collection

    @classmethod
    def from_entry(cls, entry: Entry) -> Bookmark:
        """A bookmark of a file in the collection."""
        title = "" if entry.title == UNTITLED else entry.title
        return cls(
            key=identity(entry.url, title, entry.published, entry.path),
            title=entry.title,
            url=entry.url,
            provider=entry.provider,
            published=entry.published,
            path=os.path.abspath(entry.path) if entry.path else entry.path,
            added_at=_now(),
        )

    @classmethod
    def from_related(cls, rel: Related) -> Bookmark:
        """A bookmark of a related story (no file of its own)."""
        return cls(
            key=identity(rel.url, rel.title, rel.published, None),
            title=rel.title,
            url=rel.url,
            provider=rel.provider,
            published=rel.published,
            path=None,
            added_at=_now(),
            external=True,
        )


def _folded(tags: Iterable[str]) -> set[str]:
    return {t.casefold() for t in tags}


def merge_tags(base: Iterable[str], mine: str | Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """Tags edited from *base* to *mine*, applied to *theirs* (what is stored
    now): the ones the edit removed go, the ones it added come, and tags
    added meanwhile by someone else stay."""
    mine, theirs = normalize_tags(mine), tuple(theirs)
    if _folded(theirs) == _folded(base):
        return mine
    dropped = _folded(base) - _folded(mine)
    return normalize_tags(tuple(t for t in theirs if t.casefold() not in dropped) + mine)


def contents(b: Bookmark) -> str:
    """What a bookmark holds besides the link, for a message: ``"3 tags and
    a note"``, ``"1 tag"``, ``"a note"``, or ``""`` (nothing to lose)."""
    parts = []
    if b.tags:
        parts.append(f"{len(b.tags)} tag" + ("s" if len(b.tags) > 1 else ""))
    if b.note.strip():
        parts.append("a note")
    return " and ".join(parts)


@dataclass(frozen=True)
class Toggled:
    """What :meth:`BookmarkStore.toggle` did. True when the article is now bookmarked."""

    bookmarked: bool
    removed: Bookmark | None = None  # the bookmark deleted, as stored then: for the message and restore()
    added: Bookmark | None = None  # the bookmark as stored, when one was added

    def __bool__(self) -> bool:
        return self.bookmarked

    @property
    def lost(self) -> str:
        """What the removal took besides the link (see :func:`contents`), or ""."""
        return contents(self.removed) if self.removed is not None else ""


@dataclass(frozen=True)
class Saved:
    """What :meth:`BookmarkStore.update_details` did."""

    bookmark: Bookmark  # as stored now (on a conflict: as stored, unchanged by this call)
    conflict: bool = False  # the note was changed elsewhere too: nothing was written
    created: bool = False  # it was not bookmarked (or was removed meanwhile): it is now


# -- the store ------------------------------------------------------------

_COLUMNS = BOOKMARK_COLUMNS


class BookmarkStore(UserDB):
    """Bookmarks, reading state and positions in ``locations.bookmarks_db()`` (or *path*).

    Every read-modify-write of a bookmark (add, remove, toggle, restore,
    tags and note, import) reads the stored row inside its own write
    transaction and merges with it: a change made by another process a moment
    earlier is kept, never overwritten by a stale copy.
    """

    NOT_SAVED = "Bookmarks will not be saved"

    # -- rows ---------------------------------------------------------------
    @staticmethod
    def _row(b: Bookmark) -> tuple[Any, ...]:
        return (
            valid_text(b.key),
            valid_text(b.title),
            valid_text(b.url),
            valid_text(b.provider),
            b.published.isoformat() if b.published else None,
            path_to_db(b.path),
            _utc(b.added_at).isoformat(timespec="microseconds"),
            json.dumps([valid_text(t) for t in b.tags], ensure_ascii=False),
            valid_text(b.note),
            int(b.external),
        )

    @staticmethod
    def _bookmark(row: tuple[Any, ...]) -> Bookmark:
        """A stored row as a bookmark; every column read tolerantly."""
        key, title, url, provider, published, path, added_at, tags, note, external = row
        return Bookmark(
            key=text_from_db(key),
            title=text_from_db(title),
            url=text_from_db(url),
            provider=text_from_db(provider),
            published=as_datetime(published),
            path=path_from_db(path),
            added_at=as_datetime(added_at) or datetime.fromtimestamp(0, UTC),
            tags=tags_from_db(tags),
            note=text_from_db(note),
            external=bool_from_db(external),
        )

    _SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM bookmarks"
    _UPSERT = (
        "INSERT INTO bookmarks (" + ", ".join(_COLUMNS) + ") VALUES (" + ", ".join("?" * len(_COLUMNS)) + ") "
        "ON CONFLICT(key) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("key", "added_at"))
    )

    # -- writes: each one transaction that reads, merges and writes ---------------
    def _stored(self, conn: Any, key: str) -> Bookmark | None:
        row = conn.execute(self._SELECT + " WHERE key = ?", (key,)).fetchone()
        return self._bookmark(row) if row else None

    _REPLACE = _UPSERT + ", added_at = excluded.added_at"

    def _put(self, conn: Any, b: Bookmark) -> None:
        """Store *b* exactly, in place (its row keeps its place among equal dates)."""
        conn.execute(self._REPLACE, self._row(b))

    def _merge_in(
        self, conn: Any, b: Bookmark, *, refresh: bool = False, replace_note: bool = False
    ) -> tuple[Bookmark | None, Bookmark]:
        """Inside a transaction: store *b*, or merge it into the bookmark
        stored under its key (see :meth:`merge`; ``refresh``: *b*'s title,
        URL, provider, date and path, where it has them, replace the stored
        snapshot's). Returns (before, after)."""
        old = self._stored(conn, b.key)
        if old is None:
            new = replace(b, tags=normalize_tags(b.tags))
            conn.execute(self._UPSERT, self._row(new))
            return None, new
        first, then = (b, old) if refresh else (old, b)
        new = Bookmark(
            key=old.key,
            title=first.title or then.title,
            url=first.url or then.url,
            provider=first.provider or then.provider,
            published=first.published or then.published,
            path=first.path or then.path,
            added_at=min(_utc(old.added_at), _utc(b.added_at)),
            tags=normalize_tags(old.tags + tuple(b.tags)),
            note=(b.note or old.note) if replace_note else (old.note or b.note),
            external=old.external and b.external,
        )
        if new != old:
            self._put(conn, new)
        return old, new

    def add(self, b: Bookmark, *, replace_note: bool = False) -> bool:
        """Bookmark *b*; True if it was not bookmarked before.

        Already bookmarked: nothing the user wrote is lost: *b*'s tags are
        added to the stored ones, *b*'s note fills an empty note (or, with
        ``replace_note``, replaces the stored one when *b* has a note), the
        earlier ``added_at`` is kept; the article's title, URL, provider, date
        and path are refreshed from *b* where it has them.
        """
        with self.write() as conn:
            before, _ = self._merge_in(conn, b, refresh=True, replace_note=replace_note)
        return before is None

    def remove(self, key: str) -> Bookmark | None:
        """Delete the bookmark; what was deleted (with its tags and note, as
        stored at that moment: give it to :meth:`restore` to undo), or None
        when there was none."""
        with self.write() as conn:
            old = self._stored(conn, key)
            if old is not None:
                conn.execute("DELETE FROM bookmarks WHERE key = ?", (key,))
        return old

    def toggle(self, b: Bookmark) -> Toggled:
        """Remove the bookmark stored under *b*'s key, else add *b*, in one
        transaction that reads what is stored now (not what the caller saw).
        The result is true when the article is now bookmarked; after a
        removal it holds the bookmark removed, as stored (tags, note added by
        anyone), for saying what went and for :meth:`restore`."""
        with self.write() as conn:
            old = self._stored(conn, b.key)
            if old is not None:
                conn.execute("DELETE FROM bookmarks WHERE key = ?", (b.key,))
                return Toggled(False, old)
            _, new = self._merge_in(conn, b)
        return Toggled(True, None, new)

    def restore(self, b: Bookmark) -> Bookmark:
        """Undo a removal: put *b* back as it was (its tags, note and
        ``added_at``), merged with anything stored under its key since
        (nothing of either is lost). Returns the bookmark as stored."""
        with self.write() as conn:
            _, new = self._merge_in(conn, b)
        return new

    def update_details(self, base: Bookmark, tags: str | Iterable[str], note: str) -> Saved:
        """Save tags and a note edited from *base* (the bookmark as the editor
        showed it), merged three ways with what is stored now:

        * tags: the ones the edit removed from *base* go, the ones it added
          come, and tags added meanwhile by someone else stay;
        * note: the edited note is saved when the stored note is still the
          one in *base* (or already equals the edit); when the edit left the
          note as it was, the stored note stays; when both changed it, that
          is a conflict: nothing at all is written and the result says so
          (``conflict``, with the stored bookmark to show or edit again);
        * not bookmarked (never, or removed meanwhile): it is bookmarked with
          the edit (``created``).
        """
        mine = normalize_tags(tags)
        with self.write() as conn:
            theirs = self._stored(conn, base.key)
            if theirs is None:
                _, new = self._merge_in(conn, replace(base, tags=mine, note=note))
                return Saved(new, created=True)
            if theirs.note == base.note or theirs.note == note:
                merged_note = note
            elif note == base.note:
                merged_note = theirs.note
            else:
                return Saved(theirs, conflict=True)
            new = replace(theirs, tags=merge_tags(base.tags, mine, theirs.tags), note=merged_note)
            if new != theirs:
                self._put(conn, new)
        return Saved(new)

    def set_details(self, b: Bookmark, tags: str | Iterable[str], note: str) -> Bookmark:
        """Set the tags and note of *b* to exactly these, bookmarking it first
        if needed; the result as stored. This overwrites what anyone else
        wrote: an editor should use :meth:`update_details` instead."""
        with self.write() as conn:
            old = self._stored(conn, b.key)
            new = replace(old or b, tags=normalize_tags(tags), note=note)
            if new != old:
                self._put(conn, new)
        return new

    def merge(self, marks: Iterable[Bookmark]) -> tuple[int, int]:
        """Import: add bookmarks not here; for those here, add the tags they
        lack, keep the earlier ``added_at`` and fill an empty note, path or URL.
        One transaction. Returns (added, changed)."""
        added = changed = 0
        with self.write() as conn:
            for b in marks:
                old, new = self._merge_in(conn, b)
                if old is None:
                    added += 1
                elif new != old:
                    changed += 1
        return added, changed

    def relink(self, found: dict[str, str]) -> int:
        """Re-link bookmarks to where their articles are now.

        *found* maps identities to the path of a file holding that article
        (e.g. every entry of a freshly loaded collection). A bookmark whose
        stored path differs, or that was a related story and is now a file,
        takes the new path. Returns how many changed (one transaction).
        """
        with self._lock:  # a look first, without the write lock: usually nothing moved
            if not any(
                found.get(key) is not None and (found[key] != path_from_db(path) or bool_from_db(external))
                for key, path, external in self.conn.execute("SELECT key, path, external FROM bookmarks")
            ):
                return 0
        with self.write() as conn:
            changes = []
            for key, path, external in conn.execute("SELECT key, path, external FROM bookmarks").fetchall():
                new = found.get(key)
                if new is not None and (new != path_from_db(path) or bool_from_db(external)):
                    changes.append((path_to_db(new), key))
            conn.executemany("UPDATE bookmarks SET path = ?, external = 0 WHERE key = ?", changes)
        return len(changes)

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many bookmarks have it, most used first."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for b in self.all():
            for tag in b.tags:
                folded = tag.casefold()
                names.setdefault(folded, tag)
                counts[folded] = counts.get(folded, 0) + 1
        return sorted(((names[f], n) for f, n in counts.items()), key=lambda t: (-t[1], t[0].casefold()))

    # -- reading state --------------------------------------------------------
    def read_keys(self) -> set[str]:
        """The identities of every article marked read (one query).

        An article is read when ``identity`` of it (for a collection entry:
        :func:`entry_key`) is in this set; everything else is unread. This is
        the cheap way for a list or a search facet (``is:unread``) to know:
        load the set once, then test membership per article.
        """
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT key FROM reading")}

    def is_read(self, key: str) -> bool:
        with self._lock:
            return self.conn.execute("SELECT 1 FROM reading WHERE key = ?", (key,)).fetchone() is not None

    def set_read(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark every one of *keys* read (or unread), in one transaction."""
        keys = list(keys)
        if not keys:
            return
        with self.write() as conn:
            if read:
                now = _now().isoformat(timespec="seconds")
                conn.executemany("INSERT OR IGNORE INTO reading (key, read_at) VALUES (?, ?)", [(k, now) for k in keys])
            else:
                conn.executemany("DELETE FROM reading WHERE key = ?", [(k,) for k in keys])

    def mark_read(self, keys: Iterable[str], stamp: str | None = None) -> list[str]:
        """Mark *keys* read in one transaction; returns those that were not
        read before it (what an undo gives back: :meth:`set_read` ``False``,
        or with ``stamp`` (:func:`mark_stamp`, written as their time read)
        :meth:`unmark_stamped`). What is stored is read inside the
        transaction, so a key another process marked read meanwhile is not
        taken as this one's change."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        with self.write() as conn:
            # The smaller side is read: every stored key, or the wanted ones looked up.
            stored: set[str] = set()
            if conn.execute("SELECT count(*) FROM reading").fetchone()[0] <= len(wanted):
                stored.update(row[0] for row in conn.execute("SELECT key FROM reading"))
            else:
                for start in range(0, len(wanted), 900):
                    part = wanted[start : start + 900]
                    stored.update(row[0] for row in conn.execute(f"SELECT key FROM reading WHERE key IN ({','.join('?' * len(part))})", part))
            new = [k for k in wanted if k not in stored]
            now = stamp or _now().isoformat(timespec="seconds")
            conn.executemany("INSERT OR IGNORE INTO reading (key, read_at) VALUES (?, ?)", [(k, now) for k in new])
        return new

    def unmark_stamped(self, stamp: str) -> int:
        """Undo a :meth:`mark_read` made with ``stamp``, in one transaction:
        the keys it wrote and no other, without the caller holding them (a
        million identities take 110 MB). Returns how many were unmarked."""
        with self.write() as conn:
            return int(conn.execute("DELETE FROM reading WHERE read_at = ?", (stamp,)).rowcount)

    def toggle_read(self, key: str) -> bool:
        """Flip one article's state atomically; True if it is now read."""
        with self.write() as conn:
            if conn.execute("DELETE FROM reading WHERE key = ?", (key,)).rowcount:
                return False
            conn.execute("INSERT INTO reading (key, read_at) VALUES (?, ?)", (key, _now().isoformat(timespec="seconds")))
            return True

    # -- where the reader was ---------------------------------------------------
    def save_position(self, collection: str, position: Position) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO positions (collection, key, path, scroll, saved_at) VALUES (?, ?, ?, ?, ?)",
                (
                    valid_text(collection),
                    valid_text(position.key),
                    path_to_db(position.path),
                    float_from_db(position.scroll),
                    _now().isoformat(timespec="seconds"),
                ),
            )

    def position(self, collection: str) -> Position | None:
        """The position last saved for *collection* (see :func:`collection_id`)."""
        with self._lock:
            row = self.conn.execute("SELECT key, path, scroll FROM positions WHERE collection = ?", (collection,)).fetchone()
        if row is None:
            return None
        key, path, scroll = row
        return Position(text_from_db(key), path_from_db(path) or "", float_from_db(scroll))

    def contains(self, key: str) -> bool:
        with self._lock:
            return self.conn.execute("SELECT 1 FROM bookmarks WHERE key = ?", (key,)).fetchone() is not None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.contains(key)

    def keys(self) -> set[str]:
        """Every bookmarked key (one query; cheap enough for marking a long list)."""
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT key FROM bookmarks")}

    def get(self, key: str) -> Bookmark | None:
        with self._lock:
            row = self.conn.execute(self._SELECT + " WHERE key = ?", (key,)).fetchone()
        return self._bookmark(row) if row else None

    def all(self) -> list[Bookmark]:
        """Every bookmark, newest first (equal dates: the one stored last
        first). Exports order by key among equal dates instead
        (:func:`tui.core.exchange.ordered`), an order every store agrees on."""
        with self._lock:
            rows = self.conn.execute(self._SELECT + " ORDER BY added_at DESC, rowid DESC").fetchall()
        return [self._bookmark(r) for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return self.conn.execute("SELECT COUNT(*) FROM bookmarks").fetchone()[0]
