"""The settings file: every key checked on its own, bad values reported by
name (one line each) and replaced by their default; the theme remembered by a
minimal, atomic edit; ``tui-reader config path|edit``; the editor fallback."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tui import cli
from tui.core import locations, settings
from tui.core.editor import EditorError, editor_command
from tui.core.settings import DEFAULT_TEXT, DEFAULTS, SettingsError, parse, remember_theme


def test_no_file_means_every_default_and_no_message() -> None:
    assert not settings.settings_path().exists()
    assert settings.load() == (DEFAULTS, [])


def test_the_file_lives_in_the_user_config_dir(isolated_dirs: Path) -> None:
    path = locations.settings_file()
    assert path == isolated_dirs / "xdg_config_home" / "tui-reader" / "settings.toml"


def test_the_commented_defaults_are_the_defaults() -> None:
    """The defaults written by `config edit`, once uncommented, read as the defaults."""
    top, _, keys = DEFAULT_TEXT.partition("[keys]")
    uncommented = re.sub(r"(?m)^# ((?:sort|sidebar|date_format|detail_date_format|theme|browser) = )", r"\1", top)
    assert uncommented.count("\nsort = ") == 1 and "\ntheme = " in uncommented
    assert parse(uncommented + "[keys]" + keys) == (DEFAULTS, [])
    assert parse(DEFAULT_TEXT) == (DEFAULTS, [])


def test_good_values_are_used(tmp_path: Path) -> None:
    text = f"""
paths = ["{tmp_path}", "~"]
sort = "title"
sidebar = false
date_format = "%d.%m.%y"
detail_date_format = "%Y-%m-%d %H:%M"
theme = "nord"
[keys]
sort = "S"
"list.down" = ["down", "n"]
"""
    values, problems = parse(text)
    assert problems == []
    assert values.paths == (tmp_path, Path.home())
    assert (values.sort, values.sidebar, values.theme) == ("title", False, "nord")
    assert (values.date_format, values.detail_date_format) == ("%d.%m.%y", "%Y-%m-%d %H:%M")
    assert dict(values.keys) == {"sort": "S", "list.down": "down,n"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('sort = "size"', "sort"),
        ("sort = 3", "sort"),
        ('sidebar = "no"', "sidebar"),
        ("date_format = 5", "date_format"),
        ('date_format = ""', "date_format"),
        ('date_format = "%Y\\n%m"', "date_format"),
        ('detail_date_format = "' + "%c" * 20 + '"', "detail_date_format"),
        ("theme = []", "theme"),
        ("paths = 7", "paths"),
        ('paths = ["relative/dir"]', "paths"),
        ('paths = ["/no/such/folder/anywhere"]', "paths"),
        ('keys = "S"', "keys"),
        ('[keys]\nsort = ""', "keys.sort"),
        ("[keys]\nsort = 5", "keys.sort"),
        ('[keys]\nsort = "two words"', "keys.sort"),
        ('colour = "red"', "colour"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_key_and_the_default_is_used(text: str, key: str) -> None:
    values, problems = parse(f'sort = "heat"\n{text}' if not text.startswith("sort") else text)
    assert len(problems) == 1
    (problem,) = problems
    assert "\n" not in problem
    assert problem.startswith(f"{key}:")
    field = key.split(".")[0]
    if field in ("keys",):
        assert "sort" not in values.keys
    elif field != "colour":
        assert getattr(values, field) == getattr(DEFAULTS, field)
    if not text.startswith("sort"):
        assert values.sort == "heat"  # the other keys still count


def test_a_toml_syntax_error_gives_one_line_and_every_default() -> None:
    values, problems = parse('sort = "title"\ntheme = "nord\n', source="settings.toml")
    assert values == DEFAULTS
    assert len(problems) == 1 and "\n" not in problems[0]
    assert "not valid TOML" in problems[0] and "every default" in problems[0]


def test_a_file_that_is_not_utf8_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b'theme = "\xff\xfe"\n')
    values, problems = settings.load(path)
    assert values == DEFAULTS and len(problems) == 1 and "UTF-8" in problems[0]


_toml_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.datetimes(),
    st.dates(),
)
_toml_values = st.recursive(
    _toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_keys = st.sampled_from(["paths", "sort", "sidebar", "date_format", "detail_date_format", "theme", "keys", "other"])


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _toml_values, max_size=7))
def test_any_toml_values_never_crash_and_every_problem_names_its_key(data: dict) -> None:
    values, problems = settings.from_mapping(data)
    for problem in problems:
        assert "\n" not in problem
        assert problem.split(":")[0].split(".")[0] in data
    for key in ("sort", "sidebar", "theme", "date_format", "detail_date_format"):
        value = getattr(values, key)
        assert value == getattr(DEFAULTS, key) or value == data.get(key) or value == str(data.get(key)).strip()
    assert values.sort in ("date", "title", "provider", "quality", "heat")
    assert isinstance(values.sidebar, bool)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in values.keys.items())


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_crashes(text: str) -> None:
    values, problems = parse(text)
    assert all("\n" not in problem for problem in problems)


# -- remembering the theme ---------------------------------------------------------


def test_remember_theme_creates_the_file_with_commented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    remember_theme("nord", path)
    text = path.read_text()
    assert tomllib.loads(text)["theme"] == "nord"
    assert '# sort = "date"' in text  # the commented defaults are there to edit
    assert settings.load(path) == (settings.Settings(theme="nord"), [])


def test_remember_theme_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    original = (
        "# my settings\n"
        'sort = "title"   # titles first\n'
        'theme = "gruvbox"  # was dark\n'
        "\n"
        "[keys]\n"
        'sort = "S"  # capital\n'
        'theme = "not the top-level one"\n'
    )
    path.write_text(original)
    remember_theme("nord", path)
    assert path.read_text() == original.replace('theme = "gruvbox"  # was dark', 'theme = "nord"  # was dark')
    data = tomllib.loads(path.read_text())
    assert data["theme"] == "nord" and data["keys"]["theme"] == "not the top-level one"


def test_remember_theme_inserts_before_the_first_table(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    original = 'sort = "title"\n\n[keys]\nsort = "S"\n'
    path.write_text(original)
    remember_theme("dracula", path)
    assert path.read_text() == 'sort = "title"\ntheme = "dracula"\n\n[keys]\nsort = "S"\n'


def test_remember_theme_refuses_a_broken_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    broken = 'sort = "title\n# precious comment\n'
    path.write_text(broken)
    with pytest.raises(SettingsError, match="not valid TOML"):
        remember_theme("nord", path)
    assert path.read_text() == broken


def test_remember_theme_refuses_an_edit_it_cannot_verify(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    tricky = '"theme" = "quoted key"\n'  # not the plain `theme =` line: inserting would duplicate it
    path.write_text(tricky)
    with pytest.raises(SettingsError, match="cannot safely edit"):
        remember_theme("nord", path)
    assert path.read_text() == tricky


def test_remember_theme_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    for name in ("nord", "dracula", "gruvbox"):
        remember_theme(name, path)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]
    assert tomllib.loads(path.read_text())["theme"] == "gruvbox"


# -- the editor and the config commands ------------------------------------------------


def fake_editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR value running a small Python script on the file."""
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n" + body)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_editor_is_editor_then_visual_then_vi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    f = os.path.abspath("f.md")  # the file's absolute path: never read as an option
    assert editor_command("f.md") == ["vi", f]
    monkeypatch.setenv("VISUAL", "nano")
    assert editor_command("f.md") == ["nano", f]
    monkeypatch.setenv("EDITOR", "code --wait")
    assert editor_command("f.md") == ["code", "--wait", f]
    monkeypatch.setenv("EDITOR", "'unclosed")
    with pytest.raises(EditorError):
        editor_command("f.md")


def test_config_path_prints_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(locations.settings_file())


def test_config_edit_creates_the_file_with_defaults_then_runs_the_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = tmp_path / "seen.txt"
    body = f"Path({str(seen)!r}).write_text(path.read_text())\npath.write_text('sidebar = false\\n' + path.read_text())\n"
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    monkeypatch.setenv("VISUAL", "/no/such/visual")  # $EDITOR comes first
    assert cli.main(["config", "edit"]) == 0
    assert seen.read_text() == DEFAULT_TEXT  # the editor was given the commented defaults
    assert capsys.readouterr().err == ""
    assert settings.load() == (settings.Settings(sidebar=False), [])


def test_config_edit_reports_bad_values_after_editing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "path.write_text('sort = \"size\"\\n')\n"))
    assert cli.main(["config", "edit"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tui-reader: settings: sort:")


def test_config_edit_with_an_editor_that_cannot_run_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EDITOR", "/no/such/editor-program")
    assert cli.main(["config", "edit"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot run the editor" in err[0] and "Traceback" not in err[0]


def test_cli_commands_use_the_settings_paths_and_sort(seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only = seed_copy / "only"
    only.mkdir()
    (seed_copy / "000_0c7c719d9a70dd46.txt").rename(only / "a.txt")
    (seed_copy / "003_9b2b28b6691a1e95.txt").rename(only / "b.txt")
    path = locations.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(f'paths = ["{only}"]\nsort = "title"\n')
    assert cli.main(["list", "--json"]) == 0

    rows = json.loads(capsys.readouterr().out)
    titles = [r["title"] for r in rows]
    assert len(titles) == 2 and titles == sorted(titles, key=str.casefold)  # sort = "title"
    assert {Path(r["path"]).parent for r in rows} == {only}
    assert cli.main(["search", "japan", "--json"]) == 0
    assert {Path(r["path"]).parent for r in json.loads(capsys.readouterr().out)} <= {only}


def test_cli_reports_a_bad_setting_on_stderr_and_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    path = locations.settings_file()
    path.parent.mkdir(parents=True)
    path.write_text('sort = "size"\n')
    assert cli.main(["list"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        'tui-reader: settings: sort: "size" is not one of date, title, provider, quality, heat; using the default ("date")'
    ]
    assert len(captured.out.splitlines()) == 5  # the seeds, by date
