"""Finding a query's words in the text of an open article (no Textual here).

The jump box's query, carried into the article it opened, and the text typed
in the find bar (``ctrl+f``) are matched the same way as the jump box matches
titles, word by word and case-insensitively:

* a word of the text that *starts* with the term ("recog" marks "Recog" in
  "Recognition");
* a whole word one typo away, for terms of 4+ letters ("facail" marks
  "facial"; rapidfuzz ``ratio`` ≥ 80, same first letter);
* a consonant skeleton of 3+ letters marks a word whose consonants start so
  ("jpn" marks "Japan").

The jump box's syntax (parsed by :mod:`tui.core.query`) is understood where it
says what text to look for: ``'exact`` (anywhere, even inside a word),
``^prefix`` (a word starting so), ``suffix$`` (a word ending so), ``a | b``
(either); ``!negated`` terms and facets (``topic:``, ``provider:``, ``is:``,
``after:``, ``before:``) mark nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from tui.core.query import parse_query

Kind = Literal["word", "exact", "prefix", "suffix"]

_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = str.maketrans("", "", "aeiouy")
TYPO_RATIO = 80.0
MAX_TERMS = 16


def skeleton(word: str) -> str:
    return word[:1] + word[1:].translate(_VOWELS)


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # lower case
    kind: Kind = "word"


def terms_of_query(query: str) -> list[Term]:
    """The positive text terms of a jump-box query (facets and negations
    dropped), from the query language's own parser."""
    terms: list[Term] = []
    for term in parse_query(query).terms:
        if term.negate:
            continue
        text = " ".join(term.text.lower().split())
        if not text:
            continue
        if term.kind == "fuzzy":
            terms.extend(Term(word) for word in _WORD.findall(text))
        elif term.kind in ("exact", "equal"):
            terms.append(Term(text, "exact"))
        else:
            words = _WORD.findall(text)
            if len(words) == 1 and words[0] == text:
                terms.append(Term(text, "prefix" if term.kind == "prefix" else "suffix"))
            else:  # "^u.s." : the characters as typed
                terms.append(Term(text, "exact"))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


class Finder:
    """Where the terms occur in a line of text: ``spans(text)`` gives
    ``(start, end)`` character offsets, sorted and not overlapping."""

    def __init__(self, terms: Iterable[Term], label: str = "") -> None:
        self.terms = list(terms)
        self.label = label  # what the user typed, for showing
        self._words = [t for t in self.terms if t.kind != "exact"]
        exact = sorted({t.text for t in self.terms if t.kind == "exact"}, key=len, reverse=True)
        self._exact = re.compile("|".join(re.escape(t) for t in exact), re.IGNORECASE) if exact else None
        self._seen: dict[str, tuple[int, int] | None] = {}  # lower-case word -> its marked part

    @classmethod
    def from_query(cls, query: str) -> Finder:
        return cls(terms_of_query(query), label=" ".join(query.split()))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _word_span(self, word: str) -> tuple[int, int] | None:
        """The part of a (lower-case) word some term marks, or None."""
        if word in self._seen:
            return self._seen[word]
        best: tuple[int, int] | None = None
        for term in self._words:
            t = term.text
            span: tuple[int, int] | None = None
            if term.kind == "suffix":
                if word.endswith(t):
                    span = (len(word) - len(t), len(word))
            elif word.startswith(t):
                span = (0, len(t)) if term.kind == "prefix" or len(t) < len(word) else (0, len(word))
            elif term.kind == "word":
                if len(t) >= 4 and word[:1] == t[:1] and fuzz.ratio(t, word) >= TYPO_RATIO:
                    span = (0, len(word))
                elif len(t) >= 3 and t == skeleton(t) and not word.isdigit() and skeleton(word).startswith(t):
                    span = (0, len(word))
            if span is not None and (best is None or span[1] - span[0] > best[1] - best[0]):
                best = span
        if len(self._seen) < 50_000:
            self._seen[word] = best
        return best

    def spans(self, text: str) -> list[tuple[int, int]]:
        if not self.terms or not text:
            return []
        found: list[tuple[int, int]] = []
        if self._words:
            lower = text.lower()
            if len(lower) != len(text):  # a few characters change length when lowered (İ): word by word
                lower = None
            for m in _WORD.finditer(text):
                word = m.group().lower() if lower is None else lower[m.start() : m.end()]
                span = self._word_span(word)
                if span is not None:
                    found.append((m.start() + span[0], m.start() + min(span[1], len(m.group()))))
        if self._exact is not None:
            found.extend((m.start(), m.end()) for m in self._exact.finditer(text) if m.end() > m.start())
        return _merge(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
