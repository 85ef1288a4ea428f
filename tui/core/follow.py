"""Following the collection's folders: what a file watcher saw, applied in place.

A watcher (the UI runs ``watchfiles`` in a thread, :mod:`tui.ui.follow`)
reports paths that changed; :func:`apply` turns them into the folders to
list again (each path's own folder, and the path itself when it is or was a
folder), brings the on-disk index up to date for those folders only
(:func:`tui.core.catalog.build.update_folders`: the same comparison and
parsing as ``R``, without walking the rest of the collection) and makes the
new collection from the old one: the entries of files gone or read again
out, the ones read in. The stages that follow a loaded collection
(identities, search index, graph) then come from
:func:`tui.core.loading.after_loaded`.

The paths are only hints: whatever they name, only the folders are listed
and only regular files are read (:mod:`tui.core.safe_io`), so a FIFO, a
link to a device or a name that is not UTF-8 is an issue line or nothing,
never a read that blocks. No Textual here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.catalog import schema
from tui.core.catalog.build import update_folders
from tui.core.catalog.read import GivenPaths
from tui.core.catalog.rows import entry_from_row
from tui.core.collection import Collection
from tui.core.model import LoadIssue


@dataclass
class Followed:
    """The collection after changes in its folders: made from ``source``
    (dropped if that is no longer the one shown); how many articles came,
    changed and went."""

    source: Collection
    collection: Collection
    added: int
    changed: int
    removed: int

    def summary(self) -> str:
        parts = [f"{n:,} {what}" for n, what in ((self.added, "new"), (self.changed, "changed"), (self.removed, "removed")) if n]
        return ", ".join(parts) or "issues changed"


class NeedsRescan(Exception):
    """The index cannot be updated in place (an update was interrupted, or
    the cache folder cannot hold it): a full rescan (``R``) does it."""


def folders_of(paths: Iterable[str | os.PathLike[str]]) -> set[str]:
    """The folders to list again for these changed paths: each one's parent,
    and the path itself (it may be, or have been, a folder)."""
    out: set[str] = set()
    for path in paths:
        name = os.path.abspath(os.fspath(path))
        out.add(name)
        out.add(os.path.dirname(name))
    return out


def apply(roots: Sequence[Path], collection: Collection, paths: Iterable[str] | None, sort: str) -> Followed | None:
    """The changes under ``paths`` applied to the index and to ``collection``
    (sorted by ``sort``); None when nothing an article list shows changed.
    ``paths=None``: somewhere, not said where (every folder is stat'ed, the
    changed ones listed). Raises :class:`NeedsRescan`."""
    try:
        changes = update_folders(roots, None if paths is None else folders_of(paths))
    except schema.IndexUnusable as exc:
        raise NeedsRescan(str(exc)) from None
    if changes is None:
        raise NeedsRescan("the index is not complete")
    if not changes:
        return None
    shown = GivenPaths(roots)
    written = {p for p, _ in changes.written}
    out = written | set(changes.gone)
    had: set[str] = set()
    entries = []
    for entry in collection.entries:
        name = os.path.abspath(entry.path)
        if name in out:
            had.add(name)
        else:
            entries.append(entry)
    entries += [entry_from_row(shown(p), row) for p, row in changes.written]
    no_longer = set(changes.gone_issues) | out
    issues = [i for i in collection.issues if os.path.abspath(i.path) not in no_longer]
    issues += [LoadIssue(shown(i.path), i.reason) for i in changes.issues]
    updated = Collection(collection.roots, entries, issues, lazy_titles=False)
    updated.stats = collection.stats
    updated.order(sort)
    changed = len(written & had)
    return Followed(collection, updated, len(written) - changed, changed, len(had - written))
