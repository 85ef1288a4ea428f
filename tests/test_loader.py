"""Loading files: the seeds exactly, and tolerance for what real files do."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.core.collection import Collection, PathError, check_paths, display_path
from tui.core.loader import iter_files, parse_bytes, read_article
from tui.core.model import Article, LoadIssue, as_datetime, as_int

SEED_TITLES = {
    "000_0c7c719d9a70dd46.txt": "Japan Restricts Exports of AI Facial Technology",
    "001_0e5bac529f854688.txt": "Report: Japan to Limit Facial Recognition Tech Exports to China",
    "002_37935ac11491d3da.txt": "AI, facial recognition tech front and center at China security expo",
    "003_9b2b28b6691a1e95.txt": "IBM says U.S. should adopt new export controls on facial recognition systems",
    "004_bab4575553efcfb1.txt": "After Feeding Explosion of Facial Recognition, China Moves to Rein It In",
}


@pytest.mark.parametrize("name", sorted(SEED_TITLES))
def test_each_seed_loads_with_its_exact_title(seeds: Path, name: str) -> None:
    article = read_article(seeds / name)
    assert isinstance(article, Article)
    assert article.title == SEED_TITLES[name]


def test_seed_000_fields(seeds: Path) -> None:
    a = read_article(seeds / "000_0c7c719d9a70dd46.txt")
    assert isinstance(a, Article)
    assert a.published == datetime(2022, 1, 8, 5, 3, tzinfo=UTC)
    assert a.published.tzinfo is not None
    assert (a.provider, a.domain) == ("Armstrong Economics", "armstrongeconomics.com")
    assert a.topics == ("Computer Vision", "AI")
    assert (a.quality, a.heat) == (59, 69)
    assert a.web_url.startswith("https://www.armstrongeconomics.com/world-news/")
    assert a.amp_url.endswith("?amp")
    assert a.original_url == a.web_url
    assert [i.width for i in a.images] == [500]
    assert [r.title for r in a.related] == ["Tag: Artificial Intelligence Technology Solutions, Inc."]
    assert a.related[0].provider == "Security Systems News"
    assert "secured" in a.meta and "secured:" in a.raw_front_matter
    assert a.body == ""


def test_seed_002_heat_minus_one_is_no_value_and_excerpt_keeps_quotes(seeds: Path) -> None:
    a = read_article(seeds / "002_37935ac11491d3da.txt")
    assert isinstance(a, Article)
    assert a.heat is None
    assert 'spots "undesirable" behavior' in a.excerpt
    assert len(a.related) == 2


def test_plain_text_seed(seeds: Path) -> None:
    a = read_article(seeds / "001_0e5bac529f854688.txt")
    assert isinstance(a, Article)
    assert a.is_plain_text
    assert a.published is None and a.provider == "" and a.related == ()
    assert a.body.startswith("A man watches as a visitor")
    assert "Report: Japan" not in a.body


def test_seed_collection_newest_first_undated_last(seeds: Path) -> None:
    c = Collection.load([seeds])
    assert len(c) == 5 and c.issues == []
    titles = [c.entries[i].title for i in c.order("date")]
    assert titles[0] == SEED_TITLES["004_bab4575553efcfb1.txt"]
    assert titles[-1] == SEED_TITLES["001_0e5bac529f854688.txt"]


@pytest.mark.parametrize("sort", ["date", "title", "provider", "quality", "heat"])
def test_every_sort_orders_every_article(seeds: Path, sort: str) -> None:
    c = Collection.load([seeds])
    assert sorted(c.order(sort)) == list(range(5))


def test_sort_by_quality_highest_first(seeds: Path) -> None:
    c = Collection.load([seeds])
    qualities = [c.entries[i].quality for i in c.order("quality")]
    assert qualities == [86, 68, 59, 51, None]


def test_quality_as_string_reads_as_number() -> None:
    a = parse_bytes("x.md", b'---\ntitle: T\nquality: "59"\nheat: " 7 "\n---\n')
    assert isinstance(a, Article)
    assert (a.quality, a.heat) == (59, 7)


@pytest.mark.parametrize(
    "value",
    ["2022-13-45T99:00:00Z", "yesterday", 12345, None, [1], {"a": 1}, "", "2022-02-30"],
)
def test_bad_dates_give_none_not_a_crash(value: object) -> None:
    assert as_datetime(value) is None


def test_impossible_date_in_a_file_costs_only_the_date() -> None:
    a = parse_bytes("x.md", b"---\ntitle: Still here\npublishedDateTime: 2022-13-45T99:00:00Z\n---\nBody\n")
    assert isinstance(a, Article)
    assert a.title == "Still here" and a.published is None


def test_dates_without_zone_are_utc_and_date_only_works() -> None:
    assert as_datetime("2022-01-08T05:03:00").tzinfo is not None
    assert as_datetime("2022-01-08") == datetime(2022, 1, 8, tzinfo=UTC)
    assert as_int("high") is None and as_int(True) is None and as_int(3.7) == 3


def test_wrong_types_in_every_field_never_raise() -> None:
    raw = b"---\ntitle: 12345\ntopics: AI\nprovider: x\nrelated: {title: R, webUrl: 'https://r.example/a'}\nimages: 7\nquality: high\n---\n"
    a = parse_bytes("x.md", raw)
    assert isinstance(a, Article)
    assert a.title == "12345"
    assert a.topics == ("AI",)
    assert a.provider == "x"
    assert [r.title for r in a.related] == ["R"]
    assert a.images == () and a.quality is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty file"),
        (b"---\ntitle: [unclosed\n---\n", "not valid YAML"),
        (b"---\ntitle: x\n", "never closed"),
        (b"---\n- a\n- b\n---\n", "not a mapping"),
        (b"\x00\x01\x02binary", "binary"),
        (b"---\n!!python/object/apply:os.system ['echo hi']\n---\n", "not valid YAML"),
    ],
)
def test_broken_files_become_issues_with_a_reason(raw: bytes, reason: str) -> None:
    result = parse_bytes("bad.md", raw)
    assert isinstance(result, LoadIssue)
    assert reason in result.reason
    assert "\n" not in result.reason


def test_undecodable_bytes_are_replaced_and_flagged() -> None:
    a = parse_bytes("latin1.md", "---\ntitle: Café crème\n---\nBody\n".encode("latin-1"))
    assert isinstance(a, Article)
    assert a.decode_replaced and "Caf" in a.title and "\ufffd" in a.title


def test_bom_and_crlf() -> None:
    a = parse_bytes("bom.md", b"\xef\xbb\xbf---\r\ntitle: BOM\r\n---\r\nLine\r\n")
    assert isinstance(a, Article)
    assert a.title == "BOM" and a.body == "Line\n"


def test_a_broken_file_never_stops_the_others(tmp_path: Path, seeds: Path) -> None:
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\nHi\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    hidden = tmp_path / ".git"
    hidden.mkdir()
    (hidden / "x.md").write_text("---\ntitle: Hidden\n---\n", encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    (sub / "plain.txt").write_text("\n\nPlain title\nbody\n", encoding="utf-8")
    c = Collection.load([tmp_path])
    assert sorted(e.title for e in c.entries) == ["Good", "Plain title"]
    assert [(Path(i.path).name, "YAML" in i.reason) for i in c.issues] == [("bad.md", True)]


def test_symlink_loops_and_dangling_links(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    issues: list[LoadIssue] = []
    files = list(iter_files([tmp_path], issues))
    assert [Path(f).name for f in files] == ["a.md"]
    assert [Path(i.path).name for i in issues] == ["gone.md"]


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="no such file or folder"):
        check_paths([tmp_path / "nope"])


def test_no_path_means_the_bundled_seeds() -> None:
    c = Collection.load([])
    assert sorted(Path(e.path).name for e in c.entries) == sorted(SEED_TITLES)


def test_display_path_is_relative_to_the_collection(seeds: Path) -> None:
    assert display_path(str(seeds / "a.txt"), [seeds]) == "seeds/a.txt"
    assert display_path("/elsewhere/b.md", [seeds]) == "/elsewhere/b.md"


def test_related_resolves_by_url_then_title_from_the_same_site(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: A\nwebUrl: https://www.example.com/story/\nrelated:\n"
        "  - {title: Other title, webUrl: 'http://example.com/story/amp/'}\n"
        "  - {title: The B story, webUrl: 'https://www.b.example/old-address'}\n"
        "  - {title: The B story, webUrl: 'https://elsewhere.example/b'}\n"
        "  - {title: The B story}\n"
        "  - {title: Not here, webUrl: 'https://nowhere.example/x'}\n---\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("---\ntitle: The B Story\nwebUrl: https://b.example/\n---\n", encoding="utf-8")
    c = Collection.load([tmp_path])
    a = read_article(tmp_path / "a.md")
    assert isinstance(a, Article)
    resolved = [c.resolve(r) for r in a.related]
    # The same title from another site is another outlet's article, not b.md;
    # an entry that names no site at all is matched by title alone.
    assert [e.title if e else None for e in resolved] == ["A", "The B Story", None, "The B Story", None]
