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
    unread: int | None = None  # a queried collection's unread articles (None: not counted)
    rows_unread: int | None = None  # ... and its filtered list's


def read_stored(session: ReadingSession) -> Stored:
    """What the store holds now (call it off the UI thread: the read
    identities of 200,000 articles take a fifth of a second)."""
    version = session.read_version
    if isinstance(session, QueriedSession):
        unread, rows_unread = session.stored_counts()
        return Stored(version, None, unread, rows_unread)
    return Stored(version, session.store.read_keys())


def take_stored(session: ReadingSession, stored: Stored) -> bool | None:
    """Show what :func:`read_stored` read, unless the session's reading state
    changed since (then None: read it again). True when it changed what the
    session shows (the counts, the dots)."""
    if stored.read_version != session.read_version:
        return None
    if isinstance(session, QueriedSession):  # the rows ask the database; the counts, and is:, follow
        session.stored_changed(stored.unread, stored.rows_unread)
        return True
    if stored.read is None:
        return None
    read = stored.read
    for identity, mark in (session.mine or {}).items():
        (read.add if mark else read.discard)(identity)
    if read == session.read:
        return False
    session.read = read
    if session.unread is not None:
        session.unread = sum(n for identity, n in session.identity_counts.items() if identity not in read)
    session.read_version += 1
    return True
