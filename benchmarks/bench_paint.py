"""What each of the reader's fast paths saves, side by side with Textual's own way, in one run.

    taskset -c 0 python benchmarks/bench_paint.py [COLLECTION] [--count 50000] [--pages 200] [--opens 60]

Runs the reader headless (160x48) on a warm cache and measures, each path
and Textual's own alternating in the same run:

* lines: one page of the article list (46 rows) drawn by the list's own
  line path (``VirtualList.render_lines``: its rows plus the line end
  Textual would add) and by Textual's generic line styling
  (``Widget.render_lines``); the whole frame of a page down is
  ``bench_ui.py``'s "page down";
* scrollbar: the list's scrollbar drawn by ``QuickScrollBar`` and by
  Textual's ``ScrollBar``, at each page position;
* layout: opening an article (selection -> the screen refresh that shows
  it), and a keystroke in the jump box, with the detail pane and the lists
  taking their new length without a layout of the screen (``layout=False``),
  and with Textual's own ``virtual_size`` (a layout of the whole screen);
* frames: a cursor step, key to list painted (wall clock), with the
  screen's frames at 120 a second (the reader's) and at Textual's 60.

Prints the median and p95 of each, and what the fast path saves. Work is
timed in CPU time of the UI thread (``time.thread_time``), so other
processes on a shared machine do not count; the frame rate is latency, in
wall-clock time. Run it pinned to one core (``taskset -c 0``).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from pathlib import Path

from _common import collection_from, warm_home

# CPU time of the UI thread: what the reader's own work costs, whatever else
# the machine (or the reader's loading threads) does meanwhile.
clock = time.thread_time


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def ms(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:6.2f} ms   p95 {p95(values) * 1000:6.2f} ms"


def saving(fast: list[float], slow: list[float]) -> str:
    return f"saves p50 {(statistics.median(slow) - statistics.median(fast)) * 1000:5.2f} ms, p95 {(p95(slow) - p95(fast)) * 1000:5.2f} ms"


async def run(root: Path, pages: int, opens: int) -> None:
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.scrollbar import ScrollBar
    from textual.widget import Widget

    from tui.core.bookmarks import BookmarkStore
    from tui.ui.app import ReaderApp
    from tui.ui.widgets.detail import DetailPane
    from tui.ui.widgets.virtual_list import VirtualList

    app = ReaderApp([root], BookmarkStore())
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        session = main.session
        for _ in range(600):
            if session.graph is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        listing = main.panes.article_list
        listing.focus()
        await pilot.pause(0.3)
        rows = len(session.rows)

        # -- one page of the list and its scrollbar, each drawn both ways ----------------------
        bar = listing.vertical_scrollbar
        page = listing.scrollable_content_region.height - 1
        whole = Region(0, 0, *listing.region.size)
        bar_region = Region(0, 0, *bar.region.size)
        own, generic, quick_bar, textual_bar = [], [], [], []
        for i in range(pages):
            listing.scroll_to(y=(i * page) % max(1, rows - page), animate=False, immediate=True)
            listing.refresh_rows()
            started = clock()
            VirtualList.render_lines(listing, whole)
            own.append(clock() - started)
            listing._styles_cache.clear()  # nothing kept from before: every line drawn, as after a page down
            started = clock()
            Widget.render_lines(listing, whole)
            generic.append(clock() - started)
            bar.refresh()
            bar._key = None  # its strips are made again, as when it moved
            started = clock()
            bar.render_lines(bar_region)
            quick_bar.append(clock() - started)
            bar._styles_cache.clear()
            started = clock()
            ScrollBar.render_lines(bar, bar_region)
            textual_bar.append(clock() - started)
        print(f"collection: {root}; {rows:,} rows, {whole.height} on screen")
        print(f"lines      the list's own         {ms(own)}")
        print(f"           Textual's line styling {ms(generic)}   {saving(own, generic)} per page drawn")
        print(f"scrollbar  QuickScrollBar         {ms(quick_bar)}")
        print(f"           Textual's ScrollBar    {ms(textual_bar)}   {saving(quick_bar, textual_bar)} per bar drawn")

        # -- layout: opening an article with and without a layout of the screen -------------
        painted: list[tuple[float, str | None]] = []
        wake = asyncio.Event()
        original = Screen._compositor_refresh

        def recording(screen: Screen) -> None:
            original(screen)
            shown = main.panes.detail.article
            painted.append((clock(), shown.path if shown is not None else None))
            wake.set()

        async def first_paint(started: float, wanted: object = None) -> float | None:
            """CPU time from *started* to the first refresh (showing *wanted*, if given)."""
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                wake.clear()
                done = [t for t, path in painted if wanted is None or path == wanted]
                if done:
                    return done[0] - started
                try:
                    await asyncio.wait_for(wake.wait(), 0.5)
                except TimeoutError:
                    pass
            return None

        Screen._compositor_refresh = recording  # type: ignore[method-assign]
        laid_out = Widget.__dict__["virtual_size"]  # Textual's own: a new length lays out the screen
        own_sizes = {cls: cls.__dict__["virtual_size"] for cls in (DetailPane, VirtualList)}  # the sidebar is a VirtualList

        def use_layout(layout: bool, own_sizes: dict[type, object]) -> None:
            for cls, descriptor in own_sizes.items():
                cls.virtual_size = laid_out if layout else descriptor  # type: ignore[misc]

        rng = random.Random(2)
        without, with_layout = [], []
        try:
            for k in range(opens * 2):
                layout = k % 2 == 1
                use_layout(layout, own_sizes)
                entry = session.rows[rng.randrange(rows)]
                await asyncio.sleep(0.15)
                painted.clear()
                started = clock()
                app.collector.activity()
                main.go_to(entry)
                took = await first_paint(started, entry.path)
                if took is not None:
                    (with_layout if layout else without).append(took)
        finally:
            use_layout(False, own_sizes)
        print(f"layout     open, no layout        {ms(without)}")
        print(f"           open, Textual's layout {ms(with_layout)}   {saving(without, with_layout)} per article opened")

        # -- layout: a keystroke in the jump box, with and without a layout ----------------
        from textual import events

        from tui.ui.screens.jump import JumpScreen, QueryInput

        own_sizes = {cls: cls.__dict__["virtual_size"] for cls in (QueryInput, VirtualList)}  # the box, the results
        titles = session.search_index.entries
        queries = [" ".join(titles[rng.randrange(len(titles))].title.lower().split()[:2]) for _ in range(2 * (opens // 6 + 1))]
        main.action_jump()
        await pilot.pause(0.5)
        jump = app.screen
        assert isinstance(jump, JumpScreen)
        without, with_layout = [], []
        try:
            for k, query in enumerate(queries):
                layout = k % 2 == 1
                use_layout(layout, own_sizes)
                jump.box.value = ""
                await asyncio.sleep(0.15)
                for ch in query:
                    await asyncio.sleep(0.06)
                    painted.clear()
                    started = clock()
                    app.post_message(events.Key(ch, ch))
                    took = await first_paint(started)
                    if took is not None:
                        (with_layout if layout else without).append(took)
        finally:
            use_layout(False, own_sizes)
            Screen._compositor_refresh = original  # type: ignore[method-assign]
        print(f"layout     jump key, no layout    {ms(without)}")
        print(f"           jump key, with layout  {ms(with_layout)}   {saving(without, with_layout)} per keystroke")


        # -- frame rate: a cursor step, key to list painted, at 120 and at 60 frames a second --
        import textual.screen

        await pilot.pause(0.5)
        listing.focus()
        await pilot.pause(0.3)
        stamps: list[float] = []
        wall = time.perf_counter

        def stamping(screen: Screen) -> None:
            original(screen)
            stamps.append(wall())

        def frame_rate(fps: int) -> None:
            """The screen's frame timer made again at ``fps`` (Textual makes it once per screen)."""
            screen = app.screen
            screen._update_timer.stop()
            screen._Screen__update_timer = None  # type: ignore[attr-defined]
            textual.screen.UPDATE_PERIOD = 1 / fps  # type: ignore[misc]

        Screen._compositor_refresh = stamping  # type: ignore[method-assign]
        steps: dict[int, list[float]] = {120: [], 60: []}
        try:
            for block in range(8):
                fps = 120 if block % 2 == 0 else 60
                frame_rate(fps)
                for _ in range(25):
                    await asyncio.sleep(0.12)  # a person's pace: each key on its own
                    stamps.clear()
                    started = wall()
                    app.post_message(events.Key("down" if (block // 2) % 2 == 0 else "up", None))
                    deadline = started + 1
                    while not stamps and wall() < deadline:
                        await asyncio.sleep(0.0005)
                    if stamps:
                        steps[fps].append(stamps[0] - started)
        finally:
            frame_rate(120)
            Screen._compositor_refresh = original  # type: ignore[method-assign]
        print(f"frames     cursor step at 120 fps {ms(steps[120])}   (wall clock: key -> list painted)")
        print(f"           cursor step at 60 fps  {ms(steps[60])}   {saving(steps[120], steps[60])} per step")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--opens", type=int, default=60)
    args = parser.parse_args()
    root = collection_from(args)
    with warm_home(root):
        asyncio.run(run(root, args.pages, args.opens))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
