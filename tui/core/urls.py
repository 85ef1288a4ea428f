"""URL helpers: one normal form per story, and which URLs may be opened."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

OPENABLE_SCHEMES = ("http", "https")

_HOST = re.compile(r"^[a-z0-9.-]+$")
_OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?!//)(.*)$", re.DOTALL)
# Query parameters that say who sent the reader, never which page it is.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "_hs", "hsa_", "vero_", "oly_")
_TRACKING_KEYS = {
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id", "wbraid", "gbraid",
    "igshid", "igsh", "mkt_tok", "_ga", "_gl", "ocid", "cvid", "ei", "ved", "usg", "sr_share", "share", "smid",
    "smtyp", "spm", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ncid", "icid", "s_cid", "cid",
    "mbid", "rss", "feed", "feedtype", "at_medium", "at_campaign", "taid", "guccounter", "guce_referrer",
    "guce_referrer_sig", "ito", "sh", "usqp",
}  # fmt: skip
# Query parameters that ask for the AMP (or another lighter) rendering of the same page.
_AMP_KEYS = {"outputtype", "view", "output", "format", "template", "mode", "platform", "type"}
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def is_openable(url: str) -> bool:
    """Only web pages are ever handed to the browser."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in OPENABLE_SCHEMES


def _is_amp_param(key: str, value: str) -> bool:
    """``?amp``, ``?amp=1``, ``?outputType=amp``, ``?view=AMP``..."""
    key = key.lower()
    if key == "amp" or key.startswith("amp_"):
        return True
    return key in _AMP_KEYS and value.lower() in ("amp", "amp.html")


def _amp_free(segments: list[str]) -> list[str]:
    """Path segments without the AMP forms of a page: ``/amp/`` first or last,
    ``story.amp``, ``story.amp.html``, ``amp.html`` (repeated until stable)."""
    before = None
    while segments != before:
        before = list(segments)
        while segments and segments[-1].lower() in ("amp", "amp.html", "index.amp", "amp.php"):
            segments.pop()
        while segments and segments[0].lower() == "amp":
            segments.pop(0)
        if segments:
            last = segments[-1]
            if last.lower().endswith(".amp.html"):
                segments[-1] = last[: -len(".amp.html")] + ".html"
            elif last.lower().endswith(".amp") and len(last) > 4:
                segments[-1] = last[:-4]
    return segments


# A plain web URL: a host (any case, maybe a port), a path of unreserved
# characters, maybe a query of unreserved names and values, maybe a
# fragment: nearly every URL in a collection, whatever the site. Its key
# needs none of urllib's parsing and quoting (which are the identity on
# these characters), which was a fifth of the time it takes to index a file,
# and two thirds with tracking parameters.
_PLAIN = re.compile(
    r"[hH][tT][tT][pP][sS]?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?::[0-9]{1,5})?(/[A-Za-z0-9_.~%/-]*+)?"
    r"(?:\?([A-Za-z0-9_.~=&-]*+))?(?:#[^\s]*+)?\Z"
)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a % that escapes nothing: urllib's way


_HOST_PREFIX = re.compile(r"(?:www[12]?|amp|m|mobile)\.")  # _HOST_PREFIXES, as one pattern


def _strip_host_prefixes(host: str) -> str:
    """``www.``, ``m.``, ``amp.``... off the front, as long as a dot is left."""
    while True:
        found = _HOST_PREFIX.match(host)
        if found is None or "." not in host[found.end() :]:
            return host
        host = host[found.end() :]


def normalize_url(url: object) -> str:
    """The normal form of a URL (see :func:`_normalize`); plain web URLs take
    a shortcut that gives the same key (tests/test_related.py checks both)."""
    if isinstance(url, str) and "&#038;" not in url:  # an HTML-escaped "&" (WordPress feeds) reads as a fragment here
        plain = _PLAIN.match(url)
        if plain is not None:
            host, path, query = plain.groups()
            path = path or ""
            host = host.lower()
            escaped = "%" in path
            if not host.endswith(".cdn.ampproject.org") and not (escaped and _BAD_ESCAPE.search(path)):
                if escaped or "amp" in path.lower():
                    segments = [s for s in (unquote(path) if escaped else path).split("/") if s and s != "."]
                    segments = _amp_free(segments)
                    joined = quote("/".join(segments), safe=_PATH_SAFE) if escaped else "/".join(segments)
                elif "//" in path or "/." in path or path.endswith("/"):
                    joined = "/".join(s for s in path.split("/") if s and s != ".")
                else:
                    joined = path[1:]  # "/a/b": nothing to fold
                key = _strip_host_prefixes(host) + ("/" + joined if joined else "")
                if not query:
                    return key
                kept = _plain_query(query)
                if kept is not None:
                    return key + "?" + kept if kept else key
    return _normalize(url)


def _plain_query(query: str) -> str | None:
    """A plain query's parameters as :func:`_normalize` keeps them (sorted,
    without tracking and AMP ones); None when a field has two "=" (urllib
    decides)."""
    kept = []
    for field in query.split("&"):
        if not field:
            continue
        k, _, v = field.partition("=")
        if "=" in v:
            return None
        lower = k.lower()
        if k and lower not in _TRACKING_KEYS and not lower.startswith(_TRACKING_PREFIXES) and not _is_amp_param(lower, v):
            kept.append((k, v))
    kept.sort()
    return "&".join(f"{k}={v}" for k, v in kept)


def _normalize(url: object) -> str:
    """A scheme-less, case-folded key under which one story has one URL.

    What is folded away: the scheme, ``www.``/``m.``/``amp.`` host prefixes, a
    port, user info, the fragment, a trailing slash, ``/amp`` path segments
    (first or last, and ``.amp`` / ``/amp.html`` endings), AMP query forms
    (``?amp``, ``?amp=1``, ``?outputType=amp``, ``?view=AMP``), tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, ``ocid``, ``cvid``...), the
    order of the remaining parameters, and percent-encoding differences.
    AMP cache URLs (``*.cdn.ampproject.org/c/s/HOST/PATH``, ``/v/s/``,
    ``/i/s/``) fold onto the page they cache. So
    ``https://www.x.com/a/amp/?utm_source=t`` and ``http://x.com/a`` give the
    same key. Returns "" for anything that is not a web URL. Idempotent: a key
    normalised again is the same key.
    """
    if not isinstance(url, str):
        return ""
    url = url.strip().replace("&#038;", "&").replace("&amp;", "&")
    if not url:
        return ""
    other = _OTHER_SCHEME.match(url)
    if other and not other.group(1)[:1].isdigit():
        return ""  # mailto:, javascript:, data:... (but "example.com:8080/a" is a host and port)
    try:
        parts = urlsplit(url if "://" in url or url.startswith("//") else "//" + url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower().rstrip(".")
        path = parts.path
        query = parts.query
    except ValueError:
        return ""
    if scheme and scheme not in OPENABLE_SCHEMES:
        return ""
    if not host or "." not in host or not _HOST.match(host):
        return ""
    if host.endswith(".cdn.ampproject.org"):
        # /c/s/www.example.com/path (also /v/ and /i/, "s" meaning https) -> www.example.com/path
        segments = [s for s in path.split("/") if s]
        while segments and segments[0] in ("c", "v", "i", "r", "s"):
            segments.pop(0)
        if segments:
            inner = _normalize("https://" + "/".join(segments) + ("?" + query if query else ""))
            if inner:
                return inner
    host = _strip_host_prefixes(host)
    segments = _amp_free([s for s in unquote(path).split("/") if s and s != "."])
    path = quote("/".join(segments), safe=_PATH_SAFE)
    kept = sorted(
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k and k.lower() not in _TRACKING_KEYS and not k.lower().startswith(_TRACKING_PREFIXES) and not _is_amp_param(k, v)
    )
    key = host + ("/" + path if path else "")
    if kept:
        key += "?" + urlencode(kept)
    return key


def url_keys(*urls: object) -> tuple[str, ...]:
    """The distinct normal forms of several URLs of one story, in order."""
    out: list[str] = []
    seen: set[object] = set()
    for url in urls:
        if isinstance(url, str):
            if url in seen:
                continue  # the same text again (webUrl is also the URL to open): the same key
            seen.add(url)
        key = normalize_url(url)
        if key and key not in out:
            out.append(key)
    return tuple(out)


def host_of(key: str) -> str:
    """The host of a normalised key (``example.com`` of ``example.com/a``)."""
    return key.split("/", 1)[0].split("?", 1)[0]
