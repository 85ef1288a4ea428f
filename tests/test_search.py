"""Search as a user sees it: which stories come back, in which order, with
what highlighted. Small hand-made collections, so each answer is obvious."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core.model import Entry, body_words
from tui.core.search import SearchIndex, file_snippet, snippet_for, text_spans

from .conftest import CORPUS, requires_corpus


def ts(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


ENTRIES = [
    Entry(
        "0.md",
        "Japan Restricts Exports of AI Facial Technology",
        "Armstrong Economics",
        "armstrongeconomics.com",
        ts("2022-01-08"),
        ("Computer Vision", "AI"),
        "Tokyo tightens rules on surveillance gear.",
    ),
    Entry(
        "1.md",
        "Report: Japan to Limit Facial Recognition Tech Exports to China",
        "Reuters",
        "reuters.com",
        ts("2020-06-01"),
        ("Computer Vision",),
        "The ministry weighs controls.",
    ),
    Entry(
        "2.md",
        "Crypto miners move to Texas",
        "The Verge",
        "theverge.com",
        ts("2024-03-01"),
        ("Crypto", "Machine Learning"),
        "Bitcoin farms follow cheap power.",
        words="heatwave grid operators kilowatt",
    ),
    Entry(
        "3.md",
        "Grid operators brace for a heatwave",
        "Reuters",
        "reuters.com",
        ts("2023-07-15"),
        ("Energy",),
        "Demand peaks in July.",
    ),
    Entry(
        "4.md",
        "What machine learning means for China's factories",
        "Wired",
        "wired.com",
        ts("2021-02-02"),
        ("Machine Learning", "AI"),
        "Robots and vision systems on the line; a kilowatt story.",
    ),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ENTRIES)


def titles(index: SearchIndex, query: str, **kw: object) -> list[str]:
    return [ENTRIES[h.index].title for h in index.search(query, **kw)]  # type: ignore[arg-type]


def test_old_calls_keep_working(index: SearchIndex) -> None:
    hits = index.search("jpan facal tecnology", 3)
    assert ENTRIES[hits[0].index].title.startswith("Japan Restricts")
    assert index.search("   ") == []


def test_fuzzy_typos_skeletons_word_order(index: SearchIndex) -> None:
    assert titles(index, "facail japan")[0].startswith("Japan Restricts")
    assert titles(index, "technology facial japan")[0].startswith("Japan Restricts")
    assert titles(index, "jpn fcl tchn")[0].startswith("Japan Restricts")
    assert titles(index, "recog")[0].startswith("Report: Japan")


def test_exact_prefix_suffix_equal(index: SearchIndex) -> None:
    assert titles(index, "'recogn") == ["Report: Japan to Limit Facial Recognition Tech Exports to China"]
    assert titles(index, "'recgn") == []  # exact: no typo allowed
    assert titles(index, "^japan") == ["Japan Restricts Exports of AI Facial Technology"]
    assert titles(index, "china$") == ["Report: Japan to Limit Facial Recognition Tech Exports to China"]
    assert titles(index, "^crypto miners move to texas$") == ["Crypto miners move to Texas"]


def test_negation(index: SearchIndex) -> None:
    assert titles(index, "japan !china") == ["Japan Restricts Exports of AI Facial Technology"]
    # Negations alone: everything else, newest first.
    assert titles(index, "!japan !crypto") == [
        "Grid operators brace for a heatwave",
        "What machine learning means for China's factories",
    ]
    assert titles(index, "japan !^report") == ["Japan Restricts Exports of AI Facial Technology"]


def test_or(index: SearchIndex) -> None:
    assert set(titles(index, "texas | heatwave")) >= {"Crypto miners move to Texas", "Grid operators brace for a heatwave"}
    assert titles(index, "crypto | factories machine")[0] == "What machine learning means for China's factories"
    # A word typed twice, or on both sides of a bar, is one word.
    assert titles(index, "japan japan facial")[:2] == titles(index, "japan facial")[:2]
    assert titles(index, "texas | texas") == titles(index, "texas")


def test_facets_alone_list_newest_first(index: SearchIndex) -> None:
    assert titles(index, "topic:computer") == [ENTRIES[0].title, ENTRIES[1].title]
    assert titles(index, 'topic:"machine learning"') == [ENTRIES[2].title, ENTRIES[4].title]
    assert titles(index, "topic:learn") == [ENTRIES[2].title, ENTRIES[4].title]  # a word's beginning
    assert titles(index, "provider:reut") == [ENTRIES[3].title, ENTRIES[1].title]
    assert titles(index, "provider:wired.com") == [ENTRIES[4].title]
    assert titles(index, "provider:verge") == [ENTRIES[2].title]
    assert titles(index, "after:2023 before:2024-03-01") == [ENTRIES[3].title]
    assert titles(index, "after:2024-03-01") == [ENTRIES[2].title]  # on or after
    hits = index.search("topic:ai")
    assert all(h.field == "" for h in hits)


def test_facets_combine_with_each_other_and_with_words(index: SearchIndex) -> None:
    assert titles(index, "japan provider:reuters") == [ENTRIES[1].title]
    assert titles(index, "facial topic:vision after:2021") == [ENTRIES[0].title]
    assert titles(index, "topic:ai !topic:vision") == [ENTRIES[4].title]
    assert titles(index, "provider:wired | provider:verge") == [ENTRIES[2].title, ENTRIES[4].title]
    assert titles(index, "japan after:2030-01-01") == []
    # A bad date is dropped, the rest still searches.
    assert titles(index, "japan after:2020-99-99 provider:reuters") == [ENTRIES[1].title]


def test_reading_state_facets(index: SearchIndex) -> None:
    marks = {"bookmarked": {1, 4}, "unread": {0, 1, 2}}
    assert titles(index, "is:bookmarked", marks=marks) == [ENTRIES[4].title, ENTRIES[1].title]
    assert titles(index, "is:bookmarked is:unread", marks=marks) == [ENTRIES[1].title]
    assert titles(index, "japan !is:unread", marks=marks) == []
    assert titles(index, "machine is:bookmarked", marks=marks) == [ENTRIES[4].title]
    assert titles(index, "is:bookmarked") == []  # no reading state given: nothing is marked


def test_body_words_found_and_ranked_below_title(index: SearchIndex) -> None:
    hits = index.search("heatwave")
    assert [ENTRIES[h.index].title for h in hits] == ["Grid operators brace for a heatwave", "Crypto miners move to Texas"]
    assert [h.field for h in hits] == ["title", "body"]
    assert hits[0].score > hits[1].score


def test_excerpt_ranked_below_title_with_a_snippet(index: SearchIndex) -> None:
    hits = index.search("kilowatt")
    assert [h.field for h in hits] == ["excerpt", "body"]  # excerpt above body
    snippet = hits[0].snippet
    assert snippet is not None and "kilowatt" in snippet.text
    ((start, end),) = snippet.spans
    assert snippet.text[start:end] == "kilowatt"


def test_title_spans(index: SearchIndex) -> None:
    hit = index.search("jpan facial")[0]
    title = ENTRIES[hit.index].title
    assert [title[s:e] for s, e in hit.title_spans] == ["Japan", "Facial"]
    hit = index.search("'exports ^japan")[0]
    title = ENTRIES[hit.index].title
    assert [title[s:e].lower() for s, e in hit.title_spans] == ["japan", "exports"]


def test_snippet_around_the_match() -> None:
    text = "word " * 40 + "the grid operators warned of a heatwave on Tuesday " + "more " * 40
    snippet = snippet_for("heatwave grid", text)
    assert snippet is not None
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert 40 <= len(snippet.text) <= 90
    marked = [snippet.text[s:e] for s, e in snippet.spans]
    assert marked == ["grid", "heatwave"]
    assert snippet_for("zebra", text) is None
    assert snippet_for("heatwave", "") is None


def test_file_snippet_reads_the_body(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Grid\nexcerpt: nothing here\n---\n\nOperators say the heatwave will last.\n", encoding="utf-8")
    snippet = file_snippet(str(path), "heatwav")
    assert snippet is not None and snippet.text == "Operators say the heatwave will last."
    assert file_snippet(str(tmp_path / "missing.md"), "x") is None


def test_text_spans_for_an_open_article() -> None:
    text = "Facial recognition. FACIAL data; prefacial is not a match."
    assert text_spans(["facial"], text) == [(0, 6), (20, 26)]


def test_body_words_are_compact() -> None:
    body = "The heatwave hit. " * 50 + " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200))
    kept = body_words(body, "Heatwave news", "")
    assert "heatwave" not in kept.split()  # already in the title
    assert len(kept.split()) <= 48 and len(set(kept.split())) == len(kept.split())


def test_cli_search_json_has_field_and_snippet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Grid operators brace\nexcerpt: Demand peaks in July.\nprovider: {name: Reuters}\n---\n\nA long heatwave is coming.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("---\ntitle: Heatwave hits Texas\nexcerpt: Hot.\n---\n", encoding="utf-8")
    assert main(["search", "heatwave", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["title"] for d in data] == ["Heatwave hits Texas", "Grid operators brace"]
    assert [d["field"] for d in data] == ["title", "body"]
    assert data[0]["snippet"] is None and "heatwave" in data[1]["snippet"]
    assert main(["search", "july", str(tmp_path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["field"] == "excerpt" and row["snippet"] == "Demand peaks in July."


def test_cli_search_facets_and_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: One\npublishedDateTime: 2024-05-01T00:00:00Z\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Two\npublishedDateTime: 2020-05-01T00:00:00Z\n---\n", encoding="utf-8")
    assert main(["search", "after:2021 after:2021-02-30", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    assert [d["title"] for d in json.loads(captured.out)] == ["One"]
    assert captured.err.count("\n") == 1 and "after:2021-02-30" in captured.err
    # Nothing bookmarked yet, everything unread (the store is the test's own).
    assert main(["search", "is:unread", str(tmp_path), "--json"]) == 0
    assert [d["title"] for d in json.loads(capsys.readouterr().out)] == ["One", "Two"]
    assert main(["search", "is:bookmarked", str(tmp_path), "--json"]) == 1  # nothing matches: as grep
    assert json.loads(capsys.readouterr().out) == []


@requires_corpus
def test_findability_on_the_real_corpus() -> None:
    """Queries typed the way people type them land on the story (a sample of
    the real corpus; the full comparison with fzf is benchmarks/findability.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from findability import evaluate

    from tui.core.collection import Collection

    entries = Collection.load([CORPUS]).entries
    result = evaluate(entries, targets=40, seed=3, with_fzf=False)
    total = result.overall("reader")
    assert total.n >= 150
    assert total.at1 / total.n >= 0.9
    assert total.at5 / total.n >= 0.98
    assert CORPUS.is_dir()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab jpnfcl'^$!|:\"-topicsrvdeb0123", max_size=40))
def test_search_never_raises(text: str) -> None:
    index = SearchIndex(ENTRIES)
    marks = {"bookmarked": {0}, "unread": range(3)}
    for hit in index.search(text, marks=marks) + index.search(text + " topic:ai is:unread after:2021"):
        assert 0 <= hit.index < len(ENTRIES)
        hit.title_spans, hit.snippet  # noqa: B018


def test_body_words_come_back_from_the_index_cache(tmp_path: Path) -> None:
    from tui.core import index as index_module
    from tui.core.collection import Collection

    (tmp_path / "a.md").write_text("---\ntitle: Grid news\n---\n\nThe heatwave strains every substation.\n", encoding="utf-8")
    cold = Collection.load([tmp_path])
    index_module.flush()
    warm = Collection.load([tmp_path])
    assert warm.stats.cached == 1 and warm.stats.parsed == 0
    assert cold.entries[0].words == warm.entries[0].words == "heatwave strains every substation"
    (hit,) = SearchIndex(warm.entries).search("substation")
    assert hit.field == "body"
