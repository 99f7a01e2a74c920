"""Every user-visible string of scheduled digests and of /digest and /timezone, in one place.

Plain literals with `str.format` fields, so the translations (gettext) can wrap them here
without touching the code that uses them. HTML: `&lt;`/`&gt;` where a reply shows brackets.
"""

from __future__ import annotations

# Digest messages.
DAILY_HEADING = "ICESCO daily digest · {date}"
WEEKLY_HEADING = "ICESCO weekly digest · {start} – {end}"
CATCH_UP_HEADING = "ICESCO digest · {start} – {end}"
ONE_ITEM = "1 news item"
ITEMS = "{n} news items"
PART = "({n}/{total})"
OTHER_NEWS = "Other news"

# /digest
DIGEST_INSTANT = (
    "Alerts arrive as soon as news is published. For one message a day or a week instead: "
    "/digest daily 08:00 or /digest weekly mon 08:00."
)
DIGEST_DAILY = "A daily digest at {time} ({zone})."
DIGEST_WEEKLY = "A weekly digest on {day} at {time} ({zone})."
DIGEST_NEXT = "Next one: {when}. /digest off for instant alerts; /timezone to change the zone."
DIGEST_OFF = "Digest off: alerts arrive as soon as news is published."
DIGEST_BAD = (
    "I don't understand “{given}”: {problem}.\n"
    "Usage: /digest daily 08:00, /digest weekly mon 08:00 or /digest off."
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# /timezone
TIMEZONE_SHOW = "Time zone: {zone} (it is {time} there now). Change it with /timezone {example}."
TIMEZONE_SET = "Time zone set to {zone} (it is {time} there now)."
TIMEZONE_BAD = (
    "I don't know the time zone “{given}”. Use an IANA name, for example "
    "/timezone Africa/Casablanca, /timezone Europe/Paris or /timezone Asia/Riyadh."
)
TIMEZONE_CLOSE = " Did you mean /timezone {name}?"
