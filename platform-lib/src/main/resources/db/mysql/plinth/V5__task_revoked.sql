-- Revoked task ids (docs/tasks.md, "Revoke"), kept by dev.plinth.platform.tasks.revoke.Revocations
-- until they expire, so that a worker started after a revoke still honours it.
CREATE TABLE task_revoked (
    id VARCHAR(64) PRIMARY KEY,
    expires_at DATETIME(6) NOT NULL
);
CREATE INDEX task_revoked_expires ON task_revoked (expires_at);
