"""A loopback replica of icesco.org (WordPress news site) for crawler tests.

``build_site(state)`` renders every page of a state; ``ReplicaServer`` serves them on 127.0.0.1,
directly or as an HTTP proxy target, with conditional requests, fault injection and a request log.
"""

from .articles import ARTICLES, EDITED_KEY, FEATURED_KEY, STATES, Article
from .server import LoggedRequest, ReplicaServer
from .site import LISTINGS, Page, articles_in, build_site

__all__ = [
    "ARTICLES",
    "EDITED_KEY",
    "FEATURED_KEY",
    "LISTINGS",
    "STATES",
    "Article",
    "LoggedRequest",
    "Page",
    "ReplicaServer",
    "articles_in",
    "build_site",
]
