"""Writes a Settings back out as TOML, for `config check` (tomllib only reads)."""

from __future__ import annotations

import json
from typing import Any

from icesco_watch.config.schema import Settings


def render_toml(settings: Settings) -> str:
    return dump_toml(settings.model_dump(mode="json", exclude_none=True))


def dump_toml(data: dict[str, Any]) -> str:
    """TOML for config-shaped data (tables, arrays of tables, scalars), without validating it."""
    lines: list[str] = []
    _table(lines, [], data)
    return "\n".join(lines).strip() + "\n"


def _table(lines: list[str], path: list[str], data: dict[str, Any]) -> None:
    scalars = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_list(v)}
    if path and scalars:
        lines.extend(["", f"[{'.'.join(path)}]"])
    lines.extend(f"{key} = {_value(value)}" for key, value in scalars.items())
    for key, value in data.items():
        if _is_table(value):
            _table(lines, [*path, key], value)
        elif _is_table_list(value):
            for entry in value:
                lines.extend(["", f"[[{'.'.join([*path, key])}]]"])
                flat = {k: v for k, v in entry.items() if not _is_table(v)}
                lines.extend(f"{k} = {_value(v)}" for k, v in flat.items())
                for sub, table in entry.items():
                    if _is_table(table) and any(table.values()):
                        _table(lines, [*path, key, sub], table)


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)
