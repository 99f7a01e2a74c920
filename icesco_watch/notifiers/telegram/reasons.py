"""Why a keyword cannot be watched, in the chat's language.

The store and the tagger say why in English (`SubscriptionError`, `keyword_problem`; the CLI
and the custom feeds show those texts as they are). The bot shows each known reason through
its msgid here, rebuilt from the same constants, so a reason that changes wording falls back
to English rather than to a wrong translation (tests/notifiers/telegram/test_bot_languages.py
checks that the reasons a user can reach are translated).
"""

from __future__ import annotations

from icesco_watch.notifiers.telegram.i18n import N_, Translator
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
