"""Keeping the bot's gettext catalogs in step with the code: extract, update, compile, check.

Maintenance only (`tools/i18n.py` and the tests); the bot itself loads the compiled .mo files
through `i18n.py` with the standard library. Extraction is Babel's, configured by `babel.cfg`
at the repository root (the Python files of the package; the keywords `gettext`, `ngettext`
and `N_`; comments starting `Translators:` reach the .po files). Output is deterministic (no
source locations, sorted, a fixed header date), so re-running changes nothing and branches
that add strings merge as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from icesco_watch.notifiers.telegram.i18n import DEFAULT_UI_LANG, DOMAIN, UI_LANGS

PACKAGE = Path(__file__).resolve().parents[2]  # icesco_watch/
LOCALE_DIR = PACKAGE / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
BABEL_CFG = PACKAGE.parent / "babel.cfg"
TRANSLATED = tuple(lang for lang in UI_LANGS if lang != DEFAULT_UI_LANG)
COMMENT_TAGS = ("Translators:",)
FIXED_DATE = datetime(2026, 11, 30, tzinfo=UTC)  # headers do not change on every run
PROJECT = "icesco-watch"

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")
_COMMAND = re.compile(r"(?<![\w/])/[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one entry of one catalog."""

    lang: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.reason}: {self.msgid!r}"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Catalog:
    """Every msgid of the package's code, as a template catalog."""
    template = _new_catalog(None)
    method_map, options_map = _babel_config()
    found = extract_from_dir(
        str(PACKAGE.parent),
        method_map=method_map,
        options_map=options_map,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for _filename, _lineno, message, comments, context in found:
        template.add(message, None, auto_comments=comments, context=context)
    return template


def load_po(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def update_catalogs(template: Catalog) -> None:
    """Write the template, merge it into each language's .po (new entries empty, changed ones
    fuzzy, removed ones dropped), and compile each .mo."""
    _write_po(TEMPLATE, template)
    for lang in TRANSLATED:
        path = po_path(lang)
        catalog = load_po(lang) if path.exists() else _new_catalog(lang)
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()  # git keeps history; a dead msgid only confuses translators
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_po(path, catalog)
        mo_path(lang).write_bytes(compiled(catalog))


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes of `catalog` (fuzzy entries left out, as gettext would)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def problems(template: Catalog, catalog: Catalog) -> Iterator[Problem]:
    """What `catalog` (one language's .po) lacks against `template`: missing, empty or fuzzy
    entries, and translations whose placeholders, HTML tags or commands differ from the msgid's."""
    lang = str(catalog.locale)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None:
            yield Problem(lang, _key(message), "missing")
            continue
        if found.fuzzy:
            yield Problem(lang, _key(message), "fuzzy")
        ids = _texts(found.id)
        strings = _texts(found.string)
        plural = len(ids) > 1
        if not all(strings) or (plural and len(strings) != catalog.num_plurals):
            yield Problem(lang, _key(message), "untranslated")
            continue
        expected = _found(_PLACEHOLDER, ids[-1])
        for string in strings:
            placeholders = _found(_PLACEHOLDER, string)
            if plural:  # a form for one or two may say so in words instead of "{n}"
                expected = [p for p in expected if p != "n"]
                placeholders = [p for p in placeholders if p != "n"]
            if placeholders != expected:
                yield Problem(lang, _key(message), f"placeholders differ in {string!r}")
            if _found(_TAG, ids[-1]) != _found(_TAG, string):
                yield Problem(lang, _key(message), f"tags differ in {string!r}")
            if _commands(ids[0]) != _commands(string):
                yield Problem(lang, _key(message), f"commands differ in {string!r}")


def _texts(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple of texts (one, or one per plural form)."""
    values = value if isinstance(value, tuple | list) else (value,)
    return tuple(str(v) if v else "" for v in values)


def _commands(text: str) -> set[str]:
    return set(_COMMAND.findall(_TAG.sub("", text)))  # "</b>" is a tag, not a command


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return sorted(pattern.findall(text))


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else str(message.id)


def _new_catalog(lang: str | None) -> Catalog:
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        project=PROJECT,
        version="",
        copyright_holder="the icesco-watch authors",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def _write_po(path: Path, catalog: Catalog) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, sort_output=True, include_previous=True)
    path.write_bytes(out.getvalue())


def _babel_config() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    with BABEL_CFG.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp, filename=str(BABEL_CFG))  # type: ignore[no-untyped-call]
    return list(method_map), dict(options_map)
