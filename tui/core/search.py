"""Search over a collection: fuzzy, typo-tolerant, word-order free, fast,
with fzf's operators and facets (see :mod:`tui.core.query` for the syntax).

A word index (an inverted index per field) keeps each keystroke cheap at
50,000 articles: every query word is matched against the *vocabulary* of
each field (tens of thousands of distinct words, not millions of strings),
then the articles holding the matching words are scored. A plain query word
matches a vocabulary word

* exactly (quality 1.0), or as its beginning ("recog" -> "recognition"),
* with a typo: rapidfuzz's ``ratio`` of at least 75 ("facail" -> "facial"),
* as a consonant skeleton ("jpn" -> "japan", "fcl" -> "facial").

Each query word needs a word of its own in the article (see
:mod:`tui.core.ranking` for the rules: at most the first 16 words, every
word matched by a different article word, full matches before partial
ones). A word's quality is weighted by the field it is found in, so a title
match wins: title 1.0, provider 0.75, topics 0.7, excerpt 0.7, body 0.4 (the
body's words are a capped set kept in the index, see
:func:`tui.core.model.body_words`). Among the best, rapidfuzz's ``WRatio``
of the whole query against the title breaks near-ties; then the shorter
title, then the newer article wins.

Exact (``'x``), anchored (``^x``, ``x$``) and negated (``!x``) terms and
facets filter: an article must satisfy each. A query of facets only lists
every matching article, newest first.

:meth:`SearchIndex.results` gives every hit, counted, read by position;
:meth:`SearchIndex.search` the first ``limit`` of them.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from itertools import compress, filterfalse

from rapidfuzz import fuzz, utils

from tui.core.model import Entry
from tui.core.query import Facet, Query, Term, as_query, cap_words
from tui.core.ranking import MAX_WORDS, Ranker, max_merge
from tui.core.results import SearchResult, Tier
from tui.core.vocab import _WORD, INFLECTED, TITLE, FieldIndex, Scores, Source, WordScores, skeleton, words

FIELDS = ("title", "provider", "topics", "excerpt", "body")
WEIGHTS = {"title": 1.0, "provider": 0.75, "topics": 0.7, "excerpt": 0.7, "body": 0.4}
KNOWN_WORD = 0.7  # a query word that is a word of the collection: its prefixes and typos count this much less
TOKEN_CACHE = 6  # query words whose scores are kept beyond those of the last query (each can hold 50,000 articles: ~2.5 MB)
BODY_COMMON = 25  # a body word held by more than 1/25 of the articles is not searched
SNIPPET = 72  # characters of a snippet around a match
_FENCE = re.compile(r"\n-{3,}[ \t]*(?:\n|$)")

Marks = Mapping[str, Container[int]]


def _norm(text: str) -> str:
    """Lower-case, punctuation as spaces, single-spaced (titles for ^x / x$)."""
    return " ".join(words(text))


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short piece of text around a match, with the spans to highlight."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One result. ``title_spans`` and ``snippet`` are computed when asked
    for (only the rows shown pay for them)."""

    index: int  # into the entries the index was built from
    score: float  # 0..100
    field: str  # which field matched best: title, provider, topics, excerpt, body ("" for facets only)
    query: Query | None = dataclass_field(default=None, repr=False, compare=False)
    entry: Entry | None = dataclass_field(default=None, repr=False, compare=False)
    missing: tuple[str, ...] = ()  # the query's words this article lacks: a partial match when any

    @property
    def partial(self) -> bool:
        return bool(self.missing)

    @property
    def title_spans(self) -> tuple[tuple[int, int], ...]:
        """Spans of the entry's title to highlight."""
        if self.query is None or self.entry is None:
            return ()
        return tuple(query_spans(self.query, self.entry.title))

    @property
    def snippet(self) -> Snippet | None:
        """Around the match, for an excerpt match; a body match needs the
        file: :func:`file_snippet`."""
        if self.query is None or self.entry is None or self.field != "excerpt":
            return None
        return snippet_for(self.query, self.entry.excerpt)


def token_matches(fields: Mapping[str, FieldIndex], token: str, body_common: int) -> list[tuple[float, str, str]]:
    """(weighted quality, field, vocabulary word) for every word one query
    word stands for, in every field (``fields``: anything answering as a
    :class:`FieldIndex` does; the on-disk index's vocabulary too).
    ``body_common``: a body word held by more articles than this is not searched."""
    scored: list[tuple[float, str, str]] = []
    # "surge" is a word: "surgery" is less likely meant than "surge"
    # itself, even in a lesser field. "facia" is no word: "facial" is.
    known = any(field.has(token) for name, field in fields.items() if name != "body")
    for name, field in fields.items():
        if name == "body":
            if len(token) < 3:
                continue  # a letter or two: nearly every body has such a word
            # Exact, or a beginning of four letters or more; a word in
            # more than one body in 25 tells no story from another.
            matches = {
                w: quality
                for w, quality in field.matches(token if len(token) >= 4 else token + "\0", fuzzy=False).items()
                if field.count(w) <= body_common
            }
            if len(token) < 4 and field.has(token) and field.count(token) <= body_common:
                matches[token] = 1.0
        elif (len(token) <= 2 and name == "excerpt") or (len(token) == 1 and name != "title"):
            continue
        else:
            # One letter (the first key of every query) says little: a
            # few of the words it begins are enough to show something.
            matches = field.matches(token, limit=60 if len(token) == 1 else 400)
        weight = WEIGHTS[name]
        if known:
            scored.extend(
                (quality * weight * (1.0 if quality >= INFLECTED else KNOWN_WORD), name, word) for word, quality in matches.items()
            )
        else:
            scored.extend((quality * weight, name, word) for word, quality in matches.items())
    return scored


class SearchIndex:
    """A word index over a fixed list of entries."""

    on_disk = False  # in memory: counting the matches is as quick as finding them

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.titles = [utils.default_process(e.title) for e in entries]
        self.fields = {
            "title": FieldIndex(self.titles),
            "provider": FieldIndex(f"{e.provider} {e.domain}" for e in entries),
            "topics": FieldIndex(" ".join(e.topics) for e in entries),
            "excerpt": FieldIndex(e.excerpt for e in entries),
            "body": FieldIndex((getattr(e, "words", "") for e in entries), split=str.split),
        }
        self._cache: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()
        self._room = TOKEN_CACHE
        self._body_common = max(50, len(entries) // BODY_COMMON)
        self._newest: list[int] | None = None
        self._topics: dict[str, array] | None = None
        self._providers: dict[str, array] | None = None

    # -- caches ---------------------------------------------------------------------
    def _cached(self, key: object, make: Callable[[], object]) -> object:
        # A search may run in a thread while another reads its results: the
        # cache is changed under a lock (``make`` runs outside it; two
        # threads making the same value keep one).
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        value = make()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._room:
                self._cache.popitem(last=False)
        return value

    @property
    def newest(self) -> list[int]:
        """Every article, newest first (undated last)."""
        if self._newest is None:
            entries = self.entries
            self._newest = sorted(range(len(entries)), key=lambda i: -(entries[i].ts or float("-inf")))
        return self._newest

    # -- one plain word ----------------------------------------------------------------
    def word_scores(self, token: str) -> WordScores:
        """Best weighted quality per article for one query word, where it
        came from, and the vocabulary words it stands for.

        Cached: typing "facial r", "facial re"... scores only the new word.
        """
        return self._cached(("w", token), lambda: self._score_token(token))  # type: ignore[return-value]

    def _score_token(self, token: str) -> WordScores:
        scored = token_matches(self.fields, token, self._body_common)
        best, src = self._collect(scored)
        table: dict[str, dict[str, float]] = {}
        for quality, name, word in scored:  # lowest first: the best stays
            table.setdefault(name, {})[word] = quality
        return WordScores(token, best, src, table)

    def _collect(self, scored: list[tuple[float, str, str]]) -> Scores:
        scored.sort()
        best: dict[int, float] = {}
        src: dict[int, Source] = {}
        # Lowest first: each update (done in C) overwrites with a better score.
        for score, name, word in scored:
            postings = self.fields[name].postings[word]
            best.update(dict.fromkeys(postings, score))
            src.update(dict.fromkeys(postings, (name, word)))
        return best, src

    # -- exact and anchored terms ------------------------------------------------------
    def _haystack(self, doc: int) -> str:
        e = self.entries[doc]
        return " ".join((e.title, e.provider, e.domain, " ".join(e.topics), e.excerpt, getattr(e, "words", ""))).lower()

    def _exact_scores(self, text: str) -> Scores:
        def make() -> Scores:
            parts = words(text)
            if not parts:
                return {}, {}
            scored: list[tuple[float, str, str]] = []
            per_part: list[set[int]] = []
            for i, part in enumerate(parts):
                docs: set[int] = set()
                for name, field in self.fields.items():
                    found = field.containing(part)
                    docs |= field.docs(found)
                    if i == 0:
                        weight = WEIGHTS[name]
                        scored.extend((weight * (1.0 if w == part else 0.9), name, w) for w in found)
                per_part.append(docs)
            best, src = self._collect(scored)
            if len(parts) > 1 or parts[0] != text:
                keep = set.intersection(*per_part)
                keep = {d for d in keep if text in self._haystack(d)}
                best = {d: s for d, s in best.items() if d in keep}
                for d in keep:
                    best.setdefault(d, 0.5)
                    src.setdefault(d, TITLE)
            return best, src

        return self._cached(("x", text), make)  # type: ignore[return-value]

    def _anchored(self, term: Term) -> Scores:
        def make() -> Scores:
            text = utils.default_process(term.text)
            if not text:
                return {}, {}
            titles = self.titles  # processed the same way: lower-case, punctuation as spaces
            if term.kind == "prefix":
                docs = [d for d, t in enumerate(titles) if t.startswith(text)]
            elif term.kind == "suffix":
                docs = [d for d, t in enumerate(titles) if t.endswith(text)]
            else:
                docs = [d for d, t in enumerate(titles) if t == text]
            return dict.fromkeys(docs, 1.0), dict.fromkeys(docs, TITLE)

        return self._cached(("a", term.kind, term.text), make)  # type: ignore[return-value]

    def _term_scores(self, term: Term) -> Scores:
        if term.kind == "exact":
            return self._exact_scores(term.text)
        if term.kind in ("prefix", "suffix", "equal"):
            return self._anchored(term)
        # "gpt-4" in an OR: each word must match; the mean scores.
        per = [self.word_scores(p) for p in dict.fromkeys(term.words)]
        if len(per) == 1:
            return per[0].best, per[0].src
        keys = set(per[0].best)
        for found in per[1:]:
            keys &= found.best.keys()
        best = {d: sum(p.best[d] for p in per) / len(per) for d in keys}
        return best, per[0].src

    # -- facets ---------------------------------------------------------------------
    def _facet_docs(self, facet: Facet, marks: Marks | None) -> Container[int]:
        if facet.name == "is":
            if marks is None:
                return ()
            return marks.get(facet.value, ())
        return self._cached(("f", facet.name, facet.value), lambda: self._make_facet(facet))  # type: ignore[return-value]

    def _make_facet(self, facet: Facet) -> set[int]:
        entries = self.entries
        if facet.name in ("after", "before"):
            ts = datetime.fromisoformat(facet.value).replace(tzinfo=UTC).timestamp()
            if facet.name == "after":
                return {i for i, e in enumerate(entries) if e.ts is not None and e.ts >= ts}
            return {i for i, e in enumerate(entries) if e.ts is not None and e.ts < ts}
        if facet.name == "topic":
            if self._topics is None:
                self._topics = FieldIndex(((e.topics) for e in entries), split=lambda ts: [_norm(t) for t in ts]).postings
            table = self._topics
        else:
            if self._providers is None:
                self._providers = FieldIndex(
                    ((e.provider, e.domain) for e in entries), split=lambda pd: [x.lower() for x in pd if x]
                ).postings
            table = self._providers
        want = _norm(facet.value) if facet.name == "topic" else facet.value.lower()
        want_words = _norm(facet.value)
        out: set[int] = set()
        for value, docs in table.items():
            if value.startswith(want) or (" " + _norm(value)).find(" " + want_words) >= 0 and want_words:
                out.update(docs)
        return out

    # -- searching ------------------------------------------------------------------
    def search(self, query: str | Query, limit: int | None = 50, *, marks: Marks | None = None) -> list[Hit]:
        """The first ``limit`` hits (None: all) of :meth:`results`: full
        matches first, then partial ones; an empty query gives no hits."""
        found = self.results(query, marks=marks)
        return found[: len(found) if limit is None else limit]

    def results(self, query: str | Query, *, marks: Marks | None = None, stale: Callable[[], bool] | None = None) -> SearchResult:
        """Every hit, best first, read by position (computed as far as read),
        with the true number of full and partial matches, and the query's
        words that were ignored or matched nothing (see :mod:`tui.core.ranking`).

        ``query`` is what was typed (or a parsed :class:`Query`).
        ``marks`` gives the reading state that ``is:bookmarked`` and
        ``is:unread`` need: ``marks["bookmarked"]`` and ``marks["unread"]``
        hold entry indices (positions in :attr:`entries`); a missing key, or
        no ``marks``, matches no article. A query of facets only lists every
        matching article, newest first.

        ``stale``: the index on disk stops a search that turned stale (a
        newer query was typed) with :class:`~tui.core.results.Stale`; in
        memory a search is quick enough to finish.
        """
        q = as_query(query)
        used, ignored = cap_words(q, MAX_WORDS)
        # Keep every word of this query scored: the next keystroke changes one.
        self._room = TOKEN_CACHE + sum(len(t.words) for t in used.terms) + len(used.facets)
        slots: list[WordScores] = []  # plain words: each needs an article word of its own
        required: list[Scores] = []  # positive groups with an operator: each must match
        labels: list[str] = []  # of the required groups
        allowed: list[Container[int]] = []  # facets: each must hold the article
        excluded: list[set[int]] = []  # negations
        for group in dict.fromkeys(used.groups):  # a word typed twice counts once
            positives = [a for a in group if not a.negate]
            negatives = [a for a in group if a.negate]
            if negatives:
                # The group fails only when every negative atom matches and no
                # positive one does (one !x alone: x excludes).
                sets = [self._atom_docs(a, marks) for a in negatives]
                out = set(self._docs_of(sets[0]))
                for s in sets[1:]:
                    out = {d for d in out if d in s}
                for a in positives:
                    docs = self._atom_docs(a, marks)
                    out = {d for d in out if d not in docs}
                excluded.append(out)
                continue
            facets = [a for a in positives if isinstance(a, Facet)]
            terms = [a for a in positives if isinstance(a, Term)]
            if facets and not terms:
                if len(facets) == 1:
                    allowed.append(self._facet_docs(facets[0], marks))
                else:
                    union: set[int] = set()
                    for f in facets:
                        union.update(self._docs_of(self._facet_docs(f, marks)))
                    allowed.append(union)
                continue
            if not facets and all(t.kind == "fuzzy" for t in terms):
                if len(terms) == 1:
                    for word in terms[0].words:
                        if all(s.label != word for s in slots):  # a word typed twice counts once
                            slots.append(self.word_scores(word))
                    continue
                if all(len(t.words) == 1 for t in terms):
                    slots.append(WordScores.either([self.word_scores(t.words[0]) for t in terms]))
                    continue
            scores = [self._term_scores(t) for t in terms]
            for f in facets:
                docs = self._docs_of(self._facet_docs(f, marks))
                scores.append((dict.fromkeys(docs, 0.5), dict.fromkeys(docs, ("", ""))))
            required.append(scores[0] if len(scores) == 1 else max_merge(scores))
            labels.append(" | ".join(t.shown for t in terms))
        unmatched = tuple(s.label for s in slots if not s.best) + tuple(x for x, r in zip(labels, required, strict=False) if not r[0])
        if not slots and not required:
            if used.is_empty:
                return SearchResult(used, Tier([]), Tier([]), list, list, ignored)
            docs = self._passing(allowed, excluded)
            return SearchResult(used, Tier(docs), Tier([]), list, lambda d: Hit(d, 100.0, "", used, self.entries[d]), ignored)

        def hit(doc: int, score: float, field: str, missing: tuple[str, ...]) -> Hit:
            return Hit(doc, score, field, used, self.entries[doc], missing)

        return Ranker(self, hit, used, slots, required, allowed, excluded).result(ignored, unmatched)

    def _passing(self, allowed: list[Container[int]], excluded: list[set[int]]) -> list[int]:
        """Every article that each facet holds and no negation excludes, newest first."""
        if allowed:
            first = min(allowed, key=lambda a: len(a) if isinstance(a, (set, frozenset, range, tuple, list)) else len(self.entries))
            keep = set(self._docs_of(first))
            for a in allowed:
                keep = keep & a if isinstance(a, (set, frozenset)) else {d for d in keep if d in a}
            for x in excluded:
                keep -= x
            return list(compress(self.newest, map(keep.__contains__, self.newest)))
        out = set().union(*excluded)
        return list(filterfalse(out.__contains__, self.newest))

    def _atom_docs(self, atom: Term | Facet, marks: Marks | None) -> Container[int]:
        if isinstance(atom, Facet):
            return self._facet_docs(atom, marks)
        return self._term_scores(atom)[0]

    def _docs_of(self, docs: Container[int]) -> Iterable[int]:
        if isinstance(docs, (set, frozenset, dict, list, tuple, range)):
            return docs
        return [d for d in range(len(self.entries)) if d in docs]

    def best_without(self, found: WordScores, word: str) -> dict[int, float]:
        """Per article, the best weighted quality of what ``found`` stands
        for, leaving out the vocabulary word ``word`` (in every field)."""
        scored = [(q, name, w) for name, table in found.table.items() for w, q in table.items() if w != word]
        return self._collect(scored)[0]

    def field_words(self, doc: int) -> dict[str, list[str]]:
        """The words of article ``doc`` per field, as the index holds them."""
        e = self.entries[doc]
        return {
            "title": words(self.titles[doc]),
            "provider": words(f"{e.provider} {e.domain}"),
            "topics": words(" ".join(e.topics)),
            "excerpt": words(e.excerpt),
            "body": getattr(e, "words", "").split(),
        }


# -- highlighting ---------------------------------------------------------------------
def match_spans(query: str | Query, text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that match the query's words, for highlighting.

    Each query word marks the title word it best matches: the whole word for a
    typo ("jpan" -> "Japan"), its first letters for a prefix ("recog" ->
    "Recog|nition"). Exact and anchored terms mark where they occur.
    """
    return query_spans(as_query(query), text)


def query_spans(q: Query, text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    found = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    spans: set[tuple[int, int]] = set()
    lowered = text.lower()
    for term in q.terms:
        if term.negate:
            continue
        if term.kind != "fuzzy":
            needle = term.text
            start = lowered.find(needle)
            while start >= 0 and needle:
                spans.add((start, start + len(needle)))
                start = lowered.find(needle, start + len(needle))
            if term.kind in ("prefix", "suffix", "equal") and not spans:
                # "^what s" against "What's": mark the words it stands for.
                for token in words(needle):
                    spans.update(_fuzzy_span(token, found, 100.0))
            continue
        for token in term.words:
            spans.update(_fuzzy_span(token, found, 70.0))
    return _merge(spans)


def _fuzzy_span(token: str, found: list[tuple[int, int, str]], cutoff: float) -> list[tuple[int, int]]:
    best: tuple[float, int, int] | None = None
    for start, end, word in found:
        if word.startswith(token):
            candidate = (101.0, start, start + len(token))
        else:
            whole = fuzz.ratio(token, word)
            prefix = fuzz.ratio(token, word[: len(token)]) if len(word) > len(token) else 0.0
            candidate = (whole, start, end) if whole >= prefix else (prefix, start, start + min(len(token), end - start))
            if len(token) >= 2 and token == skeleton(token) and skeleton(word).startswith(token):
                candidate = max(candidate, (90.0, start, end))
        if best is None or candidate[0] > best[0]:
            best = candidate
    if best is not None and best[0] >= cutoff:
        return [(best[1], best[2])]
    return []


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def text_spans(terms: Sequence[str], text: str) -> list[tuple[int, int]]:
    """Every occurrence in ``text`` of the words ``terms`` (see
    :meth:`Query.highlight_terms`), case-insensitive, at the start of a word
    (a whole phrase for an exact term): for highlighting an open article and
    counting its matches."""
    if not terms or not text:
        return []
    wanted = sorted({t.lower() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not wanted:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in wanted) + ")", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def snippet_for(query: str | Query, text: str, width: int = SNIPPET) -> Snippet | None:
    """A piece of ``text`` (~``width`` characters) around the first match of
    the query's words, with the spans to highlight; None when none is found."""
    q = as_query(query)
    if not text:
        return None
    text = " ".join(text.split())
    terms = q.highlight_terms()
    spans = text_spans(terms, text)
    if not spans:
        # Typos and skeletons: the words that fuzzy-match the query's words.
        spans = query_spans(q, text)
    if not spans:
        return None
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space > spans[0][1] else end
    piece = text[start:end]
    lead = "…" if start > 0 else ""
    trail = "…" if end < len(text) else ""
    shift = len(lead) - start
    inside = tuple((s + shift, min(e, end) + shift) for s, e in spans if s >= start and s < end)
    return Snippet(lead + piece + trail, inside)


def file_snippet(path: str, query: str | Query, width: int = SNIPPET) -> Snippet | None:
    """:func:`snippet_for` on the body of the file at ``path`` (read raw,
    front matter skipped without parsing it); None when it cannot be read."""
    from tui.core.safe_io import Refused, read_regular

    try:
        data = read_regular(path, 256 * 1024, truncate=True)  # a regular file only: never a FIFO or /dev/zero
    except Refused:
        return None
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    text = text.lstrip("\ufeff")
    if text.startswith("---"):
        second = _FENCE.search(text, 3)
        text = text[second.end() :] if second else ""
    return snippet_for(query, text, width)
