"""The reader under an adversary (issue 14, "done when"): a seeded random
driver presses sequences of keys (moving, opening, b, t with text, B and
its keys, the jump box with text, R, f, r, [ and ], ...) on a hostile
collection (fixtures/broken.py: odd names, invalid UTF-8, escapes in names
and values, a FIFO, links to devices, extreme dates, huge numbers,
pathological Markdown) while the folder changes under it (new files, a
FIFO, a file swapped for a link to a device, removals; the reader follows
the folder) and another process writes bookmarks through the CLI's code.

After every step: the app runs, no error report was written, and nothing
drawn (the screen's segments, toasts included) holds a control character.
At the end: every bookmark write either side acknowledged is stored
(unless the reader removed that bookmark afterwards).

Bounded: a small collection and a fixed number of steps per seed (the whole
suite stays within minutes on two cores). On a failure the seed and the
steps taken so far are in the message: ``FUZZ_SEEDS=7 pytest -k fuzz``
replays one. Marked ``fuzz`` (``-m fuzz`` runs only these; CI runs them
with the rest).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from fixtures.broken import generate as broken
from fixtures.collection import generate as good
from tests.driver import reader, screen_text, wait_workers
from tui.core import locations
from tui.core import settings as settings_file
from tui.core.bookmarks import BookmarkStore, Saved, Toggled
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen

pytestmark = pytest.mark.fuzz

SEEDS = [int(s) for s in os.environ.get("FUZZ_SEEDS", "1,2").split(",")]
STEPS = 45
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
WORDS = ["face", "china", "ai", "zzq", "is:bookmarked", "topic:ai", "x" * 30, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"]

# The CLI beside the reader: `bookmarks add FILE --tags TAG` through the
# CLI's own code, many times in one process (a new process per write would
# take most of the time budget), each acknowledged write printed only once
# the command returned 0.
WRITER = textwrap.dedent(
    """
    import sys
    from tui.cli import main
    from tui.core.bookmarks import BookmarkStore, Bookmark
    from tui.cli import _article_bookmark
    files = sys.argv[2:]
    for i in range(int(sys.argv[1])):
        path = files[i % len(files)]
        tag = f"cli{i}"
        if main(["bookmarks", "add", path, "--tags", tag]) == 0:
            print("ACK", _article_bookmark(path).key, tag, file=sys.stderr, flush=True)
    """
)


class RecordingStore(BookmarkStore):
    """The reader's store, noting every write it acknowledged (returned
    from without an error): (key, bookmarked after it, tags it holds)."""

    def __init__(self) -> None:
        super().__init__()
        self.acked: list[tuple[str, bool, tuple[str, ...]]] = []

    def toggle(self, b: Any) -> Toggled:
        done = super().toggle(b)
        self.acked.append((b.key, bool(done), done.added.tags if done.added else ()))
        return done

    def restore(self, b: Any) -> Any:
        back = super().restore(b)
        self.acked.append((back.key, True, back.tags))
        return back

    def remove(self, key: str) -> Any:
        gone = super().remove(key)
        self.acked.append((key, False, ()))
        return gone

    def update_details(self, base: Any, tags: Any, note: str) -> Saved:
        saved = super().update_details(base, tags, note)
        if not saved.conflict:
            self.acked.append((saved.bookmark.key, True, saved.bookmark.tags))
        return saved


def collection(tmp_path: Path) -> tuple[Path, list[Path]]:
    """The hostile folder (and a few good stories), and the files outside it the CLI bookmarks."""
    folder = tmp_path / "hostile"
    broken(folder, large=False, special=True)
    good(folder / "good", 12)
    outside = good(tmp_path / "outside", 4)
    return folder, [Path(p) for p in outside]


def change_folder(rng: random.Random, folder: Path, step: int) -> str:
    """One change of the folder while the reader is open."""
    kind = rng.choice(["new", "fifo", "device", "remove", "bad-name"])
    goods = sorted(p for p in (folder / "good").rglob("*") if p.is_file() and not p.is_symlink())
    try:
        if kind == "new":
            (folder / f"new-{step}.md").write_text(f"---\ntitle: New \x1b[2J story {step}\n---\nBody {step}\n", encoding="utf-8")
        elif kind == "fifo":
            os.mkfifo(folder / f"pipe-{step}.md")
        elif kind == "device" and goods:
            victim = rng.choice(goods)
            victim.unlink()
            os.symlink(rng.choice(["/dev/tty", "/dev/zero", "/dev/null"]), victim)
        elif kind == "remove" and goods:
            rng.choice(goods).unlink()
        elif kind == "bad-name":
            (folder / os.fsdecode(f"bad-{step}-\xff\x1b]0;t\x07.md".encode("latin-1"))).write_text("plain title\nbody\n", encoding="utf-8")
    except OSError as exc:
        return f"{kind} ({exc})"
    return kind


def trace(what: str) -> None:
    if os.environ.get("FUZZ_TRACE"):
        print(what, file=sys.stderr, flush=True)


def dump_tasks() -> None:
    if os.environ.get("FUZZ_TRACE"):
        for task in asyncio.all_tasks():
            task.print_stack(file=sys.stderr)


async def act(rng: random.Random, pilot: Any, app: ReaderApp, folder: Path, step: int) -> str:
    """One random step; what it was."""
    pilot = _Traced(pilot)
    if not isinstance(app.screen, MainScreen) and rng.random() < 0.35:
        await pilot.press("escape")
        return "escape"
    roll = rng.random()
    if roll < 0.08:
        return "fs " + change_folder(rng, folder, step)
    if roll < 0.16:
        text = rng.choice(WORDS)
        keys = ["slash", *text.replace(" ", "\x00")] if rng.random() < 0.7 else ["t", *text.replace(" ", "\x00"), "enter"]
        keys = ["space" if k == "\x00" else k for k in keys]
        if rng.random() < 0.5:
            keys.append(rng.choice(["enter", "escape", "down", "backspace", "ctrl+u"]))
        await pilot.press(*keys)
        return " ".join(keys)
    key = rng.choice(
        ["j", "k", "down", "up", "enter", "space", "g", "G", "escape", "tab", "shift+tab", "b", "b", "B", "t", "R", "f", "r"]
        + ["right_square_bracket", "left_square_bracket", "s", "u", "v", "n", "ctrl+f", "exclamation_mark", "ctrl+z", "O"]
        + ["pagedown", "pageup", "home", "end"]
    )
    await pilot.press(key)
    return key


class _Traced:
    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot

    async def press(self, *keys: str) -> None:
        trace(f"press {keys}")
        await self.pilot.press(*keys)


def drawn_controls(app: ReaderApp) -> list[str]:
    """Control characters in any segment drawn on the current screen (toasts included)."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if segment.control is None and CONTROL.search(segment.text):
                found.append(repr(segment.text))
    return found


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_on_a_hostile_collection_beside_a_cli_writer(tmp_path: Path, seed: int) -> None:
    folder, outside = collection(tmp_path)
    rng = random.Random(seed)
    store = RecordingStore()
    settings, _ = settings_file.load()
    app = ReaderApp([folder], store, settings=settings)  # the folder followed (watch = true, the default)
    writes = rng.randint(15, 30)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(writes), *map(str, outside)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    steps: list[str] = []
    try:
        async with reader([folder], size=(100, 30), toasts=True, app=app, watch=True) as (app, pilot, r):
            await pilot.press("b", "j", "t", *"fuzz", "enter")  # at least two writes of the reader's own
            for step in range(STEPS):
                dog = asyncio.get_running_loop().call_later(30, dump_tasks)  # a step that hangs: where (FUZZ_TRACE)
                started = time.monotonic()
                steps.append(await act(rng, pilot, app, folder, step))
                trace(f"{time.monotonic() - started:6.2f}s {steps[-1]}")
                await pilot.pause(0.02)
                where = f"seed {seed}, steps {steps}"
                assert app.is_running and app.return_code is None, where
                controls = drawn_controls(app)
                assert not controls, f"{where}: control characters drawn: {controls[:5]}\n{screen_text(app)}"
                assert not [m for m in r.messages if CONTROL.search(m)], where
                dog.cancel()
            await wait_workers(app)
            assert app.is_running
            await pilot.press("escape", "escape", "escape")
    finally:
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert not list(locations.log_dir().glob("crash-*.log"))
    cli = [line.split()[1:] for line in err.splitlines() if line.startswith("ACK ")]
    assert len(cli) == writes, err
    final = {b.key: b for b in BookmarkStore().all()}
    removed_by_reader = {key for key, present, _ in store.acked if not present}
    for key, tag in cli:
        if key not in removed_by_reader:
            assert key in final and tag in final[key].tags, (seed, key, tag, steps)
    assert len(store.acked) >= 2
    last: dict[str, tuple[bool, tuple[str, ...]]] = {}
    for key, present, tags in store.acked:
        last[key] = (present, tags)
    cli_keys = {key for key, _ in cli}
    for key, (present, tags) in last.items():
        if present:
            assert key in final and set(tags) <= set(final[key].tags), (seed, key, steps)
        elif key not in cli_keys:
            assert key not in final, (seed, key, steps)
