"""Build the shipped list of Arabic words whose first letter is their own.

The list: icesco_watch/tagging/arabic_roots.txt, one folded word a line.

    pip install -e '.[vectors]'                # wordfreq
    python bench/build_arabic_roots.py         # writes the list, prints what it decided

Why: the light stemmer (tagging/text.py) peels the proclitics و ف ب ل ك off a word. Many
common words begin with one of those letters as part of the word itself: "وزير" (minister),
"برنامج" (programme), "بيئة" (environment), "وكالة" (agency), "لبنان". Peeled, they lose a
letter ("زير", "رنامج", "ييه", "اله") that the same word after the article keeps ("الوزير" ->
"وزير"), so a keyword written without the article never matched the text's article form, and
"وكالة" matched "الإله" (god). A written word cannot tell the two apart alone; usage can.

Which words: among the `--top` most frequent Arabic words of wordfreq (general vocabulary, never
a word read from the corpus), folded as `text.fold` does, every word of four letters or more
that starts with a clitic letter and
- takes the article itself ("ال" + the word is a word in wordfreq's list: "الوزير", "البيئة";
  no Arabic word carries the article before a proclitic, so "اللتعزيز" never occurs), or
- is more frequent, with and without the article, than what is left under every way of peeling
  (verbs and names that take no article: "بدأت", "فلسطين").

wordfreq's data is CC BY-SA 4.0: the list's first line says so, and the list is shared under
that licence. Development time only: the service reads the text file; CI does not rebuild it, and
`tests/tagging/test_text.py` checks the shipped list against the examples above.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

from wordfreq import top_n_list, word_frequency  # type: ignore[import-not-found]

from icesco_watch.tagging.text import AR_CLITIC_PREFIXES, AR_ROOTS_FILE, fold

CLITIC_LETTERS = frozenset("\u0648\u0641\u0628\u0644\u0643")  # و ف ب ل ك
ARTICLE = "\u0627\u0644"
VOCABULARY = 200_000  # the frequencies looked up (the article forms, the peeled forms)


def frequencies() -> dict[str, float]:
    """Folded form -> summed wordfreq frequency, over the largest Arabic list."""
    out: dict[str, float] = {}
    for word in top_n_list("ar", VOCABULARY):
        form = fold(word)
        out[form] = out.get(form, 0.0) + word_frequency(word, "ar")
    return out


def arabic(form: str) -> bool:
    return all("\u0621" <= ch <= "\u064a" for ch in form)


def own_first_letter(form: str, freq: dict[str, float]) -> bool:
    """Whether `form` (folded) is a word whose first letter is not a clitic (see the docstring)."""
    if freq.get(ARTICLE + form, 0.0) > 0.0:
        return True
    whole = freq.get(form, 0.0)
    readings = [
        freq.get(rest, 0.0) + freq.get(ARTICLE + rest, 0.0)
        for prefix in AR_CLITIC_PREFIXES
        if prefix and form.startswith(prefix) and len(rest := form[len(prefix) :]) >= 2
    ]
    return bool(readings) and whole > max(readings)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--top", type=int, default=50_000, help="words considered (wordfreq)")
    parser.add_argument("--out", type=Path, default=AR_ROOTS_FILE)
    args = parser.parse_args()
    freq = frequencies()
    clitic_initial = [
        form
        for form in dict.fromkeys(fold(w) for w in top_n_list("ar", args.top))
        if len(form) >= 4 and form[0] in CLITIC_LETTERS and arabic(form)
    ]
    roots = sorted(form for form in clitic_initial if own_first_letter(form, freq))
    header = (
        f"# Arabic words whose first letter is their own: bench/build_arabic_roots.py,"
        f" wordfreq {version('wordfreq')} top {args.top}, folded. Derived from wordfreq's data"
        f" (Robyn Speer et al.), CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/);"
        f" this list is shared under the same licence.\n"
    )
    args.out.write_text(header + "\n".join(roots) + "\n", encoding="utf-8")
    print(f"{len(roots)} of {len(clitic_initial)} clitic-initial words keep their first letter:")
    print(f"  {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
