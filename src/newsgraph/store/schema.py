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
]

SCHEMA_VERSION = len(MIGRATIONS)
