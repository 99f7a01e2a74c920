"""The admin /status text when the service gives none: sources' health and the delivery queue."""

from __future__ import annotations

from sqlalchemy import Engine

from icesco_watch.store.health import all_source_states
from icesco_watch.store.outbox import pending_counts
from icesco_watch.store.topics import list_closed_topics


def store_status(engine: Engine) -> str:
    """Plain text, one line per source, then the outbox counts and suspended forum topics."""
    with engine.connect() as conn:
        states = all_source_states(conn)
        counts = pending_counts(conn)
        closed = list_closed_topics(conn)
    lines = []
    for key in sorted(states):
        state = states[key]
        health = (
            "ok" if not state.consecutive_failures else f"FAILING x{state.consecutive_failures}"
        )
        last_ok = state.last_ok.isoformat(timespec="minutes") if state.last_ok else "-"
        lines.append(f"{key}: {health}, last ok {last_ok}")
        if state.last_error:
            lines.append(f"  last error: {state.last_error}")
    if not lines:
        lines.append("no source has run yet")
    lines.append("deliveries: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    lines += [
        f"forum topic {t.thread} of {t.chat} suspended since "
        f"{t.closed_at.isoformat(timespec='minutes')}: /here there, or edit its route's thread"
        for t in closed
    ]
    return "\n".join(lines)
