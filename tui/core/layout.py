"""How wide the article list is beside the preview: the person's choice.

The ``list_width`` setting gives the share (percent of the terminal's
width) the list starts with; the ``=`` and ``-`` keys change it while
reading, and that choice is remembered in the user database's ``meta``
table (one transaction), with the setting it was made over: once the
setting is edited, the setting wins again. No Textual here.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Protocol

from tui.core.settings import LIST_WIDTH_RANGE

META_NAME = "layout.list_width"
STEP = 5  # percent per key press


class MetaStore(Protocol):
    def meta(self, name: str) -> str | None: ...

    def set_meta(self, name: str, value: str) -> None: ...


def clamp(share: int) -> int:
    low, high = LIST_WIDTH_RANGE
    return max(low, min(high, share))


def step(share: int, direction: int) -> int:
    """The share one key press wider (``direction`` 1) or narrower (-1), within the range."""
    return clamp(share + direction * STEP)


def remembered(store: MetaStore | None, setting: int) -> int:
    """The list's share at start: the last one chosen with the keys, unless
    the setting was changed since (or nothing was chosen, or it cannot be read)."""
    if store is None:
        return clamp(setting)
    try:
        raw = store.meta(META_NAME)
        saved = json.loads(raw) if raw else None
    except (sqlite3.Error, ValueError):
        return clamp(setting)
    if not isinstance(saved, dict) or saved.get("setting") != setting:
        return clamp(setting)
    share = saved.get("share")
    if isinstance(share, bool) or not isinstance(share, int):
        return clamp(setting)
    return clamp(share)


def remember(store: MetaStore | None, share: int, setting: int) -> str:
    """Keep the share chosen (with the setting it was chosen over); the
    reason when it could not be written, else ""."""
    if store is None:
        return ""
    try:
        store.set_meta(META_NAME, json.dumps({"share": clamp(share), "setting": setting}))
    except sqlite3.Error as exc:
        return str(exc)
    return ""
