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


_VIEWS: dict = {}  # the sentence views of the document being coded


@dataclass(frozen=True, slots=True)
class SentenceView:
    """A sentence's parse as plain lists (indexed by doc position), read once for
    all the pairs in it."""

    start: int
    words: list[str]  # lemma, or <name> for proper nouns
    pos: list[str]
    dep: list[str]
    head: list[int]
    lower: list[str]
    modal: list[bool]
    lexicon_categories: list[tuple[str, ...]]

    @classmethod
    def of(cls, sent: Span, lexicon: Lexicon | None) -> SentenceView:
        if _VIEWS.get("doc") is not sent.doc:  # one document at a time, kept alive
            _VIEWS.clear()
            _VIEWS["doc"] = sent.doc
        cache = _VIEWS.setdefault("views", {})
        key = (sent.start, sent.end, id(lexicon))
        if key not in cache:
            categories = []
            for tok in sent:
                table = (None if lexicon is None else
                         lexicon.verbs if tok.pos_ in ("VERB", "AUX") else lexicon.nouns)
                found = table.get(tok.lemma_.lower(), ()) if table is not None else ()
                categories.append(tuple(sorted({trigger.event for trigger in found})))
            cache[key] = cls(sent.start, [_lemma(t) for t in sent], [t.pos_ for t in sent],
                             [t.dep_ for t in sent], [t.head.i for t in sent],
                             [t.lower_ for t in sent], [t.tag_ == "MD" for t in sent],
                             categories)
        return cache[key]

    def up(self, i: int) -> list[int]:
        chain = [i]
        while self.head[chain[-1] - self.start] != chain[-1]:
            chain.append(self.head[chain[-1] - self.start])
        return chain

    def path(self, s: int, t: int) -> tuple[list[int], int, list[int]]:
        """The dependency path between two positions: up from ``s``, the lowest
        common ancestor, up from ``t`` (each side without the ancestor)."""
        up_s, up_t = self.up(s), self.up(t)
        t_chain = {i: n for n, i in enumerate(up_t)}
        lca_at = next((n for n, i in enumerate(up_s) if i in t_chain), len(up_s) - 1)
        lca = up_s[lca_at]
        return up_s[:lca_at], lca, up_t[:t_chain.get(lca, len(up_t))]


def _sentences(source: Span, target: Span) -> Span:
    """The sentence of two mentions (all the sentences they touch, when the parser
    split them or a mention runs across a sentence boundary)."""
    one = source.sent
    first, last = min(source.start, target.start), max(source.end, target.end)
    if one.start <= first and last <= one.end:
        return one
    doc = source.doc
    sentences = [doc[i].sent for i in (first, last - 1)]
    return doc[min(one.start, sentences[0].start): max(one.end, sentences[1].end)]


def junction(source: Span, target: Span) -> Token:
    """The word that joins two mentions in the parse: their lowest common ancestor
    ("bombed" in "Israeli jets bombed Hamas positions")."""
    view = SentenceView.of(_sentences(source, target), None)
    return source.doc[view.path(source.root.i, target.root.i)[1]]


def pair_features(source: Span, target: Span, rule: str | None = None,
                  lexicon: Lexicon | None = None) -> list[str]:
    """The features of a (source, target) mention pair in their sentence; with the
    lexicon, also the categories its words would trigger."""
    v = SentenceView.of(_sentences(source, target), lexicon)
    o = v.start
    w, pos, dep, head = v.words, v.pos, v.dep, v.head
    s, t = source.root.i, target.root.i
    inside = set(range(source.start, source.end)) | set(range(target.start, target.end))
    s_path, lca, t_path = v.path(s, t)
    lca_word = w[lca - o]
    s_deps = "<".join(dep[i - o] for i in s_path)
    t_deps = ">".join(dep[i - o] for i in reversed(t_path))
    features = [
        f"path={s_deps}^{lca_word}^{t_deps}", f"deps={s_deps}^{pos[lca - o]}^{t_deps}",
        f"lca={lca_word}", f"lca_pos={pos[lca - o]}", f"s_dep={dep[s - o]}",
        f"t_dep={dep[t - o]}", f"s_head={w[head[s - o] - o]}:{dep[s - o]}",
        f"t_head={w[head[t - o] - o]}:{dep[t - o]}",
        "s_first" if source.start < target.start else "t_first",
        f"rule={rule or NONE}",
    ]
    on_path = [*s_path[1:], *t_path[1:]]
    for i in on_path:
        features.append(f"on={w[i - o]}")
        features.append(f"on_dep={w[i - o]}:{dep[i - o]}")
    for i in range(len(w)):
        if head[i] != lca or i + o == lca:
            continue
        if dep[i] == "neg":
            features.append("lca_neg")
        elif dep[i] == "aux" and v.modal[i]:
            features.append(f"lca_modal={w[i]}")
        elif dep[i] in ("dobj", "attr", "prt", "xcomp", "ccomp", "acomp") and \
                i + o not in inside:
            features.append(f"lca_{dep[i]}={w[i]}")
    for end, i in (("s", s), ("t", t)):
        if dep[i - o] == "pobj":
            prep = head[i - o]
            features.append(f"{end}_prep={v.lower[prep - o]}:{w[head[prep - o] - o]}")
        if dep[i - o] in ("nsubjpass", "agent") or dep[head[i - o] - o] == "agent":
            features.append(f"{end}_passive")
    first, second = sorted((source, target), key=lambda span: span.start)
    between = [i for i in range(first.end, second.start) if pos[i - o] not in SKIP_POS]
    features += [f"btw={w[i - o]}" for i in between]
    features += [f"btw2={w[a - o]}_{w[b - o]}" for a, b in zip(between, between[1:],
                                                             strict=False)]
    if len(between) > 12:
        features.append("far")
    features += [f"w={w[i]}" for i in range(len(w))
                 if pos[i] in CONTENT_POS and i + o not in inside]
    if lexicon is not None:
        on_set, between_set = set(on_path), set(between)
        for i, categories in enumerate(v.lexicon_categories):
            if not categories:
                continue
            where = ("lca" if i + o == lca else "on" if i + o in on_set
                     else "btw" if i + o in between_set else "w")
            features += [f"lex_{where}={cat}" for cat in categories]
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
