"""A collection: the compact entries of every article under some paths, the
files that could not be read, and the lookups the screens need."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core import index, locations
from tui.core.index import Batch, IndexStats
from tui.core.model import TITLE_REF, Entry, LoadIssue, Related, ref_digest
from tui.core.resolve import TITLE_THRESHOLD, TitleIndex, resolve_related
from tui.core.text import clean_path

SORT_KEYS = ("date", "title", "provider", "quality", "heat")  # every sort (the CLI's and the settings' too)
# What s steps through in the reader: oldest first comes right after newest
# first (one key press between the two date orders).
SORT_CYCLE = ("date", "oldest", "title", "provider", "quality", "heat")
SORT_LABELS = {
    "date": "newest first",
    "oldest": "oldest first",
    "title": "title A-Z",
    "provider": "provider A-Z",
    "quality": "quality, highest first",
    "heat": "heat, highest first",
}


Progress = Callable[[int, int], None]


class PathError(ValueError):
    """A path given by the user that does not exist (one-line message)."""


def default_paths() -> list[Path]:
    return [locations.seeds_dir()]


def check_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The paths to load, or :class:`PathError` naming the first bad one."""
    if not paths:
        return default_paths()
    out = []
    for raw in paths:
        path = expand_user(raw)
        if path is None:
            raise PathError(f"no such user folder: {clean_path(raw)}")
        if not os.path.exists(path):
            raise PathError(f"no such file or folder: {clean_path(raw)}")
        out.append(path)
    return out


def expand_user(raw: str | os.PathLike[str]) -> Path | None:
    """``raw`` with a leading ``~`` or ``~user`` expanded; None when that
    user does not exist (``~nosuchuser/x``) or has no home."""
    try:
        return Path(raw).expanduser()
    except (RuntimeError, KeyError):
        return None


def display_path(path: str, roots: Sequence[Path]) -> str:
    """A path as people think of it: the collection folder's name, then the
    path inside it (``seeds/004_bab4.txt``); absolute when under no root.
    Safe to show: one line, control characters and bytes that are not UTF-8
    as visible stand-ins (see :func:`tui.core.text.clean_path`)."""
    for root in roots:
        try:
            inside = Path(path).relative_to(root)
        except ValueError:
            continue
        return clean_path(str(Path(root.name) / inside) if str(inside) != "." else root.name)
    return clean_path(path)


@dataclass
class Collection:
    roots: list[Path]
    entries: list[Entry] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)

    stats: IndexStats = field(default_factory=IndexStats)

    # False on a collection still loading: the title index (~0.2 s at 50,000
    # articles) is then never built on demand, only by prepare().
    lazy_titles: bool = True

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._orders: dict[str, list[int]] = {}
        self._by_url: dict[str, int] = {}
        self._by_path: dict[str, int] = {}
        self._titles: TitleIndex | None = None
        by_url = self._by_url
        for i, entry in enumerate(self.entries):
            if entry.key:
                by_url.setdefault(entry.key, i)
                for key in entry.keys:
                    by_url.setdefault(key, i)
            elif entry.url:
                by_url.setdefault(entry.url_key, i)
            self._by_path[entry.path] = i

    def prepare(self) -> Collection:
        """Build the title index now (call it off the UI thread)."""
        if self._titles is None:
            self._titles = TitleIndex(self.entries)
        return self

    def title_index(self) -> TitleIndex | None:
        if self._titles is None and self.lazy_titles:
            self._titles = TitleIndex(self.entries)
        return self._titles

    # -- loading ---------------------------------------------------------
    @classmethod
    def load(
        cls,
        paths: Sequence[str | os.PathLike[str]] = (),
        progress: Progress | None = None,
        batch: Batch | None = None,
        use_cache: bool = True,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Collection:
        """Load through the index cache (see :mod:`tui.core.index`)."""
        roots = check_paths(paths)
        result = index.build(roots, progress=progress, batch=batch, use_cache=use_cache, cancelled=cancelled)
        collection = cls(roots, result.entries, result.issues)
        collection.stats = result.stats
        return collection

    # -- lookups -----------------------------------------------------------
    def display_path(self, path: str) -> str:
        return display_path(path, self.roots)

    def __len__(self) -> int:
        return len(self.entries)

    def by_path(self, path: str) -> Entry | None:
        i = self._by_path.get(path)
        return None if i is None else self.entries[i]

    def with_entry(self, path: str, entry: Entry) -> Collection | None:
        """A new collection with a re-read file's entry in place of the old one
        (built off the UI thread: its lookups and sort orders are rebuilt).
        None when the path is not in this collection."""
        i = self._by_path.get(path)
        if i is None:
            return None
        entries = list(self.entries)
        entries[i] = entry
        updated = Collection(self.roots, entries, self.issues, lazy_titles=self.lazy_titles)
        updated.stats = self.stats
        if self._titles is not None:
            updated.prepare()  # the title index was built: so is the new one (here, off the UI thread)
        return updated

    def index_of(self, entry: Entry) -> int | None:
        return self._by_path.get(entry.path)

    def resolve(
        self,
        related: Related,
        *,
        by_url: bool = True,
        by_title: bool = True,
        threshold: float = TITLE_THRESHOLD,
        same_site: bool = True,
    ) -> Entry | None:
        """The entry in this collection a related snapshot points to (see
        :mod:`tui.core.resolve`): any of its URLs once normalised, else a
        title match from the same site. The keywords are for measuring."""
        i = self.resolve_index(related, by_url=by_url, by_title=by_title, threshold=threshold, same_site=same_site)
        return None if i is None else self.entries[i]

    def resolve_index(
        self,
        related: Related,
        *,
        by_url: bool = True,
        by_title: bool = True,
        threshold: float = TITLE_THRESHOLD,
        same_site: bool = True,
    ) -> int | None:
        titles = self.title_index() if by_title else None
        return resolve_related(
            related, self._by_url.get if by_url else None, titles.match if titles is not None else None, threshold, same_site
        )

    def ref_targets(self) -> dict[bytes, int]:
        """Packed ref (:attr:`Entry.refs`) -> the article it names: every URL
        key of every article, and every normalised title (for entries that
        gave no URL). Built for the backlinks, then dropped (~10 MB at 50,000)."""
        targets = {ref_digest(key): i for key, i in self._by_url.items()}
        titles = self.title_index()
        if titles is not None:
            for key, i in titles.exact.items():
                targets.setdefault(ref_digest(TITLE_REF + key), i if isinstance(i, int) else i[0])
        return targets

    def order(self, sort: str = "date", only: Iterable[int] | None = None) -> list[int]:
        """Indices of entries in display order for a sort key (the full
        orders are computed once and kept)."""
        if only is None:
            cached = self._orders.get(sort)
            if cached is None:
                cached = self._orders[sort] = self._order(sort, range(len(self.entries)))
            return cached
        return self._order(sort, only)

    def _order(self, sort: str, only: Iterable[int]) -> list[int]:
        indices = list(only)
        e = self.entries
        if sort == "title":
            indices.sort(key=lambda i: (e[i].title.casefold(), e[i].path))
        elif sort == "provider":
            indices.sort(key=lambda i: (not e[i].provider, e[i].provider.casefold(), _neg_date(e[i])))
        elif sort in ("quality", "heat"):
            indices.sort(key=lambda i: (_neg(getattr(e[i], sort)), _neg_date(e[i])))
        elif sort == "oldest":  # undated last here too
            indices.sort(key=lambda i: _date(e[i]))
        else:
            indices.sort(key=lambda i: _neg_date(e[i]))
        return indices


def _neg(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, -value)


def _date(entry: Entry) -> tuple[int, float, str, str]:
    if entry.ts is None:
        return (1, 0.0, entry.title.casefold(), entry.path)
    return (0, entry.ts, entry.title.casefold(), entry.path)


def _neg_date(entry: Entry) -> tuple[int, float, str, str]:
    if entry.ts is None:
        return (1, 0.0, entry.title.casefold(), entry.path)
    return (0, -entry.ts, entry.title.casefold(), entry.path)
