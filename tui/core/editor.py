"""Running the user's editor on a file: ``$EDITOR``, else ``$VISUAL``, else ``vi``.

A file name is never read as an option: the editor is given the file's
absolute path (see :func:`path_argument`), so a file named
``+!touch PWNED.md`` or ``-c evil.md`` is a file to vim, emacs, nano, code...
alike, whether or not the editor understands ``--``.
"""

from __future__ import annotations

import os
import shlex
import subprocess

FALLBACK_EDITOR = "vi"


class EditorError(Exception):
    """The editor could not be run (one-line message)."""


def editor_command(path: str | os.PathLike[str]) -> list[str]:
    """The command line that edits ``path``. ``EDITOR="code --wait"`` works:
    the variable is split like a shell would."""
    raw = os.environ.get("EDITOR", "").strip() or os.environ.get("VISUAL", "").strip() or FALLBACK_EDITOR
    try:
        argv = shlex.split(raw)
    except ValueError as exc:
        raise EditorError(f"cannot understand the editor command {raw!r}: {exc}") from None
    return [*(argv or [FALLBACK_EDITOR]), path_argument(path)]


def path_argument(path: str | os.PathLike[str]) -> str:
    """``path`` as an argument for any external program: absolute, so it
    starts with the root (``/`` or a drive), never with ``-`` or ``+`` that a
    program would take for an option or a command."""
    argument = os.path.abspath(os.fspath(path))
    if argument.startswith(("-", "+")):  # pragma: no cover - abspath never gives it
        argument = os.path.join(os.curdir, argument)
    return argument


def run_editor(path: str | os.PathLike[str]) -> int:
    """Edit ``path`` in the user's editor, wait for it; its exit status.

    Raises :class:`EditorError` when the editor cannot be started at all.
    """
    argv = editor_command(path)
    try:
        return subprocess.run(argv, check=False).returncode
    except FileNotFoundError:
        raise EditorError(f"cannot run the editor {argv[0]!r}: command not found (set $EDITOR)") from None
    except OSError as exc:
        raise EditorError(f"cannot run the editor {argv[0]!r}: {exc.strerror or exc}") from None
