"""Editing the article's file (``e``): the editor, then the file read again
off the UI thread, its row, the sort and the search following.

A loaded collection swaps the one entry in (:func:`tui.core.loading.reload_stages`);
a queried one updates the file in place in its index and reads the rows
anew (:func:`tui.core.opening.open_queried`).
"""

from __future__ import annotations

from typing import Any

from tui.core.loading import Reloaded, reload_stages
from tui.core.model import Entry, LoadIssue
from tui.core.opening import open_queried
from tui.core.queried import QueriedSession
from tui.ui import outside
from tui.ui.widgets.article_list import fit_cells


def edit(screen: Any) -> None:
    """Edit the article shown in $EDITOR, then show it again (``screen``: the main screen)."""
    entry = screen.current_entry
    if entry is None or not entry.path:
        screen.say("No file to edit here.", severity="warning")
    elif outside.edit_file(screen, entry.path):
        screen.run_worker(lambda: _reload(screen, entry), thread=True, exclusive=True, group="reload", name="read the edited file")


def _reload(screen: Any, entry: Entry) -> None:
    """In a thread: the file read again, each stage posted to the screen."""
    post = lambda stage: screen.post_message(screen.Staged(stage))  # noqa: E731
    if isinstance(screen.session, QueriedSession):
        open_queried(screen.session, screen.roots, post, changed=[entry.path])
        return
    for stage in reload_stages(entry, screen.session.collection, screen.sort):
        post(stage)


def reloaded(screen: Any, stage: Reloaded) -> None:
    """The edited file was read again: its row and article show what it holds now."""
    new = stage.new
    panes = screen.panes
    if isinstance(new, LoadIssue):
        screen.say(f"After editing, the file cannot be read: {new.reason}", severity="error")
        current = screen.current_entry
        if current is not None and current.path == stage.old.path:
            panes.article_view.show_unreadable(current, new)
            panes.related.clear()
        return
    if screen.session.reloaded(stage.old, new, stage.source, stage.updated):
        panes.fill(new)
        screen.sub_title = screen.session.summary()
    current = screen.current_entry
    if current is not None:
        panes.show_entry(current)
    screen.say(f"Reloaded {fit_cells(new.title, 80)}", timeout=2)
