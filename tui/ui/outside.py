"""Handing things to the world outside the reader: toasts, the browser, the editor.

Every screen says things and opens URLs the same way through here: a toast
is never markup (titles and URLs come from files), and only http and https
URLs are handed to the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import SuspendNotSupported
from textual.dom import DOMNode

from tui.core.browser import BrowserError, browser_argv, run_browser, system_browser
from tui.core.editor import EditorError, run_editor
from tui.core.text import clean_line
from tui.core.urls import is_openable


def say(node: DOMNode, message: str, **kwargs: Any) -> None:
    """A toast. Never markup: titles and URLs come from files."""
    node.notify(message, markup=False, **kwargs)


def url_of(here: Any) -> tuple[str, str]:
    """(URL, title) of what a key acts on (an article, a related story), or empty."""
    return (here.url, here.title) if here is not None else ("", "")


def copy_url(node: DOMNode, url: str, title: str = "") -> None:
    if not url:
        say(node, "This article has no URL.", severity="warning")
        return
    node.app.copy_to_clipboard(url)
    say(node, f"Copied {clean_line(url)}", timeout=2)


def copy_link(node: DOMNode, url: str, title: str) -> None:
    """The article as a Markdown link [title](url), to the clipboard."""
    from tui.core.links import markdown_link

    if not url:
        say(node, "This article has no URL: there is no link to copy.", severity="warning")
        return
    link = markdown_link(title, url)
    node.app.copy_to_clipboard(link)
    shown = clean_line(link)
    say(node, f"Copied {shown if len(shown) <= 100 else shown[:99] + '…'}", title="Markdown link", timeout=3)


def open_url(node: DOMNode, url: str, what: str = "article") -> bool:
    """Open ``url`` in the browser, or say why not (no URL for this
    ``what``, not http or https, no browser). True when a browser took it.

    The ``browser`` setting, or a text browser the system has, gets the
    terminal until it exits; a browser with a window of its own gets the
    URL through Textual (``App.open_url``)."""
    if not url:
        say(node, f"This {what} has no URL.", severity="warning")
        return False
    if not is_openable(url):
        say(node, f"Not opening {url!r}: only http and https links are opened.", severity="warning")
        return False
    app = node.app
    settings = getattr(app, "settings", None)
    command: tuple[str, ...] = settings.browser if settings is not None else ()
    if not command and not app.is_web:
        found = system_browser()
        if found is None:
            say(
                node,
                f"No browser found to open {url}. Set one in the settings (browser = \"w3m %u\"), or y copies the URL.",
                title="Browser",
                severity="warning",
                timeout=8,
            )
            return False
        command = found.terminal
    if command:
        status = hand_over(node, "the browser", lambda: run_browser(browser_argv(command, url)))
        return status is not None
    app.open_url(url)
    say(node, f"Opening {url}", timeout=2)
    return True


def edit_file(node: DOMNode, path: str) -> bool:
    """Hand the terminal to ``$EDITOR`` on ``path`` and take it back; False
    when no editor could run (said why)."""
    return hand_over(node, "the editor", lambda: run_editor(path)) is not None


def hand_over(node: DOMNode, who: str, run: Callable[[], int]) -> int | None:
    """Give the terminal to a program (``run`` starts it and waits), then
    take it back; its exit status, or None when it could not run (said why)."""
    app = node.app
    title = who.removeprefix("the ").capitalize()
    try:
        if app.is_headless:  # tests: no terminal to hand over
            status = run()
        else:
            with app.suspend():
                status = run()
    except (EditorError, BrowserError) as exc:
        say(node, str(exc), title=title, severity="error")
        return None
    except SuspendNotSupported:
        say(node, f"This terminal cannot hand the screen over to {who}.", title=title, severity="error")
        return None
    if status != 0:
        say(node, f"{who.capitalize()} exited with status {status}.", title=title, severity="warning", timeout=4)
    return status
