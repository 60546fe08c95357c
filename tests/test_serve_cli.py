"""``redline ingest --server`` against a live server, and ``redline serve``'s
checks of its settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.errors import InputError
from redline.serve.config import ServeConfig, load_tokens
from redline.store import Store
from serving import TOKEN, config_for, live_server

pytestmark = pytest.mark.slow


def test_serve_cli_ingest_posts_to_the_server_which_stores(tmp_path: Path, monkeypatch):
    db = tmp_path / "served.duckdb"
    Store(db).close()
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "one.txt").write_text("Russian troops shelled Kharkiv on Tuesday, Ukrainian "
                                    "officials said.", encoding="utf-8")
    (folder / "more.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"text": "NATO foreign ministers met in Riga to discuss Russia's troop build-up.",
         "published": "2021-12-01", "title": "Riga"},
        {"title": "a line with no text"},
    ]) + "\n", encoding="utf-8")
    with live_server(config_for(db)) as url:
        monkeypatch.setenv("REDLINE_TOKEN", TOKEN)
        posted = CliRunner().invoke(app, ["ingest", str(folder), "--server", url,
                                          "--published", "2022-03-01", "--no-progress"])
        assert posted.exit_code == 1, posted.output  # one line rejected (by this side)
        assert "2 articles added" in posted.output and "more.jsonl:2" in posted.output
        again = CliRunner().invoke(app, ["ingest", str(folder / "one.txt"), "--server", url,
                                         "--no-progress"])
        assert again.exit_code == 0 and "1 already stored" in again.output
        monkeypatch.setenv("REDLINE_TOKEN", "a-token-the-server-does-not-know")
        refused = CliRunner().invoke(app, ["ingest", str(folder / "one.txt"), "--server",
                                           url, "--no-progress"])
        assert refused.exit_code == 2 and "403" in refused.output
    with Store(db, read_only=True) as store:
        assert store.summary()["articles"] == 2


def test_serve_cli_unreachable_server_is_a_clear_error(tmp_path: Path):
    text = tmp_path / "a.txt"
    text.write_text("Ukraine asked NATO for help.", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(text), "--server", "http://127.0.0.1:9",
                                      "--no-progress"])
    assert result.exit_code == 2 and "cannot reach the server" in result.output


@pytest.mark.parametrize(("kwargs", "problem"), [
    ({"read_access": "sometimes"}, "open or token"),
    ({"read_access": "token"}, "needs a token"),
    ({"token": "short"}, "at least 16"),
    ({"max_request_mb": -1}, "above 0"),
])
def test_serve_cli_settings_are_checked(kwargs: dict, problem: str, monkeypatch):
    monkeypatch.delenv("REDLINE_TOKEN", raising=False)
    with pytest.raises(InputError, match=problem):
        ServeConfig.from_settings("x.duckdb", **kwargs)


def test_serve_cli_tokens_file_skips_comments_and_names_bad_lines(tmp_path: Path):
    tokens = tmp_path / "tokens"
    tokens.write_text("# team\nalpha-token-0123456789\n\nbeta-token-0123456789\n",
                      encoding="utf-8")
    assert load_tokens("", str(tokens)) == {"alpha-token-0123456789", "beta-token-0123456789"}
    tokens.write_text("ok-token-0123456789\nshort\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"tokens:2"):
        load_tokens("", str(tokens))
