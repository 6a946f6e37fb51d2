-- The voting phase: ballots, their items, and each person's dots. The rules
-- the Hub enforces are enforced here too: one row per person per item, a
-- positive number of dots, never more than the ballot's budget in all or
-- its cap on one item, and nothing changes once a ballot is closed.

CREATE TABLE ballots (
    forum        TEXT NOT NULL REFERENCES forums(slug),
    id           INTEGER NOT NULL CHECK (id > 0),
    step         INTEGER NOT NULL CHECK (step > 0),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    dots         INTEGER NOT NULL CHECK (dots BETWEEN 1 AND 100),
    -- 0: no cap on one item.
    max_per_item INTEGER NOT NULL DEFAULT 0 CHECK (max_per_item BETWEEN 0 AND dots),
    top_k        INTEGER NOT NULL CHECK (top_k > 0),
    secret       INTEGER NOT NULL CHECK (secret IN (0, 1)),
    opened_at    INTEGER NOT NULL,
    -- Unix milliseconds; NULL while the ballot is open.
    closed_at    INTEGER,
    -- The final tally (session.Results as JSON), set at close.
    results      TEXT CHECK (results IS NULL OR json_valid(results)),
    CHECK ((closed_at IS NULL) = (results IS NULL)),
    PRIMARY KEY (forum, id)
) STRICT;

CREATE TABLE ballot_items (
    forum  TEXT NOT NULL,
    ballot INTEGER NOT NULL,
    id     INTEGER NOT NULL CHECK (id > 0),
    -- A copy of the text when the ballot opened.
    text   TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    source TEXT NOT NULL CHECK (source IN ('card', 'text', 'agenda', 'statement')),
    ref    INTEGER,
    PRIMARY KEY (forum, ballot, id),
    FOREIGN KEY (forum, ballot) REFERENCES ballots(forum, id)
) STRICT;

CREATE TABLE allocations (
    forum       TEXT NOT NULL,
    ballot      INTEGER NOT NULL,
    participant TEXT NOT NULL,
    item        INTEGER NOT NULL,
    dots        INTEGER NOT NULL CHECK (dots > 0),
    PRIMARY KEY (forum, ballot, participant, item),
    FOREIGN KEY (forum, ballot, item) REFERENCES ballot_items(forum, ballot, id),
    FOREIGN KEY (forum, participant) REFERENCES participants(forum, id)
) STRICT;

CREATE TRIGGER ballot_items_fixed BEFORE UPDATE ON ballot_items
BEGIN
    SELECT RAISE(ABORT, 'a ballot''s items do not change once it is open');
END;

CREATE TRIGGER ballots_stay_closed BEFORE UPDATE ON ballots
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed ballot is final');
END;

CREATE TRIGGER allocations_open_insert BEFORE INSERT ON allocations
WHEN (SELECT closed_at FROM ballots WHERE forum = NEW.forum AND id = NEW.ballot) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the ballot is closed');
END;

CREATE TRIGGER allocations_open_update BEFORE UPDATE ON allocations
WHEN (SELECT closed_at FROM ballots WHERE forum = OLD.forum AND id = OLD.ballot) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the ballot is closed');
END;

CREATE TRIGGER allocations_open_delete BEFORE DELETE ON allocations
WHEN (SELECT closed_at FROM ballots WHERE forum = OLD.forum AND id = OLD.ballot) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the ballot is closed');
END;

CREATE TRIGGER allocations_item_cap_insert BEFORE INSERT ON allocations
WHEN NEW.dots > (SELECT CASE max_per_item WHEN 0 THEN dots ELSE max_per_item END
                 FROM ballots WHERE forum = NEW.forum AND id = NEW.ballot)
BEGIN
    SELECT RAISE(ABORT, 'more dots on one item than the ballot allows');
END;

CREATE TRIGGER allocations_item_cap_update BEFORE UPDATE ON allocations
WHEN NEW.dots > (SELECT CASE max_per_item WHEN 0 THEN dots ELSE max_per_item END
                 FROM ballots WHERE forum = NEW.forum AND id = NEW.ballot)
BEGIN
    SELECT RAISE(ABORT, 'more dots on one item than the ballot allows');
END;

CREATE TRIGGER allocations_budget_insert AFTER INSERT ON allocations
WHEN (SELECT sum(dots) FROM allocations
      WHERE forum = NEW.forum AND ballot = NEW.ballot AND participant = NEW.participant)
   > (SELECT dots FROM ballots WHERE forum = NEW.forum AND id = NEW.ballot)
BEGIN
    SELECT RAISE(ABORT, 'more dots than the ballot gives each person');
END;

CREATE TRIGGER allocations_budget_update AFTER UPDATE ON allocations
WHEN (SELECT sum(dots) FROM allocations
      WHERE forum = NEW.forum AND ballot = NEW.ballot AND participant = NEW.participant)
   > (SELECT dots FROM ballots WHERE forum = NEW.forum AND id = NEW.ballot)
BEGIN
    SELECT RAISE(ABORT, 'more dots than the ballot gives each person');
END;
