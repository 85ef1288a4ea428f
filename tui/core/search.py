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

An article's score adds, for each query word, its best match over the
fields, weighted so a title match wins: title 1.0, provider 0.75, topics
0.7, excerpt 0.55, body 0.4 (the body's words are a capped set kept in the
index, see :func:`tui.core.model.body_words`). Articles that match more of
the query's words rank first; among the best, rapidfuzz's ``WRatio`` of the
whole query against the title breaks near-ties; then the newer article wins.

Exact (``'x``), anchored (``^x``, ``x$``) and negated (``!x``) terms and
facets filter: an article must satisfy each. A query of facets only lists
every matching article, newest first.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from itertools import combinations, compress, islice, repeat
from operator import add

from rapidfuzz import fuzz, process, utils

from tui.core.model import Entry
from tui.core.query import Facet, Query, Term, as_query

FIELDS = ("title", "provider", "topics", "excerpt", "body")
WEIGHTS = {"title": 1.0, "provider": 0.75, "topics": 0.7, "excerpt": 0.7, "body": 0.4}
INFLECTIONS = frozenset(("s", "es", "d", "ed", "ing"))  # endings that keep the word the same
INFLECTED = 0.97  # quality of "warns" for "warn"
KNOWN_WORD = 0.7  # a query word that is a word of the collection: its prefixes and typos count this much less
TYPO_CUTOFF = 75.0
RERANK = 300  # candidates re-scored against the whole title
TOKEN_CACHE = 6  # query terms whose scores are kept (each can hold 50,000 articles: ~2.5 MB)
BODY_COMMON = 25  # a body word held by more than 1/25 of the articles is not searched
SNIPPET = 72  # characters of a snippet around a match
_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = str.maketrans("", "", "aeiouy")
_FENCE = re.compile(r"\n-{3,}[ \t]*(?:\n|$)")

Marks = Mapping[str, Container[int]]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def skeleton(word: str) -> str:
    """The consonants of a word: what people type when they skip vowels."""
    return word[:1] + word[1:].translate(_VOWELS)


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


class _FieldIndex:
    """word -> article ids for one field, with its sorted vocabulary."""

    def __init__(self, texts: Iterable[str], *, split: Callable[[str], Iterable[str]] = words) -> None:
        postings: dict[str, array] = {}
        for doc, text in enumerate(texts):
            if not text:
                continue
            for word in set(split(text)):
                bucket = postings.get(word)
                if bucket is None:
                    bucket = postings[word] = array("I")
                bucket.append(doc)
        self.postings = postings
        self.vocab = sorted(postings)
        skeletons: dict[str, list[str]] = {}
        for word in self.vocab:
            if len(word) >= 3 and not word.isdigit():
                skeletons.setdefault(skeleton(word), []).append(word)
        self.skeletons = skeletons
        self.skeleton_vocab = sorted(skeletons)

    def _prefixed(self, vocab: list[str], token: str, limit: int = 400) -> list[str]:
        out = []
        i = bisect_left(vocab, token)
        while i < len(vocab) and vocab[i].startswith(token) and len(out) < limit:
            out.append(vocab[i])
            i += 1
        return out

    def matches(self, token: str, *, fuzzy: bool = True, limit: int = 400) -> dict[str, float]:
        """Vocabulary words this query word stands for, with a quality 0..1
        (at most ``limit`` words that it begins)."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 1.0
        if len(token) >= 2 or not found:
            for word in self._prefixed(self.vocab, token, limit):
                if word != token:
                    # "warn" -> "warns" is the same word; "surge" -> "surgery" a longer one.
                    quality = INFLECTED if word[len(token) :] in INFLECTIONS else 0.8 + 0.15 * len(token) / len(word)
                    found[word] = max(found.get(word, 0.0), quality)
        if not fuzzy:
            return found
        if len(token) >= 4:
            for word, score, _ in process.extract_iter(token, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF):
                found[word] = max(found.get(word, 0.0), 0.85 * score / 100)
        if len(token) >= 2 and token == skeleton(token):
            for sk in self._prefixed(self.skeleton_vocab, token, limit=200):
                quality = 0.75 if sk == token else 0.65
                for word in self.skeletons[sk]:
                    found[word] = max(found.get(word, 0.0), quality)
        return found

    def containing(self, text: str) -> list[str]:
        """Vocabulary words holding ``text`` (an exact term)."""
        if text in self.postings and len(text) <= 2:
            return [text]
        return [w for w in self.vocab if text in w]

    def docs(self, vocab_words: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for word in vocab_words:
            out.update(self.postings[word])
        return out


Scores = tuple[dict[int, float], dict[int, str]]  # per article: best weighted quality, field


class SearchIndex:
    """A word index over a fixed list of entries."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.titles = [utils.default_process(e.title) for e in entries]
        self.fields = {
            "title": _FieldIndex(self.titles),
            "provider": _FieldIndex(f"{e.provider} {e.domain}" for e in entries),
            "topics": _FieldIndex(" ".join(e.topics) for e in entries),
            "excerpt": _FieldIndex(e.excerpt for e in entries),
            "body": _FieldIndex((getattr(e, "words", "") for e in entries), split=str.split),
        }
        self._cache: OrderedDict[object, object] = OrderedDict()
        self._body_common = max(50, len(entries) // BODY_COMMON)
        self._newest: list[int] | None = None
        self._topics: dict[str, array] | None = None
        self._providers: dict[str, array] | None = None

    # -- caches ---------------------------------------------------------------------
    def _cached(self, key: object, make: Callable[[], object]) -> object:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        value = make()
        self._cache[key] = value
        if len(self._cache) > TOKEN_CACHE:
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
    def _token_scores(self, token: str) -> Scores:
        """Best weighted quality per article for one query word, and the
        field it came from.

        Cached: typing "facial r", "facial re"... scores only the new word.
        """
        return self._cached(("w", token), lambda: self._score_token(token))  # type: ignore[return-value]

    def _score_token(self, token: str) -> Scores:
        scored: list[tuple[float, str, str]] = []
        # "surge" is a word: "surgery" is less likely meant than "surge"
        # itself, even in a lesser field. "facia" is no word: "facial" is.
        known = any(token in field.postings for name, field in self.fields.items() if name != "body")
        for name, field in self.fields.items():
            if name == "body":
                if len(token) < 3:
                    continue  # a letter or two: nearly every body has such a word
                # Exact, or a beginning of four letters or more; a word in
                # more than one body in 25 tells no story from another.
                common = self._body_common
                matches = {
                    w: quality
                    for w, quality in field.matches(token if len(token) >= 4 else token + "\0", fuzzy=False).items()
                    if len(field.postings[w]) <= common
                }
                if len(token) < 4 and token in field.postings and len(field.postings[token]) <= common:
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
                    (quality * weight * (1.0 if quality >= INFLECTED else KNOWN_WORD), name, word)
                    for word, quality in matches.items()
                )
            else:
                scored.extend((quality * weight, name, word) for word, quality in matches.items())
        return self._collect(scored)

    def _collect(self, scored: list[tuple[float, str, str]]) -> Scores:
        scored.sort()
        best: dict[int, float] = {}
        where: dict[int, str] = {}
        # Lowest first: each update (done in C) overwrites with a better score.
        for score, name, word in scored:
            postings = self.fields[name].postings[word]
            best.update(dict.fromkeys(postings, score))
            where.update(dict.fromkeys(postings, name))
        return best, where

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
            best, where = self._collect(scored)
            if len(parts) > 1 or parts[0] != text:
                keep = set.intersection(*per_part)
                keep = {d for d in keep if text in self._haystack(d)}
                best = {d: s for d, s in best.items() if d in keep}
                for d in keep:
                    best.setdefault(d, 0.5)
                    where.setdefault(d, "title")
            return best, where

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
            return dict.fromkeys(docs, 1.0), dict.fromkeys(docs, "title")

        return self._cached(("a", term.kind, term.text), make)  # type: ignore[return-value]

    def _term_scores(self, term: Term) -> Scores:
        if term.kind == "exact":
            return self._exact_scores(term.text)
        if term.kind in ("prefix", "suffix", "equal"):
            return self._anchored(term)
        parts = list(dict.fromkeys(words(term.text)))
        if len(parts) == 1:
            return self._token_scores(parts[0])
        # "gpt-4" typed as one term: each word must match; the mean scores.
        per = [self._token_scores(p) for p in parts]
        keys = set(per[0][0])
        for best, _ in per[1:]:
            keys &= best.keys()
        best = {d: sum(p[0][d] for p in per) / len(per) for d in keys}
        return best, per[0][1]

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
                self._topics = _FieldIndex(((e.topics) for e in entries), split=lambda ts: [_norm(t) for t in ts]).postings
            table = self._topics
        else:
            if self._providers is None:
                self._providers = _FieldIndex(
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
        """Best hits first; an empty query gives no hits.

        ``query`` is what was typed (or a parsed :class:`Query`).
        ``marks`` gives the reading state that ``is:bookmarked`` and
        ``is:unread`` need: ``marks["bookmarked"]`` and ``marks["unread"]``
        hold entry indices (positions in :attr:`entries`); a missing key, or
        no ``marks``, matches no article. A query of facets only lists every
        matching article, newest first.
        """
        q = as_query(query)
        if q.is_empty:
            return []
        fuzzy: list[Scores] = []  # groups of plain words: an article may miss some
        required: list[Scores] = []  # positive groups with an operator: each must match
        allowed: list[Container[int]] = []  # facets: each must hold the article
        excluded: list[set[int]] = []  # negations
        for group in dict.fromkeys(q.groups):  # a word typed twice counts once
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
            scores = [self._term_scores(t) for t in terms]
            if facets:
                for f in facets:
                    docs = self._docs_of(self._facet_docs(f, marks))
                    scores.append((dict.fromkeys(docs, 0.5), dict.fromkeys(docs, "")))
            merged = scores[0] if len(scores) == 1 else _max_merge(scores)
            if all(t.kind == "fuzzy" for t in terms) and not facets:
                fuzzy.append(merged)
            else:
                required.append(merged)
        return self._rank(q, fuzzy, required, allowed, excluded, limit)

    def _atom_docs(self, atom: Term | Facet, marks: Marks | None) -> Container[int]:
        if isinstance(atom, Facet):
            return self._facet_docs(atom, marks)
        return self._term_scores(atom)[0]

    def _docs_of(self, docs: Container[int]) -> Iterable[int]:
        if isinstance(docs, (set, frozenset, dict, list, tuple, range)):
            return docs
        return [d for d in range(len(self.entries)) if d in docs]

    def _rank(
        self,
        q: Query,
        fuzzy: list[Scores],
        required: list[Scores],
        allowed: list[Container[int]],
        excluded: list[set[int]],
        limit: int | None,
    ) -> list[Hit]:
        def passes(doc: int) -> bool:
            return all(doc in a for a in allowed) and not any(doc in x for x in excluded) and all(doc in r[0] for r in required)

        if not fuzzy and not required:
            # Facets and negations only: everything that passes, newest first.
            out = []
            for doc in self.newest:
                if passes(doc):
                    out.append(Hit(doc, 100.0, "", q, self.entries[doc]))
                    if limit is not None and len(out) >= limit:
                        break
            return out

        groups = required + fuzzy
        n = len(groups)
        want = max(RERANK, limit or 0)
        # Articles that pass every filter and match every group come first.
        # (Set algebra and map/zip: the loops over up to 50,000 articles a
        # keystroke run in C.)
        smallest = min(groups, key=lambda p: len(p[0]))[0]
        if n == 1 and not (allowed or excluded):
            full: set[int] | dict[int, float] = smallest
            keys = list(smallest)
            totals = list(smallest.values())
        else:
            by_size = sorted((g[0] for g in groups), key=len)
            full = set(by_size[0]) if n == 1 else by_size[0].keys() & by_size[1].keys()
            for best in by_size[2:]:
                if full:
                    full &= best.keys()
            for a in allowed:
                full = full & a if isinstance(a, (set, frozenset)) else {d for d in full if d in a}
            for x in excluded:
                full -= x
            keys = list(full)
            totals = _sums([g[0] for g in groups], keys)
        covered = [n] * len(keys)
        if len(fuzzy) > 1 and len(keys) < (limit or RERANK):
            # Too few match everything: also rank those matching most words
            # (every operator and facet still holds).
            # By how many words they match, most first, until there are enough
            # candidates: the first levels are small intersections, and the
            # union of everything is only taken when they are not enough.
            views = sorted((best.keys() for best, _ in fuzzy), key=len)
            taken: set[int] = set(keys)
            more: list[int] = []
            for k in range(len(views) - 1, 0, -1):
                if k == 1:
                    level = set().union(*views)
                else:
                    level = set()
                    for combo in combinations(views, k):
                        inter = combo[0] & combo[1]
                        for view in combo[2:]:
                            inter &= view
                        level |= inter
                level -= taken
                if required or allowed or excluded:
                    level = {d for d in level if passes(d)}
                taken |= level
                more += level
                if len(keys) + len(more) >= want:
                    break
            keys += more
            totals += _sums([best for best, _ in fuzzy], more, partial=True, plus=[r[0] for r in required])
            count: Iterable[int] = repeat(len(required), len(more))
            for best, _ in fuzzy:
                count = map(add, count, map(best.__contains__, more))
            covered += count
        if not keys:
            return []
        picked = range(len(keys))
        if len(keys) > want:
            order = list(map(add, map((10).__mul__, covered), totals)) if len(fuzzy) > 1 else totals
            picked = _top(order, want)
        whole_query = " ".join(w for t in q.terms if not t.negate for w in t.words)
        titles = self.titles
        entries = self.entries
        ranked = []
        for i in picked:
            doc = keys[i]
            where = max(groups, key=lambda p: p[0].get(doc, 0.0))[1].get(doc, "title") or "title"
            base_score = totals[i] / n  # 0..1
            whole = fuzz.WRatio(whole_query, titles[doc]) / 100 if whole_query else 0.0
            score = 100 * (0.85 * base_score + 0.15 * whole) * (covered[i] / n)
            ranked.append((round(score, 1), len(titles[doc]), -(entries[doc].ts or 0.0), doc, where))
        # Near-ties: the shorter title (the query says more of it), then the newer.
        ranked.sort(key=lambda item: (-item[0], item[1], item[2], item[3]))
        if limit is not None:
            ranked = ranked[:limit]
        return [Hit(doc, score, where, q, entries[doc]) for score, _, _, doc, where in ranked]


def _sums(
    groups: list[dict[int, float]], docs: list[int], partial: bool = False, plus: Sequence[dict[int, float]] = ()
) -> list[float]:
    """Per doc, the sum of its scores in ``groups`` (0 where missing when
    ``partial``) and in ``plus`` (where it must be)."""
    total: Iterable[float] = [0.0] * len(docs)
    for g in groups:
        total = map(add, total, map(g.get, docs, repeat(0.0)) if partial else map(g.__getitem__, docs))
    for g in plus:
        total = map(add, total, map(g.__getitem__, docs))
    return list(total)


def _top(values: list[float], want: int) -> list[int]:
    """Positions of the ``want`` highest values (at the cut, the first ones)."""
    cut = heapq.nlargest(want, values)[-1]
    above = list(compress(range(len(values)), map(cut.__lt__, values)))
    ties = islice(compress(range(len(values)), map(cut.__eq__, values)), want - len(above))
    return above + list(ties)


def _max_merge(scores: list[Scores]) -> Scores:
    best: dict[int, float] = {}
    where: dict[int, str] = {}
    for b, w in sorted(scores, key=lambda s: len(s[0]), reverse=True):
        for doc, score in b.items():
            if score > best.get(doc, -1.0):
                best[doc] = score
                where[doc] = w.get(doc, "title")
    return best, where


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
