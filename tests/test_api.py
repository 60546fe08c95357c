"""The Python API: redline.extract and redline.open."""

from __future__ import annotations

import pyarrow as pa
import pytest

import redline
from redline.ingest.sources import ReadOptions
from redline.runner import ingest

pytestmark = pytest.mark.slow


def test_api_extract_returns_records():
    records = redline.extract("NATO will hold talks with Russia next week.",
                              published="2022-01-05")
    [talks] = [r for r in records if r["event"] == "CONSULT"]
    assert talks["status"] == "planned" and talks["date"] == "2022-01-10"


def test_api_extract_quotes():
    [quote] = redline.extract('"We are ready," Zelensky said.', published="2022-02-20",
                              what="quotes")
    assert quote["speaker"]["name"] == "Volodymyr Zelensky"


def test_api_extract_rejects_unknown_what():
    with pytest.raises(ValueError):
        redline.extract("Russia massed troops.", what="places")


def test_api_open_queries_return_arrow(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("Russian forces shelled Kharkiv on Tuesday.")
    with redline.open(tmp_path / "x.duckdb") as store:
        report = ingest([str(path)], store, ReadOptions())
        assert report.added == 1 and not report.rejects
        table = store.events()
        assert isinstance(table, pa.Table)
        assert table.column("event").to_pylist() == ["ASSAULT"]
        assert isinstance(store.quotes(), pa.Table)
        assert store.articles().num_rows == 1
