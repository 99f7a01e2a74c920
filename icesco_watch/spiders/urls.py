"""Canonical keys and permalink recognition for ICESCO article URLs (pure functions)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode, urlsplit, urlunsplit

# /{lang}/YYYY/MM/DD/{slug}/ : WordPress's date permalink, the shape of every ICESCO article.
_PERMALINK = re.compile(
    r"^/(?P<lang>[a-z]{2})/(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)/(?P<slug>[^/]+)/?$"
)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|ref|amp)$", re.IGNORECASE)
# RFC 3986 unreserved characters stay literal; everything else is %XX with upper-case hex.
_SAFE = "-._~!$&'()*+,;=:@/"
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def site_host(host: str) -> str:
    """Lower-case host without a leading `www.`: the site's identity for keys and link checks."""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def normalize_path(path: str) -> str:
    """One spelling for one path: percent-encoding decoded to UTF-8, then re-encoded the RFC 3986
    way (upper-case hex, unreserved characters literal), so `%d9%85`, `%D9%85` and `م` agree."""
    if _PERCENT.search(path) or not path.isascii():
        raw = unquote_to_bytes(path)
        try:
            path = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8 underneath (a cut slug): keep the bytes, only normalise the hex case.
            return _PERCENT.sub(lambda m: m.group(0).upper(), quote(raw, safe=_SAFE + "%"))
    return quote(path, safe=_SAFE)


def canonical_key(url: str) -> str:
    """`https://www.icesco.org/en/2024/05/15/Slug/?utm_source=x` -> `icesco.org/en/2024/05/15/Slug`.

    Scheme, `www.`, fragment, tracking query parameters and the trailing slash go; the host is
    lower-cased (a non-default port is kept); the path keeps its case but its percent-encoding
    is normalised. Remaining query parameters are kept, sorted.
    """
    parts = urlsplit(url.strip())
    host = site_host(parts.hostname or "")
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port != default_port:
        host = f"{host}:{parts.port}"
    path = normalize_path(parts.path or "/").rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    key = host + path
    return f"{key}?{urlencode(query)}" if query else key


def permalink_date(url: str, lang: str | None = None) -> date | None:
    """The date in an article permalink, or None if the URL does not have the article shape
    (or is in another language than `lang`, or names an impossible date)."""
    match = _PERMALINK.match(urlsplit(url).path)
    if match is None or (lang is not None and match["lang"] != lang):
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def is_article_url(url: str, host: str, lang: str) -> bool:
    """True for an http(s) article permalink in `lang` on `host` (with or without `www.`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or site_host(parts.hostname or "") != site_host(host):
        return False
    return permalink_date(url, lang) is not None


def article_fetch_url(link: str, start_url: str) -> str:
    """Where to request an article linked as `link`: on the source's own scheme and host, in the
    permalink's slash form, without query or fragment. Links to `www.` or without the slash
    would otherwise cost a redirect, a second robots.txt and a second per-host politeness slot.
    Only for links `is_article_url` accepted (same site)."""
    path = urlsplit(link).path
    start = urlsplit(start_url)
    return urlunsplit(
        (start.scheme, start.netloc, path if path.endswith("/") else path + "/", "", "")
    )


_SHORTLINK_QUERY = re.compile(r"^p=(?P<id>[1-9]\d{0,17})$")


def shortlink_post_id(url: str | None) -> int | None:
    """WordPress's post id from its shortlink or guid (`https://site/en/?p=123`), else None.

    The id is WordPress's own identity of a post: unlike the permalink, a change of slug or date
    leaves it. Any other address (a guid that is a permalink, as imports leave) gives None."""
    if not url:
        return None
    found = _SHORTLINK_QUERY.match(urlsplit(url.strip()).query)
    return int(found.group("id")) if found else None
