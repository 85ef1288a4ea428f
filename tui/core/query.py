"""The query language of the jump box and ``tui-reader search``.

fzf's syntax where it applies, plus facets for what fzf cannot see::

    facial recog          every term must match; plain terms are fuzzy
                          (typos, word order, prefixes, consonant skeletons)
    'exact                the text, as typed (a substring of a word)
    ^prefix   suffix$     the title begins / ends with the text
    ^whole title$         the title is exactly that
    !word                 no field holds the text (also !'x, !^x, !x$)
    a | b                 either term (binds tighter than the spaces)
    topic:ai  topic:"machine learning"   a topic (its beginning, any word's beginning)
    provider:reuters      the provider's name or domain (its beginning)
    is:bookmarked  is:unread  is:read    reading state (given by the caller)
    after:2024-01-01  before:2024-06      publication date (after: on or after,
                                          before: strictly before; YYYY, YYYY-MM ok)
    !topic:crypto         any facet can be negated

Parsing never raises: a bad date or an unknown ``is:`` value is dropped and
reported in :attr:`Query.errors`; ``name:value`` with an unknown name is
plain text; a facet still being typed (``topic:``) is ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

FACETS = ("topic", "provider", "is", "after", "before")
IS_VALUES = ("bookmarked", "unread", "read")
FACET_NAMES = ("topic:", "provider:", "is:bookmarked", "is:unread", "is:read", "after:", "before:")
TERM_KINDS = ("fuzzy", "exact", "prefix", "suffix", "equal")

_FACET = re.compile(r"^(topic|provider|is|after|before):(.*)$", re.IGNORECASE | re.DOTALL)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Term:
    """One term: ``text`` lower-cased with its operators stripped."""

    text: str
    kind: str = "fuzzy"  # fuzzy | exact ('x) | prefix (^x) | suffix (x$) | equal (^x$)
    negate: bool = False

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)

    @property
    def shown(self) -> str:
        """The term as it is typed: ``'x``, ``^x``, ``x$``, ``^x$``, ``!x``."""
        text = f"^{self.text}" if self.kind in ("prefix", "equal") else self.text
        text = f"{text}$" if self.kind in ("suffix", "equal") else text
        if " " in text:
            text = f'"{text}"'
        elif self.kind == "exact" and not self.negate:
            text = "'" + text
        return ("!" if self.negate else "") + text


@dataclass(frozen=True, slots=True)
class Facet:
    """``name:value``; topic/provider/is values lower-cased, dates as YYYY-MM-DD."""

    name: str
    value: str
    negate: bool = False


Atom = Term | Facet


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: an AND of OR-groups of terms and facets."""

    text: str
    groups: tuple[tuple[Atom, ...], ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(a for g in self.groups for a in g if isinstance(a, Term))

    @property
    def facets(self) -> tuple[Facet, ...]:
        return tuple(a for g in self.groups for a in g if isinstance(a, Facet))

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def has_text(self) -> bool:
        """True when some positive term ranks the results (else: newest first)."""
        return any(isinstance(a, Term) and not a.negate for g in self.groups for a in g)

    @property
    def contradicts(self) -> bool:
        """True when no article can match: a text it must not hold is inside
        an exact term it must hold (``'recog !c``: every "recog" holds a "c";
        the index walked 270,000 articles at a million to find none)."""
        alone = [g[0] for g in self.groups if len(g) == 1 and isinstance(g[0], Term) and g[0].kind == "exact"]
        held = [t.text for t in alone if not t.negate]
        return any(t.negate and any(t.text in text for text in held) for t in alone)

    def highlight_terms(self) -> list[str]:
        """The positive words to highlight in an article, longest first."""
        out: dict[str, None] = {}
        for term in self.terms:
            if term.negate:
                continue
            if term.kind == "fuzzy":
                for word in term.words:
                    out[word] = None
            elif term.text.strip():
                out[term.text.strip()] = None
        return sorted(out, key=lambda w: (-len(w), w))


def _tokens(text: str) -> list[str]:
    """Whitespace-separated tokens; a double quote runs to the next one
    (``topic:"machine learning"`` is one token), or to the end."""
    tokens: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch.isspace() and not quoted:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def _unquote(value: str) -> str:
    return value.replace('"', "").strip()


def _parse_date(value: str) -> str | None:
    m = _DATE.match(value)
    if not m:
        return None
    try:
        day = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return day.isoformat()


def _atom(token: str, errors: list[str]) -> Atom | None:
    negate = False
    body = token
    if body.startswith("!"):
        negate = True
        body = body[1:]
    m = _FACET.match(body)
    if m:
        name, raw = m.group(1).lower(), m.group(2)
        value = " ".join(_unquote(raw).split())
        if not value:
            return None  # still being typed
        if name in ("after", "before"):
            day = _parse_date(value)
            if day is None:
                errors.append(f"{name}:{value}: not a date (YYYY-MM-DD), ignored")
                return None
            return Facet(name, day, negate)
        value = value.lower()
        if name == "is":
            if value not in IS_VALUES:
                errors.append(f"is:{value}: unknown (is:bookmarked, is:unread or is:read), ignored")
                return None
        return Facet(name, value, negate)
    kind = "fuzzy"
    if body.startswith('"') and body.endswith('"') and len(body) >= 2:
        body, kind = body[1:-1], "exact"  # a quoted phrase: as typed
    elif '"' in body:
        body = body.replace('"', "")
    if body.startswith("'"):
        body, kind = body[1:], "exact"
    else:
        starts = body.startswith("^")
        ends = body.endswith("$") and not body.endswith("\\$")
        if starts:
            body = body[1:]
        if ends:
            body = body[:-1]
        if body.endswith("\\$"):
            body = body[:-2] + "$"
        if starts and ends:
            kind = "equal"
        elif starts:
            kind = "prefix"
        elif ends:
            kind = "suffix"
    text = " ".join(body.lower().split())
    if not text:
        return None
    if negate and kind == "fuzzy":
        kind = "exact"  # fzf: !x is an exact-substring negation
    if kind in ("fuzzy", "exact") and not _WORD.search(text):
        return None  # punctuation alone matches nothing useful
    return Term(text, kind, negate)


def parse_query(text: str) -> Query:
    """Parse what was typed; never raises."""
    if not isinstance(text, str):
        text = str(text)
    errors: list[str] = []
    groups: list[tuple[Atom, ...]] = []
    current: list[Atom] = []
    joining = False  # the last token was "|"
    for token in _tokens(text):
        if token == "|":
            joining = bool(current)
            continue
        atom = _atom(token, errors)
        if atom is None:
            continue
        if joining and current:
            current.append(atom)
        else:
            if current:
                groups.append(tuple(current))
            current = [atom]
        joining = False
    if current:
        groups.append(tuple(current))
    return Query(text, tuple(groups), tuple(errors))


def as_query(query: str | Query) -> Query:
    return query if isinstance(query, Query) else parse_query(query)


def cap_words(query: Query, most: int) -> tuple[Query, tuple[str, ...]]:
    """The query cut to its first ``most`` words, and what was cut, as typed.

    A plain term counts its words ("gpt-4" is two); a term with an operator
    ('x ^x x$ !x) counts one; facets count none (they only filter). A group
    that does not fit is cut whole, except one plain term, which keeps the
    words that fit. A word typed twice counts once.
    """
    room = most
    kept: list[tuple[Atom, ...]] = []
    cut: list[str] = []
    for group in dict.fromkeys(query.groups):
        terms = [a for a in group if isinstance(a, Term)]
        cost = sum(len(t.words) if t.kind == "fuzzy" and not t.negate else 1 for t in terms)
        if cost <= room:
            kept.append(group)
            room -= cost
        elif len(group) == 1 and terms and terms[0].kind == "fuzzy" and room > 0:
            parts = terms[0].words
            kept.append((Term(" ".join(parts[:room])),))
            cut.extend(parts[room:])
            room = 0
        else:
            cut.append(" | ".join(a.shown if isinstance(a, Term) else f"{'!' if a.negate else ''}{a.name}:{a.value}" for a in group))
    if not cut:
        return query, ()
    return Query(query.text, tuple(kept), query.errors), tuple(cut)


# -- completion ---------------------------------------------------------------------
def facet_values(entries: Iterable[object]) -> dict[str, list[str]]:
    """Completion values per facet: topics and provider names of ``entries``
    (anything with ``topics`` and ``provider``), most frequent first."""
    topics: Counter[str] = Counter()
    providers: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for entry in entries:
        for topic in getattr(entry, "topics", ()) or ():
            key = topic.lower()
            topics[key] += 1
            shown.setdefault("t" + key, topic)
        name = getattr(entry, "provider", "") or getattr(entry, "domain", "")
        if name:
            key = name.lower()
            providers[key] += 1
            shown.setdefault("p" + key, name)
    return {
        "topic": [shown["t" + k] for k, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))],
        "provider": [shown["p" + k] for k, _ in sorted(providers.items(), key=lambda kv: (-kv[1], kv[0]))],
        "is": list(IS_VALUES),
    }


def _token_start(text: str) -> int:
    """Where the last token of ``text`` begins (quotes keep spaces inside)."""
    quoted = False
    start = 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch.isspace() and not quoted:
            start = i + 1
    return start


def complete(text: str, cursor: int | None = None, values: Mapping[str, Sequence[str]] | None = None) -> str | None:
    """The whole input with the partial facet before the cursor completed, or
    None. ``"jpn topic:mac"`` -> ``'jpn topic:"machine learning"'``;
    ``"prov"`` -> ``"provider:"``. Values with spaces come back quoted."""
    try:
        if cursor is None or cursor > len(text):
            cursor = len(text)
        cursor = max(cursor, 0)
        head, tail = text[:cursor], text[cursor:]
        start = _token_start(head)
        token = head[start:]
        prefix = ""
        if token.startswith("!"):
            prefix, token = "!", token[1:]
        if not token:
            return None
        lowered = token.lower()
        done: str | None = None
        if ":" not in token:
            if len(token) < 2 or not token.isalpha():
                return None
            for name in FACET_NAMES:
                if name.startswith(lowered) and name != lowered:
                    done = name
                    break
        else:
            name, _, partial = token.partition(":")
            name = name.lower()
            if name not in ("topic", "provider", "is"):
                return None
            partial = partial.lstrip('"').lower()
            if partial.endswith('"'):
                return None  # already closed
            pool = list((values or {}).get(name, ())) if name != "is" else list(IS_VALUES)
            for value in pool:
                v = value.lower()
                if v.startswith(partial) and (v != partial or '"' not in token and " " in v):
                    done = f'{name}:"{v}"' if " " in v else f"{name}:{v}"
                    break
            if done is not None and done.lower() == token.lower():
                return None
        if done is None:
            return None
        return head[:start] + prefix + done + tail
    except Exception:  # noqa: BLE001 - completion is a nicety, never a crash
        return None


__all__ = [
    "FACETS",
    "FACET_NAMES",
    "IS_VALUES",
    "Facet",
    "Query",
    "Term",
    "as_query",
    "cap_words",
    "complete",
    "facet_values",
    "parse_query",
]
