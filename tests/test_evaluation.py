"""redline eval on small gold files of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.errors import InputError
from redline.evaluation import evaluate, gold_labels
from redline.extract.lexicon import load_lexicon
from redline.relate import rule_relation as relate

pytestmark = pytest.mark.slow


def test_evaluation_old_labels_map_to_plover():
    assert gold_labels("DEMAND") == ("REQUEST",)
    assert gold_labels("YIELD") == ("CONCEDE", "RETREAT")
    assert gold_labels("INVESTIGATE") == ()


def test_evaluation_relate_reads_the_records_between_two_mentions():
    records = [{"event": "ACCUSE", "actor": [{"text": "France"}],
                "recipient": [{"text": "Russia"}]}]
    assert relate(records, "France", "Russia") == "ACCUSE"
    assert relate(records, "Russia", "France") == "ACCUSE"
    assert relate(records, "Germany", "Russia") == "none"


def test_evaluation_full_extraction_on_plover_json(tmp_path: Path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([
        {"id": "1", "date": "2022-02-24", "event": "FIGHT",
         "text": "Russian forces shelled Kharkiv on Thursday.",
         "source": [{"actorText": "Russian forces", "code": "RUS", "sector": "MIL"}],
         "target": [{"actorText": "Kharkiv", "code": "UKR"}]},
        {"id": "2", "date": "2022-01-10", "event": "CONSULT",
         "text": "Blinken met Lavrov in Geneva.",
         "source": [{"actorText": "Blinken", "code": "USA"}],
         "target": [{"actorText": "Lavrov", "code": "RUS"}]},
        {"id": "3", "event": "DOCUMENT", "text": "A note about the file."},
    ]))
    figures = evaluate(gold)
    assert figures["task"] == "full extraction"
    assert {name: r["recall"] for name, r in figures["per_category"].items()} == {
        "CONSULT": 1.0, "ASSAULT": 1.0}
    assert figures["actor_agreement"] == {"share": 1.0, "matched": 4, "total": 4}
    assert figures["n"] == 2


def test_evaluation_relation_classification_on_plv_tsv(tmp_path: Path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("sentence\tsource\ttarget\tgold_root\n"
                    "France condemned Russia.\tFrance\tRussia\tACCUSE\n"
                    "Kyiv thanked Warsaw for its help.\tKyiv\tWarsaw\tSUPPORT\n")
    figures = evaluate(gold)
    assert figures["task"] == "relation classification"
    assert figures["per_category"]["ACCUSE"]["recall"] == 1.0


def test_evaluation_given_related_names_a_category_for_every_pair(tmp_path: Path,
                                                                  monkeypatch):
    from redline import evaluation

    gold = tmp_path / "gold.tsv"
    gold.write_text("sentence\tsource\ttarget\tgold_root\n"
                    "France and Russia were mentioned.\tFrance\tRussia\tACCUSE\n")
    answer = {"event": None, "scores": {"none": 0.6, "ACCUSE": 0.3, "REJECT": 0.1}}
    monkeypatch.setattr(evaluation, "relate_pairs", lambda pairs: iter([answer]))
    assert evaluate(gold)["per_category"]["ACCUSE"]["recall"] == 0.0
    assert evaluate(gold, given_related=True)["per_category"]["ACCUSE"]["recall"] == 1.0
    records = tmp_path / "gold.json"
    records.write_text("[]")
    with pytest.raises(InputError, match="--given-related"):
        evaluate(records, given_related=True)


def test_evaluation_cli_prints_and_writes_json(tmp_path: Path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("sentence\tsource\ttarget\tgold_root\n"
                    "France condemned Russia.\tFrance\tRussia\tACCUSE\n")
    out = tmp_path / "figures.json"
    png = tmp_path / "confusion.png"
    result = CliRunner().invoke(app, ["eval", str(gold), "--json", str(out), "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout
    written = json.loads(out.read_text())
    assert written["macro_f1"] == 1.0 and written["n"] == 1
    assert set(written) >= {"macro_f1", "per_category", "actor_agreement", "n"}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluation_bad_gold_files_are_clear_errors(tmp_path: Path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2 and "gold_root" in result.stderr
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "no such gold file" in result.stderr


def test_evaluation_relation_mode_keeps_events_between_uncoded_phrases(tmp_path: Path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("sentence\tsource\ttarget\tgold_root\n"
                    "The union condemned the airline.\tThe union\tthe airline\tACCUSE\n")
    assert evaluate(gold)["per_category"]["ACCUSE"]["recall"] == 1.0


def test_evaluation_relate_cli_with_markup_and_with_options():
    result = CliRunner().invoke(app, ["relate", "<s>France</s> condemned <t>Russia</t>.",
                                      "--json"])
    found = json.loads(result.stdout)
    assert found["event"] == "ACCUSE" and found["text"] == "France condemned Russia."
    assert max(found["scores"], key=found["scores"].get) == "ACCUSE"
    result = CliRunner().invoke(app, ["relate", "France condemned Russia.", "--source",
                                      "Germany", "--target", "Russia", "--json"])
    assert result.exit_code == 2 and "'Germany' is not in the sentence" in result.stderr
    result = CliRunner().invoke(app, ["relate", "France condemned Russia."])
    assert result.exit_code == 2 and "two actors" in result.stderr


def test_evaluation_relate_jsonl_answers_each_line_in_order():
    lines = [{"sentence": "Israeli jets bombed Hamas positions in Gaza.", "source": "Israeli jets",
              "target": "Hamas positions"},
             {"marked_sentence": "<s>Japan</s> sent food aid to <t>Haiti</t> on Monday."},
             {"sentence": "Chile and Peru are neighbours.", "source": "Chile", "target": "Peru"}]
    result = CliRunner().invoke(app, ["relate", "--jsonl"],
                                input="".join(json.dumps(x) + "\n" for x in lines))
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["event"] for a in answers] == ["ASSAULT", "AID", None]
    assert all({"event", "scores"} <= set(a) for a in answers)
    assert answers[0]["mode"] in load_lexicon().categories["ASSAULT"].modes
    assert "military" in answers[0]["context"]


def test_evaluation_relate_jsonl_names_the_bad_line():
    result = CliRunner().invoke(app, ["relate", "--jsonl"], input='{"sentence": "x"}\nnot json\n')
    assert result.exit_code == 2 and "stdin line 1" in result.stderr
