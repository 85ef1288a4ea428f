"""``tui-reader search`` against ``fzf --filter``: the same articles, the same queries, the same run.

    python benchmarks/bench_cli.py [COLLECTION] [--count 50000] [--runs 3]

Without COLLECTION, generates one with gen_collection.py (cached under
benchmarks/out/). The collection's index is built first (in a private user
folder, removed afterwards; or in ``$TUI_READER_HOME`` when it is set, kept
for the next run), then for each query, alternately:

* ``tui-reader search QUERY COLLECTION --limit 20``: a fresh process each
  time (interpreter start, imports, the index brought up to date by folder
  times, the search, the printing), as a script calls it;
* ``fzf --filter QUERY`` reading the articles' title lines from a file (one
  per article, taken from the index) and printing every match.

Prints each query's median of ``--runs`` runs for both, then the median over
the queries and the ratio (target: at most 1.0 at 1,000,000 articles).
Output goes to /dev/null for both. Needs fzf on PATH (Debian's ``fzf``
package).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_from  # noqa: E402

# What people type: remembered words, cut short, misspelt, without vowels,
# a provider and a word, one common word.
QUERIES = [
    "facial recognition",
    "chip export controls",
    "quantum computing",
    "nvidia earnings",
    "facail recog",
    "jpn fcl",
    "reuters drones",
    "robotics",
    "self-driving cars ban",
]


def timed(command: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    started = time.perf_counter()
    with open(os.devnull, "w") as sink, open(stdin or os.devnull, "rb") as source:
        subprocess.run(command, stdin=source, stdout=sink, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("fzf") is None:
        print("fzf is not on PATH (Debian: apt install fzf)")
        return 1
    root = collection_from(args)
    # TUI_READER_HOME set: that folder (its index is reused and kept); else a private one, removed afterwards.
    keep = os.environ.get("TUI_READER_HOME")
    home = keep or tempfile.mkdtemp(prefix="tui-bench-")
    env = {**os.environ, "TUI_READER_HOME": home, "PYTHONPATH": str(HERE.parent)}
    os.environ["TUI_READER_HOME"] = home
    try:
        print(f"collection: {root}; building its index…", flush=True)
        started = time.perf_counter()
        from tui.core.catalog.catalog import Catalog

        catalog = Catalog.open([root])
        print(f"index ready ({len(catalog):,} articles, {time.perf_counter() - started:.0f} s)")
        titles = Path(home) / "titles.txt"
        with open(titles, "w", encoding="utf-8") as out:
            for _, entry in catalog.iter_order("date"):
                out.write(" ".join(entry.title.split()) + "\n")
        catalog.close()
        reader = [sys.executable, "-m", "tui", "search"]
        ours, theirs = [], []
        print(f"{'query':<24} {'tui-reader search':>18} {'fzf --filter':>14}   (median of {args.runs}, process included)")
        for query in QUERIES:
            a, b = [], []
            for _ in range(args.runs):
                a.append(timed([*reader, query, str(root), "--limit", "20"], env))
                b.append(timed(["fzf", "--filter", query], env, titles))
            ours.append(statistics.median(a))
            theirs.append(statistics.median(b))
            print(f"{query:<24} {ours[-1]:17.3f}s {theirs[-1]:13.3f}s")
        mine, fzf = statistics.median(ours), statistics.median(theirs)
        print(f"{'median over queries':<24} {mine:17.3f}s {fzf:13.3f}s   ratio {mine / fzf:.2f} (target <= 1.0)")
    finally:
        if keep:
            (Path(home) / "titles.txt").unlink(missing_ok=True)
        else:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
