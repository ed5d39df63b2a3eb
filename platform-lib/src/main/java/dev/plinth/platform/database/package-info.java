/**
 * The database: PostgreSQL or the embedded H2 default, Flyway migrations and the {@code database}
 * heartbeat check.
 */
package dev.plinth.platform.database;
