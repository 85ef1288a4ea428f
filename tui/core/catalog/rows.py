"""One article file as rows of the index: what worker processes compute.

:func:`parse_chunk` reads files and turns each into the values of its
``entries`` row, the words of each search field (what goes into the FTS
table), and the chunk's word and facet counts; the main process only writes
them. :func:`field_texts` is also how the writer finds the words to take out
again when a file changes: the same function both ways, so the full-text
table always loses exactly what it was given.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from tui.core.model import Entry, LoadIssue

FIELDS = ("title", "provider", "topics", "excerpt", "body")
SEP = "\x1f"  # between topics, and between URL keys (text from files has none: clean_line shows it as ␟)
UNDATED = 1e300  # neg_ts of an undated article: after every dated one
NO_VALUE = 1e300  # neg_quality / neg_heat of an article without one: last
NO_PROVIDER = "\U0010ffff"  # prov_key of an article without provider: last
INT64 = (-(2**63), 2**63 - 1)
_WORD = re.compile(r"\w+", re.UNICODE)

# The values of one ``entries`` row after (path, dir, mtime_ns, size), in order.
COLUMNS = (
    "title", "provider", "domain", "ts", "topics", "excerpt", "url", "quality", "heat", "flags",
    "key", "keys", "refs", "words", "ident", "neg_ts", "prov_key", "neg_quality", "neg_heat", "story",
)  # fmt: skip
# What a worker sends back per file: (number, path, row | None, field texts | None, reason | None)
Parsed = tuple[int, str, tuple | None, tuple | None, str | None]
Counts = tuple[dict[str, list[int]], dict[tuple[str, str], int]]  # words per field, facet values


def split(text: str) -> list[str]:
    """The words of a text as search sees them (lower case, ``\\w+``)."""
    return _WORD.findall(text.lower())


def field_texts(title: str, provider: str, domain: str, topics: Sequence[str], excerpt: str, words: str) -> tuple[str, ...]:
    """The text of each search field (:data:`FIELDS`) as the full-text table
    holds it: its words, lower case, one space between them."""
    return (
        " ".join(split(title)),
        " ".join(split(f"{provider} {domain}")),
        " ".join(split(" ".join(topics))),
        " ".join(split(excerpt)),
        words,
    )


def text_ok(text: str) -> str:
    """Text SQLite can store: UTF-8. A lone surrogate (a YAML escape such as
    ``"\\udc80"``, a file name that is not UTF-8) becomes U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def db_path(path: str) -> str | bytes:
    """A path as the index stores it: text, or its bytes when it is not UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


def py_path(value: str | bytes) -> str:
    return value if isinstance(value, str) else os.fsdecode(value)


def storable(entry: Entry) -> Entry:
    """The entry with every text storable (see :func:`text_ok`)."""
    texts = (entry.title, entry.provider, entry.domain, entry.excerpt, entry.url, entry.key, entry.words, *entry.topics, *entry.keys)
    if all(t.isascii() for t in texts):
        return entry
    return entry._replace(
        title=text_ok(entry.title),
        provider=text_ok(entry.provider),
        domain=text_ok(entry.domain),
        excerpt=text_ok(entry.excerpt),
        url=text_ok(entry.url),
        key=text_ok(entry.key),
        words=text_ok(entry.words),
        topics=tuple(text_ok(t) for t in entry.topics),
        keys=tuple(text_ok(k) for k in entry.keys),
    )


def _int64(value: int | None) -> int | None:
    if value is None:
        return None
    return min(max(value, INT64[0]), INT64[1])


def entry_row(entry: Entry) -> tuple:
    """The ``entries`` values of an entry (see :data:`COLUMNS`)."""
    from tui.core.bookmarks import entry_key

    quality, heat = _int64(entry.quality), _int64(entry.heat)
    return (
        entry.title,
        entry.provider,
        entry.domain,
        entry.ts,
        SEP.join(entry.topics),
        entry.excerpt,
        entry.url,
        quality,
        heat,
        entry.flags,
        entry.key,
        SEP.join(entry.keys),
        entry.refs,
        entry.words,
        text_ok(entry_key(entry)),
        UNDATED if entry.ts is None else -entry.ts,
        entry.provider.casefold() if entry.provider else NO_PROVIDER,
        NO_VALUE if quality is None else -float(quality),
        NO_VALUE if heat is None else -float(heat),
        story_blob(entry.title),
    )


def story_blob(title: str) -> bytes:
    """The title's story keys (see :mod:`tui.core.catalog.stories`), packed:
    8 bytes each, the low bit saying whether it is the whole title's."""
    from tui.core.catalog.stories import title_keys

    return b"".join((key << 1 | exact).to_bytes(8, "little") for key, exact in title_keys(title))


def entry_from_row(path: str, row: Sequence[Any]) -> Entry:
    """The entry back from its stored values (``row`` starts at ``title``)."""
    intern = sys.intern
    topics = tuple(intern(t) for t in row[4].split(SEP)) if row[4] else ()
    return Entry(
        path,
        row[0],
        intern(row[1]),
        intern(row[2]),
        row[3],
        topics,
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        tuple(row[11].split(SEP)) if row[11] else (),
        row[12],
        row[13],
    )


def count_words(counts: dict[str, list[int]], texts: Iterable[str], sign: int = 1) -> None:
    """Add one article's field texts to per-word document counts."""
    for f, text in enumerate(texts):
        if not text:
            continue
        for word in set(text.split()):
            found = counts.get(word)
            if found is None:
                found = counts[word] = [0, 0, 0, 0, 0]
            found[f] += sign


def count_facets(counts: dict[tuple[str, str], int], provider: str, domain: str, topics: Iterable[str], sign: int = 1) -> None:
    for kind, value in (("provider", provider), ("domain", domain)):
        if value:
            counts[(kind, value)] = counts.get((kind, value), 0) + sign
    for topic in set(topics):
        counts[("topic", topic)] = counts.get(("topic", topic), 0) + sign


def parse_file(path: str) -> tuple[tuple | None, tuple | None, str | None]:
    """(row, field texts, None) for an article, (None, None, reason) for a file
    that is not one. Never raises."""
    from tui.core.loader import read_article

    result = read_article(path, for_index=True)
    if isinstance(result, LoadIssue):
        return None, None, result.reason
    entry = storable(result.to_entry())
    texts = field_texts(entry.title, entry.provider, entry.domain, entry.topics, entry.excerpt, entry.words)
    return entry_row(entry), texts, None


def parse_chunk(paths: list[str]) -> tuple[list[Parsed], Counts]:
    """Parse some files: a row each, and their word and facet counts."""
    return parse_numbered(list(enumerate(paths)))


def parse_numbered(items: list[tuple[int, str]]) -> tuple[list[Parsed], Counts]:
    """:func:`parse_chunk` of (number, path) pairs, each result with its number."""
    out: list[Parsed] = []
    words: dict[str, list[int]] = {}
    facets: dict[tuple[str, str], int] = {}
    for number, path in items:
        row, texts, reason = parse_file(path)
        out.append((number, path, row, texts, reason))
        if row is not None and texts is not None:
            count_words(words, texts)
            count_facets(facets, row[1], row[2], row[4].split(SEP) if row[4] else ())
    return out, (words, facets)


def worker_main(parent: int | None = None) -> None:
    """A worker process: chunks of paths in on stdin, rows out on stdout,
    ending with its parent (see :func:`tui.core.workers.serve`)."""
    from tui.core.workers import serve

    serve(parse_numbered, parent)
