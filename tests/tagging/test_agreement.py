"""The second, blind reading of train items (docs/sectors.md "Settled cases") stays honest:
train items only, known sector keys, and bench/tagging_agreement.py runs on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.agreement import SECOND, kappa, read_second
from icesco_watch.tagging.corpus import REAL_DIR, frozen_urls, is_test, read_items

ROOT = Path(__file__).resolve().parents[2]


# Round 14's second reading: 100 train items where the DG or a governing body acts (a seeded
# draw, 45 FR, 40 EN, 15 AR), read blind for their fields and partnerships (rule 3 against 4).
SECOND_DG = SECOND.with_name("second_reading_dg.jsonl")


@pytest.mark.parametrize(("path", "count"), [(SECOND, 75), (SECOND_DG, 100)])
def test_the_second_reading_names_train_items_only_with_known_sectors(
    path: Path, count: int
) -> None:
    items = {item.id: item for item in read_items(REAL_DIR)}
    frozen = frozen_urls(REAL_DIR)
    keys = {s.key for s in default_settings().sectors}
    second = read_second(path)
    assert len(second) == len({r.id for r in second}) == count
    for reading in second:
        assert reading.id in items
        assert not is_test(items[reading.id], frozen), reading.id
        assert reading.sectors <= keys
        assert reading.confidence in {"sure", "unsure"}
        assert reading.reason.strip()


def test_kappa_discounts_what_chance_explains() -> None:
    assert kappa(10, 0, 0, 10) == 1.0
    # Both say yes half the time, independently: agreement 50%, chance 50%: kappa 0.
    assert abs(kappa(5, 5, 5, 5)) < 1e-9
    assert kappa(0, 5, 5, 0) < 0  # always disagreeing is worse than chance


@pytest.mark.parametrize(("args", "count"), [((), 75), (("--file", str(SECOND_DG)), 100)])
def test_the_agreement_bench_reports_the_table(args: tuple[str, ...], count: int) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench/tagging_agreement.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert f"{count} items read twice" in run.stdout
    assert "partnerships" in run.stdout
    assert "macro-F1" in run.stdout
