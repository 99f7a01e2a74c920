"""The base of every config section (unknown keys rejected, values frozen) and the news languages.

Each section's model lives in the module of what it configures: `service.py` (storage,
schedule, feeds, server, alerts), `sources.py` (crawl and sources), `telegram.py` (the bot and
its routes), `taxonomy.py` (sectors and topics); `schema.py` assembles them into `Settings`.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

LANGS = ("en", "ar", "fr")
Lang = Literal["en", "ar", "fr"]


class Section(BaseModel):
    """Every section rejects unknown keys, so a typo is an error rather than a silent default.

    Strict: a TOML value of the wrong type is an error naming its key, never converted
    (lax pydantic read `obey_robots = "no"` as false and `port = true` as port 1). Durations,
    sizes and chat ids still take their documented spellings through their own validators."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def absolute_http(url: str, example: str) -> str:
    """`url` unchanged if it is an absolute http(s) URL with a host, else a ValueError that
    shows how to write one (`example`)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an absolute http(s) URL; write it like {example}")
    return url
