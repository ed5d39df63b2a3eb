package dev.plinth.platform.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;

/**
 * A new, empty database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth) for one
 * test run, dropped on {@link #close()}. Fails, never skips, when PostgreSQL is unreachable.
 */
public final class PostgresScratchDatabase implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  public static final String USER = "postgres";

  private final String name;

  private PostgresScratchDatabase(String name) {
    this.name = name;
  }

  /** Creates {@code plinth_it_<random>}. */
  public static PostgresScratchDatabase create() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String name = "plinth_it_" + HexFormat.of().formatHex(random);
    execute("CREATE DATABASE " + name);
    return new PostgresScratchDatabase(name);
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return jdbcUrl(name);
  }

  /** The contract variables that point a mode at this database. */
  public Map<String, String> contractEnvironment() {
    return Map.of(
        "DATABASE_HOST", HOST,
        "DATABASE_PORT", Integer.toString(PORT),
        "DATABASE_NAME", name,
        "DATABASE_USERNAME", USER);
  }

  /** A new connection to this database; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  @Override
  public void close() {
    // FORCE: a pool that has not quite let go must not leave the database behind.
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
  }

  private static void execute(String sql) {
    Connection connection;
    try {
      connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
    } catch (SQLException e) {
      throw new AssertionError(
          "PostgreSQL is not reachable at "
              + HOST
              + ":"
              + PORT
              + " as user "
              + USER
              + " ("
              + e.getMessage()
              + "). Start the local PostgreSQL (e.g. `service postgresql start`) and run again.",
          e);
    }
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL refused `" + sql + "`: " + e.getMessage(), e);
    }
  }
}
