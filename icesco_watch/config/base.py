"""The base of every config section (unknown keys rejected, values frozen) and the news languages.

Each section's model lives in the module of what it configures: `service.py` (storage,
schedule, feeds, server, alerts), `sources.py` (crawl and sources), `telegram.py` (the bot and
its routes), `taxonomy.py` (sectors and topics); `schema.py` assembles them into `Settings`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

LANGS = ("en", "ar", "fr")
Lang = Literal["en", "ar", "fr"]


class Section(BaseModel):
    """Every section rejects unknown keys, so a typo is an error rather than a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)
