"""Search semantics as a user meets them: a long pasted query answers (and
says what it ignored), each query word needs a word of the article of its
own, articles missing a word come after every full match, the count is the
true one, and ``tui-reader search`` exits like grep."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core.model import Entry
from tui.core.query import parse_query
from tui.core.ranking import MAX_WORDS, assign, match_article
from tui.core.search import SearchIndex

from .conftest import CORPUS, requires_corpus

CORE = str(Path(__file__).resolve().parents[1] / "tui" / "core")
NO_EXPLAIN = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)  # the explain phase traces too


def ts(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def entry(i: int, title: str, excerpt: str = "", topics: tuple[str, ...] = (), provider: str = "Wire") -> Entry:
    return Entry(f"{i}.md", title, provider, "wire.example", ts("2024-01-01") + i, topics, excerpt)


FACES = [
    entry(0, "Facebook says group used AI-generated faces to push pro-Trump messages"),
    entry(1, "Hugging Face raises $40 million for its natural language processing library"),
    entry(2, "Grid operators brace for a heatwave"),
]


class TooMuchWork(Exception):
    pass


@contextmanager
def line_budget(lines: int) -> Iterator[list[int]]:
    """Fail (raise in the traced code) once the core has run ``lines``
    lines of Python: a count of work done, whatever the machine's speed."""
    done = [0]

    def local(frame, event, arg):  # noqa: ANN001, ANN202
        if event == "line":
            done[0] += 1
            if done[0] > lines:
                raise TooMuchWork(f"over {lines} lines")
        return local

    def outer(frame, event, arg):  # noqa: ANN001, ANN202
        return local if frame.f_code.co_filename.startswith(CORE) else None

    previous = sys.gettrace()
    sys.settrace(outer)
    try:
        yield done
    finally:
        sys.settrace(previous)


# -- bounded work ------------------------------------------------------------------------
def test_a_pasted_paragraph_answers_and_says_which_words_it_ignored() -> None:
    """33 words froze the reader (every combination of words was tried)."""
    index = SearchIndex(FACES + [entry(3 + i, f"Story {i} about robots grids faces and heat") for i in range(20)])
    distinct = list(dict.fromkeys(w for e in FACES for w in e.title.lower().split() if w.isalpha()))
    pasted = " ".join((distinct + [f"extra{chr(97 + i)}" for i in range(33)])[:33])
    with line_budget(400_000):
        found = index.results(pasted)
        hits = found[:10]
    assert hits
    assert len(found.ignored) == 33 - MAX_WORDS
    assert found.ignored == tuple(pasted.split()[MAX_WORDS:])


@settings(max_examples=40, phases=NO_EXPLAIN)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=200))
def test_any_query_of_up_to_200_words_runs_in_bounded_work(parts: list[str]) -> None:
    index = SearchIndex(FACES)
    query = " ".join(parts)
    with line_budget(600_000):
        found = index.results(query)
        hits = found[:50]
        len(found)
    assert len(hits) <= len(FACES)
    groups = dict.fromkeys(found.query.groups)
    kept = sum(len(t.words) if t.kind == "fuzzy" and not t.negate else 1 for g in groups for t in g if hasattr(t, "kind"))
    assert kept <= MAX_WORDS


# -- one article word per query word -------------------------------------------------------
def test_a_title_word_cannot_count_for_two_query_words() -> None:
    """"fake faces": "Face" in "Hugging Face" stands for one of the words, not both."""
    index = SearchIndex(FACES)
    found = index.results("fake faces")
    titles = [FACES[h.index].title for h in found]
    assert titles.index(FACES[0].title) < titles.index(FACES[1].title)
    assert found.full == 0
    assert found[0].missing == ("fake",) and len(found[1].missing) == 1


def test_two_words_meaning_one_title_word_need_two_title_words() -> None:
    entries = [
        entry(0, "Nvidia unveils next-generation AI camera"),
        entry(1, "NEC unveils next-generation generative AI camera"),
    ]
    hits = SearchIndex(entries).search("next came gene generat")
    assert [entries[h.index].title for h in hits][0] == entries[1].title
    assert hits[0].missing == () and hits[1].missing != ()


def test_a_word_in_two_fields_is_still_one_word() -> None:
    entries = [
        entry(0, "Face recognition at airports", excerpt="Face scans at the gate."),
        entry(1, "Fake faces at airports", excerpt="Generated."),
    ]
    found = SearchIndex(entries).results("fake faces")
    assert found.full == 1 and entries[found[0].index].title == "Fake faces at airports"
    assert found[1].missing == ("fake",)


@settings(max_examples=60)
@given(
    st.lists(st.dictionaries(st.sampled_from("ab cd ef gh".split()), st.floats(0.0, 1.0), max_size=4), max_size=5),
)
def test_assign_is_the_best_assignment(options: list[dict[str, float]]) -> None:
    """Most query words matched, then the highest total: against every
    assignment tried by brute force."""
    picked = assign(options)
    keys = sorted({k for o in options for k in o})
    used = [k for k in picked if k is not None]
    assert len(used) == len(set(used))
    assert all(k is None or k in options[i] for i, k in enumerate(picked))
    got = (len(used), sum(options[i][k] for i, k in enumerate(picked) if k is not None))
    best = (0, 0.0)
    slots = keys + [None] * len(options)
    for perm in permutations(slots, len(options)):
        if any(k is not None and k not in options[i] for i, k in enumerate(perm)):
            continue
        n = sum(k is not None for k in perm)
        best = max(best, (n, sum(options[i][k] for i, k in enumerate(perm) if k is not None)))
    assert got[0] == best[0] and got[1] == pytest.approx(best[1])


WORDS = "face faces fake facet fade grid grids heat heatwave bet better".split()


@settings(max_examples=60)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), min_size=1, max_size=8),
    st.lists(st.sampled_from(WORDS + ["fa", "gri", "he"]), min_size=1, max_size=4),
)
def test_full_and_partial_matches_agree_with_an_assignment_per_article(titles: list[list[str]], query: list[str]) -> None:
    """The counts and the fast paths (sets, the best word of each query
    word, pairs of words wanting one word) give what an assignment over each
    article's own words gives."""
    entries = [entry(i, " ".join(t)) for i, t in enumerate(titles)]
    index = SearchIndex(entries)
    found = index.results(" ".join(query))
    words = list(dict.fromkeys(query))
    tables = [index.word_scores(w).table for w in words]
    full, partial = set(), set()
    for doc in range(len(entries)):
        match = match_article(tables, index.field_words(doc))
        if match.full:
            full.add(doc)
        elif match.covered and len(words) > 1:
            partial.add(doc)
    hits = list(found)
    assert found.full == len(full) and found.partial == len(partial) == len(hits) - found.full
    assert {h.index for h in hits[: found.full]} == full
    assert {h.index for h in hits[found.full :]} == partial
    assert all(not h.missing for h in hits[: found.full]) and all(h.missing for h in hits[found.full :])


# -- every word must match ----------------------------------------------------------------
def test_articles_missing_a_word_come_after_every_full_match() -> None:
    entries = [
        entry(0, "Japan restricts exports of facial recognition"),  # both words, strongly
        entry(1, "Japan", excerpt="Exports of facial scanners"),  # both, weakly (excerpt)
        entry(2, "Japan Japan Japan facial"),  # no "exports" anywhere
    ]
    found = SearchIndex(entries).results("japan exports")
    assert (found.full, found.partial) == (2, 1)
    assert [h.index for h in found] == [0, 1, 2]
    assert found[2].missing == ("exports",) and found[2].partial


def test_a_word_that_matches_nothing_is_reported() -> None:
    found = SearchIndex(FACES).results("heatwave qqqzzx")
    assert found.unmatched == ("qqqzzx",)
    assert found.full == 0 and [FACES[h.index].title for h in found] == ["Grid operators brace for a heatwave"]


# -- the true count, every result ------------------------------------------------------------
def test_the_count_is_true_and_every_hit_can_be_read() -> None:
    entries = [entry(i, f"Robots story number {i} from the {'north' if i % 2 else 'south'}") for i in range(700)]
    index = SearchIndex(entries)
    found = index.results("robots")
    assert found.full == len(found) == 700
    docs = [h.index for h in found]
    assert sorted(docs) == list(range(700))
    assert found[650].index == docs[650] and found[-1].index == docs[-1]
    assert len(index.search("robots", limit=50)) == 50
    assert len(index.search("robots", limit=None)) == 700
    found = index.results("robots north")
    assert found.full == 350 and found.partial == 350
    assert all(entries[h.index].title.endswith("north") for h in found[:350])


def test_the_first_block_is_best_first() -> None:
    entries = [entry(i, "Heat grid story " + "word " * (i % 7)) for i in range(500)]
    hits = SearchIndex(entries).results("heat grid")[:300]
    keys = [(-h.score, len(entries[h.index].title)) for h in hits]
    assert keys == sorted(keys)


# -- the jump box counts them all ------------------------------------------------------------
async def test_the_jump_box_shows_the_true_number_of_matches(tmp_path: Path) -> None:
    from tests.driver import reader
    from tests.helpers import article, write

    folder = tmp_path / "col"
    for i in range(60):
        write(folder, f"{i}.md", article(f"Zeppelin news number {i}"))
    write(folder, "other.md", article("Zeppelin", extra='excerpt: "nothing else"'))
    async with reader([folder]) as (app, pilot, r):
        await r.wait_loaded()
        await pilot.press("slash", *"zeppelin numbr")
        await r.wait_shown("60 matches")
        assert "60 matches + 1 partial" in r.screen_text()  # every one, and the one missing a word


# -- the CLI ---------------------------------------------------------------------------------
def write_faces(folder: Path) -> Path:
    folder.mkdir()
    for e in FACES:
        (folder / e.path).write_text(f'---\ntitle: "{e.title}"\n---\n', encoding="utf-8")
    return folder


def test_cli_search_exits_1_when_nothing_matches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_faces(tmp_path / "col")
    assert main(["search", "heatwave", str(folder)]) == 0
    assert "Grid operators" in capsys.readouterr().out
    assert main(["search", "zzqqxx", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "tui-reader: search: no article has: zzqqxx"
    # Articles missing a word are not listed unless asked for.
    assert main(["search", "fake faces", str(folder)]) == 1
    assert capsys.readouterr().out == ""
    assert main(["search", "fake faces", str(folder), "--partial", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows] == [FACES[0].title, FACES[1].title]
    assert rows[0]["partial"] and rows[0]["missing"] == ["fake"]
    assert rows[1]["partial"] and len(rows[1]["missing"]) == 1


def test_cli_search_says_which_words_it_ignored_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_faces(tmp_path / "col")
    query = "grid operators brace " + " ".join(f"w{i}x" for i in range(20))
    code = main(["search", query, str(folder), "--partial"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("\n") == 1
    assert f"7 words ignored (past the first {MAX_WORDS}): w13x w14x w15x w16x w17x w18x w19x" in err
    assert "no article has: w0x" in err


def test_ignored_operators_are_shown_as_typed() -> None:
    query = parse_query(" ".join(f"w{i}" for i in range(MAX_WORDS)) + " 'exact ^start end$ !not topic:ai")
    found = SearchIndex(FACES).results(query)
    assert found.ignored == ("'exact", "^start", "end$", "!not")


@requires_corpus
def test_fake_faces_on_the_real_corpus() -> None:
    from tui.core.collection import Collection

    entries = Collection.load([CORPUS]).entries
    found = SearchIndex(entries).results("fake faces")
    titles = [entries[h.index].title for h in found]
    said = next(i for i, t in enumerate(titles) if t.startswith("Facebook says group used AI-generated faces"))
    hugging = next(i for i, t in enumerate(titles) if t.startswith("Hugging Face raises"))
    assert said < hugging
    assert found[hugging].missing
