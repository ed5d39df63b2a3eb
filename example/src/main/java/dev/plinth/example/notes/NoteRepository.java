package dev.plinth.example.notes;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.PageableRepository;

/**
 * Notes. Micronaut Data writes a repository's SQL at compile time for one dialect, so there is one
 * repository per SQL family, switched on by the one the contract names: PostgreSQL's (which the
 * embedded H2 runs too, in PostgreSQL mode with lower-case identifiers) and MySQL's (MariaDB).
 */
public interface NoteRepository extends PageableRepository<Note, Long> {
  /** On PostgreSQL and H2. */
  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Requires(property = PlinthProperties.DATABASE_FAMILY, value = "postgresql")
  interface OnPostgresql extends NoteRepository {}

  /** On MySQL and MariaDB. */
  @JdbcRepository(dialect = Dialect.MYSQL)
  @Requires(property = PlinthProperties.DATABASE_FAMILY, value = "mysql")
  interface OnMysql extends NoteRepository {}
}
