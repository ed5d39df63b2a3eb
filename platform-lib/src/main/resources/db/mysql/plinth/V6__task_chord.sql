-- Chords started through Plinth's API (docs/tasks.md, "Workflows"), kept by
-- dev.plinth.platform.tasks.state.ChordParts: each header task's result, once, and the count whose
-- last step publishes the body. completed_by is the header part whose run completed the count: only
-- that part's message publishes the body, again if it is redelivered before body_published.
CREATE TABLE task_chord (
    group_id VARCHAR(64) PRIMARY KEY,
    header_size INTEGER NOT NULL,
    done INTEGER NOT NULL,
    completed_by INTEGER,
    body_published BOOLEAN NOT NULL,
    failed BOOLEAN NOT NULL,
    created_at DATETIME(6) NOT NULL
);
CREATE TABLE task_chord_part (
    group_id VARCHAR(64) NOT NULL,
    part INTEGER NOT NULL,
    result LONGTEXT NOT NULL,
    PRIMARY KEY (group_id, part)
);
