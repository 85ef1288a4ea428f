"""Front matter as the index needs it: only the fields an entry is made of.

Indexing a file keeps its :class:`~tui.core.model.Entry` only, and most of a
front matter's YAML is not in it: images, the ``secured`` blob, authors,
tags, and nearly everything of the ``related`` list (an entry keeps each
related story's URL or title, packed). Building Python objects for all of
that is most of the cost of a full YAML load, so here the document is
*composed* by libyaml (syntax checked, types resolved, in C) and only the
nodes of the fields below are *constructed*, by the same loader the reader
uses: the values are those of a full load.

Nothing here is tuned to one shape of file (key order, quoting, line ends,
block or flow style all compose alike). Whatever a partial construction
could judge differently from a full one goes the full way instead: an
explicit tag (``!``), a merge key (``<<``), a key that is not a scalar, a
front matter that is not a mapping, or one libyaml refuses (the full load
then gives the reason). Tests compare both on every kind of file.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver, Resolver

NEEDED = frozenset(
    {"title", "excerpt", "publishedDateTime", "date", "webUrl", "ampWebUrl", "cdnAmpWebUrl", "originalUrl", "provider", "topics", "quality", "heat"}
)
RELATED_NEEDED = frozenset({"title", "webUrl", "url"})  # what a related story's ref is made of (see Related.ref)
_STR = BaseResolver.DEFAULT_SCALAR_TAG
_RESOLVER = Resolver()
_DEFAULT_TAGS = {
    ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG,
    SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
    MappingNode: BaseResolver.DEFAULT_MAPPING_TAG,
}


@cache
def _lean(loader_class: type) -> type:
    """``loader_class`` composing without resolving plain scalars' types (a
    regex per scalar, for every scalar of the document): only the fields
    constructed get theirs (:func:`_resolved`), as the full load would."""

    class Lean(loader_class):  # type: ignore[misc, valid-type]
        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            return _DEFAULT_TAGS[kind]

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return Lean


def _resolved(node: Any) -> Any:
    """The plain scalars under ``node`` typed as a full load types them (no
    tags are written in the document: those take the full load)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, ScalarNode):
            if n.style in ("", None) and n.tag == _STR:
                n.tag = _RESOLVER.resolve(ScalarNode, n.value, (True, False))
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
    return node


def _construct(loader: Any, node: Any) -> Any:
    """The value of ``node`` as the loader constructs it; a string is the
    scalar's text, so it is taken as it is (most fields: titles, URLs)."""
    if isinstance(node, ScalarNode) and _resolved(node).tag == _STR:
        return node.value  # what SafeConstructor.construct_yaml_str gives
    return loader.construct_object(_resolved(node), deep=True)


class _Unsure(Exception):
    """The full load must decide."""


def index_fields(fm: str, loader_class: type) -> dict[str, Any] | None:
    """The front matter's fields an entry needs, constructed by
    ``loader_class`` (the reader's YAML loader); None when only a full load
    can tell (see the module's docstring). The caller checks sizes and alias
    counts first, as for a full load."""
    if "!" in fm:
        return None
    loader = _lean(loader_class)(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if not isinstance(node, MappingNode):
            return None
        meta: dict[str, Any] = {}
        for key, value in _pairs(node):
            if key == "related":
                meta[key] = _related(loader, value)
            elif key in NEEDED:
                meta[key] = _construct(loader, value)
        return meta
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError, _Unsure):
        return None
    finally:
        loader.dispose()


def _pairs(node: MappingNode) -> list[tuple[str, Any]]:
    out = []
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or (key.style == "" and key.value == "<<"):
            raise _Unsure  # a key that is a mapping or a list, or a merge: the full load decides
        out.append((key.value, value))
    return out


def _related(loader: Any, node: Any) -> Any:
    """The related list with only what a ref needs of each story."""
    if isinstance(node, MappingNode):
        return _story(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return [_story(loader, item) if isinstance(item, MappingNode) else None for item in node.value]
    return None  # neither a list nor a mapping: no related stories (as_related)


def _story(loader: Any, node: MappingNode) -> dict[str, Any]:
    story: dict[str, Any] = {}
    for key, value in _pairs(node):
        if key in RELATED_NEEDED:
            story[key] = _construct(loader, value)
    return story
