package dev.plinth.platform.testing;

import dev.plinth.platform.database.SqlFamily;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database on the tests' server ({@link TestServices#postgres()}: the local one
 * on 127.0.0.1:5432, else a container; user {@code postgres}, trust auth), created for one test run
 * and dropped by {@link #close()}. Where there is neither, {@link #create()} fails with a message
 * that says what to start.
 *
 * <pre>{@code
 * try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
 *   Map<String, String> env = new HashMap<>(db.environment());
 *   ... start a mode with env ...
 * }
 * }</pre>
 */
public final class PostgresTestDatabase implements TestDatabase {
  public static final String USER = "postgres";

  private final String name;
  private boolean dropped;

  private PostgresTestDatabase(String name) {
    this.name = name;
  }

  /** Creates {@code plinth_it_<random>} on the local server. */
  public static PostgresTestDatabase create() {
    String name = TestDatabase.freshName();
    try (Connection admin = connect("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not usable at "
              + host()
              + ":"
              + port()
              + " (user "
              + USER
              + ", trust auth): start the local server (e.g. `service postgresql start` or"
              + " `pg_ctlcluster 15 main start`) and check that it accepts "
              + USER
              + " without a password. Cause: "
              + e.getMessage(),
          e);
    }
    return new PostgresTestDatabase(name);
  }

  /** The host of the tests' PostgreSQL server. */
  public static String host() {
    return TestServices.postgres().host();
  }

  /** The port of the tests' PostgreSQL server. */
  public static int port() {
    return TestServices.postgres().port();
  }

  /** The database's name. */
  @Override
  public String name() {
    return name;
  }

  /** A JDBC URL for the database on the local server. */
  public String jdbcUrl() {
    return jdbcUrl(name);
  }

  /** A new connection to the database; the caller closes it. */
  @Override
  public Connection connect() throws SQLException {
    return connect(name);
  }

  @Override
  public DataSource dataSource() {
    PGSimpleDataSource data = new PGSimpleDataSource();
    data.setUrl(jdbcUrl());
    data.setUser(USER);
    return data;
  }

  @Override
  public SqlFamily family() {
    return SqlFamily.POSTGRESQL;
  }

  /** The {@code DATABASE_*} contract variables that point a mode at this database. */
  @Override
  public Map<String, String> environment() {
    return environment(host(), port());
  }

  /**
   * The {@code DATABASE_*} variables for reaching this database through {@code host:port}, e.g. a
   * {@link TcpProxy} in front of the local server.
   */
  public Map<String, String> environment(String host, int port) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_HOST", host);
    env.put("DATABASE_PORT", String.valueOf(port));
    env.put("DATABASE_NAME", name);
    env.put("DATABASE_USERNAME", USER);
    return env;
  }

  /** Drops the database, ending any connection a test left open. Idempotent. */
  @Override
  public void close() {
    if (dropped) {
      return;
    }
    try (Connection admin = connect("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      dropped = true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test database " + name, e);
    }
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, "");
  }

  /** A JDBC URL for {@code database} on the tests' server. */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
  }
}
