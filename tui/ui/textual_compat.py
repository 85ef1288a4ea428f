"""Every private name of Textual the reader uses, and why (the only module that may).

Textual's private names can change in any release. Each one here is kept
because a measured target needs it (``benchmarks/bench_paint.py`` prints
what each saves, side by side with Textual's own way, in one run) or
because Textual has no public way to read something the reader shows.
``tests/test_architecture.py`` fails on a private Textual name anywhere else
in ``tui/``. When Textual changes one of these, this file is the one to fix,
and ``CONTRIBUTING.md`` has the command that runs the suite against the
newest Textual.

* :func:`set_frame_rate`: frames a second, whatever was imported first.
* :func:`scrollbars_follow`: a widget whose size never depends on its
  content takes a new length without a layout of the screen.
* :func:`forget_styled_lines`, :func:`has_border_titles`: the lists' own
  line path (``VirtualList.render_lines``), which skips Textual's per-line
  styling for a list with at most a right border.
* :func:`own_vertical_scrollbar`: the quick scrollbar of every scrolling
  widget (``tui/ui/widgets/scrollbar.py``).
* :func:`keymap`, :func:`normalize_keys`: the keys as bound now, for the help,
  the palette and the settings' check (``tui/ui/keys.py``).
* :func:`shown_suggestion`: the completion the jump box shows.
* :func:`palette_input_with`: the command palette's box with a behaviour
  of ours (keys in order), where the palette makes its box.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Size
    from textual.scrollbar import ScrollBar
    from textual.widget import Widget
    from textual.widgets import Input

FRAME_RATE = 120


def set_frame_rate(fps: int = FRAME_RATE) -> None:
    """Paint at most ``fps`` frames a second, unless ``TEXTUAL_FPS`` says otherwise.

    Textual paints a screen's changes in the next slot of a fixed grid (60 a
    second by default): a key that lands just after a slot waits for the
    next one. Moving in the list paints the list at once and the article a
    frame later; at 120 frames a second a slot comes every 8 ms instead of
    17, which keeps a cursor step within its 16 ms
    (``TEXTUAL_FPS=60 python benchmarks/bench_paint.py`` shows the
    difference). Frames are only drawn when something changed, so an idle
    reader costs nothing more.

    Textual reads ``TEXTUAL_FPS`` once, when ``textual.constants`` is first
    imported, and a screen's frame timer takes its period from
    ``textual.screen.UPDATE_PERIOD`` when it is made: setting both here,
    before the app makes its first screen, works whatever was imported
    first (a test plugin, a benchmark, the command line).
    """
    if os.environ.get("TEXTUAL_FPS"):
        return  # the person's own choice, which Textual read already
    import textual.constants
    import textual.screen

    textual.constants.MAX_FPS = fps  # type: ignore[misc]
    textual.screen.UPDATE_PERIOD = 1 / fps  # type: ignore[misc]


def scrollbars_follow(widget: Widget, virtual_size: Size) -> None:
    """The scrollbars follow a new ``virtual_size`` set without a layout.

    The reader's scrolling widgets (the lists, the article, the jump box's
    results) declare ``virtual_size`` with ``layout=False``: their size never
    depends on their content, and in Textual a new virtual size lays out the
    whole screen (opening an article, a keystroke in the jump box: a few ms
    each, ``benchmarks/bench_paint.py``). Textual's own OptionList updates
    its scrollbars the same way.
    """
    widget._scroll_update(virtual_size)


def forget_styled_lines(widget: Widget) -> None:
    """Drop the lines Textual styled and kept for ``widget``: the list's own
    line path draws without them, and they would be stale by the time
    Textual's path is used again (a page down draws every line anew either way)."""
    widget._styles_cache.clear()


def has_border_titles(widget: Widget) -> bool:
    """A border title or subtitle is drawn by Textual's line styling only."""
    return widget._border_title is not None or widget._border_subtitle is not None


def own_vertical_scrollbar(widget: Widget, make: Callable[[], ScrollBar]) -> ScrollBar:
    """The widget's vertical scrollbar, made by ``make`` on first use (as
    Textual's ``vertical_scrollbar`` property does with its own class)."""
    bar = widget._vertical_scrollbar
    if bar is None:
        bar = make()
        bar.display = False
        widget._vertical_scrollbar = bar
        widget.app._start_widget(widget, bar)
    return bar


def keymap(app: App[object]) -> Mapping[str, str]:
    """The keymap Textual applies now (binding id -> keys, normalised)."""
    return app._keymap


def normalize_keys(keys: str) -> str:
    """ "?,ctrl+e" -> "question_mark,ctrl+e": Textual's names, as its bindings use them."""
    from textual.keys import _normalize_key_list

    return _normalize_key_list(keys)


def shown_suggestion(box: Input) -> str:
    """The completion an Input shows after what is typed ("" when none)."""
    return box._suggestion


def palette_input_with(mixin: type) -> None:
    """Make the command palette type in its box class with ``mixin`` first
    (once): the palette builds its box by the module's ``CommandInput``
    name, and the styles still match (CSS type names include the bases)."""
    from textual import command

    if not issubclass(command.CommandInput, mixin):
        command.CommandInput = type("OrderedCommandInput", (mixin, command.CommandInput), {})  # type: ignore[misc]
