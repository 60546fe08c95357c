import io
import json
from datetime import date

import pytest

from redline.ingest.inputs import read_inputs
from redline.ingest.plain import read_text
from redline.ingest.records import read_jsonl
from redline.ingest.sources import ReadOptions, Rejected
from redline.model import Article

OPTIONS = ReadOptions(published=date(2021, 12, 6))


def items(reader, data: bytes, options: ReadOptions = OPTIONS):
    return list(reader("input", io.BytesIO(data), options))


def test_ingest_sources_text_gives_one_article_with_title_and_date():
    [article] = items(read_text, b"Russia masses troops\n\nRussia massed troops on Monday.\n")
    assert isinstance(article, Article)
    assert article.title == "Russia masses troops"
    assert article.published == date(2021, 12, 6)
    assert article.url is None and len(article.id) == 64


def test_ingest_sources_same_text_same_id():
    a = items(read_text, b"Russia massed troops.")[0]
    b = items(read_text, b"Russia   massed troops.\n")[0]
    assert a.id == b.id


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("caf\u00e9".encode("latin-1") + b" au lait", "invalid UTF-8"),
    ],
)
def test_ingest_sources_text_rejects_bad_files_with_reason(data, problem):
    [reject] = items(read_text, data)
    assert isinstance(reject, Rejected)
    assert problem in reject.problem
    assert reject.source == "input"


def test_ingest_sources_text_rejects_oversized_articles():
    [reject] = items(read_text, b"word " * 300_000, ReadOptions(max_mb=1))
    assert isinstance(reject, Rejected) and "too large" in reject.problem


def test_ingest_sources_jsonl_keeps_good_lines_and_reports_bad_ones():
    lines = [
        json.dumps({"url": "https://x.example/1", "title": "A", "published": "2022-01-10",
                    "text": "NATO met Russia."}),
        "{not json",
        json.dumps({"text": ""}),
        json.dumps(["a list"]),
        json.dumps({"text": "Kyiv asked for aid.", "published": "last Tuesday"}),
        "",
        json.dumps({"text": "Moscow rejected the demand."}),
    ]
    result = items(read_jsonl, "\n".join(lines).encode())
    articles = [r for r in result if isinstance(r, Article)]
    rejects = [r for r in result if isinstance(r, Rejected)]
    assert [a.title for a in articles] == ["A", None]
    assert articles[0].published == date(2022, 1, 10)
    assert articles[1].published == date(2021, 12, 6)  # falls back to --published
    assert [r.line for r in rejects] == [2, 3, 4, 5]
    assert "malformed JSON" in rejects[0].problem
    assert "unknown date" in rejects[3].problem


def test_ingest_sources_directories_are_walked(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Russia massed troops.")
    (tmp_path / "sub" / "b.jsonl").write_text(json.dumps({"text": "NATO met."}) + "\n")
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    found = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")], OPTIONS))
    assert sum(isinstance(f, Article) for f in found) == 2
    [missing] = [f for f in found if isinstance(f, Rejected)]
    assert "no such file" in missing.problem


def test_ingest_sources_hidden_files_are_skipped_but_dotted_paths_are_not(tmp_path):
    root = tmp_path / ".cache" / "corpus"
    (root / ".git").mkdir(parents=True)
    (root / "a.txt").write_text("Russia massed troops.")
    (root / ".git" / "b.txt").write_text("NATO met.")
    found = list(read_inputs([str(root / ".." / "corpus")], OPTIONS))
    assert [a.origin.endswith("a.txt") for a in found] == [True]
