"""Keeping the bot token out of logs and stored errors (it sits in every Bot API URL).

The scrubbing itself is the process-wide mechanism of `icesco_watch.redaction`; this module
gives the Telegram code its token-bound `Redactor` (for errors stored in the outbox) and makes
sure the token is protected even where the Telegram parts run without the command line (tests,
an embedding program).
"""

from __future__ import annotations

import logging

from icesco_watch import redaction
from icesco_watch.redaction import HIDDEN, SecretFilter, install_secret_filter, protect_token

__all__ = ["HIDDEN", "RedactingFilter", "Redactor", "install_log_redaction", "quiet_http_logs"]

RedactingFilter = SecretFilter


class Redactor(redaction.Redactor):
    """`redact(text)`: `text` with the token replaced (also percent-encoded, or its secret half
    alone); harmless when no token is known."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def install_log_redaction(token: str) -> None:
    """Scrub `token` from every record the root logger's handlers write (idempotent)."""
    if not token:
        return
    protect_token(token)
    install_secret_filter(logging.getLogger().handlers)


def quiet_http_logs() -> None:
    """httpx logs each request's URL, token included, at INFO: keep it to warnings."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
