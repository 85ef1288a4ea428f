"""Running the user's editor on a file: ``$EDITOR``, else ``$VISUAL``, else ``vi``."""

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
    return [*(argv or [FALLBACK_EDITOR]), os.fspath(path)]


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
