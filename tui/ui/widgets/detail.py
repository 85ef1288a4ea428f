"""The detail pane: a readable header, the body, links; raw front matter on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.bookmarks import Bookmark
from tui.core.find import Finder
from tui.core.markdown_budget import plain_text_reason
from tui.core.model import Article, Entry, Related
from tui.core.settings import DEFAULT_DETAIL_DATE_FORMAT
from tui.core.text import clean
from tui.ui.textual_compat import scrollbars_follow
from tui.ui.widgets import rich_theme
from tui.ui.widgets.article_text import ArticleText
from tui.ui.widgets.line_matches import LineMatches
from tui.ui.widgets.scrollbar import QuickScrollBars
from tui.ui.widgets.strips import fit

if TYPE_CHECKING:
    from rich.syntax import SyntaxTheme

FIRST_CHUNK = 8 * 1024  # first screen of a long body: rendered at once
CHUNK = 16 * 1024  # the rest follows in chunks of this size
MAX_RENDERED = 256 * 1024  # a longer body is read in parts of about this size (> and <)


def piece_end(body: str, start: int, limit: int) -> int:
    """Where a piece of ``body`` from ``start``, at most ``limit`` long, ends:
    after a paragraph break outside fenced code (anywhere, if it has none)."""
    end = start + limit
    if end >= len(body):
        return len(body)
    cut = body.rfind("\n\n", start + limit // 4, end)
    # Never inside a fenced code block: its halves would render as text.
    while cut > 0 and (body.count("```", start, cut) % 2 or body.count("~~~", start, cut) % 2):
        cut = body.rfind("\n\n", start + limit // 4, cut)
    return cut + 2 if cut > 0 else end


def split_chunks(body: str, first: int = FIRST_CHUNK, size: int = CHUNK) -> list[str]:
    """Cut a body into chunks at paragraph breaks (or anywhere, if it has none)."""
    chunks = []
    start = 0
    limit = first
    while start < len(body):
        end = piece_end(body, start, limit)
        chunks.append(body[start:end])
        start = end
        limit = size
    return chunks


@dataclass
class _Block:
    """One part of the pane (header, raw front matter, a piece of the body,
    a note, the links), rendered to lines once per width."""

    name: str
    renderable: RenderableType
    margin: tuple[int, int] = (1, 0)  # blank lines above and below (adjacent margins collapse)
    inset: int = 0  # extra columns of padding inside, on the block's own background
    style: str = ""  # a component class for the block's background
    lines: list[Strip] = field(default_factory=list)


class DetailPane(QuickScrollBars, ScrollView, can_focus=True):
    """Everything about the article under the cursor.

    A line-rendered view: each part is rendered to lines by Rich once, and
    ``render_line`` hands out the visible ones. Showing another article swaps
    lists of lines and never builds or lays out widgets, so the screen's
    layout is not recomputed for it (opening an article costs a few
    milliseconds plus the rendering of what it shows). Long bodies are
    rendered a chunk at a time: the first screen at once, the rest while the
    keys keep working.
    """

    # In Widget, a new virtual size re-lays out the whole screen (a few ms per
    # article opened, benchmarks/bench_paint.py "layout"). This pane's own
    # size never depends on its content (its scrollbar is always there), so
    # only the pane and its scrollbar are repainted.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    COMPONENT_CLASSES = {
        "detail--title",
        "detail--dim",
        "detail--tag",
        "detail--label",
        "detail--warn",
        "detail--raw",
        "detail--bookmark",
        "detail--usertag",
        "detail--match",
        "detail--match-current",
        *rich_theme.COMPONENTS,
    }

    @dataclass
    class Matches(Message):
        """The matches of the find changed: which one is current (0-based) of how many."""

        detail: DetailPane
        current: int
        total: int

        @property
        def control(self) -> DetailPane:
            return self.detail

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.versions: tuple[int, int] | None = None  # (which, of how many) for a story told several times
        self.bookmark: Bookmark | None = None  # the shown article's, when it has one
        self.show_raw = False
        self.body_part = 0  # which part of a long body is shown (0: the first)
        self._part_starts = [0]  # where each part reached so far starts, in the body
        self._body_task: asyncio.Task[None] | None = None
        self.display_path: Callable[[str], str] = lambda path: path
        self.date_format = DEFAULT_DETAIL_DATE_FORMAT  # strftime, local time (the settings' detail_date_format)
        self._head: list[_Block] = []  # header and raw front matter
        self._body: list[_Block] = []  # the body, chunk by chunk
        self._tail: list[_Block] = []  # note and links
        self._body_pending: list[RenderableType] = []  # chunks not rendered yet
        self._lines: list[Strip] = []
        self._width = 0
        self._base: Style = Style()
        self._paint = (0, 0)  # scroll offset and width, for the paint under way
        # Find: the terms looked for, every match as (line, first cell, end cell), the
        # matches of each line as (first cell, end cell, match number), the current one.
        self.finder: Finder | None = None
        self._matches = LineMatches()
        self._match_styles: tuple[Style, Style] = (Style(), Style())
        self._shown: Callable[[], None] | None = None  # what is shown when it is not an article: shown again on a new theme

    # -- what is shown ----------------------------------------------------------
    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        """The rendered lines carry the old theme's colours: render what is
        shown again, where it was."""
        y = self.scroll_y
        if self.article is not None:
            self.show_article(self.article, self.bookmark, self.versions, self.finder, part=self.body_part)
        elif self._shown is not None:
            self._shown()
        else:
            return
        self.scroll_to(y=y, animate=False, immediate=True)

    def show_message(self, message: str) -> None:
        self._shown = partial(self.show_message, message)
        self.article = None
        self.finder = None
        self._cancel_body()
        self._head = [_Block("header", Text(message, style=self.component_style("detail--dim")))]
        self._body, self._tail = [], []
        self._relayout(home=True)

    def show_text(self, text: Text) -> None:
        """Something that is not a file (a bookmark's snapshot), styled by the caller."""
        self._shown = partial(self.show_text, text)
        self.article = None
        self.finder = None
        self.bookmark = None
        self._cancel_body()
        self._head = [_Block("header", text)]
        self._body, self._tail = [], []
        self._relayout(home=True)

    def show_article(
        self,
        article: Article,
        bookmark: Bookmark | None = None,
        versions: tuple[int, int] | None = None,
        finder: Finder | None = None,
        part: int = 0,
    ) -> None:
        """The article; with its bookmark's tags and note when it has one; ``versions``:
        (which, of how many) when the story is told by several outlets; ``finder``:
        words to mark in it (the jump box's query, the find bar's text); ``part``:
        which part of a long body (the first by default)."""
        if article is not self.article or part == 0:
            self._part_starts = [0]
        self.body_part = min(part, len(self._part_starts) - 1)
        self.article = article
        self.finder = finder or None
        self._matches.current = 0
        self.bookmark = bookmark
        self._cancel_body()
        self.versions = versions
        self._head = [_Block("header", self._header(article), margin=(1, 0))]
        self._head += self._raw_blocks()
        self._body, self._tail = [], []
        body_parts, before, after = self._body_parts(article)
        if before is not None:
            self._head.append(_Block("part", before))
        if after is not None:
            self._tail.append(_Block("note", after))
        self._tail.append(_Block("links", self._links(article)))
        if body_parts:
            self._body = [_Block("body", body_parts[0], margin=(1, 0))]
            self._body_pending = body_parts[1:]
        self._relayout(home=True)
        if self._body_pending:
            self._body_task = asyncio.create_task(self._render_rest())

    def show_part(self, step: int) -> bool:
        """The next (``step`` 1) or previous (-1) part of a long body, from
        its top; False when there is none."""
        article = self.article
        if article is None:
            return False
        part = self.body_part + step
        if part < 0 or part >= len(self._part_starts):
            return False
        self.show_article(article, self.bookmark, self.versions, self.finder, part=part)
        return True

    @property
    def in_parts(self) -> bool:
        """Is the body too long to be shown whole (read in parts)?"""
        return len(self._part_starts) > 1

    def show_related(self, related: Related, local: Entry | None, source_title: str) -> None:
        """An external related story: its snapshot's excerpt and metadata."""
        self._shown = partial(self.show_related, related, local, source_title)
        self.article = None
        self.finder = None
        self._cancel_body()
        text = self._text().related(related, local, source_title)
        self._head = [_Block("header", text)]
        self._body = []
        rows = [("web", related.url)] if related.url else []
        rows += [("image", image.url) for image in related.images]
        self._tail = [_Block("links", self._text().link_list("Links", rows))] if rows else []
        self._relayout(home=True)

    def set_versions(self, versions: tuple[int, int] | None) -> None:
        """The shown article's story turned out to be told several times: redo the header only."""
        if self.article is None or versions == self.versions:
            return
        self.versions = versions
        self._head = [_Block("header", self._header(self.article), margin=(1, 0))] + [
            block for block in self._head if block.name != "header"
        ]
        self._relayout(home=False)

    def set_bookmark(self, bookmark: Bookmark | None) -> None:
        """The shown article was (un)bookmarked or its tags changed: redo the header only."""
        if self.article is None:
            return
        self.bookmark = bookmark
        self._head = [_Block("header", self._header(self.article), margin=(1, 0))] + [
            block for block in self._head if block.name != "header"
        ]
        self._relayout(home=False)

    def bookmark_text(self, bookmark: Bookmark) -> Text:
        """One block: ★ when it was bookmarked, its tags, its note."""
        return self._text().bookmark(bookmark)

    def toggle_raw(self) -> bool:
        self.show_raw = not self.show_raw
        if self.article is not None:
            head = [block for block in self._head if block.name != "raw"]
            self._head = head[:1] + self._raw_blocks() + head[1:]  # under the header, above the part's note
            self._relayout(home=False)
        return self.show_raw

    # -- find -------------------------------------------------------------------------
    def set_find(self, finder: Finder | None) -> None:
        """Highlight these words in what is shown (None: none); the first match
        at or below the top of the view becomes the current one."""
        self.finder = finder or None
        self._matches.find(self.finder, self._lines)
        self._matches.first_from(round(self.scroll_y))
        if self._matches:
            self._scroll_to_match()
        self._said_matches()
        self.refresh()

    def step_match(self, step: int) -> tuple[int, int]:
        """Make the next (or previous) match current and scroll it into view;
        (current, total), current 0-based."""
        if self._matches:
            self._matches.step(step)
            self._scroll_to_match()
            self.refresh()
        self._said_matches()
        return self._matches.current, len(self._matches)

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match_line(self) -> int | None:
        """The line (in the pane's virtual lines) of the current match."""
        return self._matches.current_line

    def match_texts(self) -> list[str]:
        """The text of every match, in order (what a person sees highlighted)."""
        return self._matches.texts(self._lines)

    def _scroll_to_match(self) -> None:
        line = self._matches.current_line or 0
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if not top <= line < top + max(1, height - 1):
            self.scroll_to(y=max(0, line - max(1, height // 3)), animate=False, immediate=True)

    def _said_matches(self) -> None:
        self.post_message(self.Matches(self, self._matches.current if self._matches else 0, len(self._matches)))

    # -- what tests and other widgets read -----------------------------------------
    def block_text(self, name: str) -> str:
        """The plain text of one block ("header", "raw", "part", "body", "note", "links"), as shown."""
        parts = []
        for block in self._head + self._body + self._tail:
            if block.name != name:
                continue
            source = block.renderable
            if isinstance(source, Text):
                parts.append(source.plain)  # as written: not wrapped
            elif hasattr(source, "code"):  # the raw view's Syntax
                parts.append(str(source.code))
            else:
                parts.append("\n".join(strip.text.strip() for strip in block.lines))
        return "\n".join(parts)

    def has_block(self, name: str) -> bool:
        return any(b.name == name for b in self._head + self._body + self._tail)

    @property
    def body_pending(self) -> bool:
        """Part of a long body is still being rendered."""
        return bool(self._body_pending)

    @property
    def rendering(self) -> bool:
        """The rest of a long body is being rendered, chunk by chunk."""
        return self._body_task is not None

    # -- pieces -----------------------------------------------------------------
    def component_style(self, name: str) -> Style:
        style = self.get_component_rich_style(name)
        if style.bgcolor is not None and style.bgcolor == self.rich_style.bgcolor:
            # The pane's own background (brighter while it has the keys) is
            # painted under the lines as they are drawn (render_line): kept
            # in the lines rendered, it stayed as it was when they were.
            style = style.without_color + Style.from_color(style.color)
        return style

    def _text(self) -> ArticleText:
        return ArticleText(self.component_style, self.date_format, self.display_path)

    def _header(self, article: Article) -> Text:
        return ArticleText(self.component_style, self.date_format, self.display_path).header(article, self.bookmark, self.versions)

    def _links(self, article: Article) -> Group:
        return ArticleText(self.component_style, self.date_format, self.display_path).links(article)

    def _raw_blocks(self) -> list[_Block]:
        article = self.article
        if not self.show_raw or article is None:
            return []
        from rich.syntax import Syntax  # here: pygments is not needed for the first paint

        source = clean(article.raw_front_matter) if article.raw_front_matter else "# no front matter: plain text file"
        if len(source) > MAX_RENDERED:
            source = source[:MAX_RENDERED] + f"\n# … {len(source) - MAX_RENDERED:,} more characters not shown"
        background = self.component_style("detail--raw").bgcolor
        syntax = Syntax(
            source,
            "yaml",
            word_wrap=True,
            theme=rich_theme.code_theme(self.component_style),
            # The block's own background, not the terminal's default.
            background_color=background.triplet.hex if background and background.triplet else "default",
        )
        return [_Block("raw", syntax, margin=(1, 1), inset=1, style="detail--raw")]

    # Each chunk of the body is rendered by Rich's Markdown (or as plain text):
    # nothing in it is read as markup. Links show as "text (url)" and are never
    # terminal hyperlinks.
    def _body_parts(self, article: Article) -> tuple[list[RenderableType], Text | None, Text | None]:
        """The shown part of the body, in chunks, with what is said above it
        (which part this is) and below it (what follows)."""
        body = article.body.strip("\n")
        if not body or body.isspace():
            return [], None, None
        start = self._part_starts[self.body_part]
        end = piece_end(body, start, MAX_RENDERED)  # a 30 MB body costs no more than its part
        if end < len(body) and self.body_part + 1 == len(self._part_starts):
            self._part_starts.append(end)
        shown = clean(body[start:end])
        warn = self.component_style("detail--warn")
        before = after = None
        size = f"{len(body) / 1024 / 1024:.1f} MiB"
        if start > 0:
            before = Text(
                f"Part {self.body_part + 1} of a {size} body, from character {start + 1:,} of {len(body):,}."
                " Press < for the part before.",
                style=warn,
            )
        if end < len(body):
            after = Text(
                f"Part {self.body_part + 1} of a {size} body ends here; {len(body) - end:,} characters follow."
                " Press > for the next part.",
                style=warn,
            )
        chunks = split_chunks(shown)
        too_costly = "" if article.is_plain_text else plain_text_reason(chunks)  # tui.core.markdown_budget
        if too_costly:
            before = Text(too_costly, style=warn) if before is None else before.append("\n" + too_costly)
        if article.is_plain_text or too_costly:
            return [Text(chunk) for chunk in chunks], before, after
        code = rich_theme.code_theme(self.component_style)
        return [_markdown(chunk, code) for chunk in chunks], before, after

    # -- lines ----------------------------------------------------------------------
    def _cancel_body(self) -> None:
        if self._body_task is not None:
            self._body_task.cancel()
            self._body_task = None
        self._body_pending = []

    async def _render_rest(self) -> None:
        """The rest of a long body, a chunk at a time, letting keys through."""
        while self._body_pending:
            await asyncio.sleep(0.02)
            block = _Block("body", self._body_pending.pop(0), margin=(0, 0))
            if self._width:
                self._render_block(block, self._width)
            self._body.append(block)
            self._join(home=False)
        self._body_task = None

    def _render_block(self, block: _Block, width: int) -> None:
        console = self.app.console
        pad = 2 + block.inset
        inner = max(1, width - 2 * pad)
        style = self.component_style(block.style) if block.style else None
        options = console.options.update(width=inner, height=None, highlight=False)
        with console.use_theme(rich_theme.markdown_theme(self.component_style)):
            rendered = console.render_lines(block.renderable, options, style=style, pad=True, new_lines=False)
        left = Segment(" " * block.inset, style) if block.inset else None
        right = left
        margin = Segment("  ")
        lines = []
        for segments in rendered:
            row = [margin, *([left] if left else []), *segments, *([right] if right else []), margin]
            lines.append(fit(Strip(row), width))
        block.lines = lines

    def _relayout(self, home: bool) -> None:
        """Render every part at the current width, then show them."""
        width = self.scrollable_content_region.width
        if width < 8:  # not laid out yet, or hidden: rendered on the next resize
            self._width = 0
            self._lines = []
            return
        self._width = width
        for block in self._head + self._body + self._tail:
            self._render_block(block, width)
        self._join(home)

    def _join(self, home: bool) -> None:
        lines: list[Strip] = []
        below = 0
        for block in self._head + self._body + self._tail:
            above = block.margin[0]
            if lines or above:
                lines.extend([Strip.blank(self._width)] * max(above, below))
            lines.extend(block.lines)
            below = block.margin[1]
        self._lines = lines
        self._set_virtual_size(Size(self._width, len(lines)))
        if home:
            self.scroll_to(0, 0, animate=False, immediate=True)
        if self.finder is not None or self._matches:
            before = len(self._matches)
            self._matches.find(self.finder, self._lines)
            if home and self._matches:
                self._scroll_to_match()
            if home or len(self._matches) != before:
                self._said_matches()
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """A new length, without a layout of the whole screen: the pane's
        size never depends on its content (see ``virtual_size`` above)."""
        if size != self.virtual_size:
            self.virtual_size = size
            scrollbars_follow(self, size)

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width and (self._head or self._body or self._tail):
            self._relayout(home=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per paint, not once per line.
        self._base = self.rich_style
        self._paint = (round(self.scroll_y), self.scrollable_content_region.width)
        if self._matches:
            self._match_styles = (self.component_style("detail--match"), self.component_style("detail--match-current"))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        top, width = self._paint
        index = top + y
        if 0 <= index < len(self._lines):
            strip = self._lines[index].crop_extend(0, width, None)
            if self._matches:
                strip = self._matches.highlight(strip, index, self._match_styles)
            return strip.apply_style(self._base)
        return Strip.blank(width, self._base)


def _markdown(text: str, code_theme: SyntaxTheme) -> RenderableType:
    # Imported on first use: markdown-it is not needed for the first paint.
    from rich.markdown import Markdown

    return Markdown(text, hyperlinks=False, code_theme=code_theme)  # type: ignore[arg-type]  # Syntax takes a theme object too
