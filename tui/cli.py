"""Command line: ``tui-reader [PATH ...]`` opens the reader; subcommands
``list``, ``search``, ``show`` and ``bookmarks`` serve scripts, ``config``
shows or edits the settings file.

A bad argument or path prints one line to stderr and exits with status 2,
never a traceback. Every line written passes the terminal-safe text
functions of :mod:`tui.core.text` (JSON: :func:`~tui.core.text.safe_json`):
nothing from a file, a file name, a bookmark or the settings acts on the
terminal. An unexpected error in the reader exits with status 1 and one
line saying where its full report was written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from tui import __version__
from tui.core.collection import SORT_KEYS, PathError, check_paths
from tui.core.memory import resume_after_start
from tui.core.model import LoadIssue
from tui.core.settings import Settings
from tui.core.text import clean_line, clean_path, safe_json, safe_json_text

SUBCOMMANDS = ("list", "search", "show", "bookmarks", "config")


class UsageError(Exception):
    pass


class NothingReadable(Exception):
    """Every file failed: already reported on stderr, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _reader_parser() -> _Parser:
    parser = _Parser(
        prog="tui-reader",
        description="Read a collection of news articles in the terminal. "
        "With no PATH, opens the paths of the settings file, else the built-in seed collection.",
        epilog="Subcommands for scripts: list, search, show, bookmarks (try 'tui-reader list --help'); "
        "settings: config path, config edit.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (walked recursively)")
    parser.add_argument("--version", action="version", version=f"tui-reader {__version__}")
    return parser


def _command_parser() -> _Parser:
    from tui.core.exchange import FORMATS  # (only the subcommands need it: not imported when the reader starts)

    parser = _Parser(prog="tui-reader", description="tui-reader commands for scripts.")
    parser.add_argument("--version", action="version", version=f"tui-reader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("list", help="list the articles of a collection (date, provider, title, path)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    _json_flags(p)
    p.add_argument("--sort", choices=SORT_KEYS, default=None, help="default: the settings' sort, else date")

    p = sub.add_parser(
        "search",
        help="search a collection, best match first (fzf syntax and facets)",
        description="Search a collection, best match first. Plain words are fuzzy (typos, any order, "
        "beginnings, consonants only); fzf operators: 'exact ^prefix suffix$ !not a | b; facets: "
        'topic:ai topic:"machine learning" provider:reuters is:bookmarked is:unread '
        "after:YYYY-MM-DD before:YYYY-MM-DD (also negated: !topic:x). Every word must match a different word "
        "of the article. Exit status: 0 when something is printed, 1 when nothing matches (as grep).",
    )
    p.add_argument("query", help="what to look for (quote it for the shell); its first 16 words are used")
    p.add_argument("paths", nargs="*", metavar="PATH")
    _json_flags(p)
    p.add_argument("--limit", type=_positive_int, default=20, help="print at most this many (default 20)")
    p.add_argument(
        "--partial",
        action="store_true",
        help="after the articles matching every word, also those missing some (JSON: \"partial\": true, \"missing\")",
    )

    p = sub.add_parser("show", help="show one article, with where its related stories are in the collection")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument(
        "--collection",
        metavar="DIR",
        action="append",
        help="the collection its related entries are looked up in (default: the folder holding PATH); repeatable",
    )

    p = sub.add_parser("bookmarks", help="the bookmark store")
    bsub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    b = bsub.add_parser("list", help="list bookmarks, newest first")
    b.add_argument("--json", action="store_true", help="print a JSON array")
    b = bsub.add_parser("add", help="bookmark an article file")
    b.add_argument("path", metavar="PATH")
    b.add_argument("--tags", default="", help="comma-separated tags")
    b.add_argument("--note", default="", help="a note")
    b = bsub.add_parser("remove", help="remove the bookmark of an article file (or of a bookmark key)")
    b.add_argument("path", metavar="PATH")
    b = bsub.add_parser("export", help="every bookmark, to standard output or a file")
    b.add_argument("--format", choices=FORMATS, default="json", help="json (lossless), html (browsers), md (reading list)")
    b.add_argument(
        "-o", "--output", metavar="FILE", help="write FILE (whole or not at all: a crash leaves the old one) instead of printing"
    )
    b = bsub.add_parser("import", help="merge bookmarks from a JSON, Netscape HTML or Markdown export (no duplicates)")
    b.add_argument("file", metavar="FILE")

    p = sub.add_parser("config", help="the settings file")
    csub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    csub.add_parser("path", help="print where the settings file is")
    csub.add_parser("edit", help="open the settings file in $EDITOR (made with commented defaults if missing)")
    return parser


def _json_flags(p: argparse.ArgumentParser) -> None:
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON array (with read and bookmarked state)")
    out.add_argument("--json-lines", action="store_true", help="print one JSON object per line, as they come (NDJSON)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _print_json(data: Any) -> None:
    sys.stdout.write(safe_json(data, indent=2, default=str) + "\n")


def _say(message: str) -> None:
    """One line on stderr, terminal-safe whatever it quotes."""
    print(f"tui-reader: {clean_line(message)}", file=sys.stderr)


def _settings() -> Settings:
    """The user's settings; each problem is one line on stderr."""
    from tui.core import settings

    loaded, problems = settings.load()
    for problem in problems:
        _say(f"settings: {problem}")
    return loaded


def _catalog(paths: Sequence[str], settings: Settings, update: str = "quick"):  # noqa: ANN202 - (Catalog, Paths)
    """The on-disk index of the collection at ``paths`` (none given: the
    settings' paths, else the seeds), brought up to date first ("quick":
    folders whose time changed; "full": every file), and how to show its paths."""
    from tui.core.catalog.catalog import Catalog
    from tui.core.catalog.schema import IndexUnusable
    from tui.listing import Paths

    roots = check_paths(paths or [str(p) for p in settings.paths])

    def waiting() -> None:
        _say("another tui-reader is indexing this collection; waiting for it…")

    try:
        catalog = Catalog.open(roots, update=update, on_wait=waiting)
    except IndexUnusable as exc:
        raise UsageError(f"the index cannot be used: {exc}") from None
    if catalog.notice:
        _say(catalog.notice)
    issues = catalog.issues()
    for issue in issues:
        _say(f"skipped {clean_path(issue.path)}: {issue.reason}")
    if not len(catalog) and issues:
        raise NothingReadable
    return catalog, Paths(roots)


def cmd_list(args: argparse.Namespace) -> int:
    from tui.listing import Reading, entry_json, row_text, write_json

    settings = _settings()
    catalog, paths = _catalog(args.paths, settings, update="full")  # every row is printed: every file is checked
    rows = (entry for _, entry in catalog.iter_order(args.sort or settings.sort))
    if args.json or args.json_lines:
        reading = Reading()
        write_json((entry_json(e, paths, reading) for e in rows), lines=args.json_lines)
    else:
        for entry in rows:
            print(row_text(entry, paths))
    return 0


def _words_as_paths(query: str, paths: Sequence[str]) -> None:
    """``search facebok fakes``: the words after the first are taken as
    paths; when none of them exists and each looks like a word, say how to
    search for them all (one argument), not only that the path is missing."""
    import os

    from tui.core.text import clean_line

    missing = [p for p in paths if not os.path.exists(os.path.expanduser(p))]
    if missing and all(os.sep not in p and "." not in p and not p.startswith("~") for p in missing):
        words = clean_line(" ".join([query, *missing]).replace('"', ""))
        raise PathError(f'no such file or folder: {clean_line(missing[0])} (to search for several words, quote them: tui-reader search "{words}")')


def cmd_search(args: argparse.Namespace) -> int:
    from tui.core.query import parse_query
    from tui.core.ranking import MAX_WORDS
    from tui.core.search import file_snippet
    from tui.core.text import clean_line
    from tui.listing import Reading, entry_json, row_text, write_json

    _words_as_paths(args.query, args.paths)
    query = parse_query(args.query)
    for error in query.errors:
        _say(f"search: {error}")
    catalog, paths = _catalog(args.paths, _settings())
    reading = Reading() if args.json or args.json_lines or any(f.name == "is" for f in query.facets) else None
    marks = reading.marks(catalog.conn) if reading is not None else None

    def run():  # noqa: ANN202 - (SearchResult, hits)
        found = catalog.search(query, marks=marks)
        return found, found[: args.limit if args.partial else min(args.limit, found.full)]

    found, hits = run()
    # A quick update trusts folder times; an edit in place leaves them alone:
    # the files of the hits are checked, and the search run again if one changed.
    if catalog.refresh([h.index for h in hits]):
        found, hits = run()
    notes = []
    if found.ignored:
        notes.append(f"{len(found.ignored)} word{'s' if len(found.ignored) != 1 else ''} ignored (past the first {MAX_WORDS}): {' '.join(found.ignored)}")
    if found.unmatched:
        notes.append(f"no article has: {' '.join(found.unmatched)}")
    if notes:
        print(clean_line(f"tui-reader: search: {'; '.join(notes)}"), file=sys.stderr)
    if args.json or args.json_lines:

        def rows():  # noqa: ANN202
            for h in hits:
                snippet = h.snippet or (file_snippet(h.entry.path, query) if h.field == "body" else None)
                yield {
                    **entry_json(h.entry, paths, reading),
                    "score": h.score,
                    "field": h.field,
                    "snippet": snippet.text if snippet else None,
                    "partial": h.partial,
                    "missing": list(h.missing),
                }

        write_json(rows(), lines=args.json_lines)
    else:
        for h in hits:
            print(f"{h.score:5.1f}  {row_text(h.entry, paths)}")
    return 0 if hits else 1


def cmd_show(args: argparse.Namespace) -> int:

    from tui.core.loader import read_article

    path = check_paths([args.path])[0]
    roots = check_paths(args.collection) if args.collection else [path.resolve().parent]
    article = read_article(path)
    if isinstance(article, LoadIssue):
        _say(f"{clean_path(article.path)}: {article.reason}")
        return 1
    resolved: list[tuple[str | None, str | None]] = []
    if article.related:
        catalog, paths = _catalog([str(r) for r in roots], _settings())
        for related in article.related:
            i = catalog.resolve(related, by_title=False)
            how = "url" if i is not None else None
            if i is None:
                i = catalog.resolve(related)
                how = "title" if i is not None else None
            entry = catalog.entry(i) if i is not None else None
            resolved.append((paths.shown(entry.path) if entry is not None else None, how))
    if args.json:
        data = article.to_json()
        for item, (local, how) in zip(data["related"], resolved, strict=True):
            item["local_path"] = local
            item["matched_by"] = how
        _print_json(data)
        return 0
    print(clean_line(article.title))
    meta = " · ".join(x for x in (clean_line(article.provider), article.published.isoformat() if article.published else "") if x)
    if meta:
        print(meta)
    if article.url:
        print(clean_line(article.url))
    if article.excerpt:
        print()
        print(clean_line(article.excerpt))
    if article.body.strip():
        print()
        print(article.safe_body)
    if article.related:
        print()
        print(f"Related ({len(article.related)}): ● in the collection, ○ external")
        for related, (local, _) in zip(article.related, resolved, strict=True):
            print(f"{'●' if local else '○'} {clean_line(related.title)}" + (f"  ->  {clean_path(local)}" if local else ""))
    return 0


def _store(writes: bool = False):  # noqa: ANN202 - BookmarkStore, imported when needed
    """The bookmark store, its notice (if any) said on stderr. A command that
    *writes* gets None when the store would only keep changes in memory
    (read-only folder, newer database): one line says nothing was changed."""
    from tui.core.bookmarks import BookmarkStore

    store = BookmarkStore()
    if writes and not store.persistent:
        _say(f"error: {store.notice} Nothing was changed.")
        store.close()
        return None
    if store.notice:
        _say(store.notice)
    return store


def _article_bookmark(path: str):  # noqa: ANN202 - Bookmark
    import os

    from tui.core.bookmarks import Bookmark
    from tui.core.loader import read_article

    if os.path.isdir(path):
        raise UsageError(f"a folder, not an article file: {clean_path(path)}")
    article = read_article(os.path.abspath(path))
    if isinstance(article, LoadIssue):
        raise UsageError(f"cannot read {clean_path(path)}: {article.reason}")
    return Bookmark.from_entry(article.to_entry())


def _bookmark_row(b: Any) -> str:
    date = b.published.strftime("%Y-%m-%d") if b.published else "----------"
    tags = ("  [" + ", ".join(clean_line(t) for t in b.tags) + "]") if b.tags else ""
    return f"{date}  {clean_line(b.provider)[:24]:<24}  {clean_line(b.title)}{tags}"


MAX_IMPORT_BYTES = 256 * 1024 * 1024  # a bookmark file this large is not one (and /dev/zero is no file)


def _read_import(name: str) -> str:
    """The text of a bookmark file to import: a regular file, capped."""
    from tui.core.safe_io import Refused, read_regular

    try:
        data = read_regular(name, MAX_IMPORT_BYTES)
    except Refused as refused:
        raise UsageError(f"cannot read {clean_path(name)}: {refused.reason}") from None
    return data.decode("utf-8-sig", errors="replace")


def _safe_export(text: str, fmt: str) -> str:
    """An export as written to standard output (often a terminal): every
    control character escaped the way its format escapes it."""
    from tui.core.text import clean, safe_html_text

    if fmt == "json":
        return safe_json_text(text)
    if fmt == "html":
        return safe_html_text(text)
    return clean(text)


def _write_export(name: str, text: str) -> None:
    """``bookmarks export -o FILE``: atomically (a symbolic link is written
    through); a folder or a bad place is a one-line error."""
    from pathlib import Path

    from tui.core.atomic import write_text_atomically

    path = Path(name).expanduser()
    if path.is_dir():
        raise UsageError(f"{name} is a folder: give a file name")
    try:
        write_text_atomically(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {name}: {exc.strerror or exc}") from None


def cmd_bookmarks(args: argparse.Namespace) -> int:
    import os
    import sqlite3
    from dataclasses import replace

    from tui.core import exchange
    from tui.core.bookmarks import normalize_tags

    action = args.action
    if action == "add" and not os.path.exists(args.path):
        raise PathError(f"no such file: {clean_path(args.path)}")
    if action == "import":
        text = _read_import(args.file)
        try:
            marks = exchange.parse(text)
        except exchange.BookmarkFileError as exc:
            raise UsageError(f"{clean_path(args.file)}: {exc}") from None
    store = _store(writes=action in ("add", "remove", "import"))
    if store is None:
        return 1
    try:
        if action == "list":
            marks = store.all()
            if args.json:
                _print_json([exchange.to_json_obj(b) for b in marks])
            else:
                for b in marks:
                    print(_bookmark_row(b))
        elif action == "export":
            text = exchange.export(store.all(), args.format)
            if args.output is None or args.output == "-":
                sys.stdout.write(_safe_export(text, args.format))
            else:
                _write_export(args.output, text)
        elif action == "add":
            mark = _article_bookmark(args.path)
            # One transaction: the tags are added to the stored ones (another
            # process's tags stay), a given note replaces the stored one.
            existing = not store.add(replace(mark, tags=normalize_tags(args.tags), note=args.note), replace_note=True)
            print(("Already bookmarked: " if existing else "Bookmarked: ") + clean_line(mark.title))
        elif action == "remove":
            key = _article_bookmark(args.path).key if os.path.isfile(args.path) else None
            if key is None:
                absolute = os.path.abspath(args.path)
                found = [b for b in store.all() if b.key == args.path or b.path in (args.path, absolute)]
                if not found:
                    raise UsageError(f"no bookmark for {clean_path(args.path)}")
                key = found[0].key
            if not store.remove(key):
                raise UsageError(f"no bookmark for {clean_path(args.path)}")
            print(f"Removed the bookmark of {clean_path(args.path)}")
        elif action == "import":
            added, changed = store.merge(marks)
            same = len(marks) - added - changed
            print(f"Imported {len(marks):,} bookmarks: {added:,} new, {changed:,} merged, {same:,} already here.")
    except sqlite3.Error as exc:
        _say(f"the bookmarks could not be saved: {exc}")
        return 1
    finally:
        store.close()
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from tui.core import settings
    from tui.core.editor import EditorError, run_editor

    path = settings.settings_path()
    if args.action == "path":
        print(clean_path(path))
        return 0
    try:
        settings.ensure_file(path)
        status = run_editor(path)
    except (settings.SettingsError, EditorError) as exc:
        _say(f"error: {exc}")
        return 1
    if status != 0:
        _say(f"the editor exited with status {status}")
    _, problems = settings.load(path)
    for problem in problems:
        _say(f"settings: {problem}")
    return 0 if status == 0 else 1


def run_reader(paths: Sequence[str]) -> int:
    from tui.core import settings

    loaded, problems = settings.load()
    roots = check_paths(paths) if paths else list(loaded.paths) or check_paths(paths)
    from tui.core.index import IndexJob
    from tui.core.opening import EarlyOpen
    from tui.core.queried import wanted

    # Start reading the collection now: it overlaps with importing the UI
    # (a collection too big to load: its index is opened, to be queried).
    job = EarlyOpen(roots) if wanted(roots) else IndexJob(roots)
    from tui.core.index import flush
    from tui.ui.app import ReaderApp

    app = ReaderApp(roots, job=job, settings=loaded, problems=problems)
    try:
        app.run()
    except Exception:  # noqa: BLE001 - outside Textual's own loop: reported the same way
        import traceback

        return _crashed(traceback.format_exc())
    finally:
        if isinstance(job, IndexJob):
            job.cancel(wait=2.0)  # if it is still indexing: stop, keeping what was read
        flush()  # a cache write still waiting happens now, not after its delay
    if app.return_code:  # Textual caught an unexpected error and stopped the app
        return _crashed(app.error_report(), app.return_code)
    return 0


def _crashed(report: str, status: int = 1) -> int:
    """An unexpected error stopped the reader: its full report goes to a log
    file, one line on stderr says where, and the status is not 0."""
    import os
    import time

    from tui.core import locations

    folder = locations.log_dir()
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8", errors="replace")
    except OSError as exc:
        sys.stderr.write(report)
        _say(f"stopped by an unexpected error (the report above could not be saved in {clean_path(folder)}: {exc.strerror})")
        return status
    _say(f"stopped by an unexpected error; the full report is in {clean_path(path)}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        try:  # a terminal whose encoding lacks a character shows "?", never a traceback
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass
    try:
        if argv and argv[0] in SUBCOMMANDS:
            resume_after_start(collect=False)  # the reader's waits for its first frame
            args = _command_parser().parse_args(argv)
            handler = {
                "list": cmd_list,
                "search": cmd_search,
                "show": cmd_show,
                "bookmarks": cmd_bookmarks,
                "config": cmd_config,
            }[args.command]
            return handler(args)
        args = _reader_parser().parse_args(argv)
        return run_reader(args.paths)
    except (UsageError, PathError, argparse.ArgumentTypeError) as exc:
        _say(f"error: {exc}")
        return 2
    except NothingReadable:
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tui-reader list | head`: the reader of our output went away.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
