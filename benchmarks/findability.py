"""Findability: does a query typed the way people type it land on the story meant?

    python benchmarks/findability.py [COLLECTION] [--count 5000] [--targets 150] [--seed 1]
    python benchmarks/findability.py --corpus-only

For a collection (COLLECTION, else a generated one of ``--count`` articles)
and then the real corpus in ``../shared/corpus/everyday-cc-ai`` (skipped with
a message when absent), picks target articles deterministically (``--seed``)
and makes, for each, queries of six kinds:

* ``truncated``: its title words, each cut short ("facia recog");
* ``typo``: its title words, one with two adjacent letters swapped;
* ``order``: its title words in reverse order;
* ``skeleton``: its title words as their consonants ("jpn fcl");
* ``provider``: the provider's first word and title words ("reuters facial");
* ``excerpt``: a word of the excerpt that is not in the title, and title words.

The words are those a person who remembers the story would type: its
distinctive ones, the rarest of the title (fewest titles in the collection
hold them; at least four letters, no common words), as many as it takes
(two, or one beside a provider or excerpt word; at most four) for no other
article to hold all the query's words, spelt right, in its title, excerpt,
topics or provider: the rarest title word first, then each time the word that
narrows the candidates most. Then they are cut,
misspelt, reordered or stripped of vowels. On a generated collection, whose
titles come from templates ("Study finds X reduces fraud losses"), two words
often fit dozens of stories; no engine could tell which one was meant.

Each query is answered by this reader (``SearchIndex.search``, the engine of
the jump box and ``tui-reader search``) and by ``fzf --filter`` (Debian's fzf)
over lines of "title provider topics", in the same run. hit@1 / hit@5: the
target is first / among the first five; a file with an identical title counts
(real collections hold duplicates). Prints a table per kind and overall, both
engines side by side. Targets: hit@1 >= 0.90, hit@5 >= 0.98 overall and better
than fzf on every kind.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

KINDS = ["truncated", "typo", "order", "skeleton", "provider", "excerpt"]
CORPUS = HERE.parent.parent / "shared" / "corpus" / "everyday-cc-ai"
COMMON = frozenset(
    "a an the of to in on at for and or but by with from as is are was were be been it its this that these those"
    " into over after about than then up out new says said say how why what when who will can could would should"
    " more most your their they them have has had not you all just first report reports amid".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_VOWELS = str.maketrans("", "", "aeiouy")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> list[str]:
    """Distinct words of at least four letters that are not common, and
    numbers ("5 things", "2022"), in order."""
    return list(dict.fromkeys(w for w in _words(text) if (len(w) >= 4 and w not in COMMON) or w.isdigit()))


@dataclass
class Case:
    kind: str
    query: str
    target: int  # index into entries


class _Words:
    """Which articles hold each word in their title, excerpt, topics or
    provider (for picking the words that single a story out)."""

    def __init__(self, entries: Sequence) -> None:
        self.entries = entries
        self.title_df: Counter[str] = Counter()
        self.anywhere: dict[str, set[int]] = {}
        for i, e in enumerate(entries):
            self.title_df.update(_content(e.title))
            for w in set(_words(f"{e.title} {e.excerpt} {' '.join(e.topics)} {e.provider} {e.domain}")):
                self.anywhere.setdefault(w, set()).add(i)

    def rare(self, title: str) -> list[str]:
        words = _content(title)
        return sorted(words, key=lambda w: (self.title_df[w], words.index(w)))

    def needed(self, target: int, rare: list[str], given: list[str], least: int = 2, most: int = 4) -> list[str]:
        """As few of the title's words as it takes (at least ``least``, at most
        ``most``) for no other article to hold them all with the words
        ``given`` (a file with the same title aside): the rarest first, then
        each time the word that narrows the candidates most."""
        want = self.entries[target].title
        chosen: list[str] = []
        docs: set[int] | None = None
        for word in given:
            docs = set(self.anywhere[word]) if docs is None else docs & self.anywhere[word]
        left = list(rare)
        while left and len(chosen) < most:
            if docs is None:
                word = left[0]
            else:
                word = min(left, key=lambda w: (len(docs & self.anywhere[w]), self.title_df[w]))
            left.remove(word)
            chosen.append(word)
            docs = set(self.anywhere[word]) if docs is None else docs & self.anywhere[word]
            if len(chosen) >= least and all(self.entries[d].title == want for d in docs):
                break
        return chosen


def make_queries(entries: Sequence, targets: int, seed: int) -> list[Case]:
    """Deterministic queries of every kind for up to ``targets`` articles each."""
    index = _Words(entries)
    rng = random.Random(seed)
    order = list(range(len(entries)))
    rng.shuffle(order)
    cases: list[Case] = []
    for kind in KINDS:
        made = 0
        for i in order:
            if made >= targets:
                break
            query = _query(kind, i, index, rng)
            if query:
                cases.append(Case(kind, query, i))
                made += 1
        rng.shuffle(order)
    return cases


def _truncate(word: str, rng: random.Random) -> str:
    if len(word) <= 4:
        return word
    return word[: rng.randint(4, len(word) - 1)]


def _swap(word: str, rng: random.Random) -> str | None:
    spots = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
    if len(word) < 5 or not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _skeleton(word: str) -> str:
    return (word[:1] + word[1:].translate(_VOWELS))[:5]


def _query(kind: str, target: int, index: _Words, rng: random.Random) -> str | None:
    e = index.entries[target]
    rare = index.rare(e.title)
    if kind in ("truncated", "typo", "order", "skeleton"):
        if len(rare) < 2:
            return None
        chosen = index.needed(target, rare, [])
    if kind == "truncated":
        return " ".join(_truncate(w, rng) for w in chosen)
    if kind == "typo":
        spots = [j for j, w in enumerate(chosen) if _swap(w, random.Random(0)) is not None]
        if not spots:
            return None
        j = rng.choice(spots)
        chosen = list(chosen)
        chosen[j] = _swap(chosen[j], rng) or chosen[j]
        return " ".join(chosen)
    if kind == "order":
        in_title = sorted(chosen, key=lambda w: _words(e.title).index(w))
        return " ".join(reversed(in_title))
    if kind == "skeleton":
        sk = [_skeleton(w) for w in chosen]
        if any(len(s) < 3 for s in sk):
            return None
        return " ".join(sk)
    if kind == "provider":
        name = [w for w in _words(e.provider or e.domain) if w not in COMMON and len(w) >= 3]
        if not name or not rare:
            return None
        chosen = index.needed(target, rare, [name[0]], least=1, most=3)
        return " ".join([name[0], *chosen])
    if kind == "excerpt":
        title = set(_words(e.title))
        ex = [w for w in _content(e.excerpt) if w not in title and not w.isdigit()]
        if not ex or not rare:
            return None
        ex.sort(key=lambda w: (len(index.anywhere.get(w, ())), w))
        chosen = index.needed(target, rare, [ex[0]], least=1, most=3)
        return " ".join([ex[0], *chosen])
    raise ValueError(kind)


@dataclass
class Score:
    n: int = 0
    at1: int = 0
    at5: int = 0

    def add(self, rank: int | None) -> None:
        self.n += 1
        self.at1 += rank is not None and rank < 1
        self.at5 += rank is not None and rank < 5

    def fmt(self) -> str:
        if not self.n:
            return "    -      -  "
        return f"{self.at1 / self.n:6.3f} {self.at5 / self.n:6.3f}"


@dataclass
class Result:
    reader: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    fzf: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    misses: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    seconds: float = 0.0

    def overall(self, which: str) -> Score:
        total = Score()
        for s in getattr(self, which).values():
            total.n += s.n
            total.at1 += s.at1
            total.at5 += s.at5
        return total


def _rank(titles: Sequence[str], found: Sequence[int], target: int) -> int | None:
    want = titles[target]
    for rank, doc in enumerate(found[:5]):
        if doc >= 0 and (doc == target or titles[doc] == want):  # (-1: an article of another collection)
            return rank
    return None


def fzf_search(lines_blob: bytes, query: str) -> list[int]:
    out = subprocess.run(
        ["fzf", "--filter", query, "--delimiter", "\t", "--nth", "2..", "--no-mouse"],
        input=lines_blob,
        capture_output=True,
        check=False,
    ).stdout
    found = []
    for line in out.splitlines()[:5]:
        head = line.split(b"\t", 1)[0]
        if head.isdigit():
            found.append(int(head))
    return found


def evaluate(
    entries: Sequence, targets: int = 150, seed: int = 1, with_fzf: bool = True, search: Callable | None = None
) -> Result:
    """``search(entries in path order)`` gives the engine: a function of a
    query returning the positions (in that order) of its first five hits;
    by default the in-memory engine (``SearchIndex``)."""
    from tui.core.search import SearchIndex

    result = Result()
    # In path order: a collection read from the index cache comes in another
    # order than one parsed cold, and the targets must not depend on that.
    entries = sorted(entries, key=lambda e: e.path)
    cases = make_queries(entries, targets, seed)
    if search is None:
        index = SearchIndex(entries)

        def answer(query: str) -> list[int]:
            return [h.index for h in index.search(query, limit=5)]

    else:
        answer = search(entries)
    titles = [e.title for e in entries]
    blob = b""
    fzf = with_fzf and shutil.which("fzf") is not None
    if fzf:
        lines = [
            f"{i}\t{' '.join(e.title.split())} {e.provider} {' '.join(e.topics)}".replace("\n", " ")
            for i, e in enumerate(entries)
        ]
        blob = ("\n".join(lines) + "\n").encode("utf-8", "replace")
    started = time.perf_counter()
    for case in cases:
        found = answer(case.query)
        rank = _rank(titles, found, case.target)
        result.reader[case.kind].add(rank)
        if rank != 0:
            result.misses.append((case.kind, case.query, titles[case.target], [titles[d] if d >= 0 else "(an article of the other collection)" for d in found[:3]]))
    result.seconds = time.perf_counter() - started
    if fzf:
        for case in cases:
            result.fzf[case.kind].add(_rank(titles, fzf_search(blob, case.query), case.target))
    return result


def print_table(name: str, count: int, result: Result, with_fzf: bool) -> bool:
    print(f"\n{name} ({count:,} articles; reader {result.seconds * 1000 / max(1, result.overall('reader').n):.1f} ms a query)")
    print(f"{'kind':<10} {'n':>5}   reader @1  @5      fzf @1  @5    better than fzf")
    ok = True
    for kind in (*KINDS, "overall"):
        r = result.overall("reader") if kind == "overall" else result.reader[kind]
        f = result.overall("fzf") if kind == "overall" else result.fzf[kind]
        better = ""
        if with_fzf and f.n:
            # Better: never worse at 1 or at 5, and ahead on one of them (or perfect).
            wins = r.at1 >= f.at1 and r.at5 >= f.at5 and (r.at1 > f.at1 or r.at5 > f.at5 or r.at1 == r.n)
            better = "yes" if wins else "NO"
            ok &= wins
        print(f"{kind:<10} {r.n:>5}   {r.fmt()}    {f.fmt() if with_fzf else '    -      -  '}   {better}")
    total = result.overall("reader")
    if total.n:
        met = total.at1 / total.n >= 0.90 and total.at5 / total.n >= 0.98
        ok &= met
        print(f"targets hit@1 >= 0.90, hit@5 >= 0.98 overall: {'met' if met else 'MISSED'}")
    return ok


def run(
    root: Path, name: str, targets: int, seed: int, with_fzf: bool, show_misses: int, engine: str = "index", among: Path | None = None
) -> bool:
    if among is not None:
        return _run_among(root, among, name, targets, seed, show_misses)
    if engine == "memory":
        from tui.core.collection import Collection

        entries = Collection.load([root]).entries
        result = evaluate(entries, targets, seed, with_fzf)
    else:
        from tui.core.catalog import Catalog

        catalog = Catalog.open([root], update="full")
        ids = {e.path: i for i, e in catalog.iter_order("date")}
        entries = [catalog.entry(i) for i in ids.values()]

        def on_index(ordered: Sequence) -> Callable[[str], list[int]]:
            position = {ids[e.path]: k for k, e in enumerate(ordered)}

            def answer(query: str) -> list[int]:
                return [position[h.index] for h in catalog.search(query)[:5]]

            return answer

        result = evaluate(entries, targets, seed, with_fzf, on_index)
    ok = print_table(f"{name}, engine: {engine}", len(entries), result, with_fzf)
    for kind, query, title, got in result.misses[:show_misses]:
        print(f"  miss [{kind}] {query!r}: wanted {title!r}; got {got!r}")
    return ok


def _run_among(root: Path, among: Path, name: str, targets: int, seed: int, show_misses: int) -> bool:
    """Held out: the queries made for ``root``'s articles alone, answered by
    the on-disk index of ``root`` and ``among`` together (a hit from
    ``among`` in the target's place is a miss)."""
    from tui.core.catalog import Catalog

    # ``among`` may hold ``root`` already (a symbolic link to it inside):
    # then among's own index is used, updated with it, not a new one.
    inside = [p for p in among.iterdir() if p.is_symlink() and p.resolve() == root.resolve()]
    catalog = Catalog.open([among] if inside else [root, among])
    base = inside[0] if inside else root
    own = {os.path.abspath(p) for p in base.rglob("*") if p.is_file()}
    ids = {e.path: i for i, e in catalog.iter_order("date") if e.path in own} if len(catalog) < 200_000 else _ids_under(catalog, own)
    entries = [catalog.entry(i) for i in ids.values()]

    def on_index(ordered: Sequence) -> Callable[[str], list[int]]:
        position = {ids[e.path]: k for k, e in enumerate(ordered)}

        def answer(query: str) -> list[int]:
            return [position.get(h.index, -1) for h in catalog.search(query)[:5]]

        return answer

    result = evaluate(entries, targets, seed, False, on_index)
    ok = print_table(f"{name}, hidden among {len(catalog) - len(entries):,} articles of {among}", len(entries), result, False)
    for kind, query, title, got in result.misses[:show_misses]:
        print(f"  miss [{kind}] {query!r}: wanted {title!r}; got {got!r}")
    return ok


def _ids_under(catalog: object, own: set[str]) -> dict[str, int]:
    """Ids of these paths (without walking a million entries)."""
    out = {}
    for path in sorted(own):
        i = catalog.id_of(path)  # type: ignore[attr-defined]
        if i is not None:
            out[path] = i
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection", nargs="?")
    parser.add_argument("--count", type=int, default=5000, help="articles to generate when no COLLECTION (default 5000)")
    parser.add_argument("--targets", type=int, default=150, help="targets per kind of query (default 150)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-fzf", action="store_true", help="score this reader only")
    parser.add_argument("--misses", type=int, default=0, help="print this many of the reader's misses at 1")
    parser.add_argument("--corpus-only", action="store_true")
    parser.add_argument(
        "--among",
        type=Path,
        help="held out: the real corpus's queries answered among this collection too (on-disk index; e.g. a million generated)",
    )
    parser.add_argument(
        "--engine",
        choices=("index", "memory"),
        default="index",
        help="index: the on-disk index (tui-reader search); memory: the in-memory word index (default: index)",
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds of query to make (default: all)")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k in KINDS]
    if kinds:
        KINDS[:] = kinds
    with_fzf = not args.no_fzf
    if with_fzf and shutil.which("fzf") is None:
        print("fzf not found: scoring this reader only")
        with_fzf = False
    ok = True
    if not args.corpus_only:
        from _common import collection_from

        root = collection_from(args)
        ok &= run(root, f"generated collection {root}", args.targets, args.seed, with_fzf, args.misses, args.engine)
    if CORPUS.is_dir():
        ok &= run(
            CORPUS, f"real corpus {os.path.relpath(CORPUS)}", args.targets, args.seed, with_fzf, args.misses, args.engine, args.among
        )
    else:
        print(f"\nreal corpus: {CORPUS} is absent, skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())


__all__: list[str] = ["KINDS", "Case", "evaluate", "make_queries", "print_table"]
