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
        session = app.main.session
        if session.collection is not None and session.search_index is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def settle(app, pilot) -> None:  # noqa: ANN001
    """What the last keys started is on screen: the app's threads that end by
    themselves are done (an article opened, a search), then their messages
    handled and painted. A fixed pause alone once caught an article still
    empty (the shot then differs from run to run)."""
    from tui.ui.elsewhere import GROUP as ELSEWHERE_GROUP
    from tui.ui.follow import GROUP as FOLLOW_GROUP

    for _ in range(3):
        workers = [w for w in app.workers if w.group not in (FOLLOW_GROUP, ELSEWHERE_GROUP) and not w.is_finished]
        if workers:
            await app.workers.wait_for_complete(workers)
        await pilot.pause()
    await pilot.pause(0.1)


DEMO = [
    # (file, title, outlet, domain, date, topics, related: [(title, url)])
    (
        "a.md",
        "Regulators draft rules for facial recognition in shops",
        "Tech Courier",
        "techcourier.example",
        "2024-03-05T09:00:00Z",
        ["Facial recognition", "Regulation"],
        [
            (
                "Study finds face recognition errors fall sharply",
                "https://amp.dailyledger.example/science/face-errors/amp?utm_source=tc",
            ),
            ("Retail groups push back on camera rules", "https://www.outside.example/retail-cameras"),
        ],
    ),
    (
        "b.md",
        "Study finds face recognition errors fall sharply",
        "Daily Ledger",
        "dailyledger.example",
        "2024-03-04T12:00:00Z",
        ["Facial recognition", "Research"],
        [
            ("Face recognition accuracy: what the new benchmark measured", "https://labnotes.example/benchmark"),
            ("Inside the lab that tests face recognition", "https://elsewhere.example/lab"),
        ],
    ),
    (
        "b2.md",
        "Study Finds Face Recognition Errors Fall Sharply, Report Says",
        "Metro Times",
        "metrotimes.example",
        "2024-03-04T16:30:00Z",
        ["Facial recognition"],
        [],
    ),
    (
        "c.md",
        "Shops pause facial recognition trials",
        "Metro Times",
        "metrotimes.example",
        "2024-03-06T08:00:00Z",
        ["Retail", "Facial recognition"],
        [("Study finds face recognition errors fall sharply", "")],
    ),
    (
        "d.md",
        "Face recognition accuracy: what the new benchmark measured",
        "Lab Notes",
        "labnotes.example",
        "2024-03-03T10:00:00Z",
        ["Facial recognition", "Research"],
        [],
    ),
    (
        "e.md",
        "Chip makers expand factories in Arizona",
        "Daily Ledger",
        "dailyledger.example",
        "2024-03-02T10:00:00Z",
        ["Chips"],
        [],
    ),
]


def demo_collection(folder: Path) -> Path:
    """A small made-up collection whose stories cite each other (for the walk scene)."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = {"b.md": "https://www.dailyledger.example/science/face-errors/", "d.md": "https://labnotes.example/benchmark"}
    for name, title, outlet, domain, date, topics, related in DEMO:
        url = urls.get(name, f"https://{domain}/{name[:-3]}")
        lines = ["---", f'title: "{title}"', f"publishedDateTime: {date}", f'webUrl: "{url}"']
        lines += [f"provider: {{name: {outlet}, domain: {domain}}}", "topics:"] + [f"  - {t}" for t in topics]
        lines.append(f'excerpt: "A made-up story for the screenshot: {title.lower()}."')
        if related:
            lines.append("related:")
            for rel_title, rel_url in related:
                lines.append(f'  - title: "{rel_title}"')
                if rel_url:
                    lines.append(f'    webUrl: "{rel_url}"')
        lines += ["---", "", "A short body.", ""]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    return folder


async def shoot() -> list[Path]:
    from datetime import UTC, datetime

    from tui.core import bookmarks
    from tui.core.bookmarks import BookmarkStore
    from tui.ui.app import ReaderApp
    from tui.ui.widgets import article_view

    # Pictures independent of timing and of the day: articles become read by
    # the u key only, and every bookmark is made on the same date.
    article_view.READ_AFTER = 3600.0
    bookmarks._now = lambda: datetime(2026, 5, 4, 9, 30, tzinfo=UTC)

    seeds = ROOT / "seeds"
    written: list[Path] = []

    async def save(app, pilot, name: str) -> None:  # noqa: ANN001
        await settle(app, pilot)
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
        await save(app, pilot, "main.svg")
        # Related sidebar: focus it and open an external entry.
        await pilot.press("tab", "tab")
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        await save(app, pilot, "related.svg")
        # Raw front matter.
        app.main.panes.article_list.focus()
        await pilot.press("k", "f")
        await pilot.pause(0.3)
        await save(app, pilot, "raw.svg")
        await pilot.press("f")
        # Jump box with a typo'd query.
        await pilot.press("slash", *"jpan facal recog")
        await pilot.pause(0.3)
        await save(app, pilot, "jump.svg")
        await pilot.press("enter")
        await pilot.pause(0.3)
        # The query carried into the story: marks, the second one current, "2/N".
        await pilot.press("n")
        await pilot.pause(0.2)
        await save(app, pilot, "find.svg")
        await pilot.press("escape")
        await pilot.pause(0.2)
        # Tags and note of the Japan story (third row), in their dialog.
        app.main.panes.article_list.focus()
        await pilot.press("g", "b", "j", "j")
        app.clear_notifications()
        await pilot.pause(0.2)
        await pilot.press("t")
        await pilot.pause(0.3)
        app.screen.query_one("#tags-input").value = "asia, policy"
        app.screen.query_one("#note-input").text = "Compare with the 2019 rules."
        for field in app.screen.query("#tags-input, #note-input"):
            field.cursor_blink = False  # the same picture every time
        await pilot.pause(0.2)
        await save(app, pilot, "tags.svg")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        # Bookmarks view: four bookmarks, one of them an external related story.
        await pilot.press("j", "b")
        app.main.panes.related.options.focus()
        app.main.panes.related.options.highlighted = 1
        await pilot.pause(0.2)
        await pilot.press("b")
        app.main.panes.article_list.focus()
        await pilot.pause(0.2)
        await pilot.press("B")
        await pilot.pause(0.3)
        await pilot.press("j", "j")
        await pilot.pause(0.3)
        await save(app, pilot, "bookmarks.svg")
        await pilot.press("B", "question_mark")
        await pilot.pause(0.3)
        await save(app, pilot, "help.svg")
        # Every link of the IBM story (O).
        await pilot.press("escape", "g")
        for _ in range(3):  # at a reading pace: each step shows its article (a held key would not)
            await pilot.press("j")
            await pilot.pause(0.2)
        await pilot.press("O")
        await pilot.pause(0.5)
        await save(app, pilot, "links.svg")

    # The two layouts at 160x48: the list with the preview (and the sidebar
    # under it), then Enter: the article view, the whole width.
    app = ReaderApp([seeds], BookmarkStore())
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("g", "j", "j", "j")  # the IBM story (the last run's position is restored): four related stories
        await pilot.pause(0.3)
        await save(app, pilot, "main-160x48.svg")
        await pilot.press("enter")
        await pilot.pause(0.3)
        await save(app, pilot, "article-160x48.svg")

    app = ReaderApp([seeds], BookmarkStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        await save(app, pilot, "main-80x24.svg")  # the list alone, the whole width
        await pilot.press("g", "j", "j", "j", "enter")
        await pilot.pause(0.3)
        await save(app, pilot, "article-80x24.svg")
        await pilot.press("escape")
        await pilot.pause(0.2)
        # The jump box at 80x24: a word of an excerpt gets its snippet line.
        await pilot.press("slash", *"guardrails")
        await pilot.pause(0.3)
        await save(app, pilot, "jump-80x24.svg")

    # Walking: from A to B through the sidebar; B is told by two outlets,
    # cited by two articles, and one of its related stories is bookmarked.
    with tempfile.TemporaryDirectory() as folder:
        app = ReaderApp([demo_collection(Path(folder) / "demo")], BookmarkStore())
        async with app.run_test(size=(140, 36)) as pilot:
            await wait_loaded(app, pilot)
            panes, session = app.main.panes, app.main.session
            for _ in range(100):
                if session.graph is not None:
                    break
                await pilot.pause(0.05)
            panes.article_list.cursor = next(i for i, e in enumerate(session.rows) if e.path.endswith("a.md"))
            await pilot.pause(0.2)
            await pilot.press("enter", "r")  # the article view, its sidebar beside it
            panes.related.options.focus()
            panes.related.options.highlighted = 0
            await pilot.press("enter")  # A -> B
            await pilot.pause(0.3)
            panes.related.options.focus()
            panes.related.options.highlighted = 1
            await pilot.press("b")  # bookmark the external related story
            panes.related.options.highlighted = 0
            await pilot.pause(0.6)
            await save(app, pilot, "walk.svg")
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
