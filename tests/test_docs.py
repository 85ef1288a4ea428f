"""The documentation says what the code does: the keys page is made from the
bindings and is current, the README stays short and its commands are CI's."""

from __future__ import annotations

import re
from pathlib import Path

import tui.ui.app  # noqa: F401  (every screen and widget: their bindings)
from tui.ui import keys

ROOT = Path(__file__).resolve().parents[1]


def test_the_keys_page_is_made_from_the_bindings_and_current() -> None:
    """After changing a binding: python scripts/keys_doc.py."""
    committed = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    assert committed == keys.reference(), "docs/keys.md is out of date: run python scripts/keys_doc.py"


def test_the_keys_page_lists_every_binding_id() -> None:
    app = keys.DefaultKeys()
    page = keys.reference(app)
    for binding_id in keys.binding_ids(app):
        assert f"`{binding_id}`" in page


def test_the_readme_is_short_and_links_to_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("\n") <= 250
    assert "press `?`" in readme.lower()
    for page in ("keys", "query-language", "command-line", "settings", "bookmarks", "related", "design", "performance"):
        assert f"docs/{page}.md" in readme and (ROOT / "docs" / f"{page}.md").is_file()
    assert (ROOT / "CONTRIBUTING.md").is_file()


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert commands[0] == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/tui-reader"
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_links_between_the_docs_lead_somewhere() -> None:
    for page in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"(?<!\\)\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith("http"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}, which is not there"
