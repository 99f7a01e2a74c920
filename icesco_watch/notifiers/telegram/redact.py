"""Keeping the bot token out of logs and stored errors (it sits in every Bot API URL)."""

from __future__ import annotations

import logging
import traceback

HIDDEN = "<token>"


class Redactor:
    """`redact(text)`: `text` with the token replaced; harmless when no token is known."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, text: str) -> str:
        if not self.token:
            return text
        return text.replace(self.token, HIDDEN)


class RedactingFilter(logging.Filter):
    """A handler filter that scrubs the token from a record's message and traceback."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            # Formatters render exc_info themselves; fold the (scrubbed) traceback into the
            # message instead, so no formatter ever sees the raw text.
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info = None
            record.exc_text = None
        record.msg = self.redact(message)
        record.args = None
        return True


def install_log_redaction(token: str) -> None:
    """Scrub `token` from every record the root logger's handlers write (idempotent)."""
    if not token:
        return
    for handler in logging.getLogger().handlers:
        known = [f for f in handler.filters if isinstance(f, RedactingFilter)]
        if any(f.redact.token == token for f in known):
            continue
        handler.addFilter(RedactingFilter(Redactor(token)))


def quiet_http_logs() -> None:
    """httpx logs each request's URL, token included, at INFO: keep it to warnings."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
