"""Training the relation classifier (``redline train``).

The training sentences are ours (``data/training/relations*.jsonl``, format in
``data/README.md``); the gold sets are never read here. A fifth of the
sentences, chosen by a hash of their text, is held out to report how the
model does on sentences it has not seen, next to the rule coder alone; the
shipped model is then fitted on all of them. The same data gives the same
model: the split is by hash, the solver deterministic.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redline.data import data_path
from redline.errors import DataFileError, RedlineError
from redline.evaluation import Scores
from redline.extract.lexicon import load_lexicon
from redline.extract.relations import MODEL_DIR, NO_MODE, NONE, LinearModel, RelationModels
from redline.model import CATEGORIES
from redline.relate import Pair, featurise

DEV_SHARE = 5  # one sentence in five is held out
MIN_COUNT = 2  # features seen fewer times are dropped
MIN_LABEL = 20  # contexts seen fewer times get no model
REGULARISATION = 0.5  # inverse strength (scikit-learn's C)
CONTEXTS = {"military", "diplomatic", "economic", "political", "refugees", "elections", "cyber",
            "human_rights", "terrorism", "humanitarian", "legal", "environment", "health",
            "religious", "crime"}
# how the training sentences state their event (recorded, not yet learnt from)
TRAINING_STATUSES = {"asserted", "planned", "threatened", "hypothetical", "denied"}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled training pair."""

    pair: Pair
    event: str | None
    mode: str | None = None
    status: str = "asserted"
    context: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.event or NONE

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha1(self.pair.text.encode("utf-8")).hexdigest()
        return int(digest, 16) % DEV_SHARE == 0


def training_files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("relations*.jsonl"))
    if not files:
        raise RedlineError(f"{directory}: no relations*.jsonl training files")
    return files


def load_examples(directory: Path) -> list[Example]:
    """Every example of the training files, validated: an error names file, line, field."""
    modes = {name: set(cat.modes) for name, cat in load_lexicon().categories.items()}
    examples, seen = [], set()
    for path in training_files(directory):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(str(path), where, "-", f"not JSON: {exc.msg}") from exc
            if not isinstance(item, dict):
                raise DataFileError(str(path), where, "-", "must be a JSON object")
            for name in ("text", "source", "target"):
                value = item.get(name)
                if not isinstance(value, str) or not value.strip():
                    raise DataFileError(str(path), where, name, "must be a non-empty string")
                if name != "text" and value.lower() not in item["text"].lower():
                    raise DataFileError(str(path), where, name, "is not in the text")
            event, mode = item.get("event"), item.get("mode")
            if event is not None and event not in CATEGORIES:
                raise DataFileError(str(path), where, "event", f"unknown category {event!r}")
            if mode is not None and (event is None or mode not in modes[event]):
                raise DataFileError(str(path), where, "mode", f"{mode!r} is no mode of {event}")
            context = item.get("context") or []
            if not isinstance(context, list) or not set(context) <= CONTEXTS:
                raise DataFileError(str(path), where, "context",
                                    f"must be a list of PLOVER contexts ({sorted(CONTEXTS)})")
            status = item.get("status") or "asserted"
            if status not in TRAINING_STATUSES:
                raise DataFileError(str(path), where, "status", f"unknown status {status!r}")
            if item["text"] in seen:
                raise DataFileError(str(path), where, "text", "repeats an earlier sentence")
            seen.add(item["text"])
            examples.append(Example(Pair(item["text"], item["source"], item["target"]),
                                    event, mode, status, tuple(item.get("context") or ())))
    return examples


def data_digest(directory: Path) -> str:
    """A digest of the training files, stored with the model they made."""
    digest = hashlib.sha256()
    for path in training_files(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _matrix(features: Sequence[list[str]]) -> tuple[object, dict[str, int]]:
    from scipy.sparse import csr_matrix

    counts = Counter(f for row in features for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {name: i for i, name in enumerate(names)}
    rows, cols = [], []
    for r, row in enumerate(features):
        for c in sorted({index[f] for f in row if f in index}):
            rows.append(r)
            cols.append(c)
    return csr_matrix((np.ones(len(rows)), (rows, cols)),
                      shape=(len(features), len(names))), index


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise RedlineError('training needs scikit-learn: pip install -e ".[train]"') from exc
    return LogisticRegression


def fit(features: Sequence[list[str]], labels: Sequence[str], digest: str = ""
        ) -> LinearModel:
    """A multinomial logistic regression over binary features."""
    LogisticRegression = _sklearn()  # noqa: N806 - the class, imported late

    if len(set(labels)) < 2:
        raise RedlineError(f"training needs two labels at least; all examples are {labels[0]!r}")
    matrix, index = _matrix(features)
    model = LogisticRegression(C=REGULARISATION, max_iter=5000)
    model.fit(matrix, list(labels))
    coef, bias = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two labels: one row for the second; softmax wants both
        coef, bias = np.vstack([-coef / 2, coef / 2]), np.array([-bias[0] / 2, bias[0] / 2])
    return LinearModel(tuple(str(c) for c in model.classes_), index,
                       coef.T.astype(np.float32), bias.astype(np.float32), digest)


def fit_multilabel(features: Sequence[list[str]], label_sets: Sequence[set[str]],
                   digest: str = "") -> LinearModel:
    """One binary logistic regression per label seen ``MIN_LABEL`` times or more."""
    LogisticRegression = _sklearn()  # noqa: N806 - the class, imported late

    matrix, index = _matrix(features)
    counts = Counter(label for labels in label_sets for label in labels)
    labels = sorted(label for label, n in counts.items()  # seen enough, and not always
                    if MIN_LABEL <= n < len(label_sets))
    weights = np.zeros((len(index), len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    for j, label in enumerate(labels):
        model = LogisticRegression(C=REGULARISATION, max_iter=5000)
        model.fit(matrix, [label in found for found in label_sets])
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return LinearModel(tuple(labels), index, weights, bias, digest, multilabel=True)


def fit_all(examples: Sequence[Example], features: Sequence[list[str]], digest: str = ""
            ) -> RelationModels:
    """Category, mode and context models on the same features."""
    events = [i for i, e in enumerate(examples) if e.event]
    return RelationModels(
        fit(features, [e.label for e in examples], digest),
        fit([features[i] for i in events],
            [f"{examples[i].event}/{examples[i].mode or NO_MODE}" for i in events], digest),
        fit_multilabel([features[i] for i in events],
                       [set(examples[i].context) for i in events], digest),
    )


@dataclass
class TrainReport:
    examples: int
    held_out: int
    features: int
    model: Scores  # category, the model
    rules: Scores  # category, the rule coder alone
    modes: list[tuple[str, str]]  # (right, predicted) mode, given the right category
    path: Path

    def mode_accuracy(self) -> float:
        pairs = self.modes
        return round(sum(g == p for g, p in pairs) / len(pairs), 3) if pairs else 0.0


def train(directory: Path | None = None, out: Path | None = None,
          on_example: Callable[[], None] | None = None) -> TrainReport:
    """Fit the classifiers on the training files and write them to the folder
    ``out`` (the shipped models by default), reporting held-out scores."""
    directory = directory or data_path("training")
    out = out or data_path(MODEL_DIR)
    examples = load_examples(directory)
    features, rules, kept = [], [], []
    for example, (row, rule) in zip(examples, featurise(e.pair for e in examples), strict=True):
        if row is not None:  # a mention the tokenizer splits differently is left out
            features.append(row)
            rules.append(rule)
            kept.append(example)
        if on_example is not None:
            on_example()
    examples = kept
    train_at = [i for i, e in enumerate(examples) if not e.held_out]
    dev_at = [i for i, e in enumerate(examples) if e.held_out]
    trial = fit_all([examples[i] for i in train_at], [features[i] for i in train_at])
    report = TrainReport(len(examples), len(dev_at), 0, Scores(), Scores(), [], out)
    for i in dev_at:
        example = examples[i]
        scores = trial.category.scores(features[i])
        report.model.add(example.label, max(scores, key=scores.__getitem__))
        report.rules.add(example.label, rules[i])
        if example.event:
            report.modes.append((f"{example.event}/{example.mode or NO_MODE}",
                                       f"{example.event}/"
                                       f"{trial.mode_of(example.event, features[i]) or NO_MODE}"))
    final = fit_all(examples, features, data_digest(directory))
    final.save(out)
    report.features = len(final.category.index)
    return report
