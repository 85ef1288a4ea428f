"""The on-disk index of a collection, queried rather than loaded.

* :mod:`~tui.core.catalog.schema`: the SQLite database (one per
  collection, in the user cache folder), opening it, damage;
* :mod:`~tui.core.catalog.build` and :mod:`~tui.core.catalog.write`:
  keeping it up to date with the files (workers parse, batches are written);
* :mod:`~tui.core.catalog.rows`: a file as rows (what workers compute);
* :mod:`~tui.core.catalog.read`: articles by position in a sort order;
* :mod:`~tui.core.catalog.links`: related stories, backlinks, versions, more like this;
* :mod:`~tui.core.catalog.terms` and :mod:`~tui.core.catalog.search`: search on the index;
* :mod:`~tui.core.catalog.stories`: story groups;
* :mod:`~tui.core.catalog.view` and :mod:`~tui.core.catalog.collection`:
  the list's rows a page at a time, and the collection as the reader's
  screens ask it (:mod:`tui.core.queried`).

:class:`~tui.core.catalog.catalog.Catalog` is what the rest of the reader
uses. This file imports nothing: a warm start reads its first screen with
:mod:`~tui.core.catalog.schema` and :mod:`~tui.core.catalog.rows` alone.
"""

