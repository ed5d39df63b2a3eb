-- V1 in MySQL's SQL (db/postgresql/plinth/V1 is the reference): timestamps are DATETIME(6) in
-- UTC (the contract's URL keeps the session and the driver in UTC); TIMESTAMP would end in 2038.
CREATE TABLE task_run (
    id VARCHAR(64) PRIMARY KEY,
    task_name VARCHAR(200) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    rid VARCHAR(128),
    enqueued_at DATETIME(6),
    started_at DATETIME(6),
    finished_at DATETIME(6),
    error VARCHAR(4000),
    updated_at DATETIME(6) NOT NULL
);
CREATE INDEX task_run_status ON task_run (status, updated_at);
