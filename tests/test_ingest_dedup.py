"""One story, counted once: exact copies, near copies, other languages."""

import json
from pathlib import Path

import pytest

from redline.ingest.dedup import Duplicates, content_hash, signature
from redline.ingest.language import language_of
from redline.ingest.sources import ReadOptions
from redline.model import Article
from redline.runner import ingest
from redline.store import Store, table_records

STORY = ("Russian troops massed along the border with Ukraine on Monday, according to "
         "officials in Kyiv, who said more than 90,000 soldiers had gathered near the "
         "frontier. Washington warned Moscow that an invasion would bring sanctions. "
         "The Kremlin denied any plan to attack its neighbour and accused NATO of provocations.")
EDITED = STORY.replace("on Monday", "late on Monday").replace("more than", "over") + \
    " Reporting by our correspondent."
OTHER = ("Ethiopian forces shelled the Tigrayan town of Mekelle, killing at least 12 people, "
         "hospital staff said, as the African Union urged both sides to accept a truce and "
         "open roads for aid convoys into the region.")
FRENCH = ("Les troupes russes se sont massées à la frontière ukrainienne lundi, selon des "
          "responsables à Kiev, qui ont déclaré que plus de 90 000 soldats étaient réunis.")


def test_ingest_dedup_content_hash_ignores_spacing_and_case():
    assert content_hash("Russia  massed\ntroops.") == content_hash("russia massed troops.")
    assert content_hash("Russia massed troops.") != content_hash("Russia massed tanks.")


def test_ingest_dedup_near_copies_join_the_first_story():
    known = Duplicates()
    a = Article.create(STORY, url="https://a.example/1")
    assert known.cluster_of(a, content_hash(STORY), signature(STORY)) is None
    edited = Article.create(EDITED, url="https://b.example/1")
    assert known.cluster_of(edited, content_hash(EDITED), signature(EDITED)) == a.id
    other = Article.create(OTHER)
    assert known.cluster_of(other, content_hash(OTHER), signature(OTHER)) is None
    # stories stored by an earlier run are compared with too
    later = Duplicates([(a.id, content_hash(STORY), signature(STORY))])
    assert later.cluster_of(edited, content_hash(EDITED), signature(EDITED)) == a.id


def test_ingest_dedup_language_identification_keeps_short_english_texts():
    assert language_of(FRENCH) == "fr"
    assert language_of(STORY) == "en"
    assert language_of("NATO met.") == "en"  # too short to be sure of anything else


@pytest.fixture
def wire(tmp_path: Path) -> str:
    rows = [
        {"url": "https://a.example/1", "source": "Wire A", "published": "2021-12-06",
         "text": STORY},
        {"url": "https://b.example/copy", "source": "Paper B", "published": "2021-12-06",
         "text": STORY},  # the same text elsewhere: an exact copy
        {"url": "https://c.example/edit", "published": "2021-12-07", "text": EDITED},
        {"url": "https://d.example/fr", "published": "2021-12-06", "text": FRENCH},
        {"url": "https://e.example/2", "source": "Wire A", "published": "2021-12-08",
         "text": OTHER},
        {"url": "https://a.example/1", "published": "2021-12-06", "text": STORY},  # same URL
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


@pytest.mark.slow
def test_ingest_dedup_a_story_is_coded_once_and_counted_by_its_reports(wire: str):
    with Store(":memory:") as store:
        report = ingest([wire], store, ReadOptions())
        assert (report.added, report.copies, report.foreign, report.skipped) == (2, 2, 1, 1)
        events = table_records(store.events(counts=True))
        story = next(a.id for a in [Article.create(STORY, url="https://a.example/1")])
        from_story = [e for e in events if e["article_id"] == story]
        assert from_story and all(
            (e["num_articles"], e["num_sources"]) == (3, 3) for e in from_story)
        assert all(e["article_id"] in {story, Article.create(
            OTHER, url="https://e.example/2").id} for e in events)
        again = ingest([wire], store, ReadOptions())
        assert (again.added, again.copies, again.skipped) == (0, 0, 5)
        [run, _] = table_records(store.runs())
        assert (run["copies"], run["foreign_language"], run["articles_skipped"]) == (0, 1, 5)
