"""The index page (`/`): latest items, every feed's link, the bot's link, a custom feed form.

Pure: data in, HTML bytes out. Every scraped string passes through `html.escape`, and only
http(s) item URLs become links, so nothing from the site can inject markup or a script.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.build import clean_line
from icesco_watch.feeds.catalog import (
    FEED_LANGS,
    LANG_LABELS,
    OPML_FILE,
    FeedSpec,
    Format,
    feed_specs,
)
from icesco_watch.models import NewsItem

INDEX_LATEST = 10
INDEX_PER_SECTOR = 5
PAGE_TITLE = "ICESCO news feeds"
_FORMAT_NAMES: tuple[tuple[Format, str], ...] = (("rss", "RSS"), ("atom", "Atom"))
_COLUMN_LABELS = {"en": "English", "ar": "العربية", "fr": "Français", "all": "All languages"}
_STYLE = """
body { font-family: "DejaVu Sans", sans-serif; max-width: 60rem; margin: 1.5rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1d2733; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #0d6e5c; padding-bottom: 0.2rem; }
h3 { margin: 1rem 0 0.3rem; } li { margin: 0.25rem 0; }
ol { padding: 0 1.6rem; } /* both sides: a right-to-left item puts its number on the right */
time, .tags, .empty { color: #5a6673; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #d5dbe1; padding: 0.25rem 0.5rem; text-align: start; }
a { color: #0b5cad; }
form label { display: inline-block; margin: 0 1rem 0.5rem 0; }
""".strip()


@dataclass(frozen=True, slots=True)
class IndexData:
    """What the page shows: newest items overall, and newest per sector key."""

    settings: Settings
    latest: Sequence[NewsItem]
    by_sector: Mapping[str, Sequence[NewsItem]]


def render_index(data: IndexData) -> bytes:
    settings = data.settings
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{PAGE_TITLE}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{PAGE_TITLE}</h1>",
        "<p>News from ICESCO in English, Arabic and French, watched by icesco-watch. "
        "Subscribe to any feed below in a feed reader, or import "
        f'<a href="{OPML_FILE}">all feeds (OPML)</a>.</p>',
        _telegram_line(settings),
        "</header>",
        '<section id="latest"><h2>Latest news</h2>',
        _item_list(data.latest, settings),
        "</section>",
        '<section id="sectors"><h2>By sector</h2>',
    ]
    for sector in settings.sectors:
        parts.append(
            f'<h3 id="sector-{sector.key}">{html.escape(sector.name.en)} '
            f'<span class="tags">· {html.escape(sector.name.fr)} · '
            f'<bdi lang="ar">{html.escape(sector.name.ar)}</bdi></span></h3>'
        )
        parts.append(_item_list(data.by_sector.get(sector.key, ()), settings))
    parts += ["</section>", '<section id="feeds"><h2>Feeds</h2>', _feed_table(settings)]
    parts += ["</section>", '<section id="custom"><h2>Your own feed</h2>', _custom_form(settings)]
    parts += ["</section>", "</body>", "</html>", ""]
    return "\n".join(part for part in parts if part).encode("utf-8")


def _telegram_line(settings: Settings) -> str:
    username = settings.telegram.bot_username
    if not username:
        return ""
    url = html.escape(f"https://t.me/{username}")
    return f'<p>Alerts on Telegram: <a href="{url}">@{html.escape(username)}</a></p>'


def _item_list(items: Sequence[NewsItem], settings: Settings) -> str:
    if not items:
        return '<p class="empty">No items yet.</p>'
    return "<ol>\n" + "\n".join(_item(item, settings) for item in items) + "\n</ol>"


def _item(item: NewsItem, settings: Settings) -> str:
    lang = item.lang if item.lang in LANG_LABELS else "en"
    direction = ' dir="rtl"' if lang == "ar" else ""
    title = html.escape(clean_line(item.title) or item.url)
    url = clean_line(item.url)
    link = (
        f'<a href="{html.escape(url)}">{title}</a>'
        if urlsplit(url).scheme in ("http", "https")
        else title
    )
    names = [_sector_name(settings, key, lang) for key in item.sectors]
    tags = " · ".join(html.escape(name) for name in names if name)
    return (
        f'<li lang="{lang}"{direction}>{link} '
        f'<time dir="ltr" datetime="{item.published.isoformat()}">'
        f"{item.published:%Y-%m-%d}</time>"
        + (f' <span class="tags">{tags}</span>' if tags else "")
        + "</li>"
    )


def _sector_name(settings: Settings, key: str, lang: str) -> str | None:
    try:
        return settings.sector(key).name.get(lang)
    except KeyError:
        return None


def _custom_form(settings: Settings) -> str:
    """A GET form whose submission is the custom feed's address (no script: the page's CSP
    forbids them); the Atom button only changes the form's action."""
    langs = "".join(
        f'<option value="{lang}">{_COLUMN_LABELS[lang]}</option>'
        for lang in ("all", *FEED_LANGS[:3])
    )
    sectors = "".join(
        f'<option value="{html.escape(s.key)}">{html.escape(s.name.en)}</option>'
        for s in settings.sectors
    )
    topics = "".join(
        f'<option value="{html.escape(t.key)}">{html.escape(t.label("en"))}</option>'
        for t in settings.topics
    )
    return "\n".join(
        [
            "<p>Pick a language, a sector, a topic and words (whole words; commas separate "
            "alternatives), then subscribe to the address the button opens.</p>",
            '<form method="get" action="feed.rss">',
            f'<label>Language <select name="lang">{langs}</select></label>',
            '<label>Sector <select name="sector"><option value="">any</option>'
            f"{sectors}</select></label>",
            '<label>Topic <select name="topic"><option value="">any</option>'
            f"{topics}</select></label>",
            '<label>Words <input type="text" name="q" maxlength="100" '
            'placeholder="patrimoine, heritage"></label>',
            '<button type="submit">RSS</button>',
            '<button type="submit" formaction="feed.atom">Atom</button>',
            "</form>",
        ]
    )


def _feed_table(settings: Settings) -> str:
    specs = feed_specs(settings)
    rows = ["<table>", "<thead><tr><th>Feed</th>"]
    rows += [f"<th>{_COLUMN_LABELS[lang]}</th>" for lang in FEED_LANGS]
    rows.append("</tr></thead><tbody>")
    subjects = [s for s in specs if s.lang == FEED_LANGS[0]]
    for subject in subjects:
        label = "All news" if subject.kind == "all" else subject.subject(settings)
        if subject.kind == "topic":
            label = f"Topic: {label}"
        rows.append(f"<tr><th>{html.escape(label)}</th>")
        for lang in FEED_LANGS:
            spec = FeedSpec(lang, subject.kind, subject.key)
            title = html.escape(spec.title(settings))
            links = " · ".join(
                f'<a href="{spec.path(fmt)}" title="{title} ({name})">{name}</a>'
                for fmt, name in _FORMAT_NAMES
            )
            rows.append(f"<td>{links}</td>")
        rows.append("</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)
