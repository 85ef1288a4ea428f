"""Where the words looked for are in the lines a widget drew, and which match is current.

The article pane (``DetailPane``) finds the jump box's query or the find
bar's words in its rendered lines with a :class:`LineMatches`, and draws
each line through :meth:`LineMatches.highlight`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.find import Finder

Match = tuple[int, int, int]  # (line, first cell, end cell)


class LineMatches:
    """Every match of a finder in a list of lines, by line too; one is current."""

    def __init__(self) -> None:
        self.all: list[Match] = []
        self.on_line: dict[int, list[tuple[int, int, int]]] = {}  # line -> (first cell, end cell, match number)
        self.current = 0

    def __len__(self) -> int:
        return len(self.all)

    def find(self, finder: Finder | None, lines: Sequence[Strip]) -> None:
        """Every match of ``finder`` in ``lines`` (a line-by-line pass); the
        current one stays when it still exists."""
        self.all, self.on_line = [], {}
        if finder is not None:
            for y, strip in enumerate(lines):
                text = strip.text
                if not text.strip():
                    continue
                spans = finder.spans(text)
                if not spans:
                    continue
                if strip.cell_length != len(text):  # wide characters: character offsets to cells
                    cells = [0]
                    for ch in text:
                        cells.append(cells[-1] + cell_len(ch))
                    spans = [(cells[a], cells[b]) for a, b in spans]
                on_line = self.on_line[y] = []
                for start, end in spans:
                    on_line.append((start, end, len(self.all)))
                    self.all.append((y, start, end))
        if self.current >= len(self.all):
            self.current = 0

    def first_from(self, top: int) -> None:
        """The first match at or below line ``top`` becomes the current one."""
        self.current = next((k for k, (line, _, _) in enumerate(self.all) if line >= top), 0)

    def step(self, step: int) -> None:
        if self.all:
            self.current = (self.current + step) % len(self.all)

    @property
    def current_line(self) -> int | None:
        return self.all[self.current][0] if self.all else None

    def texts(self, lines: Sequence[Strip]) -> list[str]:
        """The text of every match, in order (what a person sees highlighted)."""
        return [lines[line].crop(start, end).text for line, start, end in self.all]

    def highlight(self, strip: Strip, line: int, styles: tuple[Style, Style]) -> Strip:
        """Line ``line`` with its matches in ``styles`` (other, current)."""
        matches = [match for match in self.on_line.get(line, ()) if match[1] <= strip.cell_length]
        if not matches:
            return strip
        other, current = styles
        cuts: list[int] = []
        for start, end, _ in matches:
            cuts += [start, end]
        cuts.append(strip.cell_length)
        parts = strip.divide(cuts)
        out = [parts[0]]
        for k, (_, _, number) in enumerate(matches):
            style = current if number == self.current else other
            if 2 * k + 1 < len(parts):
                out.append(Strip(Segment.apply_style(parts[2 * k + 1], post_style=style)))
            if 2 * k + 2 < len(parts):
                out.append(parts[2 * k + 2])
        return Strip.join(out)
