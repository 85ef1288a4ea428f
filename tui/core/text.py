"""Make text from outside safe to show in a terminal, without hiding what it says.

Nothing a file, a file name, an imported bookmark or a settings value holds
may act on the terminal: escape sequences, control characters and bidi
overrides are replaced by visible stand-ins (the Unicode "control
pictures"), so the reader shows *that* they were there without letting them
run. Bytes of a file name that are not UTF-8 (kept by Python as lone
surrogates, see :func:`os.fsdecode`) are shown as U+FFFD and can never make
printing fail. Markup is never interpreted: the UI always builds
``rich.text.Text`` objects from these strings, never markup.

One function does the neutralising, :func:`neutralise`; the names below are
its three uses, for the three shapes text comes in:

* :func:`clean_line`: a one-line field (a title, a provider, a tag, a
  message): runs of whitespace, newlines included, fold into one space;
* :func:`clean`: a body: newlines and tabs kept;
* :func:`clean_path`: a path or a file name: nothing folded, so a newline or
  a tab in a name is seen (as ␊ and ␉), and the name stays on one line.

:func:`safe_json` is the same promise for JSON written to a terminal.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

# C0 controls except TAB and LF, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# Every control character, TAB and LF included (names, paths).
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f\x80-\x9f]")
# Bidi embeddings/overrides/isolates could reorder what the terminal shows.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Lone surrogates: a file name's bytes that are not UTF-8 (surrogateescape),
# or a "\ud800" in imported JSON. No encoder accepts them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WS = re.compile(r"\s+")
# Line and paragraph separators: some terminals and widgets break lines there.
_SEPARATOR = re.compile(r"[\u2028\u2029]")
REPLACEMENT = "\ufffd"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟ (␊ for a newline, ␉ for a tab)
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def neutralise(text: object, *, fold: bool = True, keep_newlines: bool = False) -> str:
    """The one terminal-safe text function: ``text`` (any value, ``None``
    gives "") with every character that could act on a terminal replaced.

    ``fold``: whitespace runs become one space and the ends are stripped (a
    one-line field). ``keep_newlines``: newlines and tabs stay (a body).
    Neither: every control, newline and tab included, becomes its picture
    (a name or a path).
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        try:
            text = str(text)
        except ValueError:  # an integer of thousands of digits
            return "(a number too long to show)"
    if not text:
        return ""
    if fold:
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            # No control, format (bidi), surrogate or separator character but
            # the space, and no run of spaces: nothing below would change it
            # (most fields).
            return text
        text = _WS.sub(" ", text).strip()
        text = _CONTROL.sub(_picture, text)
    elif keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub(_picture, text)
        text = _SEPARATOR.sub("\n", text)
    else:
        if text.isprintable():
            return text  # a plain name: nothing to do
        text = _ANY_CONTROL.sub(_picture, text)
        text = _SEPARATOR.sub(REPLACEMENT, text)
    text = _SURROGATE.sub(REPLACEMENT, text)
    return _BIDI.sub("", text)


def clean(text: str) -> str:
    """Multi-line text (a body): keep newlines and tabs, neutralise the rest."""
    return neutralise(text, fold=False, keep_newlines=True)


def clean_line(text: object) -> str:
    """A one-line field (title, provider, message...): also fold whitespace and newlines."""
    return neutralise(text)


def clean_path(path: str | os.PathLike[str] | bytes | None) -> str:
    """A path or a file name to show: one line, every control character
    visible as its picture, bytes that are not UTF-8 as U+FFFD."""
    if path is None:
        return ""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return neutralise(os.fspath(path), fold=False)


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds lone surrogates (no UTF-8 encoder takes it as is)."""
    return _SURROGATE.search(text) is not None


def valid_text(text: str) -> str:
    """``text`` with its lone surrogates replaced by U+FFFD: storable and
    encodable anywhere (an imported ``"\\ud800"``); nothing else changes."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


# Characters that ``json.dumps(ensure_ascii=False)`` writes raw but a
# terminal could act on (DEL, C1, bidi, separators) or that no encoder takes
# (lone surrogates). JSON text holds them only inside strings, where a \u
# escape means the same character: escaping them keeps the data exact.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_json_text(text: str) -> str:
    """JSON text (from any ``json.dumps``) with the characters that could act
    on a terminal written as ``\\u`` escapes: the same data, and no raw
    control byte. (``json.dumps`` already escapes C0 controls.)"""
    return _JSON_UNSAFE.sub(_json_escape, text)


# What a terminal could act on, in HTML text: written as character references.
_HTML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def safe_html_text(text: str) -> str:
    """HTML text with every character a terminal could act on (and every
    lone surrogate) written as a character reference: inert when printed."""
    return _HTML_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)


def safe_json(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, ...)`` that is safe to print:
    readable non-ASCII text, escapes for everything a terminal could act on.
    A file name that is not UTF-8 comes out as its ``\\udcXX`` escapes,
    which Python's ``json`` and :func:`os.fsencode` turn back into its bytes."""
    return safe_json_text(json.dumps(data, ensure_ascii=False, **kwargs))
