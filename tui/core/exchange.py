"""Bookmarks in and out of the store: JSON, Netscape bookmark HTML, Markdown.

* JSON is lossless: every field of every bookmark, so exporting, importing
  into an empty store and exporting again gives the same text.
* Netscape bookmark HTML (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``) is what
  every browser imports and exports. Tags go in the ``TAGS`` attribute (as
  Firefox writes them), the note in the ``<DD>`` after the link; the other
  fields ride along as ``DATA-*`` attributes that browsers ignore and this
  importer reads back.
* Markdown is a reading list for people, export only.

Importing merges by identity (:meth:`BookmarkStore.merge`): nothing is
duplicated and nothing already in the store is lost.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tui.core.bookmarks import Bookmark, identity, normalize_tags
from tui.core.model import as_datetime
from tui.core.text import clean_line, valid_text
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


def _href(b: Bookmark) -> str:
    if b.url:
        return b.url
    if b.path:
        return Path(b.path).absolute().as_uri()
    return ""


def export_html(marks: Iterable[Bookmark]) -> str:
    e = html.escape
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
        attrs = {
            "HREF": _href(b),
            "ADD_DATE": str(int(_utc(b.added_at).timestamp())),
            "TAGS": ",".join(b.tags),
            "DATA-KEY": b.key,
            "DATA-ADDED": _utc(b.added_at).isoformat(timespec="microseconds"),
            "DATA-PROVIDER": b.provider,
            "DATA-PUBLISHED": b.published.isoformat() if b.published else "",
            "DATA-PATH": b.path or "",
            "DATA-EXTERNAL": "1" if b.external else "",
        }
        text = " ".join(f'{name}="{e(value)}"' for name, value in attrs.items() if value)
        lines.append(f"        <DT><A {text}>{e(b.title)}</A>")
        if b.note:
            lines.append(f"        <DD>{e(b.note)}")
    lines += ["    </DL><p>", "</DL><p>", ""]
    return "\n".join(lines)


class _NetscapeParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, Any]] = []
        self._in: str = ""  # "a" while in a link's text, "dd" while in a note
        self.seen_doctype = False

    def handle_decl(self, decl: str) -> None:
        if "netscape-bookmark-file" in decl.lower():
            self.seen_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append({"attrs": {k.lower(): v or "" for k, v in attrs}, "title": "", "note": ""})
            self._in = "a"
        elif tag == "dd" and self.links:
            self._in = "dd"
        elif tag in ("dt", "dl", "h3", "h1"):
            self._in = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "a":
            self.links[-1]["title"] += data
        elif self._in == "dd":
            self.links[-1]["note"] += data


def _from_link(link: dict[str, Any]) -> Bookmark | None:
    attrs: dict[str, str] = link["attrs"]
    href = attrs.get("href", "").strip()
    path = attrs.get("data-path") or None
    url = ""
    if href.lower().startswith("file:"):
        path = path or unquote(urlsplit(href).path) or None
    elif is_openable(href):
        url = href
    else:
        return None  # javascript:, place:, data: ... are not stories
    title = " ".join(link["title"].split())
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
        title=title or url,
        url=url,
        provider=attrs.get("data-provider", ""),
        published=published,
        path=path,
        added_at=added,
        tags=normalize_tags(attrs.get("tags", "")),
        note=link["note"].strip(),
        external=bool(attrs.get("data-external")) and path is None,
    )


def import_html(text: str) -> list[Bookmark]:
    parser = _NetscapeParser()
    parser.feed(text)
    parser.close()
    if not parser.seen_doctype and not parser.links:
        raise BookmarkFileError("not a Netscape bookmark file (no <!DOCTYPE NETSCAPE-Bookmark-file-1>, no links)")
    return [b for b in map(_from_link, parser.links) if b is not None]


# -- Markdown reading list ------------------------------------------------------------------


def _md(text: str) -> str:
    """Text safe inside a Markdown link label or line."""
    out = clean_line(text)
    for ch in "\\[]*_`<>":
        out = out.replace(ch, "\\" + ch)
    return out


def export_markdown(marks: Iterable[Bookmark]) -> str:
    lines = ["# Reading list", ""]
    for b in marks:
        title = _md(b.title or b.url or b.path or "(untitled)")
        target = b.url if is_openable(b.url) else (Path(b.path).absolute().as_uri() if b.path else "")
        item = f"- [{title}](<{target}>)" if target else f"- {title}"
        facts = [x for x in (_md(b.provider), b.published.strftime("%Y-%m-%d") if b.published else "") if x]
        if facts:
            item += " — " + ", ".join(facts)
        if b.tags:
            item += " · " + " ".join(f"`{t.replace('`', '')}`" for t in b.tags)
        lines.append(item)
        for note_line in b.note.splitlines():
            lines.append(f"  > {_md(note_line)}" if note_line.strip() else "  >")
    lines.append("")
    return "\n".join(lines)


# -- dispatch -------------------------------------------------------------------------------


def export(marks: Iterable[Bookmark], fmt: str) -> str:
    if fmt == "json":
        return export_json(marks)
    if fmt == "html":
        return export_html(marks)
    if fmt == "md":
        return export_markdown(marks)
    raise ValueError(f"unknown format: {fmt}")


def parse(text: str) -> list[Bookmark]:
    """Bookmarks from JSON or Netscape HTML, told apart by their first character."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return import_json(stripped)
    if stripped[:1] == "<":
        return import_html(stripped)
    raise BookmarkFileError("neither JSON nor Netscape bookmark HTML")


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
