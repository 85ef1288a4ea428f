"""Fuzzy search over a collection with rapidfuzz.

Each article is matched on four fields, weighted so a title match wins:
title (1.0), provider and topics (0.8), excerpt (0.7). Scorers are
typo- and word-order tolerant (``WRatio`` mixes token-set, token-sort and
partial ratios). Ties go to the newer article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from tui.core.model import Entry

TITLE_WEIGHT = 1.0
META_WEIGHT = 0.8
EXCERPT_WEIGHT = 0.7
CUTOFF = 55.0


@dataclass(frozen=True, slots=True)
class Hit:
    index: int  # into the entries the index was built from
    score: float  # 0..100
    field: str  # which field matched best: title, provider, topics, excerpt


class SearchIndex:
    """Pre-processed search strings for a fixed list of entries."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self._titles = [utils.default_process(e.title) for e in entries]
        self._meta = [utils.default_process(" ".join((e.provider, e.domain, *e.topics))) for e in entries]
        self._excerpts = [utils.default_process(e.excerpt) for e in entries]

    def search(self, query: str, limit: int | None = 50) -> list[Hit]:
        """Best hits first; an empty query gives no hits."""
        q = utils.default_process(query)
        if not q:
            return []
        best: dict[int, tuple[float, str]] = {}
        for choices, weight, name, scorer in (
            (self._titles, TITLE_WEIGHT, "title", fuzz.WRatio),
            (self._meta, META_WEIGHT, "topics", fuzz.WRatio),
            (self._excerpts, EXCERPT_WEIGHT, "excerpt", fuzz.partial_token_set_ratio),
        ):
            cutoff = CUTOFF / weight if weight else CUTOFF
            if cutoff > 100:
                continue
            for _, score, i in process.extract_iter(q, choices, scorer=scorer, processor=None, score_cutoff=cutoff):
                weighted = score * weight
                if weighted > best.get(i, (0.0, ""))[0]:
                    best[i] = (weighted, name)
        entries = self.entries
        ranked = sorted(
            best.items(),
            key=lambda item: (-item[1][0], -(entries[item[0]].ts or 0.0)),
        )
        if limit is not None:
            ranked = ranked[:limit]
        return [Hit(i, round(score, 1), name if name != "topics" else _meta_field(entries[i], q)) for i, (score, name) in ranked]


def _meta_field(entry: Entry, q: str) -> str:
    provider = utils.default_process(f"{entry.provider} {entry.domain}")
    topics = utils.default_process(" ".join(entry.topics))
    return "provider" if fuzz.WRatio(q, provider) >= fuzz.WRatio(q, topics) else "topics"


_WORD = re.compile(r"\w+", re.UNICODE)


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
