"""Benchmark: how long one chat waits for /help while another chat floods the bot.

Run from the repo root: `python bench/bot_fairness.py [--flood N] [--repeat R]`.
Real PTB polls the fake Bot API (`tests/fakes`) on loopback, with a real SQLite store. The
baseline, measured in the same run, is chat B's /help round trip (update queued -> reply
accepted by the fake) on a quiet bot; then chat A sends N commands at once and chat B's /help
is timed again. It prints both medians, their ratio, and how many replies chat A got (its
budget plus one "slow down"). Before per-chat fairness, B waited about one second per command
of A's flood (500 s for 500). No assertions: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.schema import Settings  # noqa: E402
from icesco_watch.notifiers.telegram.bot import build_application, running  # noqa: E402
from icesco_watch.notifiers.telegram.fairness import BURST  # noqa: E402
from icesco_watch.store.schema import open_store  # noqa: E402
from tests.fakes.bot_api import FakeBotApi  # noqa: E402

FLOODER, OTHER = 9001, 9002


async def help_round_trip(api: FakeBotApi, chat: int) -> float:
    before = len(api.messages_to(chat))
    asked = time.monotonic()
    api.user_sends(chat, "/help")
    await api.wait_for_async(lambda fake: len(fake.messages_to(chat)) > before, timeout=600)
    return api.messages_to(chat)[before].at - asked


async def measure(flood: int, repeat: int, workdir: Path) -> None:
    with FakeBotApi() as api:
        settings = Settings.model_validate(
            {
                "storage": {"url": f"sqlite:///{workdir}/bench.db"},
                "telegram": {"api_base_url": api.base_url},
                "telegram_token": api.token,
            }
        )
        application = build_application(settings, open_store(settings.storage.url))
        async with running(application, settings):
            await api.wait_for_async(lambda fake: fake.polling > 0)
            quiet = [await help_round_trip(api, OTHER + 10 + n) for n in range(repeat)]
            flooded = []
            for n in range(repeat):
                for _ in range(flood):
                    api.user_sends(FLOODER + 100 * n, "/help")
                flooded.append(await help_round_trip(api, OTHER + 100 * n))
            # the first flooder's answers, paced at 1/s: its budget, then one "slow down"
            await api.wait_for_async(lambda fake: fake.pending_updates == 0, timeout=600)
            await asyncio.sleep(BURST + 2)  # a bench, not a test: let the paced replies out
            answered = len(api.messages_to(FLOODER))
    base, busy = statistics.median(quiet), statistics.median(flooded)
    print(f"quiet /help round trip (baseline): median {base * 1000:.0f} ms over {repeat}")
    print(f"/help during a flood of {flood}:      median {busy * 1000:.0f} ms over {repeat}")
    print(f"ratio flooded / quiet: {busy / base:.2f}x")
    print(f"replies to the first flooding chat: {answered} of {flood} commands (budget {BURST})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        asyncio.run(measure(args.flood, args.repeat, Path(workdir)))


if __name__ == "__main__":
    main()
