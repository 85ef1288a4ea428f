"""Back and forward through the articles opened, as in a web browser."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")

MAX_HISTORY = 500


class History(Generic[T]):
    """The articles opened, in order, and where one stands among them.

    ``visit`` after going back drops the forward part (browser semantics);
    visiting the current place again changes nothing.
    """

    def __init__(self, limit: int = MAX_HISTORY) -> None:
        self.items: list[T] = []
        self.position = -1
        self.limit = limit

    @property
    def current(self) -> T | None:
        return self.items[self.position] if self.position >= 0 else None

    def visit(self, item: T) -> None:
        if self.current == item:
            return
        del self.items[self.position + 1 :]
        self.items.append(item)
        if len(self.items) > self.limit:
            del self.items[0]
        self.position = len(self.items) - 1

    def can_go_back(self) -> bool:
        return self.position > 0

    def can_go_forward(self) -> bool:
        return self.position < len(self.items) - 1

    def back(self) -> T | None:
        if not self.can_go_back():
            return None
        self.position -= 1
        return self.items[self.position]

    def forward(self) -> T | None:
        if not self.can_go_forward():
            return None
        self.position += 1
        return self.items[self.position]

    def trail(self, before: int = 4, after: int = 2) -> tuple[list[T], int]:
        """The part of the path around where one stands, and the index of the
        current item in it."""
        start = max(0, self.position - before)
        end = min(len(self.items), self.position + after + 1)
        return self.items[start:end], self.position - start
