"""`icesco-watch classify` and `icesco-watch retag` as real processes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from sqlalchemy import select

from icesco_watch.config.loader import load_config
from icesco_watch.store.schema import items, open_store
from tests.conftest import CLI, clean_env, write_replica_config
from tests.replica import ReplicaServer


def run(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_classify_answers_each_line_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        {"title": "ICESCO Education Sector trains teachers", "text": "Curricula were reviewed."},
        "this is not JSON",
        {"text": "no title"},
        {
            "title": "Forum sur l'intelligence artificielle",
            "text": "Le Centre de prospective et d'intelligence artificielle réunit des experts.",
            "lang": "fr",
        },
        {"title": "Nouvelles", "text": "", "categories": ["executive-council"]},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    done = run(["classify"], tmp_path, stdin)
    assert done.returncode == 1
    assert "2 line(s) could not be read" in done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == 5
    assert answers[0]["sectors"] == ["education"]
    assert "mentions 'Education Sector'" in answers[0]["evidence"]["education"]
    assert answers[0]["topics"] == []
    assert answers[1]["line"] == 2
    assert "Invalid JSON" in answers[1]["error"]
    assert answers[2]["line"] == 3
    assert "title" in answers[2]["error"]
    assert answers[3]["sectors"] == ["foresight-ai"]
    assert answers[3]["topics"] == ["ai"]
    assert answers[4]["sectors"] == ["governance"]


def test_classify_of_good_input_exits_zero(tmp_path: Path) -> None:
    done = run(["classify"], tmp_path, '{"title": "Condolences", "text": "ICESCO mourns."}\n')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"sectors": [], "evidence": {}, "topics": []}


def test_classify_reads_null_categories_as_none(tmp_path: Path) -> None:
    """`"categories": null` is no categories, as `"lang": null` is no language."""
    line = {"title": "ICESCO Education Sector trains teachers", "categories": None, "lang": None}
    done = run(["classify"], tmp_path, json.dumps(line) + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["sectors"] == ["education"]


def test_classify_skips_a_byte_order_mark_before_the_first_line(tmp_path: Path) -> None:
    """A UTF-8 file saved with a byte order mark (Windows editors): its first line is read."""
    lines = [
        {"title": "ICESCO Education Sector trains teachers"},
        {"title": "Nouvelles", "categories": ["executive-council"]},
    ]
    stdin = "\ufeff" + "".join(json.dumps(line) + "\n" for line in lines)
    done = run(["classify"], tmp_path, stdin)
    assert done.returncode == 0, done.stdout + done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [answer["sectors"] for answer in answers] == [["education"], ["governance"]]


def test_retag_applies_an_edited_taxonomy_to_stored_items(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    replica.set_state("after-more")
    config = write_replica_config(tmp_path, replica)
    crawl = run(["--config", str(config), "crawl"], tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    engine = open_store(load_config(config, {}).settings.storage.url)  # the CLI's store
    with engine.connect() as conn:
        before = {r.key: (r.sectors, r.topics) for r in conn.execute(select(items))}
    assert any("culture" in sectors for sectors, _ in before.values())

    # An operator adds a topic on manuscripts: retag applies it; nothing else changes.
    with config.open("a", encoding="utf-8") as out:
        out.write('\n[[topics]]\nkey = "manuscripts"\nname = "Manuscripts"\n')
        out.write('keywords = ["manuscript", "manuscrits", "المخطوطات"]\n')
    done = run(["--config", str(config), "retag"], tmp_path)
    assert done.returncode == 0, done.stderr
    with engine.connect() as conn:
        after = {r.key: (r.sectors, r.topics, r.version) for r in conn.execute(select(items))}
    changed = [k for k in after if after[k][1] != before[k][1]]
    assert changed
    assert all("manuscripts" in after[k][1] for k in changed)
    assert all(after[k][0] == before[k][0] for k in after)
    assert all(after[k][2] == 1 for k in after)
    assert f"retagged {len(after)} item(s): {len(changed)} changed" in done.stdout


def test_classify_shows_the_learned_model_s_score_as_evidence(tmp_path: Path) -> None:
    line = {
        "title": "Director-General and Egypt's antiquities minister discuss heritage",
        "text": "Dr. Salim M. AlMalik met Egypt's Minister of Tourism and Antiquities in Cairo "
        "on a conference against illicit trafficking in cultural property, and handed him the "
        "certificate inscribing the Nilometer on the Islamic World Heritage List.",
        "lang": "en",
    }
    done = run(["classify"], tmp_path, json.dumps(line) + "\n")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert set(answer["sectors"]) == {"governance", "culture"}
    assert set(answer["evidence"]) == set(answer["sectors"])
    reasons = [r for key in answer["sectors"] for r in answer["evidence"][key]]
    # "model 0.87": a probability with two decimals (1.00 when the model is sure)
    assert any(re.fullmatch(r"model [01]\.\d\d", r) for r in reasons), reasons


def test_classify_reads_a_labelled_corpus_line_as_the_evaluation_does(tmp_path: Path) -> None:
    # Piping the labelled files used to fail on every line ("id: Extra inputs are not
    # permitted"): a corpus line is read with its lead and body as the text, its labels set aside.
    corpus_line = {
        "id": "fr-9999",
        "url": "https://icesco.org/fr/2024/01/01/exemple/",
        "lang": "fr",
        "published": "2024-01-01",
        "title": "L'ICESCO forme des enseignants du primaire au Tchad",
        "lead": "Une session de cinq jours réunit quarante enseignants à N'Djamena.",
        "body": "Les participants ont travaillé sur les méthodes d'enseignement de la lecture.",
        "categories": ["actualites"],
        "sectors": ["culture"],  # a label, never read as input: the answer must not follow it
        "label_source": "judgement",
        "kinds": [],
        "note": "",
    }
    same_as_text = {
        "title": corpus_line["title"],
        "text": f"{corpus_line['lead']}\n\n{corpus_line['body']}",
        "categories": ["actualites"],
        "lang": "fr",
    }
    refused = [
        {"title": "t", "lead": "l", "text": "x"},  # two texts
        {"title": "t", "body": "b"},  # a body without its lead
        {"title": "t", "txt": "misspelt"},  # not a corpus key either
    ]
    lines = [corpus_line, same_as_text, *refused]
    done = run(["classify"], tmp_path, "".join(json.dumps(x) + "\n" for x in lines))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert answers[0] == answers[1]
    assert "education" in answers[0]["sectors"]
    assert "culture" not in answers[0]["sectors"]
    assert "not both" in answers[2]["error"]
    assert "body needs its lead" in answers[3]["error"]
    assert answers[4]["error"] == "txt: Extra inputs are not permitted"
    assert done.returncode == 1


def test_classify_reads_the_shipped_corpus_files_as_they_are(tmp_path: Path) -> None:
    # Lines with the optional keys (`lead_first`, `same_story`) were refused ("lead_first:
    # Extra inputs are not permitted"): every labelled line must pipe through unchanged.
    real = Path(__file__).parent / "tagging" / "data" / "real"
    lines = [
        line
        for lang in ("en", "fr", "ar")
        for line in (real / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if '"same_story"' in line
    ]
    assert any('"lead_first"' in line for line in lines)
    done = run(["classify"], tmp_path, "\n".join(lines) + "\n")
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(answers) == len(lines)
    assert all(set(answer) == {"sectors", "evidence", "topics"} for answer in answers)
    assert any(answer["sectors"] for answer in answers)
