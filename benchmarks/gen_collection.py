#!/usr/bin/env python3
"""Command line of ``fixtures/collection.py`` (the generator lives there, for tests and benchmarks alike).

    python benchmarks/gen_collection.py OUT_DIR --count N [--seed S]
"""

from __future__ import annotations

import _common  # noqa: F401  (the clone's root on sys.path: the fixtures package)

from fixtures.collection import main

if __name__ == "__main__":
    raise SystemExit(main())
