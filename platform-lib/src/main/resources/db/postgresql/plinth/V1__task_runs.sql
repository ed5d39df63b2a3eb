-- One row per task run (the task id), kept by dev.plinth.platform.tasks.state.TaskRuns.
-- status: queued, running, failed (an attempt failed, a retry is scheduled), succeeded, dead.
CREATE TABLE task_run (
    id VARCHAR(64) PRIMARY KEY,
    task_name VARCHAR(200) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    rid VARCHAR(128),
    enqueued_at TIMESTAMP WITH TIME ZONE,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    error VARCHAR(4000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX task_run_status ON task_run (status, updated_at);
