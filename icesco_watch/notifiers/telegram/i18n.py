"""The bot's interface language: gettext catalogs for English, Arabic and French, and bidi care.

English is the source language: every user-visible string of the bot is an English msgid,
written in the code through a `Translator`:

    t = translator(chat_ui_lang)                 # cached; unknown or None -> English
    t.gettext("Following {label}.", label=label)
    t.ngettext("Removed {n} subscription.", "Removed {n} subscriptions.", removed)
    REFUSAL = N_("Only admins can do that.")      # module constant: marked, translated later
    t.gettext(REFUSAL)

`gettext`/`ngettext` translate, then fill `{name}` placeholders with `str.format` (`n` is
always available to `ngettext`). Placeholder values are inserted as given: escape user or
scraped text for HTML before passing it. In Arabic (right to left) every inserted value that
holds Latin letters or digits is wrapped in Unicode isolates (FSI U+2068 ... PDI U+2069), and
so is every literal command with its Latin arguments (`/lang en|ar|fr|all`) and every other
Latin word or number of the translation, so a mixed line reads in the right order. Pass a
command with its argument as one value (`{command}` = "/subscribe education"), never as
"/{name}", so an isolate never splits it.

Catalogs: `icesco_watch/locale/{ar,fr}/LC_MESSAGES/messages.po` (kept in git, translated by
hand) and the compiled `messages.mo` beside them (shipped as package data and loaded with the
standard library's gettext, so a plain `pip install` needs no build step and no Babel at run
time; tests/notifiers/telegram/test_i18n.py proves the .mo files match the .po files and that
no msgid is missing, fuzzy or has other placeholders in either language).

To add or change a string: write it in the code through `t.gettext`/`t.ngettext`/`N_`, then run

    .venv/bin/python tools/i18n.py

which extracts the msgids with Babel (config: `babel.cfg`) into `icesco_watch/locale/messages.pot`,
updates both .po files, and compiles the .mo files. Translate the new (empty or fuzzy) entries
in the .po files, run it again, and commit the .pot, .po and .mo files together.
`tools/i18n.py --check` reports what is missing without writing anything.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

UI_LANGS = ("en", "ar", "fr")
DEFAULT_UI_LANG = "en"
RTL_LANGS = frozenset({"ar"})
# Each language under its own name: how a language is offered to someone who may not read ours.
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}
DOMAIN = "messages"

FSI = "\u2068"  # first strong isolate: the insert takes its own direction
PDI = "\u2069"  # pop directional isolate
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")
_TAGS = re.compile(r"<[^>]*>")
_ISOLATED = re.compile("\u2068[^\u2069]*\u2069")  # already isolated: needs no second one
# What an Arabic template holds, in the order it is recognised: markup and placeholders (kept),
# commands with the whole Latin (ASCII) words typed after them ("/lang en|ar|fr|all"; never the
# "/b" of "</b>", never "&lt;" of "&lt;قطاع&gt;") and other Latin words or numbers (isolated).
_RTL_TOKENS = re.compile(
    r"(?P<keep><[^>]*>|&#?\w+;|\{\w+\}|\u2068[^\u2069]*\u2069)"
    r"|(?P<command>(?<![\w/<])/[A-Za-z][A-Za-z0-9_]*(?:@\w+)?(?:[ ]+[!-;=?-~]+(?=\s|$))*)"
    r"|(?P<latin>[A-Za-z0-9]+(?:[-_.'][A-Za-z0-9]+)*)"
)
_TRAILING = ".,:!?"


def N_(message: str) -> str:  # gettext's conventional name, a keyword for Babel
    """Mark a module-level string for extraction; translate it where it is shown."""
    return message


def ui_lang_for(language_code: str | None) -> str:
    """The interface language for a Telegram `language_code` ("ar-EG" -> "ar"; others "en")."""
    base = re.split(r"[-_]", (language_code or "").strip().casefold(), maxsplit=1)[0]
    return base if base in UI_LANGS else DEFAULT_UI_LANG


class Translator:
    """One interface language's catalog, with placeholder filling and bidi isolation."""

    def __init__(self, locale: str, catalog: gettext.NullTranslations) -> None:
        self.locale = locale
        self.rtl = locale in RTL_LANGS
        self._catalog = catalog

    def gettext(self, message: str, /, **values: object) -> str:
        """`message` in this language, with `values` filled in."""
        return self._fill(self._catalog.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of `singular`/`plural` for `n` in this language; `{n}` is filled in too."""
        return self._fill(self._catalog.ngettext(singular, plural, n), {"n": n, **values})

    def join(self, items: Iterable[str]) -> str:
        """`items` as a list in this language: separated by the Arabic comma "،" in Arabic,
        by "," otherwise."""
        return ("\u060c " if self.locale == "ar" else ", ").join(items)

    def isolate(self, text: str) -> str:
        """`text` isolated (FSI ... PDI) when this language is right to left and `text` holds
        Latin letters or digits (outside tags and isolates); otherwise unchanged."""
        if not self.rtl or not _LATIN_OR_DIGIT.search(_ISOLATED.sub("", _TAGS.sub("", text))):
            return text
        return FSI + text + PDI

    def _fill(self, template: str, values: dict[str, object]) -> str:
        if self.rtl:
            template = _RTL_TOKENS.sub(self._isolate_token, template)
        if not values:
            return template
        return template.format(**{k: self.isolate(str(v)) for k, v in values.items()})

    def _isolate_token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if match.group("keep"):
            return token
        kept = token.rstrip(_TRAILING) if match.group("command") else token
        return FSI + kept + PDI + token[len(kept) :]


@cache
def translator(locale: str | None) -> Translator:
    """The translator for `locale` (en, ar, fr); None or an unknown one gives English."""
    lang = locale if locale in UI_LANGS else DEFAULT_UI_LANG
    if lang == DEFAULT_UI_LANG:
        return Translator(lang, gettext.NullTranslations())
    return Translator(lang, load_catalog(lang))


def load_catalog(lang: str) -> gettext.GNUTranslations:
    """The compiled catalog shipped in the package for `lang`."""
    path = resources.files("icesco_watch") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fp:
        return gettext.GNUTranslations(fp)
