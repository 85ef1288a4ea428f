#!/usr/bin/env python3
"""How well tui.core.markdown_budget's estimate bounds markdown-it's real cost.

For repeated patterns (the costly ones first) and ordinary bodies, one chunk
of the detail pane's size is parsed by markdown-it and timed, and set beside
the estimate :func:`markdown_cost_ms` makes from character counts. Both
figures come from the same run. An estimate at or above the measured time
(ratio >= 1) keeps the promise that a body rendered as Markdown stays within
the budget; the check itself (the counts) is timed too.

Usage::

    python benchmarks/bench_markdown.py [--size 16384] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.markdown_budget import CHUNK_BUDGET_MS, markdown_cost_ms  # noqa: E402

PATTERNS = ["![", "[", "[[", "[\n", "[^", "![a](", "[a](b", "*_", "**a", "a*", "_", "*", "<", "<a", "&", "&#", "]", "]]", "`", "\\[", "> ", "- "]


def _parse_ms(md: object, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        md.parse(text)  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=16 * 1024, help="characters per chunk (the detail pane's chunk)")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many parses")
    args = parser.parse_args(argv)
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()))
    samples = {f"{p!r} x n": (p * (args.size // len(p) + 1))[: args.size] for p in PATTERNS}
    samples["seeds (prose)"] = (prose * (args.size // len(prose) + 1))[: args.size]
    samples["link list"] = "\n".join(f"- [Story {i}](https://example.com/{i}) by *someone*" for i in range(400))[: args.size]
    print(f"chunk of {args.size:,} characters; budget {CHUNK_BUDGET_MS:.0f} ms; best of {args.repeat}")
    print(f"{'body':<16} {'parsed ms':>10} {'estimate ms':>12} {'est/real':>9}  {'shown as':<9}")
    worst = float("inf")
    for name, text in samples.items():
        real = _parse_ms(md, text, args.repeat)
        estimate = markdown_cost_ms(text)
        ratio = estimate / real if real else float("inf")
        worst = min(worst, ratio)
        shown = "text" if estimate > CHUNK_BUDGET_MS else "markdown"
        print(f"{name:<16} {real:>10.1f} {estimate:>12.1f} {ratio:>9.2f}  {shown:<9}")
    start = time.perf_counter()
    for text in samples.values():
        markdown_cost_ms(text)
    check = (time.perf_counter() - start) * 1000 / len(samples)
    print(f"lowest estimate/real ratio: {worst:.2f} (>= 1: the estimate bounds the cost); the check: {check:.3f} ms a chunk")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
