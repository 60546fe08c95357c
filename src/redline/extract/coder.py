"""The event coder: a parsed article in, PLOVER events out.

``code_events(doc, article, ctx)`` is a pure function of its inputs (and the
shipped lexicon and knowledge base): it never touches storage, so it runs the
same in one process, in a process pool or on a cluster.

Two passes: the first codes each trigger from its sentence, and each pair of
actors the lexicon left apart that the relation classifier relates
(``classified``); the second gives
a use of force with no stated target ("could be planning an offensive") the
target its actor is reported to face elsewhere in the same article, with
lower confidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from redline.extract import arguments, classified, details, modality
from redline.extract.actors import DOMESTIC_SECTORS, ActorResolver
from redline.extract.lexicon import Lexicon
from redline.extract.relations import RelationModels
from redline.extract.triggers import Candidate, find_triggers, match_noun
from redline.model import Actor, Article, Event, Place
from redline.nlp.gazetteer import Gazetteer
from redline.nlp.kb import KnowledgeBase

HISTORICAL_AFTER = timedelta(days=31)
# Force used or readied against someone: a missing target may be inferred.
TARGETED_FORCE = {"MOBILIZE", "ASSAULT"}
CONFLICT = {"MOBILIZE", "ASSAULT", "COERCE", "THREATEN", "SANCTION", "ACCUSE"}
FORCE = {"MOBILIZE", "ASSAULT", "COERCE"}  # force used or readied, not words or sanctions
# Sectors that act at home: an uncoded one takes the state where it acts.
# Force whose target is the state where it strikes, when no other is named.
PLACE_TARGETED = {"ASSAULT", "COERCE"}
# Events a noun can report with an actor alone ("Russia's build-up").
ONE_SIDED_NOUNS = {"MOBILIZE", "ASSAULT", "PROTEST", "RETREAT", "COERCE"}
REFUSED_WHEN_NEGATED = {"AGREE", "CONCEDE", "SUPPORT"}
COOPERATIVE = {"AID", "AGREE", "SUPPORT", "COOPERATE"}
INFERRED_PENALTY = 0.2
EVENT_NOUN_PREPS = frozenset(("with", "to"))  # partner, beneficiary; not the target


@dataclass(slots=True)
class CodingContext:
    """Everything the coder reads besides the parse."""

    lexicon: Lexicon
    kb: KnowledgeBase
    gazetteer: Gazetteer
    # relation mode: the two actors are given (``redline eval`` on a PLV file), so
    # an event is kept between any noun phrases, coded or not
    relation_mode: bool = False
    # the trained relation classifier, for pairs of actors the lexicon leaves apart
    models: RelationModels | None = None


@dataclass(slots=True)
class ArticleFacts:
    """What the whole article tells the coding of each sentence."""

    countries: tuple[str, ...]  # the states it mentions, most mentioned first
    dateline: Place | None  # where it was filed


def article_facts(resolver: ActorResolver, ctx: CodingContext) -> ArticleFacts:
    countries = resolver.countries
    dateline = None
    tokens = [resolver.doc[i] for i in sorted(resolver.dateline)]
    if tokens:
        # "TRIPOLI, Lebanon —": the town, in the country named after it
        parts = " ".join(t.text for t in tokens).split(" , ")
        state = ctx.kb.lookup(parts[1]) if len(parts) > 1 else None
        hint = (state.code,) if state is not None and state.kind == "state" else ()
        dateline = ctx.gazetteer.locate(parts[0].title(), ctx.kb, hint + countries)
    return ArticleFacts(countries, dateline)


def code_events(doc: Doc, article: Article, ctx: CodingContext,
                resolver: ActorResolver | None = None) -> list[Event]:
    """Every event in an article, in text order."""
    resolver = resolver or ActorResolver(doc, ctx.kb, ctx.gazetteer, article.published,
                                        ctx.lexicon.quote_cues)
    facts = article_facts(resolver, ctx)
    events: list[Event] = []
    for index, sent in enumerate(doc.sents):
        found: list[Event] = []
        for cand in find_triggers(sent, ctx.lexicon):
            event = _code(cand, sent, index, article, resolver, ctx, facts)
            if event is None:
                continue
            if ctx.models is not None and not ctx.relation_mode:
                actor_tokens, recipient_tokens = arguments_of(cand, ctx.lexicon)
                event = _reconsider(event, cand, actor_tokens, recipient_tokens, ctx)
                event = _complete(event, cand, actor_tokens, resolver, ctx)
            found.append(event)
            for extra in cand.entry.also:
                if extra == event.event:
                    continue  # the classifier already made it this one
                category = ctx.lexicon.categories[extra]
                found.append(replace(event, event=extra, cameo=category.cameo, mode=[],
                                     quad_code=category.quad, event_scale=category.scale))
            threat = _conditional_threat(cand, event, ctx.lexicon, resolver)
            if threat is not None:
                found.append(threat)
        if ctx.models is not None and not ctx.relation_mode:
            for cand, actors, recipients, probability in classified.candidates(
                    sent, resolver, ctx.models, ctx.lexicon, found):
                event = _code(cand, sent, index, article, resolver, ctx, facts,
                              (actors, recipients))
                if event is not None and all(e.id != event.id for e in found):
                    event.confidence = round(min(event.confidence, probability), 3)
                    found.append(event)
        events += sorted(found, key=lambda e: e.trigger_start)  # text order, as stored
    _infer_targets(events, ctx.kb)
    return events


def _reconsider(event: Event, cand: Candidate, actor_tokens: list[Token],
                recipient_tokens: list[Token], ctx: CodingContext) -> Event:
    """The event as the relation classifier sees it: another category where it is
    sure of one (with that category's mode), else the lexicon's with the
    classifier's mode where the lexicon gives none; the contexts of both."""
    assert ctx.models is not None
    found = classified.judged(cand, event.event, actor_tokens, recipient_tokens,
                              ctx.models, ctx.lexicon)
    if found is None:
        return event
    contexts = sorted({*event.context, *found.contexts})
    if found.category == event.event:
        mode = event.mode or ([found.mode] if found.mode else [])
        category = ctx.lexicon.categories[event.event]
        return replace(event, mode=mode, context=contexts,
                       event_scale=category.score(mode[0] if mode else None))
    category = ctx.lexicon.categories[found.category]
    return replace(event, event=found.category, cameo=category.cameo,
                   quad_code=category.quad, mode=[found.mode] if found.mode else [],
                   context=contexts, event_scale=category.score(found.mode))


def _complete(event: Event, cand: Candidate, actor_tokens: list[Token],
              resolver: ActorResolver, ctx: CodingContext) -> Event:
    """An event with a coded actor and no coded recipient takes the recipient the
    relation classifier finds for it in the sentence, if any."""
    assert ctx.models is not None
    coded = {a.code for a in event.actor if a.code}
    if any(r.code for r in event.recipient) or len(coded) != 1:
        return event  # "Israel and Hamas agreed": two sides, no third party
    found = classified.missing_recipient(
        cand, actor_tokens, event.event, resolver, ctx.models,
        ctx.lexicon, {a.key for a in event.actor})
    reporter = event.claimed_by.text if event.claimed_by else None
    found = [r for r in found or [] if not reporter or r.text != reporter]  # not its target
    if not found:
        return event
    return replace(event, recipient=found,
                   confidence=round(max(0.1, event.confidence - INFERRED_PENALTY), 3))


def _conditional_threat(cand: Candidate, event: Event, lex: Lexicon,
                        resolver: ActorResolver) -> Event | None:
    """"will impose sanctions on Moscow if Russia invades": besides the conditional
    sanction, the threat to sanction, made now, against whoever the condition
    names when the sanction names no one."""
    threat = lex.conditional_threats.get(event.event)
    if threat is None or event.status != "conditional" or not any(a.code for a in event.actor):
        return None
    clause = modality.clause_verb(cand.token) if cand.standalone_noun else cand.clause
    if not modality.has_condition(clause, lex):
        return None  # the event is the condition, not what is promised on it
    mode, cameo = threat
    category = lex.categories["THREATEN"]
    recipient = event.recipient
    if not any(r.code for r in recipient):
        conditions = [c for c in clause.children if c.dep_ == "advcl"]
        subjects = [s for c in conditions for s in arguments.subject_of(c)]
        recipient = _resolve_all(subjects, resolver) or recipient
    return replace(event, event="THREATEN", cameo=cameo, mode=[mode], status="asserted",
                   quad_code=category.quad, event_scale=category.score(mode),
                   recipient=recipient, event_text=event.event_text + " if")


def _faced(events: list[Event], categories: set[str]) -> dict[str, Counter]:
    """The states each actor acts against in events of these categories."""
    faced: dict[str, Counter] = {}
    for event in events:
        if event.event in categories and event.status != "negated":
            for a in event.actor:
                for r in event.recipient:
                    if a.code and r.code and a.code != r.code:
                        faced.setdefault(a.code, Counter())[r.code] += 1
    return faced


def _infer_targets(events: list[Event], kb: KnowledgeBase) -> None:
    """Give untargeted force the state its actor acts against elsewhere in the
    article: with force if it uses or readies force against any, else in words
    (an expelled diplomat does not tell where an army is aimed)."""
    forced = _faced(events, FORCE)
    faced = _faced(events, CONFLICT)
    for event in events:
        if event.recipient or event.event not in TARGETED_FORCE:
            continue
        for actor in event.actor:
            found = forced.get(actor.code) or faced.get(actor.code)
            if found:
                code = found.most_common(1)[0][0]
                state = kb.states.get(code)
                event.recipient = [Actor(text="", code=code, name=state.name if state else None,
                                         kb_id=state.kb_id if state else None)]
                event.confidence = max(0.1, event.confidence - INFERRED_PENALTY)
                break


def _resolve_all(tokens: list[Token], resolver: ActorResolver, lex: Lexicon | None = None
                 ) -> list[Actor]:
    """Actors the tokens name; given the lexicon, a token that names none gives its
    owner ("a Russian missile" -> Russia). An event noun gives only its partner
    ("a meeting with Lavrov"), not its target ("the attack on Kyiv")."""
    actors: list[Actor] = []
    for token in tokens:
        found = resolver.resolve(token)
        if lex is not None and not found and not resolver.is_commentator(token):
            found = (resolver.resolve_thing(token, EVENT_NOUN_PREPS) if match_noun(token, lex)
                     else resolver.resolve_thing(token))
        for actor in found:
            if all(a.key != actor.key for a in actors):
                actors.append(actor)
    return actors


def arguments_of(cand: Candidate, lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """The argument tokens of a trigger, as the parse gives them."""
    if cand.standalone_noun:
        return arguments.noun_arguments(cand)
    return arguments.verb_arguments(cand, lex)


def _mentions_of(tokens: list[Token]) -> list[Actor]:
    """Uncoded actors for argument phrases (relation mode): their whole text."""
    return [Actor(text=t.doc[t.left_edge.i: t.right_edge.i + 1].text) for t in tokens]


def _participants(cand: Candidate, resolver: ActorResolver, lex: Lexicon
                  ) -> tuple[str, list[Actor], list[Actor]]:
    """(event, actors, recipients) of a trigger."""
    event = cand.entry.event
    actor_tokens, recipient_tokens = arguments_of(cand, lex)
    if cand.standalone_noun:
        actors = _resolve_all(actor_tokens, resolver)
        host = arguments.prepositional_host(cand.token)
        if not actors and host is not None and event == "CONSULT":
            actors = _resolve_all(arguments.subject_of(host), resolver)
    else:
        accused = None if cand.nominal else arguments.clausal_accusation(cand.token, lex)
        if accused is not None:
            event, recipient_tokens = accused
        actors = _resolve_all(actor_tokens, resolver, lex)
    if actor_tokens and not actors and all(resolver.is_commentator(t) for t in actor_tokens):
        return event, [], []  # what an analyst or a reporter does is no political event
    if event == "MOBILIZE":  # what is mobilised is no recipient: "massed troops"
        objects = set(arguments.children(cand.clause, "dobj"))
        recipient_tokens = [t for t in recipient_tokens if t not in objects]
    recipients = _resolve_all(recipient_tokens, resolver,
                              None if cand.standalone_noun else lex)
    if not any(r.code for r in recipients) and not cand.standalone_noun:
        # "a Russian rocket attack on Kharkiv killed 9": the subject names the target
        for token in actor_tokens:
            entry = match_noun(token, lex)
            if entry is not None and entry.event == event:
                noun = Candidate(token, entry, token, nominal=True)
                recipients += _resolve_all(arguments.noun_arguments(noun)[1], resolver)
    if not any(r.code for r in recipients) and not cand.standalone_noun:
        partners = _resolve_all(arguments.conversation_partners(cand.clause), resolver)
        partners = [p for p in partners if all(p.kb_id != a.kb_id for a in actors)]
        if event == "MOBILIZE":
            partners += _resolve_all(arguments.frontier_recipients(cand.clause, lex), resolver)
        if any(p.code for p in partners):
            recipients = partners
    actor_keys = {a.key for a in actors}
    recipients = [r for r in recipients if r.key not in actor_keys]
    return event, actors, recipients


def _status(cand: Candidate, clause: Token, lex: Lexicon) -> str:
    status = modality.status_of(clause, lex)
    token = cand.token
    if cand.standalone_noun:
        if modality.is_negated(token, lex):
            return "negated"
        governor = token.head
        if token.dep_ in ("nsubj", "nsubjpass"):  # "their talks are expected to ..."
            frame = lex.frame(governor.lemma_.lower(), governor.lower_)
            if frame:
                status = modality.stronger(frame, status)
        if token.dep_ == "pobj" and governor.head.lemma_.lower() in lex.hypothetical_nouns:
            status = modality.stronger("hypothetical", status)  # "the threat of invasion"
        if (token.dep_ == "pobj" and governor.head.lemma_.lower() in lex.evidence_nouns
                and modality.is_negated(governor.head, lex)):
            return "negated"  # "no sign of a withdrawal"
    elif cand.nominal and status == "asserted":
        frame = lex.frame(cand.clause.lemma_.lower(), cand.clause.lower_)
        if frame and frame != "negated":  # light verbs that plan: "planning an offensive"
            status = frame
    return status


def _dated_status(status: str, when, published: date) -> str:
    if status != "asserted" or when is None:
        return status
    if when.start > published:
        return "planned"
    end = {"day": when.start, "week": when.start + timedelta(days=6)}.get(when.precision)
    if end is None:
        end = _period_end(when.start, when.precision)
    return "historical" if published - end > HISTORICAL_AFTER else status


def _period_end(start: date, precision: str) -> date:
    if precision == "year":
        return date(start.year, 12, 31)
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _code(cand: Candidate, sent: Span, index: int, article: Article,
          resolver: ActorResolver, ctx: CodingContext, facts: ArticleFacts,
          given: tuple[list[Actor], list[Actor]] | None = None) -> Event | None:
    """The event a trigger candidate codes, its participants found in the parse
    or ``given`` (by the relation classifier)."""
    lex = ctx.lexicon
    if given is None:
        event_name, actors, recipients = _participants(cand, resolver, lex)
    else:
        event_name, actors, recipients = cand.entry.event, *given
    scope = details.event_scope(cand.token, cand.clause)
    if cand.standalone_noun and cand.token.dep_ in ("compound", "nsubj"):
        # "disinformation activity in cyberspace", "shelling killed 11 civilians"
        scope += [t for t in details.event_scope(cand.token.head, cand.token.head)
                  if t not in scope]
    event_loc = details.place_in(scope, sent, ctx.kb, ctx.gazetteer, facts.countries)
    actor_codes = {a.code for a in actors if a.code}
    if (not any(r.code for r in recipients) and event_name in PLACE_TARGETED and event_loc
            and event_loc.country and event_loc.country not in actor_codes):
        # "separatists shelled a kindergarten in Stanytsia Luhanska": the state hit
        recipients = [Actor(text=event_loc.text, code=event_loc.country, name=event_loc.name)]
    coded_states = ({r.code for r in recipients if r.code}
                    or {a.code for a in actors if a.code and len(a.code) == 3})
    home = event_loc.country if event_loc is not None and event_loc.country else (
        next(iter(coded_states)) if len(coded_states) == 1 and not (
            event_name in CONFLICT and not any(r.code for r in recipients)) else None)
    # (the victims of an attacker's violence are not taken for the attacker's people
    # here; in an article about one state alone, settle() gives them that state:
    # "Iranian police attacked protesters")
    if home:
        for r in recipients:  # "killed 9 people in Kharkiv": Ukrainian civilians
            if r.code is None and r.sector is not None and not r.kb_id:
                r.code = home
    if event_loc is not None and event_loc.country:
        for a in actors:  # "separatists shelled a kindergarten in Stanytsia Luhanska"
            if a.code is None and a.sector in DOMESTIC_SECTORS and not a.kb_id:
                a.code = event_loc.country
    resolver.settle([*actors, *recipients])
    coded_actor = any(a.code for a in actors)
    coded_recipient = any(r.code for r in recipients)
    if ctx.relation_mode:
        actor_tokens, recipient_tokens = arguments_of(cand, lex)
        actors = actors or _mentions_of(actor_tokens)
        recipients = recipients or _mentions_of(recipient_tokens)
        coded_actor = coded_recipient = bool(actors and recipients)
    two_sided = coded_recipient or sum(1 for a in actors if a.code) > 1
    if cand.standalone_noun and not (
        coded_actor and (two_sided or event_name in ONE_SIDED_NOUNS)
    ):
        return None
    if not (coded_actor or coded_recipient):
        return None
    if event_name == "CONSULT" and len(actors) + len(recipients) < 2:
        return None  # a consultation has two sides
    cameo = (cand.entry.cameo if event_name == cand.entry.event
             else lex.categories[event_name].cameo)
    mode_default = cand.entry.mode if event_name == cand.entry.event else None
    clause = modality.clause_verb(cand.token) if cand.standalone_noun else cand.clause
    status = _status(cand, clause, lex)
    if status == "negated" and event_name in REFUSED_WHEN_NEGATED and not cand.nominal:
        # "won't accept anybody's red line": a refusal, asserted
        event_name, status, mode_default = "REJECT", "asserted", None
        cameo = lex.categories["REJECT"].cameo
    claim_token = modality.claimant(clause, lex)
    claimed_by = None
    if claim_token is not None:
        claimers = resolver.resolve(claim_token)
        claimed_by = claimers[0] if claimers else Actor(text=claim_token.text)
        if not ctx.relation_mode and claimed_by.text and any(
                r.text == claimed_by.text for r in recipients):
            # "Russia has put 70% of its forces in place, U.S. officials said": who
            # reports an event is not its target
            recipients = [r for r in recipients if r.text != claimed_by.text]
            coded_recipient = any(r.code for r in recipients)
            if not coded_actor:
                return None
    confidence = 0.5 + 0.2 * coded_actor + 0.2 * coded_recipient
    if not coded_actor and claimed_by and claimed_by.code and event_name in COOPERATIVE \
            and coded_recipient and arguments.is_passive(cand.clause):
        # agentless passive reported by an official: "aid has been provided to Ukraine"
        actors = [Actor(text=claimed_by.text, code=claimed_by.code, name=claimed_by.name,
                        kb_id=claimed_by.kb_id)]
        confidence -= INFERRED_PENALTY
    when = None
    published = article.published
    if published is not None:
        future = status in ("planned", "expected", "hypothetical", "conditional")
        when = details.date_in(scope, sent, published, future)
        if when is None and cand.standalone_noun:
            when = details.date_in(details.event_scope(clause, clause), sent, published, future)
        if when is None and claim_token is not None:
            speech = claim_token.head
            when = details.date_in(details.event_scope(speech, speech), sent, published, False)
        status = _dated_status(status, when, published)
    mode, context = details.modes_and_contexts(
        event_name, mode_default, cand.entry.context, details.modifier_scope(cand))
    category = lex.categories[event_name]
    date_value = when.value if when else (published.isoformat() if published else None)
    return Event(
        article_id=article.id,
        sentence_index=index,
        text=sent.text.strip(),
        event_text=cand.event_text,
        event=event_name,
        trigger_start=cand.token.idx - sent.start_char,
        mode=mode,
        context=context,
        quad_code=category.quad,
        event_scale=category.score(mode[0] if mode else None),
        cameo=cameo,
        actor=actors,
        recipient=recipients,
        date=date_value,
        date_text=when.text if when else None,
        date_precision=when.precision if when else ("day" if date_value else None),
        event_loc=event_loc or facts.dateline,
        status=status,
        claimed_by=claimed_by,
        magnitude=details.magnitudes(scope, sent),
        confidence=max(0.1, min(1.0, confidence)),
    )
