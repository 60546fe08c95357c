"""Readers for every input format: CSV, HTML, RSS/Atom, WARC, .gz and .zip."""

import gzip
import io
import json
import zipfile
from datetime import date

import pytest

from redline.ingest.inputs import count_articles, read_inputs
from redline.ingest.sources import ReadOptions, Rejected, source_for
from redline.model import Article

OPTIONS = ReadOptions(published=date(2021, 12, 6))

PAGE = """<html><head><title>Troops mass at border | World Desk</title>
<link rel="canonical" href="https://news.example.org/world/troops-mass"/>
<meta property="og:site_name" content="Example Wire"/>
<meta property="article:published_time" content="2021-12-03T08:00:00Z"/></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Troops mass at border</h1>
<p>Russian troops massed along the border with Ukraine on Friday, officials in Kyiv said.</p>
<p>Washington threatened sanctions against Moscow if it invaded its neighbour.</p></article>
<footer>Copyright Example Wire. All rights reserved.</footer></body></html>"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>NATO meets</title><link>https://news.example.org/a</link>
<pubDate>Mon, 10 Jan 2022 09:00:00 GMT</pubDate>
<description>&lt;p&gt;NATO envoys met Russian diplomats in Brussels.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://news.example.org/b</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>Kyiv asks for aid</title><link href="https://desk.example.net/1"/>
<updated>2022-02-01T10:00:00Z</updated>
<content type="html">&lt;p&gt;Ukraine asked its allies for air defence systems.&lt;/p&gt;</content>
</entry></feed>"""


def read(tmp_path, name: str, data: bytes, options: ReadOptions = OPTIONS, forced=None):
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_inputs([str(path)], options, forced=forced))


def test_ingest_formats_suffixes_choose_readers():
    assert source_for("a.warc.gz").name == "warc"
    assert source_for("a.jsonl.gz").name == "gzip"
    assert source_for("A.HTML").name == "html"
    assert source_for("notes.bin") is None


def test_ingest_formats_csv_maps_columns_and_reports_bad_rows(tmp_path):
    data = (b"headline,body,day,link\n"
            b"Troops,Russia massed troops near the border.,2021-12-03,https://x.example/1\n"
            b"Empty,,2021-12-04,https://x.example/2\n"
            b"Bad date,NATO met Russia.,soon,https://x.example/3\n"
            b'"Quoted","Kyiv asked for aid, again.",,\n')
    options = ReadOptions(published=date(2021, 12, 6),
                          columns={"text": "body", "title": "headline", "published": "day",
                                   "url": "link"})
    found = read(tmp_path, "export.csv", data, options)
    articles = [f for f in found if isinstance(f, Article)]
    rejects = [f for f in found if isinstance(f, Rejected)]
    assert [a.title for a in articles] == ["Troops", "Quoted"]
    assert articles[0].published == date(2021, 12, 3) and articles[0].url == "https://x.example/1"
    assert articles[1].published == date(2021, 12, 6) and articles[1].url is None
    assert [(r.line, "body" in r.problem or "date" in r.problem) for r in rejects] == [
        (3, True), (4, True)]


def test_ingest_formats_csv_without_the_text_column_says_how_to_map_it(tmp_path):
    [reject] = read(tmp_path, "x.csv", b"headline,content\nA,B\n")
    assert "--column text=NAME" in reject.problem and reject.line == 1


def test_ingest_formats_jsonl_keys_map_too(tmp_path):
    line = json.dumps({"body": "Russia massed troops.", "site": "Wire"}) + "\n"
    [article] = read(tmp_path, "x.jsonl", line.encode(),
                     ReadOptions(columns={"text": "body", "source": "site"}))
    assert article.source == "Wire"


def test_ingest_formats_html_gives_text_and_metadata_without_boilerplate(tmp_path):
    [article] = read(tmp_path, "page.html", PAGE.encode())
    assert article.url == "https://news.example.org/world/troops-mass"
    assert article.source == "Example Wire"
    assert article.published == date(2021, 12, 3)
    assert article.title.startswith("Troops mass at border")
    assert "Russian troops massed" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text


def test_ingest_formats_html_without_an_article_is_rejected(tmp_path):
    [reject] = read(tmp_path, "nav.html", b"<html><body><nav>Home</nav></body></html>")
    assert isinstance(reject, Rejected) and "no article text" in reject.problem


def test_ingest_formats_rss_and_atom_entries_are_articles(tmp_path):
    rss = read(tmp_path, "wire.rss", RSS.encode())
    [article] = [f for f in rss if isinstance(f, Article)]
    [empty] = [f for f in rss if isinstance(f, Rejected)]
    assert article.url == "https://news.example.org/a"
    assert article.published == date(2022, 1, 10) and article.source == "Example Wire"
    assert article.text == "NATO meets\n\nNATO envoys met Russian diplomats in Brussels."
    assert empty.source.endswith("wire.rss#2") and "without text" in empty.problem
    [atom] = read(tmp_path, "desk.xml", ATOM.encode(), forced="feed")
    assert atom.published == date(2022, 2, 1) and "air defence" in atom.text


def test_ingest_formats_a_file_that_is_no_feed_is_rejected(tmp_path):
    [reject] = read(tmp_path, "x.rss", b"<html>not a feed</html>")
    assert "not an RSS or Atom feed" in reject.problem


def warc_bytes(pages: list[tuple[str, bytes, str]], gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, body, kind in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_formats_warc_responses_are_pages(tmp_path, gz):
    data = warc_bytes([("https://news.example.org/p", PAGE.encode(), "text/html"),
                       ("https://news.example.org/logo.png", b"\x89PNG", "image/png"),
                       ("https://news.example.org/q", b"<html><body></body></html>",
                        "text/html; charset=utf-8")], gz)
    found = read(tmp_path, "crawl.warc.gz" if gz else "crawl.warc", data)
    [article] = [f for f in found if isinstance(f, Article)]
    [reject] = [f for f in found if isinstance(f, Rejected)]
    assert article.url == "https://news.example.org/world/troops-mass"  # the canonical URL
    assert reject.source.endswith("#3") and "no article text" in reject.problem


def test_ingest_formats_gz_and_zip_are_opened_by_their_members_names(tmp_path):
    jsonl = b"".join(json.dumps({"text": t}).encode() + b"\n"
                     for t in ("Russia massed troops.", "NATO met."))
    found = read(tmp_path, "a.jsonl.gz", gzip.compress(jsonl))
    assert [a.text for a in found] == ["Russia massed troops.", "NATO met."]
    assert found[1].origin.endswith("a.jsonl:2")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("news/one.txt", "Kyiv asked for aid.")
        archive.writestr("news/page.html", PAGE)
        archive.writestr("news/image.png", b"\x89PNG")
        archive.writestr("news/.hidden.txt", "Hidden.")
    found = read(tmp_path, "bundle.zip", buffer.getvalue())
    assert [a.origin.split("!")[1] for a in found] == ["news/one.txt", "news/page.html"]


def test_ingest_formats_damaged_archives_are_rejected(tmp_path):
    [bad_gz] = read(tmp_path, "a.txt.gz", b"\x1f\x8b\x08\x00garbage")
    assert "damaged gzip" in bad_gz.problem
    [bad_zip] = read(tmp_path, "b.zip", b"PK\x03\x04 nope")
    assert "not a readable zip" in bad_zip.problem


def test_ingest_formats_counting_articles_for_the_progress_bar(tmp_path):
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n\n')
    (tmp_path / "c.csv").write_text("text\nx\ny\nz\n")
    assert count_articles([str(tmp_path)]) == 6
    (tmp_path / "d.rss").write_text(RSS)
    assert count_articles([str(tmp_path)]) is None


def test_ingest_formats_jsonl_numbers_and_nesting_that_json_cannot_take_are_rejected(tmp_path):
    lines = [json.dumps({"text": "Russia massed troops."}), '{"text": "x", "n": ' + "9" * 5000
             + "}", '{"text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
             json.dumps({"text": "NATO met."})]
    found = read(tmp_path, "odd.jsonl", "\n".join(lines).encode())
    assert [type(f).__name__ for f in found] == ["Article", "Rejected", "Rejected", "Article"]
    assert [f.line for f in found if isinstance(f, Rejected)] == [2, 3]


def test_ingest_formats_jsonl_line_over_the_limit_is_skipped_unread(tmp_path):
    big = json.dumps({"text": "word " * 300_000})
    data = "\n".join([big, json.dumps({"text": "NATO met."})]).encode()
    found = read(tmp_path, "big.jsonl", data, ReadOptions(max_mb=1))
    assert isinstance(found[0], Rejected) and "too large" in found[0].problem
    assert found[1].text == "NATO met."


def test_ingest_formats_csv_fields_may_hold_unicode_line_breaks(tmp_path):
    data = "text,title\nKyiv asked for aid.\u2028Moscow said no.,One\nNATO met.,Two\n"
    found = read(tmp_path, "u.csv", data.encode())
    assert [a.title for a in found] == ["One", "Two"]
    assert [a.origin.rsplit(":", 1)[1] for a in found] == ["2", "3"]


def test_ingest_formats_a_reader_that_fails_costs_its_input_not_the_run(tmp_path, monkeypatch):
    from redline.ingest import inputs
    from redline.ingest.sources import Source

    def broken(name, stream, options):
        yield Article.create("Half read.")
        raise RuntimeError("plug-in bug")

    monkeypatch.setattr(inputs, "source_for", lambda name: Source("odd", (".odd",), broken))
    (tmp_path / "a.odd").write_text("x")
    (tmp_path / "b.odd").write_text("y")
    found = list(read_inputs([str(tmp_path)], OPTIONS))
    assert [type(f).__name__ for f in found] == ["Article", "Rejected"] * 2
    assert "the odd reader failed: RuntimeError: plug-in bug" in found[1].problem


def test_ingest_formats_a_forced_reader_takes_every_file_of_a_directory(tmp_path):
    (tmp_path / "wire.xml").write_text(RSS)
    (tmp_path / "notes").write_text("not a feed")
    found = list(read_inputs([str(tmp_path)], OPTIONS, forced="feed"))
    assert sum(isinstance(f, Article) for f in found) == 1
    assert any(isinstance(f, Rejected) and f.source.endswith("notes") for f in found)


def test_ingest_formats_a_warc_record_with_a_bad_date_still_gives_its_page(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    page = PAGE.replace('<meta property="article:published_time" '
                        'content="2021-12-03T08:00:00Z"/>', "")
    record = writer.create_warc_record(
        "https://news.example.org/p", "response", payload=io.BytesIO(page.encode()),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                      protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": "not-a-date"})
    writer.write_record(record)
    [article] = read(tmp_path, "c.warc", out.getvalue(), ReadOptions())
    assert isinstance(article, Article) and "Russian troops" in article.text
