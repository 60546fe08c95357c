"""The nlp stage: the spaCy pipeline, the actor knowledge base, the gazetteer."""

from redline.nlp.gazetteer import Gazetteer, load_gazetteer
from redline.nlp.kb import Entry, KnowledgeBase, load_kb, shipped_kb
from redline.nlp.pipeline import load_nlp

__all__ = ["Entry", "Gazetteer", "KnowledgeBase", "load_gazetteer", "load_kb", "load_nlp",
           "shipped_kb"]
