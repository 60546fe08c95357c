"""Whether an event happened: status from negation, modals, frames and
conditions; and who claims it, from reported speech.

Status precedence: negated > conditional > hypothetical > expected > planned >
asserted. ``historical`` is set later from the event's date.
"""

from __future__ import annotations

from spacy.tokens import Token

from redline.extract.lexicon import Lexicon

PRECEDENCE = ("negated", "conditional", "hypothetical", "expected", "planned", "asserted")
CLIMB_DEPS = {"xcomp", "conj", "ccomp", "advcl", "relcl", "acl", "pcomp", "parataxis"}
# Prepositions whose gerund is an argument of the verb ("accused them of arming"),
# not a circumstance of its act ("might stage a pretext before launching strikes").
ARGUMENT_PREPS = {"of", "for", "from"}


def stronger(a: str, b: str) -> str:
    return a if PRECEDENCE.index(a) < PRECEDENCE.index(b) else b


def is_negated(token: Token, lex: Lexicon) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in lex.negations)
        for c in token.children
    )


def own_modality(token: Token, lex: Lexicon) -> str | None:
    """Status carried by a verb's own auxiliaries (will, could, should ...)."""
    status = None
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    for aux in token.children:
        if aux.dep_ not in ("aux", "auxpass"):
            continue
        found = lex.modal_status.get(aux.lower_)
        if aux.lower_ == "should" and subjects and aux.i < subjects[0].i:
            found = "conditional"  # "should Russia invade"
        if found:
            status = found if status is None else stronger(found, status)
    return status


def has_condition(token: Token, lex: Lexicon) -> bool:
    """An "if"/"unless" clause hangs off this verb."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.conditional_marks
                                  for m in c.children)
        for c in token.children
    )


def clause_verb(token: Token) -> Token:
    """The verb whose clause a (nominal) trigger sits in."""
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT":
            return current
        current = current.head
    return current


def adjunct_host(token: Token) -> Token | None:
    """The verb a gerund adjunct ("before launching strikes") qualifies, or None."""
    head = token.head
    if token.dep_ != "pcomp" or head.dep_ != "prep" or head.lower_ in ARGUMENT_PREPS:
        return None
    host = head.head
    if host.pos_ == "NOUN" and host.dep_ == "dobj":  # parsed onto the object: "a pretext"
        host = host.head
    return host if host.pos_ in ("VERB", "AUX") else None


def status_of(trigger: Token, lex: Lexicon) -> str:
    """The status of the event a trigger (verb) expresses."""
    status = "asserted"
    current = trigger
    negated = False
    for _ in range(8):
        if is_negated(current, lex):
            negated = True
        modal = own_modality(current, lex)
        if modal:
            status = stronger(modal, status)
            if has_condition(current, lex):
                status = stronger("conditional", status)
        marks = {m.lower_ for m in current.children if m.dep_ == "mark"}
        if current.dep_ == "advcl" and marks & lex.conditional_marks:
            status = stronger("conditional", status)
            break
        if "whether" in marks:  # "does not know whether Putin has decided"
            status = stronger("hypothetical", status)
        head = current.head
        host = adjunct_host(current)
        if host is not None:  # what "might" be done first, the act after it might be too
            hosted = status_of(host, lex)
            if hosted != "negated":
                status = stronger(hosted, status)
            break
        if current.dep_ in ("acl", "pcomp") and head.pos_ == "NOUN" or (
                current.dep_ == "pcomp" and head.head.pos_ == "NOUN"):
            # "has no plans to attack", "no intention of invading"
            noun = head if head.pos_ == "NOUN" else head.head
            if is_negated(noun, lex):
                negated = True
            frame = lex.frame(noun.lemma_.lower(), noun.lower_)
            if frame and frame != "negated":
                status = stronger(frame, status)
            current = noun
            continue
        if head == current or current.dep_ not in ("xcomp", "conj", "ccomp", "pcomp"):
            break
        if current.dep_ == "ccomp":
            frame = lex.frame(head.lemma_.lower(), head.lower_)
            if frame == "negated":  # "denied (that) it planned to invade"
                negated = True
            if head.lemma_.lower() in lex.speech_verbs or frame != "negated":
                break
        if current.dep_ == "xcomp":
            frame = lex.frame(head.lemma_.lower(), head.lower_)
            if frame == "negated":
                negated = True
            elif frame:
                status = stronger(frame, status)
        current = head
    if negated:
        return "negated"
    return status


def claimant(trigger: Token, lex: Lexicon) -> Token | None:
    """Who the event is attributed to: the subject of the speech verb that
    reports it, or the object of "according to"."""
    current = trigger
    for _ in range(10):
        head = current.head
        if head == current:
            break
        reporting = lex.speech_verbs | lex.clausal_accusations
        if current.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in reporting:
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return subjects[0]
        if current.dep_ not in CLIMB_DEPS and current.pos_ in ("VERB", "AUX"):
            break
        current = head
    root = trigger.sent.root
    for prep in root.subtree:
        if prep.lower_ == "according" and prep.dep_ == "prep":
            for to in prep.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        return obj
    # the speech verb may be the root with the event's clause as its complement
    if root.lemma_.lower() in lex.speech_verbs and root != trigger:
        ancestors = set(trigger.ancestors)
        if root in ancestors:
            subjects = [c for c in root.children if c.dep_ == "nsubj"]
            if subjects and subjects[0] not in trigger.subtree:
                return subjects[0]
    return None
