"""The relation classifier: training data, training, and its use by the coder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import redline
from redline.data import data_path
from redline.errors import DataFileError
from redline.extract import coding_context
from redline.extract.lexicon import load_lexicon
from redline.extract.relations import NONE, LinearModel, RelationModels, shipped_models
from redline.model import CATEGORIES
from redline.training import load_examples, train

pytestmark = pytest.mark.slow


def write(folder: Path, rows: list[dict | str]) -> Path:
    folder.mkdir(exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    (folder / "relations-x.jsonl").write_text("\n".join(lines) + "\n")
    return folder


GOOD = {"text": "Chad expelled Libya's ambassador on Monday.", "source": "Chad",
        "target": "Libya", "event": "SANCTION", "mode": "expel", "status": "asserted",
        "context": ["diplomatic"]}


@pytest.mark.parametrize(("change", "field", "problem"), [
    ({"source": "Niger"}, "source", "not in the text"),
    ({"event": "HUG"}, "event", "unknown category"),
    ({"mode": "aerial"}, "mode", "no mode of SANCTION"),
    ({"status": "rumoured"}, "status", "unknown status"),
    ({"target": ""}, "target", "non-empty"),
])
def test_training_examples_are_validated(tmp_path: Path, change, field, problem):
    folder = write(tmp_path / "d", [GOOD, {**GOOD, "text": "Chad recalled its staff from Libya.",
                                           **change}])
    with pytest.raises(DataFileError) as err:
        load_examples(folder)
    message = str(err.value)
    assert "relations-x.jsonl" in message and "line 2" in message
    assert field in message and problem in message


def test_training_bad_json_is_named(tmp_path: Path):
    with pytest.raises(DataFileError, match="line 2.*not JSON"):
        load_examples(write(tmp_path / "d", [GOOD, "{oops"]))


def test_shipped_training_sentences_cover_every_category_and_mode():
    examples = load_examples(data_path("training"))
    assert len(examples) >= 3000
    assert {e.event for e in examples} == set(CATEGORIES) | {None}
    assert sum(e.event is None for e in examples) >= 500  # pairs with no event
    for name, category in load_lexicon().categories.items():
        seen = {e.mode for e in examples if e.event == name}
        assert set(category.modes) <= seen, (name, set(category.modes) - seen)


def test_shipped_models_were_trained_on_the_shipped_sentences():
    from redline.training import data_digest

    models = shipped_models()
    assert models is not None
    assert models.category.data_digest == data_digest(data_path("training"))
    assert set(models.category.labels) == set(CATEGORIES) | {NONE}


def test_training_is_reproducible(tmp_path: Path):
    rows = []
    for path in sorted(data_path("training").glob("relations*.jsonl")):
        rows += path.read_text().splitlines()[:40]
    folder = write(tmp_path / "d", rows)
    first = train(folder, tmp_path / "one")
    train(folder, tmp_path / "two")
    assert first.examples > 100 and 0 < first.held_out < first.examples
    for name in ("relations.npz", "modes.npz", "contexts.npz"):
        with np.load(tmp_path / "one" / name) as a, np.load(tmp_path / "two" / name) as b:
            assert np.array_equal(a["weights"], b["weights"])
    assert RelationModels.load(tmp_path / "one") is not None


def _toy_models(word: str, category: str, mode: str = "-") -> RelationModels:
    """Models that relate any pair joined by ``word`` as ``category`` (in ``mode``)."""
    labels = (category, NONE)
    category_model = LinearModel(labels, {f"lca={word}": 0}, np.array([[4.0, -4.0]]),
                                 np.array([0.0, 0.0]))
    mode_model = LinearModel((f"{category}/{mode}",), {}, np.zeros((0, 1)), np.zeros(1))
    context_model = LinearModel(("military",), {f"lca={word}": 0}, np.array([[4.0]]),
                                np.array([0.0]), multilabel=True)
    return RelationModels(category_model, mode_model, context_model)


def test_classifier_codes_a_pair_the_lexicon_leaves_apart(monkeypatch):
    sentence = "Bolivian troops bamboozled Chilean guards at the frontier."
    assert not redline.extract(sentence, published="2020-03-01")  # no trigger for it
    ctx = coding_context()
    monkeypatch.setattr(ctx, "models", _toy_models("bamboozle", "COERCE"))
    [record] = redline.extract(sentence, published="2020-03-01")
    assert record["event"] == "COERCE" and record["event_text"] == "bamboozled"
    assert [a["code"] for a in record["actor"]] == ["BOL"]
    assert [a["code"] for a in record["recipient"]] == ["CHL"]
    assert record["context"] == ["military"] and record["confidence"] <= 0.99


def assaults(sentence: str, monkeypatch, models: RelationModels | None) -> list[dict]:
    """The ASSAULT records of a sentence, coded with ``models`` as the classifiers."""
    monkeypatch.setattr(coding_context(), "models", models)
    return [r for r in redline.extract(sentence, published="2020-03-01")
            if r["event"] == "ASSAULT"]


def test_classifier_finds_the_recipient_the_parse_does_not_give(monkeypatch):
    sentence = "Bolivian troops shelled the hills where Chilean guards were camped."
    [alone] = assaults(sentence, monkeypatch, None)
    assert not any(a["code"] for a in alone["recipient"])
    [helped] = assaults(sentence, monkeypatch, _toy_models("shell", "ASSAULT"))
    assert [a["code"] for a in helped["recipient"]] == ["CHL"]
    assert helped["confidence"] < alone["confidence"]  # inferred, so less sure


def test_classifier_gives_a_mode_and_contexts_the_lexicon_does_not(monkeypatch):
    sentence = "Bolivian troops attacked Chilean guards at the frontier."
    [plain] = assaults(sentence, monkeypatch, None)
    assert plain["mode"] == []
    [judged] = assaults(sentence, monkeypatch, _toy_models("attack", "ASSAULT", "firearms"))
    assert judged["mode"] == ["firearms"] and "military" in judged["context"]
    assert judged["event_scale"] == load_lexicon().categories["ASSAULT"].score("firearms")


def test_training_fits_two_labels_and_refuses_one():
    from redline.errors import RedlineError
    from redline.training import fit

    model = fit([["a"], ["a"], ["b"], ["b"]], ["ACCUSE", "ACCUSE", NONE, NONE])
    scores = model.scores(["a"])
    assert set(scores) == {"ACCUSE", NONE} and abs(sum(scores.values()) - 1) < 1e-6
    assert scores["ACCUSE"] > 0.5 > model.scores(["b"])["ACCUSE"]
    with pytest.raises(RedlineError, match="two labels"):
        fit([["a"], ["b"]], [NONE, NONE])


def test_train_cli_prints_held_out_scores_and_writes_models(tmp_path: Path):
    from typer.testing import CliRunner

    from redline.cli import app

    rows = []
    for path in sorted(data_path("training").glob("relations*.jsonl")):
        rows += path.read_text().splitlines()[:15]
    folder = write(tmp_path / "d", rows)
    result = CliRunner().invoke(app, ["train", "--data", str(folder), "--out",
                                      str(tmp_path / "models")])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "mode accuracy" in result.stdout
    assert RelationModels.load(tmp_path / "models") is not None


def test_pair_features_of_a_mention_running_across_a_sentence_boundary():
    from redline.extract.relations import pair_features
    from redline.nlp import load_nlp

    doc = load_nlp()("Officials in Kyiv said NATO met. Russia denied it on Monday.")
    source = doc[4:8]  # "NATO met. Russia": two sentences
    assert source.text == "NATO met. Russia" and source[0].sent != source[-1].sent
    target = doc[0:1]
    features = pair_features(source, target, None, load_lexicon())
    assert features and all(isinstance(f, str) for f in features)
