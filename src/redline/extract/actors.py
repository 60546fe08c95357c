"""Actor mentions: a parse token to the actors it names, at the article's date.

Resolves knowledge-base entities (people at their role on the day, states,
capitals and seats standing for the government, organisations), sector nouns
with their state ("Russian troops" -> RUS/MIL), places standing for their
state, conjoined actors, and pronouns to the nearest compatible mention.
Reporters, analysts and other commentators are never actors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from redline.model import Actor
from redline.nlp.gazetteer import Gazetteer, fold
from redline.nlp.kb import Entry, KnowledgeBase
from redline.nlp.pipeline import DASHES

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
THING_PRONOUNS = {"it", "its"}
FIRST_PERSON = {"we", "us", "our", "ours", "i", "me", "my"}
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}
GROUP_NOUNS = {"member", "members", "leader", "leaders", "country", "countries", "nation",
               "nations", "side", "sides", "state", "states", "capital", "capitals",
               "government"}
# Nouns whose possessor is a partner, not the owner: "its allies in NATO".
PARTNER_NOUNS = {"ally", "allies", "counterpart", "counterparts", "partner", "partners",
                 "neighbor", "neighbors", "neighbour", "neighbours"}
PLACE_LABELS = {"GPE", "NORP", "LOC", "ORG"}  # the tagger's guesses at a misspelt place
PERSON_KIND = frozenset({"person"})
# last words of organisations' names that make an unknown one a civic body
CIVIC_HEADS = {"association", "forum", "committee", "foundation", "society", "institute",
               "centre", "center", "network", "coalition", "initiative", "trust"}
# entity labels the tagger gives place names (a town it takes for a people or a firm too)
PLACE_ENTS = {"GPE", "LOC", "FAC", "NORP", "ORG"}
OWNER_PREPS = {"of", "from", "in", "throughout", "across", "inside", "at"}
LOCATING_VERBS = {"base", "station", "live", "operate", "fight", "hold", "loyal"}
# Sectors that belong to the state where they act, or the one state an article is
# about, when no owner is named; not diplomats, officials or troops, who as
# often come from abroad.
DOMESTIC_SECTORS = {"POL", "REB", "OPP", "CVL", "LAB", "EDU", "REL", "PTY", "LEG", "JUD",
                    "REF", "BUS", "HLH", "MED"}


def dateline_tokens(doc: Doc) -> set[int]:
    """Token positions of datelines ("KYIV — ", "LIVERPOOL, England — "): the
    pipeline makes each its own sentence, ending in a dash. A place that opens a
    paragraph before a dash is where the report was filed, not an actor."""
    found: set[int] = set()
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if (len(words) >= 2 and words[-1].text in DASHES and len(words[0].text) > 1
                and words[0].text.isupper()):
            found.update(t.i for t in words[:-1])
    return found


def is_backer(token: Token) -> bool:
    """"Russian" in "Russian-backed separatists" or any word of "pro-Russian": a
    sponsor, not the owner."""
    doc = token.doc
    after = doc[token.i + 1: token.i + 3]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ in (
            "backed", "supported", "sponsored", "installed", "controlled"):
        return True
    if token.lower_ == "pro" and token.i + 1 < len(doc) and doc[token.i + 1].text == "-":
        return True  # "pro" and "-" of "pro-Russian" (the tagger may take all three for one)
    if token.text == "-" and token.i >= 1 and doc[token.i - 1].lower_ == "pro":
        return True
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "pro"


@dataclass(slots=True)
class Mention:
    """A resolved actor at a token position, remembered for pronouns."""

    index: int
    sentence: int
    actor: Actor
    kind: str
    gender: str | None = None


class ActorResolver:
    """Resolves parse tokens of one document to actors."""

    def __init__(self, doc: Doc, kb: KnowledgeBase, gazetteer: Gazetteer, day: date | None,
                 speech_verbs: frozenset[str] = frozenset()):
        self.doc = doc
        self.speech_verbs = speech_verbs
        self._finding_speaker = False  # "our officials said": no regress through "our"
        self._resolving: set[int] = set()  # phrases being resolved, against cycles
        self._resolved: dict[int, list[Actor]] = {}  # what each phrase resolved to
        self.memo: dict[object, object] = {}  # what other steps work out once per document
        self.kb = kb
        self.gazetteer = gazetteer
        self.day = day
        self.ent_at: dict[int, Span] = {t.i: ent for ent in doc.ents for t in ent}
        self.dateline = dateline_tokens(doc)
        self.surnames = self._surnames()
        self.sentence_of: dict[int, int] = {}
        for si, sent in enumerate(doc.sents):
            for t in sent:
                self.sentence_of[t.i] = si
        self.mentions = self._mentions()
        counts: Counter[str] = Counter()
        for ent in doc.ents:  # the states the article speaks of, "Lebanese" included
            if ent.start in self.dateline or any(is_backer(t) for t in ent):
                continue  # not where the report is filed, nor a sponsor ("pro-Russian")
            entry = self.kb.lookup(ent.text)
            if entry is not None and entry.kind in ("state", "demonym"):
                counts[entry.code] += 2
            elif entry is not None and entry.kind in ("capital", "seat"):
                counts[entry.code] += 1  # "Tripoli" may be Lebanon's
        self.countries = tuple(code for code, _ in counts.most_common())

    # -- entities -------------------------------------------------------
    def _surnames(self) -> dict[str, Entry]:
        """Surnames of the people this article names in full ("Lloyd Austin" makes
        a later "Austin" him, though "Austin" alone is too ambiguous for the KB)."""
        found: dict[str, Entry] = {}
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                entry = self.kb.lookup(ent.text)
                if entry is not None and entry.kind == "person":
                    found.setdefault(ent[-1].text, entry)
                    if len(ent) == 2:  # family name first: "Wang Yi" ... "Wang"
                        found.setdefault(ent[0].text, entry)
        return found

    def entry(self, span: Span) -> Entry | None:
        """The knowledge-base entry an entity span names, misspelt or not."""
        found = self.kb.lookup(span.text, self.day)
        if found is None and len(span) > 1 and span.label_ == "PERSON":
            found = self.kb.lookup(span[-1].text, self.day)
            if found is not None and found.kind != "person":
                found = None
        if found is None or found.kind not in ("person", "org"):
            found = self.surnames.get(span[-1].text, found)
        if found is None and len(span) == 1 and span.label_ in PLACE_LABELS:
            found = self.kb.near(span.text)  # "Ethopia", "Ghanians"
        elif found is None and span.label_ == "PERSON" and len(span) > 1:
            found = self.kb.near(span[-1].text, PERSON_KIND)  # "Francois Mitterand"
            if found is not None and fold(found.name.split()[0]) != fold(span[0].text):
                found = None  # the given name must agree: "Tom Regan" is not Reagan
        return found

    def capital_or_namesake(self, capital: Entry, ent: Span) -> Entry | None:
        """A capital's name, or, where the name is a place ("militias in Tripoli")
        and the article is about another state, that state's town of the name:
        "Tripoli" in a report on Lebanon is Lebanon's Tripoli. "Rome rejected"
        stays Italy's government whatever the article is about."""
        root = ent.root
        locative = root.dep_ == "pobj" and root.head.lower_ in ("in", "near", "at", "from",
                                                               "outside", "around")
        if not locative or not self.countries or capital.code in self.countries[:1]:
            return capital
        place = self.gazetteer.locate(ent.text, self.kb, self.countries)
        if place is None or place.country in (None, capital.code):
            return capital
        return self.kb.states.get(place.country, capital)

    def actor_from_entry(self, entry: Entry, text: str) -> Actor:
        code, sector, _title = entry.at(self.day)
        return Actor(text=text, code=code, sector=sector, name=entry.name, kb_id=entry.kb_id)

    def _mentions(self) -> list[Mention]:
        mentions = []
        for ent in self.doc.ents:
            if ent.start in self.dateline:
                continue
            entry = self.entry(ent)
            if entry is None or entry.kind == "demonym":
                continue
            mentions.append(Mention(ent.start, self.sentence_of[ent.start],
                                    self.actor_from_entry(entry, ent.text), entry.kind,
                                    entry.gender))
        return mentions

    # -- public ---------------------------------------------------------
    def resolve(self, token: Token) -> list[Actor]:
        """Every actor a noun phrase names: itself and its conjuncts."""
        if token.i in self._resolving:  # "their" in the phrase that "they" stands for
            return []
        top = not self._resolving and not self._finding_speaker
        if top and token.i in self._resolved:  # the coder and the classifier both ask
            return [replace(a) for a in self._resolved[token.i]]
        self._resolving.add(token.i)
        try:
            actors: list[Actor] = []
            for head in (token, *token.conjuncts):
                for actor in self.resolve_one(head):
                    if all(a.key != actor.key for a in actors):
                        actors.append(actor)
            if top:
                self._resolved[token.i] = [replace(a) for a in actors]
            return actors
        finally:
            self._resolving.discard(token.i)

    def resolve_one(self, token: Token) -> list[Actor]:
        """The actor(s) one head token names; empty when it names none."""
        low = token.lower_
        if token.i in self.dateline or self.is_commentator(token):
            return []
        if token.pos_ == "PRON" or low in ("two", "both"):
            return self.pronoun(token)
        pair = [c for c in token.children if c.dep_ == "nummod" and c.lower_ in ("two", "both")]
        if pair and not any(c.dep_ in ("amod", "compound", "poss") for c in token.children):
            return self.pronoun(pair[0])  # "the two last met", "the two leaders"
        ent = self.ent_at.get(token.i)
        # an agent noun is read as a sector of its owner ("Russian troops"), unless the
        # knowledge base names the whole phrase ("pro-Russian rebels")
        if ent is not None and (token.lemma_.lower() not in self.kb.agent_nouns
                                or ent.ent_id_.startswith("org:")):
            entry = self.entry(ent)
            if entry is not None and entry.kind == "capital":
                entry = self.capital_or_namesake(entry, ent)
            if entry is not None:
                actor = self.actor_from_entry(entry, ent.text)
                if entry.kind in ("demonym", "ethnic"):
                    actor.sector = "CVL" if entry.kind == "ethnic" else None
                    resident = self.residence(token)
                    if resident is not None:  # "ethnic Albanians in Macedonia": Macedonia's
                        return [resident]
                organ = self.state_organ(ent, actor)
                return [organ or actor]
            place = self.gazetteer.locate(ent.text) or (
                self.gazetteer.locate(ent.text, self.kb, self.countries)
                if ent.label_ in PLACE_ENTS else None)
            if place is not None and place.country and token.dep_ not in ("compound", "amod"):
                # a town shelled or seized stands for its state; "the Geneva meeting" does not
                return [Actor(text=ent.text, code=place.country, name=place.name)]
            if ent.label_ == "PERSON":
                titled = self.titled_person(token, ent)
                if titled is not None:
                    return [titled]
            if ent.label_ == "ORG" and ent[-1].lower_ in CIVIC_HEADS:
                return [self.civic_body(ent)]
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                return [Actor(text=ent.text)]
            return []
        if token.pos_ not in ("NOUN", "PROPN"):
            return []
        if token.pos_ == "PROPN" and token.is_title and ent is None:
            misspelt = self.kb.near(token.text)  # "Ethopia", untagged
            if misspelt is not None:
                return [Actor(text=token.text, code=misspelt.code, name=misspelt.name,
                              kb_id=misspelt.kb_id)]
        sector = self.agent_sector(token)
        lemma = token.lemma_.lower()
        if sector is not None or {low, lemma} & (GROUP_NOUNS | PARTNER_NOUNS):
            owner = self.owner(token)
            if owner is None and sector is None:
                return []
            text = self.phrase(token)
            rebels = self.of_rebels(token)
            if rebels:  # "separatist leaders", "separatist forces": no office holder
                sector = "REB"
            holder = None if rebels else self.office_holder(token, owner)
            if holder is not None:
                return [self.actor_from_entry(holder, text)]
            if owner is None:  # a rights group of no named state: CAMEO's generic NGO
                return [Actor(text=text, code="NGO" if sector == "NGO" else None,
                              sector=sector)]
            if sector is None and owner.sector is not None:
                sector = owner.sector
            if sector is None and {low, lemma} & PARTNER_NOUNS:
                partner = self.possessor(token)  # "his Turkish counterpart": an official too
                if partner is not None:
                    sector = partner.sector
                elif lemma.startswith("counterpart"):
                    sector = "GOV"
            owners = [owner, *self.co_owners(token)]
            return [Actor(text=text, code=o.code, sector=sector, name=o.name, kb_id=o.kb_id)
                    for o in owners]
        return []

    def of_rebels(self, token: Token) -> bool:
        """Whether a group noun names rebels' own people: "the separatist authorities
        in Luhansk", "separatist forces", "the leaders of the separatist regions"."""
        def rebel_modified(noun: Token) -> bool:
            return any(self.kb.agent_nouns.get(c.lemma_.lower()) == "REB"
                       for c in noun.children if c.dep_ in ("amod", "compound"))

        owned = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        return rebel_modified(token) or any(rebel_modified(g) for g in owned)

    def civic_body(self, ent: Span) -> Actor:
        """An association, forum or committee the knowledge base does not know: its
        state's, when a state is named in it ("Montenegro Municipality
        Association"), else a non-governmental organisation."""
        for word in ent[:-1]:
            owner = self.kb.lookup(word.text)
            if owner is not None and owner.kind in ("state", "demonym"):
                return Actor(text=ent.text, code=owner.code, sector="NGO", name=owner.name)
        return Actor(text=ent.text, code="NGO", sector="NGO")

    def agent_sector(self, token: Token) -> str | None:
        """The sector a noun names, two-word nouns first ("prime minister")."""
        nouns = self.kb.agent_nouns
        lemma = token.lemma_.lower()
        for child in token.children:
            if child.dep_ == "compound" and child.i == token.i - 1:
                found = nouns.get(f"{child.lower_} {lemma}") or nouns.get(
                    f"{child.lower_} {token.lower_}")
                if found:
                    return found
        return nouns.get(lemma) or nouns.get(token.lower_)

    def titled_person(self, token: Token, ent: Span) -> Actor | None:
        """Someone the knowledge base does not know, coded by the title and
        nationality around the name: "German Foreign Minister Oskar Fischer",
        "Lebanon's President Elias Hrawi", "King Hassan of Morocco", "Carlos
        Menem, the Argentine president". A former office holder keeps the state
        and loses the sector."""
        words = [t for t in token.subtree if t.i < ent.start]
        words += [t for c in token.children if c.dep_ == "appos" for t in c.subtree]
        words += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"]
        sector = next((found for t in words if (found := self.agent_sector(t))), None)
        if sector is None:
            return None
        owner = None
        for word in words:
            found = self._owner_from(word)
            if found is not None and found.code:
                owner = found
                break
        if owner is None and self.countries:
            # "President Museveni" in a report about Uganda
            state = self.kb.states.get(self.countries[0])
            owner = Actor(text="", code=self.countries[0], name=state.name if state else None)
        if owner is None:
            return None
        if any(t.lower_ in ("former", "ex", "ousted", "late", "deposed") for t in words):
            sector = None
        return Actor(text=self.doc[words[0].i if words and words[0].i < ent.start
                                   else ent.start: ent.end].text,
                     code=owner.code, sector=sector)

    def residence(self, token: Token) -> Actor | None:
        """Where an ethnic group named by a demonym lives, when the text says so
        ("ethnic Albanians in Macedonia", "Albanians of southern Serbia"): the
        group is coded as that state's civilians, as CAMEO codes minorities."""
        if token.pos_ not in ("NOUN", "PROPN") or not token.lower_.endswith("s"):
            return None
        ethnic = any(c.lower_ == "ethnic" for c in token.children)
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
                for obj in prep.children:
                    place = self._owner_from(obj) if obj.dep_ == "pobj" else None
                    if place is not None and place.code in self.kb.states and (
                            ethnic or prep.lower_ != "from"):
                        return Actor(text=self.phrase(token), code=place.code, sector="CVL",
                                     name=place.name, kb_id=place.kb_id)
        return None

    def state_organ(self, ent: Span, actor: Actor) -> Actor | None:
        """An international body's name owned by a state is that state's organ:
        "Russia's Security Council" is Russian government, not the UN."""
        if actor.code in self.kb.states or not (actor.kb_id or "").startswith("org:"):
            return None
        for child in ent.root.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < ent.start:
                owner = self._owner_from(child)
                if owner is not None and owner.code in self.kb.states:
                    return Actor(text=ent.text, code=owner.code, sector="GOV",
                                 name=owner.name, kb_id=owner.kb_id)
        return None

    def possessor(self, token: Token) -> Actor | None:
        for child in token.children:
            if child.dep_ == "poss":
                found = self._owner_from(child)
                if found is not None:
                    return found
        return None

    def co_owners(self, token: Token) -> list[Actor]:
        """Owners conjoined with the first: "Russian and Ukrainian delegations"."""
        found = []
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS and child.i < token.i:
                for conj in child.conjuncts:
                    owner = self._owner_from(conj)
                    if owner is not None and owner.code:
                        found.append(owner)
        return found

    def office_of(self, token: Token) -> str | None:
        """The office a noun phrase names: "foreign minister", "the president"."""
        offices = self.kb.offices
        if offices is None:
            return None
        lemma = token.lemma_.lower()
        keys = [f"{c.lemma_.lower()} {lemma}" for c in token.children
                if c.dep_ in ("compound", "amod") and c.i == token.i - 1]
        keys += [f"{lemma} {p.lower_} {g.lemma_.lower()}" for p in token.children
                 if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
        keys.append(lemma)
        return next((offices.nouns[k] for k in keys if k in offices.nouns), None)

    def office_holder(self, token: Token, owner: Actor | None) -> Entry | None:
        """Who holds the office a noun names on the article's date: of the owner's
        state ("the Russian leader"), or the nearest person mentioned who holds
        such an office ("Biden ... the president")."""
        office = self.office_of(token)
        if office is None:
            return None
        if owner is not None and owner.code:
            qualifier = owner.text.replace("'s", "").replace("the ", "").strip()
            return self.kb.holder(owner.code, office, self.day, qualifier)
        wanted = {"head_of_state", "head_of_government"} if office == "leader" else {office}
        sentence = self.sentence_of[token.i]
        for mention in reversed(self.mentions):
            if mention.index >= token.i or sentence - mention.sentence > 2:
                continue
            if mention.kind != "person":
                continue
            entry = self.kb.lookup(mention.actor.name or "")
            roles = entry.roles if entry is not None else ()
            if any(r.office in wanted and (self.day is None or r.holds_on(self.day))
                   for r in roles):
                return entry
        return None

    def resolve_thing(self, token: Token, preps: frozenset[str] = frozenset(
            ("of", "with", "in", "on")), depth: int = 0) -> list[Actor]:
        """Whose a thing is, when the thing is no actor: "a Russian missile",
        "the U.S. assessment", "imports of Russian oil", "a meeting with Lavrov"."""
        if token.i in self.dateline or depth > 2:
            return []
        for child in sorted(token.children, key=lambda c: c.i):
            if child.dep_ in MODIFIER_DEPS and child.i < token.i and not is_backer(child):
                found = self._owner_from(child)
                if found is not None and found.code:
                    return [found]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.resolve(obj) or self.resolve_thing(obj, preps, depth + 1)
                        if any(a.code for a in found):
                            return found
        return []

    # -- helpers --------------------------------------------------------
    def is_commentator(self, token: Token) -> bool:
        """Reporters, analysts and the like, named or not ("Reporter Tom Hale",
        "Anna Markova, a military analyst"): never actors."""
        non_actors = self.kb.non_actor_nouns
        if token.lemma_.lower() in non_actors or token.lower_ in non_actors:
            return True
        for child in token.children:
            if child.dep_ == "compound" and child.lower_ in non_actors:
                return True
            if child.dep_ == "appos" and (
                child.lemma_.lower() in non_actors
                or any(c.lemma_.lower() in non_actors for c in child.children
                       if c.dep_ in ("compound", "amod"))
            ):
                return True
        head = token.head
        return token.dep_ == "appos" and head.lemma_.lower() in non_actors

    def owner(self, token: Token) -> Actor | None:
        """The state or organisation a sector or group noun belongs to. A group
        noun's possessor is its partner, not its owner ("its allies in NATO")."""
        partner = bool({token.lower_, token.lemma_.lower()} & PARTNER_NOUNS)
        for child in sorted(token.children, key=lambda c: c.i):
            if partner and child.dep_ == "poss":
                continue
            if child.dep_ in MODIFIER_DEPS and child.i < token.i and not is_backer(child):
                found = self._owner_from(child)
                if found is not None:
                    return found
        for prep in self._location_preps(token):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    found = self._owner_from(obj)
                    if found is not None:
                        return found
        return None

    @staticmethod
    def _location_preps(token: Token) -> list[Token]:
        """The prepositions that say where a group belongs: "police in Lagos",
        "students throughout Indonesia", "a missionary from Calgary", "a group
        based in Trinidad"."""
        preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in OWNER_PREPS]
        for clause in token.children:
            if clause.dep_ == "acl" and clause.lemma_.lower() in LOCATING_VERBS:
                preps += [c for c in clause.children if c.dep_ == "prep"
                          and c.lower_ in OWNER_PREPS]
        return preps

    def settle(self, actors: list[Actor]) -> None:
        """Give unowned police, students, rebels and the like the one state the
        article speaks of, when it speaks of only one (after the place of the
        event, which is the better witness, has had its say)."""
        states = [code for code in self.countries if code in self.kb.states
                  and self.kb.states[code].kind == "state"]
        if len(states) != 1:
            return
        for actor in actors:
            if actor.code is None and actor.sector in DOMESTIC_SECTORS and not actor.kb_id:
                actor.code = states[0]

    def _owner_from(self, token: Token) -> Actor | None:
        if token.pos_ == "PRON":
            found = self.pronoun(token)
            return found[0] if len(found) == 1 else None
        ent = self.ent_at.get(token.i)
        if ent is not None:
            entry = self.entry(ent)
            if entry is not None and entry.kind == "capital":
                entry = self.capital_or_namesake(entry, ent)
            if entry is not None:
                code, sector, _ = entry.at(self.day)
                if entry.kind in ("state", "grouping", "demonym"):
                    sector = None
                return Actor(text=ent.text, code=code, sector=sector, name=entry.name,
                             kb_id=entry.kb_id)
            place = self.gazetteer.locate(ent.text) or (
                self.gazetteer.locate(ent.text, self.kb, self.countries)
                if ent.label_ in PLACE_ENTS else None)
            if place is not None and place.country:
                return Actor(text=ent.text, code=place.country, name=place.name)
        if token.pos_ == "PROPN" and token.is_title:
            misspelt = self.kb.near(token.text)
            if misspelt is not None:
                return Actor(text=token.text, code=misspelt.code, name=misspelt.name,
                             kb_id=misspelt.kb_id)
        if token.dep_ in ("compound", "amod", "nmod"):
            group = self.kb.lookup(token.text)  # "Yoruba leaders", "Karen guerrillas"
            if group is not None and group.kind == "ethnic":
                return Actor(text=token.text, code=group.code, name=group.name,
                             kb_id=group.kb_id)
        if token.pos_ == "NOUN" or token.lemma_.lower() in self.kb.agent_nouns or (
                token.pos_ == "PROPN" and token.dep_ in ("compound", "amod")):
            return self.owner(token)  # "Russian troops", "Turkish Kurd refugees"
        return None

    def phrase(self, token: Token) -> str:
        start = token.i
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS | {"det"} and child.i < token.i:
                start = min(start, child.left_edge.i)
        end = token.i + 1
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "in") and child.i > token.i:
                end = max(end, child.right_edge.i + 1)
        span = self.doc[start:end]
        if span and span[0].dep_ == "det":
            span = span[1:]
        return span.text

    def plural_subject(self, token: Token) -> Token | None:
        """"Ukrainian troops recaptured the village. They then shelled ...": the
        nearest plural noun subject before the pronoun, in this or the last sentence."""
        sentence = self.sentence_of[token.i]
        for candidate in reversed(self.doc[max(0, token.sent.start - 60): token.i]):
            if sentence - self.sentence_of[candidate.i] > 1:
                break
            if (candidate.dep_ in ("nsubj", "nsubjpass") and candidate.tag_ in ("NNS", "NNPS")
                    and self.agent_sector(candidate) is not None):
                return candidate
        return None

    @staticmethod
    def clause_subject(token: Token) -> Token | None:
        """The plural noun subject of the clause a possessive pronoun sits in, before
        it: the likeliest owner ("units ... their bases")."""
        verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
        while verb is not None:
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                subject = subjects[0]
                plural = subject.tag_ in ("NNS", "NNPS") and subject.pos_ == "NOUN"
                return subject if plural and subject.i < token.i else None
            if verb.dep_ not in ("conj", "xcomp"):
                return None
            verb = verb.head
        return None

    def speaker_of(self, token: Token) -> list[Actor]:
        """Who "we" or "I" is in a quotation: the subject of its verb of saying, in
        this sentence or, for a quotation that goes on, the one before."""
        if self._finding_speaker:
            return []
        sent = token.sent
        sentences = [sent]
        if sent.start > 0:
            sentences.append(self.doc[sent.start - 1].sent)
        for candidate in sentences:
            for verb in candidate:
                if verb.lemma_.lower() not in self.speech_verbs or verb.pos_ != "VERB":
                    continue
                for subject in verb.children:
                    if subject.dep_ == "nsubj" and token not in subject.subtree:
                        self._finding_speaker = True
                        try:
                            return self.resolve(subject)
                        finally:
                            self._finding_speaker = False
        return []

    def pronoun(self, token: Token) -> list[Actor]:
        """The nearest compatible earlier mention (this or the previous sentence)."""
        low = token.lower_
        if low in FIRST_PERSON:
            return self.speaker_of(token)
        sentence = self.sentence_of[token.i]
        earlier = [m for m in self.mentions
                   if m.index < token.i and sentence - m.sentence <= 1]
        if low in PERSON_PRONOUNS:
            gender = "f" if low in ("she", "her", "hers") else "m"
            people = [m for m in earlier if m.kind == "person" and m.gender in (None, gender)]
            here = [m for m in people if m.sentence == sentence]
            if here:
                return [replace(here[-1].actor)]
            # across a sentence boundary the subject is the likelier antecedent
            subjects = [m for m in people if self.doc[m.index].dep_ in ("nsubj", "nsubjpass")
                        or self.doc[m.index].head.dep_ in ("nsubj", "nsubjpass")]
            chosen = subjects or people
            return [replace(chosen[-1].actor)] if chosen else []
        if low in PLURAL_PRONOUNS and token.dep_ == "poss":
            owner = self.clause_subject(token)
            if owner is not None:  # "some units had finished their exercises"
                return self.resolve(owner)
        if low in PLURAL_PRONOUNS or low in ("two", "both"):
            people: list[Actor] = []
            for m in reversed(earlier):
                if m.kind == "person" and all(p.kb_id != m.actor.kb_id for p in people):
                    people.append(replace(m.actor))
                if len(people) == 2:
                    return list(reversed(people))
            if low not in ("two", "both"):
                subject = self.plural_subject(token)
                if subject is not None:
                    return self.resolve(subject)
            groups = [m for m in earlier if m.kind in ("org", "state", "grouping", "seat")]
            if not groups or low in ("two", "both"):
                return []
            last = self.ent_at[groups[-1].index].root
            members = [m.actor for m in groups
                       if self.ent_at[m.index].root in (last, *last.conjuncts)]
            return [replace(a) for a in members or [groups[-1].actor]]  # "Russia and China
            # said they ..."
        if low in THING_PRONOUNS:
            things = [m for m in earlier if m.kind in ("org", "state", "seat", "capital")]
            return [replace(things[-1].actor)] if things else []
        return []
