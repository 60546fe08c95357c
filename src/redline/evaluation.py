"""Scoring the coder against gold sets (``redline eval``).

Two kinds of gold file are read:

- PLOVER JSON records (``text``, ``event``, ``source``/``target`` lists with
  ``code``/``sector``): full extraction is scored. A gold event is found when
  a record coded from its text has the same category and the gold actor and
  recipient codes; every other record coded from those texts is a false
  positive. Old labels map as DESIGN.md says (DEMAND -> REQUEST, DISAPPROVE ->
  ACCUSE, FIGHT -> ASSAULT, YIELD -> CONCEDE or RETREAT); labels outside the 16
  categories are left out.
- PLV-style TSV (``sentence``, ``source``, ``target``, ``gold_root``): relation
  classification is scored: the category ``redline.relate`` gives between the
  two actors, or ``none``.

Gold sets measure; nothing here trains or tunes anything.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from redline.errors import InputError
from redline.extract import extract_articles
from redline.extract.relations import NONE
from redline.ingest.published import parse_published
from redline.model import CATEGORIES, Article, plover_categories
from redline.relate import Pair, relate_pairs

CAMEO_CODES = {"JAP": "JPN", "ITL": "ITA", "UK": "GBR", "GER": "DEU", "ROM": "ROU"}


def gold_labels(label: str) -> tuple[str, ...]:
    """The PLOVER categories an old or current gold label stands for (empty: none)."""
    return plover_categories(label)


@dataclass(slots=True)
class Scores:
    """Per-category counts and the confusion of gold against predicted labels."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> n
    actors: Counter = field(default_factory=Counter)  # matched / total gold actors

    def add(self, gold: str, predicted: str) -> None:
        self.confusion[(gold, predicted)] += 1
        if gold == predicted:
            if gold != NONE:
                self.tp[gold] += 1
        else:
            if predicted != NONE:
                self.fp[predicted] += 1
            if gold != NONE:
                self.fn[gold] += 1

    def per_category(self) -> dict[str, dict]:
        """Precision, recall, F1 and counts of each category in the gold set."""
        found = {}
        for cat in CATEGORIES:
            tp, fp, fn = self.tp[cat], self.fp[cat], self.fn[cat]
            if tp + fn == 0:
                continue  # not in the gold set
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            found[cat] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                          "gold": tp + fn, "predicted": tp + fp}
        return found

    def summary(self) -> dict:
        per = self.per_category()
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        total = self.actors["total"]
        return {
            "n": sum(self.confusion.values()),
            "macro_f1": round(sum(x["f1"] for x in per.values()) / len(per), 3) if per else 0.0,
            "per_category": per,
            "micro": {"precision": round(p, 3), "recall": round(r, 3),
                      "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0},
            "actor_agreement": {"share": round(self.actors["matched"] / total, 3),
                                "matched": self.actors["matched"], "total": total}
            if total else None,
            "confusion": [{"gold": g, "predicted": pr, "n": n}
                          for (g, pr), n in sorted(self.confusion.items())],
        }


def _codes(actors: Iterable[dict]) -> set[str]:
    return {a["code"] for a in actors if a.get("code")}


def _gold_codes(value: object) -> set[str]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return set()
    return {CAMEO_CODES.get(a.get("code"), a.get("code")) for a in value
            if isinstance(a, dict) and a.get("code")}


def _matches(gold: set[str], ours: set[str]) -> bool:
    """Gold codes all reproduced; the gold's generic IGO matches any organisation."""
    for code in gold:
        if code == "IGO":
            if not any(c in ORG_LIKE or len(c) != 3 for c in ours):
                return False
        elif code not in ours:
            return False
    return True


# three-letter organisation codes (other organisation codes are not three letters long)
ORG_LIKE = frozenset({"NATO", "EU", "UN", "OSCE", "AU", "ASEAN", "IAEA", "IMF", "WB", "WHO",
                      "ICC", "ICJ", "OPEC", "ARL", "GCC", "COE", "G7", "G20", "SCO", "CSTO",
                      "UNHCR", "ICRC", "OAS", "OIC", "WTO", "OECD", "APEC", "ECOWAS", "IGO"})


def score_plover_json(path: Path) -> Scores:
    """Full extraction against PLOVER JSON gold records."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"not a PLOVER JSON gold file: {exc}") from exc
    gold = [r for r in records if isinstance(r, dict) and r.get("text")
            and gold_labels(r.get("event"))]
    articles = [Article.create(r["text"], id=f"gold:{i}",
                               published=parse_published(r.get("date"), str(path)))
                for i, r in enumerate(gold)]
    scores = Scores()
    predicted = {a.id: [e.to_record() for e in events]
                 for a, events, _ in extract_articles(articles)}
    for article, record in zip(articles, gold, strict=True):
        labels = gold_labels(record["event"])
        sources, targets = _gold_codes(record.get("source")), _gold_codes(record.get("target"))
        ours = predicted.get(article.id, [])
        hit = next((r for r in ours if r["event"] in labels
                    and _matches(sources, _codes(r["actor"]) | _codes(r["recipient"]))
                    and _matches(targets, _codes(r["recipient"]) | _codes(r["actor"]))), None)
        scores.add(labels[0] if hit is None else hit["event"],
                   hit["event"] if hit else NONE)
        for r in ours:
            if r is not hit:
                scores.fp[r["event"]] += 1
        for gold_code in sources | targets:
            scores.actors["total"] += 1
            scores.actors["matched"] += any(_matches({gold_code}, _codes(r["actor"])
                                                     | _codes(r["recipient"])) for r in ours)
    return scores


def score_plv_tsv(path: Path, given_related: bool = False) -> Scores:
    """Relation classification against a PLV-style TSV. ``given_related``: the pair is
    known to be related (as in PLV, where every pair has a category), so the best
    category is the answer even where ``none`` scores higher — how systems that
    always name a category are scored."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    needed = {"sentence", "source", "target", "gold_root"}
    if not rows or not needed <= set(rows[0]):
        raise InputError(str(path), f"a PLV TSV needs the columns {sorted(needed)}")
    pairs = [Pair(r["sentence"], r["source"], r["target"]) for r in rows]
    scores = Scores()
    for row, found in zip(rows, relate_pairs(pairs), strict=True):
        labels = gold_labels(row["gold_root"]) or (NONE,)
        guess = found["event"] or NONE
        if given_related and guess == NONE:
            guess = next((label for label in found["scores"] if label != NONE), NONE)
        scores.add(guess if guess in labels else labels[0], guess)
    return scores


def evaluate(path: Path, given_related: bool = False) -> dict:
    """Score the coder on a gold file (PLOVER JSON or PLV TSV) and return the figures;
    ``given_related``: see ``score_plv_tsv`` (relation classification only)."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such gold file")
    if path.suffix.lower() in (".tsv", ".tab"):
        kind, scores = "relation classification", score_plv_tsv(path, given_related)
    elif given_related:
        raise InputError("--given-related", "applies to relation classification (a PLV TSV)")
    else:
        kind, scores = "full extraction", score_plover_json(path)
    return {"gold": str(path), "task": kind, **scores.summary()}
