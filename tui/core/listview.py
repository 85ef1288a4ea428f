"""What the article list shows, and the unread workflow on it, without Textual.

* A :class:`ListFilter` is the list's filter: a query in the jump box's
  language (:mod:`tui.core.query`; ``is:unread topic:ai``, words with
  typos) and/or "unread only". :func:`allowed_paths` says which articles
  pass it, worked out once when the filter is applied: a story read while
  the filter is on stays listed (it does not vanish under the cursor) until
  the filter is applied again.
* :func:`next_unread` finds the next (or previous) unread row from the
  cursor, going round the end once.
* :func:`unread_identities` is what "mark all read" marks: every unread
  identity of the rows shown (and of the other versions of their stories).

The session (:class:`tui.core.session.ReadingSession`) holds the filter and
uses these; the UI only asks the session.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui.core.model import Entry
from tui.core.query import Query, parse_query
from tui.core.results import SearchResult
from tui.core.search import SearchIndex
from tui.core.text import clean_line

LABEL_WIDTH = 60  # characters of the query the header shows


@dataclass(frozen=True)
class ListFilter:
    """The list's filter: ``query`` (the jump box's language; "" none) and ``unread_only``."""

    query: str = ""
    unread_only: bool = False

    @property
    def has_query(self) -> bool:
        return not parse_query(self.query).is_empty

    @property
    def active(self) -> bool:
        return self.has_query or self.unread_only

    def label(self) -> str:
        """What the header says of it: ``filter: is:unread topic:ai``, ``unread only``."""
        parts = []
        if self.has_query:
            text = clean_line(" ".join(self.query.split()))
            parts.append("filter: " + (text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"))
        if self.unread_only:
            parts.append("unread only")
        return " + ".join(parts)


@dataclass(frozen=True)
class Applied:
    """A filter worked out: the paths of the articles that pass (None: every
    one), and a note for the person ("" none: e.g. a query word that matches nothing)."""

    paths: frozenset[str] | None
    note: str = ""


def matching(
    index: SearchIndex, query: str, marks: Mapping[str, Container[int]] | None, stale: Callable[[], bool] | None = None
) -> tuple[set[int], str]:
    """Positions in ``index.entries`` of the articles that match every part
    of ``query`` (full matches only, as the jump box lists them first), and
    a note on the query's problems (an unknown ``is:``, a bad date, a word
    matching nothing) or "". ``stale``: see ``SearchIndex.results``."""
    parsed = parse_query(query)
    result = index.results(parsed, marks=marks, stale=stale)
    return set(result.full_docs()), query_notes(parsed, result)


def query_notes(parsed: Query, result: SearchResult) -> str:
    """What the person is told of a filter's query: its mistakes, the words
    no article has, the words ignored ("" when none)."""
    notes = list(parsed.errors)
    if result.unmatched:
        notes.append("no article has " + ", ".join(result.unmatched))
    if result.ignored:
        notes.append("ignored: " + " ".join(result.ignored))
    return "; ".join(notes)


def allowed_paths(
    entries: Sequence[Entry],
    docs: Iterable[int] | None,
    unread_only: bool,
    is_read: Callable[[Entry], bool],
) -> frozenset[str] | None:
    """The paths that pass: those of ``docs`` (positions in ``entries``;
    None: every article), less the read ones when ``unread_only``. None when
    nothing is filtered out."""
    if docs is None and not unread_only:
        return None
    chosen = (entries[i] for i in docs) if docs is not None else iter(entries)
    if unread_only:
        return frozenset(e.path for e in chosen if not is_read(e))
    return frozenset(e.path for e in chosen)


def filter_order(order: Sequence[int], entries: Sequence[Entry], paths: Container[str] | None) -> Sequence[int]:
    """The display order with only the articles that pass."""
    if paths is None:
        return order
    return [i for i in order if entries[i].path in paths]


def next_unread(
    rows: Sequence[Entry], cursor: int, step: int, is_read: Callable[[Entry], bool]
) -> tuple[int, bool] | None:
    """The row of the next unread story after ``cursor`` (``step`` 1) or
    before it (-1), going round the end once: (row, went round), or None
    when no other row is unread."""
    count = len(rows)
    if not count:
        return None
    step = 1 if step >= 0 else -1
    start = min(max(cursor, -1), count)
    for k in range(1, count + 1):
        row = start + step * k
        wrapped = not 0 <= row < count
        row %= count
        if row == cursor:
            return None
        if not is_read(rows[row]):
            return row, wrapped
    return None


def unread_identities(
    rows: Iterable[Entry],
    identity: Callable[[Entry], str],
    versions: Callable[[Entry], Iterable[Entry]],
    read: Container[str],
) -> list[str]:
    """Every unread identity of the rows and of the other versions of their
    stories, once each, in row order."""
    out: dict[str, None] = {}
    for row in rows:
        for entry in versions(row):
            key = identity(entry)
            if key not in read:
                out[key] = None
    return list(out)
