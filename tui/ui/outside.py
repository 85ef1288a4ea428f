"""Handing things to the world outside the reader: toasts, the browser, the editor.

Every screen says things and opens URLs the same way through here: a toast
is never markup (titles and URLs come from files), and only http and https
URLs are handed to the browser.
"""

from __future__ import annotations

from typing import Any

from textual.app import SuspendNotSupported
from textual.dom import DOMNode

from tui.core.editor import EditorError, run_editor
from tui.core.urls import is_openable


def say(node: DOMNode, message: str, **kwargs: Any) -> None:
    """A toast. Never markup: titles and URLs come from files."""
    node.notify(message, markup=False, **kwargs)


def open_url(node: DOMNode, url: str, what: str = "article") -> bool:
    """Open ``url`` in the browser, or say why not (no URL for this
    ``what``, not http or https). True when it was handed over."""
    if not url:
        say(node, f"This {what} has no URL.", severity="warning")
        return False
    if not is_openable(url):
        say(node, f"Not opening {url!r}: only http and https links are opened.", severity="warning")
        return False
    node.app.open_url(url)
    say(node, f"Opening {url}", timeout=2)
    return True


def edit_file(node: DOMNode, path: str) -> bool:
    """Hand the terminal to ``$EDITOR`` on ``path`` and take it back; False
    when no editor could run (said why)."""
    app = node.app
    try:
        if app.is_headless:  # tests: no terminal to hand over
            status = run_editor(path)
        else:
            with app.suspend():
                status = run_editor(path)
    except EditorError as exc:
        say(node, str(exc), title="Editor", severity="error")
        return False
    except SuspendNotSupported:
        say(node, "This terminal cannot hand the screen over to an editor.", title="Editor", severity="error")
        return False
    if status != 0:
        say(node, f"The editor exited with status {status}.", title="Editor", severity="warning", timeout=4)
    return True
