"""Scrubbing secrets: every form of the bot token and URL passwords, from text and log records."""

from __future__ import annotations

import logging
import sys
from urllib.parse import quote

from icesco_watch.config.schema import Settings
from icesco_watch.redaction import (
    HIDDEN,
    Redactor,
    SecretFilter,
    password_needles,
    protect_settings,
    protect_token,
    redact,
)

TOKEN = "111222:REDACTION-UNIT-SECRET"


def test_every_form_of_the_token_is_scrubbed() -> None:
    scrub = Redactor(TOKEN)
    text = (
        f"https://api.telegram.org/bot{TOKEN}/getMe "
        f"encoded={quote(TOKEN, safe='')} half=REDACTION-UNIT-SECRET"
    )
    assert scrub(text) == (
        f"https://api.telegram.org/bot{HIDDEN}/getMe encoded={HIDDEN} half={HIDDEN}"
    )


def test_the_token_is_scrubbed_in_any_case() -> None:
    # python-telegram-bot capitalises an error description after "Bad Request:", which
    # lowercases the rest: a Bot API (a proxy, a local server) that echoes the request path
    # put the token, lowercased, into logs, `telegram test` and the notices table.
    from telegram.error import BadRequest

    echoed = BadRequest(f"Bad Request: no route for /bot{TOKEN}/sendMessage")
    assert TOKEN.lower() in str(echoed)
    scrub = Redactor(TOKEN)
    assert scrub(str(echoed)) == f"No route for /bot{HIDDEN}/sendmessage"
    assert scrub(TOKEN.upper() + " " + quote(TOKEN, safe="").lower()) == f"{HIDDEN} {HIDDEN}"
    assert "secret" not in scrub(f"half={TOKEN.partition(':')[2].swapcase()}").lower()


def test_nothing_known_changes_nothing() -> None:
    assert Redactor()("plain text") == "plain text"
    assert not Redactor("")


def test_a_short_password_is_scrubbed_only_inside_its_url() -> None:
    scrub = Redactor()
    scrub.add_needles(password_needles("pw"))
    assert scrub("postgresql://user:pw@db/x and a pwd") == "postgresql://user:***@db/x and a pwd"


def test_the_secrets_of_a_config_are_protected_process_wide() -> None:
    settings = Settings.model_validate(
        {
            "storage": {"url": "postgresql://watch:store-password-1@db.example/icesco"},
            "crawl": {"proxy": "http://me:proxy-password-2@127.0.0.1:3128"},
        }
    )
    protect_settings(settings)
    text = redact("store-password-1 and http://me:proxy-password-2@127.0.0.1:3128")
    assert "store-password-1" not in text
    assert "proxy-password-2" not in text


def test_the_filter_scrubs_message_arguments_fields_and_exception() -> None:
    scrub_filter = SecretFilter()
    protect_token(TOKEN)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected\nby the server")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "calling %s", (f"/bot{TOKEN}/getMe",), exc_info
    )
    record.__dict__["fields"] = {"url": f"/bot{TOKEN}/x", "errors": [TOKEN]}
    assert scrub_filter.filter(record)
    assert record.exc_info is None  # no formatter can render the raw exception
    rendered = logging.Formatter().format(record)
    assert "Traceback" in rendered  # the standard formatter still shows the scrubbed traceback
    summary = getattr(record, "exc_summary", None)
    everything = f"{rendered} {getattr(record, 'fields', None)} {summary}"
    assert "REDACTION-UNIT-SECRET" not in everything
    assert summary == f"RuntimeError: The token `{HIDDEN}` was rejected by the server"
