"""Which redirects leave the site (pure), and the middleware's answer to them."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import Response

from icesco_watch.spiders.redirects import (
    OffHostRedirect,
    OffHostRedirectMiddleware,
    off_host_target,
)

ARTICLE = "https://icesco.org/en/2025/01/01/a/"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/en/2025/01/01/a-renamed/", None),
        ("https://www.icesco.org/en/2025/01/01/a/", None),
        ("http://ICESCO.org/en/2025/01/01/a/", None),
        ("https://evil.example/en/2025/01/01/a/", "https://evil.example/en/2025/01/01/a/"),
        ("//evil.example/x", "https://evil.example/x"),
        ("https://icesco.org.evil.example/", "https://icesco.org.evil.example/"),
        ("https://sub.icesco.org/x", "https://sub.icesco.org/x"),
    ],
)
def test_off_host_target(location: str, expected: str | None) -> None:
    assert off_host_target(ARTICLE, location) == expected


def _redirect(location: str, status: int = 301, meta: dict[str, str] | None = None) -> Response:
    request = Request(ARTICLE, meta=meta if meta is not None else {"source": "icesco-en"})
    return Response(ARTICLE, status=status, headers={"Location": location}, request=request)


def test_the_middleware_refuses_only_the_spiders_off_host_redirects() -> None:
    middleware = OffHostRedirectMiddleware()
    off = _redirect("https://evil.example/")
    with pytest.raises(OffHostRedirect, match=r"redirected off the site to https://evil\.example/"):
        middleware.process_response(off.request, off)  # type: ignore[arg-type]
    for kept in (
        _redirect("https://www.icesco.org/en/2025/01/01/a/"),
        _redirect("https://evil.example/", status=200),
        _redirect("https://evil.example/", meta={}),  # robots.txt and other Scrapy requests
    ):
        assert middleware.process_response(kept.request, kept) is kept  # type: ignore[arg-type]
