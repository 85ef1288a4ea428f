"""The on-disk index of a collection, queried rather than loaded.

* :mod:`~tui.core.catalog.schema`: the SQLite database (one per
  collection, in the user cache folder), opening it, damage;
* :mod:`~tui.core.catalog.build` and :mod:`~tui.core.catalog.write`:
  keeping it up to date with the files (workers parse, batches are written);
* :mod:`~tui.core.catalog.rows`: a file as rows (what workers compute);
* :mod:`~tui.core.catalog.read`: articles by position in a sort order;
* :mod:`~tui.core.catalog.links`: related stories, backlinks, versions, more like this;
* :mod:`~tui.core.catalog.terms` and :mod:`~tui.core.catalog.search`: search on the index;
* :mod:`~tui.core.catalog.stories`: story groups.

:class:`Catalog` (in :mod:`~tui.core.catalog.catalog`) is what the rest of
the reader uses. This package imports its parts when first asked for them: a
warm start reads its first screen with :mod:`~tui.core.catalog.schema` and
:mod:`~tui.core.catalog.rows` alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ORDERS", "Catalog", "IndexDamaged", "IndexUnusable", "UpdateStats"]


def __getattr__(name: str) -> Any:
    if name == "Catalog":
        from tui.core.catalog.catalog import Catalog

        return Catalog
    if name == "ORDERS":
        from tui.core.catalog.read import ORDERS

        return ORDERS
    if name in ("IndexDamaged", "IndexUnusable"):
        from tui.core.catalog import schema

        return getattr(schema, name)
    if name == "UpdateStats":
        from tui.core.catalog.build import UpdateStats

        return UpdateStats
    raise AttributeError(name)
