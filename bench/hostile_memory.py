"""Peak memory of a crawl cycle that meets a gzip bomb, with our page limit and with Scrapy's.

    .venv/bin/python bench/hostile_memory.py [--bomb-mib N]     # N defaults to 1024 (1 GiB)

Each setting runs in a fresh child process against the loopback replica (nothing else is
contacted): a baseline cycle over the three sources, then the replica's next state with one new
English article served as a gzip bomb (N MiB of zeros after an HTML start, about N KiB on the
wire), then one cycle. Reported per setting: the process's peak resident memory (ru_maxrss)
before and after the bomb cycle, and the growth. Baseline: `crawl.max_page_size = 1GiB`,
Scrapy's own DOWNLOAD_MAXSIZE default, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
SETTINGS = {"ours (4 MiB)": "4MiB", "Scrapy default (1 GiB)": "1GiB"}


def _bomb(mib: int) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [squeeze.compress(b"<html><body><p>")]
    block = bytes(MiB)
    parts += [squeeze.compress(block) for _ in range(mib)]
    return b"".join([*parts, squeeze.flush()])


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(max_page_size: str, bomb_mib: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from icesco_watch.config.schema import Settings
    from icesco_watch.scheduler.cycle import run_cycle
    from icesco_watch.store.schema import open_store
    from tests.conftest import replica_config
    from tests.replica import ARTICLES, ReplicaServer

    bomb = _bomb(bomb_mib)
    target = next(
        a for a in ARTICLES if a.lang == "en" and "after" in a.states and "before" not in a.states
    )
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer("before") as replica:
        config = replica_config(Path(tmp), replica)
        config["crawl"]["max_page_size"] = max_page_size
        settings = Settings.model_validate(config)
        engine = open_store(settings.storage.url)
        asyncio.run(run_cycle(settings, engine, settings.sources))
        replica.set_state("after")
        replica.respond(target.path, bomb, {"Content-Encoding": "gzip"})
        before = _peak_mib()
        report = asyncio.run(run_cycle(settings, engine, settings.sources))
        after = _peak_mib()
    en = next(r for r in report.sources if r.source == "icesco-en")
    return {
        "wire_kib": len(bomb) / 1024,
        "before_mib": before,
        "after_mib": after,
        "new": len(en.new),
        "quarantined": len(en.quarantined),
        "failed": en.failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--bomb-mib", type=int, default=1024)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.bomb_mib)))
        return 0
    print(f"gzip bomb: {args.bomb_mib} MiB decompressed")
    print(
        f"{'setting':24} {'on wire':>9} {'peak before':>12} {'peak after':>11} {'growth':>8} "
        f"{'new':>4} {'quarantined':>11}"
    )
    for label, size in SETTINGS.items():
        out = subprocess.run(
            [sys.executable, __file__, "--child", size, "--bomb-mib", str(args.bomb_mib)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{label:24} {r['wire_kib']:7.0f}Ki {r['before_mib']:10.0f}Mi {r['after_mib']:9.0f}Mi "
            f"{r['after_mib'] - r['before_mib']:6.0f}Mi {r['new']:4d} {r['quarantined']:11d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
