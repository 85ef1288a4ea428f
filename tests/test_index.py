"""The index cache: reuse what is unchanged, never serve stale or corrupt data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.collection import generate
from tests.conftest import CORPUS, requires_corpus
from tui.core import index, workers
from tui.core.collection import Collection


def titles(collection: Collection) -> set[str]:
    return {e.title for e in collection.entries}


def write(path: Path, title: str) -> None:
    path.write_text(f"---\ntitle: {title}\nwebUrl: https://example.com/{title.replace(' ', '-')}\n---\nBody\n", encoding="utf-8")


def test_second_start_reads_nothing_again(seed_copy: Path) -> None:
    first = Collection.load([seed_copy])
    second = Collection.load([seed_copy])
    assert first.stats.parsed == 5 and second.stats.parsed == 0 and second.stats.cached == 5
    assert [e.title for e in first.entries] == [e.title for e in second.entries]


def test_an_edit_while_closed_shows_on_next_start(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "Old title")
    assert titles(Collection.load([tmp_path])) == {"Old title"}
    stat = (tmp_path / "a.md").stat()
    write(tmp_path / "a.md", "New title")
    # Same size and an mtime set back to the old one would fool any cache; a
    # real edit changes one of them. Make sure at least the mtime differs.
    os.utime(tmp_path / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    again = Collection.load([tmp_path])
    assert titles(again) == {"New title"} and again.stats.parsed == 1


def test_new_and_deleted_files(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "A")
    write(tmp_path / "b.md", "B")
    Collection.load([tmp_path])
    (tmp_path / "b.md").unlink()
    write(tmp_path / "c.md", "C")
    again = Collection.load([tmp_path])
    assert titles(again) == {"A", "C"}
    assert (again.stats.parsed, again.stats.removed) == (1, 1)


def test_broken_files_are_cached_as_issues_too(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    first = Collection.load([tmp_path])
    second = Collection.load([tmp_path])
    assert [i.reason for i in first.issues] == [i.reason for i in second.issues]
    assert second.stats.parsed == 0


def test_a_broken_file_repaired_is_an_article_and_no_longer_an_issue(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    write(tmp_path / "good.md", "Good")
    assert len(Collection.load([tmp_path]).issues) == 1
    write(tmp_path / "bad.md", "Repaired")
    again = Collection.load([tmp_path])
    assert titles(again) == {"Good", "Repaired"} and again.issues == []
    assert Collection.load([tmp_path]).issues == []  # and not kept in the index either


def _set_header(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + value.to_bytes(4, "big") + data[offset + 4 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"not an index at all" * 10,
        lambda data: _set_header(data, 68, 0x12345678),  # another program's database (application_id)
        lambda data: _set_header(data, 60, 999),  # another schema version (user_version)
        lambda data: b"",
    ],
)
def test_a_damaged_foreign_or_old_index_is_rebuilt(tmp_path: Path, damage) -> None:  # noqa: ANN001
    write(tmp_path / "a.md", "A")
    Collection.load([tmp_path])
    cache = index.cache_path([tmp_path])
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(damage(cache.read_bytes()))
    again = Collection.load([tmp_path])
    assert titles(again) == {"A"} and again.stats.parsed == 1
    assert titles(Collection.load([tmp_path])) == {"A"}  # and it was written afresh


def test_an_index_for_other_folders_is_not_used(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write(one / "a.md", "A")
    Collection.load([one])
    # Pretend two's index file is one's (a hash collision, or a copied cache dir).
    index.cache_path([one]).rename(index.cache_path([two]))
    write(two / "a.md", "Other")
    assert titles(Collection.load([two])) == {"Other"}


def test_cache_lives_in_the_user_cache_dir(tmp_path: Path, isolated_dirs: Path) -> None:
    write(tmp_path / "a.md", "A")
    Collection.load([tmp_path])
    assert Path(os.environ["XDG_CACHE_HOME"]) in index.cache_path([tmp_path]).parents


def test_parallel_index_matches_serial(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 1600, seed=3)
    parallel = index.build([tmp_path / "gen"], use_cache=False, workers=2)
    serial = index.build([tmp_path / "gen"], use_cache=False, workers=1)
    assert parallel.stats.workers in (1, 2)
    key = lambda e: e.path  # noqa: E731
    assert sorted(parallel.entries, key=key) == sorted(serial.entries, key=key)
    assert len(serial.entries) == 1600


def test_progress_and_batches_cover_every_file(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 300, seed=1)
    seen: list[int] = []
    progress: list[tuple[int, int]] = []
    result = index.build(
        [tmp_path / "gen"],
        batch=lambda entries, issues: seen.append(len(entries) + len(issues)),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert sum(seen) == 300 == len(result.entries) + len(result.issues)
    assert progress[-1] == (300, 300)


def test_cancelled_index_keeps_what_it_read(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 400, seed=2)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    partial = index.build([tmp_path / "gen"], cancelled=cancelled, workers=1)
    assert not partial.stats.complete and 0 < partial.stats.parsed < 400
    full = index.build([tmp_path / "gen"], workers=1)
    assert full.stats.complete and full.stats.cached == partial.stats.parsed
    assert len(full.entries) + len(full.issues) == 400


# -- the first screen: last run's first rows, shown before the index ---------------
def saved_first_screen(root: Path) -> list[str]:
    result = index.build([root])
    collection = Collection([root], result.entries, result.issues)
    rows = [collection.entries[i] for i in collection.order("date")]
    result.save_first_screen("date", rows)
    return [e.title for e in rows]


def test_first_screen_comes_back_in_display_order(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 40, seed=5)
    titles_in_order = saved_first_screen(tmp_path / "gen")
    first = index.read_first_screen([tmp_path / "gen"])
    assert first is not None and first.sort == "date" and first.total == len(titles_in_order)
    assert [e.title for e in first.entries] == titles_in_order[: len(first.entries)]


def test_first_screen_rereads_a_row_edited_while_closed(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.md", f"Title {n}")
    saved_first_screen(tmp_path)
    stat = (tmp_path / "1.md").stat()
    write(tmp_path / "1.md", "Edited title")  # in place: the folder itself does not change
    os.utime(tmp_path / "1.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    first = index.read_first_screen([tmp_path])
    assert first is not None
    assert {e.title for e in first.entries} == {"Title 0", "Edited title", "Title 2"}


def test_first_screen_is_dropped_when_files_come_or_go(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.md", f"Title {n}")
    saved_first_screen(tmp_path)
    folder = tmp_path.stat()
    write(tmp_path / "new.md", "A new story")
    os.utime(tmp_path, ns=(folder.st_atime_ns, folder.st_mtime_ns + 1_000_000))
    assert index.read_first_screen([tmp_path]) is None  # unknown files: wait for the index
    saved_first_screen(tmp_path)
    (tmp_path / "0.md").unlink()
    os.utime(tmp_path, ns=(folder.st_atime_ns, folder.st_mtime_ns + 2_000_000))
    assert index.read_first_screen([tmp_path]) is None


def test_first_screen_is_dropped_when_the_index_is_damaged(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "A")
    saved_first_screen(tmp_path)
    assert index.read_first_screen([tmp_path]) is not None
    path = index.cache_path([tmp_path])
    path.write_bytes(b"garbage" * 100)
    assert index.read_first_screen([tmp_path]) is None


def test_index_job_shows_first_screen_then_the_full_index(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 30, seed=6)
    saved_first_screen(tmp_path / "gen")
    job = index.IndexJob([tmp_path / "gen"])
    job.go()
    version, finished = -1, False
    for _ in range(100):
        version, _, _, _, finished = job.wait(version, 0.2)
        if finished:
            break
    assert job.first_screen is not None and job.result is not None
    assert len(job.result.entries) + len(job.result.issues) == 30


def test_cancel_stops_the_worker_processes(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 1600, seed=7)
    seen: list[int] = []

    def cancelled() -> bool:
        return len(seen) >= 1

    result = index.build([tmp_path / "gen"], use_cache=False, workers=2, cancelled=cancelled, batch=lambda e, i: seen.append(1))
    assert not result.stats.complete
    assert not workers.live_workers  # every worker process was stopped


def _same_entry_both_ways(paths: list[Path]) -> None:
    """Indexing skips fields no entry needs (images, secured): every file must
    still give the entry (or the issue) that reading it in full gives."""
    from tui.core.loader import read_article
    from tui.core.model import LoadIssue

    assert paths
    for path in paths:
        full = read_article(path)
        expected = (None, full.reason) if isinstance(full, LoadIssue) else (index._fields(full.to_entry()), None)
        assert index.parse_file(str(path)) == expected, path


def test_indexing_reads_the_same_entries_as_reading_in_full(tmp_path: Path) -> None:
    from fixtures import broken as gen_broken

    generate(tmp_path / "gen", 300)
    gen_broken.generate(tmp_path / "broken", large=False)
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    _same_entry_both_ways(sorted(p for p in tmp_path.rglob("*") if p.is_file()) + sorted(seeds.iterdir()))


@requires_corpus
def test_indexing_reads_the_same_entries_as_reading_in_full_on_the_real_corpus() -> None:
    _same_entry_both_ways(sorted(p for p in CORPUS.iterdir() if p.is_file()))


def test_indexing_reads_the_same_entries_as_reading_in_full_on_another_generator(tmp_path: Path) -> None:
    """The other generator's files (flow mappings, every quoting style, block
    scalars, dates in several forms): the lean path constructs only some
    fields, and must agree with the full load on each."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "other"
    subprocess.run([sys.executable, str(root / "benchmarks" / "gen_other.py"), str(out), "--count", "200"], check=True, capture_output=True, timeout=120)
    _same_entry_both_ways(sorted(p for p in out.rglob("*") if p.is_file()))
