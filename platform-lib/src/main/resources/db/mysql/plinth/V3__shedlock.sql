-- V3 in MySQL's SQL: ShedLock's table with DATETIME(3), which no server default turns into an
-- auto-updating column (a TIMESTAMP may be, where explicit_defaults_for_timestamp is off).
CREATE TABLE shedlock (
    name VARCHAR(64) NOT NULL,
    lock_until DATETIME(3) NOT NULL,
    locked_at DATETIME(3) NOT NULL,
    locked_by VARCHAR(255) NOT NULL,
    CONSTRAINT shedlock_pk PRIMARY KEY (name)
);
