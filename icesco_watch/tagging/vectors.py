"""Static cross-language word vectors: the shipped table, its file format and an item's vector.

The learned model's word features are language-bound: a French word the train part never
showed carries nothing. A static table of word vectors in which translations lie together
("enseignants" beside "teachers" and "المعلمين") lets an item's wording count through its
meaning. The table (`word_vectors.bin`, shipped in the package) is distilled at development
time from multilingual-e5-small (bench/build_word_vectors.py: each word embedded alone, centred
per language, reduced by PCA, each row quantised to int8); reading it needs no numpy and no
model, and looking a token up is one dict access, since the table is keyed by the token form
`text.tokens()` gives.

File layout: a magic line, one JSON header line (model, dims, count, sizes, the sha256 of the
body), then the body: the keys (UTF-8, one per line), one byte per key (its Zipf frequency
times ten, for the SIF weight a / (a + p(w))), and `count * dims` signed bytes (each row's
direction; its length carries nothing, rows are scaled to use the int8 range).
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("word_vectors.bin")
MAGIC = b"ICESCO-WATCH WORD VECTORS 1\n"
SIF_A = 1e-3  # the SIF constant: a word of frequency 1e-3 ("which", "during") weighs half


@dataclass(frozen=True, slots=True)
class WordVectors:
    """The table: per token, a unit direction of `dims` numbers and a frequency."""

    header: dict[str, Any]
    index: dict[str, int]
    zipf: bytes
    rows: array[int]
    dims: int

    def __contains__(self, token: object) -> bool:
        return token in self.index

    def vector(self, token: str) -> list[float] | None:
        """The token's direction, unit length; None when the table lacks it."""
        i = self.index.get(token)
        if i is None:
            return None
        row = self.rows[i * self.dims : (i + 1) * self.dims]
        norm = math.sqrt(sum(x * x for x in row)) or 1.0
        return [x / norm for x in row]

    def weight(self, token: str) -> float:
        """SIF weight a / (a + p(w)): frequent words count little, rare ones nearly 1."""
        i = self.index.get(token)
        if i is None:
            return 0.0
        p: float = 10.0 ** (self.zipf[i] / 10.0 - 9.0)
        return SIF_A / (SIF_A + p)

    def similarity(self, a: str, b: str) -> float | None:
        va, vb = self.vector(a), self.vector(b)
        if va is None or vb is None:
            return None
        return sum(x * y for x, y in zip(va, vb, strict=True))

    def mean(self, tokens: Iterable[str]) -> list[float] | None:
        """The SIF-weighted mean of the tokens' directions, unit length; None when no token
        is in the table."""
        total = [0.0] * self.dims
        found = False
        for token in tokens:
            i = self.index.get(token)
            if i is None:
                continue
            row = self.rows[i * self.dims : (i + 1) * self.dims]
            norm = math.sqrt(sum(x * x for x in row)) or 1.0
            scale = self.weight(token) / norm
            for d, x in enumerate(row):
                total[d] += scale * x
            found = True
        norm = math.sqrt(sum(x * x for x in total))
        if not found or norm == 0.0:
            return None
        return [x / norm for x in total]


def pack(header: dict[str, Any], keys: Sequence[str], zipf: bytes, rows: bytes) -> bytes:
    """The file's bytes for a table (the build script's last step; the layout is here)."""
    dims = int(header["dims"])
    if len(zipf) != len(keys) or len(rows) != len(keys) * dims:
        raise ValueError("keys, frequencies and rows disagree in length")
    if any("\n" in k or not k for k in keys) or len(set(keys)) != len(keys):
        raise ValueError("keys must be distinct, non-empty, without newlines")
    key_bytes = "\n".join(keys).encode("utf-8")
    body = key_bytes + zipf + rows
    full = {
        **header,
        "count": len(keys),
        "keys_bytes": len(key_bytes),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    line = json.dumps(full, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
    return MAGIC + line + body


def unpack(data: bytes) -> WordVectors:
    """The table in `data`; ValueError when the file is not one or is damaged."""
    if not data.startswith(MAGIC):
        raise ValueError("not a word-vector table")
    end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC) : end])
    body = data[end + 1 :]
    if hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise ValueError("word-vector table damaged: sha256 differs from its header")
    count, dims, key_len = int(header["count"]), int(header["dims"]), int(header["keys_bytes"])
    keys = body[:key_len].decode("utf-8").split("\n")
    zipf = body[key_len : key_len + count]
    rows = array("b", body[key_len + count :])
    if len(keys) != count or len(rows) != count * dims:
        raise ValueError("word-vector table damaged: sizes differ from its header")
    return WordVectors(header, {k: i for i, k in enumerate(keys)}, zipf, rows, dims)


@lru_cache(maxsize=2)
def load(path: Path = SHIPPED) -> WordVectors | None:
    """The shipped table, read once per process; None when the package has none."""
    return unpack(path.read_bytes()) if path.exists() else None
