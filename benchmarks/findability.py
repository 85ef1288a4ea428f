"""Findability of stories, this reader against fzf (the queries: fixtures/findability.py).

    python benchmarks/findability.py [COLLECTION] [--count 5000] [--targets 150] [--seed 1]
    python benchmarks/findability.py --corpus-only

See ``fixtures/findability.py`` for the kinds of query and the targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from _common import collection_from

from fixtures.findability import CORPUS, KINDS, Words, evaluate, print_table


def run(
    root: Path,
    name: str,
    targets: int,
    seed: int,
    with_fzf: bool,
    show_misses: int,
    engine: str = "index",
    among: Path | None = None,
    distinctive: bool = False,
) -> bool:
    if among is not None:
        return _run_among(root, among, name, targets, seed, show_misses, distinctive)
    if engine == "memory":
        from tui.core.collection import Collection

        entries = Collection.load([root]).entries
        result = evaluate(entries, targets, seed, with_fzf)
    else:
        from tui.core.catalog.catalog import Catalog

        catalog = Catalog.open([root], update="full")
        ids = {e.path: i for i, e in catalog.iter_order("date")}
        entries = [catalog.entry(i) for i in ids.values()]

        def on_index(ordered: Sequence) -> Callable[[str], list[int]]:
            position = {ids[e.path]: k for k, e in enumerate(ordered)}

            def answer(query: str) -> list[int]:
                return [position[h.index] for h in catalog.search(query)[:5]]

            return answer

        result = evaluate(entries, targets, seed, with_fzf, on_index)
    ok = print_table(f"{name}, engine: {engine}", len(entries), result, with_fzf)
    for kind, query, title, got in result.misses[:show_misses]:
        print(f"  miss [{kind}] {query!r}: wanted {title!r}; got {got!r}")
    return ok


def _run_among(root: Path, among: Path, name: str, targets: int, seed: int, show_misses: int, distinctive: bool = False) -> bool:
    """Held out: the queries made for ``root``'s articles alone, answered by
    the on-disk index of ``root`` and ``among`` together (a hit from
    ``among`` in the target's place is a miss). ``distinctive``: the query
    words are those that single the story out among them all, as a person
    who finds two words fit many stories types a third."""
    from tui.core.catalog.catalog import Catalog

    # ``among`` may hold ``root`` already (a symbolic link to it inside):
    # then among's own index is used, updated with it, not a new one.
    inside = [p for p in among.iterdir() if p.is_symlink() and p.resolve() == root.resolve()]
    catalog = Catalog.open([among] if inside else [root, among])
    base = inside[0] if inside else root
    own = {os.path.abspath(p) for p in base.rglob("*") if p.is_file()}
    ids = {e.path: i for i, e in catalog.iter_order("date") if e.path in own} if len(catalog) < 200_000 else _ids_under(catalog, own)
    entries = [catalog.entry(i) for i in ids.values()]

    def on_index(ordered: Sequence) -> Callable[[str], list[int]]:
        position = {ids[e.path]: k for k, e in enumerate(ordered)}

        def answer(query: str) -> list[int]:
            return [position.get(h.index, -1) for h in catalog.search(query)[:5]]

        return answer

    words = (lambda entries: _IndexWords(entries, catalog.conn)) if distinctive else None
    result = evaluate(entries, targets, seed, False, on_index, words)
    how = "; query words distinctive among them all" if distinctive else "; query words distinctive among the real corpus"
    ok = print_table(f"{name}, hidden among {len(catalog) - len(entries):,} articles of {among}{how}", len(entries), result, False)
    for kind, query, title, got in result.misses[:show_misses]:
        print(f"  miss [{kind}] {query!r}: wanted {title!r}; got {got!r}")
    return ok


class _IndexWords(Words):
    """Which articles hold a word, from the on-disk index of the whole
    collection (instead of the real corpus's articles alone). Nothing is
    counted up front (the base class counts ``entries``): the index answers."""

    def __init__(self, entries: Sequence, conn: sqlite3.Connection) -> None:  # noqa: D107 - see the class

        self.entries = entries
        self.conn = conn
        self.title_df = _TitleCounts(conn)
        self._held: dict[str, set[int]] = {}

    def holding(self, word: str) -> set[int]:
        found = self._held.get(word)
        if found is None:
            quoted = word.replace('"', "")
            match = "{title provider topics excerpt}: " + f'"{quoted}"'
            found = self._held[word] = {i for (i,) in self.conn.execute("SELECT rowid FROM words WHERE words MATCH ?", (match,))}
        return found

    def all_titled(self, docs: set[int], title: str) -> bool:
        if len(docs) > 100:
            return False
        rows = self.conn.execute(f"SELECT title FROM entries WHERE id IN ({','.join('?' * len(docs))})", list(docs))
        return all(t == title for (t,) in rows)


class _TitleCounts(dict):
    """word -> how many titles of the whole collection hold it (the index's vocabulary)."""

    def __init__(self, conn: sqlite3.Connection) -> None:  # noqa: D107
        super().__init__()
        self.conn = conn

    def __missing__(self, word: str) -> int:
        row = self.conn.execute("SELECT title FROM vocab WHERE word = ?", (word,)).fetchone()
        self[word] = found = row[0] if row else 0
        return found


def _ids_under(catalog: object, own: set[str]) -> dict[str, int]:
    """Ids of these paths (without walking a million entries)."""
    out = {}
    for path in sorted(own):
        i = catalog.id_of(path)  # type: ignore[attr-defined]
        if i is not None:
            out[path] = i
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=5000, help="articles to generate when no COLLECTION (default 5000)")
    parser.add_argument("--targets", type=int, default=150, help="targets per kind of query (default 150)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-fzf", action="store_true", help="score this reader only")
    parser.add_argument("--misses", type=int, default=0, help="print this many of the reader's misses at 1")
    parser.add_argument("--corpus-only", action="store_true")
    parser.add_argument(
        "--among",
        type=Path,
        help="held out: the real corpus's queries answered among this collection too (on-disk index; e.g. a million generated)",
    )
    parser.add_argument(
        "--distinctive",
        action="store_true",
        help="with --among: query words that single the story out among the whole collection (not the real corpus alone)",
    )
    parser.add_argument(
        "--engine",
        choices=("index", "memory"),
        default="index",
        help="index: the on-disk index (tui-reader search); memory: the in-memory word index (default: index)",
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds of query to make (default: all)")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k in KINDS]
    if kinds:
        KINDS[:] = kinds
    with_fzf = not args.no_fzf
    if with_fzf and shutil.which("fzf") is None:
        print("fzf not found: scoring this reader only")
        with_fzf = False
    ok = True
    if not args.corpus_only:
        root = collection_from(args)
        ok &= run(root, f"generated collection {root}", args.targets, args.seed, with_fzf, args.misses, args.engine)
    if CORPUS.is_dir():
        ok &= run(
            CORPUS, f"real corpus {os.path.relpath(CORPUS)}", args.targets, args.seed, with_fzf, args.misses, args.engine, args.among,
            args.distinctive,
        )
    else:
        print(f"\nreal corpus: {CORPUS} is absent, skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
