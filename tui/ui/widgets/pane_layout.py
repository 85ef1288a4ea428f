"""Which pane goes where, for the terminal's width and what the person reads.

Two layouts, as terminal readers have them:

* **the list** (``article_open`` False): wider than ``NARROW_WIDTH``
  columns, the list takes its share of the width (``list_width``, changed
  with ``=`` / ``-``) and the article under the cursor shows beside it as
  a preview, the related sidebar under the preview when asked for (``r``);
  at ``NARROW_WIDTH`` columns and below, the list takes the whole width.
* **the article view** (Enter on the list): the article takes the whole
  width, the sidebar beside it when asked for; below
  ``SIDEBAR_MIN_WIDTH`` columns a sidebar asked for takes the article's
  place instead of squeezing it.

:func:`plan` says it as plain data (tested without a terminal);
:func:`apply` gives it to the widgets. The colours, borders and the
sidebar's place (beside or under) are in ``app.tcss``, by the classes set here.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.widget import Widget

NARROW_WIDTH = 80  # at this width and below the list takes the whole width
SIDEBAR_MIN_WIDTH = 100  # below it, the sidebar hides by itself (r still shows it)


@dataclass(frozen=True)
class Plan:
    list_shown: bool
    list_width: str  # a CSS width: "62%" beside the preview, "1fr" alone
    column_shown: bool  # the column of the article view and the sidebar
    article_shown: bool
    sidebar_shown: bool
    beside: bool  # the sidebar beside the article (the article view), else under the preview


def plan(width: int, article_open: bool, sidebar: bool, share: int) -> Plan:
    """Where each pane goes at ``width`` columns (see the module's docstring)."""
    if article_open:
        instead = sidebar and width < SIDEBAR_MIN_WIDTH
        return Plan(False, "1fr", True, not instead, sidebar, True)
    if width <= NARROW_WIDTH:
        return Plan(True, "1fr", False, False, False, False)
    return Plan(True, f"{share}%", True, True, sidebar, False)


def apply(panes: Widget, layout: Plan, listing: Widget, column: Widget, article: Widget, sidebar: Widget) -> None:
    """Show, hide and size the panes as ``layout`` says."""
    listing.display = layout.list_shown
    listing.styles.width = layout.list_width
    listing.set_class(not layout.column_shown, "-alone")
    column.display = layout.column_shown
    article.display = layout.article_shown
    sidebar.display = layout.sidebar_shown
    panes.set_class(layout.beside, "-article")
    panes.set_class(not layout.article_shown, "-sidebar-instead")
