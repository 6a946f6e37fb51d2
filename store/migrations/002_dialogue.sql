-- The dialogue phase: cards, themes, and the queue of raised hands.

CREATE TABLE themes (
    forum    TEXT NOT NULL REFERENCES forums(slug),
    id       INTEGER NOT NULL CHECK (id > 0),
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    position INTEGER NOT NULL CHECK (position > 0),
    agreed   INTEGER NOT NULL DEFAULT 0 CHECK (agreed IN (0, 1)),
    PRIMARY KEY (forum, id)
) STRICT;

CREATE TABLE cards (
    forum       TEXT NOT NULL REFERENCES forums(slug),
    id          INTEGER NOT NULL CHECK (id > 0),
    step        INTEGER NOT NULL CHECK (step > 0),
    author      TEXT NOT NULL,
    -- JSON array of the fingerprints credited, the author first.
    credits     TEXT NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    anonymous   INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    theme       INTEGER,
    status      TEXT NOT NULL CHECK (status IN ('visible', 'hidden', 'withdrawn', 'merged')),
    parked      INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
    reason      TEXT NOT NULL DEFAULT '',
    merged_into INTEGER,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, theme) REFERENCES themes(forum, id),
    FOREIGN KEY (forum, merged_into) REFERENCES cards(forum, id)
) STRICT;

CREATE INDEX cards_by_step ON cards(forum, step);

CREATE TABLE hands (
    forum       TEXT NOT NULL REFERENCES forums(slug),
    participant TEXT NOT NULL,
    raised_at   INTEGER NOT NULL,
    PRIMARY KEY (forum, participant)
) STRICT;

-- Who was last called to speak.
ALTER TABLE forums ADD COLUMN speaker TEXT NOT NULL DEFAULT '';
