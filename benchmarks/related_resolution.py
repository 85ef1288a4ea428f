#!/usr/bin/env python3
"""Precision and recall of related-entry resolution on the real corpus.

    python benchmarks/related_resolution.py [CORPUS]

CORPUS defaults to ``../shared/corpus/everyday-cc-ai`` (relative to the
repository). The truth is ``benchmarks/related_labels.json``: every related
entry of the corpus, labelled by hand with the file that *is* the article it
names, or null (paths relative to the corpus folder).

For each way of resolving (URL only; title only, from any site or from the
entry's own site, at several rapidfuzz ``token_sort_ratio`` thresholds; and
the two combined) it prints

* precision: of the entries resolved to a file, the share resolved to the
  right one;
* recall: of the entries whose article is here, the share resolved to it.

"Title only" ignores the entries' URLs, as if every URL had failed: it shows
what the title fallback does on its own. The threshold the reader uses
(``tui.core.resolve.TITLE_THRESHOLD``) was chosen from this table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tui.core.collection import Collection  # noqa: E402
from tui.core.loader import read_article  # noqa: E402
from tui.core.model import Article  # noqa: E402
from tui.core.resolve import TITLE_THRESHOLD  # noqa: E402

LABELS = HERE / "related_labels.json"
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "everyday-cc-ai"
THRESHOLDS = (70, 75, 80, 85, 88, 90, 95, 100)


def load(corpus: Path) -> tuple[Collection, list[tuple[object, str | None]]]:
    """The collection and (related entry, labelled path or None) pairs."""
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["entries"]
    collection = Collection.load([corpus], use_cache=False).prepare()
    cases = []
    articles: dict[str, Article] = {}
    for label in labels:
        path = str(corpus / label["file"])
        article = articles.get(path) or read_article(path)
        assert isinstance(article, Article), path
        articles[path] = article
        related = article.related[label["index"]]
        assert related.title == label["title"], (label["file"], label["index"])
        cases.append((related, str(corpus / label["local"]) if label["local"] else None))
    return collection, cases


def score(collection: Collection, cases: list, **how: object) -> tuple[float, float, int, int, int]:
    """(precision, recall, right, wrong, missed)."""
    right = wrong = missed = 0
    for related, truth in cases:
        found = collection.resolve(related, **how)  # type: ignore[arg-type]
        path = found.path if found is not None else None
        if path is None:
            missed += truth is not None
        elif path == truth:
            right += 1
        else:
            wrong += 1
    positives = sum(1 for _, truth in cases if truth is not None)
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / positives if positives else 1.0
    return precision, recall, right, wrong, missed


def margins(collection: Collection, cases: list) -> None:
    """The best title score of a WRONG file, over the labelled entries: a
    threshold above it makes no mistake on this sample."""
    from rapidfuzz import fuzz

    from tui.core.model import title_key
    from tui.core.resolve import entry_sites, related_sites

    worst_any = worst_site = 0.0
    where_any = where_site = ""
    for related, truth in cases:
        key = title_key(related.title)
        sites = related_sites(related)
        for entry in collection.entries:
            if entry.path == truth:
                continue
            s = fuzz.token_sort_ratio(key, title_key(entry.title))
            if s > worst_any:
                worst_any, where_any = s, f"{related.title[:40]!r} ~ {entry.title[:40]!r}"
            if entry_sites(entry) & sites and s > worst_site:
                worst_site, where_site = s, f"{related.title[:40]!r} ~ {entry.title[:40]!r}"
    print(f"best score of a wrong file, any site:  {worst_any:5.1f}  ({where_any})")
    print(f"best score of a wrong file, same site: {worst_site:5.1f}  ({where_site})")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="the labelled corpus (default: ../shared/corpus/everyday-cc-ai)")
    corpus = parser.parse_args(argv).corpus
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    collection, cases = load(corpus.resolve())
    positives = sum(1 for _, truth in cases if truth is not None)
    print(f"{len(cases)} labelled related entries ({positives} in the collection, {len(cases) - positives} not)")
    print(f"{'method':<44} {'precision':>9} {'recall':>7} {'right':>6} {'wrong':>6} {'missed':>7}")

    def row(name: str, **how: object) -> None:
        p, r, right, wrong, missed = score(collection, cases, **how)
        print(f"{name:<44} {p:9.3f} {r:7.3f} {right:6d} {wrong:6d} {missed:7d}")

    row("URL only", by_title=False)
    for t in THRESHOLDS:
        row(f"title only, any site, >= {t}", by_url=False, threshold=t, same_site=False)
    for t in THRESHOLDS:
        row(f"title only, same site, >= {t}", by_url=False, threshold=t, same_site=True)
    for t in THRESHOLDS:
        row(f"URL, then title (any site) >= {t}", threshold=t, same_site=False)
    for t in THRESHOLDS:
        row(f"URL, then title (same site) >= {t}", threshold=t, same_site=True)
    print()
    margins(collection, cases)
    print()
    row(f"the reader: URL, then same-site title >= {TITLE_THRESHOLD:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
