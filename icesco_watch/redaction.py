"""Secrets never printed: what is secret in this process, and scrubbing it from any text.

One process-wide list (logging, stderr and exit messages are process-wide too): the composition
root adds the Telegram token from the environment before anything runs, then the passwords of
the configured URLs once the config is read. Every log handler carries a `SecretFilter`
(installed by `logs.configure_logging`), and every fatal error line goes through `redact`, so a
library that puts the token in a URL or an exception text (python-telegram-bot does both) never
gets it printed.
"""

from __future__ import annotations

import contextlib
import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from icesco_watch.config.schema import Settings

HIDDEN = "<token>"
HIDDEN_PASSWORD = "***"
# A bare secret shorter than this would scrub ordinary words; a short password is still
# scrubbed where it sits in a URL (`:password@`).
MIN_BARE_SECRET = 8


def token_needles(token: str) -> dict[str, str]:
    """The forms a bot token takes in text: as is, percent-encoded (in a URL), and its secret
    half alone (after `id:`), each mapped to what replaces it."""
    token = token.strip()
    if not token:
        return {}
    needles = {token: HIDDEN, quote(token, safe=""): HIDDEN}
    _bot_id, _, secret = token.partition(":")
    if len(secret) >= MIN_BARE_SECRET:
        needles[secret] = HIDDEN
    return needles


def password_needles(password: str | None) -> dict[str, str]:
    """A URL's password as it appears in the URL (`:pw@`, raw or percent-encoded), and bare
    when it is long enough not to be an ordinary word."""
    if not password:
        return {}
    needles = {
        f":{password}@": f":{HIDDEN_PASSWORD}@",
        f":{quote(password, safe='')}@": f":{HIDDEN_PASSWORD}@",
    }
    if len(password) >= MIN_BARE_SECRET:
        needles[password] = HIDDEN_PASSWORD
    return needles


def url_password(url: str | None) -> str | None:
    """The password in an SQLAlchemy or http(s) URL, if any (None for anything unparsable)."""
    if not url:
        return None
    with contextlib.suppress(ArgumentError, ValueError):  # not an SQLAlchemy URL: try http(s)
        return make_url(url).password
    try:
        return urlsplit(url).password
    except ValueError:
        return None


class Redactor:
    """`redact(text)`: `text` with every known secret replaced; harmless when none is known."""

    def __init__(self, *tokens: str) -> None:
        self._needles: dict[str, str] = {}
        for token in tokens:
            self.add_needles(token_needles(token))

    def add_needles(self, needles: dict[str, str]) -> None:
        self._needles.update({needle.lower(): hidden for needle, hidden in needles.items()})
        # Longest first, so a token is replaced whole before its secret half is looked for.
        # Any case: python-telegram-bot lowercases an error description after "Bad Request:",
        # and a Bot API (a proxy, a local server) may echo the request path in it.
        order = sorted(self._needles, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, order)), re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self._needles)

    def __call__(self, text: str) -> str:
        if not self._needles:
            return text
        return self._pattern.sub(lambda found: self._needles.get(found[0].lower(), HIDDEN), text)


# The process's secrets: logging and the streams it writes to belong to the whole process.
_PROCESS = Redactor()


def protect_token(token: str) -> None:
    """From now on, scrub this bot token from every log record and fatal message."""
    _PROCESS.add_needles(token_needles(token))


def protect_url(url: str | None) -> None:
    """From now on, scrub this URL's password (a PostgreSQL store, a proxy) likewise."""
    _PROCESS.add_needles(password_needles(url_password(url)))


def redact(text: str) -> str:
    """`text` without any secret this process knows of."""
    return _PROCESS(text)


def redact_value(value: Any) -> Any:
    """A log record's structured field with its strings (also inside lists or dicts) scrubbed."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value


def exception_summary(exc: BaseException) -> str:
    """`Type: message` on one line, scrubbed: what an operator reads without -v."""
    text = " ".join(str(exc).split())
    text = text.rstrip(".")
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


class SecretFilter(logging.Filter):
    """A handler filter that scrubs the process's secrets from a record before any formatter
    sees it: the message with its arguments, the structured `fields`, the stack, and the
    exception, whose traceback is rendered here (scrubbed) into `exc_text` with a one-line
    `exc_summary` beside it, and `exc_info` dropped so no formatter renders the raw one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not take the secret with it unscrubbed
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.exc_text = redact("".join(traceback.format_exception(exc)).rstrip())
            record.exc_summary = exception_summary(exc)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            record.fields = redact_value(fields)
        return True


def install_secret_filter(handlers: Iterable[logging.Handler]) -> None:
    """Put the process's secret filter on each handler (once)."""
    for handler in handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter())


def protect_settings(settings: Settings) -> None:
    """Protect every secret a config carries: the bot token and the passwords of its URLs."""
    if settings.telegram_token is not None:
        protect_token(settings.telegram_token.get_secret_value())
    protect_url(settings.storage.url)
    protect_url(settings.crawl.proxy)
