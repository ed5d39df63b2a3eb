-- The transactional outbox of an enqueue (docs/tasks.md): a run's queued row is written with
-- published = FALSE before its message is sent, and set TRUE once the broker confirmed it. An
-- idempotent enqueue that finds a queued row still FALSE publishes it again. Rows that exist
-- already (and rows the worker writes for messages from other producers) were on the broker.
ALTER TABLE task_run ADD COLUMN published BOOLEAN DEFAULT TRUE NOT NULL;
