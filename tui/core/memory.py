"""Memory: handing freed memory back to the system, and pacing the cycle collector."""

from __future__ import annotations

import gc
import time


def release_memory() -> None:
    """Give freed memory back to the system after a big build (glibc only).

    Building the search index and the graph of 50,000 articles leaves tens
    of megabytes of freed but unreturned heap; ``malloc_trim`` returns it.
    """
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim = None


def pause_while_starting() -> None:
    """No cycle collection while ``tui-reader`` starts.

    Starting the reader makes some 100,000 objects (modules, classes, CSS
    rules, widgets), nearly all of which live as long as the process. Left to
    the allocation counter, the collector walked them about 180 times before
    the first frame: some 27 ms of a 0.25 s start (docs/performance.md).
    Called first thing by the command (tui/__main__.py); never by tests or by
    a program that only imports the package. The pause ends with
    :func:`resume_after_start`: at the reader's first frame, or before a
    subcommand runs.
    """
    global _starting
    if gc.isenabled():
        gc.disable()
        _starting = True


def resume_after_start(*, collect: bool, enable: bool = True) -> None:
    """End :func:`pause_while_starting`'s pause (nothing if there is none):
    collect the start's garbage if asked, move what lives on out of the
    collector's sight (each full collection would walk it again), and give
    collection back unless ``enable`` is false."""
    global _starting
    if not _starting:
        return
    _starting = False
    if collect:
        gc.collect()
    gc.freeze()
    if enable:
        gc.enable()


_starting = False


class IdleCollector:
    """Python's cycle collector, run in the pauses between a person's actions.

    Once the collection is loaded, the objects made by use are mostly
    rendered lines held in caches. Left to the allocation counter, the
    collector walks them in the middle of frames (at 50,000 articles, a few
    ms of most article openings, more now and then: docs/performance.md).

    :meth:`start` turns automatic collection off; :meth:`tick`, called a few
    times a second, collects once no key or click (:meth:`activity`) came for
    ``pause`` seconds and the last interval made few new objects (no thread
    at work either). A long stretch with no pause (a key held down, fast
    typing) still gets a young collection whenever ``limit`` new objects
    pile up, so memory never waits for a pause. :meth:`stop` gives Python
    back its automatic collection, at its own pace.

    Before :meth:`start` (the collection is loaded, its graph still being
    built), :meth:`slow_down` keeps automatic collection at a slower pace:
    with little left to track, the default pace (a young collection every
    700 allocations, a full one every ~0.5 s while frames are drawn) cost
    some frames 20 ms.
    """

    LOADING_THRESHOLDS = (10_000, 10, 10)

    def __init__(self, pause: float = 0.3, quiet: int = 2_000, limit: int = 30_000) -> None:
        self.pause = pause  # seconds without input: the person is reading, not typing
        self.quiet = quiet  # fewer new objects than this in a tick: nothing else is going on
        self.limit = limit
        self.running = False
        self._last_input = 0.0
        self._last = 0
        self._thresholds: tuple[int, int, int] | None = None  # Python's own, while slowed down

    def collection_searchable(self) -> None:
        """The collection and its search index are loaded (the graph follows):
        everything loaded so far lives as long as the collection. Moved out
        of the collector's sight, or each full collection walks millions of
        objects and stalls a frame (hundreds of ms at 50,000 articles)."""
        gc.collect()
        gc.freeze()
        self.slow_down()  # until the graph is built (then collection_complete)

    def collection_complete(self) -> None:
        """The graph, the title index and the story rows are built: they live
        as long as the collection too (a full collection walking them stalled
        a frame now and then); from now on, what use makes (rendered
        lines, mostly) is collected in the pauses between a person's actions."""
        gc.freeze()
        self.start()

    def first_frame(self) -> None:
        """The reader's first frame is painted: the start's pause ends (when
        started, collection stays with :meth:`tick`)."""
        resume_after_start(collect=True, enable=not self.running)

    def slow_down(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
        gc.set_threshold(*self.LOADING_THRESHOLDS)

    def start(self) -> None:
        gc.disable()
        self.running = True
        self._last = gc.get_count()[0]

    def stop(self) -> None:
        if self.running:
            self.running = False
            gc.enable()
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def activity(self, now: float | None = None) -> None:
        """A key or a click: no collection until the next pause."""
        self._last_input = time.monotonic() if now is None else now

    def tick(self, now: float | None = None) -> int | None:
        """Collect if this is a pause; returns the generation collected, or None."""
        if not self.running:
            return None
        now = time.monotonic() if now is None else now
        young, middle, old = gc.get_count()
        grew, self._last = young - self._last, young
        if young >= self.limit:
            # No pause for long: the collector's own pace, in bigger steps
            # (the older generations too, or their garbage would wait).
            generation = 2 if middle >= 10 and old >= 10 else 1 if middle >= 10 else 0
        elif now - self._last_input < self.pause or grew >= self.quiet or (young < self.quiet and middle == 0):
            return None  # in use, or nothing worth collecting
        else:
            # The collector's own proportions: a full collection every tenth.
            generation = 2 if old >= 10 else 1
        gc.collect(generation)
        self._last = gc.get_count()[0]
        return generation
