"""Which browser opens a link, and the command line that runs it.

The ``browser`` setting is a command (``"w3m %u"``, ``["lynx", "-accept_all_cookies"]``):
``%u`` stands for the URL, else the URL goes last. It is run as a list of
arguments, never through a shell, so nothing in a URL is ever a command;
and only http and https URLs are given to it. Without the setting, the
system's browser is the one Python's :mod:`webbrowser` finds; when that is
a text browser (lynx, w3m, www-browser…), it too needs the terminal, so it
is run like the setting.
"""

from __future__ import annotations

import shlex
import subprocess
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.urls import is_openable

URL = "%u"  # in the command: where the URL goes


class BrowserError(Exception):
    """The browser could not be run (one-line message)."""


def parse_command(value: object) -> tuple[str, ...]:
    """The ``browser`` setting as arguments: a string is split like a shell
    would (quotes kept together), a list is taken as it is; "" is no setting.
    Raises ValueError saying what is wrong."""
    if isinstance(value, str):
        if not value.isprintable():
            raise ValueError("holds a line break or a control character")
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot be split into words ({exc})") from None
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        argv = list(value)
    else:
        raise ValueError("must be a command (a string such as \"w3m %u\", or a list of strings)")
    if any(not arg.isprintable() for arg in argv):
        raise ValueError("holds a line break or a control character")
    if argv and not argv[0].strip():
        raise ValueError("starts with an empty program name")
    return tuple(argv)


def browser_argv(command: Sequence[str], url: str) -> list[str]:
    """The arguments that open ``url`` with ``command`` (``%u`` replaced, else the URL last)."""
    if not is_openable(url):
        raise BrowserError(f"not opening {url!r}: only http and https links are opened")
    if any(URL in arg for arg in command):
        return [arg.replace(URL, url) for arg in command]
    return [*command, url]


def run_browser(argv: Sequence[str]) -> int:
    """Run a browser and wait for it (it has the terminal meanwhile); its exit status."""
    try:
        return subprocess.run(list(argv), check=False).returncode
    except FileNotFoundError:
        raise BrowserError(f"cannot run the browser {argv[0]!r}: command not found (see the browser setting)") from None
    except OSError as exc:
        raise BrowserError(f"cannot run the browser {argv[0]!r}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class SystemBrowser:
    """The browser the system has: ``terminal`` is its command (``%u`` for the
    URL) when it is a text browser that needs this terminal; () when it
    opens in a window of its own."""

    terminal: tuple[str, ...] = ()


def system_browser() -> SystemBrowser | None:
    """The browser Python's webbrowser would use, or None when there is none."""
    try:
        found = webbrowser.get()
    except webbrowser.Error:
        return None
    if isinstance(found, webbrowser.GenericBrowser) and not isinstance(found, webbrowser.BackgroundBrowser):
        # A console browser: webbrowser would run it in this terminal, behind the reader's back.
        return SystemBrowser((found.name, *(arg.replace("%s", URL) for arg in found.args)))
    return SystemBrowser()


__all__ = ["BrowserError", "SystemBrowser", "browser_argv", "parse_command", "run_browser", "system_browser"]
