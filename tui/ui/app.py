"""The Textual app: opens the main screen on a collection, with the user's settings."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.content import Content

from tui.core import settings as settings_file
from tui.core.bookmarks import BookmarkStore
from tui.core.collection import default_paths
from tui.core.index import IndexJob
from tui.core.memory import IdleCollector
from tui.core.opening import EarlyOpen
from tui.core.queries import QueryStore
from tui.core.settings import Settings, SettingsError
from tui.ui import keys
from tui.ui.commands import ReaderCommands
from tui.ui.palette import readable_variables
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.textual_compat import set_frame_rate
from tui.ui.widgets.text_box import OpensWithABox, for_the_box, palette_keeps_keys_in_order

NARROW_HEADER = 100  # columns: at this width and below the header leaves out the app's name
GC_TICK = 0.1  # seconds between looks for a pause to collect garbage in (see IdleCollector)


class ReaderApp(App[None]):
    TITLE = "tui-reader"
    CSS_PATH = "app.tcss"
    # Screens narrower than 100 columns get the class -cramped (app.tcss: toasts).
    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (100, "-roomy")]
    COMMANDS = App.COMMANDS | {ReaderCommands}
    HELP_SECTION = "Everywhere"
    HELP_ORDER = 0
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="quit", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="help: every key as bound now", id="help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="command palette: every action, sort orders, themes, and any story by title",
            id="command_palette",
        ),
    ]

    def __init__(
        self,
        roots: list[Path] | None = None,
        store: BookmarkStore | None = None,
        job: IndexJob | EarlyOpen | None = None,
        settings: Settings | None = None,
        problems: list[str] | None = None,
        queries: QueryStore | None = None,
    ) -> None:
        set_frame_rate()  # before the first screen makes its frame timer
        palette_keeps_keys_in_order()
        super().__init__()
        if settings is None:
            settings, problems = settings_file.load()
        self.settings = settings
        self.settings_problems = list(problems or [])
        self.roots = roots or list(settings.paths) or default_paths()
        self.store = store if store is not None else BookmarkStore()
        self.queries = queries if queries is not None else QueryStore()  # recent queries, saved views
        self.job = job
        self._theme_loaded = False
        # The one owner of the garbage collector's pace: it hears every key
        # and click, and the main screen says how far loading is (LoadPhase).
        self.collector = IdleCollector()
        # Textual writes the report of an unexpected error here when it stops
        # the app (and sets return_code): tui.cli saves it in a log file.
        self.error_console = Console(file=io.StringIO(), width=120, color_system=None, markup=False, highlight=False)

    def error_report(self) -> str:
        """What stopped the app, if an unexpected error did (plain text)."""
        file = self.error_console.file
        return (file.getvalue() if isinstance(file, io.StringIO) else "") or "(no report: the app stopped with an error status)\n"

    def on_mount(self) -> None:
        self._apply_settings()
        # Being asked to stop (SIGTERM) quits as `q` does; a closed terminal
        # (SIGHUP) saves the same things and leaves at once (there is no
        # terminal left to restore). Either way the reading state, the last
        # position and what was indexed so far are kept.
        loop = asyncio.get_running_loop()
        for name, handler in (("SIGHUP", self._terminal_closed), ("SIGTERM", lambda: self.call_later(self.action_quit))):
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                loop.add_signal_handler(signum, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not on this platform, or not the main thread (tests)
        self.set_interval(GC_TICK, self.collector.tick)
        self.push_screen(MainScreen(self.roots, self.store, self.job, self.settings))
        self.job = None
        if self.store.notice:
            self.notify(self.store.notice, title="Bookmarks", severity="warning", timeout=10, markup=False)
        if self.queries.notice:
            self.notify(self.queries.notice, title="Queries", severity="warning", timeout=10, markup=False)
        for problem in self.settings_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10, markup=False)

    def _apply_settings(self) -> None:
        """The theme and the keymap; a name Textual does not know costs that one setting."""
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.settings_problems.append(
                f'theme: {theme!r} is not one of Textual\'s themes (ctrl+p, then "theme" lists them); using the default'
            )
        self._theme_loaded = True
        known = keys.binding_ids(self)
        keymap = {}
        for binding_id, key in self.settings.keys.items():
            bad = keys.unknown_keys(key)
            if binding_id not in known:
                self.settings_problems.append(f"keys.{binding_id}: no binding has this id (? shows every id); not remapped")
            elif bad:
                self.settings_problems.append(f"keys.{binding_id}: {bad[0]!r} is not a key name Textual knows; not remapped")
            else:
                keymap[binding_id] = key
        if keymap:
            self.set_keymap(keymap)
            for binding_id, key, loser in keys.clashes(self, keymap):
                self.settings_problems.append(f"keys.{binding_id}: {key!r} was also the key of {loser!r}, which no longer has it")

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, every text colour readable on its backgrounds (tui/ui/palette.py)."""
        self.theme_variables = readable_variables(super().get_css_variables())
        return self.theme_variables

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is written to the settings file: remembered."""
        if not self._theme_loaded or theme == self.settings.theme:
            return
        try:
            settings_file.remember_theme(theme)
        except SettingsError as exc:
            self.notify(f"Theme not remembered: {exc}", title="Settings", severity="warning", markup=False)
            return
        self.settings = replace(self.settings, theme=theme)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: the collection's line in muted text, not "dim" (which
        the terminal may fade unreadably); at 100 columns and below, that line
        alone (the app's name would push the sort order off the edge)."""
        if not sub_title:
            return Content(title)
        if self.size.width <= NARROW_HEADER:
            return Content.styled(sub_title, "$text-muted")
        return Content.assemble(title, (" — ", "$text-muted"), (sub_title, "$text-muted"))

    def on_resize(self) -> None:
        self.mutate_reactive(ReaderApp.title)  # the header follows the width

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.collector.activity()  # a key or the mouse: not the moment to collect garbage
            if isinstance(event, events.Key):
                event.arrived_on = self.screen  # type: ignore[attr-defined]  # (see on_key)
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key that arrived before an earlier key of the same burst opened a
        box (``/``, ``F``) went to the screen below, and comes back here
        unhandled: it goes on, in order, to the box, as a person's next key would."""
        arrived_on = getattr(event, "arrived_on", None)
        screen = self.screen
        if arrived_on is not None and arrived_on is not screen and isinstance(screen, OpensWithABox):
            event.stop()
            event.prevent_default()
            screen.post_message(for_the_box(event))

    @on(MainScreen.LoadPhase)
    def _load_phase(self, event: MainScreen.LoadPhase) -> None:
        """What is loaded lives as long as the collection: out of the collector's sight."""
        if event.phase == "painted":
            self.collector.first_frame()
        elif event.phase == "searchable":
            self.collector.collection_searchable()
        elif event.phase == "complete":
            self.collector.collection_complete()
        else:
            self.collector.stop()  # reading the collection again: Python's own pace meanwhile

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not open")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A screen that moves with ctrl+p itself (the jump box, as fzf) keeps the key from the palette.
        if action == "command_palette" and getattr(self.screen, "OWNS_PALETTE_KEY", False):
            return False
        return super().check_action(action, parameters)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Save the reading state and where the reader is, then quit."""
        try:
            self.main.save_state(final=True)
        except LookupError:
            pass
        await super().action_quit()

    def _terminal_closed(self) -> None:
        try:
            self.main.finish(wait=2.0)
        except LookupError:
            pass
        from tui.core.index import flush

        flush()
        self.store.close()
        os._exit(0)

    def on_unmount(self) -> None:
        self.collector.stop()
        self.store.close()
