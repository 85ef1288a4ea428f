"""No lost write (issue 14): bookmark and view writes from many real
processes at once, a reader acting on a stale copy, settings behind a
symbolic link, and `bookmarks export -o FILE`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core import settings as settings_file
from tui.core.bookmarks import Bookmark, BookmarkStore, normalize_tags
from tui.core.queries import QueryStore, View

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_0c7c719d9a70dd46.txt"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
tag_texts = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(lambda t: normalize_tags(t))
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _run_at_once(argvs: list[list[str]], home: Path) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any (real, separate processes)."""
    env = dict(os.environ, TUI_READER_HOME=str(home), PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT) for argv in argvs
    ]
    done = []
    for argv, proc in zip(argvs, procs, strict=True):
        out, err = proc.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(argv, proc.returncode, out, err))
    return done


def mark(key: str = "url:example.com/a", **kw: object) -> Bookmark:
    fields: dict[str, object] = dict(
        key=key, title="A", url="https://example.com/a", provider="P", published=T0, path="/news/a.md", added_at=T0
    )
    fields.update(kw)
    return Bookmark(**fields)  # type: ignore[arg-type]


# -- 1. concurrent bookmark writes -----------------------------------------------------------


def test_twenty_processes_adding_tags_at_once_keep_every_tag(tmp_path: Path) -> None:
    """The bug: 20 concurrent `bookmarks add P --tags tN` all said yes and 1-4 tags survived."""
    argvs = [[sys.executable, "-m", "tui.cli", "bookmarks", "add", str(SEED), "--tags", f"t{i}"] for i in range(20)]
    argvs[7] += ["--note", "from seven"]
    results = _run_at_once(argvs, tmp_path)
    assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results if r.returncode]
    with BookmarkStore(tmp_path / "data" / "bookmarks.sqlite3") as store:
        (b,) = store.all()
    assert set(b.tags) == {f"t{i}" for i in range(20)} and b.note == "from seven"


def _tagger(path: str, tags: list[str], toggles: bool) -> None:
    """Child: add tags one by one; or toggle the bookmark off and restore it
    (the reader's b then u) as fast as it can."""
    store = BookmarkStore(Path(path))
    for tag in tags:
        if toggles:
            done = store.toggle(mark())
            if not done:
                store.restore(done.removed)  # type: ignore[arg-type]
        else:
            store.add(mark(tags=(tag,)))
    store.close()


def test_tags_added_while_another_process_toggles_and_undoes_all_survive(tmp_path: Path) -> None:
    import multiprocessing

    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path) as store:
        store.add(mark())
    ctx = multiprocessing.get_context("spawn")
    work = [([f"p{p}-{i}" for i in range(40)], False) for p in range(3)] + [(["x"] * 60, True)]
    procs = [ctx.Process(target=_tagger, args=(str(path), tags, toggles)) for tags, toggles in work]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    with BookmarkStore(path) as store:
        b = store.get(mark().key)
        if b is None:  # the toggler's last step removed it: its restore put it back, so never
            pytest.fail("the bookmark was lost")
    assert set(b.tags) == {f"p{p}-{i}" for p in range(3) for i in range(40)}


@FEW
@given(batches=st.lists(st.lists(tag_texts, min_size=1, max_size=6), min_size=2, max_size=4))
def test_writers_at_once_keep_the_union_of_their_tags(batches: list[list[str]], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each writer is its own store (its own connection, as another process
    would be), all writing at once from threads."""
    path = tmp_path_factory.mktemp("w") / "b.sqlite3"
    stores = [BookmarkStore(path) for _ in batches]
    barrier = threading.Barrier(len(batches))

    def write(store: BookmarkStore, tags: list[str]) -> None:
        barrier.wait()
        for tag in tags:
            store.add(mark(tags=(tag,)))

    threads = [threading.Thread(target=write, args=(s, tags)) for s, tags in zip(stores, batches, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = stores[0].get(mark().key)
    for s in stores:
        s.close()
    assert got is not None
    assert {t.casefold() for t in got.tags} == {t.casefold() for batch in batches for t in normalize_tags(batch)}


# -- 2. a stale copy in the reader -------------------------------------------------------------


def test_toggling_a_stale_copy_says_what_it_removed_and_restore_puts_it_back(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    reader, cli = BookmarkStore(path), BookmarkStore(path)
    reader.add(mark())
    seen = reader.get(mark().key)  # what the reader shows: no tags, no note
    cli.add(mark(tags=("ai", "policy")), replace_note=False)
    cli.add(mark(note="read twice"))
    done = reader.toggle(seen)  # type: ignore[arg-type]
    assert not done and done.removed is not None
    assert done.removed.tags == ("ai", "policy") and done.removed.note == "read twice"
    assert done.lost == "2 tags and a note"
    cli.add(mark(tags=("later",)))  # bookmarked again elsewhere before the undo
    back = reader.restore(done.removed)
    assert back.tags == ("later", "ai", "policy") and back.note == "read twice"
    assert cli.get(mark().key) == back and reader.toggle(mark(key="url:new")).bookmarked


def test_the_tags_dialog_merges_with_what_another_process_wrote(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    reader, cli = BookmarkStore(path), BookmarkStore(path)
    reader.add(mark(tags=("old", "gone")))
    base = reader.get(mark().key)
    assert base is not None
    cli.add(mark(tags=("cli",), note="from the cli"))  # while the dialog is open
    saved = reader.update_details(base, "old, mine", base.note)  # the user removed "gone", added "mine"
    assert not saved.conflict and not saved.created
    assert saved.bookmark.tags == ("old", "cli", "mine") and saved.bookmark.note == "from the cli"
    assert cli.get(mark().key) == saved.bookmark
    # Both changed the note: nothing is written, the stored one is returned.
    cli.add(mark(note="cli again"), replace_note=True)
    clash = reader.update_details(saved.bookmark, "old", "my note")
    assert clash.conflict and clash.bookmark.note == "cli again" and clash.bookmark.tags == ("old", "cli", "mine")
    assert cli.get(mark().key) == clash.bookmark
    # Removed elsewhere meanwhile: saving the dialog bookmarks it again, and says so.
    cli.remove(mark().key)
    again = reader.update_details(clash.bookmark, "t", "n")
    assert again.created and again.bookmark.tags == ("t",) and again.bookmark.note == "n"


notes = st.sampled_from(["", "a", "b", "c"])
tag_sets = st.lists(st.sampled_from(["x", "y", "z", "w", "X"]), max_size=4).map(normalize_tags)


@settings(max_examples=300, deadline=None)
@given(base_tags=tag_sets, base_note=notes, their_tags=tag_sets, their_note=notes, my_tags=tag_sets, my_note=notes)
def test_the_three_way_merge_never_loses_a_change(
    base_tags: tuple[str, ...],
    base_note: str,
    their_tags: tuple[str, ...],
    their_note: str,
    my_tags: tuple[str, ...],
    my_note: str,
) -> None:
    with tempfile.TemporaryDirectory() as folder, BookmarkStore(Path(folder) / "b.sqlite3") as store:
        base = mark(tags=base_tags, note=base_note)
        store.merge([base])
        store.set_details(base, their_tags, their_note)  # "theirs": another process, meanwhile
        theirs = store.get(base.key)
        saved = store.update_details(base, my_tags, my_note)
        stored = store.get(base.key)
    assert stored == saved.bookmark
    fold = lambda tags: {t.casefold() for t in tags}  # noqa: E731
    if their_note not in (base_note, my_note) and my_note != base_note:
        assert saved.conflict and stored == theirs  # both changed the note: nothing written
        return
    assert not saved.conflict
    assert stored.note == (their_note if my_note == base_note else my_note)
    if fold(their_tags) == fold(base_tags):
        assert stored.tags == my_tags  # nobody else touched them: exactly the edit
    else:
        assert fold(my_tags) <= fold(stored.tags)  # every tag the edit has
        assert fold(their_tags) - (fold(base_tags) - fold(my_tags)) <= fold(stored.tags)  # theirs, unless the edit removed it
        assert not (fold(base_tags) - fold(my_tags)) & fold(stored.tags)  # what the edit removed is gone


# -- 3. saved views and recent queries ----------------------------------------------------------


def test_twenty_processes_saving_views_at_once_keep_all_twenty(tmp_path: Path) -> None:
    """The bug: queries.json was read-modified-written without a lock: 6 of 20 kept."""
    code = "import sys; from tui.core.queries import QueryStore; s = QueryStore(); s.save_view(sys.argv[1], 'q ' + sys.argv[1]); s.add_recent(sys.argv[1])"
    results = _run_at_once([[sys.executable, "-c", code, f"view {i}"] for i in range(20)], tmp_path)
    assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results if r.returncode]
    look = "import json; from tui.core.queries import QueryStore; s = QueryStore(); print(json.dumps([[v.name for v in s.views], s.recent]))"
    (after,) = _run_at_once([[sys.executable, "-c", look]], tmp_path)
    views, recent = json.loads(after.stdout)
    assert sorted(views) == sorted(f"view {i}" for i in range(20)) and sorted(recent) == sorted(views)


@FEW
@given(
    names=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(str.strip),
        min_size=2,
        max_size=8,
        unique_by=lambda n: " ".join(n.split()),
    )
)
def test_views_saved_at_once_by_many_stores_are_all_kept(names: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("v") / "q.sqlite3"
    stores = [QueryStore(path) for _ in names]
    barrier = threading.Barrier(len(names))
    saved: list[View] = []

    def save(store: QueryStore, name: str) -> None:
        barrier.wait()
        saved.append(store.save_view(name, name))

    threads = [threading.Thread(target=save, args=(s, n)) for s, n in zip(stores, names, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v.name for v in stores[0].views) == sorted(v.name for v in saved if v.name)
    for s in stores:
        s.close()


# -- 4. settings behind a symbolic link ---------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    theme=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip), depth=st.integers(1, 4)
)
def test_choosing_a_theme_writes_through_a_chain_of_links(
    theme: str, depth: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("cfg")
    (folder / "dotfiles").mkdir()
    target = folder / "dotfiles" / "settings.toml"
    target.write_text('# mine\nsort = "title"\n', encoding="utf-8")
    target.chmod(0o600)
    link = target
    for i in range(depth):  # settings.toml -> link-1 -> ... -> dotfiles/settings.toml
        nxt = folder / ("settings.toml" if i == depth - 1 else f"link-{i}")
        nxt.symlink_to(os.path.relpath(link, folder))
        link = nxt
    try:
        settings_file.remember_theme(theme, link)
    except settings_file.SettingsError:
        return  # a name the edit cannot write safely is refused (and nothing written)
    assert link.is_symlink() and os.readlink(link) == (f"link-{depth - 2}" if depth > 1 else "dotfiles/settings.toml")
    loaded, problems = settings_file.load(link)
    assert loaded.theme == theme.strip() and loaded.sort == "title" and not problems
    assert target.read_text(encoding="utf-8").startswith("# mine\n") and target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in (folder / "dotfiles").iterdir()) == ["settings.toml"]  # no temporary left


def test_a_dangling_or_looping_settings_link_is_said_and_not_written(tmp_path: Path) -> None:
    dangling = tmp_path / "settings.toml"
    dangling.symlink_to(tmp_path / "nowhere" / "settings.toml")
    for call in (lambda: settings_file.remember_theme("nord", dangling), lambda: settings_file.ensure_file(dangling)):
        with pytest.raises(settings_file.SettingsError, match="symbolic link to .*nowhere.*which does not exist"):
            call()
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "loop.toml")
    with pytest.raises(settings_file.SettingsError):
        settings_file.remember_theme("nord", loop)
    assert loop.is_symlink()


# -- 5. exports: the CLI path of the reported attack ----------------------------------------------


def test_imported_javascript_and_file_urls_never_become_links(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hostile = [
        {"title": "xss", "url": "javascript:alert(1)", "key": "k:1"},
        {"title": "local", "url": "file:///etc/passwd", "key": "k:2"},
        {"title": "md", "url": "https://x.org/a>\n# Pwned\n[x](javascript:alert(1))", "key": "k:3"},
    ]
    (tmp_path / "in.json").write_text(json.dumps(hostile), encoding="utf-8")
    assert main(["bookmarks", "import", str(tmp_path / "in.json")]) == 0
    assert main(["bookmarks", "export", "--format", "html"]) == 0
    html_out = capsys.readouterr().out
    hrefs = re.findall(r'HREF="([^"]*)"', html_out, re.IGNORECASE)
    assert hrefs == ["https://x.org/a&gt;&#10;# Pwned&#10;[x](javascript:alert(1))"]  # the only web one, escaped
    assert 'DATA-URL="javascript:alert(1)"' in html_out and 'DATA-URL="file:///etc/passwd"' in html_out
    assert main(["bookmarks", "export", "--format", "md"]) == 0
    md_out = capsys.readouterr().out
    assert "\n# Pwned" not in md_out and "URL: `javascript:alert(1)`" in md_out and "URL: `file:///etc/passwd`" in md_out


# -- 7. bookmarks export -o FILE ------------------------------------------------------------------


def test_export_to_a_file_is_atomic_and_follows_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with BookmarkStore() as store:
        store.add(mark(tags=("a",), note="n"))
    out = tmp_path / "out.json"
    assert main(["bookmarks", "export", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["bookmarks", "export"]) == 0
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out
    # Through a link: the link stays, its target gets the export.
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(real)
    assert main(["bookmarks", "export", "--format", "html", "--output", str(tmp_path / "link.html")]) == 0
    assert (tmp_path / "link.html").is_symlink() and real.read_text(encoding="utf-8").startswith("<!DOCTYPE NETSCAPE")
    # A failed write leaves the old file whole, no temporary beside it, one line, status 2.
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    before = out.read_bytes()
    assert main(["bookmarks", "export", "--format", "md", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"tui-reader: error: cannot write {out}: No space left on device\n"
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "out.json", "real.html"]


@pytest.mark.parametrize("target", ["folder", "dangling"])
def test_export_to_a_bad_place_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str) -> None:
    path = tmp_path
    if target == "dangling":
        path = tmp_path / "l.json"
        path.symlink_to(tmp_path / "missing" / "x.json")
    assert main(["bookmarks", "export", "-o", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tui-reader: error: ") and "Traceback" not in err
    assert not (tmp_path / "missing").exists()


# -- two stores in one process, beside another process ------------------------------------------
def test_a_second_store_in_the_process_never_lets_another_process_delete_the_wal(tmp_path: Path) -> None:
    """The reader opens the database twice (bookmarks and queries). Opening
    the second once read the file's header with open()/close(), which drops
    every POSIX lock of the process on it: a CLI exiting then took itself
    for the last user and deleted the WAL under the reader, and the
    reader's later writes were seen by no other process."""
    db = tmp_path / "data" / "bookmarks.sqlite3"
    reader_store = BookmarkStore(db)
    QueryStore(db).close()  # the second store of the reader
    (done,) = _run_at_once([[sys.executable, "-m", "tui.cli", "bookmarks", "add", str(SEED), "--tags", "cli"]], tmp_path)
    assert done.returncode == 0, done.stderr
    (b,) = reader_store.all()
    assert reader_store.toggle(b).removed is not None
    with BookmarkStore(db) as other:  # what any other process or a later start sees
        assert len(other) == 0
    reader_store.close()
