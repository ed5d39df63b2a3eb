package dev.plinth.example.hello;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.annotation.Transactional;
import java.util.Optional;

/**
 * The hello page's counters. {@link #increment} is atomic under concurrent requests on every
 * engine: the row lock taken by the UPDATE serialises increments of one counter, and the first
 * visit of a new counter races safely through an insert that does nothing on a duplicate key (one
 * repository per SQL family, as {@code NoteRepository}, for that one statement).
 */
public abstract class HelloCounterRepository implements GenericRepository<HelloCounter, String> {

  /** Adds one visit to the counter {@code name} (created on its first visit); returns the count. */
  @Transactional
  public long increment(String name) {
    // Two rounds at most: if our INSERT lost the race, the winner's row is there to UPDATE.
    for (int round = 0; round < 2; round++) {
      if (addVisit(name) == 1 || insertFirstVisit(name) == 1) {
        return visits(name);
      }
    }
    throw new IllegalStateException("hello counter row vanished while incrementing: " + name);
  }

  @Query("UPDATE hello_counter SET visits = visits + 1 WHERE name = :name")
  protected abstract int addVisit(String name);

  /** Inserts the counter's row with one visit; 0 when it exists already. */
  protected abstract int insertFirstVisit(String name);

  // Read inside the incrementing transaction: it sees its own write, and the row stays locked.
  private long visits(String name) {
    return findVisits(name)
        .orElseThrow(() -> new IllegalStateException("hello counter row missing: " + name));
  }

  @Query("SELECT visits FROM hello_counter WHERE name = :name")
  protected abstract Optional<Long> findVisits(String name);

  /** On PostgreSQL and H2. */
  @JdbcRepository(dialect = Dialect.POSTGRES)
  @Requires(property = PlinthProperties.DATABASE_FAMILY, value = "postgresql")
  abstract static class OnPostgresql extends HelloCounterRepository {
    @Override
    @Query("INSERT INTO hello_counter (name, visits) VALUES (:name, 1) ON CONFLICT DO NOTHING")
    protected abstract int insertFirstVisit(String name);
  }

  /** On MySQL and MariaDB. */
  @JdbcRepository(dialect = Dialect.MYSQL)
  @Requires(property = PlinthProperties.DATABASE_FAMILY, value = "mysql")
  abstract static class OnMysql extends HelloCounterRepository {
    @Override
    @Query(
        "INSERT INTO hello_counter (name, visits) VALUES (:name, 1)"
            + " ON DUPLICATE KEY UPDATE name = name")
    protected abstract int insertFirstVisit(String name);
  }
}
