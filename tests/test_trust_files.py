"""Files that must never hang, be read forever, or run code (issue 14).

* Only regular files are read: a FIFO, a device (a symlink to /dev/tty,
  /dev/zero, /dev/null), a socket, a folder named like an article: every
  reader of outside files (the loader, the index and its workers, ``show``,
  ``bookmarks add``, ``bookmarks import``, the settings, the search snippet)
  gives a one-line reason at once.
* Index worker processes end with the process that started them.
* A file deeper than PATH_MAX is an issue, not skipped silently.
* A file name is never an option or a command to the editor.

Hang checks run the code in a thread (or a child process) with a deadline,
so today's code fails them instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.collection import Collection
from tui.core.loader import read_article
from tui.core.model import LoadIssue

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 10.0  # seconds: anything slower is taken for a hang

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, device links and ptys are POSIX")


def finishes(call: Callable[[], Any], timeout: float = DEADLINE) -> Any:
    """``call()``'s result, or a failure if it has not returned within ``timeout``
    (it is left blocked in a daemon thread: today's code would hang here)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"still blocked after {timeout:.0f} s: {call}")
    if "error" in box:
        raise box["error"]
    return box.get("value")


# -- the kinds of thing a collection may hold ----------------------------------------------
def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))  # left bound: a socket file stays after close
    sock.close()


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inner.md").write_text("---\ntitle: Inside a folder named like a file\n---\n", encoding="utf-8")


def _link(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target, path)

    return make


KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "named pipe"),
    "tty": (_link("/dev/tty"), ""),  # "character device", or ENXIO where there is no terminal
    "zero": (_link("/dev/zero"), "character device"),
    "null": (_link("/dev/null"), "character device"),
    "socket": (_socket, ""),
    "folder": (_folder, "folder"),
    "dangling": (_link("/nonexistent/nowhere.md"), ""),
}

names = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda n: not n.startswith(".") and len(n.encode()) < 200)


def _make(folder: Path, kind: str, name: str) -> Path:
    path = folder / f"{name}.md"
    KINDS[kind][0](path)
    return path


def _good(folder: Path) -> None:
    (folder / "good.md").write_text("---\ntitle: A good article\n---\nBody.\n", encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(KINDS)), name=names)
def test_only_regular_files_are_read_and_nothing_blocks(tmp_path_factory: pytest.TempPathFactory, kind: str, name: str) -> None:
    from tui.core import index, settings
    from tui.core.search import file_snippet

    folder = tmp_path_factory.mktemp("kinds")
    _good(folder)
    path = _make(folder, kind, name)
    expected = KINDS[kind][1]

    result = finishes(lambda: read_article(path))
    assert isinstance(result, LoadIssue) and "\n" not in result.reason
    assert expected in result.reason
    assert finishes(lambda: index.parse_file(str(path)))[0] is None
    assert finishes(lambda: file_snippet(str(path), "good")) is None
    loaded, problems = finishes(lambda: settings.load(path))
    assert loaded == settings.DEFAULTS and (kind == "dangling" or len(problems) == 1)

    collection = finishes(lambda: Collection.load([folder], use_cache=False))
    assert [e.title for e in collection.entries] == ["A good article"] + (["Inside a folder named like a file"] if kind == "folder" else [])
    if kind != "folder":
        assert [Path(i.path).name for i in collection.issues] == [path.name]


def test_bookmarks_import_reads_only_a_regular_file_and_at_most_a_cap(tmp_path: Path) -> None:
    from tui import cli

    os.mkfifo(tmp_path / "pipe.json")
    for target in ("/dev/zero", str(tmp_path / "pipe.json")):
        with pytest.raises(cli.UsageError, match="not a regular file"):
            finishes(lambda target=target: cli._read_import(target))


# -- through the command line, as a person runs it: in a terminal ------------------------
def run_in_terminal(argv: list[str], timeout: float = 30.0) -> tuple[int | None, bytes]:
    """Run ``tui-reader ARGV`` with a pseudo-terminal as its controlling
    terminal (so /dev/tty is one); (exit status or None if it hung, output)."""
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONPATH=str(ROOT))
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.execve(sys.executable, [sys.executable, "-m", "tui.cli", *argv], env)
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + timeout
    status: int | None = None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            output += chunk
            if chunk:
                continue
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return status, output


@pytest.fixture(scope="module")
def specials(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("specials")
    _good(folder)
    for kind in ("fifo", "tty", "zero"):
        _make(folder, kind, kind)
    return folder


@pytest.mark.parametrize("command", ["list", "list --json", "search good", "search good --json"])
def test_listing_and_searching_a_collection_with_a_fifo_and_device_links_never_hangs(specials: Path, command: str) -> None:
    words = command.split()
    options = [w for w in words if w.startswith("--")]
    status, output = run_in_terminal([*(w for w in words if w not in options), str(specials), *options])
    assert status == 0, output
    text = output.decode()
    assert "A good article" in text
    assert text.count("tui-reader: skipped") == 3 and "named pipe" in text and "character device" in text


@pytest.mark.parametrize("kind", ["fifo", "tty", "zero"])
@pytest.mark.parametrize("command", ["show", "show --json", "bookmarks add"])
def test_show_and_bookmark_add_of_a_fifo_or_device_link_say_why_at_once(specials: Path, command: str, kind: str) -> None:
    status, output = run_in_terminal([*command.split(), str(specials / f"{kind}.md")])
    assert status in (1, 2), output
    assert output.decode().count("\n") == 1 and "not a regular file" in output.decode()


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/tty", "fifo.md"])
def test_bookmarks_import_of_a_device_or_fifo_says_why_at_once(specials: Path, target: str) -> None:
    path = target if target.startswith("/") else str(specials / target)
    status, output = run_in_terminal(["bookmarks", "import", path])
    assert status == 2 and b"not a regular file" in output, output


# -- worker processes ----------------------------------------------------------------------
def _gone(pid: int, timeout: float) -> bool:
    """Whether process ``pid`` has ended (a zombie left to init counts) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


PARENT = """
import os, subprocess, sys, time, marshal
sys.path.insert(0, {root!r})
from tui.core import index, workers
worker = workers.start_worker(index.DEFAULT_TARGET)
# Someone else keeps the worker's input open: it never sees end-of-file.
holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], pass_fds=(worker.stdin.fileno(),))
data = marshal.dumps({paths!r})
worker.stdin.write(len(data).to_bytes(4, "little") + data)
worker.stdin.flush()
print(worker.pid, holder.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
@pytest.mark.parametrize("blocked", [False, True])
def test_index_workers_end_with_the_process_that_started_them(tmp_path: Path, blocked: bool) -> None:
    """``timeout 10 tui-reader list DIR`` kills the reader: its workers must
    not live on, whether idle or given a FIFO to read."""
    paths: list[str] = []
    if blocked:
        os.mkfifo(tmp_path / "pipe.md")
        paths = [str(tmp_path / "pipe.md")]
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(root=str(ROOT), paths=paths)], stdout=subprocess.PIPE, text=True
    )
    try:
        worker_pid, holder_pid = map(int, parent.stdout.readline().split())  # type: ignore[union-attr]
        time.sleep(0.5)
        assert not _gone(worker_pid, 0.1)
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        assert _gone(worker_pid, 5.0), "the worker outlived the reader"
    finally:
        parent.kill()
        for pid in locals().get("holder_pid", None), locals().get("worker_pid", None):
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def test_die_with_parent_ends_a_process_blocked_in_a_read(tmp_path: Path) -> None:
    """The mechanism alone: a helper blocked reading a FIFO with no writer
    ends within a second of its parent."""
    os.mkfifo(tmp_path / "pipe")
    child_code = (
        f"import os, sys; sys.path.insert(0, {str(ROOT)!r}); from tui.core.safe_io import die_with_parent;"
        f" die_with_parent(int(sys.argv[1])); open({str(tmp_path / 'pipe')!r}).read()"
    )
    parent_code = (
        "import os, subprocess, sys, time;"
        f" p = subprocess.Popen([sys.executable, '-c', {child_code!r}, str(os.getpid())]);"
        " print(p.pid, flush=True); time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())  # type: ignore[union-attr]
    try:
        time.sleep(0.5)
        assert not _gone(child, 0.1)
        parent.kill()
        parent.wait(5)
        assert _gone(child, 5.0)
    finally:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- paths too deep ------------------------------------------------------------------------
def test_a_file_deeper_than_path_max_is_an_issue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fixtures import broken as gen_broken

    _good(tmp_path)
    gen_broken.deep_path(tmp_path / "deep")
    collection = Collection.load([tmp_path], use_cache=False)
    assert [e.title for e in collection.entries] == ["A good article"]
    assert len(collection.issues) == 1 and "longer than the system allows" in collection.issues[0].reason

    from tui.cli import main

    assert main(["list", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "longer than the system allows" in err


# -- code from a file name -----------------------------------------------------------------
RECORDER = """
import json, os, sys
with open(os.environ["EDITOR_RECORD"], "a", encoding="utf-8", errors="surrogateescape") as out:
    out.write(json.dumps({"argv": sys.argv[1:], "exists": os.path.isfile(sys.argv[-1])}) + "\\n")
"""


@pytest.fixture
def recording_editor(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is a script that records its arguments (one JSON line per run)."""
    folder = tmp_path_factory.mktemp("editor")
    script = folder / "recorder.py"
    script.write_text(RECORDER, encoding="utf-8")
    record = folder / "record.jsonl"
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} --wait")
    monkeypatch.setenv("EDITOR_RECORD", str(record))
    return record


def _runs(record: Path) -> list[dict[str, Any]]:
    text = record.read_text(encoding="utf-8", errors="surrogateescape") if record.exists() else ""
    return [json.loads(line) for line in text.splitlines()]


option_like = st.tuples(st.sampled_from(["-", "+", "+!", "--", "-c ", "+:!"]), names).map("".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=option_like)
def test_the_editor_gets_a_path_no_program_can_take_for_an_option(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, recording_editor: Path, name: str
) -> None:
    from tui.core.editor import run_editor

    folder = tmp_path_factory.mktemp("names")
    (folder / f"{name}.md").write_text("x\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    before = len(_runs(recording_editor))
    assert run_editor(f"{name}.md") == 0
    run = _runs(recording_editor)[before]
    assert run["argv"][0] == "--wait"  # the editor's own arguments come first, untouched
    path = run["argv"][-1]
    assert not path.startswith(("-", "+")) and os.path.isabs(path) and run["exists"]
    assert os.path.samefile(path, folder / f"{name}.md")


def test_config_edit_gives_the_editor_a_settings_path_that_is_no_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recording_editor: Path
) -> None:
    """Even with the settings under a relative folder named like a vim command."""
    from tui.cli import main
    from tui.core import locations

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TUI_READER_HOME", "+!touch PWNED")
    assert main(["config", "edit"]) == 0
    run = _runs(recording_editor)[-1]
    assert run["argv"] == ["--wait", os.path.abspath(locations.settings_file())] and run["exists"]
    assert run["argv"][-1].startswith(str(tmp_path))


async def test_e_in_the_reader_never_lets_a_file_name_be_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recording_editor: Path
) -> None:
    from .driver import reader

    name = "+!touch PWNED_BY_FILENAME.md"
    (tmp_path / name).write_text("---\ntitle: A Name That Is a Command\n---\nBody\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    async with reader([Path(name)]) as (_, pilot, r):
        assert r.titles == ["A Name That Is a Command"]
        await pilot.press("e")
        await r.wait_for(lambda: _runs(recording_editor), "the editor to run")
    run = _runs(recording_editor)[-1]
    assert run["argv"][-1] == str(tmp_path / name) and run["exists"]
    assert not (tmp_path / "PWNED_BY_FILENAME.md").exists()


# -- a file swapped while the reader is open --------------------------------------------------------
class _Stuck(Exception):
    pass


def _stuck(signum: int, frame: object) -> None:
    raise _Stuck("the reader blocked on a file")


@pytest.mark.parametrize("swap", ["fifo", "zero", "null"])
async def test_a_file_swapped_for_a_fifo_or_a_device_while_open_never_freezes_the_reader(tmp_path: Path, swap: str) -> None:
    """The cursor landing on it reads it (small files are read on the UI
    thread): a one-line reason shows, the keys keep working. A timer signal
    turns a blocked read into a failure instead of a hung suite."""
    from .driver import reader

    for name, day in (("a", 3), ("b", 2), ("c", 1)):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: Story {name}\npublishedDateTime: 2024-01-0{day}T00:00:00Z\n---\nBody\n", encoding="utf-8"
        )
    previous = signal.signal(signal.SIGALRM, _stuck)
    try:
        async with reader([tmp_path]) as (app, pilot, r):
            target = tmp_path / "b.md"
            target.unlink()
            _make(tmp_path, swap, "b")
            signal.setitimer(signal.ITIMER_REAL, DEADLINE)
            await pilot.press("j")
            await r.wait_for(lambda: "Cannot show this file now" in r.header, "the reason the file cannot be shown")
            assert "not a regular file" in r.header
            await pilot.press("j")
            await r.wait_article("Story c")
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.sampled_from([0, 1, 99, 100, 101, 65_535, 65_536, 200_000]), truncate=st.booleans())
def test_a_file_is_read_whole_up_to_its_cap_whatever_its_size(tmp_path: Path, size: int, truncate: bool) -> None:
    """read_regular asks for the size the file says it has, then reads to
    its end: every byte up to the cap, then "larger than" or cut at the cap."""
    from tui.core.safe_io import Refused, read_regular

    path = tmp_path / "f.bin"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    for cap in (100, 70_000, 1 << 20):
        if size <= cap:
            assert read_regular(path, cap, truncate=truncate) == data
        elif truncate:
            assert read_regular(path, cap, truncate=True) == data[:cap]
        else:
            with pytest.raises(Refused, match="larger than"):
                read_regular(path, cap)


def test_a_file_that_says_it_is_empty_is_read_to_its_end() -> None:
    """A regular file whose size says 0 yet holds text (Linux's /proc):
    read to its end all the same."""
    from tui.core.safe_io import read_regular

    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("no /proc here")
    assert b"Name:" in read_regular(status, 1 << 20)


def test_a_file_growing_while_it_is_read_is_read_to_its_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size said before reading is only where to start: a file that grew
    since (a log, a download) is read to its end, up to the cap."""
    from tui.core import safe_io

    path = tmp_path / "growing.md"
    path.write_bytes(b"a" * 10)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # the size before the file grew
        result = real_fstat(fd)
        if result.st_size == 100_000:
            return os.stat_result((result.st_mode, *list(result)[1:6], 10, *list(result)[7:]))
        return result

    path.write_bytes(b"b" * 100_000)
    monkeypatch.setattr(safe_io.os, "fstat", stale_fstat)
    assert safe_io.read_regular(path, 1 << 20) == b"b" * 100_000
