"""Contrast of what is drawn: every character of a screenshot, its colour
against the colour behind it, as WCAG 2 measures it.

The screen comes from ``App.export_screenshot()`` (public Textual API: the
SVG the snapshot tests compare), so what is measured is what Textual drew,
every layer composed, toasts and modal boxes included: a colour with alpha
is already blended with what is under it, and "dim" text is blended the way
Rich draws it. :func:`cells` reads the SVG back into one
:class:`Cell` per character; :func:`ratio` is WCAG's contrast ratio.

Not text, so not measured: spaces, box-drawing and block characters (the
borders, the scrollbars, the cursor row's band), which WCAG judges as
graphics (3:1), not as text (4.5:1).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from rich.cells import cell_len
from textual.geometry import Region

AA = 4.5  # WCAG 2 level AA, normal text

# Rich's SVG export (rich/console.py, export_svg): every cell is this wide and tall.
CHAR_WIDTH = 20 * 0.61
LINE_HEIGHT = 20 * 1.22
_FILL = re.compile(r"\.(terminal-[\w-]+?-?r\d+|terminal-r\d+)\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})")
_RECT = re.compile(r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" shape-rendering="crispEdges"/>')
_TEXT = re.compile(r'<text class="([\w-]+)" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+" clip-path="url\(#[\w-]+-line-\d+\)">(.*?)</text>')
_BACKGROUND = re.compile(r'<rect fill="(#[0-9a-fA-F]{6})" stroke=')


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    char: str
    fg: str  # "#rrggbb", as drawn
    bg: str

    @property
    def ratio(self) -> float:
        return ratio(self.fg, self.bg)


def is_text(char: str) -> bool:
    """A character a person reads: not a space, not a line or block of a border, scrollbar or band."""
    return not char.isspace() and not 0x2500 <= ord(char) <= 0x259F


def cells(svg: str) -> list[Cell]:
    """Every text character of an exported screenshot, with its colours."""
    fills = dict(_FILL.findall(svg))
    default = _BACKGROUND.search(svg)
    assert default is not None, "not an SVG exported by Rich"
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width in _RECT.findall(svg):
        row = round((float(y) - 1.5) / LINE_HEIGHT)
        start = round(float(x) / CHAR_WIDTH)
        for column in range(start, start + round(float(width) / CHAR_WIDTH)):
            backgrounds[column, row] = fill
    found: list[Cell] = []
    for name, x, y, text in _TEXT.findall(svg):
        fg = fills[name]
        row = round((float(y) - 20) / LINE_HEIGHT)
        column = round(float(x) / CHAR_WIDTH)
        for char in html.unescape(text):
            if is_text(char):
                found.append(Cell(column, row, char, fg, backgrounds.get((column, row), default.group(1))))
            column += cell_len(char)
    return found


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""

    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Offence:
    """A run of text on one row drawn in one pair of colours under the bar."""

    where: str
    text: str
    fg: str
    bg: str
    ratio: float

    def __str__(self) -> str:
        return f"{self.ratio:4.2f}:1  {self.fg} on {self.bg}  {self.where}  {self.text!r}"


def offences(svg: str, where: str, inside: Region | None = None, minimum: float = AA) -> list[Offence]:
    """Runs of text under ``minimum`` (``inside``: only cells in that region)."""
    runs: dict[tuple[int, str, str], list[Cell]] = {}
    for cell in cells(svg):
        if inside is not None and not inside.contains(cell.x, cell.y):
            continue
        if cell.ratio < minimum:
            runs.setdefault((cell.y, cell.fg, cell.bg), []).append(cell)
    found = []
    for (y, fg, bg), run in runs.items():
        text, x = "", None
        for cell in sorted(run, key=lambda c: c.x):
            text += ("" if x is None or cell.x == x + 1 else " ") + cell.char
            x = cell.x
        found.append(Offence(f"{where} row {y}", text[:40], fg, bg, ratio(fg, bg)))
    return sorted(found, key=lambda o: o.ratio)
