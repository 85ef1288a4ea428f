"""What the benchmark scripts share: the collection to measure, a private user folder.

Imported first by every script: it puts the clone's root on ``sys.path``, so
``tui`` (when not installed) and the ``fixtures`` package import.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def collection_args(doc: str | None, count: int) -> argparse.Namespace:
    """The command line of a benchmark measuring one collection:
    ``[COLLECTION] [--count N]`` (``doc``: its help text)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=count, help=f"articles to generate when no COLLECTION (default {count:,})")
    if "--engine" in (doc or ""):
        parser.add_argument("--engine", choices=("memory", "index"), default="memory", help="the search engine measured")
        parser.add_argument("--home", help="the user folder whose index is used (default: a private one, built first)")
    return parser.parse_args()


def collection_from(args: argparse.Namespace) -> Path:
    """The COLLECTION argument, or a generated one of ``--count`` articles
    (made once by fixtures/collection.py, seed 0, kept under benchmarks/out/)."""
    if args.collection:
        return Path(args.collection)
    from fixtures.collection import generate

    root = HERE / "out" / f"gen-{args.count}"
    if not (root / ".complete").exists():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {args.count:,} articles into {root} …", flush=True)
        generate(root, args.count, seed=0)
        (root / ".complete").write_text("ok")
    return root


@contextmanager
def warm_home(root: Path, keep: str | None = None) -> Iterator[Path]:
    """A private user folder (``TUI_READER_HOME``, never the user's own),
    with the index of ``root`` built (or brought up to date) in another
    process, so the measuring process's memory is the reader's alone;
    removed afterwards unless it is ``keep`` (a folder to reuse: at a
    million articles the index takes minutes to build)."""
    home = keep or tempfile.mkdtemp(prefix="tui-bench-")
    os.environ["TUI_READER_HOME"] = home
    try:
        warm = f"from tui.core.catalog.catalog import Catalog; Catalog.open([{str(root)!r}]).close()"
        subprocess.run([sys.executable, "-c", warm], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        yield Path(home)
    finally:
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from
    /proc (Linux; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
        stack.extend(children.get(p, ()))
    return total
