"""The ingest stage: inputs (files, directories, JSONL, stdin) to articles,
with what cannot be read reported, never raised; readers are registered as
``redline.sources`` entry points."""

from redline.ingest.inputs import read_inputs
from redline.ingest.sources import ReadOptions, Rejected, Source

__all__ = ["ReadOptions", "Rejected", "Source", "read_inputs"]
