"""The relation classifier: which PLOVER category goes from one actor mention
to another in a sentence, or none.

A multinomial logistic regression over features of the parse: the dependency
path between the two mentions and the words on it, the words between them,
how each mention attaches to the sentence, the sentence's content words, and
what the rule coder found between them. Two more models on the same features
give the mode within the category and the contexts. Trained by ``redline
train`` on the sentences in ``data/training`` (written by us); the shipped
weights live in ``data/models/``. Inference is a sparse dot product in numpy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span, Token

from redline.data import data_path
from redline.extract.lexicon import Lexicon

NONE = "none"
NO_MODE = "-"
# a context is given from this probability on (the best F1 on our held-out sentences)
CONTEXT_THRESHOLD = 0.3
MODEL_DIR = "models"
MODEL_FILES = {"category": "relations.npz", "mode": "modes.npz", "context": "contexts.npz"}
CONTENT_POS = {"VERB", "NOUN", "ADJ", "ADV", "ADP", "PART"}
SKIP_POS = {"DET", "PUNCT", "SPACE"}


def find_mention(doc: Doc, mention: str, after: Span | None = None) -> Span | None:
    """The span of ``doc`` a mention's words name (first occurrence, case and
    white space aside), avoiding the span ``after`` already taken."""
    words = mention.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    for match in re.finditer(r"(?<!\w)" + pattern + r"(?!\w)", doc.text, re.IGNORECASE):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or not len(span):
            continue
        if after is not None and span.start < after.end and after.start < span.end:
            continue
        return span
    return None


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.pos_ != "PROPN" else "<name>"


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _path(s: Token, t: Token) -> tuple[list[Token], Token, list[Token]]:
    """The dependency path between two tokens: up from ``s``, the lowest common
    ancestor, up from ``t`` (each side without the ancestor)."""
    up_s, up_t = _ancestors(s), _ancestors(t)
    t_chain = {tok.i: n for n, tok in enumerate(up_t)}
    lca_at = next((n for n, tok in enumerate(up_s) if tok.i in t_chain), len(up_s) - 1)
    lca = up_s[lca_at]
    return up_s[:lca_at], lca, up_t[:t_chain.get(lca.i, len(up_t))]


def junction(source: Span, target: Span) -> Token:
    """The word that joins two mentions in the parse: their lowest common ancestor
    ("bombed" in "Israeli jets bombed Hamas positions")."""
    return _path(source.root, target.root)[1]


def _lexicon_categories(token: Token, lexicon: Lexicon | None) -> set[str]:
    """The categories the lexicon gives a word as a trigger (whatever its arguments)."""
    if lexicon is None:
        return set()
    table = lexicon.verbs if token.pos_ in ("VERB", "AUX") else lexicon.nouns
    return {trigger.event for trigger in table.get(token.lemma_.lower(), ())}


def pair_features(source: Span, target: Span, rule: str | None = None,
                  lexicon: Lexicon | None = None) -> list[str]:
    """The features of a (source, target) mention pair in their sentence; with the
    lexicon, also the categories its words would trigger."""
    doc = source.doc
    s, t = source.root, target.root
    inside = set(range(source.start, source.end)) | set(range(target.start, target.end))
    s_path, lca, t_path = _path(s, t)
    lca_word = _lemma(lca)
    s_deps = "<".join(tok.dep_ for tok in s_path)
    t_deps = ">".join(tok.dep_ for tok in reversed(t_path))
    features = [
        f"path={s_deps}^{lca_word}^{t_deps}", f"deps={s_deps}^{lca.pos_}^{t_deps}",
        f"lca={lca_word}", f"lca_pos={lca.pos_}", f"s_dep={s.dep_}", f"t_dep={t.dep_}",
        f"s_head={_lemma(s.head)}:{s.dep_}", f"t_head={_lemma(t.head)}:{t.dep_}",
        "s_first" if source.start < target.start else "t_first",
        f"rule={rule or NONE}",
    ]
    for tok in (*s_path[1:], *t_path[1:]):
        features.append(f"on={_lemma(tok)}")
        features.append(f"on_dep={_lemma(tok)}:{tok.dep_}")
    for child in lca.children:
        if child.dep_ == "neg":
            features.append("lca_neg")
        elif child.dep_ == "aux" and child.tag_ == "MD":
            features.append(f"lca_modal={child.lemma_.lower()}")
        elif child.dep_ in ("dobj", "attr", "prt", "xcomp", "ccomp", "acomp") and \
                child.i not in inside:
            features.append(f"lca_{child.dep_}={_lemma(child)}")
    for end, tok in (("s", s), ("t", t)):
        if tok.dep_ == "pobj":
            features.append(f"{end}_prep={tok.head.lower_}:{_lemma(tok.head.head)}")
        if tok.dep_ in ("nsubjpass", "agent") or tok.head.dep_ == "agent":
            features.append(f"{end}_passive")
    first, second = sorted((source, target), key=lambda span: span.start)
    between = [tok for tok in doc[first.end:second.start] if tok.pos_ not in SKIP_POS]
    features += [f"btw={_lemma(tok)}" for tok in between]
    features += [f"btw2={_lemma(a)}_{_lemma(b)}" for a, b in zip(between, between[1:],
                                                               strict=False)]
    if len(between) > 12:
        features.append("far")
    sentence = source.sent
    features += [f"w={_lemma(tok)}" for tok in sentence
                 if tok.pos_ in CONTENT_POS and tok.i not in inside]
    if lexicon is not None:
        on_path = {tok.i for tok in (*s_path[1:], *t_path[1:])}
        between_at = {tok.i for tok in between}
        for tok in sentence:
            where = ("lca" if tok.i == lca.i else "on" if tok.i in on_path
                     else "btw" if tok.i in between_at else "w")
            features += [f"lex_{where}={cat}" for cat in _lexicon_categories(tok, lexicon)]
    return features


@dataclass(frozen=True)
class LinearModel:
    """Weights of a trained linear classifier: one row per feature, one column per
    label. Softmax over the labels, or (``multilabel``) a sigmoid for each."""

    labels: tuple[str, ...]
    index: Mapping[str, int]
    weights: np.ndarray
    bias: np.ndarray
    data_digest: str = ""
    multilabel: bool = False

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        """Probability of each label for one pair's features."""
        rows = sorted({self.index[f] for f in features if f in self.index})
        logits = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        if self.multilabel:
            probs = 1.0 / (1.0 + np.exp(-logits))
        else:
            exp = np.exp(logits - logits.max())
            probs = exp / exp.sum()
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.index, key=self.index.__getitem__)
        with path.open("wb") as handle:
            np.savez_compressed(handle, labels=np.array(self.labels), features=np.array(names),
                                weights=self.weights.astype(np.float32),
                                bias=self.bias.astype(np.float32),
                                data_digest=np.array(self.data_digest),
                                multilabel=np.array(self.multilabel))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            names = [str(n) for n in data["features"]]
            return cls(tuple(str(label) for label in data["labels"]),
                       {name: i for i, name in enumerate(names)},
                       data["weights"], data["bias"], str(data["data_digest"]),
                       bool(data["multilabel"]))


@dataclass(frozen=True)
class RelationModels:
    """The shipped classifiers: category (or none), mode within a category, contexts."""

    category: LinearModel
    mode: LinearModel
    context: LinearModel

    def mode_of(self, category: str, features: list[str]) -> str | None:
        """The likeliest mode of ``category`` (None when no mode is likelier)."""
        scores = self.mode.scores(features)
        mine = {label: p for label, p in scores.items() if label.startswith(category + "/")}
        if not mine:
            return None
        best = max(mine, key=mine.__getitem__).split("/", 1)[1]
        return None if best == NO_MODE else best

    def contexts_of(self, features: list[str], threshold: float = CONTEXT_THRESHOLD
                    ) -> list[str]:
        return sorted(c for c, p in self.context.scores(features).items() if p >= threshold)

    def save(self, directory: Path) -> None:
        for name in MODEL_FILES:
            getattr(self, name).save(directory / MODEL_FILES[name])

    @classmethod
    def load(cls, directory: Path) -> RelationModels | None:
        paths = {name: directory / file for name, file in MODEL_FILES.items()}
        if not all(p.exists() for p in paths.values()):
            return None
        return cls(**{name: LinearModel.load(p) for name, p in paths.items()})


@lru_cache(maxsize=1)
def shipped_models() -> RelationModels | None:
    """The models shipped with redline, or None when they have not been trained."""
    return RelationModels.load(data_path(MODEL_DIR))
