"""URL helpers: one normal form per story, and which URLs may be opened."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

OPENABLE_SCHEMES = ("http", "https")

_HOST = re.compile(r"^[a-z0-9.-]+$")
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_")
_TRACKING_KEYS = {"fbclid", "gclid", "dclid", "igshid", "ref", "ref_src", "cmpid", "ncid", "amp", "outputtype"}


def is_openable(url: str) -> bool:
    """Only web pages are ever handed to the browser."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in OPENABLE_SCHEMES


def normalize_url(url: object) -> str:
    """A scheme-less, case-folded key under which one story has one URL.

    ``https://www.x.com/a/amp/?utm_source=t`` and ``http://x.com/a`` give the
    same key; AMP cache URLs (``*.cdn.ampproject.org/c/s/HOST/PATH``) fold
    onto the page they cache. Returns "" for anything that is not a URL.
    """
    if not isinstance(url, str):
        return ""
    url = url.strip().replace("&#038;", "&").replace("&amp;", "&")
    if not url:
        return ""
    try:
        parts = urlsplit(url if "://" in url else "//" + url)
        host = (parts.hostname or "").lower()
        path = parts.path
        query = parts.query
    except ValueError:
        return ""
    if not host or "." not in host or not _HOST.match(host):
        return ""
    if host.endswith(".cdn.ampproject.org"):
        # /c/s/www.example.com/path -> www.example.com/path
        rest = path.split("/")
        try:
            i = rest.index("s") if "s" in rest[:3] else rest.index("c")
            inner = "/".join(rest[i + 1 :])
        except ValueError:
            inner = ""
        if inner:
            return normalize_url("https://" + inner + ("?" + query if query else ""))
    if host.startswith("www."):
        host = host[4:]
    if host.startswith("amp.") or host.startswith("mobile."):
        host = host.split(".", 1)[1]
    path = unquote(path).replace(" ", "%20")
    segments = [s for s in path.split("/") if s]
    if segments and segments[-1].lower() == "amp":
        segments.pop()
    if segments and segments[0].lower() == "amp":
        segments.pop(0)
    path = "/".join(segments)
    kept = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k.lower() not in _TRACKING_KEYS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    key = host + ("/" + path if path else "")
    if kept:
        key += "?" + urlencode(sorted(kept))
    return key
