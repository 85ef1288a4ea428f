r"""Bookmarks as a Markdown reading list, for people, and back again.

The export is CommonMark that reads the same raw as rendered::

    # Reading list

    - [Japan Restricts Chip Exports](<https://example.com/japan>) — Reuters · 2024-05-01 · `policy` `to read`
      > the note, line by line
      >
      > as written
    - A story without a web address — 2024-04-30
      URL: `javascript:alert(1)`
      File: `/news/plain.txt`

* Only an ``http``/``https`` URL becomes a link. Any other URL, and a local
  file's path, is shown in a code span on its own line: inert text, never a
  link, never markup.
* Every text is escaped so that it can never become Markdown: ``\ ` * _ [ ]
  ( ) < > & | ~ $`` take a backslash everywhere; ``# + - =`` and ``1.`` at
  the start of a block too; ``—`` and ``·`` (the separators) are written
  ``&mdash;`` and ``&middot;`` in a title without a link and in a provider;
  whitespace at either end of a note line is a numeric reference (``&#32;``).
  In a link's address, ``\ < >`` take a backslash, ``&`` does before what
  would read as an entity, and line breaks and control characters are
  percent-encoded.

:func:`import_markdown` reads such a file back (hand edits that keep this
shape are fine; other lines are skipped). What comes back, exactly:

* title, provider, tags, a non-web URL and a path: on one line (runs of
  whitespace folded, control characters shown as symbols such as ␛,
  bidirectional controls dropped), as :func:`tui.core.text.clean_line`;
* a web URL: as written, but with line breaks and control characters
  percent-encoded;
* the publication date: the day only (in the article's own time zone),
  read back as midnight UTC;
* a path: only for a bookmark without a web URL;
* the note: every line, with ``\r`` line ends as ``\n`` and control
  characters as symbols (:func:`tui.core.text.clean`);
* not kept: the identity key (recomputed from the URL, else the title and
  day, else the path), when each was bookmarked (the order is kept), and
  whether it was a related story.

Exporting what was imported gives the same Markdown, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from tui.core.bookmarks import Bookmark, identity, normalize_tags
from tui.core.text import clean, clean_line
from tui.core.urls import is_openable

HEADING = "# Reading list"
UNTITLED = "(untitled)"  # written unescaped: a real title "(untitled)" is written \(untitled\)

_ALWAYS = "\\`*_[]()<>&|~$"
_NUMBERED = re.compile(r"\d+(?=\.)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENTITIES = {"mdash": "—", "middot": "·"}
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&(mdash|middot|#\d{1,7});")
_UNESCAPE_URL = re.compile(r"\\([!-/:-@\[-`{-~])")
_URL_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_URL_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CODE = re.compile(r"(`+)(?!`)(.*?)(?<!`)\1(?!`)")
_LINK_ITEM = re.compile(r"- \[((?:\\.|[^\\\]])*)\]\(<((?:\\.|[^\\<>])*)>\)(.*)")
_PLAIN_ITEM = re.compile(r"- (.*?)((?: — .*)?)")


def one_line(text: str) -> str:
    """A one-line field as the list shows it: :func:`clean_line`, with no run of
    spaces nor a space at either end (the same text again gives the same)."""
    return " ".join(clean_line(text).split())


# -- writing -------------------------------------------------------------------------------


def _escape(text: str, *, at_start: bool = False, separators: bool = False) -> str:
    """Markdown for a text that must show as it is (already one line or one note line)."""
    out = "".join("\\" + ch if ch in _ALWAYS else ch for ch in text)
    if at_start and out[:1] in ("#", "+", "=", "-"):
        out = "\\" + out  # a heading, a list, an underline
    elif at_start:
        digits = _NUMBERED.match(out)  # "1." would start a numbered list
        if digits:
            out = out[: digits.end()] + "\\" + out[digits.end() :]
    if separators:
        out = out.replace("—", "&mdash;").replace("·", "&middot;")
    return out


def _code(text: str) -> str:
    """A code span: shown as it is, never a link nor markup."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _destination(url: str) -> str:
    """A web URL inside ``<…>``: nothing in it can end it or break the line."""
    url = _URL_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)
    url = re.sub(r"([\\<>])", r"\\\1", url)
    return _URL_ENTITY.sub("\\\\&", url)


def _note_line(line: str) -> str:
    """A note line after ``> ``: whitespace at either end (which Markdown
    would drop) as character references, the rest escaped."""
    body = line.strip()
    start = len(line) - len(line.lstrip())
    lead, trail = line[:start], line[start + len(body) :]
    return "".join(f"&#{ord(c)};" for c in lead) + _escape(body, at_start=not lead) + "".join(f"&#{ord(c)};" for c in trail)


def export_markdown(marks: Iterable[Bookmark]) -> str:
    lines = [HEADING, ""]
    for b in marks:
        title = one_line(b.title)
        web = is_openable(b.url)
        if web:
            label = _escape(title) if title else UNTITLED
            item = f"- [{label}](<{_destination(b.url)}>)"
        else:
            item = "- " + (_escape(title, at_start=True, separators=True) if title else UNTITLED)
        facts = []
        provider = _escape(one_line(b.provider), separators=True)
        if provider:
            facts.append(provider[:4] + "\\" + provider[4:] if _DATE.fullmatch(provider) else provider)
        if b.published is not None:
            facts.append(b.published.date().isoformat())
        tags = normalize_tags(one_line(t) for t in b.tags)
        if tags:
            facts.append(" ".join(_code(t) for t in tags))
        if facts:
            item += " — " + " · ".join(facts)
        lines.append(item)
        if not web and one_line(b.url):
            lines.append("  URL: " + _code(one_line(b.url)))
        if not web and one_line(b.path or ""):
            lines.append("  File: " + _code(one_line(b.path or "")))
        note = clean(b.note)
        if note:
            lines.extend(f"  > {_note_line(n)}".rstrip(" ") for n in note.split("\n"))
    lines.append("")
    return "\n".join(lines)


# -- reading ---------------------------------------------------------------------------------


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    if match[1] is not None:
        return match[1]
    name = match[2]
    if name in _ENTITIES:
        return _ENTITIES[name]
    code = int(name[1:])
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _codes(text: str) -> list[str]:
    out = []
    for match in _CODE.finditer(text):
        body = match[2]
        if body[:1] == " " and body[-1:] == " " and body.strip(" "):
            body = body[1:-1]
        out.append(body)
    return out


def _facts(rest: str) -> tuple[str, datetime | None, tuple[str, ...]]:
    """Provider, publication day and tags from what follows `` — ``."""
    # Tags come last, each a code span; a provider's backticks and separators are escaped.
    if rest.startswith("`"):
        head, tags = "", rest
    else:
        at = rest.find(" · `")
        head, tags = (rest, "") if at < 0 else (rest[:at], rest[at + 3 :])
    provider, published = "", None
    for part in head.split(" · ") if head else []:
        if _DATE.fullmatch(part):
            try:
                day = date.fromisoformat(part)
                published = datetime(day.year, day.month, day.day, tzinfo=UTC)
            except ValueError:
                provider = provider or _unescape(part)
        elif part:
            provider = _unescape(part)
    return provider, published, normalize_tags(_codes(tags))


def import_markdown(text: str) -> list[Bookmark]:
    """Bookmarks from a reading list written by :func:`export_markdown`
    (see the module's doc for what comes back). Raises ValueError (one
    line) when there is not one item in it."""
    items: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    for raw in text.split("\n"):
        line = raw.removesuffix("\r")
        if line.startswith("- "):
            current = _item(line)
            if current is not None:
                items.append(current)
        elif current is not None and line.startswith("  "):
            _continuation(current, line[2:])
        else:
            current = None
    if not items and text.strip() and text.strip() != HEADING:
        raise ValueError("no reading-list items (lines starting with '- ') in it")
    now = datetime.now(UTC)
    marks = []
    for i, item in enumerate(items):
        url, title, path = str(item["url"]), str(item["title"]), item.get("path")
        published = item["published"]
        assert published is None or isinstance(published, datetime)
        key = identity(url, title, published, path if isinstance(path, str) else None)
        if key in ("", "path:"):
            continue
        marks.append(
            Bookmark(
                key=key,
                title=title,
                url=url,
                provider=str(item["provider"]),
                published=published,
                path=path if isinstance(path, str) else None,
                added_at=now - timedelta(microseconds=i),  # the list's order, newest first
                tags=item["tags"],  # type: ignore[arg-type]
                note="\n".join(item["note"]),  # type: ignore[arg-type]
            )
        )
    return marks


def _item(line: str) -> dict[str, object] | None:
    link = _LINK_ITEM.fullmatch(line)
    if link is not None:
        label, url, rest = link[1], _UNESCAPE_URL.sub(r"\1", link[2]), link[3]
    else:
        plain = _PLAIN_ITEM.fullmatch(line)
        if plain is None:
            return None
        label, url, rest = plain[1], "", plain[2]
    if rest and not rest.startswith(" — "):
        return None
    provider, published, tags = _facts(rest[3:])
    title = "" if label == UNTITLED else _unescape(label)
    return {"title": title, "url": url, "path": None, "provider": provider, "published": published, "tags": tags, "note": []}


def _continuation(item: dict[str, object], line: str) -> None:
    notes = item["note"]
    assert isinstance(notes, list)
    if line == ">" or line.startswith("> "):
        notes.append(_unescape(line[2:]))
    elif line.startswith(("URL: ", "File: ")) and not item["url" if line[0] == "U" else "path"]:
        codes = _codes(line.split(": ", 1)[1])
        if codes:
            item["url" if line[0] == "U" else "path"] = codes[0]
