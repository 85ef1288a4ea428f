"""Hostile and broken collections: nothing crashes, nothing runs, nothing lies.

The files come from fixtures/broken.py (the 20 MB and 30 MB bodies are
left out here to keep the suite fast; a long body read part by part is
below, the costly Markdown in tests/test_trust_values.py). Every case: the rest of the collection loads, a broken file is an
issue with a one-line reason, and file text is never markup nor raw escapes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from fixtures import broken as gen_broken
from tests.driver import reader
from tui.cli import main as cli
from tui.core.collection import Collection
from tui.core.loader import parse_bytes, read_article
from tui.core.model import Article, LoadIssue

BROKEN = {
    "yaml_invalid.md": "not valid YAML",
    "front_matter_list.md": "is a list",
    "front_matter_scalar.md": "is a str",
    "fence_never_closed.md": "never closed",
    "empty.md": "empty file",
    "whitespace_only.md": "empty file",
    "binary_nul.md": "binary file",
    "python_object_tag.md": "python/object",
}


# libyaml 0.2.6 (PyYAML 6.0.4's wheels) refuses nesting deeper than 1,000
# levels, earlier builds parse it: either way the file is an article or an
# issue naming the reason, never a crash.
DEPTH_REASON = "maximum nesting depth"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    gen_broken.generate(folder, large=False)
    deep = read_article(folder / "deep_nesting.md")
    if isinstance(deep, LoadIssue) and DEPTH_REASON in deep.reason:
        BROKEN["deep_nesting.md"] = DEPTH_REASON
    return folder


def test_every_file_is_an_article_or_an_issue_with_a_one_line_reason(hostile: Path) -> None:
    for path in sorted(hostile.iterdir()):
        result = read_article(path)
        if path.name in BROKEN:
            assert isinstance(result, LoadIssue), path.name
            assert BROKEN[path.name] in result.reason, (path.name, result.reason)
            assert "\n" not in result.reason and len(result.reason) < 300
        else:
            assert isinstance(result, Article), (path.name, getattr(result, "reason", ""))


def test_the_rest_of_the_collection_loads(hostile: Path) -> None:
    collection = Collection.load([hostile])
    assert sorted(Path(i.path).name for i in collection.issues) == sorted(BROKEN)
    assert len(collection.entries) == len(list(hostile.iterdir())) - len(BROKEN)


def test_wrong_types_toml_latin1_utf16(hostile: Path) -> None:
    wrong = read_article(hostile / "wrong_types.md")
    assert isinstance(wrong, Article) and wrong.title == "12345" and wrong.quality is None
    toml = read_article(hostile / "toml_front_matter.md")
    assert isinstance(toml, Article) and toml.title == "TOML Front Matter Instead of YAML"
    latin = read_article(hostile / "latin1.md")
    assert isinstance(latin, Article) and latin.decode_replaced
    utf16 = read_article(hostile / "utf16_bom.md")
    assert isinstance(utf16, Article) and not utf16.decode_replaced and "UTF-16" in utf16.title


def test_alias_bomb_and_deep_nesting_do_not_blow_up(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("alias_bomb.md", "deep_nesting.md", "related_5000.md"):
        if name in BROKEN:
            assert cli(["show", str(hostile / name), "--json"]) == 1
            assert len(capsys.readouterr().err.strip().splitlines()) == 1
            continue
        assert cli(["show", str(hostile / name), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["title"]
    bomb = read_article(hostile / "alias_bomb.md")
    assert isinstance(bomb, Article) and len(bomb.raw_front_matter) < 10_000  # the raw view shows the text, not the expansion


def test_no_field_carries_escapes_or_controls_to_the_terminal(hostile: Path) -> None:
    collection = Collection.load([hostile])
    for entry in collection.entries:
        for text in (entry.title, entry.provider, entry.excerpt, *entry.topics):
            assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text), (entry.path, text)
            assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)
    escapes = read_article(hostile / "ansi_osc_escapes.md")
    assert isinstance(escapes, Article)
    assert "\x1b" not in escapes.title and "␛" in escapes.title
    assert "\x1b" not in escapes.safe_body and "\x07" not in escapes.safe_body


def test_cli_lists_the_rest_and_reports_each_issue_in_one_line(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["list", str(hostile), "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == len(list(hostile.iterdir())) - len(BROKEN)
    lines = err.strip().splitlines()
    assert len(lines) == len(BROKEN) and all(line.startswith("tui-reader: skipped ") for line in lines)
    assert "Traceback" not in err


def test_cli_show_of_a_broken_file_is_one_line_and_status_1(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["show", str(hostile / "yaml_invalid.md")]) == 1
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_an_article_or_an_issue(data: bytes) -> None:
    for raw in (data, b"---\n" + data, b"---\n" + data + b"\n---\nbody"):
        result = parse_bytes("fuzz.md", raw)
        assert isinstance(result, (Article, LoadIssue))
        if isinstance(result, Article):
            result.to_entry()
            json.dumps(result.to_json(), default=str)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = [
    "title",
    "excerpt",
    "publishedDateTime",
    "webUrl",
    "ampWebUrl",
    "originalUrl",
    "provider",
    "topics",
    "images",
    "quality",
    "heat",
    "related",
    "secured",
]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=10))
def test_arbitrary_front_matter_mappings_give_every_field(meta: dict) -> None:
    article = Article("x.md", meta, "body")
    for name in (
        "title",
        "excerpt",
        "published",
        "provider",
        "domain",
        "topics",
        "images",
        "quality",
        "heat",
        "url",
        "links",
        "related",
    ):
        getattr(article, name)
    article.to_entry()
    json.dumps(article.to_json(), default=str)


async def test_every_hostile_file_shows_in_the_detail_pane(hostile: Path) -> None:
    async with reader([hostile]) as (app, pilot, r):
        rows = len(r.rows)
        assert rows == len(list(hostile.iterdir())) - len(BROKEN)
        for i in range(rows):
            r.move_to(i)
            await pilot.pause()
            r.show_entry(r.rows[i])
            path = r.rows[i].path  # large files are read in a thread
            await r.wait_for(lambda path=path: r.article is not None and r.article.path == path, f"{path} to be shown")
        await pilot.press("f")  # the raw view of the last one, too
        await pilot.pause()
        assert app.is_running
        # List columns stay aligned: in every row (emoji, CJK and RTL ones
        # included) the title starts at the same terminal column.
        listing = r.main.panes.article_list
        starts = {}
        for i, entry in enumerate(r.rows):
            plain = "".join(segment.text for segment in listing.render_row_segments(i, 400, False))  # the row as painted
            starts[entry.title] = cell_len(plain[: plain.index(entry.title)])
        assert len(set(starts.values())) == 1, starts


async def test_a_file_deleted_after_the_scan_says_so(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: Story {name}\n---\nBody\n", encoding="utf-8")
    async with reader([tmp_path]) as (app, pilot, r):
        target = r.rows[1]
        os.unlink(target.path)
        await pilot.press("j")
        await r.wait_for(lambda: "Cannot show this file now" in r.header, "the article pane to say the file is gone")
        assert "file not found" in r.header


def test_a_folder_of_many_empty_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """(100,000 in a manual run; 3,000 here to keep the suite quick.)"""
    for i in range(3000):
        (tmp_path / f"{i:05d}.md").touch()
    (tmp_path / "real.md").write_text("---\ntitle: The only one\n---\n", encoding="utf-8")
    collection = Collection.load([tmp_path])
    assert [e.title for e in collection.entries] == ["The only one"]
    assert len(collection.issues) == 3000 and {i.reason for i in collection.issues} == {"empty file"}


def _pane_stand_in():  # noqa: ANN202
    """The detail pane's header and links code, without a running app."""
    from types import SimpleNamespace

    from rich.style import Style

    from tui.core.settings import DEFAULT_DETAIL_DATE_FORMAT
    from tui.ui.widgets.detail import DetailPane

    pane = SimpleNamespace(display_path=str, date_format=DEFAULT_DETAIL_DATE_FORMAT, bookmark=None, versions=None)
    pane.component_style = lambda name: Style()
    pane._provider_line = lambda text, provider, domain: DetailPane._provider_line(pane, text, provider, domain)
    pane._link_table = lambda rows: DetailPane._link_table(pane, rows)
    return pane, DetailPane


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=10))
def test_arbitrary_front_matter_renders_in_the_detail_pane(meta: dict) -> None:
    from rich.console import Console

    pane, DetailPane = _pane_stand_in()
    article = Article("x.md", meta, "body")
    console = Console(width=60, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(DetailPane._header(pane, article))
    console.print(DetailPane._links(pane, article))
    shown = console.export_text()
    assert "\x1b" not in shown


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ssh://h/x", "smb://h/x", "  ", "mailto:a@b.c"]
)
def test_only_web_urls_are_ever_opened(url: str) -> None:
    from tui.core.urls import is_openable

    assert not is_openable(url)
    assert is_openable("https://example.com/a") and is_openable("HTTP://example.com/a")


def test_an_unreadable_file_is_an_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(chmod 000 does not stop root, so the refusal is simulated: every
    article is opened by tui.core.safe_io with os.open.)"""
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (tmp_path / "open.md").write_text("---\ntitle: Open\n---\n", encoding="utf-8")
    real_open = os.open

    def guarded(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    collection = Collection.load([tmp_path], use_cache=False)
    assert [e.title for e in collection.entries] == ["Open"]
    assert [(Path(i.path).name, i.reason) for i in collection.issues] == [("secret.md", "permission denied")]


async def test_huge_bodies_open_capped_and_the_keys_keep_working(tmp_path: Path) -> None:
    words = "facial recognition export rules policy " * 8
    (tmp_path / "a_big.md").write_text(
        "---\ntitle: A Twenty Megabyte Body\npublishedDateTime: 2023-01-02T00:00:00Z\n---\n" + (words + "\n\n") * 60_000,
        encoding="utf-8",
    )
    (tmp_path / "b_line.md").write_text(
        "---\ntitle: A Thirty Megabyte Single Line\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n" + "x" * 30_000_000,
        encoding="utf-8",
    )
    async with reader([tmp_path]) as (app, pilot, r):
        assert [e.title for e in r.rows] == ["A Twenty Megabyte Body", "A Thirty Megabyte Single Line"]
        assert r.search("thirty megabyte")[0] == "A Thirty Megabyte Single Line"
        for title in ("A Twenty Megabyte Body", "A Thirty Megabyte Single Line"):
            await r.wait_article(title, timeout=10)
            note = " ".join(r.block("note").split())
            assert "Part 1 of a" in note and "MiB body ends here" in note and "Press > for the next part" in note
            await pilot.press("j")


async def test_a_long_body_is_read_to_its_end_part_by_part(tmp_path: Path) -> None:
    """A body too long to render whole (here 1.1 MiB) is read in parts: the
    first at once, > and < move between them, each says where it is, and
    every paragraph of the file is shown in exactly one part."""
    paragraphs = [f"Paragraph {i:05} says something about facial recognition and export rules." for i in range(16_000)]
    (tmp_path / "long.md").write_text(
        "---\ntitle: A Long Body\npublishedDateTime: 2023-01-02T00:00:00Z\n---\n" + "\n\n".join(paragraphs) + "\n",
        encoding="utf-8",
    )
    async with reader([tmp_path]) as (app, pilot, r):
        await r.wait_article("A Long Body")
        seen: list[str] = []
        parts = 0
        while True:
            # The rest of the part follows a chunk at a time.
            await r.wait_for(lambda: not r.rendering, "the whole part to be drawn", timeout=10)
            parts += 1
            seen += re.findall(r"Paragraph (\d{5})", r.block("body"))
            if parts > 1:
                assert f"Part {parts} of a 1.1 MiB body" in " ".join(r.block("part").split())
            if not r.has_block("note"):
                break
            assert "Press > for the next part" in " ".join(r.block("note").split())
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert r.scroll == 0  # each part from its top
        assert parts == 5
        assert seen == [f"{i:05}" for i in range(16_000)]  # all of it, in order, once
        await pilot.press("greater_than_sign")  # past the last part: it stays
        await pilot.pause()
        assert "Part 5 of" in r.block("part")
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert "Part 4 of" in r.block("part")


@given(st.text(max_size=80), st.integers(min_value=0, max_value=60), st.booleans())
def test_list_cells_measure_any_title_as_the_terminal_does(title: str, width: int, pad: bool) -> None:
    """The list's quick cell count agrees with Rich's for any text, and a
    title fitted to a column takes at most (with ``pad``: exactly) its width."""
    from tui.ui.widgets.article_list import cells, fit_cells

    assert cells(title) == cell_len(title)
    fitted = fit_cells(title, width, pad=pad)
    assert cell_len(fitted) <= width
    if pad:
        assert cell_len(fitted) == width
