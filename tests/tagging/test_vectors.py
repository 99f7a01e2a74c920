"""The shipped cross-language word-vector table: its file, its meaning, the model's v: features."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging import stacking
from icesco_watch.tagging.model import DENSE
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.text import tokens
from icesco_watch.tagging.vectors import SHIPPED, WordVectors, load, pack, unpack

CANDIDATES = ("teacher", "heritage", "partnership", "scientist", "journalist", "mosque")


def _table() -> WordVectors:
    table = load()
    assert table is not None, "word_vectors.bin is not shipped in the package"
    return table


def _token(word: str) -> str:
    (token,) = tokens(word)
    return token


def test_the_shipped_table_says_what_it_is_and_stays_small() -> None:
    table = _table()
    assert SHIPPED.stat().st_size < 4_000_000
    assert "multilingual-e5-small" in table.header["model"]
    assert table.dims == table.header["dims"]
    assert 16 <= table.dims <= 128
    assert table.header["count"] == len(table.index) > 30_000
    # Keyed by the token form: a plural and an Arabic clitic form are looked up as tokens.
    assert {"teacher", _token("التعليم"), "education", "patrimoine"} <= set(table.index)
    assert "teachers" not in table.index  # "teachers" is stemmed to "teacher" by tokens()


@pytest.mark.parametrize(
    ("word", "meaning"),
    [
        ("enseignants", "teacher"),
        ("المعلمين", "teacher"),
        ("patrimoine", "heritage"),
        ("التراث", "heritage"),
        ("partenariat", "partnership"),
        ("الشراكة", "partnership"),
        ("scientifiques", "scientist"),
        ("journalistes", "journalist"),
        ("مسجد", "mosque"),
    ],
)
def test_a_translation_is_nearest_among_unrelated_words(word: str, meaning: str) -> None:
    """Fails on a shuffled or broken table: only a table whose rows mean their keys passes."""
    table = _table()
    sims = {c: table.similarity(_token(word), _token(c)) for c in CANDIDATES}
    assert max(sims, key=lambda c: sims[c] or -2.0) == meaning, sims


def test_centred_table_spreads_unrelated_words() -> None:
    """The raw e5 space puts unrelated words at ~0.85; the shipped one is centred."""
    table = _table()
    pairs = [("teacher", "mosque"), ("heritage", "journalist"), ("partnership", "scientist")]
    for a, b in pairs:
        similarity = table.similarity(_token(a), _token(b))
        assert similarity is not None
        assert similarity < 0.5, (a, b, similarity)


def test_frequent_words_weigh_less_and_unknown_words_nothing() -> None:
    table = _table()
    assert table.weight("the") < 0.05 < 0.9 < table.weight(_token("enseignants"))
    assert table.weight("\x01icesco") == 0.0
    assert table.vector("zzqxv") is None
    assert table.mean(["zzqxv"]) is None


def test_damaged_or_foreign_files_are_refused(tmp_path: Path) -> None:
    header = {"model": "test", "dims": 2}
    data = pack(header, ["a", "b"], bytes([70, 20]), bytes([127, 0, 0, 127]))
    table = unpack(data)
    assert table.vector("b") == [0.0, 1.0]
    assert table.header["count"] == 2
    mean = table.mean(["a", "b"])
    assert mean is not None
    assert math.isclose(math.hypot(*mean), 1.0)
    assert mean[0] < mean[1] / 5  # "a" (Zipf 7, "the") weighs far less than "b" (Zipf 2)
    damaged = bytearray(data)
    damaged[-1] ^= 1
    with pytest.raises(ValueError, match="sha256"):
        unpack(bytes(damaged))
    with pytest.raises(ValueError, match="not a word-vector table"):
        unpack(b"P" + data[1:])
    with pytest.raises(ValueError, match="disagree"):
        pack(header, ["a"], bytes([1]), bytes([1]))
    path = tmp_path / "t.bin"
    path.write_bytes(data)
    assert load(path) == table


def test_an_item_and_its_translation_get_close_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the model's v: features would carry: the meaning of the title and lead, in any
    language. The shipped tagger leaves them out (stacking.VECTOR is 0, round 9's measurement);
    the ablation bench's --vector turns them on, as here."""
    sectors = default_settings().sectors
    assert stacking.VECTOR == 0.0
    shipped = SectorClassifier(sectors).model_features("Formation des enseignants", "Un atelier.")
    assert not any(f.startswith(DENSE) for f in shipped)
    monkeypatch.setattr(stacking, "VECTOR", 4.0)
    rules = SectorClassifier(sectors)

    def vector(title: str, lead: str) -> list[float]:
        feats = rules.model_features(title, lead)
        return [feats.get(f"{DENSE}{d}", 0.0) for d in range(_table().dims)]

    fr = vector("Formation des enseignants au Sénégal", "Un atelier pour les enseignants.")
    en = vector("Training of teachers in Senegal", "A workshop for school teachers.")
    other = vector("Manuscripts of the old mosque restored", "Experts restore manuscripts.")
    assert math.isclose(math.sqrt(sum(x * x for x in fr)), 4.0)
    assert sum(x * y for x, y in zip(fr, en, strict=True)) > 2 * max(
        0.0, sum(x * y for x, y in zip(fr, other, strict=True))
    )
    off = SectorClassifier(sectors, off=frozenset({"vectors"}))
    assert not any(f.startswith(DENSE) for f in off.model_features("Formation", "Un atelier"))


def test_an_unlisted_word_near_a_fields_keyword_is_a_near_feature() -> None:
    """ "professeurs" and "archéologie" are in no keyword list; in the table they lie near
    education's and culture's keywords. Frequent words ("pays") and listed ones never count."""
    sectors = default_settings().sectors
    rules = SectorClassifier(sectors)
    feats = rules.model_features("Des professeurs à Rabat", "Une rencontre sur l'archéologie.")
    assert {f for f in feats if f.startswith("near:")} == {"near:education", "near:culture"}
    assert feats["near:education"] == stacking.NEAR > 0
    listed = rules.model_features("Les enseignants du pays", "Une rencontre entre pays.")
    assert not any(f.startswith("near:") for f in listed)
    off = SectorClassifier(sectors, off=frozenset({"vectors"}))
    assert not any(f.startswith("near:") for f in off.model_features("Des professeurs", "Ici."))
