"""Ranking on the index picks, for each query word, the article word it
stands for best: skipping the fields that cannot beat what was found (not
splitting a long body into words) must pick exactly what trying every field
picks, ties included (the first field of the table, then the first word in
the article)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.catalog.rows import FIELDS
from tui.core.catalog.terms import Doc, Table, best_containing, best_word, table_tops
from tui.core.search import WEIGHTS

WORDS = ["ai", "chip", "chips", "export", "nvidia", "data", "robot"]
QUALITIES = [0.28, 0.4, 0.5, 0.7, 0.75, 1.0]  # few values: ties across fields are common


def every_field(table: Table, doc: Doc) -> tuple[float, str, str] | None:
    """The rule itself, plainly: every field tried in the table's order."""
    best = None
    for name, found in table.items():
        for word in doc.field_words(name):
            if word in found and (best is None or found[word] > best[0]):
                best = (found[word], name, word)
    return best


tables = st.dictionaries(
    st.sampled_from(FIELDS),
    st.dictionaries(st.sampled_from(WORDS), st.sampled_from(QUALITIES), min_size=1, max_size=3),
    min_size=1,
    max_size=5,
)
texts = st.lists(st.sampled_from(WORDS + ["the", "of"]), max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(table=tables, title=texts, provider=texts, topic=texts, excerpt=texts, body=texts)
def test_skipping_fields_picks_what_every_field_picks(table: Table, title: str, provider: str, topic: str, excerpt: str, body: str) -> None:
    doc = Doc(1, title, provider, "", None, (topic,) if topic else (), excerpt, body, "")
    assert best_word(table, doc, table_tops(table)) == every_field(table, doc)


# Text as files hold it: any case, punctuation, letters whose lower case is
# another length or an ASCII letter (İ, K, ß, Σ), underscores, digits.
odd_texts = st.text(alphabet="abcrReEoO _-'.İKßΣσς9é\u0301", max_size=30)


@settings(max_examples=500, deadline=None)
@given(title=odd_texts, provider=odd_texts, domain=odd_texts, topic=odd_texts, excerpt=odd_texts, body=odd_texts, part=st.text(alphabet="abcreoİkßσς9é_", min_size=1, max_size=3))
def test_an_exact_term_looks_at_a_field_only_if_its_text_holds_it(
    title: str, provider: str, domain: str, topic: str, excerpt: str, body: str, part: str
) -> None:
    """'x skips a field whose text does not hold x (rows tested one by one
    at a million): the same best word as looking at every word of every field."""
    doc = Doc(1, title, provider, domain, None, (topic,) if topic else (), excerpt, body, "")
    plain = None
    for name, found in doc.words.items():
        for w in found:
            if part in w:
                q = WEIGHTS[name] * (1.0 if w == part else 0.9)
                if plain is None or q > plain[0]:
                    plain = (q, name)
    assert best_containing(doc, part) == plain
