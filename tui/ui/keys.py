"""Every key binding of the reader, as bound now (after the user's keymap).

The help screen, the command palette's hints and the check of the
``[keys]`` settings all come from here, so a binding anyone adds shows up in
all three by itself: give it an ``id=`` (and a ``tooltip=`` for the help's
longer text). Bindings are found on every class of ``tui.ui`` that declares
``BINDINGS``; a class may set ``HELP_SECTION`` (its heading in the help) and
``HELP_ORDER`` (where that section goes; lower first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, key_to_character

from tui.ui.textual_compat import keymap as current_keymap
from tui.ui.textual_compat import normalize_keys

DEFAULT_ORDER = 50
_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_KEY_NAMES = {key.value for key in Keys}


@dataclass(frozen=True)
class KeyRow:
    binding_id: str  # "" for a binding without an id (it cannot be remapped)
    keys: tuple[str, ...]  # as bound now (Textual key names)
    description: str
    binding: Binding


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[KeyRow, ...]


def binding_classes(app: App[object]) -> list[type[DOMNode]]:
    """The app's class and every ``tui.ui`` class that declares ``BINDINGS``."""
    found: list[type[DOMNode]] = []
    seen: set[type] = set()
    stack: list[type] = [DOMNode]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            if sub.__module__.startswith("tui.ui") and sub.__dict__.get("BINDINGS"):
                found.append(sub)
    app_class = type(app)
    if app_class not in found and app_class.__dict__.get("BINDINGS"):
        found.append(app_class)
    found.sort(key=lambda cls: (getattr(cls, "HELP_ORDER", DEFAULT_ORDER), cls.__module__, cls.__qualname__))
    return found


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    out = []
    for item in cls.__dict__.get("BINDINGS", []):
        if isinstance(item, Binding):
            out.append(item)
        else:  # a tuple: (key, action[, description])
            out.append(Binding(*item))
    return out


def section_title(cls: type[DOMNode]) -> str:
    title = cls.__dict__.get("HELP_SECTION")
    if title:
        return str(title)
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", cls.__name__.removesuffix("Screen").removesuffix("Widget"))
    return " ".join(words).capitalize() or cls.__name__


def current_keys(app: App[object], binding: Binding) -> tuple[str, ...]:
    """The keys that trigger ``binding`` now: the keymap's, else its own."""
    keymap = current_keymap(app)
    if binding.id and binding.id in keymap:
        return tuple(k for k in keymap[binding.id].split(",") if k)
    return tuple(k.strip() for k in normalize_keys(binding.key).split(",") if k.strip())


def sections(app: App[object]) -> list[Section]:
    """Every binding, grouped by where it works, one row per binding id."""
    out = []
    for cls in binding_classes(app):
        rows: list[KeyRow] = []
        by_id: dict[str, int] = {}
        for binding in declared_bindings(cls):
            if binding.system:
                continue
            keys = current_keys(app, binding)
            description = binding.tooltip or binding.description or binding.action.replace("_", " ")
            if binding.id and binding.id in by_id:  # the same binding listed twice: merge the keys
                i = by_id[binding.id]
                old = rows[i]
                rows[i] = KeyRow(
                    old.binding_id, old.keys + tuple(k for k in keys if k not in old.keys), old.description, old.binding
                )
                continue
            if binding.id:
                by_id[binding.id] = len(rows)
            rows.append(KeyRow(binding.id or "", keys, description, binding))
        # A key the keymap gives to one binding is taken from the others of the
        # same screen or widget (Textual's keymap does so): show what is left.
        keymap = current_keymap(app)
        claimed = {key for row in rows if row.binding_id in keymap for key in row.keys}
        rows = [
            row
            if row.binding_id in keymap or not claimed & set(row.keys)
            else KeyRow(row.binding_id, tuple(k for k in row.keys if k not in claimed), row.description, row.binding)
            for row in rows
        ]
        if rows:
            out.append(Section(section_title(cls), tuple(rows)))
    return out


def binding_ids(app: App[object]) -> set[str]:
    return {row.binding_id for section in sections(app) for row in section.rows if row.binding_id}


def key_display(app: App[object], key: str) -> str:
    return app.get_key_display(Binding(key, ""))


def keys_display(app: App[object], binding_id: str, joiner: str = " ") -> str:
    """How the keys of one binding id read now ("" when it has none)."""
    for section in sections(app):
        for row in section.rows:
            if row.binding_id == binding_id:
                return joiner.join(key_display(app, key) for key in row.keys)
    return ""


def action_keys(app: App[object]) -> dict[str, str]:
    """Action name -> how its keys read now (the first binding of an action wins)."""
    out: dict[str, str] = {}
    for section in sections(app):
        for row in section.rows:
            action = row.binding.action
            if action not in out and row.keys:
                out[action] = " ".join(key_display(app, key) for key in row.keys)
    return out


def normalize(keys: str) -> str:
    """ "?,ctrl+e" -> "question_mark,ctrl+e" (Textual's names)."""
    return normalize_keys(keys)


def unknown_keys(keys: str) -> list[str]:
    """The keys of a comma-separated list that Textual cannot bind."""
    bad = []
    for key in normalize(keys).split(","):
        *modifiers, base = key.split("+")
        known = len(base) == 1 or base in _KEY_NAMES or key_to_character(REPLACED_KEYS.get(base, base)) is not None
        if not base or not known or any(m not in _MODIFIERS for m in modifiers):
            bad.append(key)
    return bad


def clashes(app: App[object], keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(remapped id, key, the id that loses that key) for keys a remapping takes
    from another binding of the same screen or widget."""
    out = []
    normalized = {binding_id: normalize(keys).split(",") for binding_id, keys in keymap.items()}
    for cls in binding_classes(app):
        own = [b for b in declared_bindings(cls) if b.id and not b.system]
        for binding_id, new_keys in normalized.items():
            if not any(b.id == binding_id for b in own):
                continue
            for other in own:
                if other.id == binding_id or other.id in keymap:
                    continue
                for key in normalize(other.key).split(","):
                    if key in new_keys and (binding_id, key, other.id) not in out:
                        out.append((binding_id, key, other.id))
    return out


def doc_key(key: str) -> str:
    """A key as docs/keys.md writes it: a character as itself, any other key by its name."""
    *modifiers, base = key.split("+")
    character = "/" if base == "slash" else key_to_character(base)
    shown = character if character and character.isprintable() and not character.isspace() else base
    return "+".join([*modifiers, shown])


class DefaultKeys(App[None]):
    """No keymap and no bindings of its own: each binding's own keys (for the docs)."""


def reference(app: App[object] | None = None) -> str:
    """docs/keys.md: every binding of the reader by where it works, as bound
    by ``app``'s keymap (None: as declared). Made by scripts/keys_doc.py once
    ``tui.ui.app`` is imported (every screen and widget with it);
    tests/test_docs.py checks the committed file is current."""
    app = app if app is not None else DefaultKeys()
    lines = [
        "# Keys",
        "",
        "Every key of the reader, as bound by default, by where it works. This file is made from the",
        "bindings themselves by `python scripts/keys_doc.py` (a test fails when it is out of date): do not",
        "edit it by hand. In the reader, `?` shows the keys as bound now, after your own `[keys]`; the",
        "binding id is the name that table uses (see [settings](settings.md)).",
    ]
    for section in sections(app):
        lines += ["", f"## {section.title}", "", "| keys | what it does | binding id |", "|---|---|---|"]
        for row in section.rows:
            shown = " ".join(f"`{doc_key(key)}`" for key in row.keys) or "(none)"
            description = row.description.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("$", "\\$")
            lines.append(f"| {shown} | {description} | `{row.binding_id}` |")
    lines += ["", "The mouse works too: click a row to show it, double-click to open it, scroll with the wheel.", ""]
    return "\n".join(lines)
