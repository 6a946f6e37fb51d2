-- Theme names up to 120 characters: the principles a forum agrees run to
-- 80-120 ("Everyone who lives here should be involved in the decisions
-- that affect them"). SQLite cannot change a CHECK in place, so the table
-- is built again; the cards and statements under themes let go of them
-- meanwhile (their foreign keys are checked as each statement runs) and
-- are put back.
CREATE TABLE themes_new (
    forum    TEXT NOT NULL REFERENCES forums(slug),
    id       INTEGER NOT NULL CHECK (id > 0),
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    position INTEGER NOT NULL CHECK (position > 0),
    agreed   INTEGER NOT NULL DEFAULT 0 CHECK (agreed IN (0, 1)),
    PRIMARY KEY (forum, id)
) STRICT;
INSERT INTO themes_new (forum, id, name, position, agreed) SELECT forum, id, name, position, agreed FROM themes;

CREATE TEMP TABLE card_themes AS SELECT forum, id, theme FROM cards WHERE theme IS NOT NULL;
CREATE TEMP TABLE statement_themes AS SELECT forum, id, theme FROM statements WHERE theme IS NOT NULL;
UPDATE cards SET theme = NULL WHERE theme IS NOT NULL;
UPDATE statements SET theme = NULL WHERE theme IS NOT NULL;

DROP TABLE themes;
ALTER TABLE themes_new RENAME TO themes;

UPDATE cards SET theme = (SELECT t.theme FROM card_themes t WHERE t.forum = cards.forum AND t.id = cards.id)
    WHERE EXISTS (SELECT 1 FROM card_themes t WHERE t.forum = cards.forum AND t.id = cards.id);
UPDATE statements SET theme = (SELECT t.theme FROM statement_themes t WHERE t.forum = statements.forum AND t.id = statements.id)
    WHERE EXISTS (SELECT 1 FROM statement_themes t WHERE t.forum = statements.forum AND t.id = statements.id);
DROP TABLE card_themes;
DROP TABLE statement_themes;

-- An amendment still waiting when its statement is recorded is closed:
-- superseded. It never was accepted too.
ALTER TABLE amendments ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0
    CHECK (superseded IN (0, 1) AND NOT (superseded = 1 AND accepted IS NOT NULL));
