"""Writes tests/linking/data/pairs.jsonl: labelled cross-language pairs of the real corpus.

Positives: the corpus writers' `same_story` links, the pairs judged the same story by reading the
items of the same dates (`_JUDGED`, with the reason), and what follows from them (if EN=FR and
FR=AR then EN=AR). Negatives: every other cross-language pair published within MAX_DAYS of each
other (same days, different stories; each title read; `_DIFFERENT` names the near misses).
Texts stay in the corpus files; the pairs file holds URLs and the label.

    .venv/bin/python bench/linking_pairs.py
"""

from __future__ import annotations

import json
from itertools import combinations

from icesco_watch.linking import MAX_DAYS
from icesco_watch.linking_corpus import PAIRS, corpus
from icesco_watch.spiders.urls import canonical_key

# (lang date title-start, lang date title-start, why): same story, judged by reading both.
_JUDGED = [
    (
        "ar 2021-05-03 الإيسيسكو تحيي الذكرى",
        "en 2021-05-03 ICESCO marks its 39th",
        "39th anniversary",
    ),
    (
        "ar 2021-09-26 المدير العام للإيسيسكو ووزير",
        "en 2021-09-26 Director-General and Egypt",
        "DG and Egypt's antiquities minister",
    ),
    ("ar 2025-05-23 لندن تستضيف", "fr 2025-05-23 Londres accueille", "London ministerial dialogue"),
    (
        "ar 2025-10-17 في عمّان",
        "en 2025-10-17 ICESCO panel on trustworthy AI",
        "Amman panel on trustworthy AI",
    ),
    (
        "ar 2026-02-12 لجنة التراث",
        "en 2026-02-12 Heritage Committee adds 117",
        "117 sites in Tashkent",
    ),
    (
        "en 2019-04-23 ISESCO Director General receives Indonesia",
        "fr 2019-04-23 Dialogue religieux",
        "Indonesian envoy for interfaith dialogue",
    ),
    (
        "en 2020-09-10 ICESCO and Indonesia",
        "fr 2020-09-10 L'ICESCO et l'ambassadeur d'Indonésie",
        "Indonesian ambassador, 10 Sept 2020",
    ),
    (
        "en 2020-12-07 ICESCO at an online forum",
        "fr 2020-12-07 Avenir de l'arabe",
        "Sunan Kalijaga webinar on Arabic",
    ),
    (
        "en 2022-05-20 President Aliyev",
        "fr 2022-05-20 Ilham Aliyev",
        "Aliyev receives the DG in Baku",
    ),
    (
        "en 2022-09-25 ICESCO prepares to launch its street",
        "fr 2022-09-25 Enfants des rues",
        "street children football",
    ),
    (
        "en 2025-11-15 Second regional workshop of the Mishkat",
        "fr 2025-11-15 Mishkat",
        "Mishkat second workshop",
    ),
    (
        "en 2025-12-15 ICESCO delegation attends the 11th UNAOC",
        "fr 2025-12-14 Riyad : une délégation",
        "11th UNAOC forum in Riyadh",
    ),
    (
        "en 2025-05-27 Samarkand launched",
        "fr 2025-05-27 Samarcande ouvre",
        "Samarkand culture capital opening",
    ),
    (
        "en 2024-09-12 Director-General: ICESCO is promoting calligraphy",
        "fr 2024-09-12 Manuscrits et calligraphie",
        "Cambridge manuscripts conference message",
    ),
    (
        "en 2023-12-26 World Arabic Language Day",
        "fr 2023-12-26 « Fenêtre diplomatique",
        "Arabic in diplomacy conference",
    ),
    (
        "ar 2022-12-30 إطلاق ناجح",
        "fr 2022-12-31 Burkina Faso : un CanSat",
        "CanSat launch in Burkina Faso",
    ),
]
# Near misses read and judged different stories (kept as negatives; listed so nobody "fixes" them).
_DIFFERENT = [
    (
        "en 2023-11-27 New premises",
        "fr 2023-11-28 N'Djamena",
        "same trip to Chad, different events",
    ),
    (
        "en 2025-05-29 Uzbek ceremony",
        "fr 2025-05-27 À Samarcande, le Directeur",
        "ceremony vs observatory visit",
    ),
    (
        "en 2021-12-06 Executive Council opens",
        "fr 2021-12-07 Le Caire sera capitale",
        "council session vs press conference",
    ),
    (
        "en 2022-11-12 ICESCO proposes a fund",
        "fr 2022-11-11 Patrimoine, espace",
        "COP27: fund launch vs a day of talks",
    ),
    (
        "en 2022-07-05 Islamic World Heritage Committee",
        "fr 2022-07-05 Patrimoine du monde",
        "one meeting: opening vs final report",
    ),
]


def _find(selector: str, titles: dict[str, tuple[str, str, str]]) -> str:
    lang, day, start = selector.split(" ", 2)
    hits = [
        k for k, (lg, d, t) in titles.items() if lg == lang and d == day and t.startswith(start)
    ]
    if len(hits) != 1:
        raise SystemExit(f"selector {selector!r} matches {len(hits)} items")
    return hits[0]


def main() -> None:
    docs, raw = corpus()
    titles = {k: (d.lang, d.published.isoformat(), d.title) for k, d in docs.items()}
    positive: dict[tuple[str, str], str] = {}
    for key, rec in raw.items():
        for other in rec.get("same_story", []):
            okey = canonical_key(str(other))
            if okey in docs:
                positive[(min(key, okey), max(key, okey))] = "same_story"
    for a_sel, b_sel, why in _JUDGED:
        a, b = _find(a_sel, titles), _find(b_sel, titles)
        positive[(min(a, b), max(a, b))] = f"judgement: {why}"
    for a_sel, b_sel, _ in _DIFFERENT:
        _find(a_sel, titles), _find(b_sel, titles)
    # Close the story groups: one story has one version per language, linked to each other.
    group: dict[str, set[str]] = {}
    for a, b in list(positive):
        merged = group.get(a, {a}) | group.get(b, {b})
        for k in merged:
            group[k] = merged
    for members in {frozenset(g) for g in group.values()}:
        for a, b in combinations(sorted(members), 2):
            positive.setdefault((a, b), "implied by the story's other links")
    rows = []
    keys = sorted(docs)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            da, db = docs[a], docs[b]
            if da.lang == db.lang:
                continue
            if (a, b) in positive:
                rows.append(
                    {"a": raw[a]["url"], "b": raw[b]["url"], "label": 1, "source": positive[(a, b)]}
                )
            elif abs((da.published - db.published).days) <= MAX_DAYS:
                rows.append(
                    {
                        "a": raw[a]["url"],
                        "b": raw[b]["url"],
                        "label": 0,
                        "source": "judgement: same days, different stories",
                    }
                )
    PAIRS.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(
        f"{sum(r['label'] for r in rows)} positive, "
        f"{sum(1 - r['label'] for r in rows)} negative -> {PAIRS}"
    )


if __name__ == "__main__":
    main()
