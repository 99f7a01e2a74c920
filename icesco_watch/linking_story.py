"""Story-level evidence: what both headlines name beyond their event's umbrella.

ICESCO covers one event (a congress, a Culture Capital's launch, a commission's session) with
several stories on the same days, and `icesco_watch.linking` weighs the event's name, city and
people by how many items of the window carry them (`linking_spread`): one event's two versions
of one story then score little more than two of its stories. What sets a story apart from its
event's others is in its headline: the person it is about ("Tokayev gives the DG the Medal of
Honor"), its figures ("adopts the 2024 accounts"), and what is done (an award, an opening). A
story's versions share these in their headlines; one event's stories, reporting different
acts of different people, rarely do, and where both headlines report different acts
`linking_contradictions` already counts against the link.
"""

from __future__ import annotations

from icesco_watch.linking_features import Features, LinkDoc

__all__ = ["ACT", "FIGURE", "NAME", "headline"]

# Weights, each 1.0 (bench/linking_eval.py --cv 5 and --dense): at 1.5 the tune part gains one
# same-story pair at 4.5 and --dense a certainly wrong link (30 days); 0.0 is round six's linker.
NAME = 1.0
FIGURE = 1.0
ACT = 1.0


def headline(a: LinkDoc, fa: Features, b: LinkDoc, fb: Features) -> tuple[float, list[str]]:
    """What both headlines name or report, and its weight (never divided by the window's
    spread: an umbrella's stories do not share these, their versions do)."""
    total = 0.0
    evidence: list[str] = []
    names = sorted(fa.title_sounds & fb.title_sounds)
    if names:
        # A name both headlines carry, Latin or Arabic spelling alike, by consonant skeleton.
        total += NAME
        evidence.append("a name in both titles: " + ", ".join(names))
    figures = sorted(fa.title_figures & fb.title_figures)
    if figures:
        total += FIGURE
        evidence.append("a number in both titles: " + ", ".join(figures))
    acts = sorted((fa.acts | fa.phases) & (fb.acts | fb.phases))
    if acts:
        total += ACT
        evidence.append("the titles report the same act: " + ", ".join(acts))
    return total, evidence
