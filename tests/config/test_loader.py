"""Finding, merging and validating the config; errors name the key and the fix."""

from __future__ import annotations

import re
import typing
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel

from icesco_watch.config.durations import parse_duration
from icesco_watch.config.loader import ConfigError, load_config
from icesco_watch.config.schema import Settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watch.toml"
    path.write_text(text, "utf-8")
    return path


def test_builtin_defaults_watch_icesco_in_three_languages() -> None:
    loaded = load_config(environ={})
    assert loaded.origin == "built-in defaults"
    settings = loaded.settings
    assert [(s.key, s.lang) for s in settings.sources] == [
        ("icesco-en", "en"),
        ("icesco-fr", "fr"),
        ("icesco-ar", "ar"),
    ]
    assert all(s.host == "icesco.org" for s in settings.sources)
    assert settings.schedule.interval == timedelta(minutes=10)
    assert settings.crawl.obey_robots is True
    assert settings.telegram_token is None


def test_a_file_overrides_defaults_section_by_section(tmp_path: Path) -> None:
    path = _write(tmp_path, '[schedule]\ninterval = "2h"\n[alerts]\nmax_age_days = 0\n')
    settings = load_config(path, environ={}).settings
    assert settings.schedule.interval == timedelta(hours=2)
    assert settings.schedule.jitter == timedelta(seconds=30)  # untouched key keeps its default
    assert settings.alerts.max_age_days == 0
    assert len(settings.sources) == 3  # sections the file omits come from the defaults


def test_config_is_found_through_the_environment(tmp_path: Path) -> None:
    path = _write(tmp_path, "[feeds]\nitems = 7\n")
    loaded = load_config(environ={"ICESCO_WATCH_CONFIG": str(path)})
    assert loaded.origin == str(path)
    assert loaded.settings.feeds.items == 7


def test_the_token_comes_from_the_environment_and_is_never_printed() -> None:
    loaded = load_config(environ={"ICESCO_WATCH_TELEGRAM_TOKEN": "123:SECRET-token"})
    assert loaded.settings.telegram_token is not None
    assert loaded.settings.telegram_token.get_secret_value() == "123:SECRET-token"
    assert "SECRET" not in repr(loaded.settings)
    assert "SECRET" not in loaded.settings.model_dump_json()


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[schedule]\ninterval = "ten minutes"',
            "schedule.interval: 'ten minutes' is not a duration",
        ),
        ('[schedule]\ninterval = "0s"', "schedule.interval: '0s' must be a positive duration"),
        (
            "[alerts]\nmax_age_days = -1",
            "alerts.max_age_days: Input should be greater than or equal",
        ),
        ('[alerts]\nbaseline = "loud"', "alerts.baseline: String should match pattern"),
        (
            '[[sources]]\nkey = "x"\nlang = "de"\nstart_urls = ["https://icesco.org/de/"]',
            "sources[0].lang: Input should be 'en', 'ar' or 'fr' (got 'de')",
        ),
        (
            '[[sources]]\nkey = "x"\nlang = "en"\nstart_urls = ["icesco.org/en/"]',
            "sources[0].start_urls: 'icesco.org/en/' is not an absolute http(s) URL",
        ),
        (
            '[[sources]]\nkey = "x"\nlang = "en"\nstart_urls = ["https://a.org/"]\n'
            'timezone = "Mars/Olympus"',
            "sources[0].timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            '[[sources]]\nkey = "x"\nlang = "en"\nstart_urls = ["https://a.org/"]\nmax_page = 2',
            "sources[0].max_page: unknown key; did you mean 'max_pages'?",
        ),
        ('[[sources]]\nkey = "x"\nlang = "en"', "sources[0].start_urls: is required; add it"),
        ("[shedule]\ninterval = '1h'", "shedule: unknown key; did you mean 'schedule'?"),
        (
            '[[topics]]\nkey = "ai"\nname = "AI"\nkeywords = ["ai"]\n'
            '[[topics]]\nkey = "ai"\nname = "AI 2"\nkeywords = ["x"]',
            "topics: key 'ai' is used more",
        ),
        ('[storage]\nurl = "mysql://x"', "storage.url: must be an SQLAlchemy URL"),
        (
            '[[sources]]\nkey = "x"\nlang = "en"\nstart_urls = ["https://a.org/"]\n'
            '[sources.selectors]\ntitle = ["h1["]',
            "sources[0].selectors.title: 'h1[' is not a valid CSS selector",
        ),
        ("[feeds\nitems = 3", "TOML syntax error"),
        (
            '[[telegram.routes]]\nchat = "@icesco_edu"\nsectors = ["educaton"]',
            "telegram.routes[0].sectors: unknown sector 'educaton'; did you mean 'education'?",
        ),
        (
            '[[telegram.routes]]\nchat = "@icesco_edu"\ntopics = ["space"]',
            "telegram.routes[0].topics: unknown topic 'space'",
        ),
        (
            '[[topics]]\nkey = "x"\nname = "X"\nkeywords = ["ok", "--"]',
            "topics[0].keywords: '--' has no letters or digits; remove it",
        ),
        ('[storage]\nurl = "sqlite:///"', "storage.url: 'sqlite:///' is an in-memory SQLite"),
        ('[storage]\nurl = "sqlite://"', "storage.url: 'sqlite://' is an in-memory SQLite"),
        ('[storage]\nurl = "sqlite:///:memory:"', "storage.url: 'sqlite:///:memory:' is an in-m"),
        (
            '[storage]\nurl = "sqlite:///file:x?mode=memory&uri=true"',
            "storage.url: 'sqlite:///file:x?mode=memory&uri=true' is an in-memory SQLite",
        ),
        (
            '[telegram]\napi_base_url = "not a url"',
            "telegram.api_base_url: 'not a url' is not an absolute http(s) URL",
        ),
        (
            '[telegram]\napi_base_url = "ftp://example.org/bot"',
            "telegram.api_base_url: 'ftp://example.org/bot' is not an absolute http(s) URL",
        ),
        (
            '[schedule]\ninterval = "1m"\njitter = "90s"',
            "schedule.jitter: 90s is longer than schedule.interval (1m)",
        ),
        ("[schedule]\ninterval = 1e308", "schedule.interval: 1e+308 is longer than the maximum"),
        ("[schedule]\ninterval = inf", "schedule.interval: inf is longer than the maximum, 365d"),
        ("[schedule]\ninterval = nan", "schedule.interval: nan is not a duration"),
        ('[crawl]\ntimeout = "366d"', "crawl.timeout: '366d' is longer than the maximum, 365d"),
        ('[crawl]\ndelay = "99999999999d"', "crawl.delay: '99999999999d' is longer than the max"),
        ('[schedule]\ninterval = "1e400s"', "schedule.interval: '1e400s' is not a duration"),
        ('[server]\nhost = "no such host!"', "server.host: 'no such host!' is neither an IP"),
        ("x = " + "[" * 3000 + "]" * 3000, "nested too deeply"),
        ("x = " + "{a = " * 900 + "1" + "}" * 900, "nested too deeply"),
    ],
)
def test_bad_config_names_the_key_and_the_fix(tmp_path: Path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, toml), environ={})
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_every_problem_gets_its_own_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[schedule]\ninterval = "x"\njitter = "y"\n[alerts]\nbogus = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    keys = sorted(p.split(":")[0] for p in caught.value.problems)
    assert keys == ["alerts.bogus", "schedule.interval", "schedule.jitter"]


def test_problems_across_sections_get_a_line_each_keyed_like_the_others(tmp_path: Path) -> None:
    # They were one line, "(top level): telegram.routes.0.sectors: ...; telegram.routes.1...".
    routes = (
        '[[telegram.routes]]\nchat = "@icesco_edu"\nsectors = ["educaton"]\ntopics = ["space"]\n'
        '[[telegram.routes]]\nchat = "@icesco_sci"\nsectors = ["sciense"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, routes), environ={})
    keys = [p.split(":")[0] for p in caught.value.problems]
    assert keys == [
        "telegram.routes[0].sectors",
        "telegram.routes[0].topics",
        "telegram.routes[1].sectors",
    ]


def test_a_missing_file_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_sub_minute_interval_against_a_remote_host_is_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, '[schedule]\ninterval = "20s"\n')
    loaded = load_config(path, environ={})
    assert loaded.settings.schedule.interval == timedelta(seconds=20)
    assert any("schedule.interval" in w for w in loaded.warnings)
    local = _write(
        tmp_path,
        '[schedule]\ninterval = "20s"\n[[sources]]\nkey = "r"\nlang = "en"\n'
        'start_urls = ["http://127.0.0.1:8000/en/category/news/"]\n',
    )
    assert load_config(local, environ={}).warnings == []


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("10m", 600),
        ("2h", 7200),
        ("1h30m", 5400),
        ("500ms", 0.5),
        (45, 45),
        ("1.5m", 90),
        ("1d", 86400),
    ],
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds


def test_the_example_config_is_valid_and_keeps_the_builtin_taxonomy() -> None:
    example = Path(__file__).parents[2] / "config" / "example.toml"
    settings = load_config(example, environ={}).settings
    assert [s.key for s in settings.sectors] == [
        "education",
        "science",
        "culture",
        "media",
        "social-sciences",
        "partnerships",
        "dialogue",
        "foresight-ai",
        "arabic-language",
        "governance",
        "strategy",
    ]
    assert all(s.units and s.name.ar for s in settings.sectors)


def test_the_example_config_names_every_key() -> None:
    """config/example.toml promises "every key, with its default": each field of the settings,
    nested tables and list entries included, appears as `key =` (set or commented out). The
    sectors' `by_actor` was missing (an audit of the contract found it)."""
    text = (Path(__file__).parents[2] / "config" / "example.toml").read_text("utf-8")
    seen: set[type[BaseModel]] = set()
    missing: list[str] = []

    def models(annotation: object) -> list[type[BaseModel]]:
        found = [m for arg in typing.get_args(annotation) for m in models(arg)]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.append(annotation)
        return found

    def walk(model: type[BaseModel], path: str) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            if field.exclude:  # the token: from the environment only
                continue
            key = field.alias or name
            if not re.search(rf"(^|[#\s\[.{{,]){re.escape(key)}(\s*=|\]|\.)", text, re.M):
                missing.append(path + key)
            for sub in models(field.annotation):
                walk(sub, f"{path}{key}.")

    walk(Settings, "")
    assert len(seen) > 5
    assert missing == []


def test_jitter_defaults_to_at_most_the_interval(tmp_path: Path) -> None:
    """An interval under the 30s default jitter is not refused for a jitter nobody wrote."""
    short = load_config(_write(tmp_path, '[schedule]\ninterval = "20s"'), environ={}).settings
    assert short.schedule.jitter == timedelta(seconds=20)
    written = '[schedule]\ninterval = "20s"\njitter = "5s"'
    assert load_config(_write(tmp_path, written), environ={}).settings.schedule.jitter == (
        timedelta(seconds=5)
    )


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "feeds.example.org", "my-host"]
)
def test_server_hosts_that_can_be_listened_on_are_accepted(tmp_path: Path, host: str) -> None:
    settings = load_config(_write(tmp_path, f'[server]\nhost = "{host}"'), environ={}).settings
    assert settings.server.host == host


def test_a_postgresql_store_and_a_sqlite_file_are_accepted(tmp_path: Path) -> None:
    for url in ("postgresql://watch@db.example/icesco", f"sqlite:///{tmp_path}/w.db"):
        settings = load_config(_write(tmp_path, f'[storage]\nurl = "{url}"'), environ={}).settings
        assert settings.storage.url == url
