"""The list's filter and the unread workflow in the core (tui/core/listview.py,
the session, the store): which rows pass a filter, the next unread row,
what mark-all-read marks, and its one-transaction writes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import DATE_ORDER, IBM, JAPAN, NEWEST, PLAIN, SECOND, loaded
from tui.core.bookmarks import BookmarkStore, entry_key
from tui.core.collection import SORT_CYCLE, Collection
from tui.core.listview import ListFilter, allowed_paths, next_unread, unread_identities
from tui.core.model import Entry
from tui.core.query import parse_query
from tui.core.session import ReadingSession
from tui.core.settings import parse

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SESSION = loaded(SEEDS)  # (read only by the property test below)


def entries(n: int) -> list[Entry]:
    return [Entry(path=f"/x/{i}.md", title=f"Story {i}") for i in range(n)]


# -- next unread --------------------------------------------------------------------------
def test_next_unread_goes_forward_and_back_and_round_the_end() -> None:
    rows = entries(6)
    read = {rows[1].path, rows[2].path, rows[5].path}

    def is_read(e: Entry) -> bool:
        return e.path in read

    assert next_unread(rows, 0, 1, is_read) == (3, False)
    assert next_unread(rows, 3, 1, is_read) == (4, False)
    assert next_unread(rows, 4, 1, is_read) == (0, True)  # round the end once
    assert next_unread(rows, 3, -1, is_read) == (0, False)
    assert next_unread(rows, 0, -1, is_read) == (4, True)


def test_next_unread_is_none_when_no_other_row_is_unread() -> None:
    rows = entries(3)
    assert next_unread(rows, 1, 1, lambda e: e is not rows[1]) is None
    assert next_unread(rows, 0, 1, lambda e: True) is None
    assert next_unread([], 0, 1, lambda e: False) is None


@given(st.lists(st.booleans(), max_size=30), st.integers(-3, 40), st.sampled_from([1, -1]))
def test_next_unread_always_lands_on_another_unread_row(flags: list[bool], cursor: int, step: int) -> None:
    rows = entries(len(flags))
    state = {e.path: f for e, f in zip(rows, flags, strict=True)}
    found = next_unread(rows, cursor, step, lambda e: state[e.path])
    others = [i for i, f in enumerate(flags) if not f and i != cursor]
    if found is None:
        assert not others
    else:
        assert found[0] in others


# -- mark all read --------------------------------------------------------------------------
def test_mark_all_marks_each_unread_identity_once_with_the_other_versions() -> None:
    a, b, c = entries(3)
    twin = Entry(path="/x/twin.md", title="Story 1, told again")
    keys = unread_identities([a, b, c], lambda e: e.title, lambda e: [b, twin] if e is b else [e], read={"Story 2"})
    assert keys == ["Story 0", "Story 1", "Story 1, told again"]


def test_the_store_marks_all_in_one_transaction_and_says_what_it_changed(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "u.db") as store, BookmarkStore(tmp_path / "u.db") as other:
        other.set_read(["b"], True)  # another reader (or the CLI) marked one meanwhile
        assert store.mark_read(["a", "b", "c", "a"]) == ["a", "c"]
        assert store.read_keys() == {"a", "b", "c"}
        store.set_read(["a", "c"], False)  # the undo: only what it marked
        assert other.read_keys() == {"b"}


def test_session_mark_all_read_of_the_rows_shown_and_undo(seeds: Path) -> None:
    session = loaded(seeds)
    session.apply_filter(ListFilter("japan exports"))
    session.arrange()
    assert {e.title for e in session.rows} == {JAPAN, PLAIN}
    keys = session.unread_shown()
    assert session.set_read_many(keys, True) == keys
    assert session.unread == 3
    assert session.summary().startswith("filter: japan exports · 2 of 5 · 0 unread")
    session.set_read_many(keys, False)
    assert session.unread == 5


def test_a_filtered_header_counts_unread_articles_as_it_counts_those_passing(tmp_path: Path) -> None:
    """A story told by several outlets takes one row; "N of M" counts its
    articles, and so does the unread count beside it (it said "unread only
    · 114 of 114 · 110 unread" on the real corpus)."""
    from fixtures.collection import generate

    generate(tmp_path / "c", 300, seed=5)
    session = loaded(tmp_path / "c")
    assert len(session.rows) < len(session.collection.entries)  # some stories have versions
    session.apply_filter(ListFilter(unread_only=True))
    session.arrange()
    total = len(session.collection.entries)
    assert session.summary().startswith(f"unread only · {total:,} of {total:,} · {total:,} unread")
    session.set_read(session.key_of(session.rows[0]), True)
    assert session.rows_unread == session.unread


# -- the filter -------------------------------------------------------------------------------
def test_a_filter_keeps_the_matching_rows_in_the_sort_and_counts_them(seeds: Path) -> None:
    session = loaded(seeds)
    assert session.apply_filter(ListFilter("japn exprts")) == ""  # typos are welcome
    session.arrange()
    assert [e.title for e in session.rows] == [JAPAN, PLAIN]
    session.sort = "oldest"
    session.arrange()
    assert [e.title for e in session.rows] == [JAPAN, PLAIN]  # undated last in both date orders
    assert session.summary() == "filter: japn exprts · 2 of 5 · 2 unread · oldest first"


def test_is_unread_and_is_read_and_unread_only(seeds: Path) -> None:
    session = loaded(seeds)
    ibm = next(e for e in session.collection.entries if e.title == IBM)
    session.set_read(entry_key(ibm), True)
    session.apply_filter(ListFilter("is:read"))
    session.arrange()
    assert [e.title for e in session.rows] == [IBM]
    session.apply_filter(ListFilter("is:unread"))
    session.arrange()
    assert [e.title for e in session.rows] == [NEWEST, SECOND, JAPAN, PLAIN]
    session.apply_filter(ListFilter(unread_only=True))
    session.arrange()
    assert [e.title for e in session.rows] == [NEWEST, SECOND, JAPAN, PLAIN]
    assert session.summary().startswith("unread only · 4 of 5")
    # Read while the filter is on: still listed (it does not vanish under the cursor).
    session.set_read(entry_key(session.rows[0]), True)
    session.arrange()
    assert len(session.rows) == 4
    session.apply_filter(ListFilter())
    session.arrange()
    assert [e.title for e in session.rows] == DATE_ORDER


def test_unread_only_takes_in_the_articles_read_after_it_was_set(seeds: Path) -> None:
    session = ReadingSession(BookmarkStore(), [seeds])
    whole = loaded(seeds).collection
    session.partial(Collection([seeds], whole.entries[:2]), 2, 5)
    session.apply_filter(ListFilter(unread_only=True))
    session.arrange()
    assert len(session.rows) == 2
    session.loaded(whole)
    session.arrange()
    assert len(session.rows) == 5


def test_a_query_filter_waits_for_the_search_index(seeds: Path) -> None:
    session = ReadingSession(BookmarkStore(), [seeds])
    collection = loaded(seeds).collection
    session.loaded(collection)
    assert "still being built" in session.apply_filter(ListFilter("japan"))
    session.arrange()
    assert session.rows == []


def test_a_word_matching_nothing_is_said() -> None:
    session = loaded(SEEDS)
    note = session.apply_filter(ListFilter("japan zqxwvy"))
    assert "zqxwvy" in note
    note = session.apply_filter(ListFilter("is:nothing"))
    assert "is:nothing" in note


def test_the_filter_label_is_one_clean_short_line() -> None:
    assert ListFilter("  is:unread   topic:ai ").label() == "filter: is:unread topic:ai"
    assert ListFilter("x\x1b[31m", unread_only=True).label().endswith(" + unread only")
    assert "\x1b" not in ListFilter("x\x1b[31m").label()
    assert len(ListFilter("word " * 50).label()) <= 70
    assert not ListFilter("   ").active and ListFilter(unread_only=True).active


def test_allowed_paths_is_none_when_nothing_is_filtered() -> None:
    rows = entries(3)
    assert allowed_paths(rows, None, False, lambda e: False) is None
    assert allowed_paths(rows, [0, 2], True, lambda e: e is rows[2]) == {rows[0].path}


@given(st.text(max_size=40))
def test_no_filter_query_crashes_and_the_rows_are_some_of_the_collection(query: str) -> None:
    SESSION.apply_filter(ListFilter(query))
    SESSION.arrange()
    assert {e.path for e in SESSION.rows} <= {e.path for e in SESSION.collection.entries}
    assert "\n" not in SESSION.summary()
    SESSION.apply_filter(ListFilter())


# -- oldest first, read_after -------------------------------------------------------------------
def test_oldest_first_comes_right_after_newest_first_and_keeps_undated_last(seeds: Path) -> None:
    assert SORT_CYCLE[:2] == ("date", "oldest")
    collection = loaded(seeds).collection
    assert isinstance(collection, Collection)
    titles = [collection.entries[i].title for i in collection.order("oldest")]
    assert titles == [IBM, JAPAN, SECOND, NEWEST, PLAIN]


def test_read_after_is_checked() -> None:
    assert parse("read_after = 0")[0].read_after == 0.0
    assert parse("read_after = 2.5")[0].read_after == 2.5
    assert parse("")[0].read_after is None
    for bad in ('"soon"', "-1", "true", "1e9", "nan"):
        settings, problems = parse(f"read_after = {bad}")
        assert settings.read_after is None
        assert len(problems) == 1 and problems[0].startswith("read_after:") and "(0.6)" in problems[0]


def test_is_read_is_a_known_facet() -> None:
    assert not parse_query("is:read").errors
