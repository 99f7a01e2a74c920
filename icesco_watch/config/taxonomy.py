"""The taxonomy config sections: ICESCO's sectors and the watched topics items are tagged with."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from icesco_watch.config.base import Section


def _has_words(values: list[str]) -> list[str]:
    for value in values:
        if not any(ch.isalnum() for ch in value):
            raise ValueError(f"{value!r} has no letters or digits; remove it or write a word")
    return values


Terms = Annotated[list[str], AfterValidator(_has_words)]


def _not_blank(value: str) -> str:
    # A name is what readers see: a blank one is an empty bot button and a feed titled with
    # nothing (Telegram refuses a button without text).
    if not value.strip():
        raise ValueError(f"{value!r} is blank; write the name readers see in feeds and the bot")
    return value


Name = Annotated[str, AfterValidator(_not_blank)]


class TopicNames(Section):
    """A topic's display name per language: English required, French and Arabic optional
    (a missing one reads as the English name)."""

    en: Name
    fr: Name | None = None
    ar: Name | None = None


def _one_name_is_english(value: object) -> object:
    # `name = "Heritage"` is the English name (one error line for a bad table, not one per form).
    return {"en": value} if isinstance(value, str) else value


class TopicConfig(Section):
    """A watched topic: an item matches when it contains any keyword and no exclusion
    (whole words or phrases, any language; plain words, never regular expressions).

    `name` is one string or a table per language (`name = {en = "Heritage", ar = "التراث"}`),
    so a topic reads in the language of the feed or of the chat's bot."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Annotated[TopicNames, BeforeValidator(_one_name_is_english)]
    keywords: Terms = Field(min_length=1)
    exclude: Terms = Field(default_factory=list)

    def label(self, lang: str) -> str:
        """The name in `lang`; English for "all", an unknown language or a missing name."""
        return {"fr": self.name.fr, "ar": self.name.ar}.get(lang) or self.name.en

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the topic has, in any language (what a user may type for it)."""
        return tuple(n for n in (self.name.en, self.name.fr, self.name.ar) if n)


class SectorNames(Section):
    """A sector's display name in each language (feeds, the index page, bot buttons)."""

    en: Name
    fr: Name
    ar: Name

    def get(self, lang: str) -> str:
        """The name in `lang`; English for "all" or an unknown language."""
        return {"fr": self.fr, "ar": self.ar}.get(lang, self.en)


def _names_in_each_language(value: object) -> object:
    # A sector's feeds, index page and bot buttons exist in each language: a lone string is
    # a mistake to explain, not the internal model's "valid dictionary or instance" message.
    if isinstance(value, str):
        raise ValueError(
            f"a sector needs its name in each language: name = {{en = {json.dumps(value)}, "
            'fr = "...", ar = "..."}'
        )
    return value


class SectorConfig(Section):
    """One ICESCO sector of the taxonomy (key as in feed paths and subscriptions).

    The classifier weighs, strongest first: `units` (the sector's own unit names in any
    language, old names included), `categories` (site category slugs or names), `people`
    (heads and experts), then `strong_keywords` (weight 2) and `keywords` (weight 1).
    Matching is whole-word on normalised text (case, accents and Arabic spelling variants
    ignored), so one spelling per word is enough.
    """

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Annotated[SectorNames, BeforeValidator(_names_in_each_language)]
    units: Terms = Field(default_factory=list)
    categories: Terms = Field(default_factory=list)
    people: Terms = Field(default_factory=list)
    strong_keywords: Terms = Field(default_factory=list)
    keywords: Terms = Field(default_factory=list)
    # Sectors whose keywords alone do not count when this one is decided: teaching Arabic
    # talks of teachers and learners, yet it is the Arabic Language Center's work.
    absorbs: list[str] = Field(default_factory=list)
    # A sector that sits beside the fields rather than among them (partnerships: cooperation
    # on education is partnerships AND education): its keywords are not weighed against the
    # best-scoring field's, so a dominant topic does not hide it.
    cross_cutting: bool = False
    # A sector decided by who acts rather than by what the item is about (governance: the DG,
    # the governing bodies). A first paragraph often leaves the actor untold, so the model alone
    # adds such a sector at a lower bar than a field (tagging/weights.py, MODEL_ADD_BY_ACTOR).
    by_actor: bool = False

    @property
    def hashtag(self) -> str:
        """`#foresight_ai`: Telegram hashtags allow letters, digits and underscores only."""
        return "#" + self.key.replace("-", "_")
