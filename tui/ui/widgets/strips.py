"""Painted lines cut or padded to a width, without a cycle left behind.

``Strip.crop_extend`` caches its answer in the strip it was asked of; for a
strip already of that width the answer is the strip itself, which then
refers to itself and is freed only by the cycle collector. The lists make
fresh strips on every paint: at a million articles those self-referring
lines (with their caches and segments) were most of the ~12,000 objects a
young collection freed every few dozen keys of the jump box
(docs/performance.md, "Garbage collection"). :func:`fit` gives the same
line through the strip's uncached steps, and :class:`Line` is the line a
list hands to Textual, which the screen divides without a cycle either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from textual.strip import Strip


def fit(strip: Strip, width: int, style: Style | None = None) -> Strip:
    """``strip`` cut or padded (with ``style``) to ``width`` cells, as
    ``strip.crop_extend(0, width, style)`` makes it, with nothing cached in ``strip``."""
    return strip.extend_cell_length(width, style).crop(0, width)


class Line(Strip):
    """A painted line the lists hand to Textual. Where nothing covers it, the
    screen "divides" it at its own end; ``Strip.divide`` then caches the line
    in itself (``[self]``), a cycle: answered here without the cache."""

    __slots__ = ()

    def divide(self, cuts: Iterable[int]) -> Sequence[Strip]:
        length = self.cell_length
        cuts = [cut for cut in cuts if cut <= length]
        if cuts == [length]:
            return [self]
        return super().divide(cuts)
