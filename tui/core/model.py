"""The article model: typed, tolerant accessors over whatever a file says.

Two shapes:

* :class:`Article` is one file read in full: its front matter mapping, the
  raw front matter text (for the raw view), and the body.
* :class:`Entry` is the compact record the list, search and related-lookup
  work from; it is what the collection keeps in memory for every file.

Every accessor accepts any type the YAML may hold and never raises: a bad or
missing value gives ``None`` (or an empty string / tuple).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from tui.core.text import clean, clean_line
from tui.core.urls import normalize_url, url_keys

# Flags on an entry.
PLAIN_TEXT = 1  # no front matter: first line is the title
DECODE_REPLACED = 2  # bytes that were not UTF-8 were replaced


def as_text(value: Any) -> str:
    """One-line display text of a scalar; lists/mappings give ""."""
    if value is None or isinstance(value, (dict, list, tuple, set, bytes)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_line(value)


MAX_INT = 2**63 - 1  # a number beyond this is no quality or heat (and no SQLite integer)


def as_int(value: Any) -> int | None:
    """59, "59", 59.0 and " 59 " read as 59; anything else as None, and so
    is a number beyond :data:`MAX_INT` (a 5,000-digit ``quality`` costs that
    field, never the article)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = int(value) if math.isfinite(value) else None
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            return None  # no quality has 40 digits: not worth parsing
        try:
            number = float(text)
        except ValueError:
            return None
        value = int(number) if math.isfinite(number) else None
    if isinstance(value, int) and -MAX_INT <= value <= MAX_INT:
        return value
    return None


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Dates a day or two inside datetime's range: any of them can be shown in
# any time zone (offsets stay under a day) and turned into a timestamp and
# back. 9999-12-31T23:59:59-14:00 or 0001-01-01T00:00:00+14:00 fall outside:
# that field reads as no date, never an OverflowError later.
EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
LATEST = datetime(9999, 12, 29, tzinfo=UTC)


def as_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime (UTC when the value has no zone), or None."""
    try:
        if isinstance(value, datetime):
            dt = value
        elif isinstance(value, date):
            dt = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            text = value.strip()
            if not _ISO.match(text):
                return None
            text = text.replace(" ", "T", 1) if "T" not in text and len(text) > 10 else text
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            dt = datetime.fromisoformat(text)
        else:
            return None
        if dt.tzinfo is None or dt.utcoffset() is None:
            dt = dt.replace(tzinfo=UTC)
        if not EARLIEST <= dt <= LATEST:
            return None  # shown in some time zone, it would leave datetime's range
        dt.timestamp()  # anything else out of range raises here, not later
        return dt
    except (ValueError, OverflowError, OSError, TypeError):
        return None


def as_topics(value: Any) -> tuple[str, ...]:
    """A list of topics; a single string counts as one topic."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    topics = [as_text(t) for t in value]
    return tuple(t for t in topics if t)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    width: int | None
    height: int | None


def as_images(value: Any) -> tuple[Image, ...]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    images = []
    for item in value:
        if isinstance(item, dict):
            url = as_text(item.get("url"))
            if url:
                images.append(Image(url, as_int(item.get("width")), as_int(item.get("height"))))
        elif isinstance(item, str) and item.strip():
            images.append(Image(clean_line(item), None, None))
    return tuple(images)


def _provider(meta: dict[str, Any]) -> tuple[str, str]:
    provider = meta.get("provider")
    if isinstance(provider, dict):
        return as_text(provider.get("name")), as_text(provider.get("domain"))
    return as_text(provider), ""


@dataclass(frozen=True, slots=True)
class Related:
    """One entry of an article's ``related:`` list (a snapshot of another story)."""

    title: str
    excerpt: str
    url: str
    provider: str
    domain: str
    published: datetime | None
    quality: int | None
    images: tuple[Image, ...]
    raw: dict[str, Any]

    @property
    def url_key(self) -> str:
        return normalize_url(self.url)

    @property
    def url_keys(self) -> tuple[str, ...]:
        """Every URL the snapshot gives for the story, normalised: web, AMP, AMP cache."""
        raw = self.raw
        return url_keys(self.url, raw.get("ampWebUrl"), raw.get("cdnAmpWebUrl"), raw.get("originalUrl"))

    @property
    def ref(self) -> str:
        """How an index remembers this entry: its URL key, else its title."""
        return self.url_key or TITLE_REF + title_key(self.title)


TITLE_REF = "\x00"  # a ref that is a normalised title, not a URL key
MAX_REFS = 200  # related entries an index keeps per article (for backlinks)
REF_SIZE = 8  # bytes of one packed ref


def ref_digest(ref: str) -> bytes:
    """A ref packed in 8 bytes (BLAKE2b): 50,000 articles' related lists cost
    ~1 MB instead of ~20 MB of strings; a false match needs a 64-bit collision."""
    return hashlib.blake2b(ref.encode("utf-8", "surrogatepass"), digest_size=REF_SIZE).digest()


def title_key(title: str) -> str:
    """A title for comparing: case-folded, punctuation as spaces, single-spaced."""
    return " ".join(_TITLE_WORD.findall(title.casefold()))


_TITLE_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def as_related(value: Any) -> tuple[Related, ...]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict):
            continue
        name, domain = _provider(item)
        title = as_text(item.get("title"))
        url = as_text(item.get("webUrl") or item.get("url"))
        if not (title or url):
            continue
        out.append(
            Related(
                title=title or url,
                excerpt=as_text(item.get("excerpt")),
                url=url,
                provider=name,
                domain=domain,
                published=as_datetime(item.get("publishedDateTime")),
                quality=as_int(item.get("quality")),
                images=as_images(item.get("images")),
                raw=item,
            )
        )
    return tuple(out)


def related_refs(value: Any) -> list[str]:
    """``[r.ref for r in as_related(value)]``, without making the
    :class:`Related` objects (indexing needs only their refs)."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out = []
    for item in value:
        if not isinstance(item, dict):
            continue
        title = as_text(item.get("title"))
        url = as_text(item.get("webUrl") or item.get("url"))
        if title or url:
            out.append(normalize_url(url) or TITLE_REF + title_key(title or url))
    return out


@dataclass(slots=True)
class Article:
    """One file, read in full."""

    path: str
    meta: dict[str, Any]
    body: str
    raw_front_matter: str = ""
    flags: int = 0
    fallback_title: str = ""

    # -- header fields -------------------------------------------------
    @property
    def title(self) -> str:
        return as_text(self.meta.get("title")) or self.fallback_title or "(untitled)"

    @property
    def excerpt(self) -> str:
        return as_text(self.meta.get("excerpt"))

    @property
    def published(self) -> datetime | None:
        return as_datetime(self.meta.get("publishedDateTime", self.meta.get("date")))

    @property
    def provider(self) -> str:
        return _provider(self.meta)[0]

    @property
    def domain(self) -> str:
        return _provider(self.meta)[1]

    @property
    def topics(self) -> tuple[str, ...]:
        return as_topics(self.meta.get("topics"))

    @property
    def images(self) -> tuple[Image, ...]:
        return as_images(self.meta.get("images"))

    @property
    def quality(self) -> int | None:
        return as_int(self.meta.get("quality"))

    @property
    def heat(self) -> int | None:
        """``heat: -1`` marks "no value" in real collections."""
        heat = as_int(self.meta.get("heat"))
        return None if heat is not None and heat < 0 else heat

    @property
    def web_url(self) -> str:
        return as_text(self.meta.get("webUrl"))

    @property
    def amp_url(self) -> str:
        return as_text(self.meta.get("ampWebUrl"))

    @property
    def original_url(self) -> str:
        return as_text(self.meta.get("originalUrl"))

    @property
    def url(self) -> str:
        """The URL to open: webUrl, else originalUrl, else ampWebUrl."""
        return self.web_url or self.original_url or self.amp_url

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, url) for each distinct link the article has."""
        seen: set[str] = set()
        out = []
        for label, key in (("web", "webUrl"), ("AMP", "ampWebUrl"), ("AMP cache", "cdnAmpWebUrl"), ("original", "originalUrl")):
            url = as_text(self.meta.get(key))
            if url and url not in seen:
                seen.add(url)
                out.append((label, url))
        return out

    @property
    def related(self) -> tuple[Related, ...]:
        return as_related(self.meta.get("related"))

    @property
    def is_plain_text(self) -> bool:
        return bool(self.flags & PLAIN_TEXT)

    @property
    def decode_replaced(self) -> bool:
        return bool(self.flags & DECODE_REPLACED)

    @property
    def safe_body(self) -> str:
        return clean(self.body)

    @property
    def url_keys(self) -> tuple[str, ...]:
        """The normal forms of every URL the article has (web first)."""
        return url_keys(self.url, *(self.meta.get(k) for k in ("webUrl", "ampWebUrl", "cdnAmpWebUrl", "originalUrl")))

    def to_entry(self) -> Entry:
        keys = self.url_keys
        refs = b"".join(ref_digest(ref) for ref in dict.fromkeys(related_refs(self.meta.get("related"))[:MAX_REFS]))
        return Entry(
            path=self.path,
            title=self.title,
            provider=self.provider,
            domain=self.domain,
            ts=_timestamp(self.published),
            topics=self.topics,
            excerpt=self.excerpt,
            url=self.url,
            quality=self.quality,
            heat=self.heat,
            flags=self.flags,
            key=keys[0] if keys else "",
            keys=keys[1:],
            refs=refs,
            words=body_words(self.body, self.title, self.excerpt),
        )

    def to_json(self) -> dict[str, Any]:
        entry = self.to_entry().to_json()
        entry.update(
            excerpt=self.excerpt,
            topics=list(self.topics),
            links=[{"label": label, "url": url} for label, url in self.links],
            images=[{"url": i.url, "width": i.width, "height": i.height} for i in self.images],
            related=[
                {
                    "title": r.title,
                    "url": r.url,
                    "provider": r.provider,
                    "published": r.published.isoformat() if r.published else None,
                }
                for r in self.related
            ],
            body=self.body,
        )
        return entry


class Entry(NamedTuple):
    """The compact record of one article that the list and search use.

    A named tuple: 50,000 of them come out of the index cache at every
    start, and ``Entry._make`` builds each in C.
    """

    path: str
    title: str
    provider: str = ""
    domain: str = ""
    ts: float | None = None  # publication time, seconds since the epoch (UTC)
    topics: tuple[str, ...] = ()
    excerpt: str = ""
    url: str = ""
    quality: int | None = None
    heat: int | None = None
    flags: int = 0
    key: str = ""  # the normalised URL, when known in advance
    keys: tuple[str, ...] = ()  # other URLs of the article (AMP, original...) that normalise differently
    refs: bytes = b""  # its related entries, each its URL key or TITLE_REF + title, packed by ref_digest
    words: str = ""  # words of the body for search: distinct, lower-case, space-separated, capped (see body_words)

    @property
    def url_key(self) -> str:
        """The URL's normal form (see :func:`tui.core.urls.normalize_url`)."""
        return self.key or normalize_url(self.url)

    @property
    def all_keys(self) -> tuple[str, ...]:
        key = self.url_key
        return ((key,) if key else ()) + self.keys

    @property
    def published(self) -> datetime | None:
        if self.ts is None:
            return None
        try:
            return datetime.fromtimestamp(self.ts, UTC)
        except (ValueError, OverflowError, OSError):
            return None

    @property
    def date_text(self) -> str:
        published = self.published
        return published.strftime("%Y-%m-%d") if published else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "title": self.title,
            "provider": self.provider,
            "domain": self.domain,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
            "topics": list(self.topics),
            "quality": self.quality,
            "heat": self.heat,
            "plain_text": bool(self.flags & PLAIN_TEXT),
            "decode_replaced": bool(self.flags & DECODE_REPLACED),
        }


MAX_BODY_WORDS = 48  # distinct body words an entry keeps for search
BODY_SCAN = 12_000  # characters of a body looked at for them
_BODY_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_BODY_STOP = frozenset(
    "the and for are but not you all any can had her was one our out has him his how its may new now old see two way"
    " who did get got let put say she too use that with have this will your from they been were said each which"
    " their there what about would these other into more some than them then only also could after over just like"
    " when where while most such very even much many being because those should through before between does here"
    " https http www com html jpg png".split()
)


def body_words(body: str, *skip: str) -> str:
    """The words of a body that search needs: its first distinct words of
    three letters or more, without common words or words already in the
    title or excerpt (``skip``), at most :data:`MAX_BODY_WORDS`. A few hundred
    bytes an article, where the body itself would be kilobytes. The body is
    read in growing pieces until there are enough words: most bodies give
    them in their first kilobyte, and indexing stays fast."""
    if not body:
        return ""
    seen: set[str] = set()
    for text in skip:
        seen.update(_BODY_WORD.findall(text.lower()))
    stop = _BODY_STOP
    out: list[str] = []
    start = 0
    limit = min(len(body), BODY_SCAN)
    step = 1000
    while start < limit:
        end = body.find(" ", start + step) if start + step < limit else -1
        end = limit if end < 0 or end > limit else end
        for word in dict.fromkeys(_BODY_WORD.findall(body[start:end].lower())):  # (each once: bodies repeat words)
            if word not in seen and word not in stop:
                seen.add(word)
                out.append(word)
                if len(out) >= MAX_BODY_WORDS:
                    return " ".join(out)
        start = end
        step *= 3
    return " ".join(out)


def _timestamp(dt: datetime | None) -> float | None:
    return None if dt is None else dt.timestamp()


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """A file that could not be read as an article, and why (one line, safe
    to show: every reason passes the terminal-safe text function here)."""

    path: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", clean_line(self.reason))
