"""The core never imports Textual; the UI only calls the core (import-linter)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "tui" / "core"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_textual_or_the_ui() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in CORE.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] == "textual" or name.startswith("tui.ui") or name == "tui.cli"
    }
    assert not offenders


def test_importing_the_core_loads_no_textual() -> None:
    code = (
        "import sys, tui.core.collection, tui.core.search, tui.core.bookmarks, tui.core.loader;"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_scrolling_widget_of_the_reader_draws_the_quick_scrollbar() -> None:
    """A new ScrollView in the UI gets the same scrollbar as the others (a
    plain one would cost ~1 ms per frame that moves it)."""
    import importlib
    import inspect
    import pkgutil

    from textual.scroll_view import ScrollView
    from textual.widgets import Input

    import tui.ui
    from tui.ui.widgets.scrollbar import QuickScrollBars

    views = set()
    for module in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            # (An Input is a ScrollView too, scrolling sideways without a bar.)
            if issubclass(cls, ScrollView) and not issubclass(cls, Input) and cls.__module__.startswith("tui.ui"):
                views.add(cls)
    assert {"VirtualList", "DetailPane", "JumpResults"} <= {cls.__name__ for cls in views}
    assert [cls.__name__ for cls in views if not issubclass(cls, QuickScrollBars)] == []
