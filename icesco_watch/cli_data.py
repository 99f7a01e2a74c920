"""The commands that read and rework the store's data: `items list`, `classify`, `retag` and
the schema's `db upgrade` / `db current` (split from cli.py, which builds the service's parts)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.publish import build_all
from icesco_watch.session import load
from icesco_watch.store.engine import create_store_engine
from icesco_watch.store.items import latest_items, retag_items
from icesco_watch.store.links import related
from icesco_watch.store.migrate import current_revision, upgrade
from icesco_watch.store.schema import open_store
from icesco_watch.tagging import Tagger

MAX_LIMIT = 100_000  # items list --limit
items_app = typer.Typer(help="Read the stored news items.", no_args_is_help=True)
db_app = typer.Typer(
    help="The store's schema version: `db current` shows it, `db upgrade` migrates the store "
    "after installing a new icesco-watch (back it up first).",
    no_args_is_help=True,
)


def register_data_commands(app: typer.Typer) -> None:
    """Add `classify` and `retag` to the top-level command."""
    app.command()(classify)
    app.command()(retag)


def _settings(ctx: typer.Context) -> Settings:
    return load(ctx.obj).settings


@items_app.command("list")
def items_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    # The bound keeps a huge --limit a usage error rather than an overflow in the database.
    limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT, help="How many items.")] = 20,
    lang: Annotated[str | None, typer.Option(help="Only this language: en, ar or fr.")] = None,
    sector: Annotated[str | None, typer.Option(help="Only items tagged with this sector.")] = None,
) -> None:
    """The latest stored items, newest first."""
    if lang is not None and lang not in ("en", "ar", "fr"):
        typer.echo(f"--lang: {lang!r} is not one of en, ar, fr", err=True)
        raise typer.Exit(2)
    settings = _settings(ctx)
    known = [s.key for s in settings.sectors]
    if sector is not None and sector not in known:  # a typo would list nothing, silently
        typer.echo(
            f"--sector: {sector!r} is not a configured sector; known: {', '.join(known)}", err=True
        )
        raise typer.Exit(2)
    engine = open_store(settings.storage.url)
    with engine.connect() as conn:
        stored = latest_items(conn, limit, lang, sector)
        others = related(conn, [entry.item.key for entry in stored])
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
                        "related": others[item.key],
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


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Migrate the store to this version's schema (creates an empty store); safe to repeat."""
    settings = _settings(ctx)
    before, after = upgrade(create_store_engine(settings.storage.url))
    if before == after:
        typer.echo(f"store schema already at {after} (current)")
    else:
        typer.echo(f"store schema upgraded: {before or 'empty'} -> {after}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the store's schema revision and this version's (exit 1 when they differ)."""
    settings = _settings(ctx)
    state = current_revision(create_store_engine(settings.storage.url))
    shown = state.current or "empty (no tables yet)"
    if state.up_to_date:
        typer.echo(f"store schema: {shown} (current)")
        return
    advice = "run `icesco-watch db upgrade`" if state.known else "upgrade icesco-watch"
    typer.echo(f"store schema: {shown}; this version needs {state.head}: {advice}")
    raise typer.Exit(1)
