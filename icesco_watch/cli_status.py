"""`icesco-watch status`: the store's view of the service, per source and for Telegram (split
from cli.py, which builds the service's parts). Like cli.py, it imports the store when it runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from icesco_watch.session import load

if TYPE_CHECKING:
    from icesco_watch.store.health import SourceState


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source.")] = False,
) -> None:
    """Per-source health (last run, last success, failures in a row, last error, items), then
    Telegram deliveries and admin notices by status, then which running instance holds which
    lease (crawls, polls Telegram, is in a cycle). With --json, a last line
    {"deliveries": {...}, "notices": {...}, "leases": {name: {"holder", "expires_at"}}}."""
    from icesco_watch.store.health import all_source_states, is_failing
    from icesco_watch.store.items import count_by_source
    from icesco_watch.store.leases import live_leases
    from icesco_watch.store.notices import notice_counts
    from icesco_watch.store.outbox import pending_counts
    from icesco_watch.store.quarantine import quarantined
    from icesco_watch.store.schema import open_store

    settings = load(ctx.obj).settings
    engine = open_store(settings.storage.url)
    with engine.connect() as conn:
        states = all_source_states(conn)
        counts = count_by_source(conn)
        held = quarantined(conn)
    enabled = {s.key: s.enabled for s in settings.sources}
    threshold = settings.alerts.failure_threshold
    keys = [*enabled, *sorted(set(states) - set(enabled))]
    for key in keys:
        state = states.get(key)
        failing = state is not None and is_failing(state, threshold, bool(enabled.get(key)))
        row = {
            "key": key,
            "last_run": state.last_run.isoformat() if state and state.last_run else None,
            "last_ok": state.last_ok.isoformat() if state and state.last_ok else None,
            "consecutive_failures": state.consecutive_failures if state else 0,
            "failing": failing,  # as /healthz says: at alerts.failure_threshold
            "last_error": state.last_error if state else None,
            "items": counts.get(key, 0),
            "channel": state.channel if state else None,  # rest | feed | html, once chosen
            "quarantined": sum(article.source == key for article in held),
        }
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        health = _health(state, failing, enabled.get(key), threshold)
        typer.echo(
            f"{key}: {health}  items={row['items']}  channel={row['channel'] or '-'}  "
            f"last_run={row['last_run'] or '-'}  last_ok={row['last_ok'] or '-'}"
        )
        if row["last_error"]:
            typer.echo(f"  last error: {row['last_error']}")
        mine = [article for article in held if article.source == key]
        if mine:  # soonest retry first
            typer.echo(
                f"  quarantined: {len(mine)} article(s), next retry "
                f"{mine[0].next_attempt_at.isoformat(timespec='minutes')} "
                f"({mine[0].url}, {mine[0].failures} failure(s): {mine[0].last_error})"
            )
    with engine.connect() as conn:
        counts = pending_counts(conn)
        notices = notice_counts(conn)
        held_now = live_leases(conn, datetime.now(UTC))
    if as_json:
        leases = {
            name: {"holder": holder, "expires_at": until.isoformat()}
            for name, (holder, until) in held_now.items()
        }
        typer.echo(json.dumps({"deliveries": counts, "notices": notices, "leases": leases}))
    else:
        typer.echo(
            "telegram deliveries: "
            + "  ".join(f"{k}={v}" for k, v in counts.items())
            + f"  notices: pending={notices['pending']} failed={notices['failed']}"
        )
        typer.echo(
            "instances: "
            + (
                "  ".join(
                    f"{name}={holder} (until {until.isoformat(timespec='seconds')})"
                    for name, (holder, until) in held_now.items()
                )
                or "no lease held (no service running on this store)"
            )
        )


def _health(state: SourceState | None, failing: bool, enabled: bool | None, threshold: int) -> str:
    """A source's health in `status`: FAILING as /healthz decides it (`failing`, from
    `is_failing`); failures short of that are shown as what they are. `enabled` is None for a
    source no longer configured."""
    if state is None:
        return "never run"
    failures = state.consecutive_failures
    if not failures:
        return "ok"
    if failing:
        return f"FAILING x{failures}"
    if enabled is None:
        return f"failed x{failures}, not configured"
    if not enabled:
        return f"failed x{failures}, disabled"
    return f"failed x{failures} of {threshold} before alerting"
