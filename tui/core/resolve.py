"""Which file in the collection a related entry names.

A related entry is a snapshot of another story: a title, some URLs (web, AMP,
AMP cache), a provider. It resolves to an article of the collection by

1. URL: any of its URLs, normalised (:func:`tui.core.urls.normalize_url`),
   equal to any URL of the article (web, AMP, AMP cache, original);
2. else title: the same normalised title, or a rapidfuzz ``token_sort_ratio``
   of at least :data:`TITLE_THRESHOLD` between normalised titles, the
   candidates found through a word index (so one lookup stays well under a
   millisecond at 50,000 articles). When the entry names a site (a URL or a
   provider domain), the title match must be an article of the same site:
   on the real corpus every title match from *another* site is the same
   story told by another outlet, not the file the entry names (see
   ``benchmarks/related_resolution.py``, which measured and chose both).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process

from tui.core.model import Entry, Related, title_key
from tui.core.urls import host_of

TITLE_THRESHOLD = 85.0  # chosen from the labelled sample (benchmarks/related_resolution.py)
COMMON_SHARE = 0.05  # a word in more titles than this share is no use for finding candidates
MIN_SHARED = 0.5  # a candidate shares at least this share of the entry's title words
SITE_POOL = 3000  # above this many articles on one site, candidates come from the word index


def site(host_or_domain: str) -> str:
    """The registrable part of a host: ``news.bbc.co.uk`` -> ``bbc.co.uk``."""
    host = host_or_domain.strip().lower().rstrip(".")
    if host.startswith(("http://", "https://")):
        host = host.split("://", 1)[1]
    host = host_of(host)
    labels = [label for label in host.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and len(labels[-2]) <= 3:  # co.uk, com.au, ac.jp...
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def entry_sites(entry: Entry) -> set[str]:
    sites = {site(key) for key in entry.all_keys}
    if entry.domain:
        sites.add(site(entry.domain))
    sites.discard("")
    return sites


def related_sites(related: Related) -> set[str]:
    sites = {site(key) for key in related.url_keys}
    if related.domain:
        sites.add(site(related.domain))
    sites.discard("")
    return sites


TitleMatch = Callable[[str, "set[str] | None", float, "float | None"], "tuple[int, float] | None"]


def resolve_related(
    related: Related,
    by_url: Callable[[str], int | None] | None,
    by_title: TitleMatch | None,
    threshold: float = TITLE_THRESHOLD,
    same_site: bool = True,
) -> int | None:
    """The article a related entry names, by the rules above: ``by_url``
    looks up a URL key, ``by_title`` matches a title (title, sites, threshold,
    date) as :meth:`TitleIndex.match` does; None skips that way. The
    in-memory collection and the on-disk index each give their look-ups."""
    if by_url is not None:
        for key in related.url_keys:
            found = by_url(key)
            if found is not None:
                return found
    if by_title is None:
        return None
    ts = related.published.timestamp() if related.published else None
    match = by_title(related.title, related_sites(related) if same_site else None, threshold, ts)
    return None if match is None else match[0]


class TitleIndex:
    """Normalised titles and a word index over them, for fuzzy title lookups."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.keys = [title_key(e.title) for e in entries]
        postings: dict[str, array] = {}
        exact: dict[str, int | list[int]] = {}  # a list only for a title several articles share
        by_site: dict[str, array] = {}
        for i, key in enumerate(self.keys):
            first = exact.setdefault(key, i)
            if first != i:
                if isinstance(first, int):
                    exact[key] = [first, i]
                else:
                    first.append(i)
            for name in entry_sites(entries[i]):
                bucket = by_site.get(name)
                if bucket is None:
                    bucket = by_site[name] = array("I")
                bucket.append(i)
            for word in set(key.split()):
                bucket = postings.get(word)
                if bucket is None:
                    bucket = postings[word] = array("I")
                bucket.append(i)
        self.postings = postings
        self.exact = exact
        self.by_site = by_site
        self.common = max(50, int(len(entries) * COMMON_SHARE))

    def candidates(self, key: str) -> list[int]:
        """Articles whose titles share at least half of ``key``'s words."""
        words = set(key.split())
        if not words:
            return []
        need = max(1, round(len(words) * MIN_SHARED))
        lists = sorted((self.postings[w] for w in words if w in self.postings), key=len)
        # Pigeonhole: a title sharing `need` of the words holds one of the
        # len(words) - need + 1 rarest ones.
        seeds = lists[: len(words) - need + 1]
        found: set[int] = set()
        for postings in seeds:
            if len(postings) > self.common and found:
                break
            found.update(postings)
        keys = self.keys
        return [i for i in found if len(words & set(keys[i].split())) >= need]

    def match(
        self, title: str, sites: set[str] | None = None, threshold: float = TITLE_THRESHOLD, ts: float | None = None
    ) -> tuple[int, float] | None:
        """(index, score) of the best title match at or above ``threshold``,
        only among articles of ``sites`` when given; ties go to the same site,
        then the nearest date."""
        key = title_key(title)
        if not key:
            return None
        keys = self.keys
        scored: list[tuple[float, int]]
        if sites:
            # Only the articles of the entry's own site: usually a few
            # hundred, scored in one rapidfuzz call.
            pool: set[int] = set()
            for name in sites:
                pool.update(self.by_site.get(name, ()))
            if len(pool) > SITE_POOL:
                pool.intersection_update(self.candidates(key))
            choices = {i: keys[i] for i in pool}
            scored = [
                (score, i)
                for _, score, i in process.extract_iter(key, choices, scorer=fuzz.token_sort_ratio, score_cutoff=threshold)
            ]
        else:
            same = self.exact.get(key)
            scored = [(100.0, i) for i in ([same] if isinstance(same, int) else same or ())]
            if not scored:
                for i in self.candidates(key):
                    score = fuzz.token_sort_ratio(key, keys[i], score_cutoff=threshold)
                    if score:
                        scored.append((score, i))
        if not scored:
            return None
        entries = self.entries

        def rank(item: tuple[float, int]) -> tuple[float, float]:
            score, i = item
            when = entries[i].ts
            distance = abs(when - ts) if when is not None and ts is not None else float("inf")
            return (-score, distance)

        score, best = min(scored, key=rank)
        return best, score
