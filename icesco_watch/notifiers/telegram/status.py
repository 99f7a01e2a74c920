"""The admin /status text when the service gives none: sources' health and the delivery queue."""

from __future__ import annotations

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.notifiers.telegram.i18n import N_, Translator, translator
from icesco_watch.store.health import SourceState, all_source_states, is_failing
from icesco_watch.store.outbox import pending_counts
from icesco_watch.store.topics import list_closed_topics

STATUS_NAMES = {
    "pending": N_("pending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "skipped": N_("skipped"),
}


def store_status(engine: Engine, settings: Settings, t: Translator | None = None) -> str:
    """Plain text, one line per source, then the outbox counts and suspended forum topics, in
    `t`'s language. A source is FAILING where /healthz and `icesco-watch status` say so
    (`store.health.is_failing`); failures short of that are shown as what they are."""
    t = t or translator(None)
    enabled = {source.key: source.enabled for source in settings.sources}
    threshold = settings.alerts.failure_threshold
    with engine.connect() as conn:
        states = all_source_states(conn)
        counts = pending_counts(conn)
        closed = list_closed_topics(conn)
    lines = []
    for key in sorted(states):
        state = states[key]
        health = _health(t, state, enabled.get(key), threshold)
        last_ok = state.last_ok.isoformat(timespec="minutes") if state.last_ok else "-"
        lines.append(
            t.gettext(
                "{source}: {health}, last ok {last_ok}", source=key, health=health, last_ok=last_ok
            )
        )
        if state.last_error:
            lines.append("  " + t.gettext("last error: {error}", error=state.last_error))
    if not lines:
        lines.append(t.gettext("no source has run yet"))
    shown = t.join(
        t.gettext("{status} {count}", status=t.gettext(STATUS_NAMES.get(k, k)), count=v)
        for k, v in counts.items()
    )
    lines.append(t.gettext("deliveries: {counts}", counts=shown))
    lines += [
        t.gettext(
            "forum topic {thread} of {chat} suspended since {since}: /here there, or edit its "
            "route's thread",
            thread=topic.thread,
            chat=topic.chat,
            since=topic.closed_at.isoformat(timespec="minutes"),
        )
        for topic in closed
    ]
    return "\n".join(lines)


def _health(t: Translator, state: SourceState, enabled: bool | None, threshold: int) -> str:
    """One source's health; `enabled` is None for a source no longer configured."""
    failures = state.consecutive_failures
    if not failures:
        return t.gettext("ok")
    if is_failing(state, threshold, bool(enabled)):
        return t.gettext("FAILING x{n}", n=failures)
    if enabled is None:
        return t.gettext("failed x{n}, not configured", n=failures)
    if not enabled:
        return t.gettext("failed x{n}, disabled", n=failures)
    return t.gettext("failed x{n} of {threshold} before alerting", n=failures, threshold=threshold)
