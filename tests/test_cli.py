"""The `icesco-watch` command end to end: a real process, a real crawl of the replica."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from icesco_watch.config.loader import load_config
from icesco_watch.config.schema import Settings
from icesco_watch.feeds.server import health_report
from icesco_watch.store.health import all_source_states
from icesco_watch.store.leases import acquire
from icesco_watch.store.schema import open_store
from tests.conftest import CLI, LISTINGS, clean_env, replica_config, write_replica_config
from tests.notifiers.telegram.helpers import subscribe
from tests.replica import ReplicaServer
from tests.stores import record_failures, store_url

ITEM_FIELDS = {
    "key",
    "url",
    "lang",
    "title",
    "published",
    "summary",
    "sectors",
    "topics",
    "site_categories",
    "first_seen",
    "related",
}


@pytest.fixture
def config_file(tmp_path: Path, replica: ReplicaServer) -> Path:
    return write_replica_config(tmp_path, replica)


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=config.parent,
        timeout=120,
        check=False,
    )


def _lines(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {line.split(":", 1)[0]: line for line in done.stdout.splitlines() if ": " in line}


def test_crawl_reports_counts_per_source_and_exit_codes(
    config_file: Path, replica: ReplicaServer
) -> None:
    first = cli(config_file, "crawl")
    assert first.returncode == 0, first.stdout + first.stderr
    lines = _lines(first)
    assert "new=0" in lines["icesco-en"]
    assert "baseline=12" in lines["icesco-en"]

    replica.set_state("after")
    second = _lines(cli(config_file, "crawl"))
    assert "new=2" in second["icesco-en"]
    assert "new=1" in second["icesco-fr"]
    assert "new=1" in second["icesco-ar"]

    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
    failed = cli(config_file, "crawl")
    assert failed.returncode == 1
    assert "icesco-ar: FAILED" in failed.stdout
    assert "answered HTTP 500" in failed.stdout
    assert "icesco-en: not modified" in failed.stdout


def test_crawl_one_source(config_file: Path, replica: ReplicaServer) -> None:
    done = cli(config_file, "crawl", "--source", "icesco-fr")
    assert done.returncode == 0
    assert list(_lines(done)) == ["icesco-fr"]
    listings = [r.path for r in replica.requests if "/category/" in r.path]
    assert listings
    assert all(path.startswith(LISTINGS["icesco-fr"]) for path in listings)


def test_an_unknown_source_is_a_usage_error(config_file: Path) -> None:
    done = cli(config_file, "crawl", "--source", "icesco-de")
    assert done.returncode == 2
    assert "no source 'icesco-de' (known: icesco-en, icesco-fr, icesco-ar)" in done.stderr


def test_status_and_items_list(config_file: Path, replica: ReplicaServer) -> None:
    assert cli(config_file, "status").stdout.count("never run") == 3
    cli(config_file, "crawl")
    replica.fail(status=502, path_prefix=LISTINGS["icesco-en"])
    cli(config_file, "crawl")

    status = [json.loads(line) for line in cli(config_file, "status", "--json").stdout.splitlines()]
    *sources, deliveries = status
    zero = {"pending": 0, "sent": 0, "failed": 0, "skipped": 0}
    # No admin chats: no notices; no service running: no lease held.
    assert deliveries == {"deliveries": zero, "notices": zero, "leases": {}}
    by_key = {row["key"]: row for row in sources}
    assert by_key["icesco-en"]["consecutive_failures"] == 1
    assert "HTTP 502" in by_key["icesco-en"]["last_error"]
    assert by_key["icesco-fr"]["items"] == 7
    assert by_key["icesco-fr"]["last_error"] is None

    listed = cli(config_file, "items", "list", "--json", "--lang", "ar", "--limit", "3")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 3
    assert all(set(row) == ITEM_FIELDS and row["lang"] == "ar" for row in rows)
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    assert all(r["key"].startswith("icesco.org/ar/") and "+" in r["published"] for r in rows)

    text = cli(config_file, "items", "list", "--limit", "2")
    assert text.returncode == 0
    assert text.stdout.count("http://icesco.org/") == 2
    wildcard = cli(config_file, "items", "list", "--sector", "%")
    assert wildcard.returncode == 2
    assert "--sector" in wildcard.stderr
    bad = cli(config_file, "items", "list", "--lang", "de")
    assert bad.returncode == 2
    assert "--lang" in bad.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--sector", "educaton"], "--sector"),  # a typo listed nothing, exit 0
        (["--limit", "99999999999999999999"], "--limit"),  # was an OverflowError, exit 1
    ],
    ids=["unknown-sector", "huge-limit"],
)
def test_items_list_rejects_a_bad_filter_with_exit_2(
    tmp_path: Path, args: list[str], named: str
) -> None:
    config = tmp_path / "icesco-watch.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{tmp_path}/watch.db"\n', "utf-8")
    done = subprocess.run(
        [*CLI, "--config", str(config), "items", "list", *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_crawl_without_a_token_says_what_waits_in_the_outbox(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    """No token: nothing is sent, and the crawl says how many alerts and admin notices wait
    (a `run` with the token sends them); `status` counts the same."""
    admins = {"telegram": {"admin_chats": ["-1009100"]}, "alerts": {"failure_threshold": 1}}
    settings = Settings.model_validate(replica_config(tmp_path, replica, **admins))
    config = write_replica_config(tmp_path, replica, settings)
    assert cli(config, "crawl").returncode == 0  # the silent baseline
    subscribe(open_store(settings.storage.url), "900")
    replica.set_state("after")
    replica.fail(status=500, path_prefix=LISTINGS["icesco-ar"])
    done = cli(config, "crawl")
    assert done.returncode == 1
    assert "  health: source is now failing" in done.stdout
    assert done.stdout.splitlines()[-1] == (
        "telegram: off (no ICESCO_WATCH_TELEGRAM_TOKEN); 3 alert(s) and 1 admin notice(s) "
        "wait in the outbox"
    )
    *_, waiting = (json.loads(line) for line in cli(config, "status", "--json").stdout.splitlines())
    assert (waiting["deliveries"]["pending"], waiting["notices"]["pending"]) == (3, 1)


def test_status_names_the_instances_holding_the_leases(config_file: Path) -> None:
    """Several instances on one store: `status` says which one crawls and which polls Telegram
    (a lease that ran out is nobody's)."""
    settings = load_config(config_file, {}).settings
    engine = open_store(settings.storage.url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        acquire(conn, "crawler", "host-a:101:x1", now, timedelta(minutes=20))
        acquire(conn, "telegram-updates", "host-b:202:y2", now, timedelta(seconds=30))
        acquire(conn, "cycle", "host-a:101:x1", now - timedelta(hours=1), timedelta(minutes=1))
    text = cli(config_file, "status").stdout.splitlines()[-1]
    assert text.startswith("instances: crawler=host-a:101:x1 (until ")
    assert "  telegram-updates=host-b:202:y2 (until " in text
    assert "cycle=" not in text  # expired an hour ago
    shown = cli(config_file, "status", "--json").stdout.splitlines()
    last = json.loads(shown[-1])
    assert {name: lease["holder"] for name, lease in last["leases"].items()} == {
        "crawler": "host-a:101:x1",
        "telegram-updates": "host-b:202:y2",
    }


def test_status_says_failing_only_where_healthz_does(tmp_path: Path) -> None:
    """One failure of three is not FAILING: `status` asks /healthz's rule (`is_failing`) and shows
    a source under the threshold, a disabled one and a removed one as what they are."""
    config = tmp_path / "icesco-watch.toml"
    sources = "".join(
        f'[[sources]]\nkey = "{key}"\nlang = "{key[-2:]}"\nenabled = {enabled}\n'
        f'start_urls = ["http://127.0.0.1:9/{key[-2:]}/"]\n'
        for key, enabled in (("dead-en", "true"), ("dead-fr", "true"), ("off-ar", "false"))
    )
    config.write_text(
        f'[storage]\nurl = "{store_url(tmp_path / "store")}"\n'
        f"[alerts]\nfailure_threshold = 3\n{sources}",
        "utf-8",
    )
    settings = load_config(config, {}).settings
    engine = open_store(settings.storage.url)
    record_failures(engine, {"dead-en": 1, "dead-fr": 3, "off-ar": 5, "gone": 4}, threshold=3)

    done = cli(config, "status")
    assert done.returncode == 0, done.stdout + done.stderr
    text = _lines(done)
    assert text["dead-en"].startswith("dead-en: failed x1 of 3 before alerting  items=")
    assert text["dead-fr"].startswith("dead-fr: FAILING x3  items=")
    assert text["off-ar"].startswith("off-ar: failed x5, disabled  items=")
    assert text["gone"].startswith("gone: failed x4, not configured  items=")
    *rows, _ = (json.loads(line) for line in cli(config, "status", "--json").stdout.splitlines())
    with engine.connect() as conn:
        healthz = health_report(settings, all_source_states(conn))["sources"]
    assert {row["key"]: row["failing"] for row in rows} == {
        row["key"]: row["failing"] for row in healthz
    }
    assert [row["failing"] for row in rows] == [False, True, False, False]
    assert [row["consecutive_failures"] for row in rows] == [1, 3, 5, 4]
