"""The actor knowledge base: states, organisations, people, sector nouns.

Loaded from ``redline/data/kb/*.yaml`` (formats in ``data/README.md``) plus any
user files, validated on load. ``KnowledgeBase.lookup`` maps a surface form to
an entry; ``Entry.at(day)`` gives the code and sector it has on that day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from redline.data import data_path, load_yaml, load_yaml_list
from redline.errors import DataFileError
from redline.nlp.spelling import NearNames

PLACE_KINDS = frozenset({"state", "demonym", "capital"})
SECTORS = frozenset(
    "GOV MIL SPY LEG JUD PTY OPP REB MED BUS NGO CVL REL POL REF LAB EDU HLH".split()
)


@dataclass(frozen=True, slots=True)
class Role:
    """A dated office: who someone stands for between start and end."""

    title: str
    code: str
    sector: str | None
    start: date
    end: date | None
    office: str | None = None  # head_of_state, foreign_minister, ... (offices.yaml)

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """One knowledge-base entry, as a surface form points at it."""

    kb_id: str
    name: str
    kind: str  # state, grouping, capital, seat, demonym, ethnic, org, person
    code: str
    sector: str | None = None
    roles: tuple[Role, ...] = ()
    gender: str | None = None

    def at(self, day: date | None) -> tuple[str, str | None, str | None]:
        """(code, sector, title) on ``day``: the role held then, else what they are
        (a person out of office: the state, no sector; an organisation: its code)."""
        if not self.roles and self.kind != "person":
            return self.code, self.sector, None
        if not self.roles:
            return self.code, None, None
        if day is None:
            current = [r for r in self.roles if r.end is None] or list(self.roles)
            role = max(current, key=lambda r: r.start)
            return role.code, role.sector, role.title
        for role in reversed(self.roles):  # roles are kept in order of start
            if role.holds_on(day):
                return role.code, role.sector, role.title
        return self.code, (None if self.kind == "person" else self.sector), None


@dataclass(slots=True)
class KnowledgeBase:
    """Surface-form index over every entry, plus the sector nouns."""

    forms: dict[str, list[Entry]] = field(default_factory=dict)
    agent_nouns: dict[str, str] = field(default_factory=dict)
    non_actor_nouns: frozenset[str] = frozenset()
    states: dict[str, Entry] = field(default_factory=dict)
    patterns: list[tuple[str, Entry]] = field(default_factory=list)
    offices: Offices | None = None
    holders: dict[tuple[str, str], list[tuple[Role, Entry]]] = field(default_factory=dict)
    _near_names: dict[frozenset[str], NearNames] = field(default_factory=dict, repr=False)

    def holder(self, code: str, office: str, day: date | None, qualifier: str = ""
               ) -> Entry | None:
        """Who held ``office`` for state (or organisation) ``code`` on ``day``; where
        several did (spokespeople), the one whose title names ``qualifier``
        ("Kremlin", "Pentagon", "foreign ministry")."""
        if office == "leader" and self.offices is not None:
            office = ("head_of_government" if code in self.offices.parliamentary
                      else "head_of_state")
        current = [(role, entry) for role, entry in self.holders.get((code, office), ())
                   if (role.end is None if day is None else role.holds_on(day))]
        found = {entry.kb_id: entry for _, entry in current}
        if len(found) > 1 and qualifier:
            found = {entry.kb_id: entry for role, entry in current
                     if qualifier.lower() in role.title.lower()}
        return next(iter(found.values())) if len(found) == 1 else None  # unique or none

    def add(self, form: str, entry: Entry) -> None:
        key = normalise_form(form)
        if not key:
            return
        bucket = self.forms.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def search(self, text: str, limit: int = 20) -> list[Entry]:
        """Entries with a surface form containing ``text`` (exact forms first)."""
        key = normalise_form(text)
        exact = list(self.forms.get(key, ()))
        partial = [e for form, entries in self.forms.items() if key in form and form != key
                   for e in entries]
        found: dict[tuple[str, str], Entry] = {}
        for entry in exact + sorted(partial, key=lambda e: (len(e.name), e.name)):
            found.setdefault((entry.kb_id, entry.kind), entry)
        return list(found.values())[:limit]

    def entry_by_id(self, kb_id: str) -> Entry | None:
        """The entry with this id (``person:vladimir-putin``, ``state:UKR``, ``org:nato``)."""
        for entries in self.forms.values():
            for entry in entries:
                if entry.kb_id == kb_id and entry.kind not in ("demonym", "capital", "seat"):
                    return entry
        return None

    def lookup(self, text: str, day: date | None = None) -> Entry | None:
        """The entry a surface form names (people before organisations before places);
        of namesakes, the one in office on ``day``."""
        bucket = self.forms.get(normalise_form(text))
        if not bucket:
            return None
        order = {"person": 0, "org": 1, "seat": 2, "state": 3, "grouping": 3,
                 "capital": 4, "demonym": 5, "ethnic": 6}

        def rank(e: Entry) -> tuple[int, int]:
            serving = day is not None and any(r.holds_on(day) for r in e.roles)
            return order.get(e.kind, 9), not serving

        return min(bucket, key=rank)

    def near(self, word: str, kinds: frozenset[str] = PLACE_KINDS) -> Entry | None:
        """The entry of ``kinds`` a one-letter misspelling names ("Ethopia")."""
        names = self._near_names.get(kinds)
        if names is None:
            names = self._near_names[kinds] = NearNames(
                form for form, entries in self.forms.items()
                if " " not in form and any(e.kind in kinds for e in entries))
        found = names.match(word)
        if found is None:
            return None
        entries = [e for e in self.forms[found] if e.kind in kinds]
        return entries[0] if len({e.kb_id for e in entries}) == 1 else None

    def add_forms(self, forms: Iterable[str], entry: Entry) -> None:
        """Index ``entry`` under each form and keep the forms for the entity ruler."""
        for form in forms:
            self.add(form, entry)
            self.patterns.append((form, entry))


@dataclass(frozen=True, slots=True)
class Offices:
    """Offices from ``offices.yaml``: role titles to offices, and the nouns for them."""

    titles: tuple[tuple[str, tuple[re.Pattern, ...]], ...]  # (office, patterns), in order
    nouns: dict[str, str]  # "foreign minister" -> foreign_minister
    parliamentary: frozenset[str]

    def of_title(self, title: str) -> str | None:
        low = title.lower().strip()
        for office, patterns in self.titles:
            if any(p.search(low) for p in patterns):
                return None if office == "none" else office
        return None


def load_offices(path: Path) -> Offices:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("offices"), list):
        raise DataFileError(str(path), "-", "offices", "must be a list of offices")
    titles, nouns = [], {}
    for i, item in enumerate(data["offices"], 1):
        office = str(_require(path, i, item, "office"))
        try:
            patterns = tuple(re.compile(t) for t in _forms(path, i, item, "titles"))
        except re.error as exc:
            raise DataFileError(str(path), i, "titles", f"bad pattern: {exc}") from exc
        titles.append((office, patterns))
        for noun in _forms(path, i, item, "nouns"):
            nouns[noun.lower()] = "leader" if noun == "leader" else office
    parliamentary = data.get("parliamentary") or []
    return Offices(tuple(titles), nouns, frozenset(str(c) for c in parliamentary))


def normalise_form(text: str) -> str:
    """Lower case, straight apostrophes, no leading 'the', no trailing possessive."""
    key = " ".join(text.replace("\u2019", "'").split()).lower()
    if key.startswith("the "):
        key = key[4:]
    if key.endswith("'s"):
        key = key[:-2]
    elif key.endswith("'"):
        key = key[:-1]
    return key.strip()


def _require(path: Path, index: int, item: dict, name: str, kind: type = str) -> object:
    if not isinstance(item, dict):
        raise DataFileError(str(path), index, "-", "each entry must be a mapping")
    value = item.get(name)
    if value is None or (kind is str and not str(value).strip()):
        raise DataFileError(str(path), index, name, "is required")
    if not isinstance(value, kind):
        raise DataFileError(str(path), index, name, f"must be a {kind.__name__}")
    return value


def _forms(path: Path, index: int, item: dict, name: str) -> list[str]:
    value = item.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(str(path), index, name, "must be a list of strings")
    return value


def _sector(path: Path, index: int, value: object, name: str = "sector") -> str | None:
    if value in (None, ""):
        return None
    if value not in SECTORS:
        raise DataFileError(str(path), index, name, f"unknown sector {value!r}")
    return str(value)


def _date(path: Path, index: int, value: object, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(str(path), index, name, f"not an ISO date: {value!r}") from exc


def load_states(kb: KnowledgeBase, path: Path) -> None:
    for i, item in enumerate(load_yaml_list(path), 1):
        code = str(_require(path, i, item, "code"))
        name = str(_require(path, i, item, "name"))
        kind = item.get("kind", "state")
        if kind not in ("state", "grouping"):
            raise DataFileError(str(path), i, "kind", f"unknown kind {kind!r}")
        entry = Entry(f"state:{code}", name, kind, code)
        kb.states[code] = entry
        kb.add_forms([name, *_forms(path, i, item, "aliases")], entry)
        for field_name, sub_kind, sector in (
            ("demonyms", "demonym", None),
            ("capitals", "capital", "GOV"),
            ("seats", "seat", "GOV"),
        ):
            sub = Entry(f"state:{code}", name, sub_kind, code, sector)
            kb.add_forms(_forms(path, i, item, field_name), sub)


def load_organisations(kb: KnowledgeBase, path: Path) -> None:
    _organisation_items(kb, path, enumerate(load_yaml_list(path), 1))


def _organisation_items(kb: KnowledgeBase, path: Path, items: Iterable[tuple[int, dict]]) -> None:
    for i, item in items:
        kb_id = str(_require(path, i, item, "id"))
        name = str(_require(path, i, item, "name"))
        code = str(_require(path, i, item, "code"))
        entry = Entry(f"org:{kb_id}", name, "org", code, _sector(path, i, item.get("sector")),
                      _roles(kb, path, i, item))
        kb.add_forms([name, *_forms(path, i, item, "aliases")], entry)


def load_people(kb: KnowledgeBase, path: Path) -> None:
    _people_items(kb, path, enumerate(load_yaml_list(path), 1))


def _roles(kb: KnowledgeBase, path: Path, i: int, item: dict) -> tuple[Role, ...]:
    """The dated roles of a person (or an organisation whose standing changed:
    the Taliban were rebels until August 2021), in order of start."""
    roles = []
    for role in item.get("roles") or []:
        if not isinstance(role, dict):
            raise DataFileError(str(path), i, "roles", "each role must be a mapping")
        start = _date(path, i, role.get("start"), "roles.start")
        if start is None:
            raise DataFileError(str(path), i, "roles.start", "is required")
        if not role.get("code"):
            raise DataFileError(str(path), i, "roles.code", "is required")
        title = str(role.get("title") or "")
        roles.append(Role(
            title=title,
            code=str(role["code"]),
            sector=_sector(path, i, role.get("sector"), "roles.sector"),
            start=start,
            end=_date(path, i, role.get("end"), "roles.end"),
            office=kb.offices.of_title(title) if kb.offices else None,
        ))
    return tuple(sorted(roles, key=lambda r: r.start))


def _people_items(kb: KnowledgeBase, path: Path, items: Iterable[tuple[int, dict]]) -> None:
    for i, item in items:
        kb_id = str(_require(path, i, item, "id"))
        name = str(_require(path, i, item, "name"))
        country = str(_require(path, i, item, "country"))
        roles = _roles(kb, path, i, item)
        entry = Entry(
            f"person:{kb_id}", name, "person", country, None, tuple(roles), item.get("gender")
        )
        for role in roles:
            if role.office:
                kb.holders.setdefault((role.code, role.office), []).append((role, entry))
        kb.add_forms([name, *_forms(path, i, item, "aliases")], entry)


def load_sectors(kb: KnowledgeBase, path: Path) -> None:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "-", "-", "the file must hold a mapping")
    for i, item in enumerate(data.get("agents") or [], 1):
        sector = _sector(path, i, _require(path, i, item, "sector"))
        for noun in _forms(path, i, item, "nouns"):
            kb.agent_nouns[noun.lower()] = sector
    non_actors = data.get("non_actors") or []
    if not isinstance(non_actors, list):
        raise DataFileError(str(path), "non_actors", "non_actors", "must be a list")
    kb.non_actor_nouns = frozenset(str(n).lower() for n in non_actors)


def load_ethnic_groups(kb: KnowledgeBase, path: Path) -> None:
    """Groups and their home states, looked up but kept out of the entity ruler."""
    for i, item in enumerate(load_yaml_list(path, "groups"), 1):
        name = str(_require(path, i, item, "name"))
        home = str(_require(path, i, item, "home"))
        if home not in kb.states:
            raise DataFileError(str(path), i, "home", f"unknown state code {home!r}")
        entry = Entry(f"ethnic:{normalise_form(name).replace(' ', '-')}", name, "ethnic",
                      home, "CVL")
        for form in _forms(path, i, item, "forms"):
            kb.add(form, entry)


def load_kb(extra: Sequence[Path] = ()) -> KnowledgeBase:
    """The shipped knowledge base (states, every ``organisations*.yaml`` and
    ``people*.yaml``, ethnic groups, sector nouns), with any user actor files
    merged in."""
    folder = data_path("kb")
    kb = KnowledgeBase(offices=load_offices(folder / "offices.yaml"))
    load_states(kb, folder / "states.yaml")
    for path in sorted(folder.glob("organisations*.yaml")):
        load_organisations(kb, path)
    for path in sorted(folder.glob("people*.yaml")):
        load_people(kb, path)
    load_ethnic_groups(kb, folder / "ethnic-groups.yaml")
    load_sectors(kb, folder / "sectors.yaml")
    for path in extra:
        load_user_actors(kb, Path(path))
    return kb


def load_user_actors(kb: KnowledgeBase, path: Path) -> None:
    """Merge a user file: a list of people (with ``roles``) and organisations."""
    for i, item in enumerate(load_yaml_list(path), 1):
        if isinstance(item, dict) and ("roles" in item or "country" in item):
            _people_items(kb, path, [(i, item)])
        else:
            _organisation_items(kb, path, [(i, item)])


@lru_cache(maxsize=4)
def shipped_kb(extra: tuple[Path, ...] = ()) -> KnowledgeBase:
    """Process-wide cache of the knowledge base (loaded once per worker)."""
    return load_kb(extra)
