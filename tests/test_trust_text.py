"""No string from outside acts on the terminal, whatever path it takes (issue 14).

File names, paths, front matter, imported bookmarks and settings values
carrying ``ESC ] 52`` (clipboard), ``ESC ] 2`` (title), ``ESC [ 2J`` (clear),
newlines, C1 controls, bidi overrides and bytes that are not UTF-8 go
through every command line output (each subcommand, text and ``--json``,
stdout and stderr), the path shown in the detail pane and the Issues screen.
The checks are on the bytes written: no C0 control but the newline (and
tab), no DEL, no C1 control, no bidi override, valid UTF-8, and each
reported problem one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.core.collection import Collection, display_path
from tui.core.text import clean, clean_line, clean_path, safe_json

ROOT = Path(__file__).resolve().parents[1]

ESCAPES = [
    "\x1b]52;c;cHduZWQ=\x07",  # OSC 52: set the clipboard
    "\x1b]2;PWNED\x07",  # OSC 2: set the title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]8;;https://evil.example/\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",  # C1 CSI
    "\x9d0;x\x9c",  # C1 OSC .. ST
    "\u202e",  # right-to-left override
    "\u2066",  # isolate
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x7f",
    "\x85",  # NEL
    "\u2028",  # line separator
    "\udcff",  # a byte that is not UTF-8 in a file name (surrogateescape)
    "\ud800",  # a lone surrogate (imported JSON)
]
hostile = st.lists(st.sampled_from(ESCAPES) | st.text(max_size=6), min_size=1, max_size=6).map("".join)


def unsafe_in(data: bytes) -> list[str]:
    """What in ``data`` (bytes written to a terminal) could act on it."""
    problems = [f"byte {b:#04x}" for b in set(data) if (b < 0x20 and b not in (0x09, 0x0A)) or b == 0x7F]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [*problems, f"not UTF-8: {exc}"]
    problems += [f"U+{ord(c):04X}" for c in set(text) if 0x80 <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E]
    problems += [f"U+{ord(c):04X}" for c in set(text) if 0x2066 <= ord(c) <= 0x2069 or 0xD800 <= ord(c) <= 0xDFFF]
    return problems


def _unsafe_chars(text: str) -> list[str]:
    return unsafe_in(text.encode("utf-8", "surrogatepass"))


# -- the functions themselves -----------------------------------------------------------------
@given(hostile)
def test_every_terminal_safe_form_is_inert_and_encodable(text: str) -> None:
    for safe in (clean_line(text), clean_path(text)):
        assert not _unsafe_chars(safe) and "\n" not in safe and "\t" not in safe
        safe.encode("utf-8")  # never a UnicodeEncodeError when printed
    body = clean(text)
    assert not _unsafe_chars(body)
    body.encode("utf-8")


@given(hostile)
def test_a_name_keeps_every_character_visible(text: str) -> None:
    """A path is not folded: a newline or a tab in a name shows as ␊ / ␉, so
    two names that differ only there still look different."""
    shown = clean_path(text)
    assert shown.count("\u240a") == text.count("\n") and shown.count("\u2409") == text.count("\t")


@given(st.recursive(st.none() | st.integers() | hostile, lambda c: st.lists(c, max_size=3) | st.dictionaries(hostile, c, max_size=3)))
def test_safe_json_is_the_same_data_without_a_raw_control(data: object) -> None:
    text = safe_json(data, indent=2)
    assert not _unsafe_chars(text)
    if "\\ud800" not in repr(data):  # (JSON reads "\ud800\udcff" as one character: a pair)
        assert json.loads(text) == data  # lossless: escapes, not replacements


@given(hostile, hostile)
def test_the_core_path_display_is_safe_under_a_root_or_not(name: str, folder: str) -> None:
    name, folder = name.replace("/", "_") or "x", folder.replace("/", "_") or "y"
    root = Path("/collections") / folder
    for path in (str(root / name), f"/elsewhere/{name}"):
        shown = display_path(path, [root])
        assert not _unsafe_chars(shown) and "\n" not in shown


# -- every command line output, over a generated hostile collection ---------------------------------
def _yaml(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly (surrogates included)."""
    return json.dumps(text, ensure_ascii=True)


def _write_collection(folder: Path, names: list[str], field: str) -> list[Path]:
    paths = []
    for i, name in enumerate(names):
        safe_name = (name.replace("/", "_").replace("\x00", "_").replace("\ud800", "_")[:60] or "x") + f"_{i}.md"
        if safe_name.startswith("."):
            safe_name = "_" + safe_name
        path = folder / safe_name
        if i == 0:  # no title: it is named after its file
            text = f"---\nprovider: {{name: {_yaml(field)}}}\n---\n"
        else:
            text = (
                f"---\ntitle: {_yaml(field + ' story')}\nexcerpt: {_yaml(field)}\ntopics: [{_yaml(field)}]\n"
                f"webUrl: {_yaml('https://example.com/' + field)}\nprovider: {{name: {_yaml(field)}, domain: {_yaml(field)}}}\n"
                f"related:\n  - title: {_yaml(field)}\n    webUrl: {_yaml('https://example.com/r' + field)}\n---\n{field}\nstory body\n"
            )
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(path)
    broken = folder / ((names[0].replace("/", "_").replace("\x00", "_").replace("\ud800", "_")[:60] or "x") + "_broken.md")
    broken.write_text("---\ntitle: [never closed\n---\n", encoding="utf-8", errors="surrogateescape")
    return paths


def _bookmark_file(folder: Path, field: str) -> Path:
    marks = [
        {"title": field, "url": "https://example.com/" + field, "provider": field, "tags": [field, "t"], "note": field},
        {"title": field + "2", "key": "k" + field, "path": "/nowhere/" + field, "added_at": "0001-01-01T00:00:00+14:00"},
    ]
    path = folder / "marks.json"
    path.write_text(json.dumps(marks, ensure_ascii=True), encoding="utf-8")
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(hostile, min_size=2, max_size=3), field=hostile)
def test_no_command_line_output_carries_a_raw_control(
    tmp_path_factory: pytest.TempPathFactory, capsysbinary: pytest.CaptureFixture[bytes], names: list[str], field: str
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    paths = _write_collection(folder, names, field)
    marks = _bookmark_file(tmp_path_factory.mktemp("marks"), field)
    word = "story"
    commands = [
        ["list", str(folder)],
        ["list", str(folder), "--json"],
        ["search", word, str(folder)],
        ["search", word, str(folder), "--json"],
        ["search", field or "x", str(folder)],
        ["bookmarks", "import", str(marks)],
        ["bookmarks", "list"],
        ["bookmarks", "list", "--json"],
        ["bookmarks", "export", "--format", "json"],
        ["bookmarks", "export", "--format", "html"],
        ["bookmarks", "export", "--format", "md"],
        ["list", "--sort", field],  # a bad argument quoting outside text
        ["show", str(folder / (field.replace("/", "_") + "missing"))],
        ["config", "path"],
    ]
    for path in paths:
        commands += [["show", str(path)], ["show", str(path), "--json"], ["bookmarks", "add", str(path), "--tags", field]]
        commands += [["bookmarks", "remove", str(path)]]
    for argv in commands:
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own --help/--version only
            code = exc.code
        out, err = capsysbinary.readouterr()
        assert code in (0, 1, 2), argv
        for stream, data in (("stdout", out), ("stderr", err)):
            assert not unsafe_in(data), (argv, stream, unsafe_in(data), data[:400])
        for line in err.decode().splitlines():
            assert line.startswith("tui-reader: "), (argv, line)  # each problem exactly one line
        if "--json" in argv and code == 0:
            json.loads(out)


def test_settings_values_are_said_safely(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from tui.core import locations

    settings_file = locations.settings_file()
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    bad = "\x1b]2;PWNED\x07\n\x9b2J\u202e"
    settings_file.write_text(
        f"paths = [{json.dumps('/nowhere/' + bad)}, {json.dumps('~nosuchuser' + bad)}]\n"
        f"sort = {json.dumps(bad)}\ntheme = 5\n{json.dumps(bad)} = 1\n",
        encoding="utf-8",
    )
    assert main(["list"]) == 0
    out, err = capsysbinary.readouterr()
    assert not unsafe_in(out) and not unsafe_in(err)
    assert len(err.decode().splitlines()) == 5 and "names a user that does not exist" in err.decode()


# -- a real terminal's bytes, in each locale: the special files of benchmarks/gen_broken.py ------------------
@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_broken

    folder = tmp_path_factory.mktemp("broken")
    gen_broken.generate(folder, large=False, special=True)
    return folder


def _run(args: list[str], lang: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, LANG=lang, LC_ALL=lang, TZ="America/New_York", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=60
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names")
@pytest.mark.parametrize("lang", ["C.UTF-8", "C"])
def test_every_command_over_the_hostile_folder_in_each_locale(broken: Path, lang: str) -> None:
    bad_name = broken / os.fsdecode(b"name_bad_\xff\xfe.md")
    commands = [
        ["list", str(broken)],
        ["list", str(broken), "--json"],
        ["search", "name", str(broken)],
        ["search", "name", str(broken), "--json"],
        ["show", str(bad_name)],
        ["show", str(bad_name), "--json"],
        ["show", str(broken / "name_title_\x1b]2;PWNED\x07.md")],
        ["bookmarks", "add", str(bad_name)],
        ["bookmarks", "add", str(broken / "name_osc52_\x1b]52;c;cHduZWQ=\x07.md")],
        ["bookmarks", "list"],
        ["bookmarks", "list", "--json"],
        ["bookmarks", "export", "--format", "html"],
        ["bookmarks", "remove", str(bad_name)],
    ]
    for argv in commands:
        done = _run(argv, lang)
        assert done.returncode == 0, (argv, done.stderr)
        assert b"Traceback" not in done.stderr
        for data in (done.stdout, done.stderr):
            assert not unsafe_in(data), (argv, unsafe_in(data))
    listing = _run(["list", str(broken)], lang)
    issues = listing.stderr.decode().splitlines()
    assert all(line.startswith("tui-reader: ") for line in issues)
    assert any("named pipe" in line for line in issues) and any("longer than the system allows" in line for line in issues)


# -- the reader: the path line and the Issues screen -------------------------------------------
async def test_the_detail_path_line_and_the_issues_screen_show_names_safely(broken: Path) -> None:
    from tui.ui.screens.issues import IssueList

    from .test_ui import reader

    async with reader([broken]) as (app, pilot, main):
        names = [e for e in main.rows if "name_" in e.path]
        assert len(names) >= 7
        for entry in names:
            main.show_entry(entry)
            await pilot.pause()
            shown = "\n".join(main.detail.block_text(block) for block in ("header", "links") if main.detail.has_block(block))
            assert not _unsafe_chars(shown.replace("\n", " ")), (entry.path, shown)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        issue_list = app.screen.query_one(IssueList)
        for i in range(issue_list.row_count()):
            row = issue_list.render_row(i, 200).plain
            assert not _unsafe_chars(row) and "\n" not in row
        assert app.is_running
