-- BEAT's record of due runs (docs/scheduling.md). One row per (schedule, due time): the primary
-- key is what makes a run published once across replicas - the replica whose insert succeeds
-- owns the run. published_at stays null until the broker confirmed the message; such rows are
-- retried. The latest due_at per schedule is where a restarted scheduler carries on.
CREATE TABLE beat_runs (
    schedule_name VARCHAR(150) NOT NULL,
    due_at TIMESTAMP WITH TIME ZONE NOT NULL,
    task_name VARCHAR(200) NOT NULL,
    task_id VARCHAR(36) NOT NULL,
    payload TEXT NOT NULL,
    queue_name VARCHAR(255),
    skipped BOOLEAN NOT NULL DEFAULT FALSE,
    claimed_by VARCHAR(200) NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    published_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT beat_runs_pk PRIMARY KEY (schedule_name, due_at)
);

CREATE INDEX beat_runs_pending ON beat_runs (published_at, claimed_at);
