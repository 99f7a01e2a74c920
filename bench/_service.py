"""`icesco-watch run` as a real child process for bench/ only: its config, its start, and what
the kernel says it holds (resident memory and open files, from /proc; Linux)."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import IO, Any

from icesco_watch.config.loader import default_settings
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from tests.conftest import clean_env, free_port
from tests.fakes.bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from icesco_watch.cli import main; main()"]


def write_config(
    workdir: Path,
    proxy_url: str,
    api: FakeBotApi,
    interval: str,
    sources: list[dict[str, Any]],
    **sections: dict[str, Any],
) -> Settings:
    """A config in `workdir` that crawls `sources` through `proxy_url` (loopback) and alerts
    through the fake Bot API; returns the settings it holds."""
    defaults = default_settings()
    data: dict[str, Any] = {
        "storage": {"url": f"sqlite:///{workdir}/store/watch.db"},
        "schedule": {"interval": interval, "jitter": "0s"},
        "crawl": {"delay": "0s", "timeout": "10s", "retries": 1, "proxy": proxy_url},
        "sources": sources,
        "alerts": {"max_age_days": 0},
        "feeds": {"dir": f"{workdir}/feeds"},
        "server": {"port": free_port()},
        "telegram": {"api_base_url": api.base_url},
        "sectors": [s.model_dump() for s in defaults.sectors],
        "topics": [t.model_dump() for t in defaults.topics],
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    settings = Settings.model_validate(data)
    (workdir / "icesco-watch.toml").write_text(render_toml(settings))
    return settings


def start(workdir: Path, api: FakeBotApi, log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "--config", str(workdir / "icesco-watch.toml"), "run"],
        stdout=log,
        stderr=log,
        text=True,
        env=clean_env(ICESCO_WATCH_TELEGRAM_TOKEN=api.token),
        cwd=workdir,
    )


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def open_files(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


def store_bytes(settings: Settings) -> int:
    database = Path(settings.storage.url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))


def scrape(settings: Settings) -> str:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no env proxies
    url = f"http://127.0.0.1:{settings.server.port}/metrics"
    with direct.open(url, timeout=30) as answer:
        return str(answer.read().decode())


def metric(text: str, name: str) -> float:
    """The value of an unlabelled sample in Prometheus text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0
