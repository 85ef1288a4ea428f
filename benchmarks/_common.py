"""What the benchmark scripts share: the collection to measure."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent


def collection_from(args: argparse.Namespace) -> Path:
    """The COLLECTION argument, or a generated one of ``--count`` articles
    (made once with gen_collection.py, seed 0, kept under benchmarks/out/)."""
    if args.collection:
        return Path(args.collection)
    from gen_collection import generate

    root = HERE / "out" / f"gen-{args.count}"
    if not (root / ".complete").exists():
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {args.count:,} articles into {root} …", flush=True)
        generate(root, args.count, seed=0)
        (root / ".complete").write_text("ok")
    return root
