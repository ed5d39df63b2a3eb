package dev.plinth.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * A database-wide lock held while one process migrates both sets, so that replicas starting at once
 * on an empty database do not race to create and baseline the same history table (Flyway locks a
 * history table only once it exists: the second replica saw it created and still empty, and failed
 * with "Unable to baseline ... as it already exists, and is empty"). PostgreSQL's session advisory
 * lock, MySQL's {@code GET_LOCK}; the embedded H2 is one process and takes none. The lock goes with
 * its connection: a process that dies releases it.
 */
final class MigrationLock implements AutoCloseable {
  private static final long KEY = 0x706c696e74684dL; // "plinthM"
  private static final String NAME = "plinth-migrations";
  private static final int WAIT_SECONDS = 600;

  private final Connection connection;
  private final SqlFamily family;

  private MigrationLock(Connection connection, SqlFamily family) {
    this.connection = connection;
    this.family = family;
  }

  /**
   * Waits for the lock, retrying the connection as Flyway would ({@code retries} times, {@code
   * intervalSeconds} apart): the database may not answer yet.
   */
  static MigrationLock acquire(DataSource data, int retries, int intervalSeconds) {
    for (int attempt = 0; ; attempt++) {
      try {
        Connection c = data.getConnection();
        try {
          String product = c.getMetaData().getDatabaseProductName();
          if (product.contains("H2")) {
            return new MigrationLock(c, null);
          }
          SqlFamily family = SqlFamily.of(c);
          try (PreparedStatement s =
                  c.prepareStatement(
                      family == SqlFamily.MYSQL
                          ? "SELECT GET_LOCK('" + NAME + "', " + WAIT_SECONDS + ")"
                          : "SELECT pg_advisory_lock(" + KEY + ")");
              ResultSet r = s.executeQuery()) {
            r.next();
            if (family == SqlFamily.MYSQL && r.getInt(1) != 1) {
              throw new FlywayException("no migration lock within " + WAIT_SECONDS + " s");
            }
          }
          return new MigrationLock(c, family);
        } catch (SQLException | RuntimeException e) {
          c.close();
          throw e;
        }
      } catch (SQLException e) {
        if (attempt >= retries) {
          throw new FlywayException("cannot take the migration lock: " + e.getMessage(), e);
        }
        try {
          Thread.sleep(Math.max(1, intervalSeconds) * 1000L);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new FlywayException("interrupted waiting for the database", interrupted);
        }
      }
    }
  }

  @Override
  public void close() {
    try (Connection c = connection) {
      if (family != null) {
        try (PreparedStatement s =
            c.prepareStatement(
                family == SqlFamily.MYSQL
                    ? "SELECT RELEASE_LOCK('" + NAME + "')"
                    : "SELECT pg_advisory_unlock(" + KEY + ")")) {
          s.execute();
        }
      }
    } catch (SQLException e) {
      // Closing the connection released it all the same.
    }
  }
}
