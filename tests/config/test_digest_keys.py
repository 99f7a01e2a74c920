"""`digest` and `timezone` on a `[[telegram.routes]]` entry: accepted in their normal spelling,
refused with one line naming the key and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from icesco_watch.config.loader import ConfigError, load_config
from tests.conftest import config_check_error

ROUTE = '[[telegram.routes]]\nchat = "@icesco_digest"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "icesco-watch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_route_takes_a_digest_and_a_time_zone(tmp_path: Path) -> None:
    text = ROUTE + 'digest = "Weekly MON 8:00"\ntimezone = "africa/casablanca"\n'
    settings = load_config(_write(tmp_path, text), environ={}).settings
    [route] = settings.telegram.routes
    assert (route.digest, route.timezone) == ("weekly mon 08:00", "Africa/Casablanca")
    plain = load_config(_write(tmp_path, ROUTE), environ={}).settings.telegram.routes[0]
    assert (plain.digest, plain.timezone) == ("instant", "UTC")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('digest = "hourly"', "telegram.routes[0].digest: 'hourly' is not a schedule; write"),
        ('digest = "daily 8"', "telegram.routes[0].digest: '8' is not a time; write it as HH:MM"),
        ('digest = "weekly 08:00"', "telegram.routes[0].digest: 'weekly 08:00' needs a day"),
        ('timezone = "Mars/Base"', "telegram.routes[0].timezone: unknown time zone 'Mars/Base'"),
    ],
)
def test_a_malformed_digest_key_is_one_line_naming_it(
    tmp_path: Path, line: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_write(tmp_path, ROUTE + line + "\n"), environ={})
    [problem] = caught.value.problems
    assert problem.startswith(expected), problem


def test_config_check_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    config = _write(tmp_path, ROUTE + 'digest = "daily 25:00"\n')
    assert config_check_error(config).endswith(
        "telegram.routes[0].digest: '25:00' is not a time; write it as HH:MM, e.g. 08:00 or 18:30"
    )
