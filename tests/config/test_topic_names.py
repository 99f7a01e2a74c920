"""A topic's name in each language: one string (English) or a table per language."""

from __future__ import annotations

from pathlib import Path

from icesco_watch.config.loader import default_settings
from icesco_watch.config.schema import TopicConfig
from tests.conftest import config_check_error


def topic(name: object) -> TopicConfig:
    return TopicConfig.model_validate({"key": "water", "name": name, "keywords": ["water"]})


def test_a_plain_name_is_the_english_one_and_serves_every_language() -> None:
    water = topic("Water")
    assert [water.label(lang) for lang in ("en", "fr", "ar", "all")] == ["Water"] * 4
    assert water.names == ("Water",)


def test_a_table_gives_each_language_its_name_and_english_fills_the_gaps() -> None:
    water = topic({"en": "Water", "ar": "المياه"})
    assert (water.label("en"), water.label("ar"), water.label("fr")) == ("Water", "المياه", "Water")
    assert water.names == ("Water", "المياه")


def test_the_built_in_topics_have_french_and_arabic_names() -> None:
    heritage = next(t for t in default_settings().topics if t.key == "heritage")
    assert (heritage.label("fr"), heritage.label("ar")) == ("Patrimoine", "التراث")


def test_a_table_without_english_or_with_another_language_is_one_line_naming_the_key(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[topics]]\nkey = "x"\nname = { fr = "Eau" }\nkeywords = ["eau"]\n')
    assert config_check_error(config).endswith("topics[0].name.en: is required; add it")
    config.write_text('[[topics]]\nkey = "x"\nname = { en = "W", de = "W" }\nkeywords = ["w"]\n')
    assert "topics[0].name.de: unknown key" in config_check_error(config)


def test_a_sector_named_by_one_string_is_told_to_name_each_language(tmp_path: Path) -> None:
    # Was "sectors[0].name: Input should be a valid dictionary or instance of SectorNames":
    # the internal model's name, and no word of what to write.
    config = tmp_path / "config.toml"
    config.write_text('[[sectors]]\nkey = "water"\nname = "Water"\nunits = ["Water Unit"]\n')
    error = config_check_error(config)
    assert error.endswith(
        "sectors[0].name: a sector needs its name in each language: "
        'name = {en = "Water", fr = "...", ar = "..."}'
    )
    assert "SectorNames" not in error
    config.write_text(
        '[[sectors]]\nkey = "water"\nname = { en = "W", ar = "ماء" }\nunits = ["U"]\n'
    )
    assert "sectors[0].name.fr: is required; add it" in config_check_error(config)
