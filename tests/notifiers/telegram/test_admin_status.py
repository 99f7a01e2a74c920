"""The admin /status text: sources' health as /healthz and `icesco-watch status` judge it."""

from __future__ import annotations

from pathlib import Path

import pytest

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.i18n import translator
from icesco_watch.notifiers.telegram.status import store_status
from icesco_watch.store.schema import open_store
from tests.stores import record_failures, store_url


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "dead-en": "failed x1 of 3 before alerting",
                "dead-fr": "FAILING x3",
                "off-ar": "failed x5, disabled",
                "gone": "failed x4, not configured",
            },
        ),
        (
            "fr",
            {
                "dead-en": "échec x1 sur 3 avant l'alerte",
                "dead-fr": "EN ÉCHEC x3",
                "off-ar": "échec x5, source désactivée",
                "gone": "échec x4, source retirée de la configuration",
            },
        ),
    ],
)
def test_status_says_failing_only_from_the_threshold_on(
    tmp_path: Path, lang: str, expected: dict[str, str]
) -> None:
    # Any failure read "FAILING x1" to the admins while /healthz and `status` said not failing.
    settings = Settings.model_validate(
        {
            "storage": {"url": store_url(tmp_path / "store")},
            "alerts": {"failure_threshold": 3},
            "sources": [
                {
                    "key": key,
                    "lang": key[-2:],
                    "enabled": enabled,
                    "start_urls": [f"http://127.0.0.1:9/{key[-2:]}/"],
                }
                for key, enabled in (("dead-en", True), ("dead-fr", True), ("off-ar", False))
            ],
        }
    )
    engine = open_store(settings.storage.url)
    record_failures(engine, {"dead-en": 1, "dead-fr": 3, "off-ar": 5, "gone": 4}, threshold=3)
    lines = store_status(engine, settings, translator(lang)).splitlines()
    colon = "\u00a0: " if lang == "fr" else ": "  # French sets a no-break space before ":"
    for source, health in expected.items():
        assert any(line.startswith(f"{source}{colon}{health},") for line in lines), lines
