-- Who wrote a note: the authenticated subject that created it (docs/api.md, "Authentication"), or
-- NULL for a note created without authentication. Portable SQL: both families take it as it is.
ALTER TABLE notes ADD COLUMN author VARCHAR(256);
