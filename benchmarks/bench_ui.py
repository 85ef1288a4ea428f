"""Interactive speed and memory at scale, measured with Textual's Pilot.

    python benchmarks/bench_ui.py [COLLECTION] [--count 50000]

Runs the reader headless (160x48) on a warm cache and prints:

* search: keystroke to new results, in-process, typing 40 queries letter by
  letter (p50 / p95; target p95 < 30 ms): the search alone, and in the jump
  box (the box's value changes -> search, results drawn, screen refreshed);
* list: one cursor step and one page down, key to screen refreshed (p95;
  target < 16 ms per step);
* open: selection (what the jump box, the sidebar and back / forward do) to
  the first screen refresh showing the article, for typical files (p95;
  target < 50 ms); for comparison, an arrow key to its article painted (the
  list is painted first); and the first screen of a 1 MB Markdown body
  (target < 300 ms);
* memory: resident set size after browsing and searching (target < 250 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from pathlib import Path

from _common import collection_from, warm_home


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def ms(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:6.1f} ms   p95 {p95(values) * 1000:6.1f} ms"


async def run(root: Path, big_body: Path, slowest: int = 0) -> None:
    from textual import events
    from textual.screen import Screen

    from tui.core.bookmarks import BookmarkStore
    from tui.ui.app import ReaderApp

    app = ReaderApp([root], BookmarkStore())
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.main
        session = main.session
        started = time.perf_counter()
        for _ in range(600):
            if session.search_index is not None:
                break
            await pilot.pause(0.05)
        searchable = time.perf_counter() - started
        for _ in range(600):  # the related-stories graph (backlinks, story groups) follows
            if session.graph is not None or main.queried:  # (queried: look-ups in the index)
                break
            await pilot.pause(0.05)
        print(f"search ready after {searchable:.1f} s, related-stories graph after {time.perf_counter() - started:.1f} s")
        await pilot.pause(0.5)
        how = "queried from the index" if main.queried else "loaded"
        print(f"{how}: {len(session.rows):,} rows ({len(session.collection):,} articles), resident {rss_mb():.0f} MB")
        # -- search -------------------------------------------------------------
        rng = random.Random(1)
        index = session.search_index
        queries = []
        for _ in range(40):
            title = session.rows[rng.randrange(len(session.rows))].title.lower().split()
            queries.append(" ".join(title[: rng.randint(1, 3)]))
        search_times = []
        for query in queries:
            for i in range(1, len(query) + 1):
                started = time.perf_counter()
                index.search(query[:i])
                search_times.append(time.perf_counter() - started)
        print(f"search  keystroke -> results ({len(search_times)} keystrokes)   {ms(search_times)}   (target p95 < 30 ms)")
        print(f"        resident after searching {rss_mb():.0f} MB")

        # -- list and open: key handled -> first screen refresh that follows --------
        refreshes: list[float] = []
        original = Screen._compositor_refresh

        painted_paths: list[tuple[float, str | None]] = []  # (when, the article the detail pane showed)

        def recording(screen: Screen) -> None:
            original(screen)
            now = time.perf_counter()
            refreshes.append(now)
            shown = main.panes.detail.article
            painted_paths.append((now, shown.path if shown is not None else None))

        Screen._compositor_refresh = recording  # type: ignore[method-assign]

        async def painted_after(started: float, wait: float = 0.5) -> float:
            deadline = started + wait
            while time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
                after = [t for t in refreshes if t >= started]
                if after:
                    return after[0] - started
            return float("nan")

        listing = main.panes.article_list
        listing.focus()
        await pilot.pause(0.3)

        def press(key: str, character: str | None = None) -> None:
            """A key as the terminal delivers it: through the app (its bindings,
            the focused widget), without waiting for what it does."""
            app.post_message(events.Key(key, character))

        async def step(key: str) -> float:
            await asyncio.sleep(0.12)  # a person's pace: each key on its own
            refreshes.clear()
            started = time.perf_counter()
            press(key)
            return await painted_after(started)

        # -- the jump box: each keystroke's value -> search -> results painted --------
        from tui.ui.screens.jump import HOLD_SECONDS, JumpScreen

        main.action_jump()
        await pilot.pause(0.5)
        jump = app.screen
        assert isinstance(jump, JumpScreen)
        box = jump.box
        box_times, set_times, echo_times = [], [], []
        # When the results were set (the search answers from its thread; the frame that shows them follows).
        from tui.ui.widgets.jump_results import JumpResults

        set_at: list[float] = []
        arrived = asyncio.Event()  # results were set
        set_results = JumpResults.set_results

        def timed_set(self: JumpResults, *args: object, **kwargs: object) -> None:
            set_results(self, *args, **kwargs)  # type: ignore[arg-type]
            set_at.append(time.perf_counter())
            arrived.set()

        JumpResults.set_results = timed_set  # type: ignore[method-assign]
        typed_keys: list[str] = []
        typed = queries[:30] + ["is:unread ai", "topic:ai export", "'recog !china", "provider:reu after:2020-01-01"]
        for query in typed:
            box.value = ""
            await asyncio.sleep(0.15)
            for i in range(1, len(query) + 1):
                await asyncio.sleep(0.06)  # a fast typist: each key on its own
                refreshes.clear()
                started = time.perf_counter()
                press(query[i - 1], query[i - 1])  # into the box: its value changes, the search runs
                # The results of this very query: set in the key's turn, or by the search thread.
                # Waiting without polling: a polling loop here would take the GIL
                # from the search thread every few hundred microseconds (a person's
                # reader is idle while it searches), inflating the figure.
                deadline = started + 2
                while not (set_at and set_at[-1] >= started) and time.perf_counter() < deadline:
                    arrived.clear()
                    try:
                        await asyncio.wait_for(arrived.wait(), max(0.001, deadline - time.perf_counter()))
                    except TimeoutError:
                        break
                updated = set_at[-1] if set_at and set_at[-1] >= started else time.perf_counter()
                set_times.append(updated - started)
                box_times.append(updated - started + await painted_after(updated))
                echo_times.append(min(t for t in refreshes if t >= started) - started if refreshes else float("nan"))
                typed_keys.append(query[:i])
        print(f"jump    keystroke -> results painted ({len(box_times)} keys) {ms(box_times)}   (target p95 < 30 ms)")
        for took, what in sorted(zip(box_times, typed_keys, strict=True), reverse=True)[:slowest]:
            print(f"        {took * 1000:7.1f} ms  {what!r}")
        print(f"jump    of which keystroke -> results set (search included)  {ms(set_times)}")
        print(f"jump    keystroke -> the letter painted (with its results when they come within {HOLD_SECONDS * 1000:.0f} ms)  {ms(echo_times)}")
        JumpResults.set_results = set_results  # type: ignore[method-assign]
        # The UI thread's share: showing a page of results the search thread made (rows, status, results set).
        from tui.core.query import parse_query
        from tui.ui.screens.jump import PAGE

        prefixes = [query[:i] for query in typed for i in range(1, len(query) + 1)]
        shares = []
        for p in prefixes:
            found = index.results(parse_query(p), marks=session.facet_sets())
            full, partial, exact = found.counted()
            page = JumpScreen.Found(jump._serial, found, index.entries, 0, found[:PAGE], full + (partial or 0), full, exact)
            jump._query_text = p
            started = time.perf_counter()
            jump._found_page(page)
            shares.append(time.perf_counter() - started)
        print(f"jump    the UI thread's share, search aside (a page of results shown)  {ms(shares)}")
        jump.dismiss(None)
        await pilot.pause(0.3)

        downs = [await step("down") for _ in range(100)]
        pages = [await step("pagedown") for _ in range(60)]
        print(f"list    cursor down, key -> list painted  {ms(downs)}   (target p95 < 16 ms)")
        print(f"list    page down, key -> list painted    {ms(pages)}   (target p95 < 16 ms)")
        print(f"        resident after moving {rss_mb():.0f} MB")

        from tui.core.loader import read_article

        async def article_painted(started: float, wanted: str) -> float:
            """From *started* to the first screen refresh that showed the
            article at *wanted* in the detail pane, however it got there."""
            while time.perf_counter() - started < 2:
                await asyncio.sleep(0.0005)
                done = [t for t, path in painted_paths if path == wanted]
                if done:
                    return done[0] - started
            return float("nan")

        opens = []
        for _ in range(60):
            entry = session.rows[rng.randrange(len(session.rows))]
            await asyncio.sleep(0.15)
            painted_paths.clear()
            started = time.perf_counter()
            app.collector.activity()  # what the key that opens it does, on its way through the app
            main.go_to(entry)  # what the jump box, the sidebar and back / forward do
            opens.append(await article_painted(started, entry.path))
        print(f"open    selection -> detail painted       {ms(opens)}   (target p95 < 50 ms)")
        # Browsing: an arrow key paints the list first, the article it lands on a frame later.
        follows = []
        for _ in range(40):
            await asyncio.sleep(0.2)
            painted_paths.clear()
            target_before = main.current_entry
            started = time.perf_counter()
            press("down")
            while main.current_entry is target_before and time.perf_counter() - started < 2:
                await asyncio.sleep(0.0002)
            target = main.current_entry
            follows.append(await article_painted(started, target.path) if target is not None else float("nan"))
        print(f"open    cursor down -> its article painted {ms(follows)}")
        print(f"        resident after opening {rss_mb():.0f} MB")

        article = read_article(big_body)
        firsts = []
        for _ in range(5):
            main.panes.detail.show_message("…")
            await asyncio.sleep(0.3)
            refreshes.clear()
            started = time.perf_counter()
            main.panes.detail.show_article(article)
            # show_article puts the first chunk in place before it returns.
            mounted = time.perf_counter()
            firsts.append(mounted - started + await painted_after(mounted))
        print(f"open    1 MB body, first screen           {ms(firsts)}   (target < 300 ms)")
        await asyncio.sleep(1)
        print(f"memory  resident after browsing+search    {rss_mb():6.0f} MB   (target < 250 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--home", help="a user folder whose index of COLLECTION is reused and kept (default: a private one, built first)")
    parser.add_argument("--slowest", type=int, default=0, help="also print the jump box's N slowest keystrokes (what they typed)")
    args = parser.parse_args()
    root = collection_from(args)
    with warm_home(root, args.home) as home:
        big = home / "big.md"
        paragraph = "A paragraph of a very long article about facial recognition, export rules and policy. " * 12
        big.write_text(
            "---\ntitle: A 1 MB body\n---\n" + "\n\n".join(f"## Part {i}\n\n{paragraph}" for i in range(1000)),
            encoding="utf-8",
        )
        print(f"collection: {root}; 1 MB body: {big.stat().st_size / 1e6:.2f} MB")
        asyncio.run(run(root, big, args.slowest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
