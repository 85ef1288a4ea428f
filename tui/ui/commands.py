"""Command palette (ctrl+p): every action of the main screen, and jumping to any story."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.core.collection import SORT_CYCLE, SORT_LABELS
from tui.core.model import Entry
from tui.core.session import ReadingSession
from tui.ui import keys

# (name, help, action of the main screen). The key shown after the help is
# the one bound to that action now (see tui/ui/keys.py), remapped or not.
ACTIONS: list[tuple[str, str, str]] = [
    ("Jump to a story", "Fuzzy-find any story by title, provider, topic, excerpt or body words", "jump"),
    ("Saved views", "Queries saved with ctrl+s in the jump box: open one, delete one", "views"),
    ("Find in the article", "Mark words in the open article; n / N step through them", "find"),
    ("Cycle sort order", "Date, title, provider, quality, heat", "cycle_sort"),
    ("Bookmark or un-bookmark", "The current article or selected related story", "toggle_bookmark"),
    ("Bookmarks", "Every bookmark, newest first, with tags; filter by tag", "show_bookmarks"),
    ("Edit tags and note", "Of the current article's bookmark (bookmarks it)", "edit_tags"),
    ("Mark read or unread", "The current article", "toggle_read"),
    ("Toggle raw front matter", "Show the YAML as the file has it", "toggle_raw"),
    ("Next part of the body", "A body over 256 KiB is read in parts", "body_part(1)"),
    ("Previous part of the body", "Back to the part before", "body_part(-1)"),
    ("Toggle related sidebar", "Show or hide related stories", "toggle_sidebar"),
    ("Open URL in browser", "http and https only", "open_url"),
    ("Links of the article", "Every link and image of the article: pick one to open", "links"),
    ("Copy URL", "Copy the article's URL to the clipboard", "copy_url"),
    ("Copy as Markdown link", "Copy [title](url) to the clipboard", "copy_link"),
    ("Edit the file", "Open the article's file in $EDITOR, then show it again", "edit"),
    ("Rescan the collection", "New, changed and removed files show up", "rescan"),
    ("Show issues", "Files that could not be read, and why", "show_issues"),
]


class Reader(Protocol):
    """What the palette asks of the main screen (found through ``ReaderApp.main``)."""

    sort: str
    session: ReadingSession

    def run_action(self, action: str) -> object: ...

    def action_jump(self, query: str = "") -> None: ...

    def go_to(self, entry: Entry) -> bool: ...


class ReaderCommands(Provider):
    """Actions of the main screen, sort orders by name, and articles by title."""

    def _main(self) -> Reader | None:
        try:
            return self.app.main  # type: ignore[attr-defined,no-any-return]
        except (AttributeError, LookupError):
            return None

    def _commands(self) -> list[tuple[str, str, object]]:
        main = self._main()
        if main is None:
            return [("Help", "Every key", self.app.action_help)]
        bound = keys.action_keys(self.app)
        commands: list[tuple[str, str, object]] = []
        for name, help_text, action in ACTIONS:
            key = bound.get(action)
            help_text = escape(f"{help_text} ({key})" if key else help_text)  # help is markup
            commands.append((name, help_text, partial(main.run_action, action)))
        for key in SORT_CYCLE:
            commands.append((f"Sort by {key}", SORT_LABELS[key], partial(setattr, main, "sort", key)))
        queries = getattr(self.app, "queries", None)
        for view in queries.views if queries is not None else []:
            commands.append((f"View: {view.name}", escape(view.query), partial(main.action_filter_view, view.query)))
        commands.append(("Help", "Every key", self.app.action_help))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        main = self._main()
        index = main.session.search_index if main is not None else None
        if main is not None and index is not None and len(query) >= 2:
            entries = index.entries
            for hit in index.search(query, limit=8):
                entry = entries[hit.index]
                # Titles come from files: Content, never markup.
                yield Hit(
                    hit.score / 100 * 0.9,
                    Content("Open: ") + Content(entry.title),
                    partial(main.open_story, entry),
                    text=f"Open: {entry.title}",
                    help=escape(" · ".join(x for x in (entry.provider, entry.date_text) if x)),
                )
