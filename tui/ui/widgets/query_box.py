"""A one-line box taking the query language, completing facet names and
values as you type (``topic:mac`` → ``topic:"machine learning"``): the jump
box's query and the list's filter box. → or Tab accepts a completion (each
box binds Tab itself, under its own binding id)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual.suggester import Suggester

from tui.core.query import complete
from tui.ui.textual_compat import shown_suggestion
from tui.ui.widgets.text_box import TextBox


class FacetSuggester(Suggester):
    """Completes facet names and values (``topic:mac`` → ``topic:"machine
    learning"``) from the collection's values, via the core's ``complete``.

    Textual shows a suggestion as the letters after what is typed; a value that
    needs quotes is shown unquoted and becomes the quoted form when accepted
    (``QueryInput.accepts`` holds the real completions)."""

    def __init__(self, values: Callable[[], Mapping[str, Sequence[str]] | None], accepts: dict[str, str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values = values
        self.accepts = accepts

    async def get_suggestion(self, value: str) -> str | None:
        return suggestion_for(value, self.values(), self.accepts)


def suggestion_for(value: str, values: Mapping[str, Sequence[str]] | None, accepts: dict[str, str]) -> str | None:
    """What to show after ``value`` (the whole input as it would read), or None;
    records in ``accepts`` what accepting it puts in the box."""
    if not value or value[-1].isspace():
        return None
    full = complete(value, None, values or {})
    if not full or full == value:
        return None
    if full.lower().startswith(value.lower()):
        shown = value + full[len(value) :]
    else:
        # A quote was inserted: 'topic:mac' -> 'topic:"machine learning"'.
        i = 0
        while i < min(len(value), len(full)) and value[i].lower() == full[i].lower():
            i += 1
        typed, rest = value[i:], full[i:]
        if not rest.startswith('"') or not rest[1:].lower().startswith(typed.lower()):
            return None
        shown = value + rest[1 + len(typed) :].rstrip('"')
    if len(accepts) > 200:
        accepts.clear()
    accepts[shown] = full
    return shown


class CompletingBox(TextBox):
    """A :class:`TextBox` for queries: ``values`` (the collection's topics and
    providers, when known) complete facets; → at the end or ``accept`` takes
    the completion shown, quoted where the value needs it."""

    def __init__(self, *args, values: Callable[[], Mapping[str, Sequence[str]] | None] | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.accepts: dict[str, str] = {}
        if values is not None:
            self.suggester = FacetSuggester(values, self.accepts)

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and shown_suggestion(self):
            self.action_accept()
            return
        super().action_cursor_right(select)

    def action_accept(self) -> None:
        suggestion = shown_suggestion(self)
        if suggestion and self.cursor_at_end:
            self.value = self.accepts.get(suggestion, suggestion)
            self.cursor_position = len(self.value)
