"""Make text from a file safe to show in a terminal, without hiding what it says.

Nothing a file contains may act on the terminal: escape sequences, control
characters and bidi overrides are replaced by visible stand-ins (the Unicode
"control pictures"), so the reader shows *that* they were there without
letting them run. Markup is never interpreted: the UI always builds
``rich.text.Text`` objects from these strings, never markup.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# Bidi embeddings/overrides/isolates could reorder what the terminal shows.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_WS = re.compile(r"\s+")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(text: str) -> str:
    """Multi-line text (a body): keep newlines and tabs, neutralise the rest."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(_picture, text)
    return _BIDI.sub("", text)


def clean_line(text: object) -> str:
    """A one-line field (title, provider...): also fold whitespace and newlines."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # No control, format (bidi) or separator character but the space, and
        # no run of spaces: nothing below would change it (most fields).
        return text
    text = _WS.sub(" ", text).strip()
    text = _CONTROL.sub(_picture, text)
    return _BIDI.sub("", text)
