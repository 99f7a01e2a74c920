"""Publication dates as ICESCO writes them: ISO 8601, and visible dates in EN, FR and AR."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

_MONTHS_EN = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# French month names compared without accents ("fevrier" == "février").
_MONTHS_FR = {
    name: i
    for i, name in enumerate(
        (
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ),
        start=1,
    )
}
# Arabic month names: the Egyptian/Gulf forms ICESCO uses, the Levantine (Syriac) forms, and
# the Maghreb forms, with common spelling variants. Hamza forms are folded before lookup.
_MONTHS_AR: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("يناير", "كانون الثاني", "جانفي"),
        ("فبراير", "شباط", "فيفري"),
        ("مارس", "آذار"),
        ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل"),
        ("مايو", "أيار", "ماي"),
        ("يونيو", "يونيه", "حزيران", "جوان"),
        ("يوليو", "يوليه", "تموز", "يوليوز", "جويلية"),
        ("أغسطس", "اغسطس", "آب", "غشت", "أوت"),
        ("سبتمبر", "أيلول", "شتنبر"),
        ("أكتوبر", "اكتوبر", "تشرين الأول"),
        ("نوفمبر", "تشرين الثاني", "نونبر"),
        ("ديسمبر", "كانون الأول", "دجنبر"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS_AR[_name] = _i

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_HAMZA = str.maketrans("أإآ", "ااا")


def _alternation(names: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


_EN_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_alternation(_MONTHS_EN)})\.?,?\s+(\d{{4}})\b", re.I
)
_EN_MDY = re.compile(
    rf"\b({_alternation(_MONTHS_EN)})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_FR_DMY = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_alternation(_MONTHS_FR)})\s+(\d{{4}})\b", re.I)
_AR_NAMES = {name.translate(_HAMZA): month for name, month in _MONTHS_AR.items()}
_AR_DMY = re.compile(rf"(\d{{1,2}})\s+({_alternation(_AR_NAMES)})\s*،?\s*(\d{{4}})")
_ISO = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def _fold_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find_visible_date(text: str, lang: str = "en") -> date | None:
    """The first date written out in `text` ("11 July 2024", "February 10, 2022",
    "8 septembre 2022", "2 أغسطس 2022"), trying the page's own language first."""
    latin = _fold_latin(text)
    arabic = text.translate(_ARABIC_DIGITS).translate(_HAMZA)
    finders = {
        "en": lambda: _first_en(latin),
        "fr": lambda: _first(_FR_DMY, latin, lambda m: (m[3], _MONTHS_FR[m[2].lower()], m[1])),
        "ar": lambda: _first(_AR_DMY, arabic, lambda m: (m[3], _AR_NAMES[m[2]], m[1])),
    }
    order = [lang] + [other for other in ("en", "fr", "ar") if other != lang]
    for name in order:
        if name in finders and (found := finders[name]()) is not None:
            return found
    return None


def _first_en(text: str) -> date | None:
    candidates = []
    picks: tuple[tuple[re.Pattern[str], _Pick], ...] = (
        (_EN_DMY, lambda m: (m[3], _MONTHS_EN[m[2].lower()], m[1])),
        (_EN_MDY, lambda m: (m[3], _MONTHS_EN[m[1].lower()], m[2])),
    )
    for pattern, pick in picks:
        for match in pattern.finditer(text):
            parsed = _to_date(*pick(match))
            if parsed is not None:
                candidates.append((match.start(), parsed))
                break
    return min(candidates)[1] if candidates else None


_Pick = Callable[[re.Match[str]], tuple[str | int, str | int, str | int]]


def _first(pattern: re.Pattern[str], text: str, pick: _Pick) -> date | None:
    for match in pattern.finditer(text):
        parsed = _to_date(*pick(match))
        if parsed is not None:
            return parsed
    return None


def _to_date(year: str | int, month: str | int, day: str | int) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_iso(value: str, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 date or date-time; a missing offset means the source's local time."""
    if not _ISO.match(value):
        return None
    text = value.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def at_midnight(day: date, zone: ZoneInfo) -> datetime:
    """A date without a time is midnight in the source's time zone."""
    return datetime.combine(day, time(0, 0), tzinfo=zone)
