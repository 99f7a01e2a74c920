"""What surrounds a term in a text: ICESCO's own name, other bodies' units and titles, ordinals.

The sector rules look at words in context, and this module owns that context (EN, FR, AR):

- ICESCO's own name in any language ("Islamic World Educational, Scientific and Cultural
  Organization") becomes one neutral token, so the sector words inside it never count;
- a unit name belongs to another body when a modifier stands before it ("UNESCO Education
  Sector", "the Girl Education Sector") or a foreign body follows it ("… Sector of the League of
  Arab States", "… بوزارة"); ordinals and session words before a governing body's name are
  ICESCO's own ("the 45th Executive Council");
- job titles and ministries carry field words that say nothing about ICESCO's work ("Minister of
  Culture", "وزيرة التربية الوطنية", "Faculty of Science"): those words are masked;
- co-organiser phrases ("in cooperation with", "بالشراكة مع") name who helped, not a
  partnership as the subject: they are dropped before keywords are counted;
- a unit or head listed among those present ("in the presence of", "بحضور") attends rather than
  acts; honorary ambassadors ("youth peace ambassadors") are not diplomats; the member states'
  National Commissions' names, like ICESCO's, carry the three fields and count for none.

The word lists are in lexicon.py: plain language knowledge, not taxonomy (what counts for which
sector stays in config).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from icesco_watch.tagging import lexicon as lx
from icesco_watch.tagging.text import fold, phrase, stem, tokens, words

ICESCO = "\x01icesco"  # cannot come out of tokens(): the text's own words never collide
MASKED = "\x02"  # stands for each word masked (a unit already scored, a job title's field)
PAUSE = "\x03"  # a comma, semicolon, colon, bracket or quote between two words
# "ICESCO and X", "l'ICESCO et X", "entre l'ICESCO et", "الإيسيسكو وX", "للإيسيسكو والجامعة": two
# bodies as the joint subject of a title (fixed patterns over folded text, never configured).
_BILATERAL = re.compile(
    r"\b(?:icesco|isesco)\s+(?:and|et)\s"
    r"|\b(?:and|et|entre)\s+(?:l['’]\s*)?(?:icesco|isesco)\b"
    r"|(?:^|\s)(?:ال|لل|و|وال)?ايسيسكو\s+و\w"
    r"|(?:^|\s)و(?:ال|لل)?ايسيسكو"
)
_PAUSES = str.maketrans(dict.fromkeys(',;:!?()[]«»"“”،؛', "\x03"))


class Context:
    """The context rules, compiled once."""

    def __init__(self, field_words: Iterable[str], off: frozenset[str] = frozenset()) -> None:
        """`off`: rule families switched off for an ablation (see weights.FAMILIES)."""
        self.icesco_names = sorted({phrase(n) for n in lx.ICESCO_NAMES}, key=len, reverse=True)
        self.names_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        other = sorted({phrase(n) for n in lx.MEMBER_BODY_NAMES}, key=len, reverse=True)
        named = [(n, ICESCO) for n in self.icesco_names] + [(n, lx.MEMBER_BODY) for n in other]
        for name, token in sorted(named, key=lambda pair: -len(pair[0])):  # longest first
            self.names_by_first.setdefault(name[0], []).append((name, token))
        self.foreign = frozenset(w for body in lx.FOREIGN_BODIES for w in tokens(body))
        self.links = frozenset(w for link in lx.LINKS for w in tokens(link))
        self.articles = frozenset(lx.ARTICLES)
        self.before_ok = (
            frozenset(lx.BEFORE_OK)
            | {ICESCO}
            | frozenset(w for o in lx.ORDINAL_WORDS for w in tokens(o))
        )
        self.advisers = frozenset(w for a in lx.ADVISERS for w in tokens(a))
        self.un_bodies = frozenset(w for a in lx.UN_BODIES for w in tokens(a))
        dropped = () if "co-organiser" in off else lx.CO_ORGANISER
        self.co_organiser = [tuple(words(p)) for p in dropped]
        self.title_heads = frozenset(w for h in lx.TITLE_HEADS for w in tokens(h))
        self.honorifics = frozenset(w for h in lx.HONORIFICS for w in tokens(h))
        self.ambassadors = frozenset(w for a in lx.AMBASSADORS for w in tokens(a))
        self.honorary = frozenset(w for a in lx.HONORARY for w in tokens(a))
        self.presence = frozenset(w for p in lx.PRESENCE for w in tokens(p))
        self.acting = frozenset(w for a in lx.ACTING for w in tokens(a))
        self.ministers = frozenset(w for m in lx.MINISTERS for w in tokens(m))
        self.recall = frozenset(w for r in lx.RECALL for w in tokens(r))
        self.title_links = frozenset(w for h in lx.TITLE_LINKS for w in tokens(h))
        self.title_fields = frozenset(
            w for f in (*lx.TITLE_FIELDS, *field_words) for w in tokens(f)
        )

    def tokens(self, text: str) -> list[str]:
        """`text` as stemmed tokens, co-organiser phrases dropped, ICESCO's name neutral.

        A comma-like mark becomes the token `PAUSE`: the word before a unit's name across a
        comma ("In Rabat, Director-General …") does not modify it, and no phrase spans it.
        """
        raw: list[str] = []
        for part in text.translate(_PAUSES).split("\x03"):
            raw.extend(words(part))
            raw.append(PAUSE)
        raw.pop()
        kept: list[str] = []
        i = 0
        while i < len(raw):
            for p in self.co_organiser:
                if tuple(raw[i : i + len(p)]) == p:
                    i += len(p)
                    break
            else:
                kept.append(stem(raw[i]))
                i += 1
        return self.neutralise(kept)

    def neutralise(self, found: Sequence[str]) -> list[str]:
        """ICESCO's own name, in any language, becomes one token that no term contains."""
        out: list[str] = []
        i = 0
        while i < len(found):
            for name, token in self.names_by_first.get(found[i], ()):
                end = _match(found, i, name)
                if end:
                    out.append(token)
                    i = end
                    break
            else:
                out.append(found[i])
                i += 1
        return out

    @staticmethod
    def bilateral(title: str) -> bool:
        """Does the title put ICESCO and another body side by side ("ICESCO and Indonesia
        look for new ways to cooperate")? A sign of cooperation talks in any language."""
        return _BILATERAL.search(fold(title)) is not None

    def own_unit(self, found: Sequence[str], start: int, size: int) -> bool:
        """False when the unit at `start` is another body's (see `lx.FOREIGN_BODIES`), or only
        names whom someone advises ("adviser to the Director-General")."""
        # A comma before the name ends what came before: "Dr. X, Deputy Director-General of
        # ICESCO" and "In Rabat, Director-General …" are ICESCO's own (how its leads begin).
        before = found[start - 1] if start > 0 else ""
        latin = found[start][:1].isascii()
        if (
            latin
            and before not in ("", PAUSE)
            and before not in self.before_ok
            and not _ordinal(before)
        ):
            return False
        if any(w in self.advisers for w in found[max(0, start - 3) : start]):
            return False
        after = list(found[start + size : start + size + 6])
        if any(w in self.un_bodies for w in after):
            return False  # "Commission nationale libanaise pour l'UNESCO"
        while after and (after[0] in self.links or after[0] in self.articles):
            after.pop(0)
        return not (after and after[0] in self.foreign)

    def mask_title_before(self, found: list[str], start: int) -> bool:
        """Mask an honorific right before a name ("Amb.", "Dr."); True if one was masked."""
        for i in (start - 1, start - 2):
            if i >= 0 and found[i] in self.honorifics:
                found[i] = MASKED
                return True
        return False

    def mask_honorary(self, found: list[str]) -> None:
        """Mask honorary ambassadors ("youth peace ambassadors", "ambassadeurs de l'ICESCO pour
        la paix", "Goodwill Ambassador"): they are programme titles, not diplomats."""
        for i, word in enumerate(found):
            if word not in self.ambassadors:
                continue
            near = {*found[max(0, i - 2) : i], *found[i + 1 : i + 5]}
            if near & self.honorary or ICESCO in found[i + 1 : i + 4]:
                found[i] = MASKED

    def mask_recalled(self, found: list[str]) -> None:
        """Mask the few words after "recalled" / "a rappelé" / "مستذكرا": past work a speaker
        mentions in passing, not what the item reports."""
        for i, word in enumerate(found):
            if word in self.recall:
                for j in range(i + 1, min(len(found), i + 1 + lx.RECALL_WINDOW)):
                    if found[j] == "\x00":
                        break
                    found[j] = MASKED

    def attending(self, found: Sequence[str], start: int) -> bool:
        """Is the name at `start` listed among those present ("in the presence of", "بحضور",
        "بمشاركة", "en présence de") rather than acting? Looks a few words back."""
        for i in range(start - 1, max(-1, start - lx.ATTENDING_WINDOW), -1):
            if found[i] in self.presence:
                return True
            if found[i] == "\x00" or found[i] in self.acting:
                break
        return False

    def minister_present(self, found: Sequence[str]) -> bool:
        """Does a minister (not a ministry) take part: "Minister of …", "ministre", "وزير"?"""
        return any(w in self.ministers for w in found)

    def mask_titles(self, found: list[str]) -> None:
        """Mask, in place, the field words of job titles and ministries ("Minister of Culture")."""
        for i, word in enumerate(found):
            if word not in self.title_heads:
                continue
            # English puts the field first: "Egypt's higher education minister" (Arabic never:
            # "المدير العام وزير الثقافة" keeps "العام").
            k = i - 1 if word.isascii() else -1
            while k >= max(0, i - 4) and (found[k] in self.title_fields or found[k] == "and"):
                if found[k] != "and":
                    found[k] = MASKED
                k -= 1
            j, masked = i + 1, 0
            # French puts the country between: "ministère égyptien de l'Enseignement supérieur".
            if j + 1 < len(found) and found[j] not in self.title_fields and found[j + 1] in lx.DE:
                j += 1
            while j < len(found) and masked < 6:
                if found[j] in self.title_fields:
                    found[j] = MASKED
                    masked += 1
                elif found[j] not in self.title_links:
                    break
                j += 1


def _match(found: Sequence[str], start: int, name: Sequence[str]) -> int:
    """Where `name` ends if it starts at `start` (commas inside it allowed), else 0."""
    i = start
    for word in name:
        while i < len(found) and found[i] == PAUSE and i > start:
            i += 1
        if i >= len(found) or found[i] != word:
            return 0
        i += 1
    return i


def _ordinal(word: str) -> bool:
    """ "45th", "45e", "21st", "3ème": a number with an ordinal ending."""
    digits = len(word) - len(word.lstrip("0123456789"))
    return digits > 0 and word[digits:] in lx.ORDINAL_SUFFIXES
