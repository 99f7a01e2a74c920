"""The bot's command menu (as registered with setMyCommands) and its help text.

Descriptions are English msgids (`N_`); `bot.register_commands` registers them in every
interface language, and `help_text` renders the help in one.
"""

from __future__ import annotations

from icesco_watch.notifiers.telegram.i18n import N_, Translator

PUBLIC_COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Register this chat")),
    ("help", N_("What the bot can do")),
    ("sectors", N_("Choose sectors with buttons")),
    ("subscribe", N_("Follow a sector, topic, or all")),
    ("unsubscribe", N_("Stop following a sector, topic, or all")),
    ("watch", N_("Get alerts for a keyword")),
    ("unwatch", N_("Stop watching a keyword")),
    ("list", N_("What this chat follows")),
    ("latest", N_("The latest news, optionally of a sector")),
    ("lang", N_("Only news in en, ar or fr (or all)")),
    ("language", N_("The bot's language: en, ar or fr")),
    ("pause", N_("Pause alerts")),
    ("resume", N_("Resume alerts")),
    ("here", N_("In a forum topic: send these sectors' alerts here")),
    ("digest", N_("Daily or weekly digest instead of instant alerts")),
    ("timezone", N_("Your time zone for digests")),
]
ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("status", N_("Sources and delivery queue")),
    ("crawl", N_("Run a crawl cycle now")),
]
# What /here takes, as the help writes it: every reply naming /here's argument shows this.
HERE_ARGUMENTS = N_("/here &lt;sector…&gt;")
HELP = N_(
    "<b>ICESCO news alerts</b>\n"
    "/sectors: choose sectors with buttons\n"
    "/subscribe &lt;sector|topic|all&gt;, /unsubscribe &lt;sector|topic|all&gt;\n"
    "/watch &lt;keyword&gt;, /unwatch &lt;keyword&gt;: alerts for news mentioning a keyword\n"
    "/list: what this chat follows\n"
    "/latest [sector]: the latest news\n"
    "/lang en|ar|fr|all: only news in one language\n"
    "/language en|ar|fr: the language the bot speaks\n"
    "/pause, /resume: stop and restart alerts\n"
    "/here &lt;sector…&gt;|off: in a topic of a forum group, send those sectors' alerts there\n"
    "/digest daily 08:00, /digest weekly mon 08:00, /digest off: one message a day or a week\n"
    "/timezone Africa/Casablanca: the time zone of your digests"
)


def help_text(t: Translator) -> str:
    """The help, in `t`'s language (Telegram HTML)."""
    return t.gettext(HELP)
