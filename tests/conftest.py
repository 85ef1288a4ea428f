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
