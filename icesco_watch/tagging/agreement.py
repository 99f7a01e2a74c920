"""Two readers' sector labels compared: the second, blind reading and the chance-corrected
agreement (Cohen's kappa) that bench/tagging_agreement.py reports beside per-sector F1."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from icesco_watch.tagging.corpus import REAL_DIR

SECOND = REAL_DIR.parent / "agreement" / "second_reading.jsonl"


@dataclass(frozen=True, slots=True)
class Reading:
    id: str
    sectors: frozenset[str]
    confidence: str
    reason: str


def read_second(path: Path) -> list[Reading]:
    """The second reading, one JSON object per line."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            found.append(
                Reading(row["id"], frozenset(row["sectors"]), row["confidence"], row["reason"])
            )
    return found


def kappa(both: int, first_only: int, second_only: int, neither: int) -> float:
    """Cohen's kappa of two readers' yes/no on one sector (1.0 when chance explains nothing)."""
    n = both + first_only + second_only + neither
    observed = (both + neither) / n
    yes = ((both + first_only) / n) * ((both + second_only) / n)
    no = ((neither + second_only) / n) * ((neither + first_only) / n)
    chance = yes + no
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)
