"""How long `icesco-watch` takes before it does anything: `--help` and `config check`.

Run from the repo root: `python bench/cli_start.py [--repeat N]`.

Every command used to import the whole service (Scrapy, aiohttp, python-telegram-bot,
APScheduler, Alembic) before parsing its arguments; cli.py now imports a command's parts when
that command runs. Three baselines measured in the same run, each a fresh interpreter:

- `python -c pass`: the interpreter alone, the floor nothing can go under;
- the config loader alone (`icesco_watch.config.loader`): what `config check` must load;
- every module the command line used to import at start (the old cost of `--help`).

Figures are medians of N runs, and ratios to the old start. No assertions: tests never time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EAGER = (  # what cli.py imported at start before commands imported their own parts
    "icesco_watch.config.render",
    "icesco_watch.doctor",
    "icesco_watch.feeds.publish",
    "icesco_watch.feeds.server",
    "icesco_watch.notifiers.telegram.probe",
    "icesco_watch.progress",
    "icesco_watch.scheduler.alerts",
    "icesco_watch.scheduler.cycle",
    "icesco_watch.scheduler.instances",
    "icesco_watch.scheduler.service",
    "icesco_watch.store.items",
    "icesco_watch.store.links",
    "icesco_watch.store.migrate",
    "icesco_watch.store.schema",
    "icesco_watch.tagging",
    "icesco_watch.cli",
)
CLI = "from icesco_watch.cli import main; main()"


def median_seconds(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICESCO_WATCH_")}
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "watch.toml"
        config.write_text(f'[storage]\nurl = "sqlite:///{tmp}/store.db"\n', encoding="utf-8")
        rows = [
            ("python -c pass (floor)", [py, "-c", "pass"]),
            ("import the config loader", [py, "-c", "import icesco_watch.config.loader"]),
            ("import all (old start)", [py, "-c", "import " + ", ".join(EAGER)]),
            ("icesco-watch --help", [py, "-c", CLI, "--help"]),
            (
                "icesco-watch config check",
                [py, "-c", CLI, "--config", str(config), "config", "check"],
            ),
        ]
        figures = [(name, median_seconds(argv, args.repeat, env)) for name, argv in rows]
    old = figures[2][1]
    print(f"{'':28} {'median s':>9} {'/ old start':>11}   ({args.repeat} runs each)")
    for name, seconds in figures:
        print(f"{name:28} {seconds:9.3f} {seconds / old:11.2f}")


if __name__ == "__main__":
    main()
