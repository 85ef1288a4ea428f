"""The vocabulary side of search: which words of the collection a query
word stands for, and how well.

A plain query word matches a vocabulary word

* exactly (quality 1.0), or as its beginning ("recog" -> "recognition"),
* with a typo: rapidfuzz's ``ratio`` of at least 75 ("facail" -> "facial"),
* as a consonant skeleton ("jpn" -> "japan", "fcl" -> "facial").

:class:`FieldIndex` holds one field's words (word -> article ids, and the
sorted vocabulary); :class:`WordScores` is what a query word finds.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

INFLECTIONS = frozenset(("s", "es", "d", "ed", "ing"))  # endings that keep the word the same
INFLECTED = 0.97  # quality of "warns" for "warn"
TYPO_CUTOFF = 75.0
_WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = str.maketrans("", "", "aeiouy")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def skeleton(word: str) -> str:
    """The consonants of a word: what people type when they skip vowels."""
    return word[:1] + word[1:].translate(_VOWELS)


class FieldIndex:
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

    # -- what the rules below ask of a vocabulary (an index on disk answers the same) --
    def has(self, word: str) -> bool:
        return word in self.postings

    def count(self, word: str) -> int:
        """How many articles hold the word in this field."""
        found = self.postings.get(word)
        return 0 if found is None else len(found)

    def beginning(self, token: str, limit: int) -> list[str]:
        """Words that begin with ``token``, in order, at most ``limit``."""
        return self._prefixed(self.vocab, token, limit)

    def typos(self, token: str) -> Iterable[tuple[str, float]]:
        """(word, rapidfuzz ratio) of the words one typo from ``token``."""
        return ((w, score) for w, score, _ in process.extract_iter(token, self.vocab, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF))

    def consonants(self, token: str, limit: int) -> Iterable[tuple[str, list[str]]]:
        """(skeleton, its words) for the skeletons that begin with ``token``."""
        return ((sk, self.skeletons[sk]) for sk in self._prefixed(self.skeleton_vocab, token, limit))

    def matches(self, token: str, *, fuzzy: bool = True, limit: int = 400) -> dict[str, float]:
        """Vocabulary words this query word stands for, with a quality 0..1
        (at most ``limit`` words that it begins)."""
        found: dict[str, float] = {}
        if self.has(token):
            found[token] = 1.0
        if len(token) >= 2 or not found:
            for word in self.beginning(token, limit):
                if word != token:
                    # "warn" -> "warns" is the same word; "surge" -> "surgery" a longer one.
                    quality = INFLECTED if word[len(token) :] in INFLECTIONS else 0.8 + 0.15 * len(token) / len(word)
                    found[word] = max(found.get(word, 0.0), quality)
        if not fuzzy:
            return found
        if len(token) >= 4:
            for word, score in self.typos(token):
                found[word] = max(found.get(word, 0.0), 0.85 * score / 100)
        if len(token) >= 2 and token == skeleton(token):
            for sk, matched in self.consonants(token, 200):
                quality = 0.75 if sk == token else 0.65
                for word in matched:
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


Source = tuple[str, str]  # (field, vocabulary word) an article's best match came from
Scores = tuple[dict[int, float], dict[int, Source]]  # per article: best weighted quality, where from
TITLE: Source = ("title", "")


@dataclass(frozen=True, slots=True)
class WordScores:
    """What one query word (or an OR of words) finds: per article its best
    weighted quality and the (field, word) it came from, and the vocabulary
    words it stands for (``table``: field -> {word: weighted quality})."""

    label: str
    best: dict[int, float]
    src: dict[int, Source]
    table: dict[str, dict[str, float]]

    @property
    def vocab(self) -> set[str]:
        return {w for found in self.table.values() for w in found}

    @staticmethod
    def either(alternatives: Sequence[WordScores]) -> WordScores:
        """``a | b``: one query word that either stands for."""
        best: dict[int, float] = {}
        src: dict[int, Source] = {}
        table: dict[str, dict[str, float]] = {}
        for alt in alternatives:
            for doc, quality in alt.best.items():
                if quality > best.get(doc, -1.0):
                    best[doc] = quality
                    src[doc] = alt.src[doc]
            for name, found in alt.table.items():
                merged = table.setdefault(name, {})
                for word, quality in found.items():
                    merged[word] = max(quality, merged.get(word, 0.0))
        return WordScores(" | ".join(a.label for a in alternatives), best, src, table)


__all__ = ["INFLECTED", "INFLECTIONS", "TITLE", "TYPO_CUTOFF", "FieldIndex", "Scores", "Source", "WordScores", "skeleton", "words"]
