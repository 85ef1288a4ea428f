"""A list's painted line, cut or padded to the width, is what Textual's
``crop_extend`` paints, and leaves nothing that refers to itself (such
lines waited for the cycle collector, which then stalled a keystroke)."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.ui.widgets.strips import Line, fit

BOLD = Style(bold=True)
texts = st.lists(st.text(alphabet="ab 日é", min_size=1, max_size=6), min_size=1, max_size=4)


@given(parts=texts, width=st.integers(min_value=0, max_value=30), pad=st.sampled_from([None, BOLD]))
def test_fit_paints_what_crop_extend_paints(parts: list[str], width: int, pad: Style | None) -> None:
    segments = [Segment(p, BOLD if k % 2 else None) for k, p in enumerate(parts)]
    assert list(fit(Strip(segments), width, pad)) == list(Strip(segments).crop_extend(0, width, pad))
    assert fit(Strip(segments), width, pad).cell_length == width


def test_a_line_already_of_the_width_keeps_no_reference_to_itself() -> None:
    line = Strip([Segment("x" * 10)])
    alone = sys.getrefcount(line)
    assert fit(line, 10) is line
    assert sys.getrefcount(line) == alone  # freed as soon as the list lets it go
    line.crop_extend(0, 10, None)
    assert sys.getrefcount(line) == alone + 1  # Textual's way: it caches itself, a cycle


@given(parts=texts, cuts=st.lists(st.integers(min_value=1, max_value=30), max_size=3))
def test_a_line_divides_as_textual_divides_it(parts: list[str], cuts: list[int]) -> None:
    segments = [Segment(p, BOLD if k % 2 else None) for k, p in enumerate(parts)]
    line, strip = Line(segments), Strip(segments)
    at = sorted(set(cuts)) + [strip.cell_length]
    assert [list(s) for s in line.divide(at)] == [list(s) for s in strip.divide(at)]


def test_an_uncut_line_keeps_no_reference_to_itself() -> None:
    line = Line([Segment("x" * 10)])
    alone = sys.getrefcount(line)
    assert line.divide([10]) == [line]
    assert sys.getrefcount(line) == alone
