"""The shape of the code: the core never imports Textual; the UI only calls
the core (import-linter); no import cycles; Textual's private names in one
module; no class over 500 lines, no file over 600 (tests, fixtures,
benchmarks and scripts too); one owner of the garbage collector's pace; a
frame rate that does not depend on import order."""

from __future__ import annotations

import ast
import functools
import os
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


# -- the shape of the code ------------------------------------------------------------------
TUI = ROOT / "tui"
COMPAT = TUI / "ui" / "textual_compat.py"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tui_imports(path: Path, known: set[str]) -> set[str]:
    """Every tui module ``path`` imports: at the top, in functions, under TYPE_CHECKING."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # from a package, a module
    return {name for name in found if name in known}


def test_no_import_cycle_between_tui_modules() -> None:
    """TYPE_CHECKING and function-level imports count too: a cycle hidden
    there still ties two modules together for whoever reads them."""
    paths = {_module_name(path): path for path in TUI.rglob("*.py")}
    known = set(paths)
    graph = {name: _tui_imports(path, known) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(name: str) -> None:
        state[name] = 1
        path.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(path[path.index(other) :] + [other])
            elif other not in state:
                walk(other)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def _textual_private_names() -> set[str]:
    """The private names of the Textual classes the reader's UI builds on
    (their attributes and methods, and what their ``__init__`` sets), and of
    the modules it imports from."""
    import importlib
    import inspect
    import pkgutil

    from textual.app import App
    from textual.widget import Widget

    import tui.ui

    bases: set[type] = set(App.__mro__) | set(Widget.__mro__)
    for module in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if cls.__module__.startswith("tui."):
                bases.update(base for base in cls.__mro__ if base.__module__.startswith("textual"))
    names: set[str] = set()
    for base in bases:
        names |= _private_names_of(base)
    return names


@functools.cache
def _private_names_of(base: type) -> frozenset[str]:
    """The private names one Textual class defines or sets on ``self``."""
    import inspect
    import textwrap

    names = {name for name in vars(base) if name.startswith("_") and not name.startswith("__")}
    try:
        source = textwrap.dedent(inspect.getsource(base))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                names.add(node.attr)
    return frozenset(names)


def _own_private_names(path: Path) -> dict[int, frozenset[str]]:
    """Per line inside a class of ``path``: the private names of that class's
    own Textual bases (``self._x`` in a class is Textual's only if one of its
    bases has it; another class's ``_x`` of the same name is not)."""
    import importlib

    module = importlib.import_module(_module_name(path))
    out: dict[int, frozenset[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
        if isinstance(cls, type) and node.end_lineno is not None:
            own = frozenset().union(*(_private_names_of(b) for b in cls.__mro__ if b.__module__.startswith("textual")))
            for line in range(node.lineno, node.end_lineno + 1):
                out[line] = own
    return out


def test_textual_private_names_only_in_the_compat_module() -> None:
    """Textual's private names (an attribute, a method overridden, a name
    imported) are used in tui/ui/textual_compat.py only, where each says
    why; anywhere else they would break unseen when Textual changes."""
    private = _textual_private_names()
    offenders = []
    for path in TUI.rglob("*.py"):
        if path == COMPAT or not any(name.split(".")[0] == "textual" for name in _imports(path)):
            continue  # (a module that imports no Textual touches none of its names)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = _own_private_names(path)
        plain_modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "textual":
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno} imports {a.name}" for a in node.names if a.name.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr in private:
                if isinstance(node.value, ast.Name) and node.value.id in plain_modules - {"textual"}:
                    continue  # os._exit and the like: not Textual's
                if isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr not in own.get(node.lineno, private):
                    continue  # the class's own attribute, which none of its Textual bases has
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.attr}")
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in private:
                        offenders.append(f"{path.relative_to(ROOT)}:{item.lineno} overrides {node.name}.{item.name}")
    assert offenders == []


def test_the_compat_module_is_the_one_that_uses_them() -> None:
    """The fence holds something: if it ever holds nothing, delete it."""
    private = _textual_private_names()
    used = {node.attr for node in ast.walk(ast.parse(COMPAT.read_text(encoding="utf-8"))) if isinstance(node, ast.Attribute)}
    assert used & private


PROJECT = ("tui", "tests", "fixtures", "benchmarks", "scripts")  # every folder of the project's Python


def _project_sources() -> list[Path]:
    """Every .py file of the project (not .venv's; not the collections the
    benchmarks generate under benchmarks/out/, walked past unread)."""
    found = sorted(ROOT.glob("*.py"))
    for top in PROJECT:
        for folder, dirs, files in os.walk(ROOT / top):
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and d != "__pycache__" and Path(folder, d) != ROOT / "benchmarks" / "out"
            )
            found += [Path(folder, name) for name in sorted(files) if name.endswith(".py")]
    return found


def test_no_class_over_500_lines_and_no_file_over_600() -> None:
    """In the whole project: the reader, its tests, fixtures, benchmarks and scripts."""
    sources = _project_sources()
    assert {path.relative_to(ROOT).parts[0] for path in sources} >= set(PROJECT)
    too_long = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > 600:
            too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > 500:
                too_long.append(f"{path.relative_to(ROOT)}: class {node.name}, {node.end_lineno - node.lineno + 1} lines")
    assert too_long == []


def test_the_garbage_collector_has_one_owner() -> None:
    """Only tui/core/memory.py (IdleCollector, driven by the app) touches the cycle collector."""
    users = sorted(
        str(path.relative_to(ROOT))
        for path in TUI.rglob("*.py")
        if path.name != "memory.py" and "gc" in _imports(path)
    )
    assert users == []


def test_the_frame_rate_does_not_depend_on_what_was_imported_first() -> None:
    """Textual reads TEXTUAL_FPS once, when it is first imported: the app sets
    its frame rate itself, even when Textual was imported long before."""
    code = (
        "import os; os.environ.pop('TEXTUAL_FPS', None)\n"
        "import textual.constants, textual.screen\n"
        "from tui.ui.app import ReaderApp\n"
        "ReaderApp([])\n"
        "print(textual.constants.MAX_FPS, round(1 / textual.screen.UPDATE_PERIOD))"
    )
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert out.stdout.split() == ["120", "120"]


def test_the_readers_start_leaves_out_what_only_some_uses_need() -> None:
    """Every import counts in the reader's first frame (docs/performance.md):
    the bookmark exchange formats (html.parser) are the subcommands', and
    tomllib reads a settings file or TOML front matter, which most starts
    have neither of."""
    code = (
        "import sys\n"
        "import tui.__main__, tui.cli, tui.core.settings, tui.core.opening, tui.core.index, tui.ui.app\n"
        "print(' '.join(m for m in ('tomllib', 'html.parser', 'tui.core.exchange') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == []
