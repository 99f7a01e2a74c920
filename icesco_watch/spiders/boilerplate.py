"""The text every ICESCO page carries that is not news: translation disclaimer, feedback widget.

Stripped before summarising or classifying, so that "Extremely Satisfied" never reaches a feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Whole phrases, matched case-insensitively with flexible whitespace, in EN, FR and AR.
_PHRASES = (
    r"Disclaimer\s*:\s*You are using Google Translate\.[^.]*?translated language\s*\.",
    r"Avertissement\s*:\s*Vous utilisez Google (?:Traduction|Translate)\.[^.]*?traduite\s*\.",
    r"Overall,\s*how satisfied are you (?:about|with) the website\s*\?",
    r"Extremely Dissatisfied\s+Extremely Satisfied",
    r"Dans l[’']ensemble,[^?]*?site(?: web)?\s*\?",
    r"Tr[èe]s insatisfait\s+Tr[èe]s satisfait",
    r"تعليقات المستخدمين",
    # The question: "بشكل عام، ما مدى رضاك عن الموقع؟" (icesco.org/ar), "... عن الموقع
    # الإلكتروني؟" (the replica's classic layout). Anchored from "بشكل عام" to the question mark.
    r"بشكل\s+عام\s*[،,]?\s*ما\s+مدى\s+رضاكم?\s+عن\s+الموقع(?:\s+ال[إا]لكتروني)?\s*[؟?]",
    # The scale's two ends as one line: "غير راض للغاية راض لأقصى درجة" (icesco.org/ar),
    # "غير راض على الإطلاق راض تماما" (the replica), "غير راضٍ تماماً راضٍ تماماً".
    r"غير\s+راض[ٍي]?\s+(?:للغاية|تمام(?:اً?|ًا)|على\s+ال[إا]طلاق)\s+"
    r"راض[ٍي]?\s+(?:ل[أا]قصى\s+درجة|تمام(?:اً?|ًا)|للغاية)",
)
# Labels that are boilerplate only when they stand alone as a whole paragraph.
_LABELS = {
    "your opinion",
    "user feedback",
    "votre avis",
    "commentaires des utilisateurs",
    "avis des utilisateurs",
    "رأيك",
    "تعليقات المستخدمين",
    "share",
    "partager",
    "مشاركة",
}
_PHRASE_RE = re.compile("|".join(f"(?:{p})" for p in _PHRASES), re.IGNORECASE)
_SITE_NAME = r"(?:ICESCO|ISESCO|الإيسيسكو|الايسيسكو)"
_SITE_SUFFIX = re.compile(rf"\s*[-–—|:]\s*{_SITE_NAME}\s*$", re.IGNORECASE)
_SITE_NAME_ONLY = re.compile(rf"\s*[-–—|:]?\s*{_SITE_NAME}\s*", re.IGNORECASE)


def strip_boilerplate(text: str) -> str:
    """`text` without the site's widget and disclaimer phrases, whitespace collapsed."""
    return " ".join(_PHRASE_RE.sub(" ", text).split())


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Paragraphs with boilerplate removed; paragraphs that were only boilerplate are dropped."""
    cleaned = []
    for paragraph in paragraphs:
        text = strip_boilerplate(paragraph)
        if text and text.casefold().strip(" :.") not in _LABELS:
            cleaned.append(text)
    return cleaned


def strip_site_suffix(title: str) -> str:
    """'Some News - ICESCO' -> 'Some News' (themes append the site name to <title>/og:title);
    the site's name alone is no title: a post saved without one has <title>ICESCO</title>,
    and an alert headed "ICESCO" says nothing."""
    if _SITE_NAME_ONLY.fullmatch(title):
        return ""
    return _SITE_SUFFIX.sub("", title).strip()
