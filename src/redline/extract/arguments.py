"""Who acts and who is acted upon: the actor and recipient tokens of a trigger.

Verbs: subject (or the passive's "by" agent) acts; the object, dative, the
passive subject or a recipient preposition's object receives. Subjects missing
from a clause come from the clause it depends on (control: "agreed to send";
coordination: "met and agreed"; participles: "troops massed"). Nouns: the
possessor and modifiers act ("Russia's invasion"), recipient prepositions
receive ("invasion of Ukraine", "talks with Kyiv").
"""

from __future__ import annotations

from spacy.tokens import Token

from redline.extract import modality
from redline.extract.lexicon import Lexicon
from redline.extract.triggers import Candidate

SUBJECT_DEPS = {"nsubj", "csubj"}
NOUN_RECIPIENT_PREPS = {"against", "on", "into", "regarding", "toward", "towards", "at"}
NOUN_ACTOR_PREPS = {"by", "from"}
PAIR_PREPS = {"between", "among"}
# Nouns whose infinitive is done by their owner ("its plan to invade").
CONTROL_NOUNS = {"plan", "intention", "intent", "readiness", "decision", "attempt", "effort",
                 "bid", "move", "promise", "pledge", "commitment", "threat", "right",
                 "willingness", "refusal", "determination", "desire", "aim", "goal"}
CONVERSATION_PREPS = {"in", "during", "at", "by", "over"}
# A bare compound before a noun trigger is usually its actor ("U.S. sanctions",
# "NATO talks"), but for force it names the target ("a Ukraine offensive",
# "the Kyiv assault"); with an actor found elsewhere it is the target too.
TARGET_COMPOUND_EVENTS = {"ASSAULT"}
# Events whose listed objects are what is sent, given or withdrawn, not the
# recipient ("sent weapons to Ukraine"); so for any withdrawal ("evacuated its
# diplomats from Kyiv").
THEME_EVENTS = {"MOBILIZE", "AID", "RETREAT"}


def children(token: Token, *deps: str) -> list[Token]:
    """Children with these relations; a prepositional dative ("to Ukraine") gives
    its object."""
    found = []
    for c in token.children:
        if c.dep_ in deps:
            if c.pos_ == "ADP":
                found += [g for g in c.children if g.dep_ == "pobj"]
            else:
                found.append(c)
    return found


def prep_objects(token: Token, preps: set[str] | frozenset[str]) -> list[Token]:
    return [g for c in token.children
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def subject_of(verb: Token, depth: int = 0) -> list[Token]:
    """The tokens that act in a verb's clause (the "by" agent of a passive)."""
    if is_passive(verb):
        return prep_objects(verb, {"by"})
    subjects = children(verb, *SUBJECT_DEPS)
    if subjects or depth > 4:
        return subjects
    # a parse that took a sentence-initial name for an adverb: "Russia massed troops."
    named = [c for c in children(verb, "npadvmod") if c.i < verb.i and c.ent_type_]
    if named and verb.dep_ == "ROOT":
        return named
    head = verb.head
    if head == verb:
        return []
    if verb.dep_ == "xcomp":
        # object control: "urged Russia to withdraw" -> Russia withdraws
        objects = children(head, "dobj")
        if objects:
            return objects
        if is_passive(head):  # "Putin is expected to issue"
            return children(head, "nsubjpass")
        if head.dep_ == "acomp":  # "he is prepared to undertake"
            return subject_of(head.head, depth + 1)
        return subject_of(head, depth + 1)
    if verb.dep_ in ("conj", "advcl"):
        return subject_of(head, depth + 1)
    host = modality.adjunct_host(verb)
    if host is not None:  # "might stage a pretext before launching strikes"
        return subject_of(host, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        # "accused the West of arming Kyiv": the accused does the arming
        objects = children(head.head, "dobj")
        return objects or subject_of(head.head, depth + 1)
    if verb.dep_ in ("acl", "pcomp") and head.lemma_.lower() in CONTROL_NOUNS:
        # "it has no plans to attack": whoever has the plan attacks
        return subject_of(head.head, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.lemma_.lower() in CONTROL_NOUNS:
        return subject_of(head.head.head, depth + 1)  # "no intention of attacking"
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [head]
    return []


def verb_arguments(cand: Candidate, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """(actor tokens, recipient tokens) of a verbal or light-verb trigger."""
    verb = cand.clause
    entry = cand.entry
    subjects = subject_of(verb)
    # what is sent, given or withdrawn is no recipient ("sent weapons to Ukraine"); what is
    # rejected or condemned names its owner ("rejected Kyiv's plan")
    themes = entry.objects if entry.event in THEME_EVENTS or entry.mode == "withdraw" \
        else frozenset()
    objects = [o for o in children(verb, "dobj") if o.lemma_.lower() not in themes
               and o != cand.token]
    recipients: list[Token] = []
    if is_passive(verb):
        recipients += [s for s in children(verb, "nsubjpass") if s.lemma_.lower() not in themes]
    recipients += children(verb, "dative", "iobj") + objects
    preps = set(entry.recipient_preps) | lex.category_preps.get(entry.event, frozenset())
    if cand.nominal:
        recipients += prep_objects(cand.token, preps | {"with", "to", "of", "for"}
                                   | NOUN_RECIPIENT_PREPS)
    recipients += prep_objects(verb, preps)
    for particle in children(verb, "advmod", "prt"):  # "moved its forces away from X"
        if particle.lower_ == entry.particle:
            recipients += prep_objects(particle, preps)
    for obj in children(verb, "dobj", "nsubjpass"):
        recipients += prep_objects(obj, preps - {"of"})
    if entry.subject_receives:
        subjects, recipients = recipients, subjects
    return subjects, recipients


def clausal_accusation(verb: Token, lex: Lexicon) -> tuple[str, list[Token]] | None:
    """"X warned that the West has ...": (ACCUSE, the clause's subject) when the verb
    takes a clause and no object; with a modal in the clause ("warned that Russia
    would face costs") it is a threat: (THREATEN, subject). None otherwise."""
    if verb.lemma_.lower() not in lex.clausal_accusations:
        return None
    if children(verb, "dobj", "dative"):
        return None
    for comp in children(verb, "ccomp"):
        subjects = children(comp, "nsubj", "nsubjpass")
        if subjects:
            modal = any(c.dep_ == "aux" and lex.modal_status.get(c.lower_)
                        for c in comp.children)
            return ("THREATEN" if modal else "ACCUSE"), subjects
    return None


def noun_arguments(cand: Candidate) -> tuple[list[Token], list[Token]]:
    """(actor tokens, recipient tokens) of a nominal trigger that stands alone."""
    noun = cand.token
    head = noun.head if noun.dep_ in ("compound", "amod") else noun
    modifiers = [c for c in (*noun.children, *(head.children if head != noun else ()))
                 if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < noun.i
                 and c != noun]
    pair = prep_objects(head, PAIR_PREPS)
    if pair:
        return pair, []
    preps = NOUN_RECIPIENT_PREPS | set(cand.entry.recipient_preps)
    recipients = prep_objects(head, preps)
    if head != noun:
        recipients += prep_objects(noun, preps)
    actors = [m for m in modifiers if m.dep_ in ("poss", "amod", "nmod")]
    actors += prep_objects(head, NOUN_ACTOR_PREPS)
    compounds = [m for m in modifiers if m.dep_ == "compound"]
    if actors or cand.entry.event in TARGET_COMPOUND_EVENTS:
        recipients += compounds
    else:
        actors += compounds
    return actors, recipients


def conversation_partners(verb: Token) -> list[Token]:
    """People named on a conversation the verb's act took place in
    ("demanded a guarantee in a Biden call"): candidates for its recipient."""
    partners = []
    for owner in [verb, *children(verb, "dobj")]:
        for obj in prep_objects(owner, CONVERSATION_PREPS):
            partners += [c for c in obj.children if c.dep_ in ("compound", "poss")]
            partners += prep_objects(obj, {"with"})
    return partners


def frontier_recipients(verb: Token, lex: Lexicon) -> list[Token]:
    """"troops along the border with Ukraine", "Ukraine's border": the state behind
    the frontier a mobilisation faces."""
    found = []
    for token in verb.subtree:
        if token.lemma_.lower() in lex.frontier_nouns:
            found += prep_objects(token, {"with"})
            found += [c for c in token.children if c.dep_ in ("poss", "compound", "amod")]
    return found


def prepositional_host(noun: Token) -> Token | None:
    """The verb a nominal trigger hangs off by a preposition ("After a meeting
    with X, Y said ..." -> said), whose subject took part."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
        return noun.head.head
    return None
