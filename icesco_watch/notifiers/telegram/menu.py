"""The bot's command menu (as registered with setMyCommands) and its help text."""

from __future__ import annotations

PUBLIC_COMMANDS: list[tuple[str, str]] = [
    ("start", "Register this chat"),
    ("help", "What the bot can do"),
    ("sectors", "Choose sectors with buttons"),
    ("subscribe", "Follow a sector, topic, or all"),
    ("unsubscribe", "Stop following a sector, topic, or all"),
    ("watch", "Get alerts for a keyword"),
    ("unwatch", "Stop watching a keyword"),
    ("list", "What this chat follows"),
    ("latest", "The latest news, optionally of a sector"),
    ("lang", "Only news in en, ar or fr (or all)"),
    ("pause", "Pause alerts"),
    ("resume", "Resume alerts"),
    ("digest", "Daily or weekly digest instead of instant alerts"),
    ("timezone", "Your time zone for digests"),
]
ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("status", "Sources and delivery queue"),
    ("crawl", "Run a crawl cycle now"),
]
HELP = """<b>ICESCO news alerts</b>
/sectors: choose sectors with buttons
/subscribe &lt;sector|topic|all&gt;, /unsubscribe &lt;sector|topic|all&gt;
/watch &lt;keyword&gt;, /unwatch &lt;keyword&gt;: alerts for news mentioning a keyword
/list: what this chat follows
/latest [sector]: the latest news
/lang en|ar|fr|all: only news in one language
/pause, /resume: stop and restart alerts
/digest daily 08:00, /digest weekly mon 08:00, /digest off: one message a day or a week
/timezone Africa/Casablanca: the time zone of your digests"""
