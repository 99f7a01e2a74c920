"""Process-wide logging: JSON or human lines, scrubbed, exceptions on one line unless verbose,
warnings and uncaught errors from any thread routed through the same handler."""

from __future__ import annotations

import json
import logging
import sys
import threading
import warnings
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from icesco_watch.config.schema import Settings
from icesco_watch.logs import LogFormat, configure_logging

TOKEN = "333444:LOGS-UNIT-SECRET"
SETTINGS = Settings.model_validate({}).model_copy(update={"telegram_token": SecretStr(TOKEN)})


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state; give the rest of the session its own back."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook, threading.excepthook)
    unraisable = sys.unraisablehook
    yield
    root.handlers[:], level, sys.excepthook, threading.excepthook = saved
    root.setLevel(level)
    sys.unraisablehook = unraisable
    logging.captureWarnings(False)


def _configure(log_format: LogFormat, verbose: bool = False) -> None:
    configure_logging(log_format, logging.INFO, verbose=verbose, settings=SETTINGS)


def _fail() -> None:
    raise ValueError(f"bad answer for /bot{TOKEN}/getMe")


def test_json_lines_carry_fields_and_a_one_line_exception(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _configure("json")
    log = logging.getLogger("icesco_watch.test")
    log.warning("cycle finished", extra={"fields": {"source": "x", "url": f"/bot{TOKEN}/x"}})
    try:
        _fail()
    except ValueError:
        log.exception("crashed")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["message"] == "cycle finished"
    assert first["source"] == "x"
    assert first["url"] == "/bot<token>/x"
    assert second["exception"] == "ValueError: bad answer for /bot<token>/getMe"
    assert "traceback" not in second


def test_human_lines_and_a_scrubbed_traceback_when_verbose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _configure("human", verbose=True)
    log = logging.getLogger("icesco_watch.scheduler.cycle")
    log.warning("cycle finished", extra={"fields": {"source": "icesco-en", "new": 2}})
    try:
        _fail()
    except ValueError:
        log.exception("crashed")
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].endswith("WARNING  scheduler.cycle: cycle finished  source=icesco-en new=2")
    assert "Traceback (most recent call last)" in err
    assert "LOGS-UNIT-SECRET" not in err


def test_warnings_and_uncaught_errors_are_scrubbed_records(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _configure("json")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated call with {TOKEN}", UserWarning, stacklevel=1)
    worker = threading.Thread(target=_fail, name="worker")
    worker.start()
    worker.join()
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    by_logger = {r["logger"]: r for r in records}
    assert "<token>" in by_logger["py.warnings"]["message"]
    crashed = by_logger["icesco_watch"]
    assert crashed["message"] == "uncaught error in thread worker"
    assert crashed["exception"] == "ValueError: bad answer for /bot<token>/getMe"
    assert all("LOGS-UNIT-SECRET" not in json.dumps(r) for r in records)
