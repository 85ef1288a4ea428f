"""Text colours every theme can be read in: WCAG AA, 4.5:1 against every
background the reader draws them on.

Textual's themes choose their colours for looks, and some put text under
4.5:1 (orange on light grey in textual-light, grey-green on dark teal in
solarized-dark, white on the mid blue of textual-dark's cursor). The reader
keeps each theme's colours for what is not text (backgrounds, borders, the
cursor band) and here, in one place, moves each colour it draws text in
toward black or white, keeping its hue, just far enough to reach 4.5:1 on
every background of the theme. A colour already readable is left as it is.

What the reader draws text in (``app.tcss`` and Textual's own widgets):

* ``$text-muted`` / ``$text-disabled``: dates, hints, the breadcrumb,
  placeholders, the header's count, footer descriptions;
* ``$text-primary``, ``$text-secondary``, ``$text-accent``, ``$text-warning``,
  ``$text-error``, ``$text-success``: coloured text (``$accent`` and the
  others are for backgrounds and borders only);
* ``$footer-key-foreground`` and ``$footer-description-foreground``: the footer;
* ``$block-cursor-foreground``: every character of the focused cursor row,
  on ``$block-cursor-background`` (which is moved instead when neither black
  nor white can be read on it).

:meth:`tui.ui.app.ReaderApp.get_css_variables` applies
:func:`readable_variables` to whatever theme is chosen, a bundled one or a
theme added later; ANSI themes (``ansi-dark``, ``ansi-light``) are left to
the terminal, whose palette decides what they look like.
``tests/test_contrast.py`` measures the drawn screens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rich.style import Style
from textual.color import BLACK, WHITE, Color, ColorParseError

AA = 4.5  # WCAG 2, level AA, normal text
TARGET = 4.6  # a little over: what is drawn is rounded to whole RGB values

# Coloured text, each made from the theme colour of the same name.
COLOURED = ("primary", "secondary", "accent", "warning", "error", "success")


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance (0 black, 1 white) of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours: 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: Color, backgrounds: Iterable[Color], minimum: float = TARGET) -> Color:
    """``colour``, or the least change of it toward black or white (whichever
    reads better on ``backgrounds``) that reaches ``minimum`` on all of them."""
    under = list(backgrounds)

    def worst(c: Color) -> float:
        return min(contrast(c, b) for b in under)

    if worst(colour) >= minimum:
        return colour
    end = max((WHITE, BLACK), key=worst)
    for step in range(1, 51):
        candidate = colour.blend(end, step / 50, alpha=1.0).clamped
        if worst(candidate) >= minimum:
            return candidate
    return end


def text_only(style: Style) -> Style:
    """A component's text style without its background: what is under it (a
    cursor band, a block's own background) shows through."""
    return Style(color=style.color, bold=style.bold, italic=style.italic, underline=style.underline)


@lru_cache(maxsize=512)
def on_band(style: Style | None, band: Style) -> Style:
    """A piece of a cursor row drawn on the row's band: the band's background
    under every piece (one band), and the piece's own colour where it reads on
    it (4.5:1), else the cursor's."""
    drawn = band + (style or Style()) + Style(bgcolor=band.bgcolor)
    back, fore = band.bgcolor, drawn.color
    if back is None or back.triplet is None or fore is None or band.color is None:
        return drawn  # the terminal's own colours: nothing to measure
    if fore.triplet is None or contrast(Color.from_rich_color(fore), Color.from_rich_color(back)) < AA:
        drawn += Style(color=band.color)
    return drawn


def muted(variables: Mapping[str, str]) -> Style:
    """Muted text as a Rich style, for text made outside the CSS (a table, an
    option's prompt). Never Rich's "dim": the terminal decides how faint that
    is, and some fade it below 4.5:1."""
    value = variables.get("text-muted", "")
    return Style(color=value) if value.startswith("#") else Style(dim=True)  # an ANSI theme: the terminal's


def _parse(value: str, under: Color) -> Color | None:
    """A theme variable's colour as drawn on ``under`` ("auto 60%" and alpha
    included); None for what is not a colour (a text style, "transparent")."""
    value = value.strip()
    if value.startswith("auto"):
        percent = value.removeprefix("auto").strip().rstrip("%") or "100"
        try:
            return under + under.get_contrast_text(float(percent) / 100)
        except ValueError:
            return None
    try:
        colour = Color.parse(value)
    except ColorParseError:
        return None
    return under + colour if colour.a < 1 else colour


def readable_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The theme's CSS variables, every text colour readable on every background."""
    fixed = dict(variables)
    background = Color.parse(variables["background"])
    if background.ansi is not None or background.a < 1:
        return fixed  # an ANSI theme: the terminal's palette decides

    def colour(name: str, under: Color = background) -> Color | None:
        value = fixed.get(name)
        return None if value is None else _parse(value, under)

    # Plain text ($foreground: the header, the footer, toasts) on the theme's
    # other backgrounds: those move toward the background's end if need be.
    foreground = colour("foreground") or background.get_contrast_text()
    for name in ("surface", "panel", "panel-lighten-1", "footer-background", "block-cursor-blurred-background"):
        found = colour(name)
        if found is not None and contrast(foreground, found) < TARGET:
            fixed[name] = readable(found, [foreground]).hex

    # Where the reader draws text: the panes (background, the jump box and
    # dialogs' surface, a focused pane's boost), the bars (header, breadcrumb,
    # footer) and toasts. On a cursor row, a piece its colour does not read on
    # is drawn in the cursor's own colour instead (on_band).
    panes = [c for c in (background, colour("surface"), colour("boost")) if c is not None]
    panel = colour("panel") or background
    bars = [c for c in (panel, colour("footer-background"), colour("boost", panel)) if c is not None]  # boost: a focused box in a bar
    toasts = [c for c in (colour("panel-lighten-1"),) if c is not None]

    def worst(c: Color) -> float:
        return min(contrast(c, g) for g in panes + bars)

    for name in ("text-muted", "text-disabled", "foreground-muted", "footer-description-foreground"):
        found = colour(name)
        if found is not None:
            found = readable(found, panes + bars)
            if worst(found) > worst(foreground) >= TARGET:
                found = foreground  # never brighter than plain text (solarized's is barely AA itself)
            fixed[name] = found.hex
    for name in COLOURED:  # a toast's title is a warning, error or success colour
        found = colour(name)
        if found is not None:
            fixed[f"text-{name}"] = readable(found, panes + (toasts if name in ("warning", "error", "success") else [])).hex
    key = colour("footer-key-foreground")
    if key is not None:
        fixed["footer-key-foreground"] = readable(key, bars).hex

    band = colour("block-cursor-background")
    text = colour("block-cursor-foreground", band or background)
    if band is not None and text is not None and contrast(text, band) < TARGET:
        # The text keeps its side (light or dark); if even white (or black)
        # does not read on the band, the band moves a little instead.
        end = WHITE if luminance(text) > luminance(band) else BLACK
        if contrast(end, band) < TARGET:
            band = readable(band, [end])
            fixed["block-cursor-background"] = band.hex
        fixed["block-cursor-foreground"] = readable(text, [band]).hex
    return fixed
