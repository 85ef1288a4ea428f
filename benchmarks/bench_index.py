"""Index speed, compared side by side with a floor measured in the same run.

    python benchmarks/bench_index.py [COLLECTION] [--count 50000]

Without COLLECTION, generates one with gen_collection.py (cached under
benchmarks/out/). Prints, each measured in this run:

* floor: parsing every file's front matter with PyYAML's CSafeLoader in one
  process (read, split at the fences, ``yaml.load``);
* cold: the reader's full index with no cache (all cores), and the ratio to
  the floor (target: at most 0.75);
* warm: start with the cache present (walk + stat + cache read);
* one file changed, then start, and the ratio to warm (target: at most 1.2).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_from  # noqa: E402

FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)


def floor_csafeloader(files: list[str]) -> float:
    import yaml

    started = time.perf_counter()
    for name in files:
        with open(name, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        if text.startswith("---"):
            parts = FENCE.split(text, 2)
            if len(parts) == 3:
                try:
                    yaml.load(parts[1], Loader=yaml.CSafeLoader)
                except yaml.YAMLError:
                    pass
    return time.perf_counter() - started


def best_of(runs: int, fn) -> float:  # noqa: ANN001
    return min(fn() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    args = parser.parse_args()

    root = collection_from(args)

    home = tempfile.mkdtemp(prefix="tui-bench-")
    os.environ["TUI_READER_HOME"] = home
    from tui.core import index
    from tui.core.loader import iter_files

    files = list(iter_files([root]))
    print(f"collection: {root} ({len(files):,} files)")
    # Warm the OS page cache so both sides read from memory.
    for name in files:
        with open(name, "rb") as handle:
            handle.read()

    floor = floor_csafeloader(files)
    print(f"floor   CSafeLoader, one process        {floor:8.2f} s")

    started = time.perf_counter()
    result = index.build([root], use_cache=True)
    cold = time.perf_counter() - started
    print(
        f"cold    full index, {result.stats.workers} workers, no cache   {cold:8.2f} s   ratio {cold / floor:.2f} (target <= 0.75)"
    )

    def warm_run() -> float:
        t = time.perf_counter()
        index.build([root])
        return time.perf_counter() - t

    warm = best_of(3, warm_run)
    print(f"warm    cache present                    {warm:8.3f} s")

    victim = Path(files[len(files) // 2])
    original = victim.read_bytes()
    try:
        victim.write_bytes(
            original.replace(b"title:", b"title: (edited)", 1) if b"title:" in original else b"Edited\n" + original
        )
        t = time.perf_counter()
        changed_result = index.build([root], write_delay=index.WRITE_DELAY)  # as the reader does
        changed = time.perf_counter() - t
        index.flush()
    finally:
        victim.write_bytes(original)
    print(
        f"changed one file edited, then start      {changed:8.3f} s   ratio {changed / warm:.2f} to warm (target <= 1.2)"
        f"   [{changed_result.stats.parsed} parsed]"
    )
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
