"""A command's fatal error as an operator reads it: one scrubbed line naming the key to fix.

Any exception escaping a command (ours or a library's) ends here instead of in a traceback:
`describe` turns it into one line, naming the config key when the fault points at one (a port in
use is `server.port`, a file that cannot be written under `feeds.dir` is `feeds.dir`), and
`GuardedGroup` logs that line (with the scrubbed traceback under `--verbose`) and exits 1.
"""

from __future__ import annotations

import errno
import logging
import socket
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from typer.core import TyperGroup

from icesco_watch.config.loader import TOKEN_ENV
from icesco_watch.config.schema import Settings
from icesco_watch.redaction import exception_summary, redact
from icesco_watch.store.engine import StoreError

RUNTIME_FAILURE = 1
log = logging.getLogger("icesco_watch")


def describe(exc: BaseException, settings: Settings | None) -> str:
    """One scrubbed line saying what failed and, where one is to blame, which key to change."""
    return redact(" ".join(_describe(exc, settings).split()))


def _describe(exc: BaseException, settings: Settings | None) -> str:
    if isinstance(exc, StoreError):
        return str(exc)
    if type(exc).__module__.split(".")[0] == "telegram":
        api = f" = {settings.telegram.api_base_url!r}" if settings else ""
        return (
            f"telegram: {exception_summary(exc)}; check ${TOKEN_ENV} and telegram.api_base_url{api}"
        )
    if isinstance(exc, OSError):
        return _describe_os_error(exc, settings)
    if isinstance(exc, SQLAlchemyError):
        detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        return f"storage.url ({_store_name(settings)}): {exception_summary(detail)}"
    if isinstance(exc, RecursionError | MemoryError):
        return f"{exception_summary(exc)}; an input is too deeply nested or too large"
    return f"{exception_summary(exc)} (run with --verbose for the details)"


def _describe_os_error(exc: OSError, settings: Settings | None) -> str:
    where = f"{settings.server.host}:{settings.server.port}" if settings else "the feed server"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"server.port: {where} is already in use; stop the other process or choose "
            "another server.port"
        )
    if isinstance(exc, socket.gaierror) or exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        host = settings.server.host if settings else "?"
        return (
            f"server.host: cannot listen on {host!r}: {exc.strerror or exc}; use an address of "
            "this machine such as '127.0.0.1' or '0.0.0.0'"
        )
    if exc.errno == errno.EACCES and exc.filename is None:
        return (
            f"server.port: not allowed to listen on {where} ({exc.strerror}); use a port above 1023"
        )
    filename = exc.filename
    if filename is not None:
        key = _key_for_path(Path(str(filename)), settings)
        prefix = f"{key}: " if key else ""
        return f"{prefix}cannot use {filename}: {exc.strerror or exception_summary(exc)}"
    return exception_summary(exc)


def _key_for_path(path: Path, settings: Settings | None) -> str | None:
    """The config key whose folder holds `path`, if any."""
    if settings is None:
        return None
    candidates = [("feeds.dir", Path(settings.feeds.dir))]
    store = _sqlite_path(settings.storage.url)
    if store is not None:
        candidates.append(("storage.url", store.parent))
    resolved = path.absolute()
    for key, folder in candidates:
        if resolved == folder.absolute() or folder.absolute() in resolved.parents:
            return key
    return None


def _sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database).expanduser()


def _store_name(settings: Settings | None) -> str:
    if settings is None:
        return "?"
    try:
        return make_url(settings.storage.url).render_as_string(hide_password=True)
    except ArgumentError:
        return "?"


class GuardedGroup(TyperGroup):
    """The command group with one error boundary: an exception escaping a command is logged
    as one scrubbed line (traceback under --verbose) and the process exits 1.

    Typer's own exits and usage errors pass through untouched, and so does a broken pipe. The
    context's `obj` may carry `settings` (once loaded) and `verbose`, which make the line more
    precise.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader of stdout went away (`| head`): not a failure to report. Click ends
            # the process quietly (exit 1) and keeps the final flush from failing too.
            raise
        except Exception as exc:
            if _is_click_exception(exc):
                raise
            options = ctx.obj
            settings = getattr(options, "settings", None)
            if getattr(options, "verbose", False):
                log.error("command failed", exc_info=exc)
            log.error(describe(exc, settings))
            raise typer.Exit(RUNTIME_FAILURE) from None


def _is_click_exception(exc: BaseException) -> bool:
    # Typer vendors click; its exceptions (usage errors, --help) are shown by Typer itself.
    return type(exc).__module__.startswith(("typer.", "click."))
