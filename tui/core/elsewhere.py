"""What other processes write to the user database, shown here: a second
reader marking stories read, ``tui-reader bookmarks add`` run in a shell.

The store's connection notices their commits (:meth:`UserDB.data_version
<tui.core.userdb.UserDB.data_version>`, which its own writes never move).
Then :func:`read_stored`, off the UI thread, reads the reading state: the
read identities (a loaded collection) or the unread counts (a collection
read from its index, whose rows ask the database anyway), and
:func:`take_stored`, on the UI thread, puts it in the session. The
bookmarks, a few hundred, are read again on the UI thread as after a change
made here (:meth:`ReadingSession.bookmarks_changed`).

The marks made in this session win over what is stored: they are written a
moment later (or were), so a story you marked here never changes under you;
another process's mark of a story you did not touch here shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.queried import QueriedSession
from tui.core.session import ReadingSession


@dataclass
class Stored:
    """The user database as a session shows it, read at ``read_version`` of the session."""

    read_version: int
    read: set[str] | None  # a loaded collection's read identities (None: queried)
    unread: int | None = None  # the collection's unread articles (None: not counted)
    rows_unread: int | None = None  # a queried collection's filtered list's
    counts: object = None  # the identity counts ``unread`` was counted with (a rescan replaces them)


def read_stored(session: ReadingSession) -> Stored:
    """What the store holds now, with the session's own marks on it, and
    its unread counts (call it off the UI thread: the read identities of
    200,000 articles take a fifth of a second, their count as long again)."""
    version = session.read_version
    if isinstance(session, QueriedSession):
        unread, rows_unread = session.stored_counts()
        return Stored(version, None, unread, rows_unread)
    read = session.store.read_keys()
    for identity, mark in dict(session.mine or {}).items():  # (a copy: the UI thread adds to it)
        (read.add if mark else read.discard)(identity)
    counts = session.identity_counts
    unread = sum(n for identity, n in counts.items() if identity not in read)
    return Stored(version, read, unread, counts=counts)


def take_stored(session: ReadingSession, stored: Stored) -> bool:
    """Show what :func:`read_stored` read; False when the session's reading
    state changed since (read it again then)."""
    if stored.read_version != session.read_version or (stored.read is not None and stored.counts is not session.identity_counts):
        return False
    if isinstance(session, QueriedSession):  # the rows ask the database; the counts, and is:, follow
        session.stored_changed(stored.unread, stored.rows_unread)
        return True
    if stored.read is not None:
        session.read = stored.read
        if session.unread is not None:
            session.unread = stored.unread
        session.read_version += 1
    return True
