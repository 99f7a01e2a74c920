"""The python-telegram-bot Application: building it from the config, its handlers, the command
menu (setMyCommands), and running it on the service's own asyncio loop."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.commands import Commands, Context
from icesco_watch.notifiers.telegram.digest_commands import DigestCommands
from icesco_watch.notifiers.telegram.fairness import CommandBudget, FairUpdateProcessor
from icesco_watch.notifiers.telegram.i18n import DEFAULT_UI_LANG, UI_LANGS, translator
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.menu import ADMIN_COMMANDS, PUBLIC_COMMANDS
from icesco_watch.notifiers.telegram.outcomes import ignore_retry_after_deprecation
from icesco_watch.notifiers.telegram.redact import install_log_redaction, quiet_http_logs
from icesco_watch.notifiers.telegram.topics import TopicCommands

log = logging.getLogger(__name__)

TOKEN_MISSING = "no bot token: set ICESCO_WATCH_TELEGRAM_TOKEN to use Telegram"
# The builder's exact generic parameters say nothing useful to callers.
PollApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings,
    engine: Engine,
    *,
    request_crawl: Callable[[], Awaitable[str | None]] | None = None,
    status_text: Callable[[], Awaitable[str]] | None = None,
    pacer: Pacer | None = None,
    budget: CommandBudget | None = None,
) -> PollApplication:
    """The bot, talking to `telegram.api_base_url`. Raises ValueError without a token.

    `request_crawl` runs for an admin's /crawl (its text is the reply); `status_text` answers
    /status (default: read from the store); `pacer` is the sender's, so that command replies
    count against the per-chat limit the outbox keeps; `budget` is each chat's command budget
    (default: `fairness.COMMANDS_PER_MINUTE`, `fairness.BURST`).
    """
    if settings.telegram_token is None:
        raise ValueError(TOKEN_MISSING)
    token = settings.telegram_token.get_secret_value()
    install_log_redaction(token)
    quiet_http_logs()
    ignore_retry_after_deprecation()
    timeout = settings.telegram.request_timeout.total_seconds()
    commands = Commands(settings, engine, request_crawl, status_text, pacer)
    processor = FairUpdateProcessor(budget or CommandBudget(), commands.slow_down)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram.api_base_url)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .connect_timeout(timeout)
        .get_updates_read_timeout(timeout)
        .get_updates_connect_timeout(timeout)
        .job_queue(None)  # APScheduler in the service schedules; PTB needs no second scheduler
        .concurrent_updates(processor)  # fair across chats, ordered within one
        .build()
    )
    add_handlers(application, commands)
    return application


def add_handlers(application: PollApplication, commands: Commands) -> None:
    """Every command, the /sectors buttons, unknown commands last, and the error handler."""
    digests = DigestCommands(commands)
    handlers = {
        "start": commands.start,
        "help": commands.help,
        "sectors": commands.sectors,
        "subscribe": commands.subscribe,
        "unsubscribe": commands.unsubscribe,
        "watch": commands.watch,
        "unwatch": commands.unwatch,
        "list": commands.list,
        "latest": commands.latest,
        "lang": commands.lang,
        "language": commands.language,
        "pause": commands.pause,
        "resume": commands.resume,
        "digest": digests.digest,
        "timezone": digests.timezone,
        "status": commands.status,
        "crawl": commands.crawl,
        "here": TopicCommands(commands).here,
    }
    for name, callback in handlers.items():
        application.add_handler(CommandHandler(name, callback))
    # Every press, not only "sub:" data: a press left unanswered keeps the user's button
    # spinning, and `Choices.from_callback` is what tells stale or forged data apart.
    application.add_handler(CallbackQueryHandler(commands.toggle))
    application.add_handler(MessageHandler(filters.COMMAND, commands.unknown))
    application.add_error_handler(on_error)


async def on_error(update: object, context: Context) -> None:
    """Log a handler's failure with the update that caused it (the token is scrubbed)."""
    fields: dict[str, object] = {"error": type(context.error).__name__}
    if isinstance(update, Update):
        fields["update_id"] = update.update_id
        if update.effective_chat is not None:
            fields["chat"] = update.effective_chat.id
        if update.effective_message is not None and update.effective_message.text:
            fields["text"] = update.effective_message.text[:100]
    log.error("bot handler failed", exc_info=context.error, extra={"fields": fields})


async def register_commands(application: PollApplication, settings: Settings) -> None:
    """The command menu in each interface language (Telegram shows a user the one for their
    own language, English otherwise): public commands for everyone, plus admin ones in
    admin chats."""
    for lang in UI_LANGS:
        t = translator(lang)
        language = None if lang == DEFAULT_UI_LANG else lang
        public = [BotCommand(name, t.gettext(text)) for name, text in PUBLIC_COMMANDS]
        admin = public + [BotCommand(name, t.gettext(text)) for name, text in ADMIN_COMMANDS]
        await application.bot.set_my_commands(
            public, scope=BotCommandScopeDefault(), language_code=language
        )
        for chat in settings.telegram.admin_chats:
            chat_id: int | str = int(chat) if chat.lstrip("-").isdigit() else chat
            try:
                await application.bot.set_my_commands(
                    admin, scope=BotCommandScopeChat(chat_id), language_code=language
                )
            except TelegramError as exc:  # an admin chat the bot is not in yet: not fatal
                log.warning("admin commands not set for chat %s: %s", chat, type(exc).__name__)


@asynccontextmanager
async def running(
    application: PollApplication, settings: Settings, *, poll: bool = True
) -> AsyncIterator[None]:
    """Run the bot on the current loop for the duration of the block, polling for commands
    unless `poll` is False (another instance polls; see `start_polling`/`stop_polling`).

    `run_polling` would own the loop; the service already has one, so this is the manual
    lifecycle: initialize, setMyCommands, start, poll ... stop polling, stop, shut down.
    """
    async with application:
        await register_commands(application, settings)
        await application.start()
        if poll:
            await start_polling(application)
        try:
            yield
        finally:
            if isinstance(application.update_processor, FairUpdateProcessor):
                application.update_processor.close()
            await stop_polling(application)
            await application.stop()


async def start_polling(application: PollApplication) -> None:
    """Start fetching updates (commands) with getUpdates."""
    assert application.updater is not None
    if not application.updater.running:
        await application.updater.start_polling(
            allowed_updates=["message", "callback_query"], drop_pending_updates=False
        )


async def stop_polling(application: PollApplication) -> None:
    """Stop fetching updates; commands already fetched are still answered."""
    assert application.updater is not None
    if application.updater.running:
        await application.updater.stop()
