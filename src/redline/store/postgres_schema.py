"""The PostgreSQL schema of a redline store (the same tables as DuckDB's, with
JSONB for actors, places and magnitudes), and its version."""

from __future__ import annotations

from redline.store.schema import GDELT_COLUMNS

PG_TYPES = {"VARCHAR": "TEXT", "INTEGER": "INTEGER", "BIGINT": "BIGINT",
            "DOUBLE": "DOUBLE PRECISION"}

# ids compare byte by byte, whatever the database's locale (keyset cursors)
ID = 'TEXT COLLATE "C"'

TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id {ID} PRIMARY KEY,
    url TEXT,
    title TEXT,
    published DATE,
    source TEXT,
    origin TEXT,
    text TEXT NOT NULL,
    n_events INTEGER NOT NULL,
    n_quotes INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    contexts TEXT[],
    content_hash TEXT,
    cluster_id {ID},
    signature BYTEA
);
CREATE INDEX IF NOT EXISTS articles_cluster ON articles (cluster_id);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_ingested ON articles (ingested_at);
CREATE TABLE IF NOT EXISTS events (
    id {ID} PRIMARY KEY,
    article_id {ID} NOT NULL,
    sentence_index INTEGER NOT NULL,
    text TEXT NOT NULL,
    event_text TEXT NOT NULL,
    event TEXT NOT NULL,
    mode TEXT[],
    context TEXT[],
    quad_code INTEGER,
    event_scale DOUBLE PRECISION,
    cameo TEXT,
    actor JSONB,
    recipient JSONB,
    date TEXT,
    date_text TEXT,
    date_precision TEXT,
    event_loc JSONB,
    status TEXT NOT NULL,
    claimed_by JSONB,
    magnitude JSONB,
    confidence DOUBLE PRECISION,
    coder TEXT,
    date_start DATE,
    trigger_start INTEGER
);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_day ON events (date_start);
CREATE TABLE IF NOT EXISTS quotes (
    id {ID} PRIMARY KEY,
    article_id {ID} NOT NULL,
    sentence_index INTEGER NOT NULL,
    speaker JSONB,
    cue TEXT,
    text TEXT NOT NULL,
    direct BOOLEAN NOT NULL,
    anonymous BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP,
    inputs TEXT[],
    articles_added INTEGER,
    articles_skipped INTEGER,
    events INTEGER,
    quotes INTEGER,
    rejects INTEGER,
    engine TEXT,
    workers INTEGER,
    copies INTEGER,
    foreign_language INTEGER,
    tokens BIGINT,
    seconds DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS rejects (
    run_id TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER,
    problem TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts_sent (
    rule TEXT NOT NULL,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    window_end DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (rule, actor, recipient, window_end)
);
CREATE TABLE IF NOT EXISTS changes (
    seq BIGSERIAL PRIMARY KEY,
    event_id {ID} NOT NULL,
    op TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS gdelt_events (
    dataset TEXT NOT NULL,
    {", ".join(f'"{name}" {PG_TYPES[kind]}' for name, kind in GDELT_COLUMNS)},
    PRIMARY KEY (dataset, "GLOBALEVENTID")
);
CREATE TABLE IF NOT EXISTS plover_events (
    dataset TEXT NOT NULL,
    id TEXT NOT NULL,
    date DATE,
    actor TEXT[],
    recipient TEXT[],
    event TEXT[],
    mode TEXT[],
    context TEXT[],
    quad_code INTEGER,
    event_scale DOUBLE PRECISION,
    record TEXT NOT NULL,
    PRIMARY KEY (dataset, id)
);
"""

# Steps from each schema version to the next, as for DuckDB: MIGRATIONS[v]
# upgrades v to v + 1. PostgreSQL stores begin at schema 5.
FIRST_VERSION = 5
MIGRATIONS: dict[int, str] = {}
