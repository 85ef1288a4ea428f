"""Shared fixtures. No test may touch the real user directories: every test
runs with XDG_DATA_HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME and XDG_STATE_HOME pointing into its
own temporary folder (and TUI_READER_HOME unset)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Shared, noisy machines (CI included): a property test is judged on what it
# finds, never on how long one example took.
settings.register_profile("reader", deadline=None)
settings.load_profile("reader")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus" / "everyday-cc-ai"

requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the real corpus is not here ({CORPUS}); it lives in ../shared beside the clone",
)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folder = home / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
    # platformdirs honours the XDG variables; the override must not hide them.
    monkeypatch.delenv("TUI_READER_HOME", raising=False)
    return home


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the seeds a test may change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Callable[[object, str], list[object]]:
    """Replace ``obj.name`` by a function that records its first argument."""

    def install(obj: object, name: str) -> list[object]:
        calls: list[object] = []
        monkeypatch.setattr(obj, name, lambda value, *args, **kwargs: calls.append(value))
        return calls

    return install


@pytest.fixture
def a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system has a browser with a window of its own (``App.open_url`` hands it the URL)."""
    from tui.core.browser import SystemBrowser
    from tui.ui import outside

    monkeypatch.setattr(outside, "system_browser", lambda: SystemBrowser())


@pytest.fixture
def bookmark_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user folders inside the test's own ``tmp_path`` (and TUI_READER_HOME
    at ``tmp_path / "home"``), where the bookmark store's tests look for its
    files (tests/test_bookmarks*.py use it in every test)."""
    for var, sub in (("XDG_DATA_HOME", "xdg-data"), ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_CONFIG_HOME", "xdg-config")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A generated collection of 400 articles, indexed, that the reader queries
    (the threshold lowered: tests/test_queried_*.py)."""
    from fixtures.collection import generate
    from tui.core import queried
    from tui.core.catalog.catalog import Catalog

    folder = tmp_path / "archive"
    generate(folder, 400, seed=3)
    Catalog.open([folder]).close()  # indexed once (as any earlier start or CLI command does)
    monkeypatch.setattr(queried, "QUERY_FROM", 100)
    return folder
