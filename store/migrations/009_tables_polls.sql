-- Tables and quick polls. Which table a card was written at, and whether
-- its reporter brought it back, are kept with the card; a hand says which
-- table's queue it is in, so that the queues at the tables can end with
-- their step. The tables themselves are kept in the log only: nothing in
-- the schema depends on them.
ALTER TABLE cards ADD COLUMN table_id INTEGER NOT NULL DEFAULT 0 CHECK (table_id >= 0);
ALTER TABLE cards ADD COLUMN brought INTEGER NOT NULL DEFAULT 0 CHECK (brought IN (0, 1));
ALTER TABLE hands ADD COLUMN table_id INTEGER NOT NULL DEFAULT 0 CHECK (table_id >= 0);

-- Polls and their answers. The rules the Hub enforces are enforced here
-- too: one answer per person per poll, and nothing changes once a poll is
-- closed but the moderation of a text answer.
CREATE TABLE polls (
    forum      TEXT NOT NULL REFERENCES forums(slug),
    id         INTEGER NOT NULL CHECK (id > 0),
    step       INTEGER NOT NULL CHECK (step > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('scale', 'choice', 'multiple', 'words', 'open')),
    question   TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    -- The poll as opened (session.Poll as JSON): its points, labels,
    -- options and limits.
    definition TEXT NOT NULL CHECK (json_valid(definition)),
    secret     INTEGER NOT NULL CHECK (secret IN (0, 1)),
    evaluation INTEGER NOT NULL CHECK (evaluation IN (0, 1)),
    opened_at  INTEGER NOT NULL,
    -- Unix milliseconds; NULL while the poll is open.
    closed_at  INTEGER,
    -- The final count (session.PollTally as JSON), set at close.
    final      TEXT CHECK (final IS NULL OR json_valid(final)),
    CHECK ((closed_at IS NULL) = (final IS NULL)),
    PRIMARY KEY (forum, id)
) STRICT;

CREATE TABLE poll_answers (
    forum       TEXT NOT NULL,
    poll        INTEGER NOT NULL,
    participant TEXT NOT NULL,
    -- session.Answer as JSON.
    answer      TEXT NOT NULL CHECK (json_valid(answer)),
    PRIMARY KEY (forum, poll, participant),
    FOREIGN KEY (forum, poll) REFERENCES polls(forum, id),
    FOREIGN KEY (forum, participant) REFERENCES participants(forum, id)
) STRICT;

CREATE TRIGGER polls_stay_closed BEFORE UPDATE ON polls
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed poll is final');
END;

CREATE TRIGGER poll_answers_open_insert BEFORE INSERT ON poll_answers
WHEN (SELECT closed_at FROM polls WHERE forum = NEW.forum AND id = NEW.poll) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the poll is closed');
END;

CREATE TRIGGER poll_answers_open_update BEFORE UPDATE ON poll_answers
WHEN (SELECT closed_at FROM polls WHERE forum = OLD.forum AND id = OLD.poll) IS NOT NULL
    AND (NEW.participant IS NOT OLD.participant
         OR json_remove(NEW.answer, '$.hidden', '$.reason') IS NOT json_remove(OLD.answer, '$.hidden', '$.reason'))
BEGIN
    SELECT RAISE(ABORT, 'the poll is closed: only the moderation of an answer changes');
END;

CREATE TRIGGER poll_answers_open_delete BEFORE DELETE ON poll_answers
WHEN (SELECT closed_at FROM polls WHERE forum = OLD.forum AND id = OLD.poll) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the poll is closed');
END;
