"""Every link of an article (front matter and body), and Markdown links to copy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.model import Article
from tui.core.text import clean_line

MAX_BODY_SCANNED = 1024 * 1024  # links past the first MiB of a body are not listed
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


@dataclass(frozen=True, slots=True)
class Link:
    kind: str  # "web", "AMP", "original", "image", "link", "body image"
    text: str  # what the article calls it ("" when nothing)
    url: str


def article_links(article: Article) -> list[Link]:
    """The article's URLs from its front matter (webUrl, ampWebUrl, originalUrl,
    images), then every link and image of its Markdown body, each URL once."""
    seen: set[str] = set()
    out: list[Link] = []

    def add(kind: str, text: str, url: str) -> None:
        url = clean_line(url).strip()
        if url and url not in seen:
            seen.add(url)
            out.append(Link(kind, clean_line(text), url))

    for label, url in article.links:
        add(label, "", url)
    for image in article.images:
        size = f"{image.width}×{image.height}" if image.width and image.height else ""
        add("image", size, image.url)
    for kind, text, url in body_links(article.body[:MAX_BODY_SCANNED], plain=article.is_plain_text):
        add(kind, text, url)
    return out


def body_links(body: str, plain: bool = False) -> list[tuple[str, str, str]]:
    """(kind, text, url) of each link and image of a Markdown body, in order;
    bare http(s) URLs in the text count too. A plain-text body: bare URLs only."""
    if plain:
        return [("link", "", _trim(m.group())) for m in _BARE_URL.finditer(body)]
    out: list[tuple[str, str, str]] = []
    from markdown_it import MarkdownIt  # here: not needed for the first paint

    md = MarkdownIt("commonmark")
    for block in md.parse(body):
        children = block.children or []
        i = 0
        while i < len(children):
            token = children[i]
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                text, i = _link_text(children, i + 1)
                out.append(("link", text, href))
                continue
            if token.type == "image":
                out.append(("body image", token.content, str(token.attrGet("src") or "")))
            elif token.type == "text":
                out.extend(("link", "", _trim(m.group())) for m in _BARE_URL.finditer(token.content))
            i += 1
    return out


def _link_text(children: list, i: int) -> tuple[str, int]:  # noqa: ANN001 - markdown-it tokens
    parts = []
    depth = 1
    while i < len(children):
        token = children[i]
        i += 1
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
            if depth == 0:
                break
        elif token.content:
            parts.append(token.content)
    return "".join(parts), i


def _trim(url: str) -> str:
    return url.rstrip(_TRAILING)


def markdown_link(title: str, url: str) -> str:
    """``[title](url)``, with the title's Markdown punctuation escaped and a URL
    with spaces or parentheses in angle brackets, so any Markdown reads it back."""
    text = clean_line(title).strip() or url
    text = re.sub(r"([\\\[\]*_`<])", r"\\\1", text)  # what Markdown would read as markup
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)  # "&amp;" stays as written
    target = url.strip()
    if re.search(r"[\s()<>]", target):
        target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return f"[{text}]({target})"
