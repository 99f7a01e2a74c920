"""One command's process-wide setup: its global options, the config it reads, its logging.

The command line (`cli.py`) calls `begin` from its global callback, before any command runs,
and `load` when a command needs the config. Both configure logging (`logs.configure_logging`),
the second time with the config's own secrets, so every line the process writes afterwards is
scrubbed; `load` also keeps the settings on the `Session`, for the fatal-error boundary
(`fatal.GuardedGroup`) to name the key to fix.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import typer

from icesco_watch.config.loader import ConfigError, LoadedConfig, load_config
from icesco_watch.config.schema import Settings
from icesco_watch.logs import LogFormat, configure_logging

CONFIG_INVALID = 2


class LogFormatOption(StrEnum):
    auto = "auto"
    human = "human"
    json = "json"


@dataclass
class Session:
    config_path: Path | None
    verbose: bool
    log_format: LogFormat
    settings: Settings | None = None  # once loaded: lets a fatal error name the key to fix

    @property
    def default_level(self) -> int:
        return logging.INFO if self.verbose else logging.WARNING


def begin(config_path: Path | None, verbose: bool, log_format: LogFormatOption) -> Session:
    """The session of the global options; logging set up before anything else runs."""
    session = Session(config_path, verbose, log_format.value)
    configure_logging(session.log_format, session.default_level, verbose=verbose)
    return session


def load(session: Session, level: int | None = None) -> LoadedConfig:
    """The effective config, or exit 2 with one line per problem (each naming its key).
    Logging is configured again from it at `level` (default: warnings, INFO with -v), and the
    config's warnings are logged."""
    try:
        loaded = load_config(session.config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(f"{exc.origin}: {problem}", err=True)
        raise typer.Exit(CONFIG_INVALID) from None
    session.settings = loaded.settings
    configure_logging(
        session.log_format,
        session.default_level if level is None else level,
        verbose=session.verbose,
        settings=loaded.settings,
    )
    for warning in loaded.warnings:
        logging.getLogger("icesco_watch.config").warning(warning)
    return loaded


def require_writable_dir(folder: str) -> None:
    """Fail now, on the file that could not be written (the fatal line then names the key that
    holds it), rather than after a whole crawl."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    tempfile.TemporaryFile(dir=path).close()  # created and removed: the folder is writable
