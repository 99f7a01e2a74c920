"""Structured logs: one JSON object per line on stderr, with the record's `fields` merged in."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _TerseDownloadErrors(logging.Filter):
    """Scrapy logs every failed download with a traceback; the cycle's own record already
    names the URL and the error, so keep Scrapy's one-line message only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("scrapy.downloadermiddlewares"):
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level: int = logging.INFO, structured: bool = True) -> None:
    """JSON lines for the service; plain `level: message` lines for one-off commands."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if structured else logging.Formatter("%(levelname)s: %(message)s")
    )
    handler.addFilter(_TerseDownloadErrors())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Scrapy and the HTTP stack are chatty at INFO; their warnings still come through.
    for name in ("scrapy", "aiohttp", "apscheduler.executors", "py.warnings"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
