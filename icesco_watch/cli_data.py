"""The commands that read and rework the store's data: `items list`, `classify`, `retag` and
the schema's `db upgrade` / `db current` (split from cli.py, which builds the service's parts).
Like cli.py, each command imports the store, the tagger and the feeds when it runs."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from icesco_watch.config.schema import Settings
from icesco_watch.session import load

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
    from icesco_watch.store.items import latest_items
    from icesco_watch.store.links import related
    from icesco_watch.store.schema import open_store

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


# A line of the labelled corpus (tests/tagging/data/real, docs/sectors.md) is read as it is, so
# labelled files can be piped to `classify`: its lead and body are the text (as the evaluation
# reads them) and its other keys (`corpus.LABEL_KEYS`) are set aside. Any other key is still
# refused: a misspelt "txt" must not quietly classify the title alone.


class _ClassifyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    text: str = ""
    lead: str | None = None
    body: str = ""
    categories: list[str] = []
    lang: Literal["en", "ar", "fr"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _corpus_line(cls, data: Any) -> Any:
        from icesco_watch.tagging.corpus import LABEL_KEYS

        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in LABEL_KEYS}
        return data

    @field_validator("categories", mode="before")
    @classmethod
    def _no_categories(cls, value: Any) -> Any:
        """`"categories": null` is no categories, as `"lang": null` is no language."""
        return [] if value is None else value

    @model_validator(mode="after")
    def _one_text(self) -> _ClassifyInput:
        if self.lead is None and self.body:
            raise ValueError("body needs its lead (a corpus line has both)")
        if self.lead is not None and self.text:
            raise ValueError("give text, or lead and body (a corpus line), not both")
        return self

    def full_text(self) -> str:
        """What the classifier reads besides the title (a corpus line: lead, then body)."""
        from icesco_watch.tagging.corpus import lead_and_body

        return self.text if self.lead is None else lead_and_body(self.lead, self.body)


def classify(ctx: typer.Context) -> None:
    r"""Tag text with the configured taxonomy: JSON lines in, JSON lines out.

    Each stdin line is {"title": ..., "text": ..., "categories": [...]?, "lang": "en|ar|fr"?}
    or a line of the labelled corpus (its lead and body are the text; id, url, sectors and its
    other labels are set aside); each stdout line is {"sectors": [...], "evidence": {sector:
    \[reasons]}, "topics": [...]}.
    A bad line gets {"error": ..., "line": N} in its place; the exit code is then 1.

    Example: echo '{"title": "ICESCO Education Sector trains teachers"}' | icesco-watch classify
    """
    from icesco_watch.tagging import Tagger

    tagger = Tagger(_settings(ctx))
    bad = 0
    for number, line in enumerate(sys.stdin, start=1):
        if number == 1:  # a byte order mark, as Windows editors save UTF-8, is not JSON
            line = line.removeprefix("\ufeff")
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
        tags, topics = tagger.classify(
            given.title, given.full_text(), tuple(given.categories), given.lang
        )
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
    r"""Re-apply the current sector taxonomy and topics to every stored item.

    Run it after editing \[\[sectors]] or \[\[topics]] in the config; only tags change (no new
    alerts, versions untouched).
    """
    from icesco_watch.feeds.publish import build_all
    from icesco_watch.store.items import retag_items
    from icesco_watch.store.schema import open_store
    from icesco_watch.tagging import Tagger

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
    from icesco_watch.store.engine import create_store_engine
    from icesco_watch.store.migrate import upgrade

    settings = _settings(ctx)
    before, after = upgrade(create_store_engine(settings.storage.url))
    if before == after:
        typer.echo(f"store schema already at {after} (current)")
    else:
        typer.echo(f"store schema upgraded: {before or 'empty'} -> {after}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the store's schema revision and this version's (exit 1 when they differ)."""
    from icesco_watch.store.engine import create_store_engine
    from icesco_watch.store.migrate import current_revision

    settings = _settings(ctx)
    state = current_revision(create_store_engine(settings.storage.url))
    shown = state.current or "empty (no tables yet)"
    if state.up_to_date:
        typer.echo(f"store schema: {shown} (current)")
        return
    advice = "run `icesco-watch db upgrade`" if state.known else "upgrade icesco-watch"
    typer.echo(f"store schema: {shown}; this version needs {state.head}: {advice}")
    raise typer.Exit(1)
