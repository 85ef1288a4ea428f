"""Walking the related-stories graph in the reader: sidebar sections,
back / forward and the breadcrumb, one row per story and its versions."""

from __future__ import annotations

from pathlib import Path

from tests.driver import reader, screen_text
from tests.helpers import article, write

LEUKEMIA = "Artificial intelligence tracks down leukemia"


def graph_collection(tmp_path: Path) -> Path:
    """A names B by URL (an AMP form) and an external story; C names B by
    title only; B is told by two outlets (B and B2); D is about the same
    rare subject as B (more like this)."""
    folder = tmp_path / "col"
    write(
        folder,
        "a.md",
        article(
            "Story A about nothing much",
            url="https://a.example/a",
            date="2024-01-05T00:00:00Z",
            extra=(
                "related:\n"
                f'  - title: "{LEUKEMIA}"\n    webUrl: "https://www.science.example/leukemia/amp/"\n'
                '  - title: "An outside story"\n    webUrl: "https://outside.example/x"'
            ),
        ),
    )
    write(
        folder,
        "c.md",
        article(
            "Story C elsewhere",
            url="https://c.example/c",
            date="2024-01-04T00:00:00Z",
            extra=f'related:\n  - title: "{LEUKEMIA}"',
        ),
    )
    write(
        folder,
        "b.md",
        article(
            LEUKEMIA, url="https://science.example/leukemia", date="2024-01-03T00:00:00Z", extra="topics: [Oncology, Hematology]"
        ),
    )
    write(
        folder,
        "b2.md",
        article(
            "Artificial Intelligence That Tracks Down Leukemia Discovered",
            url="https://medicine.example/leukemia",
            date="2024-01-02T00:00:00Z",
            extra="provider: {name: Medicine Daily, domain: medicine.example}\ntopics: [Oncology]",
        ),
    )
    write(
        folder,
        "d.md",
        article(
            "Blood tests for leukemia get faster",
            url="https://d.example/d",
            date="2024-01-01T00:00:00Z",
            extra="topics: [Hematology]",
        ),
    )
    return folder


async def test_sidebar_sections_with_counts_and_marks(tmp_path: Path) -> None:
    async with reader([graph_collection(tmp_path)]) as (app, pilot, r):
        await r.wait_graph()
        assert r.shown.title.startswith("Story A")
        await r.wait_for(lambda: "More like this (" in screen_text(app) and "(…)" not in screen_text(app), "'More like this (' in screen_text(app) and '(…)' not in screen_text(app)")
        text = screen_text(app)
        assert "Related (2) · 1 here" in text
        assert "● " + LEUKEMIA[:20] in text  # in the collection
        assert "○ An outside story" in text  # external
        assert "Cited by (0)" in text
        # Go to B through the sidebar: it is cited by A (by URL) and C (by title).
        r.choose_in_sidebar(0)
        await pilot.press("enter")
        await r.wait_article(LEUKEMIA)
        await r.wait_for(lambda: r.section("similar") is not None, "r.section('similar') is not None")
        text = screen_text(app)
        assert "Cited by (2)" in text
        assert "Versions (2)" in text
        cited = [item.title for item in r.section("cited") or []]
        assert sorted(cited) == ["Story A about nothing much", "Story C elsewhere"]
        similar = [item.title for item in r.section("similar") or []]
        assert similar and similar[0] == "Blood tests for leukemia get faster"
        assert "Artificial Intelligence That Tracks Down Leukemia Discovered" not in similar  # a version, listed as such
        # b bookmarks the selected sidebar entry; the sidebar marks it
        r.choose_in_sidebar(r.sidebar_index("cited"))
        await pilot.press("b")
        await r.wait_for(lambda: "★ Story" in screen_text(app), "'★ Story' in screen_text(app)")
        assert "★ Story" in screen_text(app)


async def test_one_row_per_story_and_v_switches_versions(tmp_path: Path) -> None:
    async with reader([graph_collection(tmp_path)]) as (app, pilot, r):
        await r.wait_graph()
        await r.wait_for(lambda: len(r.rows) == 4, "one row per story: 4 rows")
        titles = r.titles
        assert LEUKEMIA in titles and "Artificial Intelligence That Tracks Down Leukemia Discovered" not in titles
        assert "4 stories (5 articles)" in r.subtitle
        row = titles.index(LEUKEMIA)
        assert "×2 " + LEUKEMIA[:20] in screen_text(app)
        r.move_to(row)
        await r.wait_article(LEUKEMIA)
        assert "Version 1 of 2" in r.header
        await pilot.press("v")
        await r.wait_for(lambda: r.article_title != LEUKEMIA, "r.article_title != LEUKEMIA")
        assert r.article_title == "Artificial Intelligence That Tracks Down Leukemia Discovered"
        assert "Version 2 of 2" in r.header
        assert r.cursor == row  # the same row: another outlet's version
        await pilot.press("V")
        await r.wait_article(LEUKEMIA)
        # Going to a version from elsewhere (a link, the jump box) shows that version in its story's row.
        r.move_to(0)
        await r.wait_for(lambda: (r.article_title or "").startswith("Story A"), "an article Story A… to be shown")
        b2 = next(e for e in r.entries if e.path.endswith("b2.md"))
        r.open(b2)
        await r.wait_article(b2.title)
        assert r.cursor == row and r.shown is b2
        assert "Version 2 of 2" in r.header


async def test_back_and_forward_with_a_breadcrumb(tmp_path: Path) -> None:
    async with reader([graph_collection(tmp_path)]) as (app, pilot, r):
        await r.wait_graph()
        footer = screen_text(app).splitlines()[-1]
        assert "[ Back" in footer and "] Forward" in footer
        await pilot.press("enter")  # open A: the first step
        assert not r.breadcrumb_shown
        r.choose_in_sidebar(0)
        await pilot.press("enter")  # A -> B, through its related list
        await r.wait_article(LEUKEMIA)
        assert r.breadcrumb_shown
        assert "Story A about nothing much" in screen_text(app) and " › " in screen_text(app)
        await pilot.press("left_square_bracket")
        await r.wait_for(lambda: (r.article_title or "").startswith("Story A"), "an article Story A… to be shown")
        assert r.shown.title.startswith("Story A")
        await pilot.press("right_square_bracket")
        await r.wait_article(LEUKEMIA)
        assert r.history_position == 1
        await pilot.press("right_square_bracket")  # nothing ahead: a message, no move
        assert r.article_title == LEUKEMIA
        # A version chosen from elsewhere shows in its story's row.
        await pilot.press("left_square_bracket")
        await r.wait_for(lambda: r.shown.title.startswith("Story A"), "r.shown.title.startswith('Story A')")


async def test_seeds_sidebar_keeps_related_first(seeds: Path) -> None:
    async with reader([seeds]) as (app, pilot, r):
        await r.wait_graph()
        await pilot.press("j", "j", "j", "enter", "r")  # the article view, its sidebar beside it: whole height
        await r.wait_for(lambda: "Related (4) · 0 here" in screen_text(app) and "More like this (…)" not in screen_text(app), "'Related (4) · 0 here' in screen_text(app) and 'More like this (…)' not in screen_text(app)")
        text = screen_text(app)
        assert "Related (4) · 0 here" in text and "Cited by (0)" in text and "More like this (" in text
        assert "Versions (" not in text  # every seed story is told once


async def test_a_long_sidebar_shows_every_line_of_every_entry(tmp_path: Path) -> None:
    """A sidebar longer than the screen gets a scrollbar; entries are wrapped
    at the width left beside it, so no entry loses a line ("in collection")."""
    folder = tmp_path / "col"
    names = [f"Story {i:02} about learning tools" for i in range(14)]  # "● " + 30 characters: one line only without a scrollbar
    related = "related:\n" + "".join(
        f'  - title: "{t}"\n    webUrl: "https://aws.example/s{i}"\n    provider: {{name: AWS}}\n'
        f"    publishedDateTime: 2024-01-{i + 1:02}T00:00:00Z\n"
        for i, t in enumerate(names)
    )
    write(folder, "a.md", article("The hub story", url="https://aws.example/hub", date="2024-02-01T00:00:00Z", extra=related))
    for i, title in enumerate(names):
        extra = "provider: {name: AWS, domain: aws.example}"
        write(folder, f"s{i}.md", article(title, url=f"https://aws.example/s{i}", date=f"2024-01-{i + 1:02}T00:00:00Z", extra=extra))
    async with reader([folder], size=(160, 48)) as (app, pilot, r):
        await r.wait_graph()
        await r.wait_for(lambda: r.section("similar") is not None, "the sidebar's More like this")
        await r.wait_article("The hub story")
        await pilot.press("enter", "r")  # the article view, its sidebar beside the article
        await r.settle()
        assert r.sidebar_scrollbar
        sidebar = [line[128:].strip(" │▁▂▃▄▅▆▇█▔") for line in screen_text(app).splitlines()]
        details = [k for k, line in enumerate(sidebar) if line.startswith("AWS · 2024-01-")]
        assert len(details) >= 8, sidebar
        for k in details[:-1]:  # (the last may be cut by the bottom of the screen)
            line = sidebar[k] + " " + sidebar[k + 1]
            assert line.startswith(sidebar[k] + " collection") or sidebar[k].endswith("in collection"), sidebar


async def test_back_and_forward_are_in_the_footer_at_80_columns_and_the_breadcrumb_follows_a_resize(tmp_path: Path) -> None:
    async with reader([graph_collection(tmp_path)], size=(80, 24)) as (app, pilot, r):
        await r.wait_graph()
        footer = screen_text(app).splitlines()[-1]
        assert "[ Back" in footer and "] Forward" in footer, footer
    async with reader([graph_collection(tmp_path / "wide")], size=(160, 40)) as (app, pilot, r):
        await r.wait_graph()
        await pilot.press("enter")
        r.choose_in_sidebar(0)
        await pilot.press("enter")  # A -> B
        await r.wait_article(LEUKEMIA)
        await pilot.resize_terminal(100, 30)
        await r.settle()
        crumb = next(line for line in screen_text(app).splitlines() if " › " in line)
        # The bar is narrower now: the current title still shows, after the one before.
        bar = next(part for part in crumb.split("│") if " › " in part)
        assert bar.strip().split(" › ")[-1].startswith("Artificia"), crumb


async def test_opening_a_story_paints_it_with_the_list_in_one_frame(tmp_path: Path) -> None:
    """Back / forward, the sidebar and the jump box open a story with go_to:
    the article is in the detail pane before the frame that moves the list is
    painted (no frame shows the list moved and the old article), and the
    cursor's own follow does not render it a second time."""
    async with reader([graph_collection(tmp_path)]) as (app, pilot, r):
        await r.wait_graph()
        target = next(e for e in r.rows if e.title.startswith("Story C"))
        assert r.shown is not target
        shown = []
        detail = r.main.panes.detail
        original = detail.show_article
        detail.show_article = lambda article, *a, **k: (shown.append(article.title), original(article, *a, **k))[1]
        assert r.go_to(target)
        assert r.article_title == target.title  # before any refresh
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("Story C elsewhere" in line for line in lines[2:6])  # the detail's header, top of the pane
        await r.settle()
        assert shown == [target.title]


async def test_a_long_walk_keeps_the_current_story_in_the_breadcrumb(tmp_path: Path) -> None:
    """Eight stories opened one after the other, then two steps back: the bar
    cannot hold every title, so it shows fewer steps (as many as fit, 10
    cells each at least), never losing the one the reader stands on."""
    folder = tmp_path / "walk"
    for i in range(8):
        write(folder, f"{i}.md", article(f"Story {i} with a long title about 人工知能 and more words", date=f"2024-01-0{i + 1}T00:00:00Z"))
    for size, least in (((160, 40), 3), ((100, 30), 1)):
        async with reader([folder], size=size) as (app, pilot, r):
            await r.wait_for(lambda: len(r.rows) == 8, "8 rows")
            for row in range(8):
                r.move_to(row)
                await pilot.press("enter")
                r.focus_list()
            await pilot.press("left_square_bracket", "left_square_bracket")
            await r.wait_for(lambda: r.shown.title.startswith("Story 2"), "Story 2 after two steps back")
            await r.settle()
            here = r.shown.title
            assert here.startswith("Story 2")
            crumb = next(line for line in screen_text(app).splitlines() if " › " in line)
            bar = next(part for part in crumb.split("│") if " › " in part).strip()
            steps = [step.strip() for step in bar.split(" › ")]
            assert steps[0] == "…", crumb  # the first steps are left out
            shown = [step for step in steps if step != "…"]
            assert len(shown) >= least and any(step.startswith("Story 2 ") for step in shown), crumb
