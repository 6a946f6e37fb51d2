-- The forums, and the append-only log of every change to each: the truth
-- that every moot node reads its forums' state from. Nothing else is kept
-- per forum; see the package comment for why.

CREATE TABLE forums (
    slug        text PRIMARY KEY,
    title       text NOT NULL,
    -- The forum as its agenda defines it (session.Forum as JSON).
    definition  json NOT NULL,
    -- The seq of the last event in the log. A commit moves it on from the
    -- seq its events were decided after, so that of two nodes deciding at
    -- once only one appends; the other decides again.
    seq         bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Forums added to a running server keep the agenda they came from.
    agenda_text text CHECK (agenda_text IS NULL OR length(agenda_text) BETWEEN 1 AND 262144),
    added_by    text,
    CHECK ((agenda_text IS NULL) = (added_by IS NULL))
);

CREATE TABLE events (
    forum   text NOT NULL REFERENCES forums(slug),
    seq     bigint NOT NULL CHECK (seq > 0),
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    kind    text NOT NULL CHECK (kind <> ''),
    -- json, not jsonb: kept as written, byte for byte.
    payload json NOT NULL,
    PRIMARY KEY (forum, seq)
);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only';
END
$$;

CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- The SSH host key every node presents, so that people see one server
-- whichever node the load balancer gives them. The first node to start
-- makes it.
CREATE TABLE host_key (
    id  int PRIMARY KEY CHECK (id = 1),
    pem text NOT NULL
);
