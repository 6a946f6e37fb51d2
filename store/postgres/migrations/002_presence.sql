-- Who is connected to each forum on each node. Not part of the log (it is
-- no one's decision): each node rewrites its own row every second, and a
-- row not rewritten for a while is a node that died, whose people no longer
-- count as connected.
CREATE TABLE presence (
    node    text NOT NULL,
    forum   text NOT NULL REFERENCES forums(slug),
    people  text[] NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node, forum)
);
