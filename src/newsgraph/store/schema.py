"""The store's schema as an ordered list of migrations.

Version N of the schema is what migrations[0:N] produce. A store is upgraded
in place by running the ones it has not seen, each in its own transaction.
Never edit a released migration: add a new one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first released schema
    """
    CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE documents (
        doc_id VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        title VARCHAR,
        authors VARCHAR[],
        published DATE,
        url VARCHAR,
        language VARCHAR,
        text VARCHAR NOT NULL,
        extractor VARCHAR,
        ingested_at TIMESTAMP
    );
    CREATE TABLE sentences (
        doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL
    );
    CREATE TABLE entities (
        entity_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        type VARCHAR,
        kind VARCHAR,
        country VARCHAR,
        wikidata VARCHAR,
        role VARCHAR,
        geo JSON
    );
    CREATE TABLE mentions (
        doc_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        sentence INTEGER,
        label VARCHAR,
        rule VARCHAR,
        confidence DOUBLE
    );
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY,
        doc_id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        mode VARCHAR,
        date_start DATE,
        date_end DATE,
        date_precision VARCHAR,
        location VARCHAR,
        country VARCHAR,
        admin1 VARCHAR,
        lat DOUBLE,
        lon DOUBLE,
        killed INTEGER,
        injured INTEGER,
        negated BOOLEAN,
        hypothetical BOOLEAN,
        historical BOOLEAN,
        confidence DOUBLE,
        data JSON
    );
    CREATE TABLE event_actors (event_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, role VARCHAR NOT NULL);
    CREATE TABLE quotes (
        quote_id VARCHAR PRIMARY KEY,
        doc_id VARCHAR NOT NULL,
        speaker_id VARCHAR,
        speaker_name VARCHAR,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        direct BOOLEAN,
        cue VARCHAR,
        data JSON
    );
    CREATE SEQUENCE correction_seq START 1;
    CREATE TABLE corrections (
        correction_id BIGINT PRIMARY KEY DEFAULT nextval('correction_seq'),
        target_kind VARCHAR NOT NULL,
        target_id VARCHAR NOT NULL,
        field VARCHAR,
        action VARCHAR NOT NULL,
        value JSON,
        author VARCHAR NOT NULL,
        note VARCHAR,
        created_at TIMESTAMP NOT NULL
    );
    CREATE TABLE failures (source VARCHAR PRIMARY KEY, reason VARCHAR NOT NULL, failed_at TIMESTAMP NOT NULL);
    CREATE INDEX documents_source ON documents (source);
    CREATE INDEX documents_hash ON documents (content_hash);
    """,
    # 2: people's affiliation and the sector of state parts (RUS/GOV, AZE/COP)
    """
    ALTER TABLE entities ADD COLUMN affiliation VARCHAR;
    ALTER TABLE entities ADD COLUMN sector VARCHAR;
    """,
    # 3: human corrections applied on read. Extraction rows are replaced by every
    # re-ingest; corrections live in their own table, keyed by stable ids, and these
    # views overlay the latest decision per field, so no re-run can overwrite them.
    """
    CREATE OR REPLACE VIEW event_edits AS
    SELECT target_id AS event_id,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'type') AS type,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'mode') AS mode,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'date_start') AS date_start,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'date_precision') AS date_precision,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'location') AS location,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'country') AS country,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'killed') AS killed,
        arg_max(value ->> '$', correction_id) FILTER (WHERE field = 'injured') AS injured,
        arg_max(action, correction_id) FILTER (WHERE action IN ('reject', 'restore', 'confirm')) AS status,
        max(created_at) AS corrected_at
    FROM corrections WHERE target_kind = 'event' GROUP BY target_id;

    CREATE OR REPLACE VIEW events_current AS
    SELECT e.event_id, e.doc_id,
        coalesce(x.type, e.type) AS type,
        coalesce(x.mode, e.mode) AS mode,
        coalesce(TRY_CAST(x.date_start AS DATE), e.date_start) AS date_start,
        e.date_end,
        coalesce(x.date_precision, e.date_precision) AS date_precision,
        coalesce(x.location, e.location) AS location,
        coalesce(x.country, e.country) AS country,
        e.admin1, e.lat, e.lon,
        coalesce(TRY_CAST(x.killed AS INTEGER), e.killed) AS killed,
        coalesce(TRY_CAST(x.injured AS INTEGER), e.injured) AS injured,
        e.negated, e.hypothetical, e.historical,
        CASE WHEN x.status = 'confirm' THEN 1.0 ELSE e.confidence END AS confidence,
        coalesce(x.status, 'extracted') AS review_status,
        x.corrected_at,
        e.data
    FROM events e LEFT JOIN event_edits x USING (event_id)
    WHERE coalesce(x.status, '') <> 'reject';

    CREATE OR REPLACE VIEW entity_merges AS
    SELECT target_id AS entity_id, arg_max(value ->> '$', correction_id) AS canonical_id
    FROM corrections WHERE target_kind = 'entity' AND action IN ('merge', 'unmerge')
    GROUP BY target_id
    HAVING arg_max(action, correction_id) = 'merge';

    CREATE OR REPLACE VIEW event_actors_current AS
    SELECT a.event_id, coalesce(m.canonical_id, a.entity_id) AS entity_id, a.role
    FROM event_actors a LEFT JOIN entity_merges m USING (entity_id)
    WHERE a.event_id IN (SELECT event_id FROM events_current);

    CREATE OR REPLACE VIEW mentions_current AS
    SELECT m.* REPLACE (coalesce(g.canonical_id, m.entity_id) AS entity_id)
    FROM mentions m LEFT JOIN entity_merges g USING (entity_id);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
