package dev.plinth.platform.testing;

import dev.plinth.platform.database.SqlFamily;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A fresh database on the local MariaDB (127.0.0.1:3306, user {@code root}, no password: what the
 * machines of this project run), created for one test run and dropped by {@link #close()}; its
 * {@link #environment()} starts a mode with {@code DATABASE_ENGINE=mariadb}. Fails with what to
 * start when MariaDB is not there.
 */
public final class MariaDbTestDatabase implements TestDatabase {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 3306;
  public static final String USER = "root";

  private final String name;
  private boolean dropped;

  private MariaDbTestDatabase(String name) {
    this.name = name;
  }

  /** Creates {@code plinth_it_<random>}. */
  public static MariaDbTestDatabase create() {
    String name = TestDatabase.freshName();
    try (Connection admin = connect("");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "MariaDB is not usable at "
              + HOST
              + ":"
              + PORT
              + " (user root, no password): start it (e.g. `service mariadb start`). Cause: "
              + e.getMessage(),
          e);
    }
    return new MariaDbTestDatabase(name);
  }

  /** The database's name. */
  @Override
  public String name() {
    return name;
  }

  /** A new connection to the database; the caller closes it. */
  @Override
  public Connection connect() throws SQLException {
    return connect(name);
  }

  // The contract's URL options: affected rows, so an insert that found its key reports 0.
  @Override
  public DataSource dataSource() throws SQLException {
    return new MariaDbDataSource(
        "jdbc:mariadb://"
            + HOST
            + ":"
            + PORT
            + "/"
            + name
            + "?user="
            + USER
            + "&useAffectedRows=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
  }

  @Override
  public SqlFamily family() {
    return SqlFamily.MYSQL;
  }

  /** The {@code DATABASE_*} variables that point a mode at this database. */
  @Override
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_ENGINE", "mariadb");
    env.put("DATABASE_HOST", HOST);
    env.put("DATABASE_PORT", String.valueOf(PORT));
    env.put("DATABASE_NAME", name);
    env.put("DATABASE_USERNAME", USER);
    return env;
  }

  /** Drops the database. Idempotent. */
  @Override
  public void close() {
    if (dropped) {
      return;
    }
    try (Connection admin = connect("");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name);
      dropped = true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test database " + name, e);
    }
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://" + HOST + ":" + PORT + "/" + database, USER, "");
  }
}
