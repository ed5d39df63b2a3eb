-- The example's exports (dev.plinth.example.export): the file a task run produced, by run id.
-- Small files in the database, beside the run that made them (docs/api.md).
CREATE TABLE example_export (
    run_id VARCHAR(64) PRIMARY KEY,
    content_type VARCHAR(100) NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
