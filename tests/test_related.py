"""Related stories as a graph: URL normal form, resolution, backlinks, more
like this, story groups, history (the core; the UI is in test_walk_ui.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, ROOT, requires_corpus
from tui.core.collection import Collection
from tui.core.graph import Graph, more_like_this, same_story
from tui.core.history import History
from tui.core.loader import read_article
from tui.core.model import Article, Entry
from tui.core.search import SearchIndex
from tui.core.urls import normalize_url

# -- URL normal form --------------------------------------------------------------------------
SAME = [
    # scheme, www., trailing slash, case of the host, port, fragment
    ("https://www.example.com/a/b/", "http://example.com/a/b"),
    ("HTTPS://WWW.Example.COM:443/a#comments", "example.com/a"),
    ("//example.com/a", "example.com/a/"),
    # AMP forms: path segments, hosts, query parameters, the AMP cache
    ("https://example.com/a/amp/", "https://example.com/a"),
    ("https://example.com/amp/news/a.htm", "https://example.com/news/a.htm"),
    ("https://amp.example.com/a", "https://example.com/a"),
    ("https://example.com/a.amp", "https://example.com/a"),
    ("https://example.com/a.amp.html", "https://example.com/a.html"),
    ("https://example.com/a?amp", "https://example.com/a"),
    ("https://example.com/a?amp=1", "https://example.com/a"),
    ("https://example.com/a.html?outputType=amp", "https://example.com/a.html"),
    ("https://example.com/a?view=AMP", "https://example.com/a"),
    ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a/amp", "https://example.com/a"),
    ("https://example-com.cdn.ampproject.org/v/s/example.com/a?amp_js_v=0.1", "https://example.com/a"),
    ("https://amp-scmp-com.cdn.ampproject.org/c/s/amp.scmp.com/tech/a", "https://www.scmp.com/tech/a"),
    # tracking parameters go, the others stay (in any order)
    ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a?ocid=msn&cvid=123&fbclid=x&gclid=y&msclkid=z&mc_cid=1", "https://example.com/a"),
    ("https://example.com/a?id=7&utm_campaign=x&page=2", "https://example.com/a?page=2&id=7"),
    # entities a scraper left in, percent-encoding
    ("https://example.com/a?x=1&amp;utm_source=y", "https://example.com/a?x=1"),
    ("https://example.com/caf%C3%A9", "https://example.com/café"),
]
DIFFERENT = [
    ("https://example.com/a", "https://example.com/b"),
    ("https://example.com/a?id=1", "https://example.com/a?id=2"),
    ("https://example.com/a", "https://example.org/a"),
    ("https://news.example.com/a", "https://example.com/a"),  # a subdomain is another site
    ("https://example.com/A", "https://example.com/a"),  # paths keep their case
]
NOT_URLS = [
    "",
    "   ",
    "not a url",
    "javascript:alert(1)",
    "mailto:a@b.c",
    "file:///etc/passwd",
    None,
    42,
    "https://",
    "http://localhost/a",
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_url_forms_of_one_page_share_a_key(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b) != ""


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_other_pages_keep_other_keys(a: str, b: str) -> None:
    assert normalize_url(a) != normalize_url(b)


@pytest.mark.parametrize("value", NOT_URLS)
def test_what_is_not_a_web_url_has_no_key(value: object) -> None:
    assert normalize_url(value) == ""


_segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_urls = st.builds(
    lambda scheme, prefix, host, segments, query, fragment: (
        f"{scheme}{prefix}{host}/" + "/".join(segments) + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    ),
    st.sampled_from(["https://", "http://", "//", "", "HTTP://"]),
    st.sampled_from(["", "www.", "amp.", "m.", "www.www.", "amp.www."]),
    st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z0-9-]{1,8}){1,3}", fullmatch=True),
    st.lists(st.one_of(_segment, st.sampled_from(["amp", "AMP", "x.amp", "amp.html", "%2F", "%25", "a b", ".."])), max_size=5),
    st.lists(
        st.tuples(st.sampled_from(["utm_source", "amp", "id", "q", "outputType", "fbclid", "x y", "ocid"]), _segment),
        max_size=4,
    ).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
    _segment,
)


@settings(max_examples=300, deadline=None)
@given(_urls)
def test_normal_form_is_idempotent(url: str) -> None:
    key = normalize_url(url)
    assert normalize_url(key) == key


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_key_or_nothing_and_never_raises(text: str) -> None:
    key = normalize_url(text)
    assert isinstance(key, str)
    assert normalize_url(key) == key


# -- resolution ---------------------------------------------------------------------------------
def _article(path: Path) -> Article:
    article = read_article(path)
    assert isinstance(article, Article)
    return article


def test_seed_related_entries_are_all_external(seeds: Path) -> None:
    collection = Collection.load([seeds])
    for entry in collection.entries:
        for related in _article(Path(entry.path)).related:
            # The seeds name stories of other outlets only: none is a file here.
            assert collection.resolve(related) is None, related.title


def test_an_article_is_found_by_every_url_it_has(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: A story\nwebUrl: https://www.example.com/news/a-story\n"
        "ampWebUrl: https://amp.example.com/news/a-story-amp-version\n"
        "cdnAmpWebUrl: https://example-com.cdn.ampproject.org/c/s/amp.example.com/news/a-story-amp-version\n"
        "originalUrl: https://feeds.example.net/item/123?utm_source=rss\n---\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text(
        "---\ntitle: B\nrelated:\n"
        "  - {title: Something else entirely, webUrl: 'https://example.com/news/a-story-amp-version/amp'}\n"
        "  - {title: Something else entirely, webUrl: 'https://x.org/1', ampWebUrl: 'http://feeds.example.net/item/123'}\n"
        "---\n",
        encoding="utf-8",
    )
    collection = Collection.load([tmp_path])
    found = [collection.resolve(r) for r in _article(tmp_path / "b.md").related]
    assert [e.title if e else None for e in found] == ["A story", "A story"]


def test_fuzzy_titles_match_above_the_threshold_only(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: 'Artificial intelligence tracks down leukemia in blood samples'\nwebUrl: https://science.example/a\n---\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text(
        "---\ntitle: B\nrelated:\n"
        "  - {title: 'Artificial Intelligence Tracks Down Leukaemia In Blood Samples', webUrl: 'https://science.example/moved'}\n"
        "  - {title: 'Artificial intelligence tracks down leukemia in blood samples', webUrl: 'https://other.example/a'}\n"
        "  - {title: 'Artificial intelligence tracks down leukemia in blood samples'}\n"
        "  - {title: 'Quantum computers track down nothing at all', webUrl: 'https://science.example/q'}\n"
        "---\n",
        encoding="utf-8",
    )
    collection = Collection.load([tmp_path])
    found = [collection.resolve(r) for r in _article(tmp_path / "b.md").related]
    assert [e.path if e else None for e in found] == [str(tmp_path / "a.md"), None, str(tmp_path / "a.md"), None]


def test_generated_collection_resolves_inside_entries_and_not_outside_ones(tmp_path: Path) -> None:
    from fixtures.collection import generate

    generate(tmp_path, 300, seed=5)
    collection = Collection.load([tmp_path], use_cache=False)
    domains = {e.domain for e in collection.entries if e.domain}
    inside = outside = 0
    for entry in collection.entries[:150]:
        article = read_article(entry.path)
        if not isinstance(article, Article):
            continue
        for related in article.related:
            found = collection.resolve(related)
            if related.domain in domains:
                inside += 1
                assert found is not None and found.title == related.title, related.url
            else:
                outside += 1
                assert found is None, related.url
    assert inside > 20 and outside > 20


@requires_corpus
def test_resolution_on_the_real_corpus_keeps_its_measured_precision() -> None:
    """Measured by benchmarks/related_resolution.py: precision 1.000, recall
    1.000 on the 50 hand-labelled related entries of the corpus."""
    labels = json.loads((ROOT / "benchmarks" / "related_labels.json").read_text(encoding="utf-8"))["entries"]
    collection = Collection.load([CORPUS])
    right = wrong = missed = 0
    for label in labels:
        related = _article(CORPUS / label["file"]).related[label["index"]]
        found = collection.resolve(related)
        truth = str(CORPUS / label["local"]) if label["local"] else None
        if found is None:
            missed += truth is not None
        elif found.path == truth:
            right += 1
        else:
            wrong += 1
    assert len(labels) == 50
    assert right / (right + wrong) >= 1.0
    assert right / (right + missed) >= 1.0


# -- backlinks ---------------------------------------------------------------------------------
def _graph_fixture(folder: Path) -> Collection:
    folder.mkdir()
    (folder / "b.md").write_text("---\ntitle: The B story\nwebUrl: https://b.example/story\n---\n", encoding="utf-8")
    (folder / "a.md").write_text(
        "---\ntitle: A\nrelated:\n  - {title: x, webUrl: 'http://www.b.example/story/?utm_source=a'}\n"
        "  - {title: Elsewhere, webUrl: 'https://nowhere.example/x'}\n---\n",
        encoding="utf-8",
    )
    (folder / "c.md").write_text("---\ntitle: C\nrelated:\n  - {title: The B Story}\n---\n", encoding="utf-8")
    (folder / "d.md").write_text(
        "---\ntitle: D\nrelated:\n  - {title: A, webUrl: 'https://nowhere.example/y'}\n---\n", encoding="utf-8"
    )
    return Collection.load([folder]).prepare()


def test_backlinks_list_the_articles_that_name_one(tmp_path: Path) -> None:
    collection = _graph_fixture(tmp_path / "c")
    graph = Graph.build(collection.entries, collection.ref_targets())
    by_title = {e.title: i for i, e in enumerate(collection.entries)}
    citing = sorted(collection.entries[i].title for i in graph.citing(by_title["The B story"]))
    assert citing == ["A", "C"]  # by URL (any form) and by title (an entry without URL)
    assert graph.citing(by_title["A"]) == []  # D names "A" on another site: not this file
    assert graph.citing(by_title["C"]) == []


# -- more like this ---------------------------------------------------------------------------
def test_more_like_this_finds_the_article_sharing_rare_words(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()

    def write(name: str, title: str, topics: str, excerpt: str) -> None:
        (folder / name).write_text(f"---\ntitle: {title}\ntopics: [{topics}]\nexcerpt: {excerpt}\n---\n", encoding="utf-8")

    write("a.md", "Glacier robots map Antarctic ice shelves", "AI, Robotics", "Autonomous submarines survey melting ice.")
    write("b.md", "Robots survey Antarctic glacier melt", "AI, Climate", "Submarines under the ice shelves.")
    write("c.md", "Bank profits rise", "AI, Finance", "Quarterly results beat expectations.")
    write("d.md", "New phone launched", "AI, Gadgets", "The phone has a camera.")
    for k in range(30):  # filler, so that "AI" is common and says nothing
        write(f"z{k}.md", f"Filler story number {k}", "AI", f"Nothing in particular {k}.")
    collection = Collection.load([folder])
    index = SearchIndex(collection.entries)
    a = next(i for i, e in enumerate(collection.entries) if e.title.startswith("Glacier"))
    found = more_like_this(index, a, limit=5)
    assert found and collection.entries[found[0]].title == "Robots survey Antarctic glacier melt"
    assert a not in found and len(found) <= 5
    assert found[0] not in more_like_this(index, a, limit=5, exclude=[found[0]])


# -- same story, several outlets ----------------------------------------------------------------
DAY = 86400.0


def _e(title: str, ts: float | None = 0.0) -> Entry:
    return Entry(path=title, title=title, ts=ts)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Artificial intelligence tracks down leukemia", "Artificial Intelligence Tracks Down Leukemia!", True),
        ("Artificial intelligence tracks down leukemia", "Artificial Intelligence That Tracks Down Leukemia Discovered", True),
        ("Artificial intelligence tracks down leukemia", "Artificial intelligence tracks down leukaemia", True),
        ("AI can help detect blood cancer", "AI can help detect blood cancer: study", True),
        ("Japan restricts exports of facial recognition", "Exports of facial recognition restricted by Japan", True),
        ("Japan restricts exports of facial recognition", "China restricts exports of facial recognition", False),
        ("Google launches AI chip in Japan", "Google launches AI chip in India", False),  # another story
        ("Apple stock rises", "Apple stock falls", False),
        ("Daily briefing", "Daily briefing", False),  # too short to say
        ("AI can help detect blood cancer", "AI can help detect blood cancer early in children", False),  # two words more
    ],
)
def test_same_story_rule(a: str, b: str, same: bool) -> None:
    assert same_story(_e(a), _e(b)) is same
    assert same_story(_e(b), _e(a)) is same


def test_same_story_needs_dates_within_a_week() -> None:
    title = "Artificial intelligence tracks down leukemia"
    assert same_story(_e(title, 0.0), _e(title, 6 * DAY))
    assert not same_story(_e(title, 0.0), _e(title, 30 * DAY))
    assert same_story(_e(title, None), _e(title, 30 * DAY))  # undated: the title decides


def test_groups_never_chain_stories_years_apart() -> None:
    title = "Three things to know about exoskeletons today"
    entries = [
        _e(title, 0.0),
        _e(title + " ", 3 * DAY),
        _e(title, 400 * DAY),
        _e(title, None),
        _e("Something else entirely here", 0.0),
    ]
    entries = [e._replace(path=f"{k}.md") for k, e in enumerate(entries)]
    graph = Graph.build(entries, {})
    assert sorted(sorted(g) for g in graph.groups) == [[0, 1, 3]] or sorted(sorted(g) for g in graph.groups) == [[0, 1], [2, 3]]
    assert graph.versions(4) == [4]


# -- history ------------------------------------------------------------------------------------
def test_history_goes_back_and_forward_like_a_browser() -> None:
    history: History[str] = History()
    assert history.back() is None and history.forward() is None
    for item in "abc":
        history.visit(item)
    history.visit("c")  # the same place again: no new step
    assert history.items == ["a", "b", "c"]
    assert history.back() == "b" and history.back() == "a" and history.back() is None
    assert history.forward() == "b"
    history.visit("d")  # a new step drops what was ahead
    assert history.items == ["a", "b", "d"] and history.forward() is None
    trail, here = history.trail()
    assert trail[here] == "d"


_segment = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789_.~-", min_size=0, max_size=12),
    st.lists(st.sampled_from(["a", "%20", "%2F", "%2f", "%C3%A9", "%41", "%7E", "%25", "b-", "%"]), min_size=1, max_size=5).map("".join),
)
_plain_urls = st.builds(
    lambda scheme, prefix, host, tld, segments, slash: f"{scheme}://{prefix}{host}.{tld}" + "".join("/" + s for s in segments) + slash,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["", "www.", "m.", "amp.", "www.m.", "mobile."]),
    st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True),
    st.sampled_from(["com", "co.uk", "cdn.ampproject.org", "org"]),
    st.lists(st.one_of(_segment, st.sampled_from(["amp", "x.amp", "amp.html", ".", ".."])), max_size=5),
    st.sampled_from(["", "/"]),
)


_query_word = st.text(alphabet="abcAMPutm_sorce0123456789.~-", min_size=0, max_size=8)
_query_urls = st.builds(
    lambda scheme, prefix, host, tld, port, segments, pairs, fragment: (
        f"{scheme}://{prefix}{host}.{tld}{port}"
        + "".join("/" + s for s in segments)
        + ("?" + "&".join(pairs) if pairs is not None else "")
        + fragment
    ),
    st.sampled_from(["http", "https", "HTTPS", "Http"]),
    st.sampled_from(["", "www.", "WWW.", "m.", "amp."]),
    st.from_regex(r"[a-zA-Z0-9-]{1,12}", fullmatch=True),
    st.sampled_from(["com", "CO.UK", "cdn.ampproject.org", "org"]),
    st.sampled_from(["", ":8443", ":80"]),
    st.lists(st.one_of(_segment, st.sampled_from(["amp", "x.amp", "amp.html", ".", "..", "AMP"])), max_size=4),
    st.one_of(
        st.none(),
        st.lists(
            st.one_of(
                st.builds(lambda k, v: f"{k}={v}", _query_word, _query_word),
                _query_word,
                st.sampled_from(["amp", "amp=1", "outputType=amp", "view=AMP", "utm_source=rss", "fbclid=x", "", "a=b=c", "Ref=x", "#038;h=600"]),
            ),
            max_size=5,
        ),
    ),
    st.sampled_from(["", "#comments", "#", "#a?b"]),
)


@settings(max_examples=400)
@given(st.one_of(_plain_urls, _query_urls))
@example("https://hackaday.com/a.jpg?w=600&#038;h=600")  # from the real corpus: "&#038;" is an "&"
def test_the_plain_url_shortcut_gives_the_same_key_as_the_full_normal_form(url: str) -> None:
    from tui.core.urls import _normalize

    assert normalize_url(url) == _normalize(url)


@given(st.text(max_size=40))
def test_the_clean_line_shortcut_changes_nothing_the_full_cleaning_would_keep(text: str) -> None:
    from tui.core.text import _BIDI, _CONTROL, _WS, _picture, clean_line

    full = _BIDI.sub("", _CONTROL.sub(_picture, _WS.sub(" ", text).strip()))
    assert clean_line(text) == full
