"""Values in and out of the stores (the bookmark database): one
representation for paths, and tolerant reading of whatever a row holds.

A path that is valid text is stored as TEXT; one whose name is not UTF-8
(lone surrogates in Python, see :func:`os.fsdecode`) as a BLOB of its bytes,
so the bookmark still opens the file. Text is stored valid (a lone surrogate
from an import becomes U+FFFD). A row written by another tool or an older
bug, with values of the wrong type, is read field by field: a value that
does not fit reads as empty (or 0), never a crash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from tui.core.text import has_surrogates, valid_text

__all__ = [
    "bool_from_db",
    "float_from_db",
    "fs_bytes",
    "normalize_tags",
    "path_from_db",
    "path_key",
    "path_to_db",
    "tags_from_db",
    "text_from_db",
]


def path_key(path: str) -> str:
    """A path as key text: itself, or for a file name that is not UTF-8 its
    bytes with ``\\xNN`` escapes (valid text, one per name)."""
    return fs_bytes(path).decode("utf-8", "backslashreplace") if has_surrogates(path) else path


def fs_bytes(path: str) -> bytes:
    """The bytes of a path: :func:`os.fsencode`, and for a lone surrogate that
    no file name gives (an imported ``"\\ud800"``) its UTF-8-like bytes."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


def path_to_db(path: str | None) -> str | bytes | None:
    """A path as stored: text, or the bytes of a name that is not UTF-8."""
    if path is None:
        return None
    return fs_bytes(path) if has_surrogates(path) else path


def path_from_db(value: object) -> str | None:
    """A stored path back (bytes: :func:`os.fsdecode`, the same file)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return os.fsdecode(value)
    return text_from_db(value)


def text_from_db(value: object) -> str:
    """Any stored value as text ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def float_from_db(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return number if number == number and abs(number) != float("inf") else 0.0


def bool_from_db(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return isinstance(value, (int, float)) and bool(value)


def normalize_tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: split on commas (a string), whitespace collapsed, a
    leading ``#`` dropped (``#later`` is the tag ``later``, shown as such),
    empty ones and case-insensitive duplicates dropped, order kept."""
    if isinstance(tags, str):
        tags = tags.split(",")
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = " ".join(str(tag).replace(",", " ").split()).lstrip("# ")
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def tags_from_db(value: object) -> tuple[str, ...]:
    """Tags as a row holds them (a JSON list), read as they are stored now
    (:func:`normalize_tags`: a ``#later`` stored before a leading ``#`` was
    dropped reads as ``later``)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str) or not value:
        return ()
    try:
        tags = json.loads(value)
    except ValueError:
        return ()
    if not isinstance(tags, list):
        return ()
    return normalize_tags(valid_text(str(t)) for t in tags if isinstance(t, (str, int, float)) and not isinstance(t, bool))
