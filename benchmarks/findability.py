"""Findability of stories, this reader against fzf (the queries: fixtures/findability.py).

    python benchmarks/findability.py [COLLECTION] [--count 5000] [--targets 150] [--seed 1]
    python benchmarks/findability.py --corpus-only

See ``fixtures/findability.py`` for the kinds of query and the targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from _common import collection_from

from fixtures.findability import CORPUS, KINDS, evaluate, print_table


def run(root: Path, name: str, targets: int, seed: int, with_fzf: bool, show_misses: int) -> bool:
    from tui.core.collection import Collection

    collection = Collection.load([root])
    result = evaluate(collection.entries, targets, seed, with_fzf)
    ok = print_table(name, len(collection.entries), result, with_fzf)
    for kind, query, title, got in result.misses[:show_misses]:
        print(f"  miss [{kind}] {query!r}: wanted {title!r}; got {got!r}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=5000, help="articles to generate when no COLLECTION (default 5000)")
    parser.add_argument("--targets", type=int, default=150, help="targets per kind of query (default 150)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-fzf", action="store_true", help="score this reader only")
    parser.add_argument("--misses", type=int, default=0, help="print this many of the reader's misses at 1")
    parser.add_argument("--corpus-only", action="store_true")
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
        ok &= run(root, f"generated collection {root}", args.targets, args.seed, with_fzf, args.misses)
    if CORPUS.is_dir():
        ok &= run(CORPUS, f"real corpus {os.path.relpath(CORPUS)}", args.targets, args.seed, with_fzf, args.misses)
    else:
        print(f"\nreal corpus: {CORPUS} is absent, skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
