"""The on-disk index (tui.core.catalog): what it holds is what the files say,
it is updated rather than rebuilt, survives being killed, lets several
processes read while one writes, and moves a damaged file aside."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.collection import generate
from tests.conftest import CORPUS, ROOT, requires_corpus
from tui.core.catalog import read, schema
from tui.core.catalog.catalog import Catalog
from tui.core.catalog.rows import split, storable
from tui.core.collection import Collection
from tui.core.loader import read_article
from tui.core.model import LoadIssue


def write(path: Path, title: str, body: str = "Body") -> None:
    path.write_text(f"---\ntitle: {title}\nwebUrl: https://example.com/{title.replace(' ', '-')}\n---\n{body}\n", encoding="utf-8")


def edit_in_place(path: Path, title: str) -> None:
    """Change a file without touching its folder's time (as ``>>`` or an
    editor writing in place does)."""
    folder = path.parent.stat()
    stat = path.stat()
    write(path, title)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))


def titles(catalog: Catalog) -> set[str]:
    return {e.title for _, e in catalog.iter_order("title")}


def child(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# -- what it holds ---------------------------------------------------------------------------
def _same_as_reading_each_file(root: Path) -> None:
    catalog = Catalog.open([root], update="full")
    indexed = {e.path: e for _, e in catalog.iter_order("date")}
    issues = {i.path: i.reason for i in catalog.issues()}
    files = [p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    assert files
    for path in files:
        if not path.name.lower().endswith((".md", ".markdown", ".txt")):
            continue
        article = read_article(path, for_index=True)
        key = os.path.abspath(path)
        if isinstance(article, LoadIssue):
            assert issues.get(key) == article.reason, path
        else:
            expected = storable(article.to_entry())._replace(path=key)
            assert indexed.get(key) == expected, path


def test_the_index_holds_what_reading_each_file_gives(tmp_path: Path, seeds: Path) -> None:
    from fixtures import broken as gen_broken

    generate(tmp_path / "gen", 300, seed=4)
    gen_broken.generate(tmp_path / "broken", large=False)
    for root in (seeds, tmp_path / "gen", tmp_path / "broken"):
        _same_as_reading_each_file(root)


@requires_corpus
def test_the_index_holds_what_reading_each_file_gives_on_the_real_corpus() -> None:
    _same_as_reading_each_file(CORPUS)


def test_every_order_is_readable_by_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "STRIDE", 16)
    monkeypatch.setattr(read, "DIRECT", 32)
    generate(tmp_path / "gen", 400, seed=8)
    catalog = Catalog.open([tmp_path / "gen"])
    collection = Collection.load([tmp_path / "gen"])
    for sort in read.ORDERS:
        everything = [i for i, _ in catalog.iter_order(sort)]
        assert len(everything) == len(catalog) == len(collection.entries)
        for start in (0, 1, 15, 16, 17, 33, 200, 390, 399, 400):
            assert [i for i, _ in catalog.rows(sort, start, 7)] == everything[start : start + 7], (sort, start)
        assert [catalog.position_of(i, sort) for i in everything] == list(range(len(everything)))
    # Dates: the same order as the in-memory collection's, ties aside.
    in_memory = [collection.entries[i].ts for i in collection.order("date")]
    assert [e.ts for _, e in catalog.iter_order("date")] == in_memory


# -- updating ---------------------------------------------------------------------------------
def test_a_quick_update_sees_files_added_removed_and_renamed(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.md", f"Title {n}")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "s.md", "Deep")
    assert titles(Catalog.open([tmp_path])) == {"Title 0", "Title 1", "Title 2", "Deep"}
    write(tmp_path / "new.md", "New")
    (tmp_path / "0.md").unlink()
    (tmp_path / "1.md").rename(tmp_path / "sub" / "moved.md")
    (tmp_path / "later").mkdir()
    write(tmp_path / "later" / "l.md", "Later")
    again = Catalog.open([tmp_path], update="quick")
    assert again.stats is not None and again.stats.quick
    assert titles(again) == {"Title 1", "Title 2", "Deep", "New", "Later"}
    assert again.by_path(tmp_path / "sub" / "moved.md") is not None and again.by_path(tmp_path / "1.md") is None
    nothing = Catalog.open([tmp_path], update="quick")
    assert nothing.stats is not None and nothing.stats.parsed == 0 and nothing.stats.removed == 0


def test_an_edit_in_place_is_found_by_a_full_update_and_by_refresh(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "Old title")
    write(tmp_path / "b.md", "Other")
    Catalog.open([tmp_path])
    edit_in_place(tmp_path / "a.md", "New title")
    quick = Catalog.open([tmp_path], update="quick")
    assert "Old title" in titles(quick)  # its folder did not change: trusted
    i = quick.id_of(tmp_path / "a.md")
    assert i is not None and quick.refresh([i]) and titles(quick) == {"New title", "Other"}
    edit_in_place(tmp_path / "b.md", "Edited other")
    full = Catalog.open([tmp_path], update="full")
    assert titles(full) == {"New title", "Edited other"}
    assert full.stats is not None and full.stats.parsed == 1


def test_a_query_excluding_what_it_requires_finds_nothing_as_the_loaded_search_does(tmp_path: Path) -> None:
    from tui.core.collection import Collection

    write(tmp_path / "a.md", "Facial recognition at the expo")
    write(tmp_path / "b.md", "Recognition software unveiled")
    catalog = Catalog.open([tmp_path])
    loaded = Collection.load([tmp_path])
    from tui.core.search import SearchIndex

    index = SearchIndex(loaded.entries)
    for query, count in (("'recog !c", 0), ("'recog !facial", 1), ("'recog !expo", 1), ("'recog", 2)):
        assert len(catalog.search(query)) == len(index.search(query)) == count, query


def test_a_changed_title_changes_what_search_and_the_vocabulary_hold(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "Quokkaroo sighted downtown")
    catalog = Catalog.open([tmp_path])
    assert [h.entry.title for h in catalog.search("quokkaroo")] == ["Quokkaroo sighted downtown"]
    edit_in_place(tmp_path / "a.md", "Wombatron sighted downtown")
    catalog = Catalog.open([tmp_path], update="full")
    assert not catalog.search("quokkaroo").full
    assert [h.entry.title for h in catalog.search("wombatrn")] == ["Wombatron sighted downtown"]  # a typo
    assert catalog.conn.execute("SELECT title FROM vocab WHERE word = 'quokkaroo'").fetchone() == (0,)
    # A title's beginning is asked of the titles' own table: it follows the edit too.
    assert not catalog.search("^quokkaroo").full
    assert [h.entry.title for h in catalog.search("^wombatron")] == ["Wombatron sighted downtown"]
    _titles_table_agrees(catalog)
    (tmp_path / "a.md").unlink()
    catalog = Catalog.open([tmp_path], update="quick")
    assert len(catalog) == 0 and not catalog.search("wombatron").full
    _titles_table_agrees(catalog)


def _titles_table_agrees(catalog: Catalog) -> None:
    """The titles' own full-text table holds, word for word, what the title
    column of the full-text table holds (every insert and delete made twice)."""
    conn = catalog.conn
    for word in ("quokkaroo", "wombatron", "sighted", "downtown"):
        in_words = conn.execute("SELECT rowid FROM words WHERE words MATCH ?", (f'title: "{word}"',)).fetchall()
        in_titles = conn.execute("SELECT rowid FROM titles WHERE titles MATCH ?", (f'"{word}"',)).fetchall()
        assert in_words == in_titles, word


def test_a_file_changed_between_stat_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.catalog import rows

    write(tmp_path / "a.md", "Before")
    write(tmp_path / "b.md", "Doomed")
    original = rows.parse_file

    def racing(path: str):  # noqa: ANN202
        if path.endswith("a.md"):
            write(Path(path), "After the stat, with a longer title")  # a new size and time
        if path.endswith("b.md"):
            Path(path).unlink()  # gone between the walk and the read
        return original(path)

    monkeypatch.setattr(rows, "parse_file", racing)
    first = Catalog.open([tmp_path])
    monkeypatch.setattr(rows, "parse_file", original)
    assert titles(first) == {"After the stat, with a longer title"}
    assert [i.path for i in first.issues()] == [os.path.abspath(tmp_path / "b.md")]
    # The row was stored with the time seen before the read: the next update reads it again.
    again = Catalog.open([tmp_path], update="full")
    assert again.stats is not None and again.stats.parsed == 1 and again.stats.removed == 0
    assert titles(again) == {"After the stat, with a longer title"} and not again.issues()


# -- processes --------------------------------------------------------------------------------
BUILD = "import sys; from tui.core.catalog import build; build.update([sys.argv[1]], full=True, workers=1)"


def _count(path: Path) -> tuple[int, object]:
    try:
        conn = schema.connect(path, readonly=True)
    except sqlite3.Error:
        return 0, None
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0], schema.get_meta(conn, "state")
    except sqlite3.Error:
        return 0, None
    finally:
        conn.close()


def test_a_build_killed_midway_is_never_complete_and_is_resumed(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 3000, seed=9)
    root = tmp_path / "gen"
    path = schema.index_path([root])
    builder = child(BUILD, str(root))
    deadline = time.monotonic() + 120
    while _count(path)[0] < 200 and time.monotonic() < deadline and builder.poll() is None:
        time.sleep(0.02)
    builder.send_signal(signal.SIGKILL)
    builder.wait()
    count, state = _count(path)
    assert 0 < count < 3000, "killed too late to test a resume"
    assert state == "building"  # never served as complete
    seen = Catalog.open([root], update=None)
    assert not seen.complete and len(seen) == count
    # Every row that is there is whole: its words are in the full-text table.
    some = seen.rows("date", 0, 20)
    for i, entry in some:
        word = split(entry.title)[0]
        assert (i,) in seen.conn.execute("SELECT rowid FROM words WHERE words MATCH ?", (f'title: "{word}"',)).fetchall()
    resumed = Catalog.open([root])
    assert resumed.stats is not None and resumed.stats.unchanged == count and resumed.stats.parsed == 3000 - count
    assert resumed.complete and len(resumed) == 3000
    # And the vocabulary counted each article once, those before the kill too.
    for i, entry in some:
        assert any(h.index == i for h in resumed.search(entry.title)[:20])
    (total,) = resumed.conn.execute("SELECT sum(title) FROM vocab").fetchone()
    expected = sum(len(set(split(e.title))) for _, e in resumed.iter_order("date"))
    assert total == expected


READER = """
import sys, time
from tui.core.catalog.catalog import Catalog
root = sys.argv[1]
seen = []
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    try:
        c = Catalog.open([root], update=None)
    except Exception as exc:  # the builder has not made the file yet
        time.sleep(0.05)
        continue
    n = len(c)
    c.rows("date", max(0, n // 2), 20)
    c.search("ai")[:10]
    seen.append(n)
    c.close()
print(len(seen), min(seen), max(seen))
"""


def test_two_readers_and_a_cli_while_a_build_runs(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 3000, seed=10)
    root = str(tmp_path / "gen")
    builder = child(BUILD, root)
    readers = [child(READER, root, "6") for _ in range(2)]
    cli = subprocess.run(
        [sys.executable, "-m", "tui", "search", "ai", root, "--limit", "3"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert builder.wait(timeout=300) == 0
    for r in readers:
        out, err = r.communicate(timeout=60)
        assert r.returncode == 0, err
        polls, low, high = map(int, out.split())
        assert polls > 0 and high >= low  # read all along, never blocked
    assert cli.returncode == 0, cli.stderr
    assert "Traceback" not in cli.stderr and len(cli.stdout.splitlines()) == 3
    assert Catalog.open([root], update=None).complete


# -- damage ------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", [b"garbage" * 200, b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_damaged_index_is_moved_aside_with_one_line(tmp_path: Path, damage: bytes) -> None:
    write(tmp_path / "a.md", "A")
    Catalog.open([tmp_path]).close()
    path = schema.index_path([tmp_path])
    path.write_bytes(damage)
    again = Catalog.open([tmp_path])
    assert titles(again) == {"A"}
    assert "moved to" in again.notice and "\n" not in again.notice
    assert list(path.parent.glob(path.name + ".damaged-*"))


def test_the_cli_says_in_one_line_that_the_index_was_moved_aside(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "A")
    Catalog.open([tmp_path]).close()
    schema.index_path([tmp_path]).write_bytes(b"not an index" * 100)
    out = subprocess.run(
        [sys.executable, "-m", "tui", "list", str(tmp_path)], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True
    )
    assert out.returncode == 0 and "A" in out.stdout
    assert len(out.stderr.splitlines()) == 1 and "moved to" in out.stderr


def test_the_cli_never_imports_textual(seeds: Path) -> None:
    first = sorted(seeds.iterdir())[0]
    code = (
        "import sys, contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['list', {str(seeds)!r}]) == 0\n"
        f"    assert main(['search', 'china', {str(seeds)!r}, '--json']) == 0\n"
        f"    assert main(['show', {str(first)!r}, '--json']) == 0\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


# -- the graph --------------------------------------------------------------------------------
def test_versions_backlinks_related_and_more_like_this_are_those_of_the_in_memory_graph(tmp_path: Path) -> None:
    from tui.core.graph import Graph, more_like_this
    from tui.core.search import SearchIndex

    generate(tmp_path / "gen", 1500, seed=11)
    root = tmp_path / "gen"
    catalog = Catalog.open([root])
    collection = Collection.load([root]).prepare()
    titles = collection.title_index()
    graph = Graph.build(collection.entries, collection.ref_targets(), titles.keys if titles else None)
    index = SearchIndex(collection.entries)
    id_of = {e.path: i for i, e in catalog.iter_order("date")}
    ids = [id_of[os.path.abspath(e.path)] for e in collection.entries]  # position in the collection -> id
    place = {i: k for k, i in enumerate(ids)}
    assert graph.groups and any(graph.cited_by.values())
    for k, entry in enumerate(collection.entries):
        i = ids[k]
        assert sorted(place[j] for j in catalog.versions(i)) == sorted(graph.versions(k)), entry.title
        assert [place[j] for j in catalog.citing(i)] == graph.citing(k), entry.title
    for k in range(0, len(collection.entries), 50):
        mine = [place[j] for j in catalog.more_like_this(ids[k], limit=8)]
        assert mine == more_like_this(index, k, limit=8)
        for related in read_article(collection.entries[k].path).related:  # type: ignore[union-attr]
            expected = collection.resolve_index(related)
            found = catalog.resolve(related)
            assert (place[found] if found is not None else None) == expected, related.title
