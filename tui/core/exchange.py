"""Bookmarks in and out of the store: JSON, Netscape bookmark HTML, Markdown.

What each format keeps (docs: /work/notes/docs-data.md, "Export formats"):

* JSON keeps every field of every bookmark exactly: exporting, importing
  into an empty store and exporting again gives the same bytes.
* Netscape bookmark HTML (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``) is what
  every browser imports and exports. Tags go in the ``TAGS`` attribute (as
  Firefox writes them), the note in the ``<DD>`` after the link; the other
  fields ride along as ``DATA-*`` attributes that browsers ignore and this
  importer reads back. Whitespace a browser would fold is written as
  character references, so an export read back by this importer gives
  every field exactly, like JSON.
* Markdown is a reading list for people (:mod:`tui.core.readinglist`), and
  imports back with what it shows.

Only ``http``/``https`` URLs become links (an HTML ``HREF``, a Markdown
link); any other URL is kept as inert, escaped text. Exports list the
bookmarks in one total order (:func:`ordered`).

Importing merges by identity (:meth:`BookmarkStore.merge`): nothing is
duplicated and nothing already in the store is lost.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tui.core import readinglist
from tui.core.bookmarks import Bookmark, identity, normalize_tags
from tui.core.model import as_datetime
from tui.core.text import valid_text
from tui.core.urls import is_openable

FORMATS = ("json", "html", "md")
JSON_FORMAT = "tui-reader-bookmarks"
JSON_VERSION = 1


class BookmarkFileError(ValueError):
    """A file that is not a bookmark file this reader knows (one-line message)."""


# -- JSON ------------------------------------------------------------------------


def to_json_obj(b: Bookmark) -> dict[str, Any]:
    return {
        "key": b.key,
        "title": b.title,
        "url": b.url,
        "provider": b.provider,
        "published": b.published.isoformat() if b.published else None,
        "path": b.path,
        "added_at": _utc(b.added_at).isoformat(timespec="microseconds"),
        "tags": list(b.tags),
        "note": b.note,
        "external": b.external,
    }


def export_json(marks: Iterable[Bookmark]) -> str:
    data = {"format": JSON_FORMAT, "version": JSON_VERSION, "bookmarks": [to_json_obj(b) for b in marks]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _text(value: Any) -> str:
    """A string field of an imported file: text, storable (a lone surrogate
    such as ``"\\ud800"`` becomes U+FFFD), or "" for any other type."""
    return valid_text(value) if isinstance(value, str) else ""


def from_json_obj(obj: Any) -> Bookmark | None:
    """A bookmark from one JSON object; None when it has nothing to identify it by."""
    if not isinstance(obj, dict):
        return None
    title, url = _text(obj.get("title")), _text(obj.get("url"))
    published = as_datetime(obj.get("published"))
    path = obj.get("path") if isinstance(obj.get("path"), str) and obj.get("path") else None
    key = _text(obj.get("key")) or identity(url, title, published, path)
    if key in ("", "path:"):
        return None
    tags = obj.get("tags")
    if isinstance(tags, list):
        tags = [valid_text(t) for t in tags if isinstance(t, str)]
    return Bookmark(
        key=key,
        title=title,
        url=url,
        provider=_text(obj.get("provider")),
        published=published,
        path=path,
        added_at=as_datetime(obj.get("added_at")) or datetime.now(UTC),
        tags=normalize_tags(tags if isinstance(tags, list) else _text(tags)),
        note=_text(obj.get("note")),
        external=bool(obj.get("external")) if path is None else False,
    )


def import_json(text: str) -> list[Bookmark]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BookmarkFileError(f"not valid JSON ({exc})") from None
    if isinstance(data, dict) and data.get("format") == JSON_FORMAT:
        if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
            raise BookmarkFileError(f"made by a newer tui-reader (version {data.get('version')!r})")
        data = data.get("bookmarks")
    if not isinstance(data, list):  # `tui-reader bookmarks list --json` is a plain array
        raise BookmarkFileError("no list of bookmarks in it")
    return [b for b in map(from_json_obj, data) if b is not None]


# -- Netscape bookmark HTML ----------------------------------------------------------

_HTML_SPACE = " \t\n\r\f"  # what an HTML parser (a browser) folds when written literally
_FOLD = re.compile(r"[ \t\n\r\f]+")


def _html_text(text: str) -> str:
    """Text content that comes back exactly from :class:`_NetscapeParser`
    (and shows the same in a browser): ``& < >`` escaped, and every
    whitespace character that a parser would fold (a tab, a line break, a
    space at either end or after another space) written as a character
    reference."""
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in "\t\n\r\f" or (ch == " " and (i == 0 or i == last or text[i - 1] == " ")):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(html.escape(ch, quote=False))
    return "".join(out)


def _html_attr(value: str) -> str:
    """An attribute value between double quotes: escaped, and on one line."""
    return html.escape(value).replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def _file_uri(path: str | None) -> str:
    """A ``file:`` URL for an absolute local path (percent-encoded), else ""."""
    if not path or not os.path.isabs(path):
        return ""
    try:
        return Path(path).as_uri()
    except ValueError:
        return ""


def export_html(marks: Iterable[Bookmark]) -> str:
    """Netscape bookmark HTML. ``HREF`` is the web address (``http``/``https``
    only), else a ``file:`` URL made from the article's absolute path, else
    absent; any other URL (``javascript:``, ``data:`` ...) is only kept,
    inert, in ``DATA-URL``. Every field is escaped for where it goes."""
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        "<!-- This is an automatically generated file. It will be read and overwritten. DO NOT EDIT! -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
        "<DL><p>",
        "    <DT><H3>tui-reader</H3>",
        "    <DL><p>",
    ]
    for b in marks:
        web = b.url if is_openable(b.url) else ""
        attrs = {
            "HREF": web or _file_uri(b.path),
            "ADD_DATE": str(int(_utc(b.added_at).timestamp())),
            "TAGS": ",".join(b.tags),
            "DATA-KEY": b.key,
            "DATA-ADDED": _utc(b.added_at).isoformat(timespec="microseconds"),
            "DATA-URL": "" if web else b.url,
            "DATA-PROVIDER": b.provider,
            "DATA-PUBLISHED": b.published.isoformat() if b.published else "",
            "DATA-PATH": b.path or "",
            "DATA-EXTERNAL": "1" if b.external else "",
        }
        text = " ".join(f'{name}="{_html_attr(value)}"' for name, value in attrs.items() if value)
        lines.append(f"        <DT><A {text}>{_html_text(b.title)}</A>")
        if b.note:
            lines.append(f"        <DD>{_html_text(b.note)}")
    lines += ["    </DL><p>", "</DL><p>", ""]
    return "\n".join(lines)


class _NetscapeParser(HTMLParser):
    """Links, their titles and their ``<DD>`` notes. Text is kept as pieces,
    literal or from a character reference, so that literal whitespace can
    be folded as a browser would while referenced whitespace stays."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.links: list[dict[str, Any]] = []
        self._in: str = ""  # "title" while in a link's text, "note" while in a <DD>
        self.seen_doctype = False

    def handle_decl(self, decl: str) -> None:
        if "netscape-bookmark-file" in decl.lower():
            self.seen_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = ""
        if tag == "a":
            self.links.append({"attrs": {k.lower(): v or "" for k, v in attrs}, "title": [], "note": []})
            self._in = "title"
        elif tag == "dd" and self.links:
            self._in = "note"

    def handle_endtag(self, tag: str) -> None:
        self._in = ""

    def _piece(self, text: str, literal: bool) -> None:
        if self._in:
            self.links[-1][self._in].append((text, literal))

    def handle_data(self, data: str) -> None:
        self._piece(data, True)

    def handle_charref(self, name: str) -> None:
        self._piece(html.unescape(f"&#{name};"), False)

    def handle_entityref(self, name: str) -> None:
        self._piece(html.unescape(f"&{name};"), False)


def _html_value(pieces: list[tuple[str, bool]]) -> str:
    """Text from parser pieces: literal whitespace folded to one space and
    dropped at both ends; whitespace from a character reference kept."""
    merged: list[tuple[str, bool]] = []
    for text, literal in pieces:
        if merged and literal and merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, True)
        else:
            merged.append((text, literal))
    parts = [(_FOLD.sub(" ", text) if literal else text, literal) for text, literal in merged]
    if parts and parts[0][1]:
        parts[0] = (parts[0][0].lstrip(" "), True)
    if parts and parts[-1][1]:
        parts[-1] = (parts[-1][0].rstrip(" "), True)
    return "".join(text for text, _ in parts)


def _from_link(link: dict[str, Any]) -> Bookmark | None:
    attrs: dict[str, str] = link["attrs"]
    ours = bool(attrs.get("data-key"))  # written by export_html: every field is there, exactly
    href = attrs.get("href", "") if ours else attrs.get("href", "").strip()
    path = attrs.get("data-path") or None
    url = attrs.get("data-url", "") if ours else ""
    if href.strip().lower().startswith("file:"):
        path = path or unquote(urlsplit(href.strip()).path) or None
    elif is_openable(href):
        url = href
    elif not ours:
        return None  # javascript:, place:, data: ... are not stories
    title = _html_value(link["title"])
    published = as_datetime(attrs.get("data-published"))
    added = as_datetime(attrs.get("data-added"))
    if added is None:
        try:
            added = as_datetime(datetime.fromtimestamp(int(attrs.get("add_date", "")), UTC))
        except (ValueError, OverflowError, OSError):
            added = None
        added = added or datetime.now(UTC)
    key = attrs.get("data-key") or identity(url, title, published, path)
    if key in ("", "path:"):
        return None
    return Bookmark(
        key=key,
        title=title if ours else (title or url),
        url=url,
        provider=attrs.get("data-provider", ""),
        published=published,
        path=path,
        added_at=added,
        tags=normalize_tags(attrs.get("tags", "")),
        note=_html_value(link["note"]),
        external=bool(attrs.get("data-external")) and path is None,
    )


def import_html(text: str) -> list[Bookmark]:
    parser = _NetscapeParser()
    parser.feed(text)
    parser.close()
    if not parser.seen_doctype and not parser.links:
        raise BookmarkFileError("not a Netscape bookmark file (no <!DOCTYPE NETSCAPE-Bookmark-file-1>, no links)")
    return [b for b in map(_from_link, parser.links) if b is not None]


# -- dispatch -------------------------------------------------------------------------------


def ordered(marks: Iterable[Bookmark]) -> list[Bookmark]:
    """Newest first, equal dates by key: a total order, so that what is
    exported, imported elsewhere and exported again comes out the same."""
    return sorted(sorted(marks, key=lambda b: b.key), key=lambda b: _utc(b.added_at), reverse=True)


def export(marks: Iterable[Bookmark], fmt: str) -> str:
    """Every bookmark in one of :data:`FORMATS`, in :func:`ordered` order."""
    marks = ordered(marks)
    if fmt == "json":
        return export_json(marks)
    if fmt == "html":
        return export_html(marks)
    if fmt == "md":
        return readinglist.export_markdown(marks)
    raise ValueError(f"unknown format: {fmt}")


def parse(text: str) -> list[Bookmark]:
    """Bookmarks from JSON, Netscape HTML or our Markdown reading list, told
    apart by their first character."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return import_json(stripped)
    if stripped[:1] == "<":
        return import_html(stripped)
    if stripped[:1] == "#" or stripped[:2] == "- ":
        try:
            return readinglist.import_markdown(stripped)
        except ValueError as exc:
            raise BookmarkFileError(str(exc)) from None
    raise BookmarkFileError("neither JSON, Netscape bookmark HTML nor a Markdown reading list")


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
