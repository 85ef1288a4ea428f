"""The article pane's text: the header, the links, a bookmark's lines, an
external story's snapshot, in the pane's component styles.

Every string here comes from a file: it goes into ``Text`` (never markup).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from tui.core.bookmarks import Bookmark
from tui.core.model import Article, Entry, Related, as_text
from tui.core.settings import DEFAULT_DETAIL_DATE_FORMAT


def local_time(dt: datetime | None, pattern: str = DEFAULT_DETAIL_DATE_FORMAT) -> str:
    if dt is None:
        return "no date"
    try:
        return dt.astimezone().strftime(pattern).strip()
    except (ValueError, OverflowError, OSError, UnicodeError):
        return dt.isoformat()


class ArticleText:
    """Builds the pane's blocks of text, given its styles (a component class
    name -> style), its date format and how it shows a path."""

    def __init__(
        self,
        style: Callable[[str], Style],
        date_format: str = DEFAULT_DETAIL_DATE_FORMAT,
        display_path: Callable[[str], str] = str,
    ) -> None:
        self.style = style
        self.date_format = date_format
        self.display_path = display_path

    def provider_line(self, text: Text, provider: str, domain: str) -> None:
        if provider or domain:
            text.append(provider or domain, "bold")
            if domain and provider:
                text.append(f" · {domain}", self.style("detail--dim"))
            text.append("\n")

    def date_line(self, article: Article) -> str:
        """The date in the local zone; a date given that cannot be shown in
        every zone (9999-12-31T23:59:59-14:00) or read at all, as written."""
        if article.published is None:
            given = as_text(article.meta.get("publishedDateTime", article.meta.get("date")))
            if given:
                return f"{given[:60]} (as written: not a date shown here)"
        return local_time(article.published, self.date_format)

    def header(self, article: Article, bookmark: Bookmark | None, versions: tuple[int, int] | None) -> Text:
        """Title, provider, date, facts, topics, the bookmark's lines, the excerpt, which version."""
        text = Text()
        text.append(article.title + "\n", self.style("detail--title"))
        self.provider_line(text, article.provider, article.domain)
        text.append(self.date_line(article), self.style("detail--dim"))
        facts = []
        if article.quality is not None:
            facts.append(f"quality {article.quality}")
        if article.heat is not None:
            facts.append(f"heat {article.heat}")
        if facts:
            text.append("  ·  " + "  ·  ".join(facts), self.style("detail--dim"))
        text.append("\n")
        if article.topics:
            for topic in article.topics:
                text.append(f" {topic} ", self.style("detail--tag"))
                text.append(" ")
            text.append("\n")
        if article.is_plain_text:
            text.append("plain text file (no front matter)\n", self.style("detail--dim"))
        if article.decode_replaced:
            text.append("⚠ this file is not valid UTF-8: unreadable bytes are shown as �\n", self.style("detail--warn"))
        if bookmark is not None:
            text.append_text(self.bookmark(bookmark))
        if article.excerpt:
            text.append("\n")
            text.append(article.excerpt + "\n", "italic")
        if versions is not None:
            which, count = versions
            text.append(f"\nVersion {which} of {count} of this story", self.style("detail--label"))
            text.append("  v / V: other outlets\n", self.style("detail--dim"))
        return text

    def link_table(self, rows: list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style=self.style("detail--dim"), no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in rows:
            table.add_row(label, Text(value))
        return table

    def links(self, article: Article) -> Group:
        """The article's links and images, and where its file is."""
        parts: list[Text | Table] = []
        if article.links:
            parts.append(Text("Links", self.style("detail--label")))
            parts.append(self.link_table(article.links))
        if article.images:
            parts.append(Text("Images", self.style("detail--label")))
            parts.append(
                self.link_table([(f"{i.width}×{i.height}" if i.width and i.height else "image", i.url) for i in article.images])
            )
        parts.append(Text("\n" + self.display_path(article.path), self.style("detail--dim")))
        return Group(*parts)

    def link_list(self, label: str, rows: list[tuple[str, str]]) -> Group:
        return Group(Text(label, self.style("detail--label")), self.link_table(rows))

    def bookmark(self, bookmark: Bookmark) -> Text:
        """One block: ★ when it was bookmarked, its tags, its note."""
        text = Text()
        text.append("★ bookmarked " + bookmark.added_at.astimezone().strftime("%Y-%m-%d"), self.style("detail--bookmark"))
        for tag in bookmark.tags:
            text.append("  ")
            text.append(f"#{tag}", self.style("detail--usertag"))
        text.append("\n")
        if bookmark.note:
            text.append(bookmark.note.rstrip() + "\n", "italic")
        return text

    def related(self, related: Related, local: Entry | None, source_title: str) -> Text:
        """An external related story: its snapshot's metadata and excerpt."""
        text = Text()
        text.append("Related story", self.style("detail--label"))
        text.append(f"  (named by “{source_title}”)\n", self.style("detail--dim"))
        text.append(related.title + "\n", self.style("detail--title"))
        self.provider_line(text, related.provider, related.domain)
        text.append(local_time(related.published, self.date_format) + "\n", self.style("detail--dim"))
        if related.quality is not None:
            text.append(f"quality {related.quality}\n", self.style("detail--dim"))
        if local is None:
            text.append("Not in this collection (external).\n", self.style("detail--warn"))
        if related.excerpt:
            text.append("\n" + related.excerpt + "\n")
        return text
