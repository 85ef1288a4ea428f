"""The user's settings: one TOML file in the config folder.

Every key is optional and checked on its own: a bad value costs that key
only (the reader starts with its default) and gives one line naming the
key; a file that is not TOML gives one line and every default. Nothing in
the file can stop the reader from starting.

Theme names and binding ids are checked by the UI (only Textual knows
them); here they are checked for their type and shape.

Remembering the theme chosen in the palette is a careful minimal edit of
this same file (see :func:`remember_theme`): the one ``theme = …`` line is
replaced or inserted, the rest of the file (other keys, comments, blank
lines) is kept byte for byte, the result is parsed again and must equal
the old settings with only ``theme`` changed, and it is written atomically.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core import locations
from tui.core.atomic import write_text_atomically
from tui.core.browser import parse_command
from tui.core.collection import SORT_KEYS, expand_user
from tui.core.safe_io import Refused, read_regular
from tui.core.text import clean_path

DEFAULT_THEME = "textual-dark"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_DETAIL_DATE_FORMAT = "%a %d %b %Y, %H:%M %Z"
DEFAULT_READ_AFTER = 0.6  # seconds; what read_after = None (not set) means
MAX_DATE_WIDTH = 40  # a formatted date longer than this is refused
LIST_WIDTH_RANGE = (25, 80)  # percent of the width the list may take beside the preview
MAX_SETTINGS_BYTES = 1024 * 1024  # a settings file is a few lines: more is not one

# The key names a keymap may use: Textual names ("ctrl+shift+f1", "question_mark")
# or a single printable character ("?", "S").
_KEY_NAME = re.compile(r"^(?:[a-z0-9_]+\+)*(?:[A-Za-z0-9_]+|[^\s,+])$")
_SAMPLE_DATE = datetime(2024, 12, 31, 23, 59, 58, tzinfo=UTC)


@dataclass(frozen=True)
class Settings:
    """What the settings file says, every value checked."""

    paths: tuple[Path, ...] = ()
    sort: str = "date"
    sidebar: bool = True
    list_width: int = 60  # percent of the width the list takes beside the preview (25-80)
    date_format: str = DEFAULT_DATE_FORMAT
    detail_date_format: str = DEFAULT_DETAIL_DATE_FORMAT
    theme: str = DEFAULT_THEME
    keys: Mapping[str, str] = field(default_factory=dict)
    watch: bool = True  # follow the folders: new, changed and removed files show by themselves
    browser: tuple[str, ...] = ()  # the command that opens links (empty: the system's browser)
    read_after: float | None = None  # seconds an article is shown before it counts as read (0: only by u); None: the reader's default


DEFAULTS = Settings()

DEFAULT_TEXT = """\
# tui-reader settings (TOML). Every key is optional: remove the "#" in front of
# a line to change that setting. A bad value is reported with its key's name
# and the default is used. Every key is described in the README ("Settings").

# Files or folders opened when tui-reader is started without a PATH (the list
# and search commands too). Absolute, or starting with ~. Default: the seeds.
# paths = ["~/news"]

# Sort order at start: "date", "title", "provider", "quality" or "heat".
# sort = "date"

# Show the related-stories sidebar at start (r toggles it; it always hides
# itself when the terminal is narrower than 100 columns).
# sidebar = true

# How much of the width the article list takes beside the preview, in percent
# (25 to 80; wide terminals only: at 80 columns and below the list takes it
# all). = and - change it while reading; that choice is remembered until this
# line is edited.
# list_width = 60

# Dates, as strftime patterns: in the article list (and the jump box), and in
# the header of the article shown.
# date_format = "%Y-%m-%d"
# detail_date_format = "%a %d %b %Y, %H:%M %Z"

# Seconds an article stays shown before it counts as read by itself; 0: only
# when you press u (or A, mark all read). Nothing counts as read before you
# have moved in the list or opened something.
# read_after = 0.6

# One of Textual's built-in themes. ctrl+p then "theme" lets you try them;
# the one you choose there is written here.
# theme = "textual-dark"

# Follow the collection's folders while the reader is open: new, changed and
# removed files show up by themselves (R rescans by hand either way).
# watch = true

# The browser that o opens links in: a command, %u standing for the URL (else
# the URL goes last), e.g. "w3m %u" or "lynx -accept_all_cookies". It gets the
# terminal until it exits. Empty: the system's browser.
# browser = ""

# Keys: binding id = "key", or "key1,key2" for several. The help screen (?)
# shows every binding id with its key. Examples:
[keys]
# sort = "S"
# edit = "ctrl+e"
# "list.down" = "down,j,n"
"""


class SettingsError(Exception):
    """The settings file cannot be written (one-line message)."""


def settings_path() -> Path:
    return locations.settings_file()


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings from ``path`` (default: the user's file), and one line per problem.

    A missing file is not a problem: it means every default.
    """
    path = settings_path() if path is None else path
    try:
        data = read_regular(path, MAX_SETTINGS_BYTES)
    except Refused as refused:
        if not os.path.lexists(path):
            return DEFAULTS, []
        return DEFAULTS, [f"cannot read the settings file {clean_path(path)}: {refused.reason}; using every default"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return DEFAULTS, [f"the settings file {clean_path(path)} is not UTF-8 text; using every default"]
    return parse(text, source=clean_path(path))


def parse(text: str, source: str = "settings") -> tuple[Settings, list[str]]:
    """Check every key of a settings text; bad values fall back one by one."""
    import tomllib  # (here: most starts have no settings file, and the reader's start counts its imports)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return DEFAULTS, [f"{source} is not valid TOML ({_one_line(str(exc))}); using every default"]
    except (ValueError, RecursionError) as exc:  # deeply nested arrays
        return DEFAULTS, [f"{source} cannot be read ({_one_line(str(exc))}); using every default"]
    return from_mapping(data)


def from_mapping(data: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        check = _CHECKS.get(key)
        if check is None:
            problems.append(f"{_name(key)}: unknown setting, ignored (known: {', '.join(_CHECKS)})")
            continue
        try:
            values[key] = check(value, problems)
        except _Bad as bad:
            default = getattr(DEFAULTS, key)
            default = DEFAULT_READ_AFTER if key == "read_after" else default
            shown = {"keys": "no keys changed", "paths": "none", "browser": "the system's browser"}.get(key) or _show(default)
            problems.append(f"{key}: {bad}; using the default ({shown})")
    return Settings(**values), problems


class _Bad(Exception):
    pass


def _name(key: str) -> str:
    return _one_line(key)[:60] or '""'


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _brief(value: object) -> str:
    """A short, one-line, TOML-ish rendering of a bad value for a message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "a list"
    else:
        text = str(value)
    text = _one_line(text)
    return text if len(text) <= 50 else text[:49] + "…"


def _one_line(text: str) -> str:
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


# -- the checks: return the value to use, or raise _Bad("what is wrong") ----------


def _check_paths(value: Any, problems: list[str]) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Bad(f"must be a list of paths (strings), not {_brief(value)}")
    out = []
    for raw in value:
        path = expand_user(raw)
        if not raw.strip():
            problems.append("paths: an empty path, skipped")
        elif path is None:
            problems.append(f"paths: {_brief(raw)} names a user that does not exist here, skipped")
        elif not path.is_absolute():
            problems.append(f"paths: {_brief(raw)} is not absolute (start it with / or ~), skipped")
        elif not path.exists():
            problems.append(f"paths: no such file or folder: {_brief(raw)}, skipped")
        else:
            out.append(path)
    return tuple(out)


def _check_sort(value: Any, problems: list[str]) -> str:
    if not isinstance(value, str) or value not in SORT_KEYS:
        raise _Bad(f"{_brief(value)} is not one of {', '.join(SORT_KEYS)}")
    return value


def _check_bool(value: Any, problems: list[str]) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"must be true or false, not {_brief(value)}")
    return value


def _check_list_width(value: Any, problems: list[str]) -> int:
    low, high = LIST_WIDTH_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Bad(f"must be a whole number of percent from {low} to {high}, not {_brief(value)}")
    return value


def _check_date_format(value: Any, problems: list[str]) -> str:
    if not isinstance(value, str):
        raise _Bad(f"must be a strftime pattern (a string), not {_brief(value)}")
    problem = date_format_problem(value)
    if problem:
        raise _Bad(f"{_brief(value)} {problem}")
    return value


def date_format_problem(pattern: str) -> str:
    """Why a strftime pattern cannot be used for dates on screen, or ""."""
    if not pattern.strip():
        return "is empty"
    try:
        sample = _SAMPLE_DATE.strftime(pattern)
    except (ValueError, OverflowError, UnicodeError) as exc:
        return f"is not a usable strftime pattern ({_one_line(str(exc))})"
    if not sample.isprintable():
        return "makes dates with line breaks or control characters"
    if len(sample) > MAX_DATE_WIDTH:
        return f"makes dates longer than {MAX_DATE_WIDTH} characters"
    return ""


MAX_READ_AFTER = 3600.0


def _check_read_after(value: Any, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_READ_AFTER:
        raise _Bad(f"must be a number of seconds from 0 to {MAX_READ_AFTER:g} (0: only by hand), not {_brief(value)}")
    return float(value)


def _check_theme(value: Any, problems: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"must be a theme name (a string), not {_brief(value)}")
    return value.strip()


def _check_keys(value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Bad(f'must be a table of binding id = "key", not {_brief(value)}')
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        name = f"keys.{_name(binding_id)}"
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        if not isinstance(keys, str):
            problems.append(f'{name}: must be a key name such as "ctrl+e", not {_brief(keys)}; not remapped')
            continue
        parts = [part.strip() for part in keys.split(",")] if keys.strip() != "," else [","]
        bad = [part for part in parts if not _KEY_NAME.match(part)]
        if not keys.strip() or bad:
            problems.append(f"{name}: {_brief(bad[0] if bad else keys)} is not a key name; not remapped")
            continue
        keymap[binding_id] = ",".join(parts)
    return keymap


def _check_browser(value: Any, problems: list[str]) -> tuple[str, ...]:
    try:
        return parse_command(value)
    except ValueError as exc:
        raise _Bad(f"{_brief(value)} {exc}") from None


_CHECKS = {
    "paths": _check_paths,
    "sort": _check_sort,
    "sidebar": _check_bool,
    "list_width": _check_list_width,
    "date_format": _check_date_format,
    "detail_date_format": _check_date_format,
    "theme": _check_theme,
    "keys": _check_keys,
    "watch": _check_bool,
    "browser": _check_browser,
    "read_after": _check_read_after,
}


def format_date(dt: datetime | None, pattern: str, missing: str = "") -> str:
    """A date with a checked pattern; the ISO date if the platform refuses it."""
    if dt is None:
        return missing
    try:
        return dt.strftime(pattern)
    except (ValueError, OverflowError, UnicodeError):
        return dt.date().isoformat()


def date_width(pattern: str) -> int:
    """How wide dates in this pattern are (the widest of a few samples)."""
    samples = (datetime(2024, month, day, 10, 0, tzinfo=UTC) for month, day in ((5, 3), (9, 30), (12, 31)))
    return max(len(format_date(sample, pattern)) for sample in samples)


# -- writing -------------------------------------------------------------------------


def ensure_file(path: Path | None = None) -> Path:
    """Create the settings file with every default commented out, if missing."""
    path = settings_path() if path is None else path
    if not path.exists():
        _write_atomic(path, DEFAULT_TEXT)
    return path


_TOP_THEME = re.compile(r"""^(?P<lead>[ \t]*theme[ \t]*=[ \t]*)(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*')(?P<rest>.*)$""")
_ANY_THEME = re.compile(r"^[ \t]*theme[ \t]*=")
_COMMENTED_THEME = re.compile(r"^[ \t]*#[ \t]*theme[ \t]*=")
_TABLE = re.compile(r"^[ \t]*\[")


def remember_theme(name: str, path: Path | None = None) -> None:
    """Write ``theme = "name"`` into the settings file, changing nothing else.

    Raises :class:`SettingsError` (one line) when the file cannot be edited
    safely: it is not valid TOML, or the edit would not read back as exactly
    the old settings with the new theme.
    """
    import tomllib

    path = settings_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = DEFAULT_TEXT
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read {path}: {exc}") from None
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML ({_one_line(str(exc))}); fix it first") from None
    if before.get("theme") == name:
        if not path.exists():
            _write_atomic(path, text)
        return
    new_text = _with_theme(text, name)
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, "theme": name}:
        raise SettingsError(f"cannot safely edit the theme line of {path}; set theme = {json.dumps(name)} there yourself")
    _write_atomic(path, new_text)


def _with_theme(text: str, name: str) -> str:
    value = json.dumps(name, ensure_ascii=False)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    top = len(lines)
    for i, line in enumerate(lines):
        if _TABLE.match(line):
            top = i
            break
    # An existing top-level `theme = …`: only its value changes.
    for i in range(top):
        line = lines[i]
        if _ANY_THEME.match(line):
            body = line.rstrip("\r\n")
            ending = line[len(body) :]
            match = _TOP_THEME.match(body)
            lines[i] = (match["lead"] + value + match["rest"] if match else f"theme = {value}") + ending
            return "".join(lines)
    # Else a new line: after the commented-out default, or before the first table.
    at = next((i + 1 for i in range(top) if _COMMENTED_THEME.match(lines[i])), None)
    if at is None:
        at = top
        while at > 0 and not lines[at - 1].strip():
            at -= 1
    if at > 0 and not lines[at - 1].endswith(("\n", "\r")):
        lines[at - 1] += newline
    new = [f"theme = {value}{newline}"]
    if at == top and at < len(lines):
        new.append(newline)
    lines[at:at] = new
    return "".join(lines)


def _write_atomic(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, then rename over: never half a file."""
    try:
        write_text_atomically(path, text, keep_mode=True)
    except OSError as exc:
        raise SettingsError(f"cannot write {path}: {exc.strerror or exc}") from None
