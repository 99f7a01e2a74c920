"""What users may type for a sector or topic, and how a subscription reads in their language."""

from __future__ import annotations

from icesco_watch.config.loader import default_settings
from icesco_watch.notifiers.telegram.choices import Choice, Choices
from icesco_watch.notifiers.telegram.i18n import translator


def test_a_topic_is_named_in_the_readers_language_and_known_by_every_name() -> None:
    choices = Choices(default_settings())
    heritage = Choice("topic", "heritage")
    assert "التراث" in choices.label(heritage, translator("ar"))
    assert "Patrimoine" in choices.label(heritage, translator("fr"))
    assert "Heritage" in choices.label(heritage, translator("en"))
    for typed in ("heritage", "Patrimoine", "التراث", "Heritage"):
        assert choices.resolve(typed) == heritage, typed


def test_names_are_known_without_accents_hamza_or_arabic_letter_variants() -> None:
    choices = Choices(default_settings())
    typed = {
        "medias et communication": "media",
        "Partenariats et cooperation internationale": "partnerships",
        "Direction generale et organes directeurs": "governance",
        "الاعلام والاتصال": "media",
        "العلوم الانسانية والاجتماعية": "social-sciences",
        "الشراكات والتعاون الدولى": "partnerships",
        "اللغه العربيه": "arabic-language",
    }
    for text, key in typed.items():
        assert choices.resolve(text) == Choice("sector", key), text
    assert choices.resolve("الذكاء الإصطناعي") == Choice("topic", "ai")
    assert choices.resolve("médias et communications") is None  # folding is not guessing
