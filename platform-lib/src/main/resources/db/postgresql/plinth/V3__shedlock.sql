-- ShedLock's table (net.javacrumbs.shedlock JDBC provider): leadership for BEAT's housekeeping
-- (retrying unpublished runs, deleting old ones), so one replica at a time does it.
CREATE TABLE shedlock (
    name VARCHAR(64) NOT NULL,
    lock_until TIMESTAMP NOT NULL,
    locked_at TIMESTAMP NOT NULL,
    locked_by VARCHAR(255) NOT NULL,
    CONSTRAINT shedlock_pk PRIMARY KEY (name)
);
