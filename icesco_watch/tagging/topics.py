"""Watched topics and per-chat keywords: whole-word and phrase matching on normalised text.

Keywords are plain words or phrases in any language, never regular expressions: a user's
`/watch` keyword cannot make matching slow. Matching builds the text's n-grams once (linear in
the text, bounded by the longest keyword) and looks each keyword up in a set. An Arabic
keyword is looked up in its regular singular and plural forms as well (`text.phrase_forms`:
"معلم" meets "المعلمين", "جامعة" meets "الجامعات", "university" meets "universities",
"journal" meets "journaux"; "teacher" meets "teachers" by stemming alone); a few set lookups
more per keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from icesco_watch.config.schema import TopicConfig
from icesco_watch.models import strip_format_controls
from icesco_watch.tagging.text import PhraseIndex, index_text, phrase, phrase_forms

MAX_KEYWORD_WORDS = 8  # a longer "keyword" is a sentence; refused where users type them
MAX_KEYWORD_CHARACTERS = 100


@dataclass(frozen=True, slots=True)
class KeywordProblem:
    """Why a keyword cannot be watched: a rule's `code` (what the bot translates by) and the
    English `text` (what the CLI, config checks and custom feeds show)."""

    code: str  # "no-letter" | "too-many-words" | "too-long"
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class _Topic:
    key: str
    keywords: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]


class TopicMatcher:
    """The configured `[[topics]]`, compiled once."""

    def __init__(self, topics: Sequence[TopicConfig]) -> None:
        self.topics = [
            _Topic(
                t.key,
                tuple(p for k in t.keywords for p in phrase_forms(k)),
                tuple(p for k in t.exclude for p in phrase_forms(k)),
            )
            for t in topics
        ]
        lengths = [len(p) for t in self.topics for p in t.keywords + t.exclude]
        self.max_len = max(lengths, default=1)

    def match(self, parts: Iterable[str]) -> tuple[str, ...]:
        """Keys of the topics whose keywords occur in `parts` (title, body…), config order."""
        index = index_text(parts, self.max_len)
        return tuple(
            t.key
            for t in self.topics
            if any(k in index for k in t.keywords) and not any(x in index for x in t.exclude)
        )


def match_keywords(parts: Iterable[str], keywords: Sequence[str]) -> list[str]:
    """The keywords (as given) that occur in `parts` as whole words or phrases."""
    compiled = [(k, phrase_forms(k)) for k in keywords]
    max_len = max((len(f[0]) for _, f in compiled if f), default=1)
    index: PhraseIndex = index_text(parts, max_len)
    return [k for k, forms in compiled if any(p in index for p in forms)]


def clean_keyword(typed: str) -> str:
    """A keyword a user typed (a bot subscription, a custom feed's `q`) as it is stored, shown
    and matched: invisible characters dropped as they are from titles (a typed U+200B split the
    word so it never matched; a U+200F made a second, identical-looking subscription and cache
    entry), spaces collapsed, case folded."""
    return " ".join(strip_format_controls(typed).split()).casefold()


def keyword_problem(keyword: str) -> KeywordProblem | None:
    """Why a user-typed keyword cannot be watched, or None when it can."""
    words = phrase(keyword)
    if not words:
        return KeywordProblem("no-letter", "a keyword needs at least one letter or digit")
    if len(words) > MAX_KEYWORD_WORDS:
        text = f"a keyword is at most {MAX_KEYWORD_WORDS} words; watch a shorter phrase"
        return KeywordProblem("too-many-words", text)
    if len(keyword) > MAX_KEYWORD_CHARACTERS:
        text = f"a keyword is at most {MAX_KEYWORD_CHARACTERS} characters"
        return KeywordProblem("too-long", text)
    return None
