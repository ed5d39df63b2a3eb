package dev.plinth.platform.testing;

import dev.plinth.platform.database.PlatformMigrations;
import dev.plinth.platform.database.SqlFamily;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database made for one test run ({@link PostgresTestDatabase}, {@link MariaDbTestDatabase}), so
 * that one test can run on each engine: the variables that point a mode at it, a connection for the
 * test's own reads, and {@link #close()} to drop it.
 */
public interface TestDatabase extends AutoCloseable {
  /** A name no other run picks: {@code plinth_it_} and 12 random hex digits. */
  static String freshName() {
    byte[] random = new byte[6];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
    return "plinth_it_" + java.util.HexFormat.of().formatHex(random);
  }

  /** The database's name. */
  String name();

  /** A new connection to the database; the caller closes it. */
  Connection connect() throws SQLException;

  /** The {@code DATABASE_*} contract variables that point a mode at this database. */
  Map<String, String> environment();

  /** A data source on the database, as the contract's URL options open it. */
  DataSource dataSource() throws SQLException;

  /** The database's SQL family, whose platform migrations apply. */
  SqlFamily family();

  /** {@link #dataSource()} after the platform's migrations ran on it: for a store's own tests. */
  default DataSource withPlatformSchema() throws SQLException {
    DataSource data = dataSource();
    PlatformMigrations.flyway(Flyway.configure().dataSource(data), family()).migrate();
    return data;
  }

  /** Drops the database. Idempotent. */
  @Override
  void close();
}
