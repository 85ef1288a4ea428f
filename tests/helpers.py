"""What the tests share: the seeds' titles, article files to write, waiting.

Test modules import from here (and from ``tests/driver.py``), never from
one another. Generated collections come from the ``fixtures`` package.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.core.bookmarks import Bookmark, BookmarkStore
from tui.core.index import IndexJob
from tui.core.loading import Identified, Loaded, Partial, RelatedBuilt, Searchable, Stage, load_stages
from tui.core.session import ReadingSession

SIZE = (120, 40)

# The seeds, newest first.
NEWEST = "After Feeding Explosion of Facial Recognition, China Moves to Rein It In"
SECOND = "AI, facial recognition tech front and center at China security expo"
JAPAN = "Japan Restricts Exports of AI Facial Technology"
IBM = "IBM says U.S. should adopt new export controls on facial recognition systems"
PLAIN = "Report: Japan to Limit Facial Recognition Tech Exports to China"  # undated, no front matter
DATE_ORDER = [NEWEST, SECOND, JAPAN, IBM, PLAIN]
SECURED_BLOB = "aomHKJ9jHAplnTzt"  # start of the `secured:` value in seed 000 (Japan)
WSJ_URL = "https://www.wsj.com/articles/china-drafts-rules-for-facial-recognition-use-4953506e"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def article(title: str, *, url: str = "", date: str = "2024-01-02T03:04:00Z", extra: str = "", body: str = "Body.") -> str:
    """The text of an article file with front matter."""
    lines = ["---", f'title: "{title}"', f"publishedDateTime: {date}"]
    if url:
        lines.append(f'webUrl: "{url}"')
    if extra:
        lines.append(extra.rstrip("\n"))
    lines += ["---", body, ""]
    return "\n".join(lines)


def many_stories(tmp_path: Path, count: int) -> Path:
    """A folder of ``count`` short stories, a minute apart."""
    folder = tmp_path / "many"
    for i in range(count):
        write(folder, f"{i:03}.md", article(f"Story number {i}", date=f"2024-01-01T{i // 60:02}:{i % 60:02}:00Z"))
    return folder


async def wait_for(
    condition: Callable[[], object],
    what: str,
    step: Callable[[], Awaitable[object]],
    timeout: float = 5.0,
    shown: Callable[[], str] = lambda: "",
) -> None:
    """Wait until ``condition()`` holds, running ``step()`` (one turn of the
    app: its workers, its messages) in between; fail after ``timeout``
    seconds, saying ``what`` was waited for and (``shown``) what was on screen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            screen = shown()
            raise AssertionError(f"waited {timeout:g} s for {what}; it never happened" + (f". On screen:\n{screen}" if screen else ""))
        await step()


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """The process's local time zone is ``name`` inside the block (restored after)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def cli_bookmark(path: str | os.PathLike[str], *, tags: str = "", note: str = "") -> str:
    """``tui-reader bookmarks add PATH`` in another process (the same user
    folders as the test); what it printed. Fails the test if it fails."""
    import subprocess
    import sys

    argv = [sys.executable, "-m", "tui.cli", "bookmarks", "add", os.fspath(path), "--tags", tags]
    if note:
        argv += ["--note", note]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)  # when bm's bookmarks were published (and added, plus ``minutes``)


def bm(key: str, minutes: int = 0, **kw: object) -> Bookmark:
    """A made-up bookmark for the store's tests (tests/test_bookmarks*.py),
    added ``minutes`` after :data:`T0`; ``kw`` overrides any field."""
    fields: dict[str, object] = dict(
        key=key,
        title=f"Title {key}",
        url=f"https://example.com/{key}",
        provider="Example",
        published=T0,
        path=f"news/{key}.md",
        added_at=T0 + timedelta(minutes=minutes),
    )
    fields.update(kw)
    return Bookmark(**fields)  # type: ignore[arg-type]


_KEY_NAMES = {" ": "space", "/": "slash", "-": "minus", ".": "full_stop", ",": "comma", ":": "colon", '"': "quotation_mark", "'": "apostrophe"}
_KEY_CHARACTERS = {"backspace": "\x7f", "ctrl+u": "\x15", "ctrl+w": "\x17", "ctrl+k": "\x0b", "enter": "\r", "escape": "\x1b"}


def key_events(*parts: str) -> list[object]:
    """Key events as a terminal delivers them: a text is typed letter by
    letter, ``"<name>"`` is one named key (``"<backspace>"``, ``"<ctrl+u>"``,
    ``"<left>"``)."""
    from textual import events

    out: list[object] = []
    for part in parts:
        if len(part) > 2 and part.startswith("<") and part.endswith(">"):
            name = part[1:-1]
            out.append(events.Key(name, _KEY_CHARACTERS.get(name)))
        else:
            out.extend(events.Key(_KEY_NAMES.get(c, c), c) for c in part)
    return out


def stages_of(folder: Path, session: ReadingSession) -> list[Stage]:
    job = IndexJob([folder])
    job.go()
    return list(load_stages(job, [folder], sort=lambda: session.sort, read_snapshot=session.read_snapshot, store=session.store))


def loaded(folder: Path, store: BookmarkStore | None = None, sort: str = "date") -> ReadingSession:
    """A session fed every stage of loading ``folder``, as the main screen feeds it."""
    session = ReadingSession(store or BookmarkStore(), [folder], sort)
    for stage in stages_of(folder, session):
        if isinstance(stage, Partial):
            session.partial(stage.collection, stage.done, stage.total, stage.first_screen)
        elif isinstance(stage, Loaded):
            session.loaded(stage.collection)
        elif isinstance(stage, Identified):
            assert session.identified(stage)
        elif isinstance(stage, Searchable):
            assert session.searchable(stage)
        elif isinstance(stage, RelatedBuilt):
            assert session.related_built(stage)
        session.arrange()
    return session


def stored_read() -> set[str]:
    """The identities the user's database holds as read."""
    with BookmarkStore() as store:
        return store.read_keys()


def write_settings(text: str) -> Path:
    """The user's settings file (in the test's own config folder)."""
    from tui.core import locations

    path = locations.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
