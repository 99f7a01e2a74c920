"""Redirects never leave the site: a downloader middleware that refuses off-host redirects.

An article URL that answers 301/302/303/307/308 to another host (a hijacked or retired link, a
link shortener, a parked domain) must not be fetched, stored or alerted as ICESCO news. This
middleware sits just before Scrapy's RedirectMiddleware on the response path, so the redirect
is refused before Scrapy schedules the request to the other host: the request fails with
`OffHostRedirect` (its errback records why), and nothing is ever downloaded from there.
Hosts are compared the way keys are (`www.` aside, case-insensitive). Only the spider's own
requests (those with a `source` in their meta) are checked; robots.txt is left to Scrapy.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from icesco_watch.spiders.urls import site_host

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class OffHostRedirect(IgnoreRequest):
    """A page redirected to another host; the redirect was not followed."""


def off_host_target(request_url: str, location: str) -> str | None:
    """The absolute target of a redirect from `request_url` to `location` when it leaves the
    request's site (another host, `www.` aside), else None."""
    target = urljoin(request_url, location.strip())
    source = site_host(urlsplit(request_url).hostname or "")
    return None if site_host(urlsplit(target).hostname or "") == source else target


class OffHostRedirectMiddleware:
    """Refuses a spider request's redirect to another host (see the module docstring)."""

    def process_response(self, request: Request, response: Response) -> Response:
        if "source" not in request.meta or response.status not in _REDIRECTS:
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = off_host_target(request.url, location.decode("latin-1"))
        if target is not None:
            raise OffHostRedirect(f"redirected off the site to {target}; not followed")
        return response
