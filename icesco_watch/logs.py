"""Process-wide logging: human lines or JSON lines on stderr, secrets scrubbed, no tracebacks.

`configure_logging` is called by the composition root for every command. It installs one stderr
handler carrying the secret filter (`redaction.SecretFilter`), routes Python warnings and every
uncaught exception (main thread, other threads, "exception ignored" at shutdown) through it, so
nothing reaches stderr but scrubbed records. An exception in a record is one line
(`exception: Type: message`); its traceback, scrubbed too, only with `--verbose`.

Formats: `human` (`12:00:01 WARNING  cycle: cycle finished  source=icesco-en`), `json` (one
object per line with the record's `fields` merged in), `auto` (human on a terminal, JSON
otherwise, for journald, Docker and log shippers).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

from icesco_watch.config.schema import Settings
from icesco_watch.redaction import (
    SecretFilter,
    exception_summary,
    protect_settings,
    redact,
)

LogFormat = Literal["auto", "human", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("auto", "human", "json")
log = logging.getLogger("icesco_watch")


def _exception_parts(record: logging.LogRecord) -> tuple[str | None, str | None]:
    """(one-line summary, traceback) of a record's exception, both scrubbed. The secret filter
    has usually prepared them; a record that bypassed it is scrubbed here."""
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        return exception_summary(exc), redact(logging.Formatter().formatException(record.exc_info))
    summary = getattr(record, "exc_summary", None)
    return summary, record.exc_text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's `fields`, and an
    `exception` line (with `traceback` when verbose)."""

    def __init__(self, verbose: bool = False) -> None:
        super().__init__()
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        entry.update(getattr(record, "fields", {}))
        summary, trace = _exception_parts(record)
        if summary:
            entry["exception"] = summary
        if trace and self.verbose:
            entry["traceback"] = trace
        return json.dumps(entry, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    """`HH:MM:SS LEVEL    logger: message  key=value`, for a person at a terminal."""

    def __init__(self, verbose: bool = False) -> None:
        super().__init__()
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        name = record.name.removeprefix("icesco_watch.")
        line = f"{when} {record.levelname:<8} {name}: {redact(record.getMessage())}"
        fields = getattr(record, "fields", {})
        if isinstance(fields, dict) and fields:
            line += "  " + " ".join(f"{k}={_short(v)}" for k, v in fields.items())
        summary, trace = _exception_parts(record)
        if trace and self.verbose:
            return f"{line}\n{trace}"
        return f"{line}  ({summary})" if summary else line


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return " ".join(text.split())


class _TerseDownloadErrors(logging.Filter):
    """Scrapy logs every failed download with a traceback; the cycle's own record already
    names the URL and the error, so keep Scrapy's one-line message only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("scrapy.downloadermiddlewares"):
            record.exc_info = None
            record.exc_text = None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time, so that a progress display that
    redirects stderr shows log lines above itself instead of being torn by them."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def resolve_format(log_format: LogFormat) -> Literal["human", "json"]:
    if log_format != "auto":
        return log_format
    return "human" if sys.stderr.isatty() else "json"


def configure_logging(
    log_format: LogFormat = "auto",
    level: int = logging.INFO,
    *,
    verbose: bool = False,
    settings: Settings | None = None,
) -> None:
    """Log to stderr in `log_format` at `level`, scrubbing the secrets of `settings` (and any
    protected before). Safe to call again: the later call replaces the earlier handler."""
    if settings is not None:
        protect_settings(settings)
    chosen = resolve_format(log_format)
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(HumanFormatter(verbose) if chosen == "human" else JsonFormatter(verbose))
    handler.addFilter(_TerseDownloadErrors())
    handler.addFilter(SecretFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Scrapy and the HTTP stack are chatty at INFO; their warnings still come through.
    for name in ("scrapy", "aiohttp", "apscheduler.executors", "py.warnings", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # Libraries' own account of what they do, shown with -v only: Alembic logs each migration it
    # runs ("Running upgrade 0001 -> 0002, ...", where the store's one line, "store created at
    # schema N", says it), APScheduler its start and jobs (the service says "service started").
    for name in ("alembic", "apscheduler.scheduler"):
        logging.getLogger(name).setLevel(level if verbose else max(level, logging.WARNING))
    logging.captureWarnings(True)
    _route_uncaught_errors()


def _route_uncaught_errors() -> None:
    """Uncaught exceptions become scrubbed log records instead of raw tracebacks on stderr."""

    def on_uncaught(
        kind: type[BaseException], exc: BaseException, trace: TracebackType | None
    ) -> None:
        log.critical("uncaught error", exc_info=(kind, exc, trace))

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            thread = args.thread.name if args.thread else "?"
            log.error(
                "uncaught error in thread %s",
                thread,
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )

    def on_unraisable(unraisable: Any) -> None:
        exc = unraisable.exc_value
        if exc is not None:
            log.warning(
                "exception ignored: %s",
                redact(str(unraisable.err_msg or "")),
                exc_info=(type(exc), exc, unraisable.exc_traceback),
            )

    sys.excepthook = on_uncaught
    threading.excepthook = on_thread
    sys.unraisablehook = on_unraisable
