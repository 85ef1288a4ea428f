"""The benchmark scripts run: each answers --help (its imports hold), and
the two generators write collections the reader opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.core.collection import Collection

SCRIPTS = sorted(p.name for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_benchmark_script_answers_help(script: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout.lower()


@pytest.mark.parametrize("script", ["gen_collection.py", "gen_other.py"])
def test_the_generators_write_collections_the_reader_opens(script: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), str(out), "--count", "30"], check=True, capture_output=True, timeout=120)
    collection = Collection.load([out])
    assert len(collection.entries) == 30 and not collection.issues
