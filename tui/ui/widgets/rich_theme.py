"""The colours of what Rich draws inside the article (Markdown, the raw YAML),
taken from the pane's component classes in ``app.tcss``, so they follow the
theme (and ``tui/ui/palette.py`` keeps them readable).

Rich's own defaults are the terminal's ANSI colours (cyan code on black,
yellow YAML strings, dim level-4 headings), chosen for a dark terminal: on a
light theme they are unreadable, and "dim" is left to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.theme import Theme

from tui.ui.palette import text_only

if TYPE_CHECKING:
    from rich.syntax import SyntaxTheme

StyleOf = Callable[[str], Style]  # a component class's style, by name

COMPONENTS = ("detail--code", "detail--quote", "detail--bullet", "detail--link", "detail--yaml-key", "detail--yaml-value")


def code_theme(style_of: StyleOf) -> SyntaxTheme:
    """Token colours for the raw front matter and code blocks."""
    # Here, not above: pygments is not needed for the first paint.
    from pygments.token import Comment, Keyword, Literal, Name, Number, String, Token
    from rich.syntax import ANSISyntaxTheme

    key, value, muted = (text_only(style_of(name)) for name in ("detail--yaml-key", "detail--yaml-value", "detail--dim"))
    return ANSISyntaxTheme(
        {
            Token: Style(),
            Comment: muted,
            Name.Tag: key,
            Name: key,
            Keyword: value,
            Literal: value,
            String: value,
            Number: value,
        }
    )


def markdown_theme(style_of: StyleOf) -> Theme:
    """Rich's Markdown styles in the theme's colours (and no "dim")."""
    code, quote, bullet, link = (text_only(style_of(name)) for name in ("detail--code", "detail--quote", "detail--bullet", "detail--link"))
    return Theme(
        {
            "markdown.code": code,
            "markdown.code_block": code,
            "markdown.block_quote": quote,
            "markdown.list": bullet,
            "markdown.item.bullet": bullet + Style(bold=True),
            "markdown.item.number": bullet + Style(bold=True),
            "markdown.hr": quote,
            "markdown.h4": Style(bold=True),
            "markdown.h7": Style(italic=True),
            "markdown.link": link,
            "markdown.link_url": link + Style(underline=True),
        },
        inherit=True,
    )
