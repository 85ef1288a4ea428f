"""Write docs/keys.md from the reader's key bindings (every BINDINGS of tui.ui).

    python scripts/keys_doc.py           # write docs/keys.md
    python scripts/keys_doc.py --check   # exit 1 when docs/keys.md is out of date

A binding added, changed or removed anywhere in ``tui/ui`` changes this file;
``tests/test_docs.py`` fails until it is made again.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "docs" / "keys.md"


def render() -> str:
    sys.path.insert(0, str(ROOT))
    import tui.ui.app  # noqa: F401  (every screen and widget: their bindings)
    from tui.ui import keys

    return keys.reference()


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = KEYS.read_text(encoding="utf-8") if KEYS.exists() else ""
        if current != text:
            print(f"{KEYS.relative_to(ROOT)} is out of date: run python scripts/keys_doc.py", file=sys.stderr)
            return 1
        return 0
    KEYS.write_text(text, encoding="utf-8")
    print(KEYS.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
