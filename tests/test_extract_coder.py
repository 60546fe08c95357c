"""The coder, one construction at a time, on sentences of our own."""

from __future__ import annotations

import pytest

import redline

pytestmark = pytest.mark.slow

MONDAY = "2021-12-06"


def codes(actors: list[dict]) -> list[str]:
    return [a["code"] + (f"/{a['sector']}" if a["sector"] else "") for a in actors if a["code"]]


def find(records: list[dict], event: str) -> dict:
    found = [r for r in records if r["event"] == event]
    assert found, f"no {event} in {[(r['event'], r['event_text']) for r in records]}"
    return found[0]


def code(text: str, published: str = MONDAY) -> list[dict]:
    return redline.extract(text, published=published)


@pytest.mark.parametrize(
    ("text", "event", "actor", "recipient"),
    [
        # verbal trigger, active voice
        ("Russia massed troops near the Ukrainian border on Monday.", "MOBILIZE", ["RUS"],
         ["UKR"]),
        # nominal trigger behind a light verb
        ("The European Union imposed new sanctions on Russian banks.", "SANCTION", ["EU"],
         ["RUS/BUS"]),
        # passive voice with an agent; a town stands for its state
        ("Kharkiv was shelled by Russian forces on Tuesday.", "ASSAULT", ["RUS/MIL"], ["UKR"]),
        # conjoined actors become a compound actor list
        ("France and Germany condemned the attack on Kyiv.", "ACCUSE", ["FRA", "DEU"], []),
        # nominal trigger with possessor and "of"
        ("Russia's invasion of Ukraine began before dawn.", "ASSAULT", ["RUS"], ["UKR"]),
        # talks between two parties
        ("Talks between Russia and NATO ended without agreement.", "CONSULT", ["RUS", "NATO"],
         []),
        # seats of government stand for the government
        ("The Kremlin rejected the Western proposal.", "REJECT", ["RUS/GOV"], ["WST"]),
        # sector nouns take their state from a demonym
        ("Ukrainian lawmakers urged Washington to send more weapons.", "REQUEST", ["UKR/LEG"],
         ["USA/GOV"]),
    ],
)
def test_extract_coder_actors_and_recipients(text, event, actor, recipient):
    record = find(code(text), event)
    assert codes(record["actor"]) == actor
    assert codes(record["recipient"]) == recipient


@pytest.mark.parametrize(
    ("text", "event", "status"),
    [
        ("Russia has not invaded Ukraine.", "ASSAULT", "negated"),
        ("The Kremlin denied that it planned to invade Ukraine.", "ASSAULT", "negated"),
        ("NATO will hold talks with Russia next week.", "CONSULT", "planned"),
        ("Putin plans to visit Minsk.", "CONSULT", "planned"),
        ("Russia could attack Ukraine within weeks.", "ASSAULT", "hypothetical"),
        ("Biden is expected to speak with Zelensky.", "CONSULT", "expected"),
        ("If Russia invades, the United States will impose severe sanctions on Moscow.",
         "SANCTION", "conditional"),
        ("Russia annexed Crimea in 2014.", "COERCE", "historical"),
        ("Russian forces shelled the village of Stanytsia Luhanska on Thursday.", "ASSAULT",
         "asserted"),
    ],
)
def test_extract_coder_status(text, event, status):
    assert find(code(text), event)["status"] == status


def test_extract_coder_embedded_event_of_agree_to():
    records = code("Britain agreed to send anti-tank weapons to Ukraine.")
    assert find(records, "AGREE")["status"] == "asserted"
    aid = find(records, "AID")
    assert (codes(aid["actor"]), codes(aid["recipient"]), aid["status"]) == (
        ["GBR"], ["UKR"], "planned")


def test_extract_coder_reported_speech_claims_the_event():
    record = find(code("Ukrainian officials said that Russian forces had attacked "
                       "Ukrainian troops."), "ASSAULT")
    assert codes(record["actor"]) == ["RUS/MIL"]
    assert codes(record["recipient"]) == ["UKR/MIL"]
    assert codes([record["claimed_by"]]) == ["UKR/GOV"]


def test_extract_coder_who_reports_an_event_is_not_its_target():
    records = code("Russia has put in place about 70% of the military forces it would need "
                   "for a full-scale invasion of Ukraine, U.S. officials said at the weekend.")
    mobilize = find(records, "MOBILIZE")
    assert mobilize["claimed_by"]["text"] == "U.S. officials"
    assert all(r["text"] != "U.S. officials" for r in mobilize["recipient"])


def test_extract_coder_dates_resolve_against_publication():
    record = find(code("Biden spoke with Zelensky on Thursday.", "2022-02-21"), "CONSULT")
    assert (record["date"], record["date_text"], record["date_precision"]) == (
        "2022-02-17", "on Thursday", "day")


def test_extract_coder_undated_events_take_the_publication_date():
    record = find(code("Russia massed troops."), "MOBILIZE")
    assert (record["date"], record["date_text"]) == (MONDAY, None)


@pytest.mark.parametrize(
    ("text", "event", "magnitude"),
    [
        ("Russian shelling killed 11 civilians in Kharkiv.", "ASSAULT", {"dead": 11}),
        ("Russia has deployed up to 100,000 troops near Ukraine.", "MOBILIZE",
         {"troops": 100000}),
        ("The United States sent $200 million in military aid to Ukraine.", "AID",
         {"usd": 200000000}),
        # one attack, counted once, with both tolls
        ("A Russian rocket attack on Kharkiv killed 9 people and injured 37 others.",
         "ASSAULT", {"dead": 9, "injured": 37}),
    ],
)
def test_extract_coder_magnitudes(text, event, magnitude):
    assert find(code(text), event)["magnitude"] == magnitude


def test_extract_coder_modes_and_scores():
    record = find(code("The United States sent $200 million in military aid to Ukraine."),
                  "AID")
    assert record["mode"] == ["military"]
    assert (record["quad_code"], record["event_scale"]) == (2, 10.0)
    call = find(code("Putin and Biden held a video call on Tuesday."), "CONSULT")
    assert call["mode"] == ["phone"] and call["event_scale"] == 1.5


def test_extract_coder_pronouns_resolve_to_the_last_person():
    record = find(code("Putin met Lukashenko in Minsk. He urged Belarus to hold joint "
                       "drills."), "REQUEST")
    assert codes(record["actor"]) == ["RUS/GOV"]


@pytest.mark.parametrize(
    ("published", "code_"),
    [("2018-07-16", "USA/GOV"), ("2022-03-01", "USA"), ("2025-06-01", "USA/GOV")],
)
def test_extract_coder_people_resolve_to_their_role_on_the_day(published, code_):
    record = find(code("Trump met Putin in Helsinki.", published), "CONSULT")
    assert codes(record["actor"])[0] == code_


def test_extract_coder_commentators_are_never_actors():
    records = code("Anna Markova, a military analyst, accused Russia of lying. "
                   "Reporter Tom Hale criticised the Kremlin.")
    assert not [r for r in records if r["event"] == "ACCUSE"]


def test_extract_coder_event_location_comes_from_the_gazetteer():
    record = find(code("Blinken met Lavrov in Geneva on Friday."), "CONSULT")
    assert record["event_loc"]["name"] == "Geneva"
    assert record["event_loc"]["country"] == "CHE"
    assert record["event_loc"]["lat"] == pytest.approx(46.2, abs=0.1)


def test_extract_coder_records_have_the_design_schema():
    [record, *_] = code("Russia massed troops near the Ukrainian border.")
    assert list(record) == [
        "id", "article_id", "sentence_index", "text", "event_text", "event", "mode",
        "context", "quad_code", "event_scale", "cameo", "actor", "recipient", "date",
        "date_text", "date_precision", "event_loc", "status", "claimed_by", "magnitude",
        "confidence", "coder",
    ]
    assert record["coder"].startswith("redline ")
    assert 0 < record["confidence"] <= 1


def test_extract_coder_ids_are_stable():
    text = "Russia massed troops near the Ukrainian border."
    assert [r["id"] for r in code(text)] == [r["id"] for r in code(text)]


@pytest.mark.parametrize(
    ("text", "event", "actor", "recipient", "status"),
    [
        # a dateline is where the report was filed, not who acted
        ("MARIUPOL, Ukraine — Russian troops shelled the port of Mariupol.", "ASSAULT",
         ["RUS/MIL"], ["UKR"], "asserted"),
        # denying a charge rejects it
        ("The Kremlin denied the allegations.", "REJECT", ["RUS/GOV"], [], "asserted"),
        # what one is urged to do has not happened
        ("Truss urged Russia to withdraw its troops.", "RETREAT", ["RUS"], [], "hypothetical"),
        # "by telephone with": the other side of the call
        ("Macron spoke by telephone with President Vladimir Putin.", "CONSULT", ["FRA/GOV"],
         ["RUS/GOV"], "asserted"),
        # a weapon acts for whoever fired it; a building stands for its town's state
        ("A Russian missile struck the administration building in Kharkiv.", "ASSAULT",
         ["RUS/MIL"], ["UKR"], "asserted"),
        # a warning of what would happen is a threat
        ("Harris warned that Russia would face severe economic costs.", "THREATEN",
         ["USA/GOV"], ["RUS"], "asserted"),
        # a warning about what someone does is an accusation
        ("Stoltenberg warned that Russia was massing troops.", "ACCUSE", ["NATO"], ["RUS"],
         "asserted"),
        # "they" after a conjunction is the whole group
        ("Russia and China issued a statement. They rejected NATO expansion.", "REJECT",
         ["RUS", "CHN"], ["NATO"], "asserted"),
        # separatist authorities are rebels, located by their town
        ("The separatist authorities in Luhansk accused Ukrainian forces of shelling.",
         "ACCUSE", ["UKR/REB"], ["UKR/MIL"], "asserted"),
        # "called on" is a demand; "called X a liar" is not
        ("Guterres called on Russia to stop the offensive.", "REQUEST", ["UN"], ["RUS"],
         "asserted"),
    ],
)
def test_extract_coder_constructions(text, event, actor, recipient, status):
    record = find(code(text, "2022-03-01"), event)
    assert (codes(record["actor"]), codes(record["recipient"]), record["status"]) == (
        actor, recipient, status)


def test_extract_coder_calling_names_is_no_request():
    assert not [r for r in code("Zakharova called the report nonsense.")
                if r["event"] == "REQUEST"]


def test_extract_coder_conditional_consequence_is_also_a_threat():
    records = code("If Russia invades, the United States will impose severe sanctions on "
                   "Moscow.")
    threat = find(records, "THREATEN")
    assert (codes(threat["actor"]), codes(threat["recipient"])) == (["USA"], ["RUS/GOV"])
    assert threat["status"] == "asserted" and threat["mode"] == ["restrict"]
    assert find(records, "SANCTION")["status"] == "conditional"
    assert find(records, "ASSAULT")["status"] == "conditional"  # the condition: no threat


def test_extract_coder_first_person_in_a_quotation_is_the_speaker():
    record = find(code('"We are going to help Ukraine," Borrell said.'), "AID")
    assert codes(record["actor"]) == ["EU"] and record["status"] == "planned"


def test_extract_coder_no_plans_to_attack_is_negated():
    record = find(code("Moscow says it has no plans to attack Ukraine."), "ASSAULT")
    assert (codes(record["actor"]), record["status"]) == (["RUS/GOV"], "negated")


def test_extract_coder_first_person_speaker_does_not_regress():
    records = code('"Our officials will meet Russian diplomats," our spokesman said.')
    assert find(records, "CONSULT")["status"] == "planned"


@pytest.mark.parametrize(
    ("text", "published", "event", "name"),
    [
        # an office and its state give whoever held it that day
        ("The Russian leader rejected the proposal.", "2021-12-06", "REJECT", "Vladimir Putin"),
        ("The U.S. president condemned the attack.", "2022-02-24", "ACCUSE", "Joe Biden"),
        ("The U.S. president condemned the attack.", "2019-05-01", "ACCUSE", "Donald Trump"),
        ("Ukraine's foreign minister met Blinken.", "2022-01-19", "CONSULT", "Dmytro Kuleba"),
        # a parliamentary state's leader is its head of government
        ("The British leader visited Kyiv.", "2022-04-09", "CONSULT", "Boris Johnson"),
        # with no state named, the nearest person holding such an office
        ("Biden spoke on Friday. The president warned Russia of severe costs.", "2022-02-18",
         "THREATEN", "Joe Biden"),
    ],
)
def test_extract_coder_offices_resolve_to_their_holder(text, published, event, name):
    record = find(code(text, published), event)
    assert record["actor"][0]["name"] == name


def test_extract_coder_victims_take_the_state_where_they_were_hit():
    [record] = [r for r in code("A Russian rocket attack on Kharkiv killed 9 people and "
                                "injured 37 others.") if r["event"] == "ASSAULT"]
    assert codes(record["actor"]) == ["RUS"]
    assert codes(record["recipient"]) == ["UKR/CVL", "UKR"]
    assert record["event_loc"]["name"] == "Kharkiv"


def test_extract_coder_dateline_gives_the_location_when_the_sentence_does_not():
    [record] = code("TRIPOLI, Lebanon — Hezbollah fighters clashed with the Lebanese army.")
    assert record["event_loc"]["country"] == "LBN"


def test_extract_coder_conjoined_owners_make_two_actors():
    record = find(code("Russian and Ukrainian delegations held talks."), "CONSULT")
    assert codes(record["actor"]) == ["RUS/GOV", "UKR/GOV"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [("The Security Council condemned the attack.", ["UN"]),
     ("Russia's Security Council rejected the plan.", ["RUS/GOV"])],
)
def test_extract_coder_an_international_name_owned_by_a_state_is_its_organ(text, actor):
    assert codes(code(text)[0]["actor"]) == actor


@pytest.mark.parametrize(
    ("text", "actor"),
    [("Ethnic Albanians in Macedonia protested against the police.", ["MKD/CVL"]),
     ("Iraqi Kurds rejected the plan.", ["IRQ/CVL"]),
     ("Albanians demonstrated in Tirana.", ["ALB"])],
)
def test_extract_coder_minorities_are_coded_where_they_live(text, actor):
    assert codes(code(text)[0]["actor"]) == actor


def test_extract_coder_what_is_asked_for_is_not_itself_an_event():
    events = {r["event"] for r in code("Ukraine repeated its calls for a ceasefire.")}
    assert "RETREAT" not in events


def test_extract_coder_possessives_that_point_back_do_not_loop():
    # "their commanders ... their skills": each "their" looks back to a phrase
    # whose owner is another "their"
    records = code("Special forces soldiers and their commanders must raise the level of "
                   "their skills and hone their ability to handle new weaponry.")
    assert isinstance(records, list)


@pytest.mark.parametrize(
    ("text", "event", "actor", "recipient", "status"),
    [
        # a hyphenated noun the parser splits ("build" compound of "up") is one word
        ("Belarus continued its build-up near Lithuania.", "MOBILIZE", ["BLR"], ["LTU"],
         "asserted"),
        # troops added near a frontier are mobilised against the state behind it
        ("Armenia added 2,000 troops near the border with Azerbaijan.", "MOBILIZE", ["ARM"],
         ["AZE"], "asserted"),
        # with no object, what moves is the subject: "tanks moved into" as "moved tanks into"
        ("Turkish tanks moved into northern Syria.", "MOBILIZE", ["TUR/MIL"], ["SYR"],
         "asserted"),
        # moving forces away from a place is a withdrawal, the place's state its recipient
        ("Azerbaijan must move its troops away from the border with Armenia.", "RETREAT",
         ["AZE"], ["ARM"], "hypothetical"),
        # what a state needs to do it has not done
        ("Serbia needs to withdraw its troops from Kosovo.", "RETREAT", ["SRB"], ["XKX"],
         "hypothetical"),
        # no sign of an event denies it
        ("Washington has seen no sign of an Iranian withdrawal.", "RETREAT", ["IRN"], [],
         "negated"),
        # a gerund after "before" is done by the subject, under its modal
        ("Armenia could stage a provocation before sending tanks toward Baku.", "MOBILIZE",
         ["ARM"], ["AZE/GOV"], "hypothetical"),
        # a state's own diplomats evacuated are no recipient; where they leave is
        ("Canada said it would evacuate its diplomats from Sudan.", "SANCTION", ["CAN"],
         ["SDN"], "hypothetical"),
        # cutting a state off from the sea is a blockade
        ("Ankara is trying to cut Cyprus off from the sea.", "COERCE", ["TUR/GOV"], ["CYP"],
         "hypothetical"),
        # the leaders of rebels are rebels, not the state's head of government
        ("The rebel leaders in northern Mali asked Algeria for help.", "REQUEST", ["MLI/REB"],
         ["DZA"], "asserted"),
    ],
)
def test_extract_coder_mobilisation_withdrawal_and_blockade(text, event, actor, recipient,
                                                             status):
    record = find(code(text, "2023-03-01"), event)
    assert (codes(record["actor"]), codes(record["recipient"]), record["status"]) == (
        actor, recipient, status)


def test_extract_coder_a_record_released_is_no_release():
    # "released footage": a video shown, not prisoners freed; nor does a ministry act
    # on its own state
    records = code("Iran's Defence Ministry released footage of tanks crossing the bridge "
                   "to the Iranian mainland.")
    assert "RETREAT" not in {r["event"] for r in records}


def test_extract_coder_a_place_that_dates_the_event_is_not_its_target():
    record = find(code("A Chinese blockade could begin at any time before the end of the "
                       "Olympics in Paris."), "COERCE")
    assert "FRA" not in codes(record["recipient"])


def test_extract_coder_untargeted_force_takes_the_target_of_force_first():
    # the expelled diplomats do not tell where the army is aimed; the massed troops do
    records = code("Russia expelled two American diplomats. Russian troops massed near "
                   "Ukraine's border. A Russian offensive could come within days.")
    assert codes(find(records, "ASSAULT")["recipient"]) == ["UKR"]


def test_extract_coder_their_is_the_plural_subject_of_its_clause():
    # "their exercises" are the units', not the two leaders' named before
    records = code("Scholz met Macron as the ministry said some units had finished "
                   "their exercises.")
    assert all(r["event"] != "MOBILIZE" for r in records)
