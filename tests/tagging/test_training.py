"""Fitting and measuring: keywords held out to measure the classifier on unlisted vocabulary."""

from __future__ import annotations

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.training import hold_out_keywords


def test_held_out_keywords_are_a_seeded_share_and_names_stay() -> None:
    sectors = default_settings().sectors
    held = hold_out_keywords(sectors, 0.3, seed=1)
    assert held == hold_out_keywords(sectors, 0.3, seed=1)
    assert held != hold_out_keywords(sectors, 0.3, seed=2)
    before = sum(len(s.keywords) + len(s.strong_keywords) for s in sectors)
    after = sum(len(s.keywords) + len(s.strong_keywords) for s in held)
    assert 0.6 * before < after < 0.8 * before
    for old, new in zip(sectors, held, strict=True):
        assert (new.units, new.people, new.categories) == (old.units, old.people, old.categories)
        assert set(new.strong_keywords) <= set(old.strong_keywords)
