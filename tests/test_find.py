"""Finding a query's words inside an open article (tui/core/find.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.find import Finder, Term, terms_of_query


def marked(query: str, text: str) -> list[str]:
    return [text[a:b] for a, b in Finder.from_query(query).spans(text)]


def test_word_prefixes_case_insensitive() -> None:
    assert marked("recog FACIAL", "Facial recognition: the facial-recognition boom") == ["Facial", "recog", "facial", "recog"]


def test_typos_and_consonant_skeletons_mark_whole_words() -> None:
    assert marked("jpan facail", "Japan restricts facial tech") == ["Japan", "facial"]
    assert marked("jpn", "In Japan, jpn and Japanese") == ["Japan", "jpn", "Japanese"]


def test_short_terms_are_prefixes_only() -> None:
    # "ai" would be one typo away from many words: prefixes only below 4 letters.
    assert marked("ai", "AI said it aims high") == ["AI", "ai"]


def test_query_syntax() -> None:
    assert terms_of_query("'rein ^chin export$ !ibm topic:policy is:unread a|bee after:2020-01-01") == [
        Term("rein", "exact"),
        Term("chin", "prefix"),
        Term("export", "suffix"),
        Term("a", "word"),
        Term("bee", "word"),
    ]
    assert marked("'rein", "China moves to rein it in; reins") == ["rein", "rein"]
    assert marked("'ein", "rein") == ["ein"]
    assert marked("ports$", "exports and ports, portside") == ["ports", "ports"]
    assert marked("^port", "exports and ports") == ["port"]
    assert marked('"export controls"', "new Export Controls on exports") == ["Export Controls"]


def test_facets_and_negations_alone_mark_nothing() -> None:
    finder = Finder.from_query("topic:ai !japan provider:reuters")
    assert not finder
    assert finder.spans("AI in Japan, by Reuters") == []


def test_spans_do_not_overlap() -> None:
    assert Finder.from_query("fac facial 'cial").spans("facial") == [(0, 6)]


@given(st.text(max_size=40), st.text(max_size=200))
def test_any_query_on_any_text(query: str, text: str) -> None:
    spans = Finder.from_query(query).spans(text)
    last = -1
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert start > last
        last = end
