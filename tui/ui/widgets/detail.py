"""The detail pane: a readable header, the body, links; raw front matter on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from rich.console import Group, RenderableType
from rich.markdown import Markdown as RichMarkdown
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.core.model import Article, Entry, Related
from tui.core.text import clean

FIRST_CHUNK = 8 * 1024  # first screen of a long body: rendered at once
CHUNK = 16 * 1024  # the rest follows in chunks of this size
MAX_RENDERED = 256 * 1024  # past this, say how much is not shown


def local_time(dt: datetime | None) -> str:
    if dt is None:
        return "no date"
    try:
        return dt.astimezone().strftime("%a %d %b %Y, %H:%M %Z").strip()
    except (ValueError, OverflowError, OSError):
        return dt.isoformat()


def split_chunks(body: str, first: int = FIRST_CHUNK, size: int = CHUNK) -> list[str]:
    """Cut a body into chunks at paragraph breaks (or anywhere, if it has none)."""
    chunks = []
    start = 0
    limit = first
    while start < len(body):
        end = start + limit
        if end < len(body):
            cut = body.rfind("\n\n", start + limit // 4, end)
            end = cut + 2 if cut > 0 else end
        chunks.append(body[start:end])
        start = end
        limit = size
    return chunks


class DetailPane(VerticalScroll, can_focus=True):
    """Everything about the article under the cursor."""

    COMPONENT_CLASSES = {"detail--title", "detail--dim", "detail--tag", "detail--label", "detail--warn"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.show_raw = False
        self._body_task: asyncio.Task[None] | None = None
        self.display_path: Callable[[str], str] = lambda path: path

    def compose(self) -> ComposeResult:
        yield Static(id="detail-header")
        yield Static(id="detail-raw")
        with Vertical(id="detail-body"):
            yield Static(id="detail-body-0", classes="detail-body-part")
        yield Static(id="detail-note")
        yield Static(id="detail-links")

    def on_mount(self) -> None:
        self.query_one("#detail-raw").display = False
        self.query_one("#detail-body").display = False
        self.query_one("#detail-note").display = False

    # -- what is shown ----------------------------------------------------------
    def show_message(self, message: str) -> None:
        self.article = None
        self._set_header(Text(message, style=self._style("detail--dim")))
        self._clear_body()
        self.query_one("#detail-links", Static).update("")
        self.query_one("#detail-raw").display = False

    def show_article(self, article: Article, versions: tuple[int, int] | None = None) -> None:
        """``versions``: (which, of how many) when the story is told by several outlets."""
        self.article = article
        with self.app.batch_update():  # one layout and one paint, not one per part
            self.scroll_home(animate=False, immediate=True)
            header = self._header(article)
            if versions is not None:
                which, count = versions
                header.append(f"\nVersion {which} of {count} of this story", self._style("detail--label"))
                header.append("  v / V: other outlets\n", self._style("detail--dim"))
            self._set_header(header)
            self._show_raw_view()
            self._show_body(article)
            self.query_one("#detail-links", Static).update(self._links(article))

    def show_related(self, related: Related, local: Entry | None, source_title: str) -> None:
        """An external related story: its snapshot's excerpt and metadata."""
        self.article = None
        self.scroll_home(animate=False, immediate=True)
        text = Text()
        text.append("Related story", self._style("detail--label"))
        text.append(f"  (named by “{source_title}”)\n", self._style("detail--dim"))
        text.append(related.title + "\n", self._style("detail--title"))
        self._provider_line(text, related.provider, related.domain)
        text.append(local_time(related.published) + "\n", self._style("detail--dim"))
        if related.quality is not None:
            text.append(f"quality {related.quality}\n", self._style("detail--dim"))
        if local is None:
            text.append("Not in this collection (external).\n", self._style("detail--warn"))
        if related.excerpt:
            text.append("\n" + related.excerpt + "\n")
        self._set_header(text)
        self.query_one("#detail-raw").display = False
        self._clear_body()
        rows = [("web", related.url)] if related.url else []
        rows += [("image", image.url) for image in related.images]
        links = Group(Text("Links", self._style("detail--label")), self._link_table(rows)) if rows else Text()
        self.query_one("#detail-links", Static).update(links)

    def toggle_raw(self) -> bool:
        self.show_raw = not self.show_raw
        self._show_raw_view()
        return self.show_raw

    # -- pieces -----------------------------------------------------------------
    def _style(self, name: str):  # noqa: ANN202 - rich Style
        return self.get_component_rich_style(name)

    def _set_header(self, text: Text) -> None:
        self.query_one("#detail-header", Static).update(text)

    def _provider_line(self, text: Text, provider: str, domain: str) -> None:
        if provider or domain:
            text.append(provider or domain, "bold")
            if domain and provider:
                text.append(f" · {domain}", self._style("detail--dim"))
            text.append("\n")

    def _header(self, article: Article) -> Text:
        text = Text()
        text.append(article.title + "\n", self._style("detail--title"))
        self._provider_line(text, article.provider, article.domain)
        text.append(local_time(article.published), self._style("detail--dim"))
        facts = []
        if article.quality is not None:
            facts.append(f"quality {article.quality}")
        if article.heat is not None:
            facts.append(f"heat {article.heat}")
        if facts:
            text.append("  ·  " + "  ·  ".join(facts), self._style("detail--dim"))
        text.append("\n")
        if article.topics:
            for topic in article.topics:
                text.append(f" {topic} ", self._style("detail--tag"))
                text.append(" ")
            text.append("\n")
        if article.is_plain_text:
            text.append("plain text file (no front matter)\n", self._style("detail--dim"))
        if article.decode_replaced:
            text.append("⚠ this file is not valid UTF-8: unreadable bytes are shown as �\n", self._style("detail--warn"))
        if article.excerpt:
            text.append("\n")
            text.append(article.excerpt + "\n", "italic")
        return text

    def _link_table(self, rows: list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style=self._style("detail--dim"), no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in rows:
            table.add_row(label, Text(value))
        return table

    def _links(self, article: Article) -> Group:
        parts: list[Text | Table] = []
        if article.links:
            parts.append(Text("Links", self._style("detail--label")))
            parts.append(self._link_table(article.links))
        if article.images:
            parts.append(Text("Images", self._style("detail--label")))
            parts.append(
                self._link_table([(f"{i.width}×{i.height}" if i.width and i.height else "image", i.url) for i in article.images])
            )
        parts.append(Text("\n" + self.display_path(article.path), self._style("detail--dim")))
        return Group(*parts)

    def _show_raw_view(self) -> None:
        raw = self.query_one("#detail-raw", Static)
        article = self.article
        if not self.show_raw or article is None:
            raw.display = False
            return
        source = clean(article.raw_front_matter) if article.raw_front_matter else "# no front matter: plain text file"
        if len(source) > MAX_RENDERED:
            source = source[:MAX_RENDERED] + f"\n# … {len(source) - MAX_RENDERED:,} more characters not shown"
        raw.update(Syntax(source, "yaml", word_wrap=True, theme="ansi_dark", background_color="default"))
        raw.display = True

    # -- the body, progressively -------------------------------------------------
    # Each chunk of the body is one Static showing a Rich Markdown renderable:
    # one widget per chunk lays out far faster than Textual's Markdown widget
    # (a widget per block), and nothing in it is read as markup. Links show
    # as "text (url)" and are never terminal hyperlinks.
    def _clear_body(self) -> None:
        if self._body_task is not None:
            self._body_task.cancel()
            self._body_task = None
        body = self.query_one("#detail-body", Vertical)
        if body.display:  # nothing to undo when no body was shown
            first = self.query_one("#detail-body-0", Static)
            first.update("")
            for extra in body.children[1:]:
                extra.remove()
            body.display = False
        self.query_one("#detail-note", Static).display = False

    def _show_body(self, article: Article) -> None:
        self._clear_body()
        body = article.body.strip("\n")
        if not body or body.isspace():
            return
        shown = clean(body[:MAX_RENDERED])  # only what is shown: a 30 MB body costs nothing more
        note = self.query_one("#detail-note", Static)
        if len(body) > MAX_RENDERED:
            note.update(
                Text(
                    f"The body is {len(body) / 1024 / 1024:.1f} MiB of text; the first {MAX_RENDERED // 1024} KiB are shown"
                    " (open the file in an editor for the rest).",
                    style=self._style("detail--warn"),
                )
            )
            note.display = True
        render = Text if article.is_plain_text else _markdown
        chunks = split_chunks(shown)
        container = self.query_one("#detail-body", Vertical)
        container.display = True
        self.query_one("#detail-body-0", Static).update(render(chunks[0]))
        if len(chunks) > 1:
            self._body_task = asyncio.create_task(self._render_rest(container, [render(c) for c in chunks[1:]]))

    async def _render_rest(self, container: Vertical, parts: list[RenderableType]) -> None:
        """The rest of a long body, a chunk at a time, letting keys through."""
        for part in parts:
            await asyncio.sleep(0.03)
            await container.mount(Static(part, classes="detail-body-part"))


def _markdown(text: str) -> RichMarkdown:
    return RichMarkdown(text, hyperlinks=False, code_theme="ansi_dark")
