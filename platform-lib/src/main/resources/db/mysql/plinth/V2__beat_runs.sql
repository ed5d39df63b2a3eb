-- V2 in MySQL's SQL (db/postgresql/plinth/V2 is the reference and says what the table is for).
CREATE TABLE beat_runs (
    schedule_name VARCHAR(150) NOT NULL,
    due_at DATETIME(6) NOT NULL,
    task_name VARCHAR(200) NOT NULL,
    task_id VARCHAR(36) NOT NULL,
    payload TEXT NOT NULL,
    queue_name VARCHAR(255),
    skipped BOOLEAN NOT NULL DEFAULT FALSE,
    claimed_by VARCHAR(200) NOT NULL,
    claimed_at DATETIME(6) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    published_at DATETIME(6),
    CONSTRAINT beat_runs_pk PRIMARY KEY (schedule_name, due_at)
);

CREATE INDEX beat_runs_pending ON beat_runs (published_at, claimed_at);
