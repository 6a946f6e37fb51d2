-- Forums added to a running server (ssh HOST forum add < agenda.yaml) keep
-- the agenda they were added with, so that the server serves them again
-- after a restart. NULL for forums served from agenda files given at start:
-- those are served while their file is given.
ALTER TABLE forums ADD COLUMN agenda_text TEXT CHECK (agenda_text IS NULL OR length(agenda_text) BETWEEN 1 AND 262144);
ALTER TABLE forums ADD COLUMN added_by TEXT CHECK ((agenda_text IS NULL) = (added_by IS NULL));
