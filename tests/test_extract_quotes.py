"""Who said what, on sentences of our own."""

from __future__ import annotations

import pytest

import redline

pytestmark = pytest.mark.slow


def quotes(text: str) -> list[dict]:
    return redline.extract(text, published="2022-02-20", what="quotes")


def test_extract_quotes_direct_quote_has_its_named_speaker():
    [q] = quotes('"We will defend every metre of our land," Zelensky said on Sunday.')
    assert q["text"] == "We will defend every metre of our land"
    assert (q["speaker"]["code"], q["speaker"]["sector"], q["cue"]) == ("UKR", "GOV", "said")
    assert q["direct"] and not q["anonymous"]


def test_extract_quotes_unnamed_officials_are_anonymous():
    [q] = quotes('"Diplomacy is still possible," a senior U.S. official said.')
    assert q["anonymous"] and q["speaker"]["code"] == "USA"


def test_extract_quotes_scare_quotes_are_not_quotations():
    assert quotes('The White House warned of "severe costs" for Moscow.') == []


def test_extract_quotes_a_quotation_that_goes_on_keeps_its_speaker():
    first, second = quotes('"We are ready to talk," Lavrov said.\n\n'
                           '"But our security cannot wait for ever."')
    assert second["speaker"] == first["speaker"]
    assert second["speaker"]["name"] == "Sergei Lavrov"


def test_extract_quotes_reported_speech():
    [q] = quotes("Kremlin spokesman Dmitry Peskov said that Russia posed no threat to anyone.")
    assert not q["direct"]
    assert q["text"] == "Russia posed no threat to anyone"
    assert q["speaker"]["name"] == "Dmitry Peskov"


def test_extract_quotes_analysts_are_speakers_but_not_actors():
    [q] = quotes('"Moscow is raising the stakes," said Anna Markova, an analyst at a '
                 'Riga think tank.')
    assert q["speaker"]["code"] is None and "Markova" in q["speaker"]["text"]
    assert q["speaker"]["sector"] == "MED"
