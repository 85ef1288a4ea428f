"""Start-up to first paint, side by side with a minimal Textual app.

    python benchmarks/bench_startup.py [COLLECTION] [--count 50000] [--runs 5]

Each measurement is a fresh process (interpreter start included), run
headless at 160x48; the reader is the ``tui-reader COLLECTION`` command
itself. The time is from just before the process is started to the moment
the first line is painted: for the minimal app, one ``Static``;
for the reader, the first article row of the list. Prints the median of
``--runs`` runs of each, interleaved, and the ratio (target: at most 2.0).
Also prints the reader's cold start to the first screen with progress
visible (no cache; median and slowest of ``--runs``; target under 1 s).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

MINIMAL = r"""
import sys, time
from textual.app import App
from textual.widgets import Static

class Probe(Static):
    def render_line(self, y):
        strip = super().render_line(y)
        if not getattr(sys, "_painted", False):
            sys._painted = True
            print(time.time(), flush=True)
            self.app.call_later(self.app.exit)
        return strip

class Minimal(App):
    def compose(self):
        yield Probe("Hello")

Minimal().run(headless=True, size=(160, 48))
"""

READER = r"""
import importlib.util, sys, time

# The real command, `tui-reader COLLECTION` (tui/__main__.py: its imports,
# settings and early index job in their own order), run headless at 160x48.
# The probe hooks into two modules as they are first imported, so that it
# changes nothing of that order.
WANT = sys.argv[2]  # "rows": first article row; "screen": anything, e.g. the progress line


def probe_list(module):
    original = module.VirtualList.render_line

    def render_line(self, y):
        strip = original(self, y)
        ready = bool(self.row_count()) if WANT == "rows" else True
        if type(self).__name__ == "ArticleList" and ready and not getattr(sys, "_painted", False):
            sys._painted = True
            print(time.time(), flush=True)
            self.app.call_later(self.app.exit)
        return strip

    module.VirtualList.render_line = render_line


def headless(module):
    run = module.ReaderApp.run
    module.ReaderApp.run = lambda self, **kwargs: run(self, headless=True, size=(160, 48))


HOOKS = {"tui.ui.widgets.virtual_list": probe_list, "tui.ui.app": headless}


class Probe:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in HOOKS:
            return None
        sys.meta_path.remove(Probe)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, Probe)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            HOOKS[name](module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Probe)
sys.argv = ["tui-reader", sys.argv[1]]
from tui.__main__ import main

sys.exit(main())
"""


def timed(code: str, *args: str, env: dict[str, str]) -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"probe failed: {out.stderr[-2000:]}")
    return float(lines[0]) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from _common import collection_from

    root = collection_from(args)

    # Byte-compile the package first, as installing it does: with
    # PYTHONDONTWRITEBYTECODE set (or a read-only checkout), every start would
    # otherwise compile the reader's modules from source, unlike Textual's.
    compileall.compile_dir(str(ROOT / "tui"), quiet=1)

    # TUI_READER_HOME set: the warm runs use that folder (its index is reused and kept).
    keep = os.environ.get("TUI_READER_HOME")
    home = keep or tempfile.mkdtemp(prefix="tui-bench-")
    env = {**os.environ, "TUI_READER_HOME": home, "PYTHONPATH": str(ROOT)}
    print(f"collection: {root}")

    # Cold: no cache yet (a fresh user folder each run). The first screen,
    # progress visible, must come fast while the workers start indexing.
    cold = []
    for _ in range(args.runs):
        fresh = tempfile.mkdtemp(prefix="tui-bench-cold-")
        cold.append(timed(READER, str(root), "screen", env={**env, "TUI_READER_HOME": fresh}))
        shutil.rmtree(fresh, ignore_errors=True)
    print(f"cold start, first screen with progress      {statistics.median(cold):6.3f} s, slowest {max(cold):.3f} s (median of {args.runs}; target < 1 s)")
    # Build the index and save the first screen, as every full load of the
    # reader does (here from the on-disk index: at a million articles, the
    # reader's in-memory load is what Phase 2 of issue 17 removes).
    from tui.core import index
    from tui.core.catalog.catalog import Catalog

    os.environ["TUI_READER_HOME"] = home
    catalog = Catalog.open([root])
    first = [entry.path for _, entry in catalog.rows("date", 0, index.FIRST_SCREEN_ROWS)]
    index.save_first_screen(catalog.path, "date", first, len(catalog))
    catalog.close()

    minimal, reader = [], []
    for _ in range(args.runs):
        minimal.append(timed(MINIMAL, env=env))
        reader.append(timed(READER, str(root), "rows", env=env))
    m, r = statistics.median(minimal), statistics.median(reader)
    print(f"minimal Textual app, first line painted     {m:6.3f} s (median of {args.runs})")
    print(f"reader, warm start, first rows painted      {r:6.3f} s (median of {args.runs})")
    print(f"ratio                                       {r / m:6.2f}   (target <= 2.0)")

    # One file edited in place while the reader was closed (the folder is unchanged).
    victim = min((p for p in root.rglob("*.md")), key=lambda p: p.name)
    original = victim.read_bytes()
    try:
        victim.write_bytes(
            original.replace(b"title:", b"title: (edited)", 1) if b"title:" in original else b"Edited\n" + original
        )
        changed = statistics.median(timed(READER, str(root), "rows", env=env) for _ in range(args.runs))
    finally:
        victim.write_bytes(original)
    print(f"reader, one file edited, first rows painted {changed:6.3f} s   ratio {changed / r:.2f} to warm (target <= 1.2)")
    if not keep:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
