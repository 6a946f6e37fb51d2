-- The deliberation phase: statements and their revisions, comments,
-- amendments, checks of agreement and the agreements given, and actions.

CREATE TABLE statements (
    forum             TEXT NOT NULL REFERENCES forums(slug),
    id                INTEGER NOT NULL CHECK (id > 0),
    theme             INTEGER,
    position          INTEGER NOT NULL CHECK (position > 0),
    proposer          TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    open_check        INTEGER,
    outcome           TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'agreed', 'not-agreed')),
    recorded_revision INTEGER,
    recorded_check    INTEGER,
    recorded_at       INTEGER,
    recorded_by       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, theme) REFERENCES themes(forum, id),
    -- A recorded statement names the revision it froze.
    CHECK ((outcome = '') = (recorded_revision IS NULL))
) STRICT;

CREATE TABLE revisions (
    forum       TEXT NOT NULL REFERENCES forums(slug),
    statement   INTEGER NOT NULL,
    n           INTEGER NOT NULL CHECK (n > 0),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 600),
    author      TEXT NOT NULL,
    amendment   INTEGER,
    accepted_by TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    PRIMARY KEY (forum, statement, n),
    FOREIGN KEY (forum, statement) REFERENCES statements(forum, id)
) STRICT;

CREATE TABLE statement_comments (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    id        INTEGER NOT NULL CHECK (id > 0),
    statement INTEGER NOT NULL,
    revision  INTEGER NOT NULL,
    author    TEXT NOT NULL,
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    at        INTEGER NOT NULL,
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, statement, revision) REFERENCES revisions(forum, statement, n)
) STRICT;

CREATE TABLE amendments (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    id        INTEGER NOT NULL CHECK (id > 0),
    statement INTEGER NOT NULL,
    base      INTEGER NOT NULL,
    author    TEXT NOT NULL,
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 600),
    at        INTEGER NOT NULL,
    -- The revision it became, once accepted.
    accepted  INTEGER,
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, statement, base) REFERENCES revisions(forum, statement, n),
    UNIQUE (forum, statement, accepted)
) STRICT;

CREATE TABLE agreement_checks (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    id        INTEGER NOT NULL CHECK (id > 0),
    statement INTEGER NOT NULL,
    revision  INTEGER NOT NULL,
    -- The scale as the check used it: JSON of session.Scale.
    scale     TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, statement, revision) REFERENCES revisions(forum, statement, n)
) STRICT;

-- One statement has at most one check open.
CREATE UNIQUE INDEX one_open_check ON agreement_checks(forum, statement) WHERE closed_at IS NULL;

CREATE TABLE agreements (
    forum       TEXT NOT NULL REFERENCES forums(slug),
    check_id    INTEGER NOT NULL,
    participant TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
    at          INTEGER NOT NULL,
    -- One agreement per participant per check; changing it replaces it.
    UNIQUE (forum, check_id, participant),
    FOREIGN KEY (forum, check_id) REFERENCES agreement_checks(forum, id),
    FOREIGN KEY (forum, participant) REFERENCES participants(forum, id)
) STRICT;

CREATE TABLE actions (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    id        INTEGER NOT NULL CHECK (id > 0),
    statement INTEGER NOT NULL,
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    -- JSON array of who can take it, free text, at least one.
    owners    TEXT NOT NULL CHECK (json_array_length(owners) >= 1),
    by        TEXT NOT NULL,
    at        INTEGER NOT NULL,
    removed   INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, statement) REFERENCES statements(forum, id)
) STRICT;
