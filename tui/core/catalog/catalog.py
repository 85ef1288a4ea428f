"""The on-disk index of one collection, brought up to date and open for
reading (see :mod:`tui.core.catalog`)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.catalog import build, schema
from tui.core.catalog.build import UpdateStats
from tui.core.catalog.links import Links
from tui.core.catalog.read import DIRECT, Reader
from tui.core.catalog.schema import IndexUnusable

if TYPE_CHECKING:
    from tui.core.query import Query
    from tui.core.results import SearchResult
    from tui.core.search import Hit



class Catalog(Reader, Links):
    """One collection's index, brought up to date and open for reading.

    Reads never wait for a writer (WAL); while another process builds the
    index, what it wrote so far is readable (:attr:`complete` says whether
    that is everything).
    """

    stats: UpdateStats | None = None
    notice: str = ""  # one line for the user, or ""

    @classmethod
    def open(
        cls,
        roots: Sequence[str | os.PathLike[str]],
        *,
        update: str | None = "quick",
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Catalog:
        """The index of the collection at ``roots``, updated first: ``"quick"``
        (folders whose time changed), ``"full"`` (every file stat'ed) or None
        (as it is; it must exist). A damaged index is moved aside and rebuilt;
        when the cache folder cannot hold one, a temporary one serves this
        session. Either way :attr:`notice` says so in one line."""
        absolute = [os.path.abspath(r) for r in roots]
        path = schema.index_path(absolute)
        notice = ""
        stats = None
        if update is not None:
            full = update == "full"
            try:
                stats = _update(absolute, full, progress, on_wait, cancelled, path)
            except IndexUnusable as exc:
                path = schema.scratch_path(absolute)
                notice = f"the index cannot be kept: {exc}; this one lasts until the program ends"
                stats = _update(absolute, full, progress, on_wait, cancelled, path)
            notice = stats.notice or notice
        elif not path.exists():
            raise IndexUnusable(f"no index at {path}")
        conn = schema.connect(path)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID or schema.get_meta(conn, "state") is None:
                raise IndexUnusable(f"{path} is not an index (yet)")
        except sqlite3.Error as exc:
            conn.close()
            raise IndexUnusable(f"{path}: {exc}") from None
        except IndexUnusable:
            conn.close()
            raise
        catalog = cls(path, absolute, conn)
        catalog.stats, catalog.notice = stats, notice
        return catalog

    def search(self, query: str | Query, *, marks: Mapping[str, object] | None = None) -> SearchResult[Hit]:
        """Every hit, best first, read by position, counted (see
        :func:`tui.core.catalog.search.search`; ``Hit.index`` is the article's id)."""
        from tui.core.catalog.search import search

        return search(self.conn, query, len(self), marks=marks)

    def refresh(self, ids: Sequence[int]) -> bool:
        """Read again those of these articles whose files changed since they
        were indexed (a quick update trusts folder times, and an edit in place
        leaves them alone). True when something changed."""
        changed = []
        for path, mtime_ns, size in self.stat_of(ids).values():
            try:
                st = os.stat(path)
            except OSError:
                changed.append(path)
                continue
            if (st.st_mtime_ns, st.st_size) != (mtime_ns, size):
                changed.append(path)
        if changed:
            build.update_paths(self.roots, changed, path=self.path)
        return bool(changed)


def _update(roots, full, progress, on_wait, cancelled, path: Path) -> UpdateStats:  # noqa: ANN001
    return build.update(roots, full=full, progress=progress, on_wait=on_wait, cancelled=cancelled, path=path)


def warm_anchors(catalog: Catalog, sorts: Iterable[str], cancelled: Callable[[], bool] = lambda: False) -> None:
    """Find each sort's anchors (a walk of its index: ~2 s at a million) on
    a connection of this thread's own, and hand them to ``catalog``: the
    first jump far down a list (End) never waits for them."""
    own = Reader(catalog.path, catalog.roots, schema.connect(catalog.path, readonly=True))
    try:
        for sort in dict.fromkeys("date" if s == "oldest" else s for s in sorts):
            if cancelled() or len(catalog) <= DIRECT:
                return
            if own.known_anchors(sort) is None:  # (not kept by an earlier run either)
                own.anchor_keys(sort)
                own.keep_anchors(sort)
            catalog.adopt_anchors(sort, own)
    except sqlite3.Error:
        pass  # found when first needed, then
    finally:
        own.close()
