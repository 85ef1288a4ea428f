"""What one page of the article list costs to draw, side by side with Textual's own line path.

    python benchmarks/bench_paint.py [COLLECTION] [--count 50000] [--pages 200]

Runs the reader headless (160x48) on a warm cache and, for ``--pages``
page-sized scroll positions, times drawing the whole list (46 rows):

* the list's own lines (``VirtualList.render_lines``: its rows plus the line
  end Textual would add);
* the same lines through Textual's generic line styling
  (``Widget.render_lines``), for comparison;
* the list's scrollbar (``QuickScrollBar``) at each position.

Prints the median and p95 of each. Run it pinned to one core (``taskset -c 0``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import collection_from, warm_home  # noqa: E402


def ms(values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[-1]
    return f"p50 {statistics.median(values) * 1000:5.2f} ms   p95 {p95 * 1000:5.2f} ms"


async def run(root: Path, pages: int) -> None:
    import tui.ui  # noqa: F401  (first: it sets Textual's frame rate, as the reader does)
    from textual.geometry import Region
    from textual.widget import Widget

    from tui.core.bookmarks import BookmarkStore
    from tui.ui.app import ReaderApp

    app = ReaderApp([root], BookmarkStore())
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        for _ in range(600):
            if main.graph is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        listing = main.article_list
        listing.focus()
        await pilot.pause(0.3)
        bar = listing.vertical_scrollbar
        page = listing.scrollable_content_region.height - 1
        whole = Region(0, 0, *listing.region.size)
        quick, generic, scrollbar = [], [], []
        for i in range(pages):
            listing.scroll_to(y=(i * page) % max(1, len(main.rows) - page), animate=False, immediate=True)
            started = time.perf_counter()
            listing.render_lines(whole)
            quick.append(time.perf_counter() - started)
            listing._styles_cache.clear()  # nothing kept from before: every line drawn, as after a page down
            started = time.perf_counter()
            Widget.render_lines(listing, whole)
            generic.append(time.perf_counter() - started)
            started = time.perf_counter()
            bar.render_lines(Region(0, 0, *bar.region.size))
            scrollbar.append(time.perf_counter() - started)
        print(f"collection: {root}; {len(main.rows):,} rows, {whole.height} on screen")
        print(f"list, its own lines          {ms(quick)}")
        print(f"list, Textual's line styling {ms(generic)}   ratio {statistics.median(quick) / statistics.median(generic):.2f}")
        print(f"scrollbar, at each position  {ms(scrollbar)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    root = collection_from(args)
    with warm_home(root):
        asyncio.run(run(root, args.pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
