#!/usr/bin/env python3
"""Command line of ``fixtures/broken.py`` (the generator lives there, for tests and benchmarks alike).

    python benchmarks/gen_broken.py OUT_DIR [--no-large]
"""

from __future__ import annotations

import _common  # noqa: F401  (the clone's root on sys.path: the fixtures package)

from fixtures.broken import main

if __name__ == "__main__":
    raise SystemExit(main())
