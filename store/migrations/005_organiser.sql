-- The organiser's side: an archived forum is read-only (and still
-- exportable). Unix milliseconds; NULL while the forum is live.
ALTER TABLE forums ADD COLUMN archived_at INTEGER;
