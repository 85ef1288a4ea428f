"""The ``tui-reader`` command (and ``python -m tui``).

The cycle collector pauses before anything big is imported: starting makes
some 100,000 objects that live as long as the process (tui/core/memory.py).
"""

from __future__ import annotations


def main() -> int:
    from tui.core.memory import pause_while_starting

    pause_while_starting()
    from tui.cli import main as run

    return run()


# Guarded: the index's worker processes (spawned) import the main module.
if __name__ == "__main__":
    raise SystemExit(main())
