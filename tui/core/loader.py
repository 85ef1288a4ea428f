"""Reading article files: bytes in, an :class:`Article` or a :class:`LoadIssue` out.

Nothing in here raises for a bad file: every failure becomes a one-line
reason that the Issues screen and the CLI show.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from tui.core.lean import index_fields
from tui.core.model import DECODE_REPLACED, PLAIN_TEXT, Article, LoadIssue
from tui.core.safe_io import Refused, read_regular
from tui.core.text import clean_line
from tui.core.walk import ARTICLE_SUFFIXES, iter_files, iter_stats

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 4 * 1024 * 1024
MAX_ALIASES = 1000


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (no Python objects), timestamps kept as text.

    Dates are parsed by the model so that an impossible date (2022-13-45)
    costs that field, not the whole file.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    """An integer; one too long for Python to read (over 4,300 digits) stays
    text, so it costs that field (``quality`` reads as no value), not the file."""
    try:
        return loader.construct_yaml_int(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)

# Fields no entry of the index needs: building them is a good part of the
# YAML cost of an article (an image is a mapping of four values, and related
# stories carry theirs too).
INDEX_SKIPS = frozenset({"images", "secured"})


class _IndexLoader(_Loader):
    """The same YAML, minus :data:`INDEX_SKIPS` at any depth: for indexing,
    where only the :class:`Entry` is kept (tests check both give one entry)."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        if isinstance(node, yaml.MappingNode):
            node.value = [
                (k, v) for k, v in node.value if not (isinstance(k, yaml.ScalarNode) and k.value in INDEX_SKIPS)
            ]
        return super().construct_mapping(node, deep=deep)

_YAML = YAMLHandler()
_TOML_FENCE = re.compile(r"^\+{3}\s*$", re.MULTILINE)
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")


def decode(data: bytes) -> tuple[str, int]:
    """Text of a file and flags: UTF-8 (with or without BOM), UTF-16 by BOM,
    anything else decoded with replacement characters and flagged."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), 0
        except UnicodeDecodeError:
            return data.decode("utf-16", errors="replace"), DECODE_REPLACED
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").lstrip("\ufeff"), DECODE_REPLACED


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    return clean_line(f"front matter is not valid YAML: {problem}{where}")


def _load_yaml(fm: str, loader: type = _Loader) -> dict[str, Any] | str:
    """The front matter mapping, or a one-line reason it is not one."""
    if len(fm) > MAX_FRONT_MATTER_BYTES:
        return f"front matter is larger than {MAX_FRONT_MATTER_BYTES // (1024 * 1024)} MiB"
    # An alias bomb needs anchors and more aliases than MAX_ALIASES, each a
    # "*": counting the stars first spares the pattern's scan of every front
    # matter with a "&" (a URL's query: 10% of indexing such files).
    if "&" in fm and fm.count("*") > MAX_ALIASES and len(_ALIAS.findall(fm)) > MAX_ALIASES:
        return f"front matter uses more than {MAX_ALIASES} YAML aliases (alias bomb?)"
    if loader is _IndexLoader:
        lean = index_fields(fm, _Loader)  # only the fields an entry needs (tui/core/lean.py)
        if lean is not None:
            return lean
    try:
        meta = _YAML.load(fm, Loader=loader)
    except yaml.YAMLError as exc:
        return _yaml_problem(exc)
    except RecursionError:
        return "front matter is nested too deeply"
    except (ValueError, TypeError, OverflowError) as exc:
        return clean_line(f"front matter could not be read: {exc}")
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        return f"front matter is a {type(meta).__name__}, not a mapping of fields"
    return {name: v for name, v in ((_key(k), v) for k, v in meta.items()) if name is not None}


def _key(key: object) -> str | None:
    try:
        return key if isinstance(key, str) else str(key)
    except ValueError:  # a huge hex integer as a key: too long to write in decimal
        return None


# A bare integer of thousands of digits in TOML (Python refuses to read it).
_TOML_HUGE_INT = re.compile(r"(?<![\w\"'.+-])([+-]?\d[\d_]{4000,})(?![\w\"'.])")


def _load_toml(text: str) -> dict[str, Any] | str:
    """The TOML mapping, or a one-line reason it is not one. A huge integer
    is kept as text (that field reads as no value) rather than costing the file."""
    import tomllib  # (here: TOML front matter is rare, and the reader's start counts its imports)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return clean_line(f"TOML front matter is not valid: {exc}")
    except RecursionError:
        return "TOML front matter is nested too deeply"
    except ValueError as exc:  # an integer too long for Python to read
        problem = exc
    quoted = _TOML_HUGE_INT.sub(r'"\1"', text)
    if quoted != text:
        try:
            return tomllib.loads(quoted)
        except (ValueError, RecursionError):
            pass
    return clean_line(f"TOML front matter is not valid: {problem}")


def parse_text(path: str, text: str, flags: int = 0, *, for_index: bool = False) -> Article | LoadIssue:
    """Parse decoded text as an article (``for_index``: without the fields
    no index entry needs, see :data:`INDEX_SKIPS`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return LoadIssue(path, "empty file")
    if _YAML.detect(text):
        try:
            fm, body = _YAML.split(text)
        except ValueError:
            return LoadIssue(path, "front matter starts with --- but is never closed")
        meta = _load_yaml(fm, _IndexLoader if for_index else _Loader)
        if isinstance(meta, str):
            return LoadIssue(path, meta)
        return Article(path, meta, body.lstrip("\n"), fm.strip("\n"), flags, _fallback_title(body, path))
    if _TOML_FENCE.match(text):
        parts = _TOML_FENCE.split(text, 2)
        if len(parts) < 3:
            return LoadIssue(path, "front matter starts with +++ but is never closed")
        meta = _load_toml(parts[1])
        if isinstance(meta, str):
            return LoadIssue(path, meta)
        return Article(path, meta, parts[2].lstrip("\n"), parts[1].strip("\n"), flags, _fallback_title(parts[2], path))
    # Plain text: the first non-empty line is the title, the rest the body.
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title = clean_line(line)
            body = "\n".join(lines[i + 1 :]).strip("\n")
            return Article(path, {}, body, "", flags | PLAIN_TEXT, title)
    return LoadIssue(path, "empty file")  # pragma: no cover - caught above


def _fallback_title(body: str, path: str) -> str:
    for line in body.split("\n", 50)[:50]:
        line = line.strip().lstrip("#").strip()
        if line:
            return clean_line(line)[:200]
    return clean_line(Path(path).stem)  # a file name may hold anything


def parse_bytes(path: str, data: bytes, *, for_index: bool = False) -> Article | LoadIssue:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:65536]:
        return LoadIssue(path, "binary file (contains NUL bytes)")
    text, flags = decode(data)
    return parse_text(path, text, flags, for_index=for_index)


def read_article(path: str | os.PathLike[str], *, for_index: bool = False) -> Article | LoadIssue:
    """Read one file in full. Never raises, never blocks: only a regular file
    is read (a FIFO, a device such as /dev/tty or /dev/zero, a folder is an
    issue saying so), and at most :data:`MAX_FILE_BYTES` of it."""
    name = os.fspath(path)
    try:
        data = read_regular(name, MAX_FILE_BYTES)
    except Refused as refused:
        return LoadIssue(name, refused.reason)
    return parse_bytes(name, data, for_index=for_index)


__all__ = ["ARTICLE_SUFFIXES", "read_article", "parse_bytes", "parse_text", "iter_files", "iter_stats", "decode"]
