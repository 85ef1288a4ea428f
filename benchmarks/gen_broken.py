#!/usr/bin/env python3
"""Write a folder of broken and hostile article files (plus two good ones).

Usage::

    python benchmarks/gen_broken.py OUT_DIR [--no-large] [--no-special]

or, from a test (``sys.path.insert(0, "benchmarks")``)::

    from gen_broken import generate
    cases = generate(tmp_path, large=False)   # {file name: what it tests}
    cases = generate(tmp_path, large=False, special=True)   # and the special files

Standard library only. Every file is fixed text (the two large ones come
from a seeded ``random.Random``), so the output is byte-identical on every
run. Existing files of the same names are overwritten.

What a good file looks like (see ``seeds/`` and ``gen_collection.py``)::

    ---
    category: news
    title: "..."
    excerpt: "..."
    publishedDateTime: 2022-01-08T05:03:00Z
    webUrl: "https://..."
    ...
    provider: {name, domain}
    topics: [..]
    related: [{title, excerpt, publishedDateTime, webUrl, type, provider, quality, images}]
    secured: "..."
    ---
    optional Markdown body

The cases, one file each, named after what they test:

* front matter that does not work: invalid YAML, a list, a scalar, a fence
  never closed, TOML (``+++``) front matter, ``---`` lines inside a body;
* bytes: empty, whitespace only, UTF-8 BOM + CRLF, Latin-1, UTF-16 with BOM,
  binary with NUL bytes;
* values: wrong types in every field, an impossible date, 5000 related
  entries, related items that are not mappings;
* attacks on the YAML loader: a ``!!python/object/apply`` tag, a
  billion-laughs alias bomb, 5000 levels of nested lists;
* attacks on the terminal: Rich markup, ANSI/OSC escapes (clear screen,
  OSC 52 clipboard write, OSC 8 hyperlink), control characters, bidi
  overrides, emoji/CJK wide text, ``javascript:`` and ``file:`` URLs;
* values at the edges: dates at the ends of the calendar with the widest
  offsets (``9999-12-31T23:59:59-14:00``, ``0001-01-01T00:00:00+14:00``),
  a 5,000-digit ``quality`` and ``heat``;
* bodies that are costly Markdown: ``![`` 120,000 times, ``[`` 250,000 times;
* size (skipped with ``--no-large`` / ``large=False``): a 20 MB body of
  many paragraphs and a 30 MB body on a single line;
* special files (written by default from the command line, with
  ``special=True`` from a test; POSIX only): a FIFO, symlinks to /dev/tty
  and /dev/zero, file names holding terminal escapes (OSC 52 clipboard
  write, OSC 2 title, CSI 2J clear screen), a newline, a C1 control, a bidi
  override, bytes that are not UTF-8, a name starting with ``+!`` (a vim
  command if passed as an option), and a file deeper than PATH_MAX.

The descriptions start with "valid:" where the file is a well-formed article
that must load (possibly with some fields ignored); the rest are broken or
hostile and how the reader handles them is up to the reader.
"""

from __future__ import annotations

import argparse
import codecs
import sys
import time
import os
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from random import Random

MB = 1024 * 1024

SECURED = (
    "aomHKJ9jHAplnTzt+otkXWxPJgkW1gYLVsp4g0NrAMOAfX+SabfW7dcCGxp8WKRvT49IcHiJhzp+0KdH5FIHsBvysOiSpY4iik7Y"
    "cTDtE/gIMook0OGFyLZEa/JAtxR8vz/TANLpwgMb3pAR8l77o3x4dFN0QIRULKZ2C6izGTDHhOaWu2uBigzXLk6gQMLCrrLSpMqZ"
    "oZKhWxix9cKFZgrvKgvOE5OfcEQfyonQqGN0coNnsLn44QXjobuZjPlFhQFEP0LhkDHrknqtvXLkAI6uCjtVYmO+21xpWbA/bNs+"
    "4HfZUGLGg/bqrH+8JKCJJqA71L/DpLNtNL+Bxynat7UNjUxCwBDUJPlJP4gRxTc=;HAPQVV6CaWK5kOBRtJyQpQ=="
)


def front_matter(
    title: str,
    url: str,
    *,
    excerpt: str = "A short excerpt.",
    provider: str = "Broken Test Provider",
    extra: str = "",
    date: str = "2023-06-08T21:51:00Z",
) -> str:
    """Seed-shaped YAML front matter (with fences and the blank line after).

    ``title``, ``url``, ``excerpt`` and ``provider`` are inserted verbatim
    inside double quotes: pass YAML escapes (``\\e``, ``\\"``) where needed.
    ``extra`` (YAML lines) goes before ``secured``."""
    return (
        "---\n"
        "category: news\n"
        f'title: "{title}"\n'
        f'excerpt: "{excerpt}"\n'
        f"publishedDateTime: {date}\n"
        f'originalUrl: "{url}"\n'
        f'webUrl: "{url}"\n'
        "type: article\n"
        "quality: 51\n"
        "heat: -1\n"
        "published: false\n"
        "\n"
        "provider:\n"
        f'  name: "{provider}"\n'
        "  domain: broken.example.com\n"
        "\n"
        "topics:\n"
        "  - AI\n" + (f"\n{extra.rstrip()}\n" if extra else "") + "\n"
        f'secured: "{SECURED}"\n'
        "---\n"
        "\n"
    )


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


# ---------------------------------------------------------------------------
# The cases: each function returns one file's bytes.
# ---------------------------------------------------------------------------

# (file name, description, make bytes, large?), in the order written.
CASES: list[tuple[str, str, Callable[[], bytes], bool]] = []


def case(name: str, description: str, large: bool = False) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    """Register the decorated function as the maker of file ``name``."""

    def register(make: Callable[[], bytes]) -> Callable[[], bytes]:
        CASES.append((name, description, make, large))
        return make

    return register


@case("good_article.md", "valid: seed-shaped article, related entries inside and outside")
def good_article() -> bytes:
    return utf8(
        "---\n"
        "category: news\n"
        'title: "Japan Weighs Export Limits on Facial Recognition Cameras"\n'
        'excerpt: "The proposal, which carves out exceptions for research, would require a license '
        'to ship \\"high-risk\\" surveillance equipment abroad."\n'
        "publishedDateTime: 2022-01-10T08:15:00Z\n"
        'originalUrl: "https://www.good.example.com/2022/01/10/japan-weighs-export-limits/"\n'
        'webUrl: "https://www.good.example.com/2022/01/10/japan-weighs-export-limits/"\n'
        'ampWebUrl: "https://www.good.example.com/2022/01/10/japan-weighs-export-limits/amp/"\n'
        'cdnAmpWebUrl: "https://www-good-example-com.cdn.ampproject.org/c/s/'
        'www.good.example.com/2022/01/10/japan-weighs-export-limits/amp/"\n'
        "type: article\n"
        "quality: 72\n"
        "heat: 41\n"
        "published: true\n"
        "\n"
        "provider:\n"
        "  name: Good Example News\n"
        "  domain: good.example.com\n"
        "  images:\n"
        '    - url: "https://www.good.example.com/logo-50x50.jpg"\n'
        "      width: 50\n"
        "      height: 50\n"
        "\n"
        "topics:\n"
        "  - Computer Vision\n"
        "  - AI\n"
        "\n"
        "images:\n"
        '  - url: "https://www.good.example.com/wp-content/uploads/2022/01/camera.jpg"\n'
        "    width: 1200\n"
        "    height: 675\n"
        "    isCached: true\n"
        "\n"
        "related:\n"
        '  - title: "Facial Recognition Exports Face New Scrutiny"\n'
        '    excerpt: "The second good article, linked here through a variant of its URL."\n'
        "    publishedDateTime: 2022-01-09T12:00:00Z\n"
        '    webUrl: "http://good.example.com/2022/01/09/facial-recognition-exports-scrutiny/amp/"\n'
        "    type: article\n"
        "    provider:\n"
        "      name: Good Example News\n"
        "      domain: good.example.com\n"
        "    quality: 64\n"
        '  - title: "An Outside Story"\n'
        '    excerpt: "Points to a site that has no file in this folder."\n'
        "    publishedDateTime: 2022-01-08T05:03:00Z\n"
        '    webUrl: "https://www.elsewhere.example.org/news/outside-story/"\n'
        "    type: article\n"
        "    provider:\n"
        "      name: Elsewhere\n"
        "      domain: elsewhere.example.org\n"
        "    quality: 39\n"
        "    images:\n"
        '      - url: "https://www.elsewhere.example.org/og.png"\n'
        "        width: 1200\n"
        "        height: 627\n"
        "        isCached: true\n"
        "\n"
        f'secured: "{SECURED}"\n'
        "---\n"
        "\n"
    )


@case("good_article_markdown.md", "valid: article with a Markdown body")
def good_article_markdown() -> bytes:
    body = (
        "Regulators on three continents are taking a closer look at who buys facial recognition systems.\n\n"
        "## What happened\n\n"
        "Officials said the review would cover cameras, software and **cloud services**, and that\n"
        "companies would have [until March](https://www.good.example.com/deadline/) to comment.\n\n"
        "- Cameras sold to police forces\n"
        "- Software licences\n"
        "- Cloud services\n\n"
        "1. Consultation\n"
        "2. Draft rules\n\n"
        "> “We will look at the E.U. approach and others as references,” a minister said.\n\n"
        "## What comes next\n\n"
        "A decision is expected later this year.\n"
    )
    return utf8(
        front_matter(
            "Facial Recognition Exports Face New Scrutiny",
            "https://www.good.example.com/2022/01/09/facial-recognition-exports-scrutiny/",
            excerpt="Regulators on three continents are taking a closer look at who buys facial recognition systems.",
            date="2022-01-09T12:00:00Z",
            extra=(
                "images:\n"
                '  - url: "https://www.good.example.com/img/scrutiny.jpg"\n'
                "    width: 800\n"
                "    height: 492\n"
                "    isCached: false"
            ),
        )
        + body
    )


@case("yaml_invalid.md", "front matter is not valid YAML")
def yaml_invalid() -> bytes:
    return utf8(
        "---\n"
        'title: "Unclosed quote\n'
        "excerpt: [1, 2\n"
        "webUrl: https://broken.example.com/yaml-invalid\n"
        "  bad indentation: : :\n"
        "---\n\nThe body of a file whose front matter does not parse.\n"
    )


@case("front_matter_list.md", "front matter is a YAML list")
def front_matter_list() -> bytes:
    return utf8("---\n- title\n- excerpt\n- https://broken.example.com/list\n---\n\nFront matter is a YAML list.\n")


@case("front_matter_scalar.md", "front matter is a YAML scalar")
def front_matter_scalar() -> bytes:
    return utf8("---\nJust a sentence where the fields should be.\n---\n\nFront matter is a YAML scalar.\n")


@case("fence_never_closed.md", "opening --- but no closing fence")
def fence_never_closed() -> bytes:
    return utf8(
        "---\n"
        'title: "The Closing Fence Never Comes"\n'
        'webUrl: "https://broken.example.com/fence-never-closed"\n'
        "\n"
        "The author forgot the second --- line, so this whole text is front matter.\n"
    )


@case("toml_front_matter.md", "TOML front matter between +++ fences")
def toml_front_matter() -> bytes:
    return utf8(
        "+++\n"
        'title = "TOML Front Matter Instead of YAML"\n'
        'excerpt = "Hugo-style front matter between +++ fences."\n'
        "publishedDateTime = 2023-02-01T10:00:00Z\n"
        'webUrl = "https://broken.example.com/toml"\n'
        'topics = ["AI", "Static Sites"]\n'
        "quality = 40\n"
        "[provider]\n"
        'name = "TOML Times"\n'
        'domain = "toml.example.com"\n'
        "+++\n"
        "\n"
        "A body after TOML front matter.\n"
    )


@case("dashes_in_body.md", "valid: --- lines (and a fake front matter block) inside the body")
def dashes_in_body() -> bytes:
    return utf8(
        front_matter("A Body With Horizontal Rules", "https://broken.example.com/dashes-in-body")
        + "First section.\n\n---\n\nSecond section, after a --- rule.\n\n"
        '---\ntitle: "Not front matter"\nwebUrl: "https://broken.example.com/fake"\n---\n\n'
        "The block above looks like front matter but is body text.\n"
    )


@case("empty.md", "empty file (0 bytes)")
def empty() -> bytes:
    return b""


@case("whitespace_only.md", "only spaces, tabs and newlines")
def whitespace_only() -> bytes:
    return b" \n\t\n   \r\n\n\t \n"


@case("bom_crlf.md", "valid: UTF-8 BOM and CRLF line ends")
def bom_crlf() -> bytes:
    text = front_matter("UTF-8 BOM and Windows Line Ends", "https://broken.example.com/bom-crlf")
    text += "A body with CRLF line ends.\n\nSecond paragraph.\n"
    return codecs.BOM_UTF8 + utf8(text.replace("\n", "\r\n"))


@case("latin1.md", "Latin-1 encoded (bytes that are not UTF-8)")
def latin1() -> bytes:
    text = (
        front_matter(
            "Café Müller: naïve résumé of a Latin-1 file",
            "https://broken.example.com/latin-1",
            excerpt="Bytes like é (0xE9) and ü (0xFC) are not UTF-8.",
        )
        + "Ça coûte 5 £, señor. Grüße aus Köln. ¿Qué? ½ ¼ ©\n"
    )
    return text.encode("latin-1")


@case("utf16_bom.md", "valid: UTF-16 LE with a BOM")
def utf16_bom() -> bytes:
    text = (
        front_matter(
            "UTF-16 With a Byte Order Mark",
            "https://broken.example.com/utf-16",
            excerpt="Saved by a Windows editor: ünïcödé.",
        )
        + "A body in UTF-16 little-endian, with a BOM.\n"
    )
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")  # explicit order: same bytes on every platform


@case("binary_nul.md", "binary data with NUL bytes (PNG header)")
def binary_nul() -> bytes:
    rng = Random(0xB1A)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4096) + b"\x00" * 64


@case("wrong_types.md", 'every field has the wrong type (title: 12345, topics: "AI", related: a mapping...)')
def wrong_types() -> bytes:
    return utf8(
        "---\n"
        "category: null\n"
        "title: 12345\n"
        "excerpt: [not, a, string]\n"
        "publishedDateTime: 12\n"
        "originalUrl: {nested: mapping}\n"
        "webUrl: 42\n"
        "ampWebUrl: true\n"
        "cdnAmpWebUrl: 3.5\n"
        "type: [article]\n"
        'quality: "high"\n'
        "heat: [1, 2, 3]\n"
        'published: "maybe"\n'
        'provider: "x"\n'
        'topics: "AI"\n'
        "images: 7\n"
        "related:\n"
        '  title: "related is a mapping, not a list"\n'
        '  webUrl: "https://broken.example.com/related-mapping"\n'
        "secured: 3.14159\n"
        "---\n\nEvery field has the wrong type.\n"
    )


@case("impossible_date.md", "valid: publishedDateTime 2022-13-45T99:00:00Z, related dates Feb 30 / year 0 / 99999")
def impossible_date() -> bytes:
    related = (
        "related:\n"
        '  - title: "February 30th"\n'
        "    publishedDateTime: 2022-02-30T00:00:00Z\n"
        '    webUrl: "https://broken.example.com/feb-30"\n'
        '  - title: "Year zero"\n'
        "    publishedDateTime: 0000-00-00T00:00:00Z\n"
        '    webUrl: "https://broken.example.com/year-zero"\n'
        '  - title: "Far future"\n'
        "    publishedDateTime: 99999-01-01T00:00:00Z\n"
        '    webUrl: "https://broken.example.com/far-future"\n'
    )
    return utf8(
        front_matter(
            "A Date That Cannot Exist",
            "https://broken.example.com/impossible-date",
            date="2022-13-45T99:00:00Z",
            extra=related,
        )
    )


@case("related_5000.md", "valid: 5000 related entries")
def related_5000() -> bytes:
    lines = ["related:"]
    for i in range(5000):
        lines += [
            f'  - title: "Related story number {i}"',
            f"    publishedDateTime: 2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}T00:00:00Z",
            f'    webUrl: "https://many.example.com/story/{i}"',
            "    provider: {name: Many, domain: many.example.com}",
            f"    quality: {i % 100}",
        ]
    url = "https://broken.example.com/related-5000"
    return utf8(front_matter("Five Thousand Related Stories", url, extra="\n".join(lines)))


@case("related_non_mappings.md", "valid: related items that are strings, numbers, null, lists, empty")
def related_non_mappings() -> bytes:
    extra = (
        "related:\n"
        '  - "just a string"\n'
        "  - 42\n"
        "  - null\n"
        "  - [a, nested, list]\n"
        "  - true\n"
        "  - {}\n"
        '  - {title: ""}\n'
        '  - title: "The one usable entry"\n'
        '    webUrl: "https://broken.example.com/usable"\n'
    )
    url = "https://broken.example.com/related-non-mappings"
    return utf8(front_matter("Related Items That Are Not Mappings", url, extra=extra))


@case("python_object_tag.md", "!!python/object/apply:os.system tag in the YAML")
def python_object_tag() -> bytes:
    return utf8(
        "---\n"
        'title: "A Harmless Looking Title"\n'
        'webUrl: "https://broken.example.com/python-tag"\n'
        'exploit: !!python/object/apply:os.system ["echo pwned"]\n'
        "also: !!python/name:os.system\n"
        "---\n\nIf this ran, a shell command was executed while reading YAML.\n"
    )


@case("alias_bomb.md", "billion laughs: 9 levels of 9 YAML aliases, used by topics and related")
def alias_bomb() -> bytes:
    lines = ["---", 'title: "Billion Laughs"', 'webUrl: "https://broken.example.com/alias-bomb"']
    lines.append('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    names = "abcdefghi"
    for prev, name in pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines += ["topics: *i", "related: *i", "---", ""]
    lines += ["9 levels of 9 aliases: 9^9 = 387,420,489 strings if expanded.", ""]
    return utf8("\n".join(lines))


@case("deep_nesting.md", "lists nested 5000 levels deep in the front matter")
def deep_nesting() -> bytes:
    depth = 5000
    return utf8(
        "---\n"
        'title: "Five Thousand Levels of Nested Lists"\n'
        'webUrl: "https://broken.example.com/deep-nesting"\n'
        f"deep: {'[' * depth}{']' * depth}\n"
        "---\n\nThe front matter nests lists 5000 levels deep.\n"
    )


@case("rich_markup.md", "valid: Rich markup ([bold red], [@click=app.quit], [link=...]) in title and body")
def rich_markup() -> bytes:
    return utf8(
        front_matter(
            "[bold red]x[/] [@click=app.quit]click[/] [link=file:///etc/passwd]passwd[/link]",
            "https://broken.example.com/rich-markup",
            excerpt="[blink]Markup[/blink] in the excerpt [/] [red]unclosed",
            extra="related:\n"
            '  - title: "[@click=app.quit]Quit from a related title[/]"\n'
            '    webUrl: "https://broken.example.com/rich-related"\n',
        )
        + "[bold red]x[/]\n\n[@click=app.quit]click[/] to quit, [@click=app.bell]ring[/].\n\n"
        "[link=javascript:alert(1)]a link[/link] and an unbalanced closing tag [/] and [/bold].\n\n"
        ":warning: :smiley: emoji codes, \\[escaped] brackets, and [not markup at all.\n"
    )


@case("ansi_osc_escapes.md", "valid: ANSI CSI, OSC 52 clipboard write, OSC 8 hyperlink in title and body")
def ansi_osc_escapes() -> bytes:
    # In the YAML the escapes are written as YAML escapes (\e, \a), so the
    # file parses and the *values* carry raw ESC/BEL; the body has them raw.
    title = (
        r"\e[2J\e[H\e[31mCleared Screen\e[0m \e]52;c;aGVsbG8=\a clipboard "
        r"\e]8;;https://evil.example/\e\\hyperlink\e]8;;\e\\ \e]0;window title\a"
    )
    body = (
        "\x1b[2J\x1b[HThe screen was just cleared.\n\n"
        "\x1b]52;c;aGVsbG8=\x07This line wrote 'hello' to the clipboard (OSC 52).\n\n"
        "\x1b]8;;https://evil.example/\x1b\\A harmless-looking OSC 8 link\x1b]8;;\x1b\\\n\n"
        "\x1b]0;New window title\x07\x1b[?1049h\x1b[?25lAlternate screen, hidden cursor.\n\n"
        "\x1b[31;1;5mRed bold blinking\x1b[0m, \x1b[8mconcealed\x1b[28m, \x1bcfull reset.\n\n"
        "# Heading with \x1b[44m background\x1b[0m\n"
    )
    return utf8(
        front_matter(
            title,
            "https://broken.example.com/ansi-osc",
            excerpt=r"\e[1;31mRed excerpt\e[0m",
            provider=r"\e[5mBlinking provider\e[0m",
        )
        + body
    )


@case("control_characters.md", "valid: C0/C1 control characters, lone CR, line/paragraph separators")
def control_characters() -> bytes:
    title = r"Bell\a Backspace\b\b Tab\t VT\v FF\f DEL\x7f CSI\x9b31m NEL\N LS\L PS\P ZWSP\u200b end"
    body = (
        "Bell \x07 backspace \x08\x08\x08 vertical tab \x0b form feed \x0c escape \x1b delete \x7f.\n\n"
        "C1 controls: \u0085 NEL, \u009b CSI 31m red?, \u009d OSC, \u0090 DCS.\n\n"
        "Safe text\rEVIL text overwrote it with a lone carriage return.\n\n"
        "Line\u2028separator and paragraph\u2029separator; zero\u200bwidth\u200dspaces; soft\u00adhyphen.\n\n"
        "Tabs\tare\tfine\tand\tstay.\n"
    )
    excerpt = r"Excerpt with \a bell and \x1b escape"
    return utf8(front_matter(title, "https://broken.example.com/control-chars", excerpt=excerpt) + body)


@case("rtl_override.md", "valid: Arabic/Hebrew text, U+202E override and other bidi controls")
def rtl_override() -> bytes:
    title = "تقنية التعرف على الوجه تحت المجهر — זיהוי פנים — invoice_\u202etxt.exe"
    body = (
        "هذه فقرة باللغة العربية عن تقنيات الذكاء الاصطناعي والتعرف على الوجه.\n\n"
        "זוהי פסקה בעברית על בינה מלאכותית, with English words mixed in, ו-123 מספרים.\n\n"
        "An override \u202ereversed text\u202c and an embedding \u202bembedded\u202c and isolates "
        "\u2067isolated\u2069 \u2066left\u2069, a right-to-left mark \u200f and left-to-right mark \u200e.\n\n"
        "File name trick: invoice_\u202egpj.exe looks like invoice_exe.jpg.\n"
    )
    excerpt = "\u202eEXCERPT REVERSED\u202c and normal"
    return utf8(front_matter(title, "https://broken.example.com/rtl-override", excerpt=excerpt) + body)


@case("emoji_cjk_wide.md", "valid: emoji (ZWJ, flags), CJK and fullwidth wide title and body, combining marks")
def emoji_cjk_wide() -> bytes:
    zalgo = "\u0337".join("Zalgo") + "\u0337"  # combining long solidus overlay
    title = "🤖🚀 人工知能が顔認識を変える 人工智能 얼굴 인식 👩\u200d💻 🇯🇵 ＡＩ全角テキスト " + zalgo
    extra = (
        "related:\n"
        '  - title: "中国起草人脸识别技术使用规定 📷📷📷📷📷📷📷📷📷📷"\n'
        '    webUrl: "https://broken.example.com/cjk-related"\n'
    )
    body = (
        "# 見出し 🧠\n\n"
        + "日本語の段落です。全角文字は端末で二桁を占めます。" * 20
        + "\n\n"
        + "🏳️\u200d🌈👨\u200d👩\u200d👧\u200d👦🧑🏽\u200d🚀 " * 30
        + "\n\n한국어 문단입니다. 얼굴 인식 기술에 관한 기사입니다.\n"
    )
    return utf8(
        front_matter(
            title,
            "https://broken.example.com/emoji-cjk",
            excerpt="絵文字 😀 と CJK 文字の抜粋。",
            provider="日本経済新聞 📰",
            extra=extra,
        )
        + body
    )


@case("javascript_url.md", "valid: webUrl javascript:alert(1), data: and javascript: links")
def javascript_url() -> bytes:
    extra = (
        'ampWebUrl: "JaVaScRiPt:alert(document.cookie)"\n'
        "images:\n"
        '  - url: "javascript:alert(3)"\n'
        "    width: 100\n"
        "    height: 100\n"
        "related:\n"
        '  - title: "Related javascript: link"\n'
        '    webUrl: "javascript:alert(2)"\n'
        '  - title: "Related data: link"\n'
        '    webUrl: "data:text/html,<script>alert(4)</script>"\n'
    )
    return utf8(
        front_matter("A webUrl That Runs Script", "javascript:alert(1)", extra=extra)
        + "[Click me](javascript:alert(1)) or [this](  javascript:alert(5)) or <javascript:alert(6)>.\n"
    )


@case("file_url.md", "valid: webUrl file:///etc/passwd, file:/ssh:/smb: links")
def file_url() -> bytes:
    extra = (
        "images:\n"
        '  - url: "file:///etc/shadow"\n'
        "    width: 100\n"
        "    height: 100\n"
        "related:\n"
        '  - title: "Related file: link"\n'
        '    webUrl: "file:///C:/Windows/win.ini"\n'
        '  - title: "Related ssh: link"\n'
        '    webUrl: "ssh://attacker.example/"\n'
    )
    return utf8(
        front_matter("A webUrl That Opens a Local File", "file:///etc/passwd", extra=extra)
        + "[passwd](file:///etc/passwd), [home](file://localhost/home/), [share](smb://server/share).\n"
    )


_WORDS = [
    "regulators",
    "facial",
    "recognition",
    "exports",
    "cameras",
    "software",
    "policy",
    "review",
    "market",
    "analysts",
    "investors",
    "privacy",
    "surveillance",
    "research",
    "chips",
    "models",
    "data",
    "training",
    "deployment",
    "cities",
    "police",
    "hospitals",
    "schools",
    "companies",
    "officials",
    "minister",
    "government",
    "consultation",
    "license",
    "rules",
    "guardrails",
    "ethics",
    "safety",
]


def _paragraphs(rng: Random, count: int) -> list[str]:
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randrange(40, 120))).capitalize() + "." for _ in range(count)]


@case("large_body_20mb.md", "valid: 20 MB body of many paragraphs", large=True)
def large_body_20mb() -> bytes:
    rng = Random(20)
    paras = _paragraphs(rng, 400)
    head = front_matter("A Twenty Megabyte Body", "https://broken.example.com/large-body-20mb")
    out, size, i = [head], len(head), 0
    while size < 20 * MB:
        para = f"Paragraph {i + 1}. {paras[i % len(paras)]}\n\n"
        if i % 50 == 0:
            para = f"## Section {i // 50 + 1}\n\n" + para
        out.append(para)
        size += len(para)
        i += 1
    return utf8("".join(out))


@case("large_line_30mb.md", "valid: 30 MB body on a single line", large=True)
def large_line_30mb() -> bytes:
    rng = Random(30)
    chunk = " ".join(_paragraphs(rng, 200)) + " "
    head = front_matter("A Thirty Megabyte Single Line", "https://broken.example.com/large-line-30mb")
    line = (chunk * (30 * MB // len(chunk) + 1))[: 30 * MB]
    return utf8(head + line + "\n")


@case("date_far_future.md", "valid: publishedDateTime 9999-12-31T23:59:59-14:00 (past year 9999 in UTC)")
def date_far_future() -> bytes:
    url = "https://broken.example.com/date-far-future"
    related = (
        "related:\n"
        '  - title: "Also at the end of time"\n'
        "    publishedDateTime: 9999-12-31T23:59:59-14:00\n"
        '    webUrl: "https://broken.example.com/end-of-time"\n'
    )
    return utf8(front_matter("The Last Second of the Calendar", url, date="9999-12-31T23:59:59-14:00", extra=related))


@case("date_far_past.md", "valid: publishedDateTime 0001-01-01T00:00:00+14:00 (before year 1 in UTC)")
def date_far_past() -> bytes:
    url = "https://broken.example.com/date-far-past"
    return utf8(front_matter("The First Second of the Calendar", url, date="0001-01-01T00:00:00+14:00"))


@case("huge_numbers.md", "valid: quality and heat of 5,000 digits (Python refuses to read them as int)")
def huge_numbers() -> bytes:
    digits = "9" * 5000
    text = front_matter("Numbers Too Long to Read", "https://broken.example.com/huge-numbers")
    text = text.replace("quality: 51\n", f"quality: {digits}\n").replace("heat: -1\n", f"heat: {digits}\n")
    return utf8(text + "The quality and heat fields have 5,000 digits each; only they are lost.\n")


@case("markdown_image_brackets.md", "valid: a body of '![' 120,000 times (costly Markdown)")
def markdown_image_brackets() -> bytes:
    head = front_matter("A Body of Image Brackets", "https://broken.example.com/markdown-image-brackets")
    return utf8(head + "![" * 120_000 + "\n")


@case("markdown_open_brackets.md", "valid: a body of '[' 250,000 times (costly Markdown)")
def markdown_open_brackets() -> bytes:
    head = front_matter("A Body of Open Brackets", "https://broken.example.com/markdown-open-brackets")
    return utf8(head + "[" * 250_000 + "\n")


# ---------------------------------------------------------------------------
# Special files: not bytes in a regular file, but what the folder holds.
# Each maker creates its entry at the path given (POSIX only).
# ---------------------------------------------------------------------------

SPECIAL: list[tuple[str, str, Callable[[Path], None]]] = []


def special(name: str | bytes, description: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """Register the decorated function as the maker of the special entry
    ``name`` (bytes: a name that is not UTF-8)."""
    text = os.fsdecode(name) if isinstance(name, bytes) else name

    def register(make: Callable[[Path], None]) -> Callable[[Path], None]:
        SPECIAL.append((text, description, make))
        return make

    return register


def _untitled(path: Path) -> None:
    """An article with no title: the reader names it after its file."""
    path.write_bytes(utf8('---\nwebUrl: ""\nprovider: {name: Untitled}\n---\n'))


@special("fifo.md", "a named pipe (FIFO): reading it would wait for a writer forever")
def fifo(path: Path) -> None:
    os.mkfifo(path)


@special("tty_link.md", "a symlink to /dev/tty: reading it would read the keyboard")
def tty_link(path: Path) -> None:
    os.symlink("/dev/tty", path)


@special("zero_link.md", "a symlink to /dev/zero: reading it would never end")
def zero_link(path: Path) -> None:
    os.symlink("/dev/zero", path)


UNTITLED_NAMES = [
    ("name_osc52_\x1b]52;c;cHduZWQ=\x07.md", "file name with OSC 52 (sets the clipboard), no title"),
    ("name_title_\x1b]2;PWNED\x07.md", "file name with OSC 2 (sets the terminal title), no title"),
    ("name_clear_\x1b[2J\x1b[H.md", "file name with CSI 2J (clears the screen), no title"),
    ("name_new\nline.md", "file name with a newline, no title"),
    ("name_c1_\x9b31m_\u202egnp.md", "file name with a C1 CSI and a bidi override, no title"),
    (b"name_bad_\xff\xfe.md", "file name that is not UTF-8, no title"),
]
for _name, _description in UNTITLED_NAMES:
    special(_name, _description)(_untitled)


@special(b"name_bad_\xff\xfe_titled.md", "file name that is not UTF-8, with a title")
def name_bad_utf8_titled(path: Path) -> None:
    path.write_bytes(utf8(front_matter("A File Whose Name Is Not UTF-8", "https://broken.example.com/bad-name")))


@special("+!touch PWNED_BY_FILENAME.md", "file name that is a vim command if given as an option")
def name_vim_command(path: Path) -> None:
    path.write_bytes(utf8(front_matter("A Name That Is a Command", "https://broken.example.com/vim-command")))


@special("deep", "a file deeper than PATH_MAX (folders of 200-character names)")
def deep_path(path: Path) -> None:
    path.mkdir()
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(25):  # 25 x 201 characters: past Linux's 4,096
            name = "d" * 200
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        article = os.open("too_deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        try:
            os.write(article, utf8(front_matter("Deeper Than PATH_MAX", "https://broken.example.com/deep")))
        finally:
            os.close(article)
    finally:
        os.close(fd)


def generate(out_dir: Path, large: bool = True, special: bool = False) -> dict[str, str]:
    """Write every case into ``out_dir``; return {file name: description}.
    ``special``: also the special files (see :data:`SPECIAL`)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, description, make, is_large in CASES:
        if is_large and not large:
            continue
        (out_dir / name).write_bytes(make())
        written[name] = description
    if special:
        for name, description, make_special in SPECIAL:
            target = out_dir / name
            if os.path.lexists(target):
                _remove(target)
            make_special(target)
            written[name] = description
    return written


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    else:
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write broken and hostile article files for testing.")
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--no-large", action="store_true", help="skip the 20 MB and 30 MB files")
    parser.add_argument("--no-special", action="store_true", help="skip the FIFO, device links, hostile names, deep path")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cases = generate(args.out_dir, large=not args.no_large, special=not args.no_special)
    seconds = time.perf_counter() - start
    width = max(len(ascii(name)) for name in cases)
    for name, description in cases.items():
        print(f"{ascii(name)[1:-1]:<{width}}  {description}")  # the names as escapes: never raw on the terminal
    total = sum((args.out_dir / name).lstat().st_size for name in cases)
    print(f"{len(cases)} files, {total} bytes, {seconds:.1f} s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
