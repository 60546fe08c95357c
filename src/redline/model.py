"""The shared record model: Article, Actor, Place, Event, Quote.

Every stage imports these; ``Event.to_record`` gives the PLOVER JSON record of
DESIGN.md, key for key, and ``Quote.to_record`` the quote record.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from redline import __version__

CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = (
    "asserted", "planned", "expected", "hypothetical", "conditional", "negated", "historical",
)
CODER = f"redline {__version__}"
# labels of earlier PLOVER versions, as DESIGN.md maps them
OLD_LABELS = {"DEMAND": ("REQUEST",), "DISAPPROVE": ("ACCUSE",), "FIGHT": ("ASSAULT",),
              "YIELD": ("CONCEDE", "RETREAT")}


def plover_categories(label: str) -> tuple[str, ...]:
    """The PLOVER categories an old or current label stands for (empty: none)."""
    label = (label or "").strip().upper()
    if label in OLD_LABELS:
        return OLD_LABELS[label]
    return (label,) if label in CATEGORIES else ()


def _sha256(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """NFC, collapsed white space: the form an article's content hash is taken of."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id(url: str | None, text: str) -> str:
    """sha256 of the canonical URL, or of the normalised text when there is none."""
    if url:
        return _sha256("url", url.strip())
    return _sha256("text", normalise_text(text))


@dataclass(frozen=True, slots=True)
class Article:
    """One news report, as ingested."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    origin: str | None = None  # file (and line) it came from

    @classmethod
    def create(
        cls,
        text: str,
        *,
        url: str | None = None,
        title: str | None = None,
        published: date | None = None,
        source: str | None = None,
        origin: str | None = None,
        id: str | None = None,  # noqa: A002 - the record field is called id
    ) -> Article:
        """Build an article, deriving its id from its URL (or text) unless given; NUL
        characters (which no database stores as text) are dropped."""
        text, url, title, source = (_no_nul(v) for v in (text, url, title, source))
        return cls(
            id=id or article_id(url, text),
            text=text,
            url=url,
            title=title,
            published=published,
            source=source,
            origin=origin,
        )


@dataclass(slots=True)
class Actor:
    """An actor mention resolved (or not) to a knowledge-base entry."""

    text: str
    code: str | None = None
    sector: str | None = None
    name: str | None = None
    kb_id: str | None = None

    @property
    def key(self) -> tuple[str | None, str | None, str]:
        """What makes two mentions the same actor in one event: code, sector, words."""
        return self.code, self.sector, self.text

    def to_record(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Place:
    """A place mention, located where the gazetteer knows it."""

    text: str
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_record(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Event:
    """One PLOVER event: one actor set, one event, one recipient set."""

    article_id: str
    sentence_index: int
    text: str
    event_text: str
    event: str
    trigger_start: int  # character offset of the trigger in the sentence
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    quad_code: int | None = None
    event_scale: float | None = None
    cameo: str | None = None
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    event_loc: Place | None = None
    status: str = "asserted"
    claimed_by: Actor | None = None
    magnitude: dict[str, float | int] = field(default_factory=dict)
    confidence: float = 0.5
    coder: str = CODER

    @property
    def id(self) -> str:
        return _sha256(
            self.article_id, self.sentence_index, self.trigger_start, self.event_text, self.event
        )[:32]

    def to_record(self) -> dict:
        """The event as DESIGN.md's PLOVER JSON record."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "text": self.text,
            "event_text": self.event_text,
            "event": self.event,
            "mode": list(self.mode),
            "context": list(self.context),
            "quad_code": self.quad_code,
            "event_scale": self.event_scale,
            "cameo": self.cameo,
            "actor": [a.to_record() for a in self.actor],
            "recipient": [a.to_record() for a in self.recipient],
            "date": self.date,
            "date_text": self.date_text,
            "date_precision": self.date_precision,
            "event_loc": self.event_loc.to_record() if self.event_loc else None,
            "status": self.status,
            "claimed_by": self.claimed_by.to_record() if self.claimed_by else None,
            "magnitude": dict(self.magnitude),
            "confidence": round(self.confidence, 3),
            "coder": self.coder,
        }


@dataclass(slots=True)
class Quote:
    """Who said what: a direct or reported quotation with its speaker."""

    article_id: str
    sentence_index: int
    text: str
    cue: str
    speaker: Actor | None
    direct: bool
    anonymous: bool

    @property
    def id(self) -> str:
        return _sha256("quote", self.article_id, self.sentence_index, self.text)[:32]

    def to_record(self) -> dict:
        """The quote as DESIGN.md's quote record."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "speaker": self.speaker.to_record() if self.speaker else None,
            "cue": self.cue,
            "text": self.text,
            "direct": self.direct,
            "anonymous": self.anonymous,
        }


def article_contexts(events: list[Event]) -> list[str]:
    """The contexts of a whole article: those at least two of its events share
    (the one event's, when it has one), most shared first."""
    counts = Counter(c for event in events for c in set(event.context))
    floor = 1 if len(events) == 1 else 2
    return [c for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= floor]


def _no_nul(value: str | None) -> str | None:
    return value.replace("\x00", "") if value and "\x00" in value else value
