"""Taking bookmarks elsewhere: `tui-reader bookmarks add/remove/export/import`
and the formats behind them (tui/core/exchange.py)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core import exchange
from tui.core.bookmarks import Bookmark, BookmarkStore

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def varied() -> list[Bookmark]:
    plus2 = timezone(timedelta(hours=2))
    return [
        Bookmark(
            "url:example.com/a",
            'A <b>bold</b> & "quoted" title',
            "https://www.example.com/a?utm_source=x",
            "Example",
            datetime(2023, 1, 2, 3, 4, 5, tzinfo=plus2),
            "/news/a.md",
            T0,
            ("ai", "to read"),
            "first line\nsecond line with <tags> & [brackets]",
        ),
        Bookmark(
            "url:other.org/s",
            "Related only",
            "https://other.org/s",
            "Other",
            None,
            None,
            T0 + timedelta(minutes=1),
            (),
            "",
            external=True,
        ),
        Bookmark(
            "th:" + "0" * 40,
            "No URL, été 日本",
            "",
            "",
            T0,
            "/news/plain.txt",
            T0 + timedelta(seconds=1, microseconds=7),
            ("Café",),
            "note",
        ),
    ]


def fill(marks: list[Bookmark]) -> None:
    store = BookmarkStore()
    try:
        store.merge(marks)
    finally:
        store.close()


def use_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / name))


def test_json_export_import_export_is_identical(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    use_empty_store(tmp_path, monkeypatch, "one")
    fill(varied())
    code, first, _ = run(capsys, "bookmarks", "export", "--format", "json")
    assert code == 0 and json.loads(first)["format"] == "tui-reader-bookmarks"
    exported = tmp_path / "bookmarks.json"
    exported.write_text(first, encoding="utf-8")

    use_empty_store(tmp_path, monkeypatch, "two")
    code, out, _ = run(capsys, "bookmarks", "import", str(exported))
    assert code == 0 and "3 new" in out
    code, second, _ = run(capsys, "bookmarks", "export")
    assert second == first
    # Importing again adds nothing.
    code, out, _ = run(capsys, "bookmarks", "import", str(exported))
    assert "0 new, 0 merged, 3 already here" in out
    code, out, _ = run(capsys, "bookmarks", "list", "--json")
    assert len(json.loads(out)) == 3


class _Netscape(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.links: list[dict[str, str | None]] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def test_html_export_is_a_netscape_file_browsers_import_with_tags(capsys, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    use_empty_store(tmp_path, monkeypatch, "one")
    fill(varied())
    code, text, _ = run(capsys, "bookmarks", "export", "--format", "html")
    assert code == 0 and text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    parsed = _Netscape()
    parsed.feed(text)
    assert parsed.doctype == "DOCTYPE NETSCAPE-Bookmark-file-1"
    by_href = {link["href"]: link for link in parsed.links}
    assert by_href["https://www.example.com/a?utm_source=x"]["tags"] == "ai,to read"
    assert by_href["https://www.example.com/a?utm_source=x"]["add_date"] == str(int(T0.timestamp()))
    assert "file:///news/plain.txt" in by_href  # a file without a URL still opens
    # Back in: the same bookmarks, tags and notes.
    (tmp_path / "b.html").write_text(text, encoding="utf-8")
    use_empty_store(tmp_path, monkeypatch, "two")
    assert run(capsys, "bookmarks", "import", str(tmp_path / "b.html"))[0] == 0
    store = BookmarkStore()
    try:
        assert store.all() == sorted(varied(), key=lambda b: b.added_at, reverse=True)
    finally:
        store.close()


FIREFOX = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>
<DL><p>
    <DT><H3 ADD_DATE="1700000000">News</H3>
    <DL><p>
        <DT><A HREF="https://www.example.com/a" ADD_DATE="1700000001" TAGS="firefox,ai">Story A</A>
        <DD>from the browser
        <DT><A HREF="javascript:alert(1)">a bookmarklet</A>
        <DT><A HREF="place:sort=8&maxResults=10">Recent</A>
        <DT><A HREF="https://new.example/b" ADD_DATE="1700000002">Story &amp; B</A>
    </DL><p>
</DL>
"""


def test_import_browser_html_merges_without_duplicates(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    fill([varied()[0]])
    (tmp_path / "firefox.html").write_text(FIREFOX, encoding="utf-8")
    code, out, _ = run(capsys, "bookmarks", "import", str(tmp_path / "firefox.html"))
    assert code == 0 and "Imported 2 bookmarks: 1 new, 1 merged" in out
    store = BookmarkStore()
    try:
        a = store.get("url:example.com/a")
        assert a is not None and a.tags == ("ai", "to read", "firefox")  # tags gained, none lost
        assert a.note.startswith("first line")  # the note already here is kept
        b = store.get("url:new.example/b")
        assert b is not None and b.title == "Story & B" and b.added_at == datetime.fromtimestamp(1700000002, UTC)
        assert len(store) == 2
    finally:
        store.close()
    assert run(capsys, "bookmarks", "import", str(tmp_path / "firefox.html"))[1].endswith("2 already here.\n")


def test_markdown_reading_list(capsys) -> None:  # noqa: ANN001
    fill(varied())
    code, text, _ = run(capsys, "bookmarks", "export", "--format", "md")
    assert code == 0 and text.startswith("# Reading list\n")
    assert '- [A <b>bold</b> & "quoted" title]' not in text  # markup is escaped
    assert '- [A \\<b\\>bold\\</b\\> \\& "quoted" title](<https://www.example.com/a?utm_source=x>)' in text
    assert "`ai` `to read`" in text and "  > second line with \\<tags\\> \\& \\[brackets\\]" in text
    assert "- No URL, été 日本 — 2024-05-01 · `Café`\n  File: `/news/plain.txt`\n" in text  # a path is never a link


def test_add_and_remove_a_file(capsys, seeds: Path, tmp_path: Path) -> None:  # noqa: ANN001
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy)
    japan = copy / "000_0c7c719d9a70dd46.txt"
    code, out, _ = run(capsys, "bookmarks", "add", str(japan), "--tags", "asia", "--note", "n")
    assert code == 0 and out.startswith("Bookmarked: Japan Restricts")
    assert run(capsys, "bookmarks", "add", str(japan))[1].startswith("Already bookmarked")
    code, out, _ = run(capsys, "bookmarks", "list")
    assert "Japan Restricts" in out and "[asia]" in out
    japan.unlink()  # a file that is gone is found by its stored path
    code, out, _ = run(capsys, "bookmarks", "remove", str(japan))
    assert code == 0 and "Removed" in out
    assert json.loads(run(capsys, "bookmarks", "list", "--json")[1]) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["bookmarks", "add", "/no/such/file.md"], "no such file: /no/such/file.md"),
        (["bookmarks", "remove", "/no/such/file.md"], "no bookmark for /no/such/file.md"),
        (["bookmarks", "import", "/no/such/file.json"], "cannot read /no/such/file.json"),
        (["bookmarks", "export", "--format", "csv"], "invalid choice"),
    ],
)
def test_bad_bookmark_commands_say_one_line(capsys, argv: list[str], message: str) -> None:  # noqa: ANN001
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_importing_something_else_says_so(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    for name, text in (("a.txt", "plain words"), ("b.json", "{nope"), ("c.json", '{"format": "other"}')):
        (tmp_path / name).write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "bookmarks", "import", str(tmp_path / name))
        assert code == 2 and err.startswith(f"tui-reader: error: {tmp_path / name}: ") and err.count("\n") == 1


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(title=texts, note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), tags=st.lists(texts, max_size=4))
def test_any_text_survives_json_and_html(title: str, note: str, tags: list[str]) -> None:
    from tui.core.bookmarks import normalize_tags

    mark = Bookmark("url:x.org/" + str(len(title)), title, "https://x.org/a", "P", T0, None, T0, normalize_tags(tags), note)
    assert exchange.parse(exchange.export_json([mark])) == [mark]
    assert exchange.parse(exchange.export_html([mark])) == [mark]  # whitespace and notes too (tests/test_roundtrip.py)
