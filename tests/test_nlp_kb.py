"""The actor knowledge base, the gazetteer and the lexicon: loading and validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.errors import DataFileError
from redline.extract.lexicon import load_lexicon
from redline.model import CATEGORIES
from redline.nlp.gazetteer import load_gazetteer
from redline.nlp.kb import KnowledgeBase, load_kb, load_user_actors, normalise_form, shipped_kb
from redline.nlp.spelling import one_edit_apart


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return shipped_kb()


@pytest.mark.parametrize(
    ("form", "day", "expected"),
    [
        ("Putin", date(2021, 12, 6), ("RUS", "GOV")),
        ("Vladimir Putin", date(2010, 1, 1), ("RUS", "GOV")),  # prime minister then
        ("Trump", date(2018, 6, 1), ("USA", "GOV")),
        ("Trump", date(2022, 6, 1), ("USA", None)),  # out of office: not the government
        ("Trump", date(2025, 6, 1), ("USA", "GOV")),
        ("Kremlin", None, ("RUS", "GOV")),
        ("White House", None, ("USA", "GOV")),
        ("Pentagon", None, ("USA", "MIL")),
        ("Kyiv", None, ("UKR", "GOV")),
        ("Ukrainians", None, ("UKR", None)),
        ("NATO", None, ("NATO", None)),
        ("the West", None, ("WST", None)),
        ("Russia's Foreign Ministry", None, ("RUS", "GOV")),
    ],
)
def test_nlp_kb_forms_resolve_on_the_day(kb, form, day, expected):
    entry = kb.lookup(form)
    assert entry is not None, form
    assert entry.at(day)[:2] == expected


def test_nlp_kb_every_iso_state_is_there(kb):
    assert {"UKR", "RUS", "USA", "CHN", "FRA", "TUV", "XKX", "PSE"} <= set(kb.states)
    assert len([e for e in kb.states.values() if e.kind == "state"]) >= 249


def test_nlp_kb_sector_nouns_and_commentators(kb):
    assert kb.agent_nouns["troops"] == "MIL" and kb.agent_nouns["lawmakers"] == "LEG"
    assert {"analyst", "journalist", "photographer"} <= kb.non_actor_nouns


def test_nlp_kb_user_file_merges(tmp_path: Path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- id: jane-roe\n  name: Jane Roe\n  aliases: [Roe]\n  country: UKR\n  roles:\n"
        "    - {title: Governor of Kharkiv, code: UKR, sector: GOV, start: '2021-01-01'}\n"
        "- id: kharkiv-militia\n  name: Kharkiv Defence Militia\n  code: UKR\n"
        "  sector: MIL\n")
    kb = load_kb([extra])
    assert kb.lookup("Roe").at(date(2022, 3, 1))[:2] == ("UKR", "GOV")
    assert kb.lookup("Kharkiv Defence Militia").code == "UKR"


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ("- {name: X, country: UKR}\n", "id", "required"),
        ("- {id: x, name: X, country: UKR, roles: [{code: UKR, start: '2021-13-01'}]}\n",
         "roles.start", "ISO date"),
        ("- {id: x, name: X, code: UKR, sector: ARMY}\n", "sector", "unknown sector"),
        ("- [not, a, mapping]\n", "-", "mapping"),
        ("key: [unclosed\n", "-", "invalid YAML"),
    ],
)
def test_nlp_kb_bad_files_name_file_entry_and_field(tmp_path: Path, text, field, problem):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(DataFileError) as info:
        load_user_actors(KnowledgeBase(), bad)
    assert str(bad) in str(info.value)
    assert info.value.field == field
    assert problem in str(info.value)


def test_nlp_gazetteer_locates_places():
    gazetteer = load_gazetteer()
    kyiv = gazetteer.locate("Kiev")
    assert (kyiv.name, kyiv.country, kyiv.geonameid) == ("Kyiv", "UKR", 703448)
    assert gazetteer.locate("Biden") is None


def test_nlp_lexicon_covers_all_categories():
    lexicon = load_lexicon()
    covered = {t.event for entries in lexicon.verbs.values() for t in entries}
    covered |= {t.event for entries in lexicon.nouns.values() for t in entries}
    assert covered == set(CATEGORIES)
    assert set(lexicon.categories) == set(CATEGORIES)
    assert lexicon.categories["CONSULT"].score("phone") == 1.5


def test_nlp_gazetteer_falls_back_to_geonames_cities(kb):
    aleppo = load_gazetteer().locate("Aleppo", kb)
    assert (aleppo.country, aleppo.geonameid) == ("SYR", 170063)
    assert load_gazetteer().locate("Krakow", kb).name == "Kraków"


def test_nlp_gazetteer_prefers_the_articles_countries(kb):
    gazetteer = load_gazetteer()
    assert gazetteer.locate("Tripoli", kb).country == "LBY"  # Libya's capital
    assert gazetteer.locate("Tripoli", kb, ("LBN",)).country == "LBN"


def test_nlp_gazetteer_people_are_no_places(kb):
    assert load_gazetteer().locate("Putin", kb) is None


@pytest.mark.parametrize(
    ("title", "office"),
    [
        ("President of Russia", "head_of_state"),
        ("Acting President of Ukraine", "head_of_state"),
        ("Vice President of the United States", None),
        ("Prime Minister of the United Kingdom", "head_of_government"),
        ("Chancellor of the Exchequer", None),
        ("Chief of Staff of the Presidential Administration of Russia", None),
        ("Secretary of State", "foreign_minister"),
        ("Minister of Foreign Affairs of Ukraine", "foreign_minister"),
        ("Secretary of State for Defence", "defence_minister"),
        ("Chief of the General Staff of the Russian Armed Forces", "military_chief"),
        ("White House Press Secretary", "spokesperson"),
    ],
)
def test_nlp_kb_role_titles_name_offices(kb, title, office):
    assert kb.offices.of_title(title) == office


def test_nlp_kb_errors_give_the_line_of_the_entry(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: a\n  name: A\n  code: UKR\n- id: b\n  name: B\n  code: UKR\n"
                   "  sector: NAVY\n")
    with pytest.raises(DataFileError) as info:
        load_user_actors(KnowledgeBase(), bad)
    assert info.value.line == 4
    assert f"{bad}:4: entry 2: field 'sector'" in str(info.value)


def test_nlp_kb_namesakes_resolve_to_whoever_served_on_the_day(kb):
    early = kb.lookup("David Johnston", date(2012, 1, 1))
    late = kb.lookup("David Johnston", date(2025, 1, 1))
    assert early.kb_id != late.kb_id
    assert early.at(date(2012, 1, 1))[0] == "CAN" and late.at(date(2025, 1, 1))[0] == "AUS"


@pytest.mark.parametrize(("day", "sector"), [(date(2019, 1, 1), "REB"), (date(2023, 1, 1), "GOV")])
def test_nlp_kb_organisations_can_change_standing(kb, day, sector):
    assert kb.lookup("Taliban").at(day)[:2] == ("AFG", sector)


@pytest.mark.parametrize(("word", "meant"), [
    ("Ethopia", "Ethiopia"), ("Afganistan", "Afghanistan"), ("Quatar", "Qatar"),
    ("Ghanians", "Ghana"), ("Khartuom", "Sudan"),
])
def test_nlp_kb_one_letter_misspellings_of_places(kb, word, meant):
    entry = kb.near(word)
    assert entry is not None and meant in (entry.name, kb.states[entry.code].name)


@pytest.mark.parametrize("word", ["Iraq", "Irak", "Austrian", "Nigerians", "Sedan", "Mexica"])
def test_nlp_kb_no_misspelling_without_one_clear_match(kb, word):
    entry = kb.near(word)
    assert entry is None or normalise_form(word) in kb.forms


def test_nlp_spelling_edits():
    assert one_edit_apart("kathmnadu", "kathmandu")  # neighbours swapped
    assert one_edit_apart("mitterand", "mitterrand")
    assert not one_edit_apart("sontas", "santos")
    assert not one_edit_apart("iran", "iran")


def test_nlp_gazetteer_regions_are_located(kb):
    gazetteer = load_gazetteer()
    sindh = gazetteer.locate("Sindh", kb)
    assert (sindh.country, sindh.admin1) == ("PAK", "Sindh")
    assert 23 < sindh.lat < 29 and 66 < sindh.lon < 71
    assert gazetteer.locate("Helmand Province", kb).country == "AFG"
    assert gazetteer.locate("Aleppo", kb).admin1 == "Aleppo"  # a city's region by name


def test_large_data_files_are_cached_parsed_and_refreshed_on_change(tmp_path, monkeypatch):
    from redline.data import CACHE_FROM_BYTES, load_yaml

    monkeypatch.setenv("REDLINE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "people-big.yaml"
    filler = "#" + "x" * CACHE_FROM_BYTES + "\n"
    path.write_text(filler + '- {id: a, name: "A", start: 2020-01-02}\n')
    assert load_yaml(path) == [{"id": "a", "name": "A", "start": date(2020, 1, 2)}]
    assert len(list((tmp_path / "cache").glob("people-big-*.json"))) == 1
    assert load_yaml(path) == [{"id": "a", "name": "A", "start": "2020-01-02"}]  # cached
    path.write_text(filler + '- {id: b, name: "B"}\n')
    assert load_yaml(path) == [{"id": "b", "name": "B"}]  # changed: parsed again
    monkeypatch.setenv("REDLINE_CACHE", "off")
    assert load_yaml(path) == [{"id": "b", "name": "B"}]


def test_nlp_kb_organisation_codes_never_pose_as_another_state(kb):
    """An international organisation's code is no ISO code of a state."""
    for entries in kb.forms.values():
        for entry in entries:
            if entry.kind == "org" and entry.code in kb.states and not entry.sector:
                assert entry.code in ("EU",) or kb.states[entry.code].kind == "grouping", (
                    entry.kb_id, entry.code)
