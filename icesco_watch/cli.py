"""The `icesco-watch` command: builds components from the config and calls them; nothing else."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from icesco_watch.config.loader import (
    CONFIG_ENV,
    TOKEN_ENV,
    ConfigError,
    LoadedConfig,
    load_config,
)
from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.feeds.publish import build_all
from icesco_watch.feeds.server import FeedServer
from icesco_watch.logs import configure_logging
from icesco_watch.models import CycleReport
from icesco_watch.notifiers.telegram.probe import send_test_alert
from icesco_watch.scheduler.alerts import deliver_now
from icesco_watch.scheduler.cycle import run_cycle
from icesco_watch.scheduler.service import Service
from icesco_watch.spiders.runner import ProgressCallback
from icesco_watch.store.health import all_source_states
from icesco_watch.store.items import count_by_source, latest_items, retag_items
from icesco_watch.store.outbox import pending_counts
from icesco_watch.store.quarantine import quarantined
from icesco_watch.store.schema import open_store
from icesco_watch.tagging import Tagger

app = typer.Typer(
    help="Watches ICESCO's news (English, Arabic, French), detects new items and records them.\n\n"
    "Start with `icesco-watch config check` to see what will be watched, then "
    "`icesco-watch crawl` for one cycle, or `icesco-watch run` for the service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
items_app = typer.Typer(help="Read the stored news items.", no_args_is_help=True)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
telegram_app = typer.Typer(help="Telegram alerts.", no_args_is_help=True)
feeds_app = typer.Typer(help="The RSS/Atom feeds written under feeds.dir.", no_args_is_help=True)
app.add_typer(items_app, name="items")
app.add_typer(config_app, name="config")
app.add_typer(feeds_app, name="feeds")
app.add_typer(telegram_app, name="telegram")


@dataclass
class Context:
    config_path: Path | None
    verbose: bool


@app.callback()
def _options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=f"Config file (TOML). Default: ${CONFIG_ENV}, else ./icesco-watch.toml, "
            "else the built-in defaults (icesco.org in en/ar/fr every 10 minutes).",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress too.")] = False,
) -> None:
    ctx.obj = Context(config, verbose)


def _load(ctx: typer.Context, log_warnings: bool = False) -> LoadedConfig:
    """The effective config, or exit 2 with one line per problem. Warnings go to stderr, or
    through the (structured) log for the service."""
    options: Context = ctx.obj
    try:
        loaded = load_config(options.config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(f"{exc.origin}: {problem}", err=True)
        raise typer.Exit(2) from None
    for warning in loaded.warnings:
        if log_warnings:
            logging.getLogger("icesco_watch.config").warning(warning)
        else:
            typer.echo(f"warning: {warning}", err=True)
    return loaded


def _settings(ctx: typer.Context, log_warnings: bool = False) -> Settings:
    return _load(ctx, log_warnings).settings


def _choose_sources(settings: Settings, keys: list[str] | None) -> list[SourceConfig]:
    if not keys:
        return [s for s in settings.sources if s.enabled]
    try:
        return [settings.source(key) for key in keys]
    except KeyError as exc:
        typer.echo(f"--source: {exc.args[0]}", err=True)
        raise typer.Exit(2) from None


@app.command()
def crawl(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Crawl only this source key (repeatable)."),
    ] = None,
    backfill: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Read N listing pages whatever they hold and re-fetch their articles "
            "(fills history; shows a progress bar on a terminal).",
        ),
    ] = None,
    deliver_timeout: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds to keep sending Telegram alerts after the crawl (needs the token); "
            "whatever is left stays in the outbox for the next run.",
        ),
    ] = 120,
) -> None:
    """Run one cycle now: crawl, store, publish feeds, send alerts. Exit 1 if a source failed.

    A first run per source stores a silent baseline (reported as baseline=N, new=0).
    """
    settings = _settings(ctx)
    configure_logging(logging.INFO if ctx.obj.verbose else logging.WARNING, structured=False)
    sources = _choose_sources(settings, source)
    engine = open_store(settings.storage.url)
    if backfill and sys.stderr.isatty():
        report = _with_progress(lambda cb: run_cycle(settings, engine, sources, backfill, cb))
    else:
        report = asyncio.run(run_cycle(settings, engine, sources, backfill))
    for source_report in report.sources:
        typer.echo(source_report.summary_line)
        for error in source_report.errors:
            typer.echo(f"  error: {error}")
        if source_report.health_event:
            typer.echo(f"  health: source is now {source_report.health_event}")
    if settings.telegram_token is not None:
        drained = asyncio.run(deliver_now(settings, engine, deliver_timeout))
        typer.echo(
            f"telegram: sent={drained.sent} failed={drained.failed} skipped={drained.skipped} "
            f"pending={drained.pending}"
        )
    else:
        with engine.connect() as conn:
            waiting = pending_counts(conn)["pending"]
        if waiting:
            typer.echo(f"telegram: off (no {TOKEN_ENV}); {waiting} alert(s) wait in the outbox")
    raise typer.Exit(1 if report.failed else 0)


def _with_progress(
    start: Callable[[ProgressCallback], Coroutine[Any, Any, CycleReport]],
) -> CycleReport:
    """Run a cycle under a progress bar that counts pages and articles as they arrive."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("backfill: pages and articles fetched", total=None)

        def advance(_source: str, _kind: str) -> None:
            progress.advance(task)

        return asyncio.run(start(advance))


@app.command()
def run(ctx: typer.Context) -> None:
    """Run the service: a crawl cycle every `schedule.interval`, structured logs on stderr."""
    configure_logging(logging.INFO, structured=True)
    settings = _settings(ctx, log_warnings=True)
    engine = open_store(settings.storage.url)
    service = Service(settings, engine, _choose_sources(settings, None))
    asyncio.run(service.run())


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per source.")] = False,
) -> None:
    """Per-source health (last run, last success, failures in a row, last error, items), then
    Telegram deliveries by status (with --json, a last line {"deliveries": {...}})."""
    settings = _settings(ctx)
    engine = open_store(settings.storage.url)
    with engine.connect() as conn:
        states = all_source_states(conn)
        counts = count_by_source(conn)
        held = quarantined(conn)
    keys = [s.key for s in settings.sources] + sorted(
        set(states) - {s.key for s in settings.sources}
    )
    for key in keys:
        state = states.get(key)
        row = {
            "key": key,
            "last_run": state.last_run.isoformat() if state and state.last_run else None,
            "last_ok": state.last_ok.isoformat() if state and state.last_ok else None,
            "consecutive_failures": state.consecutive_failures if state else 0,
            "last_error": state.last_error if state else None,
            "items": counts.get(key, 0),
            "quarantined": sum(article.source == key for article in held),
        }
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        health = (
            "never run"
            if state is None
            else (
                "ok"
                if not row["consecutive_failures"]
                else f"FAILING x{row['consecutive_failures']}"
            )
        )
        typer.echo(
            f"{key}: {health}  items={row['items']}  last_run={row['last_run'] or '-'}  "
            f"last_ok={row['last_ok'] or '-'}"
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
    if as_json:
        typer.echo(json.dumps({"deliveries": counts}))
    else:
        typer.echo("telegram deliveries: " + "  ".join(f"{k}={v}" for k, v in counts.items()))


@items_app.command("list")
def items_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many items.")] = 20,
    lang: Annotated[str | None, typer.Option(help="Only this language: en, ar or fr.")] = None,
    sector: Annotated[str | None, typer.Option(help="Only items tagged with this sector.")] = None,
) -> None:
    """The latest stored items, newest first."""
    if lang is not None and lang not in ("en", "ar", "fr"):
        typer.echo(f"--lang: {lang!r} is not one of en, ar, fr", err=True)
        raise typer.Exit(2)
    if sector is not None and not re.fullmatch(r"[a-z0-9-]+", sector):
        typer.echo(f"--sector: {sector!r} is not a sector key such as 'education'", err=True)
        raise typer.Exit(2)
    settings = _settings(ctx)
    engine = open_store(settings.storage.url)
    with engine.connect() as conn:
        stored = latest_items(conn, limit, lang, sector)
    for entry in stored:
        item = entry.item
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "key": item.key,
                        "url": item.url,
                        "lang": item.lang,
                        "title": item.title,
                        "published": item.published.isoformat(),
                        "summary": item.summary,
                        "sectors": list(item.sectors),
                        "topics": list(item.topics),
                        "site_categories": list(item.site_categories),
                        "first_seen": entry.first_seen.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            typer.echo(f"{item.published:%Y-%m-%d}  [{item.lang}]  {item.title}\n  {item.url}")


class _ClassifyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    text: str = ""
    categories: list[str] = []
    lang: Literal["en", "ar", "fr"] | None = None


@app.command()
def classify(ctx: typer.Context) -> None:
    """Tag text with the configured taxonomy: JSON lines in, JSON lines out.

    Each stdin line is {"title": ..., "text": ..., "categories": [...]?, "lang": "en|ar|fr"?};
    each stdout line is {"sectors": [...], "evidence": {sector: [reasons]}, "topics": [...]}.
    A bad line gets {"error": ..., "line": N} in its place; the exit code is then 1.

    Example: echo '{"title": "ICESCO Education Sector trains teachers"}' | icesco-watch classify
    """
    tagger = Tagger(_settings(ctx))
    bad = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            given = _ClassifyInput.model_validate_json(line)
        except ValidationError as exc:
            bad += 1
            problem = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()
            )
            typer.echo(json.dumps({"error": problem, "line": number}, ensure_ascii=False))
            continue
        tags, topics = tagger.classify(given.title, given.text, tuple(given.categories), given.lang)
        answer = {
            "sectors": list(tags.sectors),
            "evidence": {k: list(v) for k, v in tags.evidence.items()},
            "topics": list(topics),
        }
        typer.echo(json.dumps(answer, ensure_ascii=False))
    if bad:
        typer.echo(f"{bad} line(s) could not be read; see the error lines", err=True)
        raise typer.Exit(1)


@app.command()
def retag(ctx: typer.Context) -> None:
    """Re-apply the current sector taxonomy and topics to every stored item.

    Run it after editing [[sectors]] or [[topics]] in the config; only tags change (no new
    alerts, versions untouched).
    """
    settings = _settings(ctx)
    tagger = Tagger(settings)
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        examined, changed = retag_items(conn, tagger.tag)
    typer.echo(f"retagged {examined} item(s): {changed} changed")
    if changed:
        # An item may have left a sector: only a full rebuild drops it from that feed.
        published = build_all(settings, engine)
        typer.echo(f"feeds rebuilt: {len(published.written)} file(s) changed")


@feeds_app.command("build")
def feeds_build(ctx: typer.Context) -> None:
    """Regenerate every feed, the OPML list and the index page from the store."""
    settings = _settings(ctx)
    engine = open_store(settings.storage.url)
    report = build_all(settings, engine)
    typer.echo(
        f"feeds: {len(report.written)} written, {len(report.unchanged)} unchanged "
        f"in {settings.feeds.dir}"
    )


@app.command()
def serve(ctx: typer.Context) -> None:
    """Serve the feeds (and /healthz) alone, without crawling; stop with Ctrl-C."""
    configure_logging(logging.INFO, structured=True)
    settings = _settings(ctx, log_warnings=True)
    engine = open_store(settings.storage.url)
    if not (Path(settings.feeds.dir) / "index.html").is_file():
        logging.getLogger("icesco_watch.feeds").warning(
            "no feeds in %s yet; run `icesco-watch feeds build` or `icesco-watch crawl`",
            settings.feeds.dir,
        )
    asyncio.run(_serve(FeedServer(settings, engine)))


async def _serve(server: FeedServer) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await server.start()
    # On stdout, so a script (or a test with port 0) learns the address.
    typer.echo(f"serving feeds at {server.url}/")
    sys.stdout.flush()
    try:
        await stopping.wait()
    finally:
        await server.stop()


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the config and print the effective settings (exit 2 with one line per problem)."""
    loaded = _load(ctx)
    token = "set (hidden)" if loaded.settings.telegram_token else "not set: Telegram alerts are off"
    typer.echo(f"# effective config from {loaded.origin}\n# ${TOKEN_ENV}: {token}\n")
    typer.echo(render_toml(loaded.settings), nl=False)


@telegram_app.command("test")
def telegram_test(
    ctx: typer.Context,
    chat: Annotated[
        str, typer.Option("--chat", help="Chat id (e.g. 123456 or -100123) or @channel.")
    ],
) -> None:
    """Send a test alert (the newest stored item, else a sample) and print Telegram's answer."""
    settings = _settings(ctx)
    if settings.telegram_token is None:
        typer.echo(f"no bot token: set {TOKEN_ENV} to the token @BotFather gave you", err=True)
        raise typer.Exit(2)
    if not re.fullmatch(r"-?\d+|@\w{4,}", chat):
        typer.echo(
            f"--chat: {chat!r} is not a chat id such as 123456, -100123 or @channel", err=True
        )
        raise typer.Exit(2)
    configure_logging(logging.INFO if ctx.obj.verbose else logging.WARNING, structured=False)
    engine = open_store(settings.storage.url)
    result = asyncio.run(send_test_alert(settings, engine, chat))
    if result.error is not None:
        typer.echo(f"Telegram refused the test alert to {chat}: {result.error}", err=True)
        raise typer.Exit(1)
    typer.echo(f"sent: message_id={result.message_id} chat={chat} item={result.item.key}")


def main() -> None:
    app()
