"""Why the bot refuses what a user typed (a keyword, a digest schedule), in the chat's language.

The store, the tagger and the schedule parser say why in English (`SubscriptionError`,
`keyword_problem`, `ScheduleError`; the CLI, the config checks and the custom feeds show those
texts as they are) and name the rule that refused (`.reason`). The bot translates by that code,
never by recognising the English text; a code without a msgid here shows the English.
tests/notifiers/telegram/test_i18n.py and test_bot_languages.py check that the reasons a user can
reach are translated.
"""

from __future__ import annotations

from icesco_watch.digests import ScheduleError
from icesco_watch.digests_words import day_names
from icesco_watch.notifiers.telegram import digest_texts as texts
from icesco_watch.notifiers.telegram.i18n import N_, Translator
from icesco_watch.notifiers.telegram.replies import echo
from icesco_watch.store.subscriptions import KEYWORDS_PER_CHAT, SubscriptionError
from icesco_watch.tagging.topics import MAX_KEYWORD_CHARACTERS, MAX_KEYWORD_WORDS

# SubscriptionError.reason -> (msgid, values); the codes a user can reach from /watch, /unwatch
KEYWORD_REASONS: dict[str, tuple[str, dict[str, int]]] = {
    "no-letter": (N_("a keyword needs at least one letter or digit"), {}),
    "too-many-words": (
        N_("a keyword is at most {n} words; watch a shorter phrase"),
        {"n": MAX_KEYWORD_WORDS},
    ),
    "too-long": (N_("a keyword is at most {n} characters"), {"n": MAX_KEYWORD_CHARACTERS}),
    "too-many-keywords": (N_("at most {n} keywords per chat"), {"n": KEYWORDS_PER_CHAT}),
    "empty-keyword": (N_("a keyword cannot be empty"), {}),
}


def explain(t: Translator, error: SubscriptionError) -> str:
    """Why the store refused a subscription, in `t`'s language (plain text) when its rule has a
    msgid here; otherwise the store's English."""
    if error.reason in KEYWORD_REASONS:
        template, values = KEYWORD_REASONS[error.reason]
        return t.gettext(template, **values)
    return str(error)


def explain_schedule(t: Translator, error: ScheduleError) -> str:
    """Why the words after /digest are not a schedule, in `t`'s language (HTML), from the rule
    `digests.parse_schedule` says refused them; an unknown rule shows the parser's English."""
    known: dict[str, tuple[str, dict[str, str]]] = {
        "not-a-schedule": (texts.NOT_A_SCHEDULE, {}),
        "weekly-needs": (texts.WEEKLY_NEEDS, {}),
        "not-a-day": (texts.NOT_A_DAY, {"day": echo(error.word), "days": _days(t)}),
        "daily-needs": (texts.DAILY_NEEDS, {}),
        "not-a-time": (
            texts.NOT_A_TIME,
            {"time": echo(error.word), "form": "HH:MM", "morning": "08:00", "evening": "18:30"},
        ),
    }
    if error.reason in known:
        template, values = known[error.reason]
        return t.gettext(template, **values)
    return echo(str(error).split(";")[0], 200)


def _days(t: Translator) -> str:
    """The day names a reader of `t`'s language may write, Monday first (any of the bot's
    three languages is accepted; these are the ones to suggest)."""
    return t.join(day_names(t.locale))
