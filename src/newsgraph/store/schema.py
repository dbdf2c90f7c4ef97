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
    # 4: the same event across articles (analysis/linking.py). `event_link_pairs` keeps the
    # pairs that passed the link threshold and `event_link_state` each event's feature
    # fingerprint, so a later run rescores only new or changed events; `event_links` maps
    # every event to its canonical event. User decisions are corrections of kind 'link'.
    """
    CREATE TABLE event_links (
        event_id VARCHAR NOT NULL, canonical_id VARCHAR NOT NULL, score DOUBLE, reasons JSON
    );
    CREATE TABLE event_link_pairs (
        event_a VARCHAR NOT NULL, event_b VARCHAR NOT NULL, score DOUBLE NOT NULL, reasons JSON
    );
    CREATE TABLE event_link_state (event_id VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL);

    CREATE OR REPLACE VIEW link_decisions AS
    SELECT least(target_id, value ->> '$') AS event_a,
        greatest(target_id, value ->> '$') AS event_b,
        arg_max(action, correction_id) AS action,
        arg_max(author, correction_id) AS author,
        max(correction_id) AS correction_id,
        max(created_at) AS decided_at
    FROM corrections WHERE target_kind = 'link' GROUP BY 1, 2;

    CREATE OR REPLACE VIEW canonical_events AS
    WITH m AS (
        SELECT e.*, coalesce(l.canonical_id, e.event_id) AS canonical_id, d.published,
            CASE e.date_precision WHEN 'day' THEN 6 WHEN 'week' THEN 5 WHEN 'month' THEN 4
                WHEN 'quarter' THEN 3 WHEN 'year' THEN 2 WHEN 'decade' THEN 1 ELSE 0 END AS date_rank,
            CASE WHEN e.admin1 IS NOT NULL THEN 2 WHEN e.location IS NOT NULL THEN 1 ELSE 0 END AS place_rank,
            NOT coalesce(e.historical, false) AS reported,
            -datediff('day', DATE '1970-01-01', coalesce(d.published, DATE '9999-12-31')) AS earlier
        FROM events_current e JOIN documents d USING (doc_id) LEFT JOIN event_links l USING (event_id)
    ),
    modes AS (
        SELECT canonical_id, arg_max(mode, (n, mode)) AS mode
        FROM (SELECT canonical_id, mode, count(*) AS n FROM m WHERE mode IS NOT NULL GROUP BY ALL)
        GROUP BY canonical_id
    ),
    agg AS (
        SELECT canonical_id,
            arg_max(type, (event_id = canonical_id, event_id)) AS type,
            arg_max(struct_pack(s := date_start, e := date_end, p := date_precision),
                (date_rank, reported, earlier, event_id)) FILTER (WHERE date_start IS NOT NULL) AS d,
            arg_max(struct_pack(name := location, country := country, admin1 := admin1,
                                lat := lat, lon := lon),
                (place_rank, reported, earlier, event_id)) FILTER (WHERE location IS NOT NULL) AS p,
            min(killed) AS killed_min, max(killed) AS killed_max,
            min(injured) AS injured_min, max(injured) AS injured_max,
            count(DISTINCT doc_id) AS n_sources, count(*) AS n_events,
            list(DISTINCT doc_id ORDER BY doc_id) AS doc_ids,
            list(event_id ORDER BY published NULLS LAST, event_id) AS event_ids,
            min(published) AS first_published, max(published) AS last_published,
            bool_and(coalesce(historical, false)) AS historical,
            bool_and(coalesce(hypothetical, false)) AS hypothetical,
            bool_and(coalesce(negated, false)) AS negated
        FROM m GROUP BY canonical_id
    )
    SELECT a.canonical_id, a.type, modes.mode,
        a.d.s AS date_start, a.d.e AS date_end, a.d.p AS date_precision,
        a.p.name AS location, a.p.country AS country, a.p.admin1 AS admin1, a.p.lat AS lat, a.p.lon AS lon,
        a.killed_min, a.killed_max, a.injured_min, a.injured_max,
        a.n_sources, a.n_events, a.doc_ids, a.event_ids, a.first_published, a.last_published,
        a.historical, a.hypothetical, a.negated
    FROM agg a LEFT JOIN modes USING (canonical_id);
    """,
    # 5: event_actors_current hid the actors of rejected events by a semi-join with every
    # row of events_current (a scan and hash of all events on each query: 0.5 s at 1M events);
    # every event_actors row has its event, so an anti-join with the few rejected events
    # gives the same rows (benchmarks/queries.py).
    """
    CREATE OR REPLACE VIEW event_actors_current AS
    SELECT a.event_id, coalesce(m.canonical_id, a.entity_id) AS entity_id, a.role
    FROM event_actors a LEFT JOIN entity_merges m USING (entity_id)
    WHERE a.event_id NOT IN (SELECT event_id FROM event_edits WHERE status = 'reject');
    """,
    # 6: read copies of the correction views for the analyses (store/facts.py). Filtering
    # `events_current` by date cannot use the table's zone maps (the date is a coalesce over
    # the corrections) and the actor filter scanned every event_actors row: 0.1 to 0.2 s per
    # query at 1M events. `event_facts` holds exactly the rows and columns of `events_current`
    # and `event_actor_facts` every actor row of those events (ids as extracted, merges are
    # applied on read) with the event's current date, both ordered by date so a date range
    # reads a few blocks. Every write that changes the views rewrites the affected rows in
    # its own transaction. A later migration that changes `events_current` must rebuild them.
    """
    CREATE TABLE event_facts AS
    SELECT * FROM events_current ORDER BY date_start NULLS LAST, event_id;
    CREATE TABLE event_actor_facts AS
    SELECT a.event_id, a.entity_id, a.role, f.date_start, f.doc_id
    FROM event_actors a JOIN event_facts f USING (event_id)
    ORDER BY f.date_start NULLS LAST, a.event_id;
    INSERT OR REPLACE INTO meta VALUES ('facts_unsorted', '0');
    """,
    # 7: linked pairs are stored without their reasons. Linking shows the reasons of each
    # event's best pair only and scores those again (the score is a pure function of the
    # features and config); written for every linked pair, the reasons were most of the
    # 600 MiB a 150,000-event linking transaction held (benchmarks/memory.py).
    """
    ALTER TABLE event_link_pairs DROP COLUMN reasons;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
