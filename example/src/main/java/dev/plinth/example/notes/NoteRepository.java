package dev.plinth.example.notes;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.PageableRepository;

/**
 * Notes. The SQL is generated for PostgreSQL and runs unchanged on the embedded H2, which runs in
 * PostgreSQL mode with lower-case identifiers.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NoteRepository extends PageableRepository<Note, Long> {}
