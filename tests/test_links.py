"""The core behind `O`, `c` and `e`: every link of an article, Markdown links
that read back as written, and a collection with one file re-read."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui.core.collection import Collection
from tui.core.links import article_links, body_links, markdown_link
from tui.core.loader import read_article
from tui.core.model import Article, Entry


def _parse_link(markdown: str) -> tuple[str, str]:
    """(text, href) of the one link in a Markdown line, as a Markdown reader sees it."""
    children = MarkdownIt("commonmark").parseInline(markdown)[0].children or []
    opening = next(t for t in children if t.type == "link_open")
    text = "".join(t.content for t in children if t.type == "text")
    return text, str(opening.attrGet("href"))


def test_markdown_link_is_title_and_url() -> None:
    assert markdown_link("A story", "https://x.com/a") == "[A story](https://x.com/a)"


def test_markdown_link_escapes_what_would_break_it() -> None:
    link = markdown_link("Arrays [0] and \\ paths", "https://x.com/a (b)")
    assert link == "[Arrays \\[0\\] and \\\\ paths](<https://x.com/a (b)>)"
    assert _parse_link(link) == ("Arrays [0] and \\ paths", "https://x.com/a%20(b)")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and t.isprintable()))
def test_any_printable_title_reads_back(title: str) -> None:
    link = markdown_link(title, "https://example.com/a")
    text, href = _parse_link(link)
    assert href == "https://example.com/a"
    assert " ".join(text.split()) == " ".join(title.strip().split())


def test_body_links_finds_links_images_references_and_bare_urls() -> None:
    body = (
        "A [**bold** story](https://a.example/1) and ![chart](https://img.example/c.png).\n\n"
        "See [ref] and <https://auto.example/x>, or https://bare.example/y.\n\n"
        "[ref]: https://ref.example/z\n"
    )
    assert body_links(body) == [
        ("link", "bold story", "https://a.example/1"),
        ("body image", "chart", "https://img.example/c.png"),
        ("link", "ref", "https://ref.example/z"),
        ("link", "https://auto.example/x", "https://auto.example/x"),
        ("link", "", "https://bare.example/y"),
    ]


def test_a_plain_text_body_gives_its_bare_urls_only() -> None:
    assert body_links("see [x](https://a.example/1) and https://b.example/2.", plain=True) == [
        ("link", "", "https://a.example/1"),
        ("link", "", "https://b.example/2"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_body_links_never_crash(body: str) -> None:
    article = Article("x.md", {"webUrl": "https://x.example/a", "images": [{"url": "https://x.example/i"}]}, body)
    links = article_links(article)
    assert [link.url for link in links[:2]] == ["https://x.example/a", "https://x.example/i"]
    assert len({link.url for link in links}) == len(links)  # each URL once


def test_article_links_on_a_seed(seeds: Path) -> None:
    article = read_article(str(seeds / "003_9b2b28b6691a1e95.txt"))
    assert isinstance(article, Article)
    kinds = [link.kind for link in article_links(article)]
    assert kinds[:3] == ["web", "AMP", "AMP cache"] and "image" in kinds


def test_with_entry_is_a_new_collection_with_the_file_re_read(seeds: Path) -> None:
    collection = Collection.load([seeds])
    old = collection.entries[0]
    updated = collection.with_entry(old.path, old._replace(title="0 comes first"))
    assert updated is not None and updated is not collection
    assert collection.entries[0].title == old.title  # the old one is untouched (the UI may be using it)
    assert updated.entries[updated.order("title")[0]].title == "0 comes first"
    assert updated.by_path(old.path).title == "0 comes first"
    assert collection.with_entry("/not/here.md", Entry("/not/here.md", "x")) is None
