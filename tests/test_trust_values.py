"""Values that must cost a field or a row, never a crash (issue 14).

File names that are not UTF-8, dates at the ends of the calendar in any
time zone, numbers of thousands of digits, stored rows of the wrong type,
settings naming users that do not exist, imported lone surrogates, bodies
that are costly Markdown: each class is generated, and goes through the
loader, the stores, the command line and the reader.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core import exchange
from tui.core.bookmarks import Bookmark, BookmarkStore, Position, collection_id, entry_key
from tui.core.collection import Collection, PathError, check_paths
from tui.core.loader import parse_text, read_article
from tui.core.model import Article

from .helpers import local_zone

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


# -- file names that are not UTF-8 ----------------------------------------------------------------
name_bytes = st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(raw=name_bytes, titled=st.booleans())
def test_a_name_that_is_not_utf8_loads_bookmarks_and_keeps_its_place(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, titled: bool
) -> None:
    folder = tmp_path_factory.mktemp("names")
    name = os.fsdecode(b"bad" + raw + b"\xff\xfe.md")
    text = "---\ntitle: A titled one\n---\n" if titled else "---\nprovider: {name: Untitled}\n---\n"
    (folder / name).write_text(text, encoding="utf-8")
    collection = Collection.load([folder], use_cache=False)
    (entry,) = collection.entries
    key = entry_key(entry)
    key.encode("utf-8")  # a key is storable text
    with BookmarkStore(folder.parent / f"{folder.name}.sqlite3") as store:
        mark = Bookmark.from_entry(entry)
        assert store.toggle(mark)
        (stored,) = store.all()
        assert stored.path == os.path.abspath(entry.path)  # the same file, byte for byte
        assert read_article(stored.path).title == entry.title
        where = collection_id([folder])
        store.save_position(where, Position(key, entry.path, 3.0))
        assert store.position(where) == Position(key, entry.path, 3.0)
        store.relink({key: os.path.abspath(entry.path)})
        store.set_read([key])
        assert store.is_read(key)
        assert not store.toggle(mark)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
async def test_the_reader_opens_bookmarks_and_leaves_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    from .driver import reader

    for raw in (b"bad\xff\xfe.md", b"other\xff.md"):
        (tmp_path / os.fsdecode(raw)).write_text("---\nprovider: {name: P}\n---\nBody\n", encoding="utf-8")
    async with reader([tmp_path]) as (app, pilot, r):
        assert len(r.rows) == 2
        await pilot.press("j", "k", "b")
        await r.wait_for(lambda: len(r.bookmarked) == 1, "the bookmark")
        r.main.save_state(final=True)
        assert len(app.store.all()) == 1
        await pilot.press("q")
    assert app.return_code in (0, None)


# -- dates at the ends of the calendar, in any time zone -------------------------------------------
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
edges = st.sampled_from(
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999+00:00",
        "0001-01-02T05:00:00+05:00",
        "9999-12-30T20:00:00-04:00",
        "1970-01-01T00:00:00Z",
    ]
)
any_date = edges | st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz).isoformat(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    offsets | st.timezones(),
)
ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Asia/Kathmandu"]


def _every_date_use(dt: datetime | None) -> None:
    """What the list, the detail pane, the bookmarks view and the settings do with a date."""
    from tui.core.settings import DEFAULT_DETAIL_DATE_FORMAT, format_date
    from tui.ui.widgets.article_text import local_time

    if dt is None:
        return
    dt.astimezone()
    dt.astimezone(UTC)
    datetime.fromtimestamp(dt.timestamp()).astimezone()
    local_time(dt)
    format_date(dt, DEFAULT_DETAIL_DATE_FORMAT)
    dt.astimezone().strftime("%a %d %b %Y")


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(date=any_date, zone=st.sampled_from(ZONES))
def test_any_date_in_any_zone_is_shown_sorted_and_listed(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], date: str, zone: str
) -> None:
    with local_zone(zone):
        text = f"---\ntitle: Dated\npublishedDateTime: {date}\nrelated:\n  - title: R\n    publishedDateTime: {date}\n---\n"
        article = parse_text("x.md", text)
        assert isinstance(article, Article)
        entry = article.to_entry()
        json.dumps(article.to_json(), default=str)
        _every_date_use(article.published)
        _every_date_use(entry.published)
        _every_date_use(article.related[0].published)
        assert entry.date_text == (entry.published.strftime("%Y-%m-%d") if entry.published else "")
        folder = tmp_path_factory.mktemp("dated")
        (folder / "a.md").write_text(text, encoding="utf-8")
        (folder / "b.md").write_text("---\ntitle: Other\npublishedDateTime: 2020-01-01T00:00:00Z\n---\n", encoding="utf-8")
        for sort in ("date", "title", "provider", "quality", "heat"):
            Collection.load([folder], use_cache=False).order(sort)
        assert main(["list", str(folder), "--json"]) == 0
        assert len(json.loads(capsys.readouterr().out)) == 2


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURES)
@given(added=any_date, published=any_date, zone=st.sampled_from(ZONES))
def test_imported_dates_at_the_edges_never_crash_the_store_or_the_views(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], added: str, published: str, zone: str
) -> None:
    with local_zone(zone):
        marks = [{"title": "Edge", "url": "https://example.com/edge", "added_at": added, "published": published}]
        path = tmp_path_factory.mktemp("import") / "marks.json"
        path.write_text(json.dumps(marks), encoding="utf-8")
        assert main(["bookmarks", "import", str(path)]) == 0
        for argv in (["bookmarks", "list"], ["bookmarks", "list", "--json"], *(["bookmarks", "export", "--format", f] for f in exchange.FORMATS)):
            assert main(argv) == 0
        capsys.readouterr()
        with BookmarkStore() as store:
            for b in store.all():
                _every_date_use(b.added_at)
                _every_date_use(b.published)


# -- numbers Python will not read --------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    digits=st.integers(min_value=4301, max_value=8000),
    field=st.sampled_from(["quality", "heat", "title", "webUrl", "publishedDateTime"]),
    form=st.sampled_from(["{n}", "-{n}", "0x{n}", "{n}.5", "[{n}]", "{{v: {n}}}"]),
)
def test_a_number_of_thousands_of_digits_costs_only_its_field(digits: int, field: str, form: str) -> None:
    number = form.format(n="7" * digits)
    for text in (
        f"---\ntitle: Still here\nprovider: {{name: P}}\n{field}: {number}\n---\nBody\n"
        if field != "title"
        else f"---\nprovider: {{name: P}}\ntitle: {number}\n---\nBody\n",
        f"---\n? {number if form[0] not in '[{' else 7}\n: key\ntitle: Still here\nprovider: {{name: P}}\n---\n",  # (a long key must be explicit)
    ):
        article = parse_text("x.md", text)
        assert isinstance(article, Article), getattr(article, "reason", "")
        assert article.provider == "P"
        entry = article.to_entry()
        assert entry.quality is None or abs(entry.quality) < 2**63
        json.dumps(article.to_json(), default=str)
        str(entry)
    if form in ("{n}", "-{n}"):
        title = "" if field == "title" else 'title = "Still here"\n'
        toml = f"+++\n{title}{field} = {number}\n+++\nBody\n"
        article = parse_text("x.md", toml)
        assert isinstance(article, Article) and article.quality is None, getattr(article, "reason", "")


# -- stored rows of the wrong type -------------------------------------------------------------------
stored_values = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=True),  # (SQLite stores NaN as NULL)
    st.text(max_size=20),
    st.binary(max_size=20),
    st.sampled_from(["notafloat", "[1, 2", '{"a": 1}', "[1, null, {}]", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]),
)
COLUMNS = ("title", "url", "provider", "published", "path", "added_at", "tags", "note", "external")


@settings(max_examples=80, deadline=None, suppress_health_check=FIXTURES)
@given(row=st.fixed_dictionaries({c: stored_values for c in COLUMNS}), key=stored_values, scroll=stored_values)
def test_rows_of_the_wrong_type_are_read_tolerantly(
    capsys: pytest.CaptureFixture[str], row: dict[str, object], key: object, scroll: object
) -> None:
    with BookmarkStore() as store:
        path = store.path
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM bookmarks")
    conn.execute("DELETE FROM positions")
    conn.execute(f"INSERT INTO bookmarks (key, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})", (key, *row.values()))
    conn.execute("INSERT INTO positions VALUES (?, ?, ?, ?, ?)", ("c", key, row["path"], scroll, "x"))
    conn.close()
    with BookmarkStore() as store:
        (mark,) = store.all()
        assert isinstance(mark.title, str) and isinstance(mark.note, str) and all(isinstance(t, str) for t in mark.tags)
        assert mark.path is None or isinstance(mark.path, str)
        position = store.position("c")
        assert position is not None and isinstance(position.scroll, float) and position.scroll == position.scroll
        store.tags()
    for argv in (["bookmarks", "list"], ["bookmarks", "list", "--json"], *(["bookmarks", "export", "--format", f] for f in exchange.FORMATS)):
        assert main(argv) == 0, argv
    capsys.readouterr()


async def test_the_reader_starts_on_a_position_of_the_wrong_type(seeds: Path) -> None:
    from .driver import reader

    with BookmarkStore() as store:
        path = store.path
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO positions VALUES (?, ?, ?, ?, ?)", (collection_id([seeds]), 42, b"\xff", "notafloat", "x"))
    conn.execute("INSERT INTO bookmarks (key, title, added_at, tags, external) VALUES (?, ?, ?, ?, ?)", (7, 8, 9, "{", "x"))
    conn.close()
    async with reader([seeds]) as (app, pilot, r):
        assert len(r.rows) == 5
        await pilot.press("B")
        await r.settle()
        assert app.is_running


# -- settings naming a user that does not exist -------------------------------------------------------
def _no_such_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return True
    return False


@pytest.mark.skipif(os.name != "posix", reason="~user is POSIX")
@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES)
@given(user=st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12), rest=st.sampled_from(["", "/x", "/news/"]))
def test_a_path_naming_a_user_that_does_not_exist_is_one_line(capsys: pytest.CaptureFixture[str], user: str, rest: str) -> None:
    from tui.core import settings as settings_module

    assume(_no_such_user(user))
    raw = f"~{user}{rest}"
    loaded, problems = settings_module.parse(f"paths = [{json.dumps(raw)}]")
    assert loaded.paths == () and len(problems) == 1 and "does not exist" in problems[0]
    with pytest.raises(PathError):
        check_paths([raw])
    assert main(["list", raw]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


@pytest.mark.skipif(os.name != "posix", reason="~user is POSIX")
def test_settings_paths_naming_no_user_leave_the_seeds_for_list_search_and_the_reader(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.core import locations
    from tui.core import settings as settings_module

    settings_file = locations.settings_file()
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text('paths = ["~nosuchuser/x"]\n', encoding="utf-8")
    for argv in (["list"], ["search", "facial"]):
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert out and err.count("\n") == 1 and "~nosuchuser/x" in err
    loaded, problems = settings_module.load()
    assert loaded.paths == () and len(problems) == 1


# -- imported lone surrogates ------------------------------------------------------------------------
surrogated = st.lists(st.sampled_from(["\ud800", "\udfff", "\udcff", "a", " ", "é"]) | st.text(max_size=4), max_size=6).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(title=surrogated, provider=surrogated, note=surrogated, tag=surrogated, key=surrogated, path=surrogated)
def test_imported_lone_surrogates_are_replaced_not_a_crash(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], **fields: str
) -> None:
    mark = {
        "title": fields["title"] or "t",
        "url": "https://example.com/" + fields["title"],
        "provider": fields["provider"],
        "note": fields["note"],
        "tags": [fields["tag"]],
        "key": fields["key"],
        "path": "/x/" + fields["path"],
    }
    file = tmp_path_factory.mktemp("surrogates") / "marks.json"
    file.write_text(json.dumps([mark, {"title": fields["title"] or "u", "path": "/y/" + fields["path"]}]), encoding="utf-8")
    assert main(["bookmarks", "import", str(file)]) == 0
    for argv in (["bookmarks", "list", "--json"], *(["bookmarks", "export", "--format", f] for f in exchange.FORMATS)):
        assert main(argv) == 0
        out = capsys.readouterr().out
        out.encode("utf-8")
    with BookmarkStore() as store:
        for b in store.all():
            for text in (b.title, b.provider, b.note, *b.tags):
                assert "\ud800" not in text and "\udfff" not in text


# -- bodies that are costly Markdown -------------------------------------------------------------------
def test_ordinary_bodies_stay_markdown(seeds: Path) -> None:
    from fixtures.collection import generate
    from tui.core.markdown_budget import plain_text_reason
    from tui.ui.widgets.detail import split_chunks

    bodies = [read_article(p) for p in sorted(seeds.iterdir())]
    bodies += [read_article(p) for p in generate(Path(os.environ["XDG_DATA_HOME"]) / "gen", 60)]
    links = "\n".join(f"- [Story number {i}](https://example.com/{i}) by *someone* _here_" for i in range(2000))
    for body in [b.body for b in bodies if isinstance(b, Article)] + [links]:
        assert plain_text_reason(split_chunks(body)) == ""


@settings(max_examples=60, deadline=None)
@given(
    unit=st.lists(st.sampled_from(["![", "[", "[[", "*", "_", "*_", "[a](", "<", "&#", "]", "`", "x", " ", "\n"]), min_size=1, max_size=4).map("".join),
    size=st.integers(min_value=40_000, max_value=260_000),
)
def test_a_costly_body_is_shown_as_plain_text_before_anything_slow_runs(unit: str, size: int) -> None:
    from tui.core.markdown_budget import CHUNK_BUDGET_MS, markdown_cost_ms, plain_text_reason
    from tui.ui.widgets.detail import split_chunks

    body = (unit * (size // len(unit) + 1))[:size]
    chunks = split_chunks(body)
    reason = plain_text_reason(chunks)
    assert reason == "" or "\n" not in reason
    if reason == "":
        assert all(markdown_cost_ms(chunk) <= CHUNK_BUDGET_MS for chunk in chunks)
    costly = sum(body.count(c) for c in "[*_") > len(body) / 4
    if costly:
        assert reason


@pytest.mark.parametrize("unit,count", [("![", 120_000), ("[", 250_000)])
async def test_opening_a_costly_markdown_body_shows_it_as_plain_text_with_a_note(tmp_path: Path, unit: str, count: int) -> None:
    from rich.text import Text

    from .driver import reader

    (tmp_path / "costly.md").write_text(f"---\ntitle: Costly\n---\n{unit * count}\n", encoding="utf-8")
    async with reader([tmp_path]) as (app, pilot, r):
        await r.wait_article("Costly", timeout=10)
        assert "Shown as plain text" in r.block("part")
        assert all(isinstance(block.renderable, Text) for block in r.main.panes.detail._body)
        await pilot.press("q")


# -- rescanning ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cache", ["usable", "unusable"])
async def test_R_after_many_changed_files_reads_them_all_again_and_keeps_the_reader_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """120 of 200 files touched: more than one batch of the index update
    (build.SMALL_CHUNK files each), so the rescan shows partial collections
    while it reads, and moving through them must work (a graph built for the
    collection before the rescan gave an IndexError in MainScreen._sections).
    The real parser is slowed a little so the partial collections surely
    show, as on a large or slow collection. With an unusable cache folder
    the index is rebuilt in a temporary folder at each R: the same holds."""
    from fixtures.collection import generate
    from tui.core.catalog import build
    from tui.core.catalog import rows as catalog_rows

    from .driver import reader

    if cache == "unusable":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the cache folder should be", encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    files = generate(tmp_path / "c", 200)
    async with reader([tmp_path / "c"]) as (app, pilot, r):
        main = r.main
        await r.wait_graph()
        assert build.SMALL_CHUNK < 120  # several batches
        parse_numbered = catalog_rows.parse_numbered

        def slowly(items: list) -> tuple:  # noqa: ANN202
            time.sleep(0.3)
            return parse_numbered(items)

        partial_sizes: list[int] = []
        show_partial = main._partial

        def partial(collection: Collection, done: int, total: int, first_screen: bool = False) -> None:
            partial_sizes.append(len(collection.entries))
            show_partial(collection, done, total, first_screen)

        monkeypatch.setattr(catalog_rows, "parse_numbered", slowly)
        monkeypatch.setattr(main, "_partial", partial)
        later = time.time_ns() + 10**9
        for f in files[:120]:
            os.utime(f, ns=(later, later))
        await pilot.press("R")
        for _ in range(400):
            await pilot.press("j")
            await pilot.pause(0.05)
            if any(m.startswith("0 new,") for m in r.messages) and main.session.graph is not None:
                break
        assert any(size < 200 for size in partial_sizes), partial_sizes  # the cursor moved through partial collections
        (rescanned,) = [m for m in r.messages if m.startswith("0 new,")]
        read_again = int(rescanned.split(", ")[1].split()[0].replace(",", ""))
        assert read_again == 120 if cache == "usable" else read_again == 200, rescanned
        assert app.is_running and len(r.entries) == 200
        assert sorted(e.path for e in r.entries) == sorted(str(f) for f in files)


async def test_an_unusable_cache_folder_is_said_once_and_R_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_copy: Path
) -> None:
    from .driver import reader

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    async with reader([seed_copy]) as (app, pilot, r):
        for _ in range(3):
            await pilot.press("R")
            await r.settle()
            await r.wait_graph()
        assert app.is_running and len(r.rows) == 5
        said = [m for m in r.messages if "cache folder" in m]
        assert len(said) == 1 and "cannot be used" in said[0]


# -- an unexpected error in the reader ------------------------------------------------------------------
def test_an_unexpected_error_in_the_reader_exits_non_zero_and_says_where_the_report_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seeds: Path
) -> None:
    from tui.core import locations
    from tui.ui.app import ReaderApp
    from tui.ui.screens.main import MainScreen

    run = ReaderApp.run

    def headless(self: ReaderApp, **kwargs: object) -> object:
        return run(self, headless=True, size=(100, 30))

    def broken(self: MainScreen) -> None:
        raise RuntimeError("an unexpected error, made by the test")

    monkeypatch.setattr(ReaderApp, "run", headless)
    monkeypatch.setattr(MainScreen, "action_cursor_down", broken, raising=False)
    monkeypatch.setattr(MainScreen, "on_mount", lambda self: broken(self))
    assert main([str(seeds)]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "unexpected error" in lines[0], err
    logs = list(locations.log_dir().glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    report = logs[0].read_text(encoding="utf-8")
    assert "an unexpected error, made by the test" in report and "RuntimeError" in report


async def test_a_date_outside_what_can_be_shown_is_shown_as_written(tmp_path: Path) -> None:
    from tests.driver import reader

    (tmp_path / "edge.md").write_text("---\ntitle: The Last Second\npublishedDateTime: 9999-12-31T23:59:59-14:00\n---\nBody.\n", encoding="utf-8")
    async with reader([tmp_path]) as (app, pilot, r):
        await r.wait_article("The Last Second")
        assert "9999-12-31T23:59:59-14:00 (as written" in r.header
