"""The `icesco-watch` command: builds components from the config and calls them; nothing else.

Each command imports the parts it runs when it runs (Scrapy, aiohttp, python-telegram-bot,
APScheduler, Alembic): `--help` and `config check` need none of them, and loading them all made
every invocation pay about 2 s before doing anything (bench/cli_start.py measures it).
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icesco_watch.cli_data import db_app, items_app, register_data_commands
from icesco_watch.cli_status import status
from icesco_watch.config.loader import (
    CONFIG_ENV,
    TOKEN_ENV,
    LoadedConfig,
    environment_secrets,
)
from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.fatal import GuardedGroup, describe
from icesco_watch.redaction import protect_token, redact
from icesco_watch.session import LogFormatOption, begin, load, require_writable_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from icesco_watch.feeds.server import FeedServer
    from icesco_watch.models import CycleReport

CYCLE_WAIT = 600.0  # seconds `crawl` waits for a service's cycle in progress to end

app = typer.Typer(
    help="Watches ICESCO's news (English, Arabic, French), detects new items and records them.\n\n"
    "Start with `icesco-watch config check` to see what will be watched, then "
    "`icesco-watch crawl` for one cycle, or `icesco-watch run` for the service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=GuardedGroup,
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
telegram_app = typer.Typer(help="Telegram alerts.", no_args_is_help=True)
feeds_app = typer.Typer(help="The RSS/Atom feeds written under feeds.dir.", no_args_is_help=True)
app.add_typer(items_app, name="items")
app.add_typer(config_app, name="config")
app.add_typer(feeds_app, name="feeds")
app.add_typer(telegram_app, name="telegram")
app.add_typer(db_app, name="db")
register_data_commands(app)


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
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Log progress too, and show the (secret-free) traceback of an error.",
        ),
    ] = False,
    log_format: Annotated[
        LogFormatOption,
        typer.Option(
            "--log-format",
            help="Log lines on stderr: 'human' (time, level, message), 'json' (one object per "
            "line, for journald or a log shipper), or 'auto': human on a terminal, JSON otherwise.",
        ),
    ] = LogFormatOption.auto,
) -> None:
    ctx.obj = begin(config, verbose, log_format)


def _load(ctx: typer.Context, level: int | None = None) -> LoadedConfig:
    return load(ctx.obj, level)


def _settings(ctx: typer.Context, level: int | None = None) -> Settings:
    return load(ctx.obj, level).settings


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
            "(fills history).",
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

    A first run per source stores a silent baseline (reported as baseline=N, new=0). On a
    terminal, one progress line per source counts the pages fetched (a first crawl of the three
    built-in sources takes about a minute at the polite delay). Exit 1 also when Telegram
    refuses the token or cannot be reached: the line says which key to check.
    """
    from icesco_watch.progress import crawl_with_progress
    from icesco_watch.scheduler.alerts import deliver_now
    from icesco_watch.scheduler.cycle import run_cycle
    from icesco_watch.store.notices import notice_counts
    from icesco_watch.store.outbox import pending_counts
    from icesco_watch.store.schema import open_store

    settings = _settings(ctx)
    sources = _choose_sources(settings, source)
    engine = open_store(settings.storage.url)
    require_writable_dir(settings.feeds.dir)
    if sys.stderr.isatty():
        title = "backfill" if backfill else "crawl"
        report = crawl_with_progress(
            title,
            [s.key for s in sources],
            lambda cb: _exclusive(engine, run_cycle(settings, engine, sources, backfill, cb)),
        )
    else:
        report = asyncio.run(_exclusive(engine, run_cycle(settings, engine, sources, backfill)))
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
            notices = notice_counts(conn)["pending"]
        if waiting or notices:
            typer.echo(
                f"telegram: off (no {TOKEN_ENV}); {waiting} alert(s) and {notices} admin "
                "notice(s) wait in the outbox"
            )
    raise typer.Exit(1 if report.failed else 0)


async def _exclusive(engine: Engine, cycle: Coroutine[Any, Any, CycleReport]) -> CycleReport:
    """Run `cycle` once no other instance (a running service) is in a cycle on this store."""
    from icesco_watch.scheduler.instances import CycleBusy, one_cycle
    from icesco_watch.store.leases import instance_id

    try:
        async with one_cycle(engine, instance_id(), wait=CYCLE_WAIT):
            return await cycle
    except CycleBusy as busy:
        cycle.close()
        typer.echo(f"crawl: {busy}; try again later", err=True)
        raise typer.Exit(1) from None


@app.command()
def run(ctx: typer.Context) -> None:
    """Run the service: crawl every `schedule.interval`, serve the feeds, send Telegram alerts.

    Telegram needs the token in $ICESCO_WATCH_TELEGRAM_TOKEN. Logs go to stderr (see
    --log-format); a fault such as a port in use ends it with one line naming the key to fix
    and exit 1. Stop it with Ctrl-C or SIGTERM.
    """
    from icesco_watch.scheduler.service import Service
    from icesco_watch.store.schema import open_store

    settings = _settings(ctx, logging.INFO)
    engine = open_store(settings.storage.url)
    require_writable_dir(settings.feeds.dir)
    service = Service(settings, engine, _choose_sources(settings, None))
    asyncio.run(service.run())


@app.command()
def doctor(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Check only this source key (repeatable)."),
    ] = None,
) -> None:
    """Check live sources: robots.txt, which channels answer (REST API, feed, HTML) and which
    is chosen, the newest items with date, categories, sectors and where each field came from
    (og:title, JSON-LD datePublished, trafilatura, REST date_gmt ...), and plain warnings.
    Stores nothing. Exit 0 when every checked source is usable, 1 otherwise."""
    from icesco_watch.doctor import run_doctor

    settings = _settings(ctx, logging.INFO if ctx.obj.verbose else logging.ERROR)
    diagnoses = run_doctor(settings, _choose_sources(settings, source))
    for diagnosis in diagnoses:
        typer.echo("\n".join(diagnosis.lines()))
    if not all(d.usable for d in diagnoses):
        raise typer.Exit(1)


app.command()(status)  # cli_status.py; registered here to keep the order of --help


@feeds_app.command("build")
def feeds_build(ctx: typer.Context) -> None:
    """Regenerate every feed, the OPML list and the index page from the store."""
    from icesco_watch.feeds.publish import build_all
    from icesco_watch.store.schema import open_store

    settings = _settings(ctx)
    engine = open_store(settings.storage.url)
    require_writable_dir(settings.feeds.dir)
    report = build_all(settings, engine)
    typer.echo(
        f"feeds: {len(report.written)} written, {len(report.unchanged)} unchanged "
        f"in {settings.feeds.dir}"
    )


@app.command()
def serve(ctx: typer.Context) -> None:
    """Serve the feeds (and /healthz) alone, without crawling; stop with Ctrl-C."""
    from icesco_watch.feeds.server import FeedServer
    from icesco_watch.store.schema import open_store

    settings = _settings(ctx, logging.INFO)
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
    from icesco_watch.config.render import render_toml

    loaded = _load(ctx)
    token = "set (hidden)" if loaded.settings.telegram_token else "not set: Telegram alerts are off"
    typer.echo(f"# effective config from {loaded.origin}\n# ${TOKEN_ENV}: {token}\n")
    # The URLs' passwords are secrets like the token: shown as *** here as in every log line.
    typer.echo(redact(render_toml(loaded.settings)), nl=False)


@telegram_app.command("test")
def telegram_test(
    ctx: typer.Context,
    chat: Annotated[
        str, typer.Option("--chat", help="Chat id (e.g. 123456 or -100123) or @channel.")
    ],
) -> None:
    """Send a test alert (the newest stored item, else a sample) and print Telegram's answer."""
    from icesco_watch.notifiers.telegram.probe import send_test_alert
    from icesco_watch.store.schema import open_store

    settings = _settings(ctx)
    if settings.telegram_token is None:
        typer.echo(f"no bot token: set {TOKEN_ENV} to the token @BotFather gave you", err=True)
        raise typer.Exit(2)
    if not re.fullmatch(r"-?\d+|@\w{4,}", chat):
        typer.echo(
            f"--chat: {chat!r} is not a chat id such as 123456, -100123 or @channel", err=True
        )
        raise typer.Exit(2)
    engine = open_store(settings.storage.url)
    result = asyncio.run(send_test_alert(settings, engine, chat))
    if result.error is not None and not result.answered:
        typer.echo(
            f"telegram.api_base_url: could not reach the Bot API at "
            f"{redact(settings.telegram.api_base_url)!r} to send the test alert to {chat}: "
            f"{result.error}",
            err=True,
        )
        raise typer.Exit(1)
    if result.error is not None and not result.understood:
        typer.echo(
            f"telegram.api_base_url: the server at {redact(settings.telegram.api_base_url)!r} "
            f"answered the test alert to {chat} with no Telegram answer ({result.error}); "
            "is it the Bot API?",
            err=True,
        )
        raise typer.Exit(1)
    if result.error is not None:
        typer.echo(f"Telegram refused the test alert to {chat}: {result.error}", err=True)
        raise typer.Exit(1)
    typer.echo(f"sent: message_id={result.message_id} chat={chat} item={result.item.key}")


def main() -> None:
    """The `icesco-watch` entry point. The environment's token is protected before anything
    runs; an error that escapes even the command group's boundary is still one scrubbed line."""
    for secret in environment_secrets():
        protect_token(secret)
    try:
        app()
    except Exception as exc:
        sys.stderr.write(f"icesco-watch: {describe(exc, None)}\n")
        sys.exit(1)
