"""Finding and reading the config: TOML over built-in defaults, secrets from the environment.

This is the only module that reads `os.environ`; everything else receives a `Settings`.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError

from icesco_watch.config.schema import Settings

CONFIG_ENV = "ICESCO_WATCH_CONFIG"
TOKEN_ENV = "ICESCO_WATCH_TELEGRAM_TOKEN"
FILE_TOKEN_KEY = "telegram_token"  # Settings' field for the environment's token, never a file's
DEFAULT_FILE = Path("icesco-watch.toml")
# The built-in defaults, every sector included, weigh about 35 KiB.
MAX_CONFIG_BYTES = 4 * 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TOO_DEEP = (
    "(top level): arrays or tables nested too deeply to read; no key needs more than 3 levels"
)


def environment_secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """The secrets the environment holds (the bot token), to be scrubbed from every output
    before any config is read, so that even a config error cannot print them."""
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    return [token] if token else []


class ConfigError(Exception):
    """A config that cannot be used; `problems` holds one line per problem, each naming a key."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__("\n".join(f"{origin}: {p}" for p in problems))


@dataclass(frozen=True)
class LoadedConfig:
    settings: Settings
    origin: str  # the file read, or "built-in defaults"
    warnings: list[str] = field(default_factory=list)


def load_defaults_text() -> str:
    return resources.files("icesco_watch.config").joinpath("defaults.toml").read_text("utf-8")


def default_settings() -> Settings:
    """The built-in defaults alone (no file, no environment): what `run` does out of the box."""
    return Settings.model_validate(_parse_toml(load_defaults_text(), "built-in defaults"))


def find_config(explicit: Path | None, environ: Mapping[str, str]) -> Path | None:
    """--config PATH, else $ICESCO_WATCH_CONFIG, else ./icesco-watch.toml, else None (defaults)."""
    if explicit is not None:
        return explicit
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    return DEFAULT_FILE if DEFAULT_FILE.is_file() else None


def _read_bounded(path: Path) -> str:
    """The file's text; at most MAX_CONFIG_BYTES are read, so a --config naming a device or a
    huge file by mistake (/dev/zero, a log) fails at once instead of reading without end."""
    with path.open("rb") as file:
        data = file.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            str(path), [f"larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB; is it the config?"]
        )
    try:
        # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte order mark, which TOML
        # would read as a stray character at line 1, column 1.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc.object: the bytes after any byte order mark, which exc.start counts in
        raise ConfigError(str(path), [_not_utf8(exc.object, exc.start)]) from None


def _not_utf8(data: bytes, start: int) -> str:
    """Where the first byte that is not UTF-8 is, as a line and a column an editor shows."""
    before = data[:start].decode("utf-8")  # everything before it decodes
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return (
        f"byte 0x{data[start]:02X} at line {line}, column {column} is not UTF-8; "
        "save the file as UTF-8"
    )


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """Read the effective config. Raises ConfigError listing every problem found."""
    env = os.environ if environ is None else environ
    defaults = _parse_toml(load_defaults_text(), "built-in defaults")
    found = find_config(path, env)
    if found is None:
        merged, origin = defaults, "built-in defaults"
    else:
        origin = str(found)
        try:
            text = _read_bounded(found)
        except FileNotFoundError:
            # Say where the name came from: the fix is there.
            fix = (
                "pass an existing file to --config or remove the option"
                if path is not None
                else f"point ${CONFIG_ENV} at an existing file or unset it"
            )
            raise ConfigError(origin, [f"file not found; {fix}"]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(origin, [f"cannot read the file: {exc}"]) from None
        given = _parse_toml(text, origin)
        if FILE_TOKEN_KEY in given:
            # The field exists for the environment's token only; a file that sets it would
            # put the secret where backups, diffs and `cat` show it. Never echo its value.
            raise ConfigError(
                origin,
                [
                    f"{FILE_TOKEN_KEY}: secrets are never read from files; remove the line and "
                    f"set ${TOKEN_ENV} in the environment instead"
                ],
            )
        merged = _merge(defaults, given)
    token = env.get(TOKEN_ENV, "").strip()
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(origin, describe_errors(exc)) from None
    except RecursionError:  # nesting tomllib accepted but validation cannot walk
        raise ConfigError(origin, [TOO_DEEP]) from None
    if token:
        settings = settings.model_copy(update={"telegram_token": SecretStr(token)})
    return LoadedConfig(settings, origin, _warnings(settings))


def _parse_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(origin, [f"TOML syntax error: {exc}; fix the line it names"]) from None
    except RecursionError:
        raise ConfigError(origin, [TOO_DEEP]) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists of sources or topics too) replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def describe_errors(exc: ValidationError) -> list[str]:
    """One line per problem: the dotted key, what is wrong, and how to fix it."""
    lines = []
    for error in exc.errors():
        loc = error["loc"]
        key = _dotted(loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key" + _suggestion(loc)
        elif error["type"] == "missing":
            message = "is required; add it"
        elif (
            "input" in error
            and error["type"] != "value_error"
            and not isinstance(error["input"], dict | list)
        ):
            message = f"{message} (got {error['input']!r})"
        if not key and all(_KEYED.match(line) for line in message.splitlines()):
            # A check across sections (a route naming an unknown sector) names its own keys.
            lines += message.splitlines()
        else:
            lines.append(f"{key or '(top level)'}: {message}")
    return lines


# "telegram.routes[0].sectors: ..." - a line that starts with the key it is about.
_KEYED = re.compile(r"^[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*: ")


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _suggestion(loc: tuple[int | str, ...]) -> str:
    model: type[BaseModel] | None = Settings
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        annotation = (
            model.model_fields[str(part)].annotation if part in model.model_fields else None
        )
        model = _model_in(annotation)
    if model is None:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
    return f"; did you mean {close[0]!r}?" if close else "; remove it or check its spelling"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _warnings(settings: Settings) -> list[str]:
    remote = [s.key for s in settings.sources if s.enabled and s.host not in LOCAL_HOSTS]
    if remote and settings.schedule.interval < timedelta(minutes=1):
        return [
            f"schedule.interval: under a minute against a remote site ({', '.join(remote)}) is "
            "impolite; '10m' is the default"
        ]
    return []
