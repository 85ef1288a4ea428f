"""Whether a body can be laid out as Markdown quickly, decided before it is.

markdown-it reads ordinary prose at well under a microsecond a character,
but each ``[`` (a possible link or image), and to a lesser degree each
``*`` and ``_`` (possible emphasis) and each ``<``, ``&``, ``]`` or
backtick, costs tens of microseconds (and each ``](``, the start of a link
target, as much again). A body made of them (``![`` 120,000
times, ``[`` 250,000 times) took seconds per opening. Their counts, taken
with ``str.count`` (C speed: about a millisecond for 256 KiB), bound the
cost closely (``benchmarks/bench_markdown.py`` measures it), so a body over
the budget is shown as plain text, with a one-line note, before anything
slow runs.
"""

from __future__ import annotations

from collections.abc import Sequence

# Estimated microseconds of markdown-it per character, measured on the
# worst repeated patterns (see the benchmark); ordinary text costs the base.
COSTS = (("[", 40.0), ("](", 40.0), ("*", 15.0), ("_", 15.0), ("<", 5.0), ("&", 5.0), ("]", 5.0), ("`", 5.0))
BASE_COST = 0.35
CHUNK_BUDGET_MS = 60.0  # one chunk (rendered between two key presses) at most about this long
PLAIN_NOTE = (
    "Shown as plain text: this body holds so many brackets or emphasis marks that laying it out"
    " as Markdown would freeze the reader."
)


def markdown_cost_ms(text: str) -> float:
    """The estimated time to parse ``text`` as Markdown, in milliseconds."""
    micros = BASE_COST * len(text)
    for char, cost in COSTS:
        micros += cost * text.count(char)
    return micros / 1000


def plain_text_reason(chunks: Sequence[str], budget_ms: float = CHUNK_BUDGET_MS) -> str:
    """"" when every chunk of a body can be rendered as Markdown within the
    budget; else the one-line note to show above it as plain text (all of
    it: a body is never half Markdown, half text)."""
    if any(markdown_cost_ms(chunk) > budget_ms for chunk in chunks):
        return PLAIN_NOTE
    return ""
