"""The bot's command handlers: registration, subscriptions, languages, pause, latest, admin.

Every reply is written through the chat's `Translator` (`i18n.py`): `t = self._t(update)`
(its interface language, taken from the sender's Telegram language on first contact), then
`t.gettext("English text {value}", value=...)`.
"""

from __future__ import annotations

import difflib
import html
import logging
from datetime import UTC, datetime

from sqlalchemy import Connection
from telegram import CallbackQuery, Message, Update

from icesco_watch.notifiers.telegram.choices import Choice
from icesco_watch.notifiers.telegram.conversation import Context, Conversation
from icesco_watch.notifiers.telegram.format import format_latest
from icesco_watch.notifiers.telegram.i18n import LANGUAGE_NAMES, N_
from icesco_watch.notifiers.telegram.language import (
    language_reply,
    news_language_reply,
    news_languages,
)
from icesco_watch.notifiers.telegram.menu import ADMIN_COMMANDS, PUBLIC_COMMANDS, help_text
from icesco_watch.notifiers.telegram.overview import chat_overview, status_overview
from icesco_watch.notifiers.telegram.reasons import explain
from icesco_watch.notifiers.telegram.replies import ECHO, echo
from icesco_watch.notifiers.telegram.status import store_status
from icesco_watch.store.items import latest_items
from icesco_watch.store.subscriptions import (
    SubscriptionError,
    add_keyword,
    add_subscription,
    get_chat,
    list_subscriptions,
    normalize_value,
    remove_all_subscriptions,
    remove_keyword,
    remove_subscription,
    set_paused,
    upsert_chat,
)

__all__ = ["Commands", "Context"]  # Context: where bot.py and tests take it from
log = logging.getLogger(__name__)
LATEST = 5
SLOW_DOWN = N_(
    "That is a lot of commands at once: I will ignore this chat for a little while. "
    "Please send them more slowly."
)
WELCOME_LATEST = 3
# Translators: an example of a keyword to watch (/watch ...), in your language.
EXAMPLE_KEYWORD = N_("artificial intelligence")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Commands(Conversation):
    """Handlers bound to the config, the store and the service's callbacks."""

    async def slow_down(self, update: Update) -> None:
        """A chat went over its command budget: say so once (`fairness` then ignores it)."""
        await self._reply(update, None, self._t(update).gettext(SLOW_DOWN))

    async def start(self, update: Update, context: Context) -> None:
        """Register the chat; a new chat gets the latest few items once, not the backlog."""
        chat = _chat(update)
        with self.engine.begin() as conn:
            _, created = upsert_chat(conn, chat, utcnow())
            latest = latest_items(conn, WELCOME_LATEST) if created else []
        t = self._t(update)
        welcome = t.gettext(
            "Welcome! You will get alerts for ICESCO news you follow. "
            "Start with /sectors, or /subscribe all for everything."
        )
        await self._reply(update, context, welcome + "\n\n" + help_text(t))
        if latest:
            digest = format_latest([s.item for s in latest], self.settings.sectors, t.locale)
            await self._reply(update, context, digest[0])

    async def help(self, update: Update, context: Context) -> None:
        """List the commands."""
        t = self._t(update)
        keys = html.escape(self.choices.keys_help(t))
        await self._reply(update, context, help_text(t) + "\n\n" + keys)

    async def sectors(self, update: Update, context: Context) -> None:
        """Show the sector buttons; pressing one toggles the subscription."""
        chat = _chat(update)
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            subscribed = list_subscriptions(conn, chat)
        t = self._t(update)
        markup = self.choices.keyboard(subscribed, t)
        await self._reply(
            update, context, t.gettext("Tap a sector to follow or unfollow it:"), markup
        )

    async def toggle(self, update: Update, context: Context) -> None:
        """A /sectors button was pressed: toggle that subscription and redraw the buttons."""
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        t = self._t(update)
        chat_id = update.effective_chat.id
        refusal = await self.permissions.settings_refusal(update)
        if refusal is not None:
            await self._answer(query, chat_id, t.gettext(refusal))
            return
        choice = self.choices.from_callback(query.data or "")
        if choice is None:
            stale = t.gettext("This button is out of date; send /sectors again.")
            await self._answer(query, chat_id, stale)
            return
        chat = _chat(update)
        # The press means what its button showed (an older keyboard may show an older state);
        # a button we cannot find on its keyboard toggles the stored state.
        shown = query.message.reply_markup if isinstance(query.message, Message) else None
        followed = self.choices.shown_followed(shown, query.data or "")
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            if followed is None:  # not on its keyboard: the press toggles what is stored
                added = add_subscription(conn, chat, choice.kind, choice.value)
                if not added:
                    remove_subscription(conn, chat, choice.kind, choice.value)
            elif followed:
                added = False
                remove_subscription(conn, chat, choice.kind, choice.value)
            else:
                added = True
                add_subscription(conn, chat, choice.kind, choice.value)
            subscribed = list_subscriptions(conn, chat)
        label = html.unescape(self.choices.label(choice, t))  # an answer is plain text
        if added:
            await self._answer(query, chat_id, t.gettext("Following {label}", label=label))
        else:
            await self._answer(
                query, chat_id, t.gettext("No longer following {label}", label=label)
            )
        keyboard = self.choices.keyboard(subscribed, t)
        if keyboard != shown:  # Telegram refuses an edit that changes nothing
            redraw = query.edit_message_reply_markup
            await self.retrying.send(chat_id, "redrawn keyboard", lambda: redraw(keyboard))

    async def _answer(self, query: CallbackQuery, chat_id: int, text: str) -> None:
        """Answer a button press (stopping its spinner), retried like a reply; not paced: an
        answer is not a message in the chat."""
        await self.retrying.send(chat_id, "button answer", lambda: query.answer(text), paced=False)

    async def subscribe(self, update: Update, context: Context) -> None:
        """/subscribe <sector|topic|all>."""
        if not await self._may_change(update, context):
            return
        choice = await self._choice(update, context, "subscribe")
        if choice is None:
            return
        chat = _chat(update)
        with self.engine.begin() as conn:
            upsert_chat(conn, chat, utcnow())
            added = add_subscription(conn, chat, choice.kind, choice.value)
        t = self._t(update)
        label = self.choices.label(choice, t)
        if added:
            await self._reply(update, context, t.gettext("Following {label}.", label=label))
        else:
            await self._reply(update, context, t.gettext("Already following {label}.", label=label))

    async def unsubscribe(self, update: Update, context: Context) -> None:
        """/unsubscribe <sector|topic|all>; "all" removes every subscription and keyword."""
        if not await self._may_change(update, context):
            return
        chat = _chat(update)
        t = self._t(update)
        if [a.casefold() for a in context.args or []] == ["all"]:
            with self.engine.begin() as conn:
                removed = remove_all_subscriptions(conn, chat)
            text = t.ngettext("Removed {n} subscription.", "Removed {n} subscriptions.", removed)
            await self._reply(update, context, text)
            return
        choice = await self._choice(update, context, "unsubscribe")
        if choice is None:
            return
        with self.engine.begin() as conn:
            removed_one = remove_subscription(conn, chat, choice.kind, choice.value)
        label = self.choices.label(choice, t)
        if removed_one:
            text = t.gettext("No longer following {label}.", label=label)
        else:
            text = t.gettext("You were not following {label}.", label=label)
        await self._reply(update, context, text)

    async def _choice(self, update: Update, context: Context, command: str) -> Choice | None:
        """The argument as a sector, topic or "all"; replies with help when it is not one."""
        text = " ".join(context.args or [])
        choice = self.choices.resolve(text) if text else None
        if choice is not None:
            return choice
        t = self._t(update)
        if not text:
            usage, example = f"/{command}", f"/{command} education"
            reply = t.gettext(
                "Usage: {command} &lt;sector|topic|all&gt;, for example {example}.",
                command=usage,
                example=example,
            )
        else:
            reply = t.gettext("I don't know “{text}”.", text=echo(text))
            suggestion = self.choices.suggest(text[:ECHO])
            if suggestion:
                suggested = f"/{command} {html.escape(suggestion)}"
                reply += " " + t.gettext("Did you mean {command}?", command=suggested)
        keys = html.escape(self.choices.keys_help(t))
        await self._reply(update, context, reply + "\n" + keys)
        return None

    async def watch(self, update: Update, context: Context) -> None:
        """/watch <keyword>: alerts for news mentioning it (whole words, any case or accent)."""
        await self._keyword(update, context, add=True)

    async def unwatch(self, update: Update, context: Context) -> None:
        """/unwatch <keyword>."""
        await self._keyword(update, context, add=False)

    async def _keyword(self, update: Update, context: Context, add: bool) -> None:
        if not await self._may_change(update, context):
            return
        t = self._t(update)
        command = "/watch" if add else "/unwatch"
        keyword = " ".join(context.args or [])
        if not keyword:
            example = command + " " + t.gettext(EXAMPLE_KEYWORD)
            usage = t.gettext(
                "Usage: {command} &lt;keyword&gt;, for example {example}.",
                command=command,
                example=example,
            )
            await self._reply(update, context, usage)
            return
        chat = _chat(update)
        try:
            with self.engine.begin() as conn:
                upsert_chat(conn, chat, utcnow())
                if add:
                    stored, added = add_keyword(conn, chat, keyword)
                else:
                    removed = remove_keyword(conn, chat, keyword)
        except SubscriptionError as exc:
            # Our own translated words (their isolates kept), not text to echo back.
            reason = html.escape(explain(t, exc), quote=False)
            await self._reply(update, context, t.gettext("Sorry: {reason}.", reason=reason))
            return
        # Named as the chat watches it (a watched keyword is at most 100 characters).
        if add and added:
            text = t.gettext("Watching “{keyword}”.", keyword=echo(stored, 100))
        elif add:
            text = t.gettext("Already watching “{keyword}”.", keyword=echo(stored, 100))
        elif removed:
            text = "\n".join(
                t.gettext("Stopped watching “{keyword}”.", keyword=echo(k, 100)) for k in removed
            )
        else:
            shown = echo(normalize_value("keyword", keyword), 100)
            text = t.gettext("You were not watching “{keyword}”.", keyword=shown)
        await self._reply(update, context, text)

    async def list(self, update: Update, context: Context) -> None:
        """What this chat follows, its news languages, the bot's language, when alerts arrive
        (schedule, time zone), its forum topics and config routes, whether paused."""
        chat = _chat(update)
        t = self._t(update)
        with self.engine.connect() as conn:
            found = list_subscriptions(conn, chat)
            state = get_chat(conn, chat)
            delivery = chat_overview(conn, self.settings, self.choices, t, chat, utcnow())
        lines = [
            "• " + t.gettext("watching “{keyword}”", keyword=echo(s.value, 100))
            if s.kind == "keyword"
            else "• " + self.choices.label(Choice(s.kind, s.value), t)
            for s in found
        ]
        text = (
            "\n".join(lines) if lines else t.gettext("Nothing yet: try /sectors or /subscribe all.")
        )
        news = news_languages(t, state.lang if state else None)
        text += "\n" + t.gettext("News in: {languages}.", languages=news)
        text += "\n" + t.gettext("The bot speaks: {language}.", language=LANGUAGE_NAMES[t.locale])
        text += "\n" + "\n".join(delivery)
        if state and state.paused:
            text += "\n" + t.gettext("Alerts are paused: /resume to restart them.")
        await self._reply(update, context, text)

    async def latest(self, update: Update, context: Context) -> None:
        """/latest [sector]: the newest items, in the chat's language if it chose one."""
        t = self._t(update)
        sector = None
        if context.args:
            choice = await self._choice(update, context, "latest")
            if choice is None:
                return
            if choice.kind != "sector":
                text = t.gettext("/latest takes a sector, for example /latest culture.")
                await self._reply(update, context, text)
                return
            sector = choice.value
        chat = _chat(update)
        with self.engine.connect() as conn:
            lang = _lang(conn, chat)
            found = latest_items(conn, LATEST, lang, sector)
        if not found:
            await self._reply(update, context, t.gettext("Nothing stored yet for that."))
            return
        for part in format_latest([s.item for s in found], self.settings.sectors, t.locale):
            await self._reply(update, context, part)

    async def lang(self, update: Update, context: Context) -> None:
        """/lang [en|ar|fr|all]: show or set the news language (not the bot's own: /language)."""
        if context.args and not await self._may_change(update, context):
            return
        reply = news_language_reply(self.engine, update, context.args or [], utcnow())
        await self._reply(update, context, reply)

    async def language(self, update: Update, context: Context) -> None:
        """/language [en|ar|fr]: show or change the language the bot speaks in this chat."""
        if context.args and not await self._may_change(update, context):
            return
        reply = language_reply(self.engine, update, context.args or [], utcnow())
        await self._reply(update, context, reply)

    async def pause(self, update: Update, context: Context) -> None:
        """Stop alerts (nothing is queued while paused)."""
        if not await self._may_change(update, context):
            return
        with self.engine.begin() as conn:
            set_paused(conn, _chat(update), True, utcnow())
        text = self._t(update).gettext("Alerts paused. /resume to restart them.")
        await self._reply(update, context, text)

    async def resume(self, update: Update, context: Context) -> None:
        """Restart alerts from now on."""
        if not await self._may_change(update, context):
            return
        with self.engine.begin() as conn:
            set_paused(conn, _chat(update), False, utcnow())
        await self._reply(update, context, self._t(update).gettext("Alerts resumed."))

    async def status(self, update: Update, context: Context) -> None:
        """Admin: health of the sources, the delivery queue, schedules and routes."""
        if not await self._admin(update, context):
            return
        t = self._t(update)
        text = (
            await self.status_text()
            if self.status_text
            else store_status(self.engine, self.settings, t)
        )
        with self.engine.connect() as conn:
            text += "\n" + "\n".join(status_overview(conn, self.settings, t, _chat(update)))
        await self._reply(update, context, f"<pre>{html.escape(text)}</pre>")

    async def crawl(self, update: Update, context: Context) -> None:
        """Admin: ask the service for a crawl cycle now."""
        if not await self._admin(update, context):
            return
        t = self._t(update)
        if self.request_crawl is None:
            text = t.gettext("Crawling on demand is not available here.")
            await self._reply(update, context, text)
            return
        # The service's answer is an N_-marked msgid (scheduler/alerts.py): shown translated.
        answer = await self.request_crawl()
        text = t.gettext(answer) if answer else t.gettext("Crawl requested.")
        await self._reply(update, context, html.escape(text))

    async def unknown(self, update: Update, context: Context) -> None:
        """Any other command: say so and suggest the closest one."""
        text = (update.effective_message.text or "") if update.effective_message else ""
        name = text.split()[0].lstrip("/").split("@")[0] if text.split() else ""
        known = [c for c, _ in PUBLIC_COMMANDS + ADMIN_COMMANDS]
        close = difflib.get_close_matches(name[:ECHO].casefold(), known, n=1, cutoff=0.5)
        t = self._t(update)
        typed = "/" + echo(name)
        reply = t.gettext("Unknown command {command}.", command=typed)
        if close:
            suggested = "/" + close[0]
            reply += " " + t.gettext("Did you mean {command}?", command=suggested)
        await self._reply(update, context, reply + " " + t.gettext("Send /help."))


def _chat(update: Update) -> str:
    assert update.effective_chat is not None
    return str(update.effective_chat.id)


def _lang(conn: Connection, chat: str) -> str | None:
    state = get_chat(conn, chat)
    return state.lang if state else None
