#!/usr/bin/env python3
"""A second generator of the same file format, shaped differently from
gen_collection.py: for measuring what the index's shortcuts assume.

    python benchmarks/gen_other.py OUT_DIR --count N [--seed S]

Same fields, same meaning, but written as other tools write them:

* keys in other orders (provider and topics first, related before the title...);
* every quoting style: plain scalars, single quotes, double quotes, folded
  (``>-``) and literal (``|``) block scalars for excerpts;
* topics and providers as flow collections (``[AI, Robots]``, ``{name: X, domain: y}``)
  or block ones;
* dates as ``2023-05-01 10:00:00+02:00``, ``2023-05-01``, quoted or not;
* URLs with query strings, tracking parameters, fragments, ports, upper-case
  hosts, percent-escapes;
* more fields no entry needs (authors, tags, a summary), more images, longer
  related lists (up to 14), and longer Markdown bodies (3-12 KB);
* one file in ten with CRLF line ends, one in fifty with a BOM.

Standard library only; deterministic for a given count and seed. Layout as
gen_collection.py: 1000 files per folder.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import _common  # noqa: F401, E402  (the clone's root on sys.path: the fixtures package)

from fixtures.collection import COMPANIES, TECH, TOPICS, make_excerpt, make_paragraph, make_title, slugify  # noqa: E402

HOSTS = ["News.Example.COM", "www.dailytech.io", "m.worldwire.net", "tech.herald.co.uk", "www.signal-post.org:8443"]
PROVIDERS = [("Example News", "example.com"), ("DailyTech", "dailytech.io"), ("World Wire", "worldwire.net"),
             ("The Herald", "herald.co.uk"), ("Signal Post", "signal-post.org")]  # fmt: skip
FIRST = ["Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana"]


def url(rng: random.Random, title: str) -> str:
    host = rng.choice(HOSTS)
    slug = slugify(title)
    shape = rng.randrange(6)
    if shape == 0:
        return f"https://{host}/story?id={rng.randrange(10**7)}&utm_source=rss&utm_medium=feed"
    if shape == 1:
        return f"https://{host}/{slug}/?ref=homepage#comments"
    if shape == 2:
        return f"http://{host}/news/{rng.randrange(2019, 2025)}/{slug.replace('-', '%20')}.html?output=amp"
    if shape == 3:
        return f"https://{host}/a/{rng.getrandbits(48):x}?s={rng.randrange(99)}&lang=en"
    return f"https://{host}/{slug}"


def quoted(rng: random.Random, text: str, indent: str = "") -> str:
    """One of YAML's ways of writing a string, chosen at random (always valid)."""
    shape = rng.randrange(5)
    plain_ok = text and text[0].isalnum() and ": " not in text and " #" not in text and not text.endswith(":")
    if shape == 0 and plain_ok:
        return text
    if shape == 1:
        return "'" + text.replace("'", "''") + "'"
    if shape == 2:
        return ">-\n" + indent + "  " + text
    if shape == 3:
        return "|-\n" + indent + "  " + text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date(rng: random.Random) -> str:
    y, m, d, h, mi = rng.randrange(2019, 2025), rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:00+02:00"
    if shape == 1:
        return f"{y}-{m:02d}-{d:02d}"
    if shape == 2:
        return f"'{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00.000Z'"
    return f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z"


def related(rng: random.Random, titles: list[str]) -> list[str]:
    lines = ["related:"]
    for _ in range(rng.randrange(0, 15)):
        title = rng.choice(titles) if titles and rng.random() < 0.5 else make_title(rng)
        name, domain = rng.choice(PROVIDERS)
        fields = [
            f"title: {quoted(rng, title, '    ')}",
            f"webUrl: {url(rng, title)}",
            f"publishedDateTime: {date(rng)}",
            f"provider: {{name: {name}, domain: {domain}}}",
            f"excerpt: {quoted(rng, make_excerpt(rng), '    ')}",
            f"quality: {rng.randrange(10, 99)}",
        ]
        rng.shuffle(fields)
        lines.append("  - " + fields[0])
        lines.extend("    " + f for f in fields[1:])
    return lines if len(lines) > 1 else []


def article(rng: random.Random, titles: list[str]) -> str:
    title = make_title(rng)
    titles.append(title)
    name, domain = rng.choice(PROVIDERS)
    topics = ["AI", *rng.sample(TOPICS[1:], rng.randrange(0, 4))]
    blocks: list[list[str]] = [
        [f"title: {quoted(rng, title)}"],
        [f"excerpt: {quoted(rng, make_excerpt(rng))}"],
        [f"publishedDateTime: {date(rng)}"],
        [f"webUrl: {url(rng, title)}"],
        [f"originalUrl: '{url(rng, title)}'"],
        ["topics: [" + ", ".join(topics) + "]"] if rng.random() < 0.5 else ["topics:", *(f"  - {t}" for t in topics)],
        [f"provider: {{name: {name}, domain: {domain}}}"] if rng.random() < 0.5 else ["provider:", f"  domain: {domain}", f"  name: {name}"],
        [f"quality: {rng.randrange(10, 99)}", f"heat: {rng.randrange(-1, 300)}"],
        ["authors:", *(f"  - {rng.choice(FIRST)} {rng.choice(COMPANIES)}" for _ in range(rng.randrange(1, 4)))],
        ["tags: [" + ", ".join(rng.sample(TECH, 3)) + "]"],
        ["summary: " + quoted(rng, make_paragraph(rng, 2, 4))],
        ["images:", *(f"  - {{url: 'https://img.example.com/{rng.getrandbits(40):x}.jpg', width: 1200, height: 800}}" for _ in range(rng.randrange(0, 6)))],
        related(rng, titles[-2000:]),
    ]
    rng.shuffle(blocks)
    lines = ["---", *(line for block in blocks for line in block if block), "---", ""]
    body = "\n\n".join(f"## {make_title(rng)}\n\n{make_paragraph(rng, 4, 9)}" for _ in range(rng.randrange(2, 7)))
    text = "\n".join(lines) + body + "\n"
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return ("\ufeff".encode() + data) if rng.random() < 0.02 else data  # type: ignore[return-value]


def generate(out_dir: Path, count: int, seed: int = 0) -> int:
    rng = random.Random(seed)
    titles: list[str] = []
    size = 0
    for i in range(count):
        folder = out_dir / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = article(rng, titles)
        (folder / f"{i:07d}.md").write_bytes(data)  # type: ignore[arg-type]
        size += len(data)
        if len(titles) > 4000:
            del titles[:2000]
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    size = generate(args.out_dir, args.count, args.seed)
    print(f"{args.count} files, {size} bytes (avg {size // max(1, args.count)}), {time.perf_counter() - started:.1f} s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
