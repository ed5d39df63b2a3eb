-- V3 in MySQL's SQL (db/postgresql/migration/V3 is the reference).
CREATE TABLE example_export (
    run_id VARCHAR(64) PRIMARY KEY,
    content_type VARCHAR(100) NOT NULL,
    content MEDIUMTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL
);
