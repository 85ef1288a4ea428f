"""Every export format, with generated bookmarks (unicode with astral and
combining characters, newlines, controls, markup, odd URLs, equal dates):
what each format keeps comes back, every export is inert (only http/https
links, nothing read as markup), and export → import → export is stable."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.cli import main
from tui.core import exchange, readinglist
from tui.core.bookmarks import Bookmark, BookmarkStore, identity, normalize_tags
from tui.core.readinglist import one_line
from tui.core.text import clean
from tui.core.urls import is_openable

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SPECIALS = [
    "[", "]", "(", ")", "#", "# ", "`", "``", "\\", "*", "_", "<", ">", "&", "&amp;", "&#32;", "&mdash;", "|", "~", "$",
    "—", " — ", "·", " · ", "-", "1.", "2)", "+", "=", "---", "\n", "\r", "\r\n", "\t", " ", "  ", "\x0c", "\x00", "\x1b[2J",
    "\u2028", "\x85", "\u202e", "\u200f", "e\u0301", "𝔘𝔫𝔦", "😀", "日本", "(untitled)", "2024-01-02", "<script>", "javascript:",
]  # fmt: skip
pieces = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=6), st.sampled_from(SPECIALS))
texts = st.lists(pieces, max_size=6).map("".join)
web_urls = st.builds(lambda scheme, rest: f"{scheme}://example.com/{rest}", st.sampled_from(["http", "https", "HTTPS"]), texts)
other_urls = st.one_of(
    st.builds(
        lambda s, rest: s + rest, st.sampled_from(["javascript:", "file:///", "data:text/html,", "ftp://x/", "mailto:"]), texts
    ),
    texts,
)
dates = st.one_of(
    st.sampled_from([T0, T0 + timedelta(microseconds=1), T0 - timedelta(days=400)]),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
)
zones = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
published = st.one_of(st.none(), st.datetimes(datetime(1900, 1, 2), datetime(2100, 1, 1), timezones=zones))
paths = st.one_of(st.none(), st.builds(lambda t: "/news/" + t + ".md", texts), st.builds(lambda t: "rel/" + t, texts))


@st.composite
def bookmark(draw: st.DrawFn) -> Bookmark:
    url = draw(st.one_of(st.just(""), web_urls, other_urls))
    title, path, when = draw(texts), draw(paths), draw(published)
    key = draw(st.one_of(st.just(identity(url, title, when, path)), st.builds(lambda t: "k:" + t, texts)))
    return Bookmark(
        key=key if key not in ("", "path:") else "k:",
        title=title,
        url=url,
        provider=draw(texts),
        published=when,
        path=path,
        added_at=draw(dates),
        tags=normalize_tags(draw(st.lists(texts, max_size=4))),
        note=draw(texts),
        external=draw(st.booleans()) and path is None,
    )


bookmarks = st.lists(bookmark(), max_size=6, unique_by=lambda b: b.key)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _through_store(marks: list[Bookmark], tmp: Path, name: str) -> list[Bookmark]:
    with BookmarkStore(tmp / f"{name}.sqlite3") as store:
        store.merge(marks)
        return store.all()


# -- JSON and HTML: every field ------------------------------------------------------------


@PROPERTY
@given(marks=bookmarks)
def test_json_and_html_keep_every_field_exactly(marks: list[Bookmark]) -> None:
    want = exchange.ordered(marks)
    for fmt in ("json", "html"):
        assert exchange.parse(exchange.export(marks, fmt)) == want, fmt


@PROPERTY
@given(marks=bookmarks)
def test_json_and_html_export_import_export_give_the_same_bytes(
    marks: list[Bookmark], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    stored = _through_store(marks, tmp, "one")
    for fmt in ("json", "html"):
        first = exchange.export(stored, fmt)
        again = _through_store(exchange.parse(first), tmp, f"two-{fmt}")
        assert exchange.export(again, fmt) == first, fmt


def test_equal_dates_keep_one_order_through_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bug: bookmarks added at the same instant came back in the other order."""
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "one"))
    marks = [Bookmark(f"url:x.org/{c}", c, f"https://x.org/{c}", "", None, None, T0) for c in "dbca"]
    with BookmarkStore() as store:
        for b in marks:  # added one by one, in an order that is not the key order
            store.add(b)
    assert main(["bookmarks", "export", "-o", str(tmp_path / "first.json")]) == 0
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "two"))
    assert main(["bookmarks", "import", str(tmp_path / "first.json")]) == 0
    assert main(["bookmarks", "export", "-o", str(tmp_path / "second.json")]) == 0
    capsys.readouterr()
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()


# -- HTML: inert, and what a browser sees ------------------------------------------------------


class _Browserish(HTMLParser):
    """Every tag and attribute, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.titles: list[str] = []
        self._in_a = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "a":
            self._in_a = True
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_a = self._in_a and tag != "a"

    def handle_data(self, data: str) -> None:
        if self._in_a:
            self.titles[-1] += data


@PROPERTY
@given(marks=bookmarks)
def test_html_export_links_only_the_web_or_our_own_file_urls(marks: list[Bookmark]) -> None:
    text = exchange.export(marks, "html")
    seen = _Browserish()
    seen.feed(text)
    assert set(seen.tags) <= {"meta", "title", "h1", "dl", "p", "dt", "h3", "a", "dd"}
    assert seen.tags.count("a") == len(marks) and seen.tags.count("dd") == sum(1 for b in marks if b.note)
    files = {Path(b.path).as_uri() for b in marks if b.path and b.path.startswith("/")}
    for name, value in seen.attrs:
        assert not name.startswith("on")
        if name == "href":
            assert is_openable(value or "") or value in files, value
    # A browser shows each title with its whitespace folded, nothing else changed.
    fold = re.compile(r"[ \t\n\r\f]+")
    for b, shown in zip(exchange.ordered(marks), seen.titles, strict=True):
        assert fold.sub(" ", shown).strip(" ") == fold.sub(" ", b.title).strip(" ")
    assert "\r" not in text and all(line.startswith(("<", " ")) or not line for line in text.split("\n"))


def test_a_javascript_url_is_never_a_link() -> None:
    evil = Bookmark("k:1", "click", "javascript:alert(1)", "", None, None, T0)
    text = exchange.export([evil], "html")
    seen = _Browserish()
    seen.feed(text)
    assert [v for k, v in seen.attrs if k == "href"] == [] and ("data-url", "javascript:alert(1)") in seen.attrs
    assert exchange.parse(text) == [evil]  # kept, inert


def test_a_browser_file_keeps_its_rules(tmp_path: Path) -> None:
    """Foreign Netscape files: bookmarklets and place: links are not stories;
    literal whitespace is folded as a browser shows it; notes come from <DD>."""
    text = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<DL><p>
    <DT><A HREF="https://a.example/x" ADD_DATE="1700000001" TAGS="t1,t2">  Story
        A  </A>
    <DD>a note
    on two lines
    <DT><A HREF="javascript:alert(1)">bookmarklet</A>
    <DT><A HREF="place:sort=8">Recent</A>
    <DT><A HREF="https://b.example/y"></A>
</DL>
"""
    a, b = exchange.parse(text)
    assert a.title == "Story A" and a.tags == ("t1", "t2") and a.note == "a note on two lines"
    assert b.title == "https://b.example/y"


# -- Markdown: what it keeps, inert, and stable ------------------------------------------------


def _md_expected(b: Bookmark) -> dict[str, object]:
    web = is_openable(b.url)
    url = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: "".join(f"%{x:02X}" for x in m.group().encode()), b.url)
    return {
        "title": one_line(b.title),
        "url": url if web else one_line(b.url),
        "provider": one_line(b.provider),
        "day": b.published.date() if b.published else None,
        "path": None if web or not one_line(b.path or "") else one_line(b.path or ""),
        "tags": normalize_tags([one_line(t) for t in b.tags]),
        "note": clean(b.note),
    }


def _md_got(b: Bookmark) -> dict[str, object]:
    return {
        "title": b.title,
        "url": b.url,
        "provider": b.provider,
        "day": b.published.date() if b.published else None,
        "path": b.path,
        "tags": b.tags,
        "note": b.note,
    }


def _known(b: Bookmark) -> bool:
    """Markdown keeps no key: an item needs a web URL, a title or a path to be known by."""
    e = _md_expected(b)
    return identity(str(e["url"]), str(e["title"]), b.published, e["path"]) not in ("", "path:")  # type: ignore[arg-type]


@PROPERTY
@given(marks=bookmarks)
def test_markdown_keeps_what_it_says_and_is_stable(marks: list[Bookmark]) -> None:
    first = exchange.export(marks, "md")
    back = exchange.parse(first)
    want = [_md_expected(b) for b in exchange.ordered(marks) if _known(b)]
    assert [_md_got(b) for b in back] == want
    # Exported again: the same Markdown (but for items it could not know).
    assert exchange.export(back, "md") == exchange.export([b for b in exchange.ordered(marks) if _known(b)], "md")


def _inline_text(token) -> str:  # noqa: ANN001 - a markdown-it inline token
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append("\n")
    return "".join(out)


@PROPERTY
@given(marks=bookmarks)
def test_markdown_export_renders_as_a_plain_list_with_only_web_links(marks: list[Bookmark]) -> None:
    text = exchange.export(marks, "md")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "code_block", "fence", "table_open", "hr", "ordered_list_open"}
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    assert sum(1 for t in tokens if t.type == "list_item_open") == len(marks)
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not {c.type for c in inline} & {"html_inline", "image", "s_open", "em_open", "strong_open"}
    links = [c.attrGet("href") for c in inline if c.type == "link_open"]
    assert len(links) == sum(1 for b in marks if is_openable(b.url)) and all(is_openable(str(h)) for h in links)
    # Each item's first line shows its title exactly (as one line).
    items = [t for i, t in enumerate(tokens) if t.type == "inline" and tokens[i - 2].type == "list_item_open"]
    for b, item in zip(exchange.ordered(marks), items, strict=True):
        assert _inline_text(item).split("\n")[0].startswith(one_line(b.title) or readinglist.UNTITLED)
    # Each note shows as written, line by line (control characters as symbols;
    # an empty line separates paragraphs).
    quotes = [
        _inline_text(t)
        for i, t in enumerate(tokens)
        if t.type == "inline"
        and tokens[i - 1].type == "paragraph_open"
        and tokens[i - 2].type in ("blockquote_open", "paragraph_close")
    ]
    paragraphs = []
    for b in exchange.ordered(marks):
        paragraphs += [p for p in re.split(r"\n\n+", clean(b.note).strip("\n")) if p]
    assert quotes == paragraphs


def test_a_url_cannot_inject_markdown() -> None:
    evil = Bookmark("k:1", "t", "https://x.org/a>)\n# Pwned\n[click](javascript:alert(1))", "", None, None, T0)
    text = exchange.export([evil], "md")
    assert "\n# Pwned" not in text and text.count("\n- ") == 1
    tokens = MarkdownIt("commonmark").parse(text)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    hrefs = [c.attrGet("href") for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "link_open"]
    assert hrefs == ["https://x.org/a%3E)%0A#%20Pwned%0A%5Bclick%5D(javascript:alert(1))"]


def test_the_cli_imports_its_own_markdown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "one"))
    with BookmarkStore() as store:
        store.merge([
            Bookmark("url:a.org/1", "One [1]", "https://a.org/1", "A · B", T0, None, T0, ("x",), "note\n# not a heading"),
            Bookmark("th:2", "Two", "", "", T0, "/news/two.md", T0, (), ""),
        ])  # fmt: skip
    assert main(["bookmarks", "export", "--format", "md", "-o", str(tmp_path / "list.md")]) == 0
    monkeypatch.setenv("TUI_READER_HOME", str(tmp_path / "two"))
    assert main(["bookmarks", "import", str(tmp_path / "list.md")]) == 0
    assert "2 new" in capsys.readouterr().out
    assert main(["bookmarks", "export", "--format", "md"]) == 0
    assert capsys.readouterr().out == (tmp_path / "list.md").read_text(encoding="utf-8")
