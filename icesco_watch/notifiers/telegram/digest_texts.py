"""Every user-visible string of scheduled digests and of /digest and /timezone, in one place.

English msgids marked with `N_` (translated where shown: `t.gettext(X, field=...)`, see
notifiers/telegram/i18n.py); `{fields}` are filled by the translator. HTML: `&lt;`/`&gt;` where
a reply shows brackets.
"""

from __future__ import annotations

from icesco_watch.notifiers.telegram.i18n import N_

# Digest messages.
DAILY_HEADING = N_("ICESCO daily digest · {date}")
WEEKLY_HEADING = N_("ICESCO weekly digest · {start} – {end}")
CATCH_UP_HEADING = N_("ICESCO digest · {start} – {end}")
PART = N_("({n}/{total})")
OTHER_NEWS = N_("Other news")

# /digest
DIGEST_INSTANT = N_(
    "Alerts arrive as soon as news is published. For one message a day or a week instead: "
    "/digest daily 08:00 or /digest weekly mon 08:00."
)
DIGEST_DAILY = N_("A daily digest at {time} ({zone}).")
DIGEST_WEEKLY = N_("A weekly digest on {day} at {time} ({zone}).")
DIGEST_NEXT = N_("Next one: {when}. /digest off for instant alerts; /timezone to change the zone.")
NEXT_WHEN = N_("{day} {date}, {time}")  # when the next digest is due
DIGEST_OFF = N_("Digest off: alerts arrive as soon as news is published.")
DIGEST_BAD = N_(
    "I don't understand “{given}”: {problem}.\n"
    "Usage: /digest daily 08:00, /digest weekly mon 08:00 or /digest off."
)
# Why /digest's argument is not a schedule ({problem} above), one per reason `digests.py` gives;
# {days} is the day names in the reader's language (any of en/fr/ar is accepted), HH:MM as is.
NOT_A_SCHEDULE = N_("that is not a schedule")
WEEKLY_NEEDS = N_("a weekly digest needs a day and a time")
NOT_A_DAY = N_("“{day}” is not a day; write one of {days}")
DAILY_NEEDS = N_("a daily digest takes one time and nothing else")
NOT_A_TIME = N_("“{time}” is not a time; write it as {form}, for example {morning} or {evening}")
DAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

# /timezone
TIMEZONE_SHOW = N_(
    "Time zone: {zone} (it is {time} there now). Change it with /timezone {example}."
)
TIMEZONE_SET = N_("Time zone set to {zone} (it is {time} there now).")
TIMEZONE_BAD = N_(
    "I don't know the time zone “{given}”. Use an IANA name, for example "
    "/timezone Africa/Casablanca, /timezone Europe/Paris or /timezone Asia/Riyadh."
)
TIMEZONE_CLOSE = N_("Did you mean {command}?")
