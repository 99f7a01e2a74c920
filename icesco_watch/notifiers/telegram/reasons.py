"""Why the bot refuses what a user typed (a keyword, a digest schedule), in the chat's language.

The store, the tagger and the schedule parser say why in English (`SubscriptionError`,
`keyword_problem`, `ScheduleError`; the CLI, the config checks and the custom feeds show those
texts as they are). The bot shows each known reason through its msgid here, rebuilt from the
same constants and the same input, so a reason that changes wording falls back to English
rather than to a wrong translation (tests/notifiers/telegram/test_i18n.py and
test_bot_languages.py check that the reasons a user can reach are translated).
"""

from __future__ import annotations

from icesco_watch.digests import DAYS, USAGE, ScheduleError
from icesco_watch.notifiers.telegram import digest_texts as texts
from icesco_watch.notifiers.telegram.i18n import N_, Translator
from icesco_watch.notifiers.telegram.replies import echo
from icesco_watch.store.subscriptions import KEYWORDS_PER_CHAT
from icesco_watch.tagging.topics import MAX_KEYWORD_WORDS

MAX_KEYWORD_CHARACTERS = 100  # tagging.topics.keyword_problem's limit
REASONS: tuple[tuple[str, dict[str, int]], ...] = (
    (N_("a keyword needs at least one letter or digit"), {}),
    (N_("a keyword is at most {n} words; watch a shorter phrase"), {"n": MAX_KEYWORD_WORDS}),
    (N_("a keyword is at most {n} characters"), {"n": MAX_KEYWORD_CHARACTERS}),
    (N_("at most {n} keywords per chat"), {"n": KEYWORDS_PER_CHAT}),
    (N_("a keyword cannot be empty"), {}),
)


def explain(t: Translator, reason: str) -> str:
    """`reason` (the store's English text) in `t`'s language when it is a known one."""
    for template, values in REASONS:
        if template.format(**values) == reason:
            return t.gettext(template, **values)
    return reason


def explain_schedule(t: Translator, given: str, error: ScheduleError) -> str:
    """Why `given` (the words after /digest) is not a schedule, in `t`'s language (HTML): the
    reason `digests.parse_schedule` gave, recognised by rebuilding its text from `given`."""
    reason = str(error)
    words = given.casefold().split()
    day = words[1] if len(words) > 1 else ""
    clock = words[-1] if words else ""
    known: tuple[tuple[str, str, dict[str, str]], ...] = (
        (f"{given!r} is not a schedule; {USAGE}", texts.NOT_A_SCHEDULE, {}),
        (f"{given!r} needs a day and a time; {USAGE}", texts.WEEKLY_NEEDS, {}),
        (
            f"{day!r} is not a day; use one of {', '.join(DAYS)}",
            texts.NOT_A_DAY,
            {"day": echo(day), "days": ", ".join(DAYS)},
        ),
        (f"{given!r} needs one time; {USAGE}", texts.DAILY_NEEDS, {}),
        (
            f"{clock!r} is not a time; write it as HH:MM, e.g. 08:00 or 18:30",
            texts.NOT_A_TIME,
            {"time": echo(clock), "form": "HH:MM", "morning": "08:00", "evening": "18:30"},
        ),
    )
    for english, template, values in known:
        if reason == english:
            return t.gettext(template, **values)
    return echo(reason.split(";")[0], 200)
