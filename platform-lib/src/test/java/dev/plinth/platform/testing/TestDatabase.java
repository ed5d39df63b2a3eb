package dev.plinth.platform.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

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

  /** Drops the database. Idempotent. */
  @Override
  void close();
}
