"""The query language: what each piece of syntax means, completion, and that
nothing typed ever raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.model import Entry
from tui.core.query import FACET_NAMES, Facet, Term, complete, facet_values, parse_query


def atoms(text: str) -> list[object]:
    return [a for g in parse_query(text).groups for a in g]


def test_plain_words_are_fuzzy_terms_all_required() -> None:
    q = parse_query("Facia  Recog")
    assert q.groups == ((Term("facia"),), (Term("recog"),))
    assert not q.errors and q.has_text


def test_fzf_operators() -> None:
    assert atoms("'exact") == [Term("exact", "exact")]
    assert atoms("^japan") == [Term("japan", "prefix")]
    assert atoms("china$") == [Term("china", "suffix")]
    assert atoms("^whole$") == [Term("whole", "equal")]
    assert atoms("!crypto") == [Term("crypto", "exact", negate=True)]
    assert atoms("!'crypto") == [Term("crypto", "exact", negate=True)]
    assert atoms("!^report") == [Term("report", "prefix", negate=True)]
    assert atoms("!china$") == [Term("china", "suffix", negate=True)]
    assert atoms('"facial recognition"') == [Term("facial recognition", "exact")]


def test_or_binds_neighbouring_terms() -> None:
    q = parse_query("japan | china facial")
    assert q.groups == ((Term("japan"), Term("china")), (Term("facial"),))
    # A dangling bar is ignored.
    assert parse_query("| japan |").groups == ((Term("japan"),),)


def test_facets() -> None:
    assert atoms('topic:"Machine Learning"') == [Facet("topic", "machine learning")]
    assert atoms("provider:Reuters") == [Facet("provider", "reuters")]
    assert atoms("is:bookmarked is:UNREAD") == [Facet("is", "bookmarked"), Facet("is", "unread")]
    assert atoms("after:2024-01-05 before:2024") == [Facet("after", "2024-01-05"), Facet("before", "2024-01-01")]
    assert atoms("!topic:crypto") == [Facet("topic", "crypto", negate=True)]
    assert atoms("before:2024-3") == [Facet("before", "2024-03-01")]


def test_bad_facet_values_are_reported_and_dropped() -> None:
    q = parse_query("after:2024-13-45 is:starred facial")
    assert q.groups == ((Term("facial"),),)
    assert len(q.errors) == 2
    assert "after:2024-13-45" in q.errors[0] and "is:starred" in q.errors[1]


def test_a_facet_being_typed_and_unknown_names() -> None:
    assert parse_query("topic:").is_empty and not parse_query("topic:").errors
    assert atoms("http://x.com") == [Term("http://x.com")]  # not a facet: plain text
    assert parse_query('topic:"machine lea').facets == (Facet("topic", "machine lea"),)


def test_highlight_terms_positive_words_only() -> None:
    q = parse_query("facial 'recog !crypto topic:ai ^japan | china$")
    assert q.highlight_terms() == ["facial", "china", "japan", "recog"]  # longest first


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_parse_never_raises(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q.errors, tuple)
    q.highlight_terms()
    complete(text, None, {"topic": ["Machine Learning"], "provider": ["Reuters"]})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["!", "'", "^", "$", "|", '"', ":", "topic", "is", "after", "x", " ", "2024-01"]), max_size=12))
def test_operator_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    parse_query(text)
    complete(text, len(text) // 2, {})


def test_facet_values_most_frequent_first() -> None:
    entries = [
        Entry("a", "A", provider="Reuters", topics=("AI", "Machine Learning")),
        Entry("b", "B", provider="Reuters", topics=("Machine Learning",)),
        Entry("c", "C", provider="Wired", topics=("machine learning", "Robots")),
    ]
    values = facet_values(entries)
    assert values["topic"] == ["Machine Learning", "AI", "Robots"]
    assert values["provider"] == ["Reuters", "Wired"]
    assert values["is"] == ["bookmarked", "unread", "read"]


def test_complete_facet_names_and_values() -> None:
    values = {"topic": ["AI", "Machine Learning", "Machine Vision"], "provider": ["Reuters", "The Verge"]}
    assert complete("jpn topic:mac", None, values) == 'jpn topic:"machine learning"'
    assert complete("prov", None, values) == "provider:"
    assert complete("provider:the", None, values) == 'provider:"the verge"'
    assert complete("is:u", None, values) == "is:unread"
    assert complete("!topic:a", None, values) == "!topic:ai"
    # The cursor decides which word is completed; what follows it stays.
    assert complete("topic:mac facial", 9, values) == 'topic:"machine learning" facial'
    assert complete("facial", None, values) is None
    assert complete("topic:ai", None, values) is None  # already complete
    assert complete("", None, values) is None
    assert set(FACET_NAMES) >= {"topic:", "provider:", "is:bookmarked", "is:unread", "after:", "before:"}


def test_a_query_that_excludes_what_it_requires_contradicts_itself() -> None:
    assert parse_query("'recog !c").contradicts  # every "recog" holds a "c"
    assert parse_query("'open-source !n-s").contradicts
    assert not parse_query("'recog !x").contradicts
    assert not parse_query("recog !c").contradicts  # fuzzy: "recog" may be matched by a typo without it
    assert not parse_query("'recog | 'face !c").contradicts  # either may hold
    assert not parse_query("'recog !c | 'face").contradicts
