"""Search on the on-disk index counts no further than it must: a keystroke
asks for the first hits and a count capped at some thousands ("10,000+"),
and what it gets is exactly what the exact count and order would say."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.collection import generate
from tui.core.catalog.catalog import Catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    root = tmp_path_factory.mktemp("gen")
    generate(root, 1200, seed=3)
    return Catalog.open([root], update="full")


QUERIES = ["ai", "a", "robot europe", "facial recog", "topic:ai", "-robot", "robot -ai", "!ai", "san fran", "zzqxv", "ai zzqxv", "'r", "'ai", "'rob", "'rob ai"]


@pytest.mark.parametrize("query", QUERIES)
def test_capped_counts_agree_with_exact_ones(catalog: Catalog, query: str) -> None:
    exact = catalog.search(query)
    full, partial = exact.full, exact.partial
    for cap in (1, 7, 300, 301, 10_000):
        got_full, got_partial, is_exact = catalog.search(query).counted(cap)
        assert got_full == min(full, cap)
        if full >= cap:
            assert got_partial is None and not is_exact
        else:
            assert got_partial == min(partial, cap)
            assert is_exact == (partial < cap)


@pytest.mark.parametrize("query", QUERIES)
def test_reading_without_counting_gives_the_same_hits_in_the_same_order(catalog: Catalog, query: str) -> None:
    counted = catalog.search(query)
    everything = [(h.index, h.missing) for h in counted[: len(counted)]]
    read = [(h.index, h.missing) for h in catalog.search(query)]  # iterating never asks for a count
    assert read == everything
    first = catalog.search(query)
    assert [h.index for h in first[:50]] == [i for i, _ in everything[:50]]
    if everything:
        assert catalog.search(query)[len(everything) - 1].index == everything[-1][0]
    with pytest.raises(IndexError):
        catalog.search(query)[len(everything)]


def test_a_count_past_the_cap_is_said_to_be_at_least(catalog: Catalog) -> None:
    found = catalog.search("topic:ai")
    assert found.full > 20
    assert found.counted(20) == (20, None, False)


def test_a_term_alone_past_the_cap_by_its_words_counts_reads_no_row(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """'ai alone: its most held word is in more articles than the cap, so the
    count is "cap+" at once (row by row it costs a million-article index
    0.1-0.4 s a keystroke)."""
    from tui.core.catalog import search

    exact = catalog.search("'ai").full
    assert exact > 301

    def no_reading(*args: object) -> int:
        raise AssertionError("rows read to count")

    monkeypatch.setattr(search._Search, "_counted", no_reading)
    assert catalog.search("'ai").counted(301) == (301, None, False)


@pytest.mark.parametrize("query", ["topic:ai", "topic:ai robot", "ai !topic:ai", "-topic:ai"])
def test_a_common_facet_checked_article_by_article_finds_the_same(catalog: Catalog, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.catalog import terms

    gathered = [(h.index, h.missing) for h in catalog.search(query)]
    monkeypatch.setattr(terms, "FEW", 0)  # every topic "common": the EXISTS form
    assert [(h.index, h.missing) for h in catalog.search(query)] == gathered


@pytest.mark.parametrize(
    "query",
    [
        # terms and providers
        "'r", "'ob", "'robot", "'open-source", "ai 'r", "provider:r", "provider:reuters after:2021", "before:2022 'a",
        "provider:reuters ai", "provider:reuters after:2021 ai", "ai -provider:reuters", "-provider:reuters",
        # a title's beginning or end, also beside words and exclusions
        "^the", "^ai", "^new york", "^self-driving", "s$", "chips$", "!ai", "robot !ai", "'ob !ai", "ips$", "ai chips$",
    ],
)  # fmt: skip
def test_what_most_articles_meet_tested_row_by_row_finds_the_same(catalog: Catalog, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A term, provider or title's beginning or end most articles meet is
    tested on each row as the order is walked (never gathered first), a
    rarer provider's articles by their ids: the same hits, counted the same."""
    from tui.core.catalog import search, terms

    found = catalog.search(query)
    gathered = [(h.index, h.missing) for h in found]
    counts = (found.full, found.partial)
    assert gathered  # something to compare
    monkeypatch.setattr(terms, "common", lambda held, articles: held > 0)
    monkeypatch.setattr(search, "common", terms.common)
    walked = catalog.search(query)
    assert [(h.index, h.missing) for h in walked] == gathered
    assert (walked.full, walked.partial) == counts


@pytest.mark.parametrize("query", ["robot europe", "facial recog", "san fran", "ai zzqxv", "the uk could ban ai robots"])
def test_partial_matches_leave_out_the_full_ones_by_id_or_by_sql_alike(
    catalog: Catalog, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full matches are left out of the partial ones by their ids when
    few (read once) or by SQL when many: the same hits either way."""
    from tui.core.catalog import search

    by_id = [(h.index, h.missing) for h in catalog.search(query)]
    assert any(missing for _, missing in by_id)  # partial matches too, listed after the full ones
    monkeypatch.setattr(search, "VERIFY", 1)  # "too many to keep": SQL leaves them out
    assert [(h.index, h.missing) for h in catalog.search(query)] == by_id


def test_more_full_matches_than_a_pool_keep_those_with_the_words_in_the_heads(tmp_path: Path) -> None:
    """Candidates are gathered in the index's order within each round: with
    more full matches than a pool, the story whose title and provider hold
    the words must be among them, ahead of those with a word in the body
    only, wherever it sits in the index (here: the first file indexed)."""
    from tests.helpers import article, write
    from tui.core.catalog.search import _Search
    from tui.core.query import parse_query

    folder = tmp_path / "news"
    write(folder, "000-target.md", article("How AI will impact the future of work", extra="provider:\n  name: Forbes"))
    for i in range(1, 41):
        write(folder, f"{i:03}.md", article(f"Chip story number {i}", extra="provider:\n  name: Forbes", body="An impact on chips."))
    catalog = Catalog.open([folder], update="full")
    target = next(i for i, e in catalog.iter_order("date") if e.title.startswith("How AI"))
    found = catalog.search("forbes impact")
    assert found.full == 41 and catalog.entry(found[0].index).title.startswith("How AI")  # (all of them ranked: 41 < 300)
    pool = _Search(catalog.conn, parse_query("forbes impact"), len(catalog), None).pool(True, 20)  # a pool of 20
    assert pool[0] == target


# What a small pool (20) must keep among 40 or more other full matches,
# each case found among the million generated articles (findability.py --among).
POOL_CASES = {
    # Thousands of titles hold a typo of each word (risc, more), one holds
    # their beginnings (raised, money): gathered in the index's order, the
    # pool was typos only and the story never ranked.
    "beginnings before typos": ("rais mone", "Startups who raised the most money", "", "Rain uses more energy, study {i}"),
    # "pain" is a word of the collection ("Back pain clinics"): its
    # beginnings ("paint") and its typos ("plan") both count less than
    # "pain" itself, the beginnings still more than the typos. (Shorter
    # titles: keeping the shortest alone would not keep the story.)
    "a known word's beginnings before its typos": ("robo pain", "This robot will paint a canvas", "", "Robots plan {i}"),
    # The story's provider is Mint and its title holds "group"; many titles
    # hold "groups" and "into" (a typo of "mint").
    "a provider word before a title typo": (
        "mint group", "Facebook says group used generated faces", "provider:\n  name: Mint", "Civil rights groups look into chips, part {i}"
    ),
    # Many long titles hold both words as well as the story's short one
    # does: equal matches rank the shorter title first, so the pool looks at
    # a few pools' worth and keeps the shortest.
    "the shortest of equal titles": ("edge moves", "AI moves to the edge", "", "After bias fears, city number {i} moves to rein in edge AI"),
    # The story holds three of the words in its title, the fourth in its
    # provider; many (shorter) titles hold one, the rest in their provider
    # and excerpt: every word but one in the title comes first.
    "all words but one in the title": (
        "magazine natural processing language",
        "What is natural language processing?",
        "provider:\n  name: PC Magazine",
        "Large language models, part {i}",
        "provider:\n  name: Analytics Magazine\nexcerpt: Natural language processing at scale",
    ),
}


@pytest.mark.parametrize("case", POOL_CASES)
def test_a_small_pool_keeps_the_story_that_ranks_first(tmp_path: Path, case: str) -> None:
    from tests.helpers import article, write
    from tui.core.catalog.search import _Search
    from tui.core.query import parse_query

    query, story, extra, other, *other_extra = POOL_CASES[case]
    folder = tmp_path / "news"
    write(folder, "000-target.md", article(story, extra=extra))
    write(folder, "001-pain.md", article("Back pain clinics"))
    for i in range(2, 42):
        write(folder, f"{i:03}.md", article(other.format(i=i), extra="".join(other_extra)))
    catalog = Catalog.open([folder], update="full")
    assert catalog.entry(catalog.search(query)[0].index).title == story  # (all 42 ranked: fewer than a pool)
    pool = _Search(catalog.conn, parse_query(query), len(catalog), None).pool(True, 20)
    assert catalog.entry(pool[0]).title == story


@pytest.mark.parametrize("query", ["'r !ai robot", "'ob !ai robot", "'a -topic:ai chips", "'rob facial"])
def test_a_term_of_many_articles_beside_words_finds_the_same_tested_on_rows(
    catalog: Catalog, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term's ids handed to the full-text table (a few) or tested on the
    rows its match yields (many: minutes at a million otherwise): the same hits."""
    from tui.core.catalog import search

    monkeypatch.setattr(search, "PUSH_IDS", 10**9)  # always handed over
    handed = catalog.search(query)
    expected = ([(h.index, h.missing) for h in handed], handed.full, handed.partial)
    assert expected[0]
    monkeypatch.setattr(search, "PUSH_IDS", 0)  # always tested on the rows
    tested = catalog.search(query)
    assert ([(h.index, h.missing) for h in tested], tested.full, tested.partial) == expected


@pytest.mark.parametrize("word", ["study", "robot", "ai", "facial", "reuter", "europ", "chps", "d"])
@pytest.mark.parametrize("least", [0.0, 0.8, 0.97])
def test_a_word_asked_once_for_all_its_fields_matches_what_asking_field_by_field_does(catalog: Catalog, word: str, least: float) -> None:
    """table_match asks each word once with all its fields ({title body}:
    "study"), which FTS5 reads once: the same articles as asking it in each
    field (title: "study" OR body: "study"), which it read once per field."""
    from tui.core.catalog.links import quote
    from tui.core.catalog.rows import FIELDS
    from tui.core.catalog.terms import IndexField, table_match, word_table
    from tui.core.search import WEIGHTS

    fields = {name: IndexField(catalog.conn, name) for name in FIELDS}
    table = word_table(fields, word, len(catalog))
    per_field = [
        f"{name}: (" + " OR ".join(quote(w) for w, q in found.items() if q >= least * WEIGHTS[name] - 1e-9) + ")"
        for name, found in table.items()
        if any(q >= least * WEIGHTS[name] - 1e-9 for q in found.values())
    ]
    grouped = table_match(table, least=least)
    assert (grouped is None) == (not per_field)
    if grouped is not None:
        ids = "SELECT rowid FROM words WHERE words MATCH ? ORDER BY rowid"
        assert catalog.conn.execute(ids, (grouped,)).fetchall() == catalog.conn.execute(ids, ("(" + " OR ".join(per_field) + ")",)).fetchall()
