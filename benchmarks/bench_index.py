"""Index speed and memory, compared side by side with a floor measured in the same run.

    python benchmarks/bench_index.py [COLLECTION] [--count 50000] [--floor-every 1]

Without COLLECTION, generates one with gen_collection.py (cached under
benchmarks/out/). Prints, each measured in this run:

* floor: parsing every file's front matter with PyYAML's CSafeLoader in one
  process (read, split at the fences, ``yaml.load``); ``--floor-every K``
  parses every K-th file only and multiplies by K (an estimate, said so);
* cold: the on-disk index built from nothing (all cores, a fresh process and
  cache folder), its time and the ratio to the floor (target: at most
  0.75), and the peak memory of the process and its workers together
  (target: at most 1 GB at 1,000,000 articles), and the index's size;
* warm: an update with nothing changed, trusting folder times (what a
  command does) and stat'ing every file (what the reader does);
* one file changed, then a full update, and the ratio to warm (target: at most 1.2).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_from, tree_rss  # noqa: E402

FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
COLD = "import sys; from tui.core.catalog import build; s = build.update([sys.argv[1]], full=True); print(s.files, s.parsed, s.workers)"


def floor_csafeloader(files: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds)."""
    import yaml

    started, cpu = time.perf_counter(), time.process_time()
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
    return time.perf_counter() - started, time.process_time() - cpu


def cold_build(root: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (the process and its workers), peak RSS of
    the process tree (bytes, sampled every 0.1 s), its output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", COLD, str(root)], env=env, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the cold build failed (exit {process.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, cpu, peak, out.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--floor-every", type=int, default=1, help="parse every K-th file for the floor, times K (default 1: all)")
    parser.add_argument("--skip-floor", action="store_true", help="no floor (the cold time alone)")
    args = parser.parse_args()

    root = collection_from(args)
    home = tempfile.mkdtemp(prefix="tui-bench-")
    env = {**os.environ, "TUI_READER_HOME": home, "PYTHONPATH": str(HERE.parent)}
    os.environ["TUI_READER_HOME"] = home
    from tui.core.catalog import build, schema
    from tui.core.walk import iter_files

    files = list(iter_files([root]))
    print(f"collection: {root} ({len(files):,} files)")
    # Warm the OS page cache so both sides read from memory (as far as it holds them).
    for name in files:
        with open(name, "rb") as handle:
            handle.read()

    floor = floor_cpu = None
    if not args.skip_floor:
        k = max(1, args.floor_every)
        floor, floor_cpu = (x * k for x in floor_csafeloader(files[::k]))
        note = f" (every {k}th file, x{k}: an estimate)" if k > 1 else ""
        print(f"floor   CSafeLoader, one process        {floor:8.2f} s   (CPU {floor_cpu:.2f} s){note}")

    cold, cpu, peak, out = cold_build(root, env)
    ratio = f"   ratio {cold / floor:.2f} (target <= 0.75)" if floor else ""
    print(f"cold    on-disk index, all cores         {cold:8.2f} s{ratio}   [{out}: files, parsed, workers]")
    if floor_cpu:
        print(f"        CPU, process and workers         {cpu:8.2f} s   ratio {cpu / floor_cpu:.2f} to the floor's CPU (on a machine shared with others, the steadier figure)")
    print(f"        peak memory, process and workers {peak / 2**20:8.0f} MB (target <= 1024 at 1,000,000)")
    index_file = schema.index_path([root])
    size = sum(os.path.getsize(f"{index_file}{s}") for s in ("", "-wal") if os.path.exists(f"{index_file}{s}"))
    print(f"        index size                       {size / 2**20:8.0f} MB ({size / max(1, len(files)):.0f} bytes an article)")

    def timed(full: bool) -> float:
        t = time.perf_counter()
        build.update([root], full=full)
        return time.perf_counter() - t

    quick = statistics.median(timed(False) for _ in range(5))
    warm = statistics.median(timed(True) for _ in range(3))
    print(f"warm    nothing changed, folder times    {quick:8.3f} s (median of 5; what a command does)")
    print(f"warm    nothing changed, every file      {warm:8.3f} s (median of 3; what the reader does)")

    victim = Path(files[len(files) // 2])
    original = victim.read_bytes()
    try:
        victim.write_bytes(
            original.replace(b"title:", b"title: (edited)", 1) if b"title:" in original else b"Edited\n" + original
        )
        t = time.perf_counter()
        changed_stats = build.update([root], full=True)
        changed = time.perf_counter() - t
    finally:
        victim.write_bytes(original)
        build.update([root], full=True)
    print(
        f"changed one file edited, then an update  {changed:8.3f} s   ratio {changed / warm:.2f} to warm (target <= 1.2)"
        f"   [{changed_stats.parsed} parsed]"
    )
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
