-- The hello page's visit counter (seed 001). One row per counter name.
CREATE TABLE hello_counter (
    name VARCHAR(64) PRIMARY KEY,
    visits BIGINT NOT NULL DEFAULT 0
);
