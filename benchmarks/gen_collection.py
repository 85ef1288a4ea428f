#!/usr/bin/env python3
"""Generate a large, realistic, deterministic collection of article files.

Usage::

    python benchmarks/gen_collection.py OUT_DIR --count N [--seed S]

or, from a test (``sys.path.insert(0, "benchmarks")``)::

    from gen_collection import generate
    paths = generate(tmp_path, 2000, seed=1)

Standard library only (no Textual, not even PyYAML: the YAML is written by
hand so that the output is byte-for-byte stable and fast to produce). The
same ``count`` and ``seed`` always give byte-identical files: every random
choice comes from one ``random.Random(seed)`` (subclass) in a fixed order, nothing
depends on the clock, the hash seed or set ordering.

Layout
------
``OUT_DIR/000/0000000_<16 hex>.md``, ``OUT_DIR/000/0000001_<16 hex>.txt``, ...
1000 files per sub-folder (``000``, ``001``, ...). Existing files are
overwritten, stale ones from an earlier, larger run are not removed.

File format (the shape of the seed documents in ``seeds/``)
-----------------------------------------------------------
About 8 % of the files (``.txt``) are plain text with no front matter: the
first line is the title, then a photo caption, a credit line and paragraphs
separated by blank lines (like ``seeds/001_*.txt``).

The rest (``.md``) start with YAML front matter between two ``---`` lines::

    category: news                           # news / research / opinion
    title: "..."                             # always double-quoted
    excerpt: "..."                           # quoted, sometimes with \\"escaped\\" quotes
    publishedDateTime: 2022-01-08T05:03:00Z
    originalUrl: "https://..."
    webUrl: "https://..."
    ampWebUrl: "https://...?amp"             # some files only
    cdnAmpWebUrl: "https://x-y-com.cdn.ampproject.org/c/s/..."  # some only
    type: article
    quality: 59                              # int
    heat: 69                                 # int, -1 means "no value"
    published: false                         # bool
                                             # (blank lines between blocks)
    provider: {name, domain, images?}        # block mapping, images sometimes
    topics: [..]                             # block list
    images: [{url, width, height, isCached}] # some files only
    related:                                 # some files only
      - title / excerpt / publishedDateTime / webUrl / ampWebUrl? /
        cdnAmpWebUrl? / type / provider {name, domain} / quality / images?
    secured: "<base64>;<base64>"             # opaque blob

About 20 % of the front-matter files have a Markdown body after the closing
fence (headings, paragraphs, bullet and numbered lists, links, a quote); the
others have an empty body, exactly like the seeds (``---`` then a blank
line).

``related`` entries are snapshots of other stories. Half of them point
inside the generated collection: the exact title and webUrl of another
generated front-matter file, the URL sometimes in a variant form (http://
instead of https://, ``www.`` dropped, or ``/amp/`` appended) that
normalises to the same story. The other half point outside: hosts on
domains no generated file uses.

Titles are built from word lists (subjects, verbs, technologies, places,
concerns, companies, events) through ~20 headline templates, in title case
or sentence case, so that fuzzy search over tens of thousands of titles is
meaningful. About 0.3 % of files (front-matter ones) reuse the exact title
of another file under a different URL, as real collections do; all other
titles are unique (ignoring case).
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from random import Random

FILES_PER_FOLDER = 1000
BLOCK = 50_000  # files drawn from one random sequence (see _generate)
PLAIN_SHARE = 0.08  # files with no front matter
BODY_SHARE = 0.20  # front-matter files with a Markdown body
DUPLICATE_TITLE_SHARE = 0.004  # files that reuse another file's title
INSIDE_RELATED_SHARE = 0.5  # related entries that point into the collection

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

COMPANIES = [
    "IBM",
    "Google",
    "Microsoft",
    "OpenAI",
    "Nvidia",
    "Apple",
    "Amazon",
    "Meta",
    "Baidu",
    "Tencent",
    "Alibaba",
    "Huawei",
    "Samsung",
    "Intel",
    "AMD",
    "Tesla",
    "Anthropic",
    "DeepMind",
    "Sony",
    "Toyota",
    "Siemens",
    "Bosch",
    "Palantir",
    "Clearview AI",
    "SenseTime",
    "Megvii",
    "Hikvision",
    "Oracle",
    "Salesforce",
    "Adobe",
    "Qualcomm",
    "Arm",
    "TSMC",
    "Mobileye",
    "Waymo",
    "Cruise",
    "Zoox",
    "Boston Dynamics",
    "Stability AI",
    "Hugging Face",
    "Cohere",
    "Mistral AI",
    "Databricks",
    "Snowflake",
    "Cisco",
    "SAP",
    "Accenture",
    "Uber",
    "Spotify",
    "Netflix",
    "Shopify",
    "Zoom",
    "ByteDance",
    "Xiaomi",
    "Rakuten",
    "SoftBank",
    "Fujitsu",
    "NEC",
    "Hitachi",
    "Panasonic",
    "LG",
    "Naver",
    "Kakao",
    "Infosys",
    "Wipro",
    "Ericsson",
    "Nokia",
    "Philips",
    "ABB",
    "Airbus",
    "Boeing",
    "Lockheed Martin",
    "Visa",
    "Mastercard",
    "JPMorgan",
    "Goldman Sachs",
    "Walmart",
    "Target",
    "Pfizer",
    "Moderna",
    "Roche",
]
# (name, plural?) - the verb form depends on it.
SUBJECTS = [
    ("Japan", False),
    ("China", False),
    ("the EU", False),
    ("the U.S.", False),
    ("India", False),
    ("Brazil", False),
    ("Canada", False),
    ("Germany", False),
    ("France", False),
    ("South Korea", False),
    ("Singapore", False),
    ("Australia", False),
    ("the UK", False),
    ("Taiwan", False),
    ("Israel", False),
    ("the FTC", False),
    ("the Pentagon", False),
    ("NASA", False),
    ("the WHO", False),
    ("Congress", False),
    ("the Commerce Department", False),
    ("the European Parliament", False),
    ("California", False),
    ("New York City", False),
    ("Montreal", False),
    ("Portland", False),
    ("San Francisco", False),
    ("regulators", True),
    ("researchers", True),
    ("lawmakers", True),
    ("police", True),
    ("hospitals", True),
    ("banks", True),
    ("startups", True),
    ("universities", True),
    ("retailers", True),
    ("insurers", True),
    ("airports", True),
    ("schools", True),
    ("cities", True),
    ("scientists", True),
    ("engineers", True),
    ("investors", True),
    ("privacy advocates", True),
    ("civil rights groups", True),
    ("unions", True),
    ("artists", True),
    ("doctors", True),
    ("farmers", True),
    ("automakers", True),
    ("chipmakers", True),
    ("publishers", True),
    ("game studios", True),
    ("carmakers", True),
]
VERBS = [
    "restrict",
    "ban",
    "adopt",
    "test",
    "deploy",
    "launch",
    "unveil",
    "invest in",
    "probe",
    "fine",
    "back",
    "approve",
    "block",
    "regulate",
    "expand",
    "limit",
    "rethink",
    "embrace",
    "warn about",
    "pause",
    "acquire",
    "push for",
    "scrap",
    "delay",
    "explore",
    "bet on",
    "roll out",
    "build",
    "train",
    "release",
    "audit",
    "curb",
    "tighten rules on",
    "review",
    "challenge",
    "study",
    "fund",
    "sue over",
    "crack down on",
    "double down on",
    "pilot",
    "phase out",
    "open up",
    "standardize",
    "license",
]
GERUNDS = [
    "testing",
    "deploying",
    "developing",
    "selling",
    "restricting",
    "funding",
    "studying",
    "piloting",
    "building",
    "training",
    "regulating",
    "licensing",
    "exporting",
    "auditing",
    "marketing",
]
TECH = [
    "facial recognition",
    "generative AI",
    "large language models",
    "self-driving cars",
    "humanoid robots",
    "AI chips",
    "chatbots",
    "deepfakes",
    "predictive policing",
    "computer vision",
    "speech recognition",
    "autonomous drones",
    "AI copilots",
    "biometric payments",
    "emotion recognition",
    "medical imaging AI",
    "quantum computing",
    "edge AI",
    "synthetic data",
    "recommendation algorithms",
    "open-source models",
    "AI agents",
    "smart cameras",
    "voice cloning",
    "AI tutors",
    "crop-monitoring drones",
    "warehouse robots",
    "fraud detection",
    "machine translation",
    "AI-generated music",
    "protein folding models",
    "weather forecasting AI",
    "license plate readers",
    "content moderation AI",
    "code assistants",
    "robotaxis",
    "surveillance systems",
    "AI data centers",
    "GPU clusters",
    "foundation models",
    "lidar sensors",
    "neural interfaces",
    "digital twins",
    "AI watermarking",
    "text-to-video models",
    "robotic surgery",
    "smart glasses",
    "satellite imagery AI",
    "AI hiring tools",
    "credit-scoring algorithms",
    "gait recognition",
    "iris scanners",
    "exoskeletons",
    "delivery robots",
    "AI search",
    "retrieval-augmented generation",
    "RISC-V chips",
    "neuromorphic chips",
    "federated learning",
    "reinforcement learning",
    "AI safety research",
]
QUALIFIERS = [
    "",
    "",
    "",
    "",
    "exports of ",
    "use of ",
    "research into ",
    "rules for ",
    "access to ",
    "testing of ",
    "funding for ",
    "public use of ",
    "sales of ",
    "police use of ",
    "investment in ",
]
PLACES = [
    "in schools",
    "in hospitals",
    "at airports",
    "in Tokyo",
    "in Europe",
    "in California",
    "in Shenzhen",
    "in Xinjiang",
    "on public transit",
    "in retail stores",
    "at the border",
    "in courtrooms",
    "in banking",
    "in newsrooms",
    "in Hollywood",
    "on farms",
    "in factories",
    "in Seoul",
    "in London",
    "in Berlin",
    "in Paris",
    "in Toronto",
    "in Mumbai",
    "in São Paulo",
    "in Lagos",
    "in Nairobi",
    "in Sydney",
    "in Singapore",
    "in Dubai",
    "in Stockholm",
    "in Texas",
    "in Beijing",
    "in Bangalore",
    "in Jakarta",
    "in Mexico City",
    "in Warsaw",
    "in Tel Aviv",
    "on campus",
    "in the workplace",
    "in warehouses",
    "on the battlefield",
    "in stadiums",
]
CONCERNS = [
    "privacy concerns",
    "human rights concerns",
    "bias fears",
    "copyright disputes",
    "security worries",
    "a chip shortage",
    "job-loss fears",
    "safety questions",
    "antitrust scrutiny",
    "soaring energy costs",
    "misinformation fears",
    "export-control tensions",
    "a talent war",
    "investor pressure",
    "a market slowdown",
    "election-year worries",
    "a data breach",
]
EVENTS = [
    "CES",
    "Computex",
    "a Beijing security expo",
    "Web Summit",
    "NeurIPS",
    "MWC Barcelona",
    "Google I/O",
    "WWDC",
    "Davos",
    "the G7 summit",
    "SXSW",
    "GTC",
    "a Tokyo robotics fair",
    "the AI Safety Summit",
    "IFA Berlin",
    "Black Hat",
    "DEF CON",
    "Hannover Messe",
]
SECTORS = [
    "healthcare",
    "banking",
    "farming",
    "policing",
    "education",
    "retail",
    "journalism",
    "insurance",
    "logistics",
    "manufacturing",
    "law",
    "real estate",
    "advertising",
    "music",
    "film",
    "gaming",
    "air travel",
    "shipping",
    "energy",
    "drug discovery",
    "customer service",
    "recruiting",
]
ADJECTIVES = [
    "new",
    "cheaper",
    "faster",
    "open",
    "controversial",
    "experimental",
    "next-generation",
    "smaller",
    "private",
    "low-power",
    "multilingual",
    "on-device",
    "enterprise",
    "free",
]
PRODUCTS = ["chip", "model", "assistant", "platform", "robot", "camera", "headset", "API", "toolkit", "service"]
NEEDS = [
    "better rules",
    "guardrails",
    "a reality check",
    "independent audits",
    "more transparency",
    "a global treaty",
    "clear liability",
    "public oversight",
    "open standards",
    "a pause",
]
FINDINGS = [
    "misidentifies darker faces",
    "cuts diagnosis time",
    "uses more energy than expected",
    "beats human experts",
    "struggles with accents",
    "reduces fraud losses",
    "widens pay gaps",
    "boosts productivity",
    "leaks training data",
    "fails basic safety tests",
    "saves lives",
]
MOVES = ["jump", "slide", "surge", "tumble", "rise", "fall", "rally", "sink"]
FIRST_NAMES = [
    "Koichi",
    "Maria",
    "James",
    "Wei",
    "Aisha",
    "Lukas",
    "Priya",
    "Carlos",
    "Yuki",
    "Fatima",
    "Olivia",
    "Mohammed",
    "Elena",
    "Hiroshi",
    "Grace",
    "Daniel",
    "Sofia",
    "Chen",
    "Amara",
    "Tom",
]
LAST_NAMES = [
    "Hagiuda",
    "Garcia",
    "Smith",
    "Zhang",
    "Okafor",
    "Schmidt",
    "Patel",
    "Silva",
    "Tanaka",
    "Haddad",
    "Brown",
    "Kim",
    "Rossi",
    "Nakamura",
    "Müller",
    "Dubois",
    "Nguyen",
    "Kowalski",
    "Mensah",
    "Frayer",
]
ROLES = [
    "chief executive",
    "minister for economy",
    "a senior analyst",
    "head of research",
    "a professor",
    "chief technology officer",
    "a spokesperson",
    "policy director",
    "a partner",
    "general counsel",
]
OUTLETS = [
    "Nikkei Asia",
    "the Wall Street Journal",
    "Reuters",
    "Taiwan News",
    "the Financial Times",
    "Bloomberg",
    "local media",
    "the Associated Press",
    "state media",
    "the BBC",
    "Le Monde",
]
SOURCES = OUTLETS + ["a government filing", "people familiar with the matter", "a company blog post"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOPICS = [
    "AI",
    "Computer Vision",
    "AI in Security",
    "Robotics",
    "Machine Learning",
    "Autonomous Vehicles",
    "Generative AI",
    "AI Ethics",
    "AI Regulation",
    "Natural Language Processing",
    "AI Chips",
    "AI in Healthcare",
    "AI in Finance",
    "Quantum Computing",
    "Drones",
    "Privacy",
    "Startups",
    "AI Research",
    "Deep Learning",
    "Speech Recognition",
]
HEADINGS = [
    "Background",
    "What happened",
    "Why it matters",
    "The numbers",
    "What critics say",
    "What comes next",
    "Reaction",
    "How it works",
    "The bigger picture",
    "Key takeaways",
    "Industry response",
    "Timeline",
    "Regulatory context",
    "Market impact",
]
IMAGE_SIZES = [
    (1200, 627),
    (1200, 675),
    (1280, 640),
    (800, 492),
    (500, 334),
    (1024, 768),
    (818, 545),
    (600, 400),
    (2560, 1707),
    (797, 531),
    (457, 305),
    (1920, 1080),
]
IMAGE_WORDS = [
    "facial-recognition",
    "robot",
    "chip",
    "data-center",
    "drone",
    "camera",
    "server",
    "ai-brain",
    "lab",
    "factory",
    "city",
    "phone",
    "car",
    "hands",
    "screen",
    "satellite",
]
SECTIONS = [
    "news",
    "tech",
    "business",
    "world-news/technology-world-news",
    "category/tech",
    "science",
    "innovation",
    "technology",
    "markets",
    "policy",
]

# Providers whose files make up the collection: (name, domain, host, url style, amp style).
# url styles: date, section, article_id, news_num, slug_num, articles_hex
# amp styles: "" (none), "query" (?amp), "query1" (?amp=1), "path" (/amp/), "mobile"
INSIDE_PROVIDERS = [
    ("Armstrong Economics", "armstrongeconomics.com", "www.armstrongeconomics.com", "section", "query"),
    ("Japan Today", "japantoday.com", "japantoday.com", "section", ""),
    ("Reuters", "reuters.com", "www.reuters.com", "article_id", "mobile"),
    ("Wall Street Journal", "wsj.com", "www.wsj.com", "articles_hex", ""),
    ("Forbes", "forbes.com", "www.forbes.com", "date", "path"),
    ("TechCrunch", "techcrunch.com", "techcrunch.com", "date", "path"),
    ("The Verge", "theverge.com", "www.theverge.com", "date", ""),
    ("Wired", "wired.com", "www.wired.com", "section", ""),
    ("Ars Technica", "arstechnica.com", "arstechnica.com", "date", ""),
    ("VentureBeat", "venturebeat.com", "venturebeat.com", "section", "path"),
    ("ZDNet", "zdnet.com", "www.zdnet.com", "section", ""),
    ("Engadget", "engadget.com", "www.engadget.com", "slug_num", ""),
    ("CNBC", "cnbc.com", "www.cnbc.com", "date", "path"),
    ("BBC News", "bbc.com", "www.bbc.com", "slug_num", ""),
    ("The Guardian", "theguardian.com", "www.theguardian.com", "date", "path"),
    ("Global News", "globalnews.ca", "globalnews.ca", "news_num", "path"),
    ("International Business Times", "ibtimes.com", "www.ibtimes.com", "slug_num", "query1"),
    ("pymnts.com", "pymnts.com", "www.pymnts.com", "section", ""),
    ("TechNode", "technode.com", "technode.com", "date", ""),
    ("South China Morning Post", "scmp.com", "www.scmp.com", "news_num", "path"),
    ("Nikkei Asia", "nikkei.com", "asia.nikkei.com", "section", ""),
    ("The Japan Times", "japantimes.co.jp", "www.japantimes.co.jp", "date", ""),
    ("Taiwan News", "taiwannews.com.tw", "www.taiwannews.com.tw", "news_num", ""),
    ("MIT Technology Review", "technologyreview.com", "www.technologyreview.com", "date", ""),
    ("IEEE Spectrum", "ieee.org", "spectrum.ieee.org", "section", ""),
    ("Nature", "nature.com", "www.nature.com", "articles_hex", ""),
    ("Axios", "axios.com", "www.axios.com", "date", ""),
    ("Business Insider", "businessinsider.com", "www.businessinsider.com", "slug_num", "query1"),
    ("Fortune", "fortune.com", "fortune.com", "date", ""),
    ("Bloomberg", "bloomberg.com", "www.bloomberg.com", "articles_hex", ""),
    ("The Register", "theregister.com", "www.theregister.com", "date", ""),
    ("Security Systems News", "securitysystemsnews.com", "www.securitysystemsnews.com", "section", ""),
    ("Biometric Update", "biometricupdate.com", "www.biometricupdate.com", "date", ""),
    ("Robotics 24/7", "robotics247.com", "www.robotics247.com", "section", ""),
    ("The Robot Report", "therobotreport.com", "www.therobotreport.com", "section", "path"),
    ("Analytics India Magazine", "analyticsindiamag.com", "analyticsindiamag.com", "section", "path"),
    ("Euronews", "euronews.com", "www.euronews.com", "date", ""),
    ("Le Monde", "lemonde.fr", "www.lemonde.fr", "section", ""),
    ("Deutsche Welle", "dw.com", "www.dw.com", "slug_num", ""),
    ("The Korea Herald", "koreaherald.com", "www.koreaherald.com", "news_num", ""),
    ("Channel News Asia", "channelnewsasia.com", "www.channelnewsasia.com", "section", ""),
    ("The Hindu", "thehindu.com", "www.thehindu.com", "section", "path"),
    ("Fast Company", "fastcompany.com", "www.fastcompany.com", "news_num", ""),
    ("Quartz", "qz.com", "qz.com", "slug_num", ""),
    ("Protocol", "protocol.com", "www.protocol.com", "section", ""),
    ("tech", "techstory.in", "techstory.in", "section", ""),
    ("acm.org", "acm.org", "cacm.acm.org", "news_num", ""),
    ("GeekWire", "geekwire.com", "www.geekwire.com", "date", ""),
]
# Providers that only ever appear as outside related targets: no generated file uses these domains.
OUTSIDE_PROVIDERS = [
    ("Daily Circuit", "dailycircuit.example.com", "www.dailycircuit.example.com", "date", "path"),
    ("Machine Ledger", "machineledger.net", "www.machineledger.net", "section", ""),
    ("Neural Times", "neuraltimes.org", "neuraltimes.org", "slug_num", ""),
    ("Robo Digest", "robodigest.io", "www.robodigest.io", "date", ""),
    ("Silicon Harbor", "siliconharbor.news", "siliconharbor.news", "section", "query"),
    ("The Compute Post", "computepost.com", "www.computepost.com", "articles_hex", ""),
    ("Vision Weekly", "visionweekly.co.uk", "www.visionweekly.co.uk", "news_num", ""),
    ("Asia Tech Wire", "asiatechwire.com", "asiatechwire.com", "date", "path"),
    ("Data Frontier", "datafrontier.ai", "www.datafrontier.ai", "section", ""),
    ("Policy Byte", "policybyte.eu", "policybyte.eu", "slug_num", ""),
    ("Chip Signal", "chipsignal.com", "www.chipsignal.com", "article_id", ""),
    ("Autonomy Today", "autonomytoday.com", "www.autonomytoday.com", "date", "query1"),
    ("Open Lab Notes", "openlabnotes.org", "openlabnotes.org", "section", ""),
    ("The Algorithmic", "thealgorithmic.com", "www.thealgorithmic.com", "news_num", "path"),
    ("Sensor World", "sensorworld.de", "www.sensorworld.de", "section", ""),
    ("Byte Review", "bytereview.jp", "bytereview.jp", "date", ""),
]
assert not {p[1] for p in INSIDE_PROVIDERS} & {p[1] for p in OUTSIDE_PROVIDERS}
# Providers that carry a logo in their provider block (real collections do this for some).
_LOGO_DOMAINS = frozenset(p[1] for i, p in enumerate(INSIDE_PROVIDERS) if i % 3 == 0)
_LOGO_BASES = [
    "https://smartableai.github.io/artificial-intelligence/assets/images/organizations/",
    "https://everyday-cc.github.io/ai/assets/images/organizations/",
]

_SMALL = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over", "the", "to", "vs", "with"]
)
_SLUG = re.compile(r"[^a-z0-9]+")
_EPOCH = datetime(2019, 1, 1)
_SPAN_MINUTES = 6 * 365 * 24 * 60  # dates fall in 2019-2024


# ---------------------------------------------------------------------------
# Randomness and text helpers
# ---------------------------------------------------------------------------


class FastRandom(Random):
    """``random.Random`` whose hot methods cost one C call (``random()``).

    Still fully determined by the seed; roughly halves generation time.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None, step=1):  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))


def third_person(verb: str) -> str:
    """'restrict' -> 'restricts', 'push for' -> 'pushes for', 'study' -> 'studies'."""
    head, _, rest = verb.partition(" ")
    if head.endswith(("s", "sh", "ch", "x", "z")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return head + (" " + rest if rest else "")


def title_case(text: str) -> str:
    """Headline case; words with capitals inside (iPhone, OpenAI) stay as they are."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if word and word[0].islower() and word == word.lower() and (i == 0 or word not in _SMALL):
            word = word[0].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:90].rstrip("-")


def iso(minutes: int) -> str:
    return (_EPOCH + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:00Z")


# ---------------------------------------------------------------------------
# Titles and prose
# ---------------------------------------------------------------------------


def make_title(rng: Random) -> str:
    c = rng.choice
    subject, plural = c(SUBJECTS)
    verb = c(VERBS)
    verb_form = verb if plural else third_person(verb)
    tech = c(TECH)
    obj = c(QUALIFIERS) + tech
    kind = rng.randrange(20)
    if kind <= 3:
        text = f"{subject} {verb_form} {obj} {c(PLACES)}"
    elif kind <= 5:
        text = f"{subject} {verb_form} {obj} amid {c(CONCERNS)}"
    elif kind == 6:
        thing = tech.rstrip("s") if rng.random() < 0.3 else c(["AI", tech])
        text = f"{c(COMPANIES)} unveils {c(ADJECTIVES)} {thing} {c(PRODUCTS)}"
    elif kind == 7:
        text = f"How {tech} is changing {c(SECTORS)}"
    elif kind == 8:
        text = f"Why {c(COMPANIES)} is betting on {tech}"
    elif kind == 9:
        text = f"{rng.randrange(3, 13)} things to know about {tech}"
    elif kind == 10:
        text = f"Report: {subject} to {verb} {obj} {c(PLACES)}"
    elif kind == 11:
        text = f"{tech}, {c(TECH)} front and center at {c(EVENTS)} {rng.randrange(2019, 2025)}"
    elif kind == 12:
        text = f"Opinion: {tech} needs {c(NEEDS)}"
    elif kind == 13:
        a, b = c(COMPANIES), c(COMPANIES)
        text = f"{a} and {b} team up on {tech}" if a != b else f"{a} doubles down on {tech}"
    elif kind == 14:
        text = f"After {c(CONCERNS)}, {subject} {'move' if plural else 'moves'} to rein in {tech}"
    elif kind == 15:
        text = f"Inside {c(COMPANIES)}'s plan to {verb} {tech}"
    elif kind == 16:
        text = f"{c(COMPANIES)} shares {c(MOVES)} on {c(['strong', 'weak', 'record', 'surprise'])} {tech} demand"
    elif kind == 17:
        text = f"Study finds {tech} {c(FINDINGS)}"
    elif kind == 18:
        text = f"{subject} could {verb} {obj} by {rng.randrange(2024, 2036)}"
    else:
        text = f"{c(COMPANIES)} to spend ${rng.randrange(1, 60)} billion on {tech} {c(PLACES)}"
    return title_case(text) if rng.random() < 0.65 else sentence_case(text)


def make_sentence(rng: Random) -> str:
    c = rng.choice
    subject, plural = c(SUBJECTS)
    tech = c(TECH)
    kind = rng.randrange(12)
    if kind == 0:
        pronoun = "they" if plural else "it"
        return (
            f"{sentence_case(subject)} said on {c(WEEKDAYS)} that {pronoun} would {c(VERBS)} {c(QUALIFIERS)}{tech} {c(PLACES)}."
        )
    if kind == 1:
        move = c(["plan", "race", "scramble", "move", "rush"])
        move = move if plural else third_person(move)
        return f"The move comes as {subject} {move} to {c(VERBS)} {tech} amid {c(CONCERNS)}."
    if kind == 2:
        harm = c(["harm", "exclude", "surveil", "mislead", "replace"])
        who = c(["minorities", "workers", "patients", "students", "consumers", "voters"])
        return f"Critics argue that {tech} could {harm} {who}."
    if kind == 3:
        since = rng.randrange(2012, 2024)
        return f"According to {c(SOURCES)}, {c(COMPANIES)} has been {c(GERUNDS)} {tech} since {since}."
    if kind == 4:
        return (
            f"“We’ll look at the {c(['E.U.', 'U.S.', 'Japanese', 'industry'])} approach and others as references,” "
            f"{c(FIRST_NAMES)} {c(LAST_NAMES)}, {c(ROLES)} at {c(COMPANIES)}, told {c(OUTLETS)}."
        )
    if kind == 5:
        return (
            f"The {c(['proposal', 'deal', 'report', 'ruling', 'bill', 'study'])}, which carves out exceptions for "
            f"{c(['national security', 'research', 'small businesses', 'law enforcement'])}, is the latest in a "
            f"series of moves to put guardrails around {tech}."
        )
    if kind == 6:
        amount, year = rng.randrange(2, 400), rng.randrange(2025, 2035)
        return f"Analysts expect spending on {tech} to reach ${amount} billion by {year}."
    if kind == 7:
        return f"{c(COMPANIES)} declined to comment on {c(['the report', 'the findings', 'the lawsuit', 'the plans'])}."
    if kind == 8:
        move = c(["rose", "fell", "jumped", "slid"])
        pct = f"{rng.randrange(1, 15)}.{rng.randrange(10)}"
        return f"Shares of {c(COMPANIES)} {move} {pct} percent in {c(['early', 'late', 'after-hours'])} trading."
    if kind == 9:
        verdict = c(["overhyped", "underregulated", "ready for prime time", "years away from maturity", "crowded"])
        return f"{c(['Some', 'Many', 'Few'])} experts say the market for {tech} is {verdict}, especially {c(PLACES)}."
    if kind == 10:
        source = f"{c(SOURCES)} showed" if rng.random() < 0.3 else f"{c(OUTLETS)} reported"
        return f"{sentence_case(c(SECTORS))} has been slower than {c(SECTORS)} to adopt {tech}, {source}."
    what = c(["system", "technology", "tool", "program"])
    how = c(["tested", "deployed", "announced", "piloted"])
    return f"The {what} was first {how} {c(PLACES)} in {rng.randrange(2015, 2024)}."


def make_paragraph(rng: Random, lo: int = 2, hi: int = 5) -> str:
    return " ".join(make_sentence(rng) for _ in range(rng.randint(lo, hi)))


def make_excerpt(rng: Random) -> str:
    text = make_paragraph(rng, 2, 2) if rng.random() < 0.6 else make_sentence(rng)
    roll = rng.random()
    if roll < 0.12:
        # Real excerpts quote words: AI tech that spots "undesirable" behavior ...
        word = rng.choice(["undesirable", "unacceptable", "high-risk", "trustworthy", "responsible", "safe"])
        text = f'{rng.choice(TECH).capitalize()} that flags "{word}" behavior was on show. ' + text
    elif roll < 0.2:
        text = text[: rng.randrange(80, max(81, len(text)))].rstrip(" .") + ","  # cut off mid-sentence
    return text


# ---------------------------------------------------------------------------
# URLs and images
# ---------------------------------------------------------------------------


def make_url(rng: Random, host: str, style: str, slug: str, minutes: int) -> str:
    when = _EPOCH + timedelta(minutes=minutes)
    if style == "date":
        return f"https://{host}/{when.year}/{when.month:02d}/{when.day:02d}/{slug}/"
    if style == "section":
        return f"https://{host}/{rng.choice(SECTIONS)}/{slug}/"
    if style == "article_id":
        return f"https://{host}/article/{slug}-id{rng.getrandbits(40):X}"
    if style == "news_num":
        return f"https://{host}/news/{rng.randrange(10**6, 10**7)}/{slug}/"
    if style == "slug_num":
        return f"https://{host}/{slug}-{rng.randrange(10**6, 10**8)}"
    return f"https://{host}/articles/{slug}-{rng.getrandbits(32):08x}"


def amp_urls(rng: Random, url: str, host: str, amp: str) -> tuple[str, str]:
    """(ampWebUrl, cdnAmpWebUrl); either may be empty."""
    if not amp or rng.random() < 0.25:
        return "", ""
    if amp == "query":
        amp_url = url + "?amp"
    elif amp == "query1":
        amp_url = url + "?amp=1"
    elif amp == "path":
        amp_url = url.rstrip("/") + "/amp/"
    else:  # mobile: https://mobile.reuters.com/article/amp/<id>
        amp_url = f"https://mobile.{host.removeprefix('www.')}/article/amp/{url.rsplit('-', 1)[-1]}"
    if rng.random() < 0.3:
        return amp_url, ""
    amp_host = amp_url.split("/", 3)[2]
    cdn_host = amp_host.replace("-", "--").replace(".", "-") + ".cdn.ampproject.org"
    cdn = f"https://{cdn_host}/c/s/{amp_url.split('://', 1)[1]}"
    return amp_url, cdn


def url_variant(rng: Random, url: str) -> str:
    """The same story's URL as other sites link it: http://, no www., or /amp/."""
    roll = rng.random()
    if roll < 0.55:
        return url
    if roll < 0.7:
        return "http://" + url.removeprefix("https://")
    if roll < 0.85 and "://www." in url:
        return url.replace("://www.", "://", 1)
    return url.rstrip("/") + "/amp/"


def make_images(rng: Random, host: str, minutes: int) -> list[tuple[str, int, int, bool]]:
    when = _EPOCH + timedelta(minutes=minutes)
    out = []
    for _ in range(rng.choice((1, 1, 1, 1, 2))):
        width, height = rng.choice(IMAGE_SIZES)
        style = rng.randrange(3)
        if style == 0:
            name = f"{rng.choice(IMAGE_WORDS)}-{rng.randrange(1000)}.jpg"
            url = f"https://{host}/wp-content/uploads/{when.year}/{when.month:02d}/{name}"
        elif style == 1:
            url = f"https://images.{host.removeprefix('www.')}/im-{rng.randrange(10**5, 10**6)}/social"
        else:
            url = f"https://cdn.{host.removeprefix('www.')}/img/{rng.getrandbits(48):012x}.jpg?width={width}"
        out.append((url, width, height, rng.random() < 0.92))
    return out


def render_images(lines: list[str], images: list[tuple[str, int, int, bool]], indent: str) -> None:
    for url, width, height, cached in images:
        lines.append(f"{indent}- url: {q(url)}")
        lines.append(f"{indent}  width: {width}")
        lines.append(f"{indent}  height: {height}")
        lines.append(f"{indent}  isCached: {'true' if cached else 'false'}")


# ---------------------------------------------------------------------------
# Planning (pass 1) and rendering (pass 2)
# ---------------------------------------------------------------------------


class Story:
    """What one generated front-matter file says about itself (and what
    other files' related snapshots copy)."""

    __slots__ = ("amp", "cdn", "excerpt", "images", "minutes", "provider", "quality", "title", "url")

    def __init__(self, **kw: object) -> None:
        for key, value in kw.items():
            setattr(self, key, value)


def _plan_story(
    rng: Random, provider: tuple[str, str, str, str, str], title: str, used: set[str], near: int | None = None
) -> Story:
    """A story on ``provider`` with a unique URL (per ``used``), dated at random or
    within three days of ``near``."""
    _, _, host, style, amp = provider
    if near is None:
        minutes = rng.randrange(_SPAN_MINUTES)
    else:
        minutes = max(0, near + rng.randrange(-3 * 24 * 60, 3 * 24 * 60))
    slug = slugify(title) or "story"
    url = make_url(rng, host, style, slug, minutes)
    n = 2
    while url.split("://", 1)[1].removeprefix("www.").rstrip("/") in used:
        url = make_url(rng, host, style, f"{slug}-{n}", minutes)
        n += 1
    used.add(url.split("://", 1)[1].removeprefix("www.").rstrip("/"))
    amp_url, cdn = amp_urls(rng, url, host, amp)
    return Story(
        title=title,
        excerpt=make_excerpt(rng),
        minutes=minutes,
        provider=provider,
        url=url,
        amp=amp_url,
        cdn=cdn,
        quality=rng.randrange(10, 96),
        images=make_images(rng, host, minutes) if rng.random() < 0.85 else [],
    )


def _render_related(rng: Random, lines: list[str], story: Story, url: str) -> None:
    name, domain = story.provider[0], story.provider[1]
    lines.append(f"  - title: {q(story.title)}")
    lines.append(f"    excerpt: {q(story.excerpt)}")
    lines.append(f"    publishedDateTime: {iso(story.minutes)}")
    lines.append(f"    webUrl: {q(url)}")
    if story.amp:
        lines.append(f"    ampWebUrl: {q(story.amp)}")
    if story.cdn:
        lines.append(f"    cdnAmpWebUrl: {q(story.cdn)}")
    lines.append("    type: article")
    lines.append("    provider:")
    lines.append(f"      name: {name}")
    lines.append(f"      domain: {domain}")
    lines.append(f"    quality: {story.quality}")
    if story.images:
        lines.append("    images:")
        render_images(lines, story.images[:1], "      ")


def _markdown_body(rng: Random, story: Story, stories: list[Story]) -> str:
    c = rng.choice
    parts = [make_paragraph(rng, 2, 4)]
    for _ in range(rng.randint(2, 4)):
        parts.append(f"## {c(HEADINGS)}")
        para = make_paragraph(rng, 2, 5)
        if rng.random() < 0.6:
            other = c(stories)
            if rng.random() < 0.5:
                para += f" Read more: [{other.title}]({other.url})."
            else:
                para += f" As [{other.provider[0]} reported]({other.url}), the story is still developing."
        parts.append(para)
        roll = rng.random()
        if roll < 0.35:
            parts.append("\n".join(f"- **{c(TECH)}**: {make_sentence(rng)}" for _ in range(rng.randint(3, 5))))
        elif roll < 0.5:
            parts.append("\n".join(f"{i}. {make_sentence(rng)}" for i in range(1, rng.randint(3, 6))))
        elif roll < 0.6:
            parts.append(f"> {make_sentence(rng)}")
    if rng.random() < 0.5:
        parts.append(f"*Source: [{story.provider[0]}]({story.url})*")
    return "\n\n".join(parts) + "\n"


def _front_matter(rng: Random, story: Story, stories: list[Story], stats: dict[str, int]) -> str:
    name, domain = story.provider[0], story.provider[1]
    heat = -1 if rng.random() < 0.35 else rng.randrange(0, 320)
    original = story.url
    if rng.random() < 0.1:
        original += "?utm_source=rss&utm_medium=feed"
    lines = [
        "---",
        f"category: {'news' if rng.random() < 0.9 else rng.choice(('research', 'opinion'))}",
        f"title: {q(story.title)}",
        f"excerpt: {q(story.excerpt)}",
        f"publishedDateTime: {iso(story.minutes)}",
        f"originalUrl: {q(original)}",
        f"webUrl: {q(story.url)}",
    ]
    if story.amp:
        lines.append(f"ampWebUrl: {q(story.amp)}")
    if story.cdn:
        lines.append(f"cdnAmpWebUrl: {q(story.cdn)}")
    lines += [
        f"type: {'article' if rng.random() < 0.98 else 'video'}",
        f"quality: {story.quality}",
        f"heat: {heat}",
        f"published: {'true' if rng.random() < 0.3 else 'false'}",
        "",
        "provider:",
        f"  name: {name}",
        f"  domain: {domain}",
    ]
    if domain in _LOGO_DOMAINS:
        lines.append("  images:")
        lines.append(f"    - url: {q(_LOGO_BASES[len(domain) % 2] + domain + '-50x50.jpg')}")
        lines.append("      width: 50")
        lines.append("      height: 50")
    lines += ["", "topics:"]
    topics = ["AI"] + rng.sample(TOPICS[1:], rng.randint(0, 3))
    rng.shuffle(topics)
    lines += [f"  - {topic}" for topic in topics]
    if story.images:
        lines += ["", "images:"]
        render_images(lines, story.images, "  ")
    count = rng.choices((0, 1, 2, 3, 4, 5, 6), weights=(4, 10, 18, 24, 22, 14, 8))[0]
    if count:
        lines += ["", "related:"]
        stats["related"] += count
        for _ in range(count):
            if rng.random() < INSIDE_RELATED_SHARE and len(stories) > 1:
                stats["related_inside"] += 1
                target = stories[rng.randrange(len(stories))]
                while target is story:
                    target = stories[rng.randrange(len(stories))]
                _render_related(rng, lines, target, url_variant(rng, target.url))
            else:
                target = _plan_story(rng, rng.choice(OUTSIDE_PROVIDERS), make_title(rng), set(), story.minutes)
                _render_related(rng, lines, target, target.url)
    blob = base64.b64encode(rng.randbytes(rng.randrange(280, 560))).decode()
    tail = base64.b64encode(rng.randbytes(16)).decode()
    lines += ["", f"secured: {q(blob + ';' + tail)}", "---", "", ""]
    return "\n".join(lines)


def _plain_text(rng: Random, title: str) -> str:
    who = rng.choice(["man", "woman", "visitor", "worker", "student"])
    does = rng.choice(["watches as", "looks on as", "stands by as"])
    caption = f"A {who} {does} {rng.choice(TECH)} is demonstrated at a booth"
    parts = [
        title,
        "",
        caption[: rng.randrange(60, 95)],  # captions are cut off, as in the seed
        f"Photo/{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    ]
    for _ in range(rng.randint(8, 16)):
        parts.append("")
        parts.append(make_paragraph(rng, 2, 6))
    if rng.random() < 0.3:
        parts += ["", "COMMENTS", "", "Please let us know if you're having issues with commenting."]
    return "\n".join(parts) + ("\n" if rng.random() < 0.5 else "")


def _generate(out_dir: Path, count: int, seed: int) -> tuple[list[Path], dict[str, int]]:
    """Blocks of :data:`BLOCK` files, each from its own random sequence, on
    every core. The first block is what the whole collection was before
    blocks: a collection of up to ``BLOCK`` files is byte-identical to one
    made by earlier versions of this script."""
    if count <= BLOCK:
        return _generate_block(out_dir, count, seed, 0)
    blocks = [(out_dir, min(BLOCK, count - start), seed, start) for start in range(0, count, BLOCK)]
    paths: list[Path] = []
    stats: dict[str, int] = {}
    workers = min(len(blocks), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for block_paths, block_stats in pool.map(_block_names, blocks):
            paths.extend(out_dir / p for p in block_paths)
            for key, value in block_stats.items():
                stats[key] = stats.get(key, 0) + value
    return paths, stats


def _block_names(args: tuple[Path, int, int, int]) -> tuple[list[str], dict[str, int]]:
    """One block in a worker process: its files' paths (relative, to keep the pipe small) and its counts."""
    out_dir = args[0]
    paths, stats = _generate_block(*args)
    return [str(p.relative_to(out_dir)) for p in paths], stats


def _generate_block(out_dir: Path, count: int, seed: int, start: int) -> tuple[list[Path], dict[str, int]]:
    """``count`` files numbered from ``start``; their related entries and
    repeated titles point inside the block. Block 0 draws from
    ``FastRandom(seed)``, block k from ``FastRandom(f"{seed}:{k}")``."""
    rng = FastRandom(seed if start == 0 else f"{seed}:{start // BLOCK}")
    # Which files are plain text and which have a Markdown body: exact shares,
    # shuffled, so even small collections have some of each.
    n_plain = round(count * PLAIN_SHARE)
    n_body = round((count - n_plain) * BODY_SHARE)
    kinds = ["plain"] * n_plain + ["body"] * n_body + ["fm"] * (count - n_plain - n_body)
    rng.shuffle(kinds)

    # Pass 1: every file's title; every front-matter file's story (URL, date...).
    titles: list[str] = []
    stories: list[Story] = []
    story_of: list[Story | None] = []
    used_urls: set[str] = set()
    seen_titles: set[str] = set()  # membership only, never iterated (order would vary)
    duplicates = 0
    for kind in kinds:
        if kind != "plain" and titles and rng.random() < DUPLICATE_TITLE_SHARE:
            title = titles[rng.randrange(len(titles))]  # same headline, other site
            duplicates += 1
        else:
            # Otherwise titles are unique (ignoring case): accidental repeats of
            # the shorter templates would swamp the deliberate duplicates.
            title = make_title(rng)
            for _ in range(50):
                if title.lower() not in seen_titles:
                    break
                title = make_title(rng)
            seen_titles.add(title.lower())
        titles.append(title)
        if kind == "plain":
            story_of.append(None)
            continue
        story = _plan_story(rng, rng.choice(INSIDE_PROVIDERS), title, used_urls)
        stories.append(story)
        story_of.append(story)

    # Pass 2: render, and write in background threads: creating files is
    # mostly kernel time, which overlaps with rendering the next ones. At most
    # two folders' worth of files wait in memory.
    paths: list[Path] = []
    stats = {
        "files": count,
        "bytes": 0,
        "plain": n_plain,
        "body": n_body,
        "duplicate_titles": duplicates,
        "related": 0,
        "related_inside": 0,
    }
    pending: list[Future[int]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for index, (kind, title, story) in enumerate(zip(kinds, titles, story_of, strict=True), start):
            folder = out_dir / f"{index // FILES_PER_FOLDER:03d}"
            if index % FILES_PER_FOLDER == 0 or index == start:
                folder.mkdir(parents=True, exist_ok=True)
                if len(pending) >= 2 * FILES_PER_FOLDER:
                    for future in pending[:FILES_PER_FOLDER]:
                        future.result()  # re-raises a failed write
                    del pending[:FILES_PER_FOLDER]
            name = f"{index:07d}_{rng.getrandbits(64):016x}"
            if story is None:
                text = _plain_text(rng, title)
                path = folder / (name + ".txt")
            else:
                text = _front_matter(rng, story, stories, stats)
                if kind == "body":
                    text += _markdown_body(rng, story, stories)
                path = folder / (name + ".md")
            data = text.encode("utf-8")
            pending.append(pool.submit(path.write_bytes, data))
            paths.append(path)
            stats["bytes"] += len(data)
        for future in pending:
            future.result()
    return paths, stats


def generate(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` article files under ``out_dir``; return their paths in order."""
    return _generate(Path(out_dir), count, seed)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a deterministic collection of article files.")
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--count", type=int, default=1000, help="number of files (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be >= 0")
    start = time.perf_counter()
    _, stats = _generate(args.out_dir, args.count, args.seed)
    seconds = time.perf_counter() - start
    files = stats["files"]
    print(
        f"{files} files ({stats['plain']} plain text, {stats['body']} with Markdown body, "
        f"{stats['duplicate_titles']} duplicate titles, "
        f"{stats['related_inside']}/{stats['related']} related inside), "
        f"{stats['bytes']} bytes (avg {stats['bytes'] // max(files, 1)}), {seconds:.1f} s -> {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
