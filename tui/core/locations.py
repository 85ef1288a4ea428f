"""Every filesystem location the reader uses, in one place.

User data (bookmarks), the cache (the index), the configuration and the
error reports live in the platform's user directories from platformdirs; on
Linux they honour ``XDG_DATA_HOME``, ``XDG_CACHE_HOME``, ``XDG_CONFIG_HOME``
and ``XDG_STATE_HOME``. Setting ``TUI_READER_HOME`` puts them all under one
folder instead (handy for trying things out and for tests).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "tui-reader"


def _home_override() -> Path | None:
    home = os.environ.get("TUI_READER_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """Where the user's own data (bookmarks) lives."""
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where rebuildable data (the index cache) lives."""
    home = _home_override()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def collection_index(digest: str) -> Path:
    """The on-disk index (SQLite) of one collection, named by a digest of its
    folders (:func:`tui.core.catalog.schema.collection_digest`)."""
    return cache_dir() / f"index-{digest}.sqlite3"


def config_dir() -> Path:
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Where a report of an unexpected error is written (the user's state
    folder on Linux: ``$XDG_STATE_HOME/tui-reader/log``)."""
    home = _home_override()
    return home / "log" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    """The user's TOML settings (``tui-reader config path`` prints it)."""
    return config_dir() / "settings.toml"


def bookmarks_db() -> Path:
    return data_dir() / "bookmarks.sqlite3"


def queries_file() -> Path:
    """The old JSON file of the jump box's recent queries and saved views:
    imported once into the database (see tui.core.queries), never written."""
    return data_dir() / "queries.json"


def seeds_dir() -> Path:
    """The built-in collection: inside the wheel, or ``seeds/`` in a checkout."""
    packaged = resources.files("tui") / "_seeds"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    return checkout
