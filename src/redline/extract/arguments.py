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

from redline.extract.lexicon import Lexicon
from redline.extract.triggers import Candidate

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
NOUN_RECIPIENT_PREPS = {"against", "on", "into", "regarding", "toward", "towards", "at", "over"}
NOUN_ACTOR_PREPS = {"by", "from"}
PAIR_PREPS = {"between", "among"}
CONVERSATION_PREPS = {"in", "during", "at"}


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, preps: set[str] | frozenset[str]) -> list[Token]:
    return [g for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def subject_of(verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """Subject tokens of a verb's clause, and whether the clause is passive."""
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    subjects = children(verb, *SUBJECT_DEPS)
    if passive:
        agents = prep_objects(verb, {"by"})
        return agents, True
    if subjects or depth > 4:
        return subjects, False
    head = verb.head
    if verb.dep_ in ("xcomp", "conj", "advcl") and head is not verb:
        if verb.dep_ == "xcomp":
            # object control: "urged Russia to withdraw" -> Russia withdraws
            objects = children(head, "dobj")
            if objects:
                return objects, False
            if head.lemma_ == "be" and head.dep_ in ("xcomp", "ccomp", "relcl"):
                return subject_of(head.head, depth + 1)
            head_subjects, head_passive = subject_of(head, depth + 1)
            if head_passive:
                return children(head, "nsubjpass"), False
            return head_subjects, False
        return subject_of(head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [head], False
    return [], False


def verb_arguments(cand: Candidate, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """(actor tokens, recipient tokens) of a verbal or light-verb trigger."""
    verb = cand.clause
    entry = cand.entry
    subjects, passive = subject_of(verb)
    recipients: list[Token] = []
    if passive:
        recipients += children(verb, "nsubjpass")
    elif verb.dep_ == "acl" and verb.tag_ == "VBN" and subjects:
        # "aid provided to Ukraine": the noun is the thing, not the actor;
        # "troops massed at the border": the noun is the actor
        pass
    recipients += children(verb, "dative", "iobj", "dobj")
    preps = set(entry.recipient_preps)
    if cand.nominal:
        preps |= NOUN_RECIPIENT_PREPS | set(entry.recipient_preps)
        recipients += prep_objects(cand.token, preps | {"with", "to", "of", "for"})
        recipients = [r for r in recipients if r is not cand.token]
    recipients += prep_objects(verb, preps | {"to"} if cand.nominal else preps)
    if entry.subject_receives:
        subjects, recipients = recipients, subjects
    return subjects, recipients


def noun_arguments(cand: Candidate) -> tuple[list[Token], list[Token]]:
    """(actor tokens, recipient tokens) of a nominal trigger that stands alone."""
    noun = cand.token
    head = noun.head if noun.dep_ == "compound" else noun
    actors = [c for c in (*head.children, *noun.children)
              if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < noun.i]
    actors += prep_objects(head, NOUN_ACTOR_PREPS)
    pair = prep_objects(head, PAIR_PREPS)
    if pair:
        return pair, []
    preps = NOUN_RECIPIENT_PREPS | set(cand.entry.recipient_preps)
    recipients = prep_objects(head, preps)
    if head is not noun:
        recipients += prep_objects(noun, preps)
    return actors, recipients


def conversation_partners(verb: Token) -> list[Token]:
    """People named on a conversation the verb's act took place in
    ("demanded X in a Biden call"): candidates for its recipient."""
    partners = []
    for obj in prep_objects(verb, CONVERSATION_PREPS):
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
