"""Walking a collection: every article file under some paths, with the
``mtime_ns`` and size the index cache compares (no parsing here, so this
module imports nothing heavy)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.core.model import LoadIssue
from tui.core.safe_io import reason_for, refusal

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


def iter_files(roots: Iterable[Path], issues: list[LoadIssue] | None = None) -> Iterator[str]:
    """Every article file under the given files and folders, each once."""
    for path, _, _ in iter_stats(roots, issues):
        yield path


def iter_stats(
    roots: Iterable[Path], issues: list[LoadIssue] | None = None, folders: list[tuple[str, int]] | None = None
) -> Iterator[tuple[str, int, int]]:
    """(path, mtime_ns, size) of every article file under the given files and
    folders, each once; ``folders`` receives (folder, mtime_ns) of every
    folder walked (adding, removing or renaming a file changes its folder's).

    Folders are walked recursively (symlinked folders too, loops broken);
    hidden files and folders are skipped. A file named explicitly is taken
    whatever its suffix. Only regular files are articles: a FIFO, a device
    (a symlink to /dev/tty or /dev/zero), a socket is an issue naming what
    it is, and so is a folder that cannot be read (its path longer than the
    system allows, say): nothing is skipped silently. (The stat here only
    sorts; the read checks the open file again, see :mod:`tui.core.safe_io`.)
    """
    for folder, st, files in iter_folders(roots, issues):
        if folder is not None and st is not None and folders is not None:
            folders.append((folder, st.st_mtime_ns))
        yield from files


Stats = tuple[str, int, int]  # path, mtime_ns, size


def iter_folders(
    roots: Iterable[Path | str], issues: list[LoadIssue] | None = None, seen_dirs: set[tuple[int, int]] | None = None
) -> Iterator[tuple[str | None, os.stat_result | None, list[Stats]]]:
    """:func:`iter_stats` a folder at a time: (folder, its stat, its article
    files) for each folder walked, and (None, None, [the file]) for each file
    named explicitly. ``seen_dirs`` holds (st_dev, st_ino) of folders not to
    walk (again)."""

    def problem(path: str, reason: str) -> None:
        if issues is not None:
            issues.append(LoadIssue(path, reason))

    seen_dirs = set() if seen_dirs is None else seen_dirs
    roots = list(roots)
    # Files named explicitly: taken once, and not again from a folder walked.
    # (Any other file has one path: folders are walked once each, by identity,
    # so a million files need no set of their paths.)
    explicit = {os.fspath(r) for r in roots if not os.path.isdir(r)}
    seen_files: set[str] = set()
    for root in roots:
        root_name = os.fspath(root)
        if not os.path.isdir(root_name):
            if root_name not in seen_files:
                seen_files.add(root_name)
                try:
                    st = os.stat(root_name)
                except OSError as exc:
                    problem(root_name, reason_for(exc))
                    continue
                if refusal(st.st_mode):
                    problem(root_name, refusal(st.st_mode))
                    continue
                yield None, None, [(root_name, st.st_mtime_ns, st.st_size)]
            continue
        stack = [root_name]
        while stack:
            folder = stack.pop()
            try:
                st = os.stat(folder)
            except OSError as exc:
                problem(folder, f"cannot read this folder: {reason_for(exc)}")
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            files, subdirs = list_folder(folder, issues)
            yield folder, st, [f for f in files if f[0] not in explicit] if explicit else files
            stack.extend(reversed(subdirs))


def list_folder(folder: str, issues: list[LoadIssue] | None = None) -> tuple[list[tuple[str, int, int]], list[str]]:
    """One folder, not recursively: (path, mtime_ns, size) of its article
    files and the paths of its sub-folders, both by name; hidden ones
    skipped. What cannot be read is an issue."""

    def problem(path: str, reason: str) -> None:
        if issues is not None:
            issues.append(LoadIssue(path, reason))

    try:
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problem(folder, f"cannot list this folder: {reason_for(exc)}")
        return [], []
    files: list[tuple[str, int, int]] = []
    subdirs: list[str] = []
    for item in items:
        name = item.name
        if name.startswith("."):
            continue
        try:
            is_dir = item.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            subdirs.append(item.path)
            continue
        if not name.lower().endswith(ARTICLE_SUFFIXES):
            continue
        try:
            st = item.stat()
        except FileNotFoundError:
            problem(item.path, "dangling symlink" if item.is_symlink() else "file vanished while reading the folder")
            continue
        except OSError as exc:
            problem(item.path, reason_for(exc))
            continue
        if refusal(st.st_mode):
            problem(item.path, refusal(st.st_mode))
            continue
        files.append((item.path, st.st_mtime_ns, st.st_size))
    return files, subdirs


def names_at_least(roots: Iterable[str | os.PathLike[str]], count: int) -> bool:
    """Whether the folders hold ``count`` article file names or more (hidden
    ones skipped, as the walk does; no stat: the directory entries' types)."""
    seen = 0
    stack = [os.fspath(r) for r in roots if os.path.isdir(r)]
    visited: set[str] = set()
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir():
                        stack.append(entry.path)
                    elif entry.name.endswith(ARTICLE_SUFFIXES):
                        seen += 1
                        if seen >= count:
                            return True
        except OSError:
            continue
    return False
