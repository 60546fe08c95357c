"""The event coder: a parsed article in, PLOVER events out.

``code_events(doc, article)`` is a pure function of its inputs (plus the
shipped lexicon and knowledge base): it never touches storage, so it runs the
same in one process, in a process pool or on a cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from redline.extract import arguments, details, modality
from redline.extract.actors import ActorResolver
from redline.extract.lexicon import Lexicon
from redline.extract.triggers import Candidate, find_triggers
from redline.model import Actor, Article, Event
from redline.nlp.gazetteer import Gazetteer
from redline.nlp.kb import KnowledgeBase

HISTORICAL_AFTER = timedelta(days=31)
MATERIAL_CONFLICT = {"MOBILIZE", "ASSAULT", "COERCE", "THREATEN"}
REFUSED_WHEN_NEGATED = {"AGREE", "CONCEDE", "SUPPORT"}
COOPERATIVE = {"AID", "AGREE", "SUPPORT", "COOPERATE"}
SALIENT_MENTIONS = 3


@dataclass(slots=True)
class CodingContext:
    """Everything the coder reads besides the parse."""

    lexicon: Lexicon
    kb: KnowledgeBase
    gazetteer: Gazetteer


def code_events(doc: Doc, article: Article, ctx: CodingContext) -> list[Event]:
    """Every event in an article, in text order."""
    published = article.published
    resolver = ActorResolver(doc, ctx.kb, ctx.gazetteer, published)
    salient = _salient_states(resolver)
    events: list[Event] = []
    for index, sent in enumerate(doc.sents):
        for cand in find_triggers(sent, ctx.lexicon):
            event = _code(cand, sent, index, article, resolver, ctx, salient)
            if event is not None:
                events.append(event)
    return events


def _salient_states(resolver: ActorResolver) -> list[str]:
    counts = Counter(m.actor.code for m in resolver.mentions
                     if m.kind in ("state", "capital", "seat") and m.actor.code)
    return [code for code, n in counts.most_common() if n >= SALIENT_MENTIONS]


def _resolve_all(tokens: list[Token], resolver: ActorResolver) -> list[Actor]:
    actors: list[Actor] = []
    for token in tokens:
        for actor in resolver.resolve(token):
            if all((a.code, a.sector, a.text) != (actor.code, actor.sector, actor.text)
                   for a in actors):
                actors.append(actor)
    return actors


def _participants(cand: Candidate, resolver: ActorResolver, ctx: CodingContext
                  ) -> tuple[list[Actor], list[Actor]]:
    lex = ctx.lexicon
    if cand.nominal and cand.clause is cand.token:
        actor_tokens, recipient_tokens = arguments.noun_arguments(cand)
        host = arguments.prepositional_host(cand.token)
        actors = _resolve_all(actor_tokens, resolver)
        if not actors and host is not None and cand.entry.event == "CONSULT":
            actors = _resolve_all(arguments.subject_of(host)[0], resolver)
    else:
        actor_tokens, recipient_tokens = arguments.verb_arguments(cand, lex)
        actors = _resolve_all(actor_tokens, resolver)
    recipients = _resolve_all(recipient_tokens, resolver)
    if not recipients and not (cand.nominal and cand.clause is cand.token):
        partners = _resolve_all(arguments.conversation_partners(cand.clause), resolver)
        recipients = [p for p in partners if all(p.kb_id != a.kb_id for a in actors)]
    if not recipients and cand.entry.event == "MOBILIZE":
        recipients = _resolve_all(arguments.frontier_recipients(cand.clause, lex), resolver)
    actor_keys = {(a.code, a.sector, a.text) for a in actors}
    recipients = [r for r in recipients if (r.code, r.sector, r.text) not in actor_keys]
    return actors, recipients


def _code(cand: Candidate, sent: Span, index: int, article: Article,
          resolver: ActorResolver, ctx: CodingContext, salient: list[str]) -> Event | None:
    lex = ctx.lexicon
    actors, recipients = _participants(cand, resolver, ctx)
    if not any(a.code for a in actors + recipients):
        return None
    event_name = cand.entry.event
    cameo = cand.entry.cameo
    clause = cand.clause if not (cand.nominal and cand.clause is cand.token) \
        else modality.clause_verb(cand.token)
    status = modality.status_of(clause, lex)
    if cand.nominal and cand.clause is cand.token and modality.is_negated(cand.token, lex):
        status = "negated"
    if status == "negated" and event_name in REFUSED_WHEN_NEGATED and not cand.nominal:
        # "won't accept anybody's red line": a refusal, asserted
        event_name, cameo, status = "REJECT", "120", "asserted"
    claim_token = modality.claimant(clause, lex)
    claimed_by = None
    if claim_token is not None:
        claimers = resolver.resolve(claim_token)
        claimed_by = claimers[0] if claimers else Actor(text=claim_token.text)
    confidence = 0.5 + 0.2 * any(a.code for a in actors) + 0.2 * any(r.code for r in recipients)
    if not any(a.code for a in actors) and claimed_by and claimed_by.code \
            and event_name in COOPERATIVE and recipients:
        # agentless passive reported by an official: "aid has been provided to Ukraine"
        actors = [Actor(text=claimed_by.text, code=claimed_by.code, name=claimed_by.name)]
        confidence -= 0.2
    actor_codes = {a.code for a in actors if a.code}
    if not recipients and event_name in MATERIAL_CONFLICT and actor_codes:
        others = [code for code in salient if code not in actor_codes]
        if others:
            recipients = [Actor(text="", code=others[0], name=ctx.kb.states[others[0]].name
                                if others[0] in ctx.kb.states else None)]
            confidence -= 0.2
    scope = details.event_scope(cand.token, cand.clause)
    if cand.nominal and cand.clause is cand.token and cand.token.dep_ == "compound":
        scope += [t for t in details.event_scope(cand.token.head, cand.token.head)
                  if t not in scope]
    future = status in ("planned", "expected", "hypothetical", "conditional")
    when = None
    if article.published is not None:
        when = details.date_in(scope, sent, article.published, future)
        if when is None and cand.nominal and cand.clause is cand.token:
            when = details.date_in(details.event_scope(clause, clause), sent,
                                   article.published, future)
        if when is None and claim_token is not None:
            speech = claim_token.head
            when = details.date_in(details.event_scope(speech, speech), sent,
                                   article.published, False)
        if when is not None and status == "asserted":
            if when.start > article.published:
                status = "planned"
            elif article.published - when.start > HISTORICAL_AFTER and when.precision != "week":
                status = "historical"
    mode, context = details.modes_and_contexts(event_name, cand.entry.mode,
                                               cand.entry.context, scope)
    category = lex.categories[event_name]
    date_value = when.value if when else (article.published.isoformat()
                                          if article.published else None)
    return Event(
        article_id=article.id,
        sentence_index=index,
        text=sent.text,
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
        event_loc=details.place_in(scope, sent, ctx.kb, ctx.gazetteer),
        status=status,
        claimed_by=claimed_by,
        magnitude=details.magnitudes(scope, sent),
        confidence=max(0.1, min(1.0, confidence)),
    )
