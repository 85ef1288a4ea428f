"""The Textual app: opens the main screen on a collection."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tui.core.bookmarks import BookmarkStore
from tui.core.collection import default_paths
from tui.core.index import IndexJob
from tui.ui.commands import ReaderCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen


class ReaderApp(App[None]):
    TITLE = "tui-reader"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, roots: list[Path] | None = None, store: BookmarkStore | None = None, job: IndexJob | None = None) -> None:
        super().__init__()
        self.roots = roots or default_paths()
        self.store = store if store is not None else BookmarkStore()
        self.job = job

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.roots, self.store, self.job))
        self.job = None
        if self.store.notice:
            self.notify(self.store.notice, title="Bookmarks", severity="warning", timeout=10, markup=False)

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not open")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.store.close()
