"""The command line as scripts use it: output, JSON shape, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

from .conftest import CORPUS, requires_corpus


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_defaults_to_the_seeds_newest_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert lines[0].startswith("2023-08-08") and "After Feeding Explosion" in lines[0]
    assert "Report: Japan to Limit" in lines[-1]


def test_list_json_and_sort(capsys: pytest.CaptureFixture[str], seeds: Path) -> None:
    code, out, _ = run(capsys, "list", str(seeds), "--json", "--sort", "title")
    data = json.loads(out)
    assert code == 0
    assert [d["title"] for d in data] == sorted((d["title"] for d in data), key=str.casefold)
    assert {"path", "title", "provider", "published"} <= set(data[0])


def test_search_json_best_first_with_score(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "jpan facal tecnology", "--json", "--limit", "3")
    data = json.loads(out)
    assert code == 0 and 1 <= len(data) <= 3
    assert data[0]["title"] == "Japan Restricts Exports of AI Facial Technology"
    assert data[0]["score"] >= data[-1]["score"]
    assert {"path", "title", "provider", "published", "score"} <= set(data[0])


def test_search_words_left_unquoted_say_how_to_quote_them(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "search", "jpan", "facal")
    assert code == 2 and out == ""
    assert err.strip() == 'tui-reader: error: no such file or folder: facal (to search for several words, quote them: tui-reader search "jpan facal")'
    code, _, err = run(capsys, "search", "jpan", str(tmp_path / "gone"))  # a path that is not there: said as it is
    assert code == 2 and err.strip() == f"tui-reader: error: no such file or folder: {tmp_path / 'gone'}"


def test_show_json(capsys: pytest.CaptureFixture[str], seeds: Path) -> None:
    code, out, _ = run(capsys, "show", str(seeds / "003_9b2b28b6691a1e95.txt"), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["title"].startswith("IBM says")
    assert len(data["related"]) == 4


def test_show_text(capsys: pytest.CaptureFixture[str], seeds: Path) -> None:
    code, out, _ = run(capsys, "show", str(seeds / "001_0e5bac529f854688.txt"))
    assert code == 0
    assert out.splitlines()[0] == "Report: Japan to Limit Facial Recognition Tech Exports to China"


def test_bookmarks_list_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "bookmarks", "list", "--json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "/no/such/folder"],
        ["show", "/no/such/file.md"],
        ["search"],
        ["search", "x", "--limit", "zero"],
        ["list", "--sort", "color"],
        ["--bogus"],
        ["/no/such/folder"],
        ["bookmarks", "explode"],
    ],
)
def test_bad_arguments_give_one_line_and_status_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("tui-reader: error:")
    assert "Traceback" not in err


def test_unreadable_files_are_reported_but_the_rest_lists(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, out, err = run(capsys, "list", str(tmp_path))
    assert code == 0 and "Good" in out
    assert "bad.md" in err and "YAML" in err


def test_nothing_readable_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, _, err = run(capsys, "list", str(tmp_path))
    assert code == 1 and "bad.md" in err


def test_version_and_help_from_a_real_process(tmp_path: Path) -> None:
    for flag in ("--version", "--help"):
        out = subprocess.run([sys.executable, "-m", "tui", flag], capture_output=True, text=True, cwd=tmp_path)
        assert out.returncode == 0 and "tui-reader" in out.stdout


@requires_corpus
def test_real_corpus_lists_every_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", str(CORPUS), "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert len(data) == len(list(CORPUS.glob("*.md")))
    assert all(d["published"] for d in data)


def test_show_json_gives_each_related_entry_its_local_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: A\nrelated:\n"
        "  - {title: B as A saw it, webUrl: 'http://www.b.example/story/amp/?utm_source=a'}\n"
        "  - {title: Outside, webUrl: 'https://outside.example/x'}\n"
        "  - {title: The C story}\n---\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("---\ntitle: B\nwebUrl: https://b.example/story\n---\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("---\ntitle: The C Story!\n---\n", encoding="utf-8")
    code, out, _ = run(capsys, "show", str(tmp_path / "a.md"), "--json")
    assert code == 0
    related = json.loads(out)["related"]
    assert [r["title"] for r in related] == ["B as A saw it", "Outside", "The C story"]  # file order
    assert [r["local_path"] for r in related] == [str(tmp_path / "b.md"), None, str(tmp_path / "c.md")]
    assert [r["matched_by"] for r in related] == ["url", None, "title"]
    # Another collection to look in: nothing there.
    code, out, _ = run(
        capsys, "show", str(tmp_path / "a.md"), "--json", "--collection", str(Path(__file__).parent.parent / "seeds")
    )
    assert [r["local_path"] for r in json.loads(out)["related"]] == [None, None, None]
    code, out, _ = run(capsys, "show", str(tmp_path / "a.md"))
    assert "● B as A saw it" in out and "○ Outside" in out


def test_search_is_bookmarked_and_is_unread_read_the_users_store(capsys: pytest.CaptureFixture[str], seeds: Path) -> None:
    """The is: facets of `search` see the same bookmarks and reading state as the reader."""
    from tui.core.bookmarks import BookmarkStore, entry_key
    from tui.core.loader import read_article

    japan = seeds / "000_0c7c719d9a70dd46.txt"
    assert run(capsys, "bookmarks", "add", str(japan))[0] == 0
    code, out, _ = run(capsys, "search", "is:bookmarked", str(seeds), "--json")
    assert code == 0 and [d["title"] for d in json.loads(out)] == [read_article(japan).title]
    with BookmarkStore() as store:  # one article read: four unread
        store.set_read([entry_key(read_article(japan).to_entry())])
    code, out, _ = run(capsys, "search", "is:unread", str(seeds), "--json")
    titles = [d["title"] for d in json.loads(out)]
    assert code == 0 and len(titles) == 4 and read_article(japan).title not in titles
    code, out, _ = run(capsys, "search", "is:read", str(seeds), "--json")  # asked of the store per article, never all loaded
    assert code == 0 and [(d["title"], d["read"], d["bookmarked"]) for d in json.loads(out)] == [(read_article(japan).title, True, True)]
    code, out, _ = run(capsys, "list", str(seeds), "--json-lines")
    assert sorted(json.loads(line)["read"] for line in out.splitlines()) == [False] * 4 + [True]
