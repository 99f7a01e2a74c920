"""Real clients for the feed tests: Debian's newsboat and headless Chromium, run as processes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest


def require(binary: str, package: str) -> str:
    """The binary's path. A missing one skips the test with the reason on a developer's
    machine, and fails it under CI (`CI=true`), where `.ci/run` installs it."""
    path = shutil.which(binary)
    if path is None:
        reason = (
            f"{binary} is not installed; run `apt-get install -y --no-install-recommends "
            f"{package}` (.ci/run does)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def newsboat_reload(urls: list[str], workdir: Path) -> dict[str, list[str]]:
    """Have newsboat reload `urls` into a fresh cache; item titles by feed URL, newest first."""
    binary = require("newsboat", "newsboat")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "urls").write_text("\n".join(urls) + "\n")
    (workdir / "config").write_text("")
    cache = workdir / "cache.db"
    subprocess.run(
        [binary, "-x", "reload", "-u", "urls", "-c", str(cache), "-C", "config"],
        cwd=workdir,
        env={"HOME": str(workdir), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=True,
        capture_output=True,
        timeout=60,
    )
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT feedurl, title FROM rss_item ORDER BY pubDate DESC, title")
        found: dict[str, list[str]] = {}
        for feed, title in rows:
            found.setdefault(feed, []).append(title)
    return found


def newsboat_feed_titles(workdir: Path) -> dict[str, str]:
    with sqlite3.connect(workdir / "cache.db") as db:
        return dict(db.execute("SELECT rssurl, title FROM rss_feed").fetchall())


def chromium(url: str, workdir: Path, screenshot: Path) -> str:
    """Render `url` in headless Chromium: its DOM after load, and a screenshot to `screenshot`."""
    binary = require("chromium", "chromium")
    workdir.mkdir(parents=True, exist_ok=True)
    common = [
        binary,
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={workdir / 'profile'}",
        "--window-size=1280,1800",
    ]
    env = {"HOME": str(workdir), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    # cwd: whatever Chromium leaves behind stays in the test's own directory.
    dom = subprocess.run(
        [*common, "--dump-dom", url],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout.decode("utf-8")
    subprocess.run(
        [*common, f"--screenshot={screenshot}", url],
        env=env,
        cwd=workdir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return dom


@dataclass
class Link:
    href: str
    text: str
    section: str  # id of the enclosing <section>


@dataclass
class PageSummary(HTMLParser):
    """What a test needs from a rendered DOM: links (with their section), <li> attributes,
    and whether any <script> element exists."""

    links: list[Link] = field(default_factory=list)
    items: list[dict[str, str | None]] = field(default_factory=list)
    scripts: int = 0
    _section: str = ""
    _link: Link | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("id") or ""
        elif tag == "a":
            self._link = Link(found.get("href") or "", "", self._section)
        elif tag == "li":
            self.items.append({"section": self._section, **found})
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.links.append(self._link)
            self._link = None


def summarize_page(dom: str) -> PageSummary:
    page = PageSummary()
    page.feed(dom)
    page.close()
    return page
