"""The admin /status text: sources' health as /healthz and `icesco-watch status` judge it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from icesco_watch.config.schema import Settings
from icesco_watch.models import CrawlResult, SourceReport
from icesco_watch.notifiers.telegram.i18n import translator
from icesco_watch.notifiers.telegram.status import store_status
from icesco_watch.store.health import record_run
from icesco_watch.store.schema import open_store
from tests.conftest import store_url


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
    for source, times in {"dead-en": 1, "dead-fr": 3, "off-ar": 5, "gone": 4}.items():
        for _ in range(times):
            now = datetime.now(UTC)
            report = SourceReport(source, now, now, errors=["listing: HTTP 500"], fatal=True)
            with engine.begin() as conn:
                record_run(conn, report, CrawlResult(source), 3, baseline_complete=False)
    lines = store_status(engine, settings, translator(lang)).splitlines()
    colon = "\u00a0: " if lang == "fr" else ": "  # French sets a no-break space before ":"
    for source, health in expected.items():
        assert any(line.startswith(f"{source}{colon}{health},") for line in lines), lines
