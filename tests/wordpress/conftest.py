"""The WordPress network (installed by .ci/wordpress.sh) served on loopback for the tests.

`php -S` serves Debian's /usr/share/wordpress through tests/wordpress/php/router.php on a free
port; a counting proxy in front of it is the crawler's `crawl.proxy`, so URLs keep their real
shape (`http://icesco.test/en/...`) and every request is counted. Posts are added, edited and
deleted through WordPress's own PHP API (php/wpctl.php). When WordPress is not installed the
tests skip, saying why; under CI=true they fail instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEFAULTS, free_port
from tests.wordpress.proxy import CountingProxy, Hit

DOMAIN = "icesco.test"
PHP = Path(__file__).parent / "php"
DOCROOT = Path("/usr/share/wordpress")
CONFIG = Path(f"/etc/wordpress/config-{DOMAIN}.php")
# Each site's news category (slug as WordPress stores it, decoded) and listing address.
CATEGORIES = {"en": "news", "ar": "المستجدات", "fr": "actualites"}
LISTINGS = {
    "en": f"http://{DOMAIN}/en/category/news/",
    "ar": f"http://{DOMAIN}/ar/category/%D8%A7%D9%84%D9%85%D8%B3%D8%AA%D8%AC%D8%AF%D8%A7%D8%AA/",
    "fr": f"http://{DOMAIN}/fr/category/actualites/",
}


def _unavailable(reason: str) -> None:
    message = f"real WordPress unavailable: {reason} (run .ci/wordpress.sh as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class WordPress:
    proxy: CountingProxy

    def run(self, *ops: dict[str, Any]) -> list[Any]:
        """Apply operations through WordPress's PHP API (see php/wpctl.php)."""
        done = subprocess.run(
            ["php", str(PHP / "wpctl.php")],
            input=json.dumps(list(ops)),
            capture_output=True,
            text=True,
            env={**os.environ, "HTTP_HOST": DOMAIN},
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"wpctl failed: {done.stderr.strip() or done.stdout.strip()}")
        result: list[Any] = json.loads(done.stdout)
        return result

    def add(self, lang: str, title: str, date: str, body: str, news: bool = True) -> Any:
        category = CATEGORIES[lang] if news else None
        op = {"op": "add", "lang": lang, "title": title, "date": date, "content": body}
        return self.run({**op, "category": category})[0]

    @property
    def hits(self) -> list[Hit]:
        return self.proxy.hits

    def config(self, tmp_path: Path, channel: str = "auto", **sections: Any) -> dict[str, Any]:
        """A config that watches the three sites' news through the counting proxy."""
        config: dict[str, Any] = {
            "storage": {"url": f"sqlite:///{tmp_path}/store/watch.db"},
            "crawl": {"delay": "0s", "timeout": "20s", "retries": 0, "proxy": self.proxy.url},
            "sources": [
                {
                    "key": f"wp-{lang}",
                    "lang": lang,
                    "start_urls": [url],
                    "channel": channel,
                    "timezone": "Africa/Casablanca",
                }
                for lang, url in LISTINGS.items()
            ],
            "alerts": {"max_age_days": 0},
            "feeds": {"dir": f"{tmp_path}/feeds"},
            "server": {"port": free_port()},
            "telegram": {"api_base_url": "http://127.0.0.1:9/bot"},
            "sectors": [s.model_dump() for s in DEFAULTS.sectors],
            "topics": [t.model_dump() for t in DEFAULTS.topics],
        }
        for name, values in sections.items():
            config[name] = {**config.get(name, {}), **values}
        return config


def _wait_for(url: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # WordPress answered (a 404 is an answer)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # polling a server that is starting, within a deadline


class Unavailable(RuntimeError):
    """WordPress cannot be served here (not installed, or its database is down)."""


@contextlib.contextmanager
def serve_wordpress() -> Iterator[CountingProxy]:
    """`php -S` on a free loopback port behind a counting proxy, for tests and benches."""
    if shutil.which("php") is None:
        raise Unavailable("php is not installed")
    if not CONFIG.exists() or not (DOCROOT / "wp-settings.php").exists():
        raise Unavailable(f"{CONFIG} or {DOCROOT} is missing")
    port = free_port()
    server = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(DOCROOT), str(PHP / "router.php")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PHP_CLI_SERVER_WORKERS": "2"},
        start_new_session=True,  # its own process group: the workers go with it
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/robots.txt", time.monotonic() + 20)
        with CountingProxy(DOMAIN, port) as proxy:
            yield proxy
    finally:
        # `php -S` with workers forks; terminating the parent alone would orphan them.
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def wordpress_server() -> Iterator[CountingProxy]:
    try:
        with serve_wordpress() as proxy:
            yield proxy
    except Unavailable as exc:
        _unavailable(str(exc))


@pytest.fixture
def wordpress(wordpress_server: CountingProxy) -> WordPress:
    """The network with no posts and the classic theme on every site; the proxy's log empty."""
    site = WordPress(wordpress_server)
    try:
        site.run({"op": "reset"})
    except RuntimeError as exc:
        _unavailable(str(exc))
    wordpress_server.clear()
    return site
