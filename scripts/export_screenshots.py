"""Regenerate the SVG screenshots in screenshots/ from the real app on the seeds.

    python scripts/export_screenshots.py

Runs headless with Textual's Pilot, in a throw-away data folder (your own
bookmarks are never touched) and in UTC so the pictures are the same on
every machine.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"


async def wait_loaded(app, pilot) -> None:  # noqa: ANN001
    for _ in range(200):
        main = app.main
        if main.collection is not None and main.search_index is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def shoot() -> list[Path]:
    from datetime import UTC, datetime

    from tui.core import bookmarks
    from tui.core.bookmarks import BookmarkStore
    from tui.ui.app import ReaderApp
    from tui.ui.screens import main as main_screen

    # Pictures independent of timing and of the day: articles become read by
    # the u key only, and every bookmark is made on the same date.
    main_screen.READ_AFTER = 3600.0
    bookmarks._now = lambda: datetime(2026, 5, 4, 9, 30, tzinfo=UTC)

    seeds = ROOT / "seeds"
    written: list[Path] = []

    def save(app, name: str) -> None:  # noqa: ANN001
        path = OUT / name
        app.save_screenshot(str(path))
        written.append(path)

    # Main screen, the IBM story (it has the most related entries); the two
    # newest are read, so the unread dot and bold titles show the difference.
    app = ReaderApp([seeds], BookmarkStore())
    async with app.run_test(size=(140, 42)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("u", "j", "u", "j", "j")
        await pilot.pause(0.3)
        save(app, "main.svg")
        # Related sidebar: focus it and open an external entry.
        await pilot.press("tab", "tab")
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        save(app, "related.svg")
        # Raw front matter.
        app.main.article_list.focus()
        await pilot.press("k", "f")
        await pilot.pause(0.3)
        save(app, "raw.svg")
        await pilot.press("f")
        # Jump box with a typo'd query.
        await pilot.press("slash", *"jpan facal recog")
        await pilot.pause(0.3)
        save(app, "jump.svg")
        await pilot.press("enter")
        await pilot.pause(0.2)
        # Tags and note of the Japan story (third row), in their dialog.
        app.main.article_list.focus()
        await pilot.press("g", "b", "j", "j")
        app.clear_notifications()
        await pilot.pause(0.2)
        await pilot.press("t")
        await pilot.pause(0.3)
        app.screen.query_one("#tags-input").value = "asia, policy"
        app.screen.query_one("#note-input").text = "Compare with the 2019 rules."
        await pilot.pause(0.2)
        save(app, "tags.svg")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        # Bookmarks view: four bookmarks, one of them an external related story.
        await pilot.press("j", "b")
        app.main.related.options.focus()
        app.main.related.options.highlighted = 1
        await pilot.pause(0.2)
        await pilot.press("b")
        app.main.article_list.focus()
        await pilot.pause(0.2)
        await pilot.press("B")
        await pilot.pause(0.3)
        await pilot.press("j", "j")
        await pilot.pause(0.3)
        save(app, "bookmarks.svg")
        await pilot.press("B", "question_mark")
        await pilot.pause(0.3)
        save(app, "help.svg")
        # Every link of the IBM story (O).
        await pilot.press("escape", "g", "j", "j", "j")
        await pilot.pause(0.3)
        await pilot.press("O")
        await pilot.pause(0.5)
        save(app, "links.svg")

    app = ReaderApp([seeds], BookmarkStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        save(app, "main-80x24.svg")
    return written


def main() -> int:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUI_READER_HOME"] = home
        sys.path.insert(0, str(ROOT))
        OUT.mkdir(exist_ok=True)
        for path in asyncio.run(shoot()):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
