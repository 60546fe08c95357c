"""The DuckDB schema of a redline store, and its version."""

from __future__ import annotations

SCHEMA_VERSION = 5

ACTOR = "STRUCT(text VARCHAR, code VARCHAR, sector VARCHAR, name VARCHAR, kb_id VARCHAR)"
PLACE = ("STRUCT(text VARCHAR, name VARCHAR, geonameid BIGINT, country VARCHAR, "
         "admin1 VARCHAR, lat DOUBLE, lon DOUBLE)")

# the alerts `redline watch` has sent (each is sent once)
ALERTS_SENT = """
CREATE TABLE IF NOT EXISTS alerts_sent (
    rule VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL,  -- '' for an actor-level alert
    window_end DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (rule, actor, recipient, window_end)
);
"""

# every change to the stored events, in order: what `redline export --since-cursor`
# reads (a copy of a story changes its events' report counts: an upsert too)
CHANGES = """
CREATE SEQUENCE IF NOT EXISTS change_seq START 1;
CREATE TABLE IF NOT EXISTS changes (
    seq BIGINT PRIMARY KEY DEFAULT nextval('change_seq'),
    event_id VARCHAR NOT NULL,
    op VARCHAR NOT NULL,  -- 'upsert' or 'delete'
    changed_at TIMESTAMP NOT NULL
);
"""

# The 61 columns of the GDELT 2.0 event table, as its codebook names them.
GDELT_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
               "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
GDELT_GEO = (("Type", "INTEGER"), ("FullName", "VARCHAR"), ("CountryCode", "VARCHAR"),
             ("ADM1Code", "VARCHAR"), ("ADM2Code", "VARCHAR"), ("Lat", "DOUBLE"),
             ("Long", "DOUBLE"), ("FeatureID", "VARCHAR"))
GDELT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("GLOBALEVENTID", "BIGINT"), ("SQLDATE", "INTEGER"), ("MonthYear", "INTEGER"),
    ("Year", "INTEGER"), ("FractionDate", "DOUBLE"),
    *((f"Actor{n}{f}", "VARCHAR") for n in (1, 2) for f in GDELT_ACTOR),
    ("IsRootEvent", "INTEGER"), ("EventCode", "VARCHAR"), ("EventBaseCode", "VARCHAR"),
    ("EventRootCode", "VARCHAR"), ("QuadClass", "INTEGER"), ("GoldsteinScale", "DOUBLE"),
    ("NumMentions", "INTEGER"), ("NumSources", "INTEGER"), ("NumArticles", "INTEGER"),
    ("AvgTone", "DOUBLE"),
    *((f"{who}Geo_{f}", t) for who in ("Actor1", "Actor2", "Action") for f, t in GDELT_GEO),
    ("DATEADDED", "BIGINT"), ("SOURCEURL", "VARCHAR"),
)

# datasets of other coders, imported to compare with ours (`redline import`)
IMPORTED = f"""
CREATE TABLE IF NOT EXISTS gdelt_events (
    dataset VARCHAR NOT NULL,
    {", ".join(f'"{name}" {kind}' for name, kind in GDELT_COLUMNS)},
    PRIMARY KEY (dataset, GLOBALEVENTID)
);
CREATE TABLE IF NOT EXISTS plover_events (
    dataset VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    date DATE,
    actor VARCHAR[],  -- codes of the actor entities
    recipient VARCHAR[],
    event VARCHAR[],
    mode VARCHAR[],
    context VARCHAR[],
    quad_code INTEGER,
    event_scale DOUBLE,
    record VARCHAR NOT NULL,  -- the whole JSON record
    PRIMARY KEY (dataset, id)
);
"""

TABLES = ALERTS_SENT + CHANGES + IMPORTED + f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    url VARCHAR,
    title VARCHAR,
    published DATE,
    source VARCHAR,
    origin VARCHAR,
    text VARCHAR NOT NULL,
    n_events INTEGER NOT NULL,
    n_quotes INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    contexts VARCHAR[],
    content_hash VARCHAR,
    cluster_id VARCHAR,
    signature BLOB
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    event_text VARCHAR NOT NULL,
    event VARCHAR NOT NULL,
    mode VARCHAR[],
    context VARCHAR[],
    quad_code INTEGER,
    event_scale DOUBLE,
    cameo VARCHAR,
    actor {ACTOR}[],
    recipient {ACTOR}[],
    date VARCHAR,
    date_text VARCHAR,
    date_precision VARCHAR,
    event_loc {PLACE},
    status VARCHAR NOT NULL,
    claimed_by {ACTOR},
    magnitude MAP(VARCHAR, DOUBLE),
    confidence DOUBLE,
    coder VARCHAR,
    date_start DATE,
    trigger_start INTEGER
);
CREATE TABLE IF NOT EXISTS quotes (
    id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    speaker {ACTOR},
    cue VARCHAR,
    text VARCHAR NOT NULL,
    direct BOOLEAN NOT NULL,
    anonymous BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP,
    inputs VARCHAR[],
    articles_added INTEGER,
    articles_skipped INTEGER,
    events INTEGER,
    quotes INTEGER,
    rejects INTEGER,
    engine VARCHAR,
    workers INTEGER,
    copies INTEGER,
    foreign_language INTEGER,
    tokens BIGINT,
    seconds DOUBLE
);
CREATE TABLE IF NOT EXISTS rejects (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    line INTEGER,
    problem VARCHAR NOT NULL
);
"""

# Steps from each schema version to the next: MIGRATIONS[v] upgrades v to v + 1.
MIGRATIONS = {
    1: "ALTER TABLE articles ADD COLUMN IF NOT EXISTS contexts VARCHAR[];",
    # clusters of duplicate reports: articles stored before are stories of their own
    2: """
ALTER TABLE articles ADD COLUMN IF NOT EXISTS content_hash VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS cluster_id VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS signature BLOB;
UPDATE articles SET cluster_id = id WHERE cluster_id IS NULL;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS engine VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS workers INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS copies INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS foreign_language INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS tokens BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS seconds DOUBLE;
""",
    3: ALERTS_SENT,
    # the change log (every event stored so far: one upsert each) and imported datasets
    4: CHANGES + IMPORTED + """
INSERT INTO changes (event_id, op, changed_at)
SELECT e.id, 'upsert', a.ingested_at FROM events e JOIN articles a ON a.id = e.article_id
ORDER BY a.ingested_at, e.article_id, e.sentence_index, e.trigger_start, e.id;
""",
}

# Columns of the event record (DESIGN.md), in order; the store keeps two more
# (date_start for range filters, trigger_start for highlighting).
EVENT_RECORD_COLUMNS = (
    "id", "article_id", "sentence_index", "text", "event_text", "event", "mode", "context",
    "quad_code", "event_scale", "cameo", "actor", "recipient", "date", "date_text",
    "date_precision", "event_loc", "status", "claimed_by", "magnitude", "confidence", "coder",
)
QUOTE_RECORD_COLUMNS = (
    "id", "article_id", "sentence_index", "speaker", "cue", "text", "direct", "anonymous",
)
