-- Forums, the people in them, and the append-only log of every change.

CREATE TABLE forums (
    slug          TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    -- The forum as its agenda defines it, as JSON (session.Forum).
    definition    TEXT NOT NULL,
    -- 0 lobby, 1..n the agenda's steps, n+1 closed.
    step          INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
    -- Unix milliseconds; NULL when no timebox runs.
    timer_ends_at INTEGER,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE participants (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    -- SHA256 fingerprint of the participant's SSH key.
    id        TEXT NOT NULL,
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    sector    TEXT NOT NULL DEFAULT '',
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (forum, id)
) STRICT;

CREATE TABLE events (
    forum   TEXT NOT NULL REFERENCES forums(slug),
    seq     INTEGER NOT NULL CHECK (seq > 0),
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (forum, seq)
) STRICT;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
