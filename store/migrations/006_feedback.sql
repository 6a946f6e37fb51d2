-- The feedback phase: comments on the draft report, revisions made in
-- response (with their reason), and who agreed to be named in the report.

-- Why a facilitator reworded an agreed statement on a feedback step; ''
-- for every other revision.
ALTER TABLE revisions ADD COLUMN reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 300);

CREATE TABLE feedback (
    forum     TEXT NOT NULL REFERENCES forums(slug),
    id        INTEGER NOT NULL CHECK (id > 0),
    statement INTEGER NOT NULL,
    revision  INTEGER NOT NULL,
    step      INTEGER NOT NULL CHECK (step > 0),
    author    TEXT NOT NULL,
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    at        INTEGER NOT NULL,
    PRIMARY KEY (forum, id),
    FOREIGN KEY (forum, statement, revision) REFERENCES revisions(forum, statement, n),
    FOREIGN KEY (forum, author) REFERENCES participants(forum, id)
) STRICT;

-- 1: the participant agreed to be named in the report (off by default).
ALTER TABLE participants ADD COLUMN credit INTEGER NOT NULL DEFAULT 0 CHECK (credit IN (0, 1));
