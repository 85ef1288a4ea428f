"""The cycle collector's pacing (tui.core.memory.IdleCollector): garbage is
collected in the pauses between a person's actions, and never piles up."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.driver import reader, screen_text
from tests.helpers import NEWEST
from tui import cli
from tui.core import memory
from tui.core.memory import IdleCollector


class Node:
    other: Node | None = None


def cycle() -> weakref.ref[Node]:
    """Garbage only the cycle collector can free; the reference says when it is gone."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def automatic_collection_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()


def test_collects_in_a_pause_never_during_use(automatic_collection_restored: None) -> None:
    collector = IdleCollector(pause=0.3, quiet=2_000, limit=10**9)
    collector.start()
    try:
        assert not gc.isenabled()
        garbage = cycle()
        kept = [Node() for _ in range(5_000)]  # what a frame leaves in caches
        collector.activity(now=10.0)  # a key
        assert collector.tick(now=10.1) is None and garbage() is not None
        assert collector.tick(now=10.2) is None and garbage() is not None  # typing speed: not yet a pause
        kept += [Node() for _ in range(5_000)]  # no key for a while, but a thread is busy making things
        assert collector.tick(now=10.5) is None and garbage() is not None
        assert collector.tick(now=10.6) in (1, 2)  # a pause: collected now
        assert garbage() is None
        assert collector.tick(now=10.7) is None  # nothing new since: nothing to do
        assert len(kept) == 10_000
    finally:
        collector.stop()
    assert gc.isenabled()


def test_every_tenth_collection_is_a_full_one(automatic_collection_restored: None) -> None:
    collector = IdleCollector(quiet=100, limit=10**9)
    collector.start()
    try:
        done = []
        for i in range(12):
            kept = [Node() for _ in range(500)]
            assert collector.tick(now=100.0 + i) is None  # busy
            done.append(collector.tick(now=100.5 + i))
            del kept
        assert done.count(2) >= 1 and set(done) <= {1, 2}
    finally:
        collector.stop()


def test_a_long_stretch_without_a_pause_still_collects(automatic_collection_restored: None) -> None:
    collector = IdleCollector(quiet=500, limit=5_000)
    collector.start()
    try:
        garbage = cycle()
        kept = []
        collected = []
        for i in range(80):  # a key held down: never a pause
            kept += [Node() for _ in range(1_500)]
            collector.activity(now=i / 10)
            collected.append(collector.tick(now=i / 10 + 0.05))
        assert garbage() is None  # a young collection once the limit was passed
        # and the older generations in their turn, as Python's own pacing does
        assert collected.count(0) > collected.count(1) >= 1
    finally:
        collector.stop()


def test_stop_leaves_a_collector_turned_off_by_someone_else_alone(automatic_collection_restored: None) -> None:
    gc.disable()
    IdleCollector().stop()  # never started
    assert not gc.isenabled()


def test_stop_gives_python_back_its_own_pace(automatic_collection_restored: None) -> None:
    """Slowed down while the graph is built, then in pauses; when the reader
    leaves, Python's thresholds are what they were."""
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.slow_down()
    assert gc.get_threshold() == IdleCollector.LOADING_THRESHOLDS and gc.isenabled()
    collector.start()
    collector.stop()
    assert gc.get_threshold() == before and gc.isenabled()


@pytest.fixture
def start_pause_undone() -> Iterator[None]:
    gc.unfreeze()  # (what earlier tests' readers froze: the counts below start from nothing)
    yield
    memory.resume_after_start(collect=False)  # if a test left it paused
    gc.unfreeze()
    gc.enable()


def test_the_start_pauses_collection_until_the_first_frame_then_frees_its_garbage(start_pause_undone: None) -> None:
    memory.pause_while_starting()
    assert not gc.isenabled()
    garbage = cycle()
    made = [Node() for _ in range(50_000)]  # far past the collector's own threshold: it stays off
    assert garbage() is not None
    IdleCollector().first_frame()
    assert garbage() is None  # collected once
    assert gc.isenabled() and gc.get_freeze_count() >= len(made)  # what lives on: out of the collector's sight
    again = cycle()
    IdleCollector().first_frame()  # a second first frame (a rescan, another screen): nothing more
    assert again() is not None and gc.isenabled()


def test_a_collector_started_before_the_first_frame_keeps_collection_in_pauses(start_pause_undone: None) -> None:
    memory.pause_while_starting()
    collector = IdleCollector()
    collector.start()  # loaded before the first frame was painted
    collector.first_frame()
    assert not gc.isenabled() and collector.running  # its ticks collect
    collector.stop()
    assert gc.isenabled()


def test_nothing_pauses_collection_unless_the_command_does(start_pause_undone: None) -> None:
    IdleCollector().first_frame()  # tests, or a program importing the package
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_subcommand_runs_with_collection_on(start_pause_undone: None, seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    memory.pause_while_starting()
    seen = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "cmd_list", lambda args: seen.append(gc.isenabled()) or 0)
        assert cli.main(["list", str(seeds)]) == 0
    assert seen == [True]


async def test_the_reader_gives_collection_back_after_its_first_frame(start_pause_undone: None, seeds: Path) -> None:
    """The first frame ends the pause: its garbage collected, collection on
    again (or with the idle collector's ticks). Loading would freeze and
    collect on its own later, so the first frame's own call is what is checked."""
    seen: list[tuple[bool, bool]] = []
    first_frame = IdleCollector.first_frame

    def recorded(self: IdleCollector) -> None:
        garbage = cycle()  # made before: the first frame collects it
        first_frame(self)
        seen.append((garbage() is None, gc.isenabled() or self.running))

    memory.pause_while_starting()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(IdleCollector, "first_frame", recorded)
        async with reader([seeds]) as (app, pilot, _):
            await pilot.pause()
            assert NEWEST[:40] in screen_text(app)
    assert seen == [(True, True)]
