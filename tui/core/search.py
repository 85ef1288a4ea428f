"""Fuzzy search over a collection: typo-tolerant, word-order free, fast.

A word index (an inverted index per field) keeps each keystroke cheap at
50,000 articles: every query word is matched against the *vocabulary* of
each field (tens of thousands of distinct words, not millions of strings),
then the articles holding the matching words are scored. A query word
matches a vocabulary word

* exactly (quality 1.0), or as its beginning ("recog" -> "recognition"),
* with a typo: rapidfuzz's ``ratio`` of at least 75 ("facail" -> "facial"),
* as a consonant skeleton ("jpn" -> "japan", "fcl" -> "facial").

An article's score adds, for each query word, its best match over the
fields, weighted so a title match wins: title 1.0, provider 0.75, topics
0.7, excerpt 0.55. Articles that match more of the query's words rank
first; among the best, rapidfuzz's ``WRatio`` of the whole query against the
title breaks near-ties; then the newer article wins.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from tui.core.model import Entry

FIELDS = ("title", "provider", "topics", "excerpt")
WEIGHTS = {"title": 1.0, "provider": 0.75, "topics": 0.7, "excerpt": 0.55}
TYPO_CUTOFF = 75.0
RERANK = 300  # candidates re-scored against the whole title
TOKEN_CACHE = 6  # query words whose scores are kept (each can hold 50,000 articles)
_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = str.maketrans("", "", "aeiouy")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def skeleton(word: str) -> str:
    """The consonants of a word: what people type when they skip vowels."""
    return word[:1] + word[1:].translate(_VOWELS)


@dataclass(frozen=True, slots=True)
class Hit:
    index: int  # into the entries the index was built from
    score: float  # 0..100
    field: str  # which field matched best: title, provider, topics, excerpt


class _FieldIndex:
    """word -> article ids for one field, with its sorted vocabulary."""

    def __init__(self, texts: Iterable[str]) -> None:
        postings: dict[str, array] = {}
        for doc, text in enumerate(texts):
            for word in set(words(text)):
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

    def matches(self, token: str) -> dict[str, float]:
        """Vocabulary words this query word stands for, with a quality 0..1."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 1.0
        if len(token) >= 2 or not found:
            for word in self._prefixed(self.vocab, token):
                if word != token:
                    found[word] = max(found.get(word, 0.0), 0.8 + 0.15 * len(token) / len(word))
        if len(token) >= 4:
            for word, score, _ in process.extract_iter(token, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF):
                found[word] = max(found.get(word, 0.0), 0.85 * score / 100)
        if len(token) >= 2 and token == skeleton(token):
            for sk in self._prefixed(self.skeleton_vocab, token, limit=200):
                quality = 0.75 if sk == token else 0.65
                for word in self.skeletons[sk]:
                    found[word] = max(found.get(word, 0.0), quality)
        return found


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
        }
        self._cache: OrderedDict[str, dict[int, tuple[float, str]]] = OrderedDict()

    def _token_scores(self, token: str) -> tuple[dict[int, float], dict[int, str]]:
        """Best weighted quality per article for one query word, and the
        field it came from.

        Cached: typing "facial r", "facial re"... scores only the new word.
        """
        cached = self._cache.get(token)
        if cached is not None:
            self._cache.move_to_end(token)
            return cached
        scored: list[tuple[float, str, str]] = []
        for name, field in self.fields.items():
            if len(token) <= 2 and name == "excerpt":
                continue  # one or two letters: nearly every excerpt has such a word
            weight = WEIGHTS[name]
            scored.extend((quality * weight, name, word) for word, quality in field.matches(token).items())
        scored.sort()
        best: dict[int, float] = {}
        where: dict[int, str] = {}
        # Lowest first: each update (done in C) overwrites with a better score.
        for score, name, word in scored:
            postings = self.fields[name].postings[word]
            best.update(dict.fromkeys(postings, score))
            where.update(dict.fromkeys(postings, name))
        result = (best, where)
        self._cache[token] = result
        if len(self._cache) > TOKEN_CACHE:
            self._cache.popitem(last=False)
        return result

    def search(self, query: str, limit: int | None = 50) -> list[Hit]:
        """Best hits first; an empty query gives no hits."""
        tokens = list(dict.fromkeys(words(query)))
        if not tokens:
            return []
        per = [self._token_scores(token) for token in tokens]
        n = len(tokens)
        want = max(RERANK, limit or 0)
        # Articles that match every word of the query come first.
        if n == 1:
            totals = per[0][0]
            covered = dict.fromkeys(totals, 1)
        else:
            smallest = min(per, key=lambda p: len(p[0]))[0]
            full = set(smallest)
            for best, _ in per:
                full &= best.keys()
            totals = {doc: sum(best[doc] for best, _ in per) for doc in full}
            covered = dict.fromkeys(full, n)
            if len(full) < (limit or RERANK):
                # Too few match everything: also rank those matching most words.
                for best, _ in per:
                    for doc, score in best.items():
                        if doc not in full:
                            totals[doc] = totals.get(doc, 0.0) + score
                            covered[doc] = covered.get(doc, 0) + 1
        if not totals:
            return []
        if len(totals) > want:
            candidates = heapq.nlargest(want, totals, key=lambda d: covered[d] * 10 + totals[d])
        else:
            candidates = list(totals)
        q = " ".join(tokens)
        titles = self.titles
        entries = self.entries
        ranked = []
        for doc in candidates:
            field = max(per, key=lambda p: p[0].get(doc, 0.0))[1].get(doc, "title")
            base = totals[doc] / n  # 0..1
            whole = fuzz.WRatio(q, titles[doc]) / 100
            score = 100 * (0.85 * base + 0.15 * whole) * (covered[doc] / n)
            ranked.append((score, entries[doc].ts or 0.0, doc, field))
        ranked.sort(key=lambda item: (-item[0], -item[1]))
        if limit is not None:
            ranked = ranked[:limit]
        return [Hit(doc, round(score, 1), field) for score, _, doc, field in ranked]


def match_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that match the query's words, for highlighting.

    Each query word marks the title word it best matches: the whole word for a
    typo ("jpan" -> "Japan"), its first letters for a prefix ("recog" ->
    "Recog|nition").
    """
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    spans: set[tuple[int, int]] = set()
    for token in utils.default_process(query).split():
        best: tuple[float, int, int] | None = None
        for start, end, word in words:
            if word.startswith(token):
                candidate = (101.0, start, start + len(token))
            else:
                whole = fuzz.ratio(token, word)
                prefix = fuzz.ratio(token, word[: len(token)]) if len(word) > len(token) else 0.0
                candidate = (whole, start, end) if whole >= prefix else (prefix, start, start + min(len(token), end - start))
            if best is None or candidate[0] > best[0]:
                best = candidate
        if best is not None and best[0] >= 70:
            spans.add((best[1], best[2]))
    return sorted(spans)
