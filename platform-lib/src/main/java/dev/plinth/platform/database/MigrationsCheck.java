package dev.plinth.platform.database;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.Configuration;

/**
 * Heartbeat check {@code migrations}: every migration this build carries is applied and none
 * failed. {@code plinth.migrations.E001} lists pending migrations, {@code plinth.migrations.E002}
 * failed ones, of both sets: the platform's own ({@link PlatformMigrations}, named "plinth V1 …")
 * and the application's, through the Flyway instances that migrated them at start-up.
 *
 * <p>{@code Flyway.info()} resolves every migration and inspects the database on each call (tens of
 * milliseconds, more as migrations accumulate). The migrations on the classpath cannot change while
 * the process runs, so the verdict can only change with Flyway's history tables: each heartbeat
 * reads them (two small queries) and calls {@code info()} again only when their rows changed.
 */
@Singleton
@Requires(beans = DataSource.class)
@Requires(property = PlinthProperties.DATABASE_CHECKS + ".enabled", notEquals = StringUtils.FALSE)
@Requires(property = PlatformMigrations.ENABLED, notEquals = StringUtils.FALSE)
public class MigrationsCheck implements HealthCheck {
  public static final String NAME = CheckIds.MIGRATIONS;
  public static final String PENDING = CheckIds.MIGRATIONS_PENDING;
  public static final String FAILED = CheckIds.MIGRATIONS_FAILED;
  public static final String NOT_CONFIGURED = CheckIds.MIGRATIONS_NOT_CONFIGURED;

  private final BeanLocator beans;
  private final Duration timeout;
  private volatile Verdict last;

  MigrationsCheck(BeanLocator beans, DatabaseChecksConfiguration configuration) {
    this.beans = beans;
    this.timeout = configuration.getTimeout();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CheckMessage> run() {
    // Registered by micronaut-flyway when it migrated the default datasource at start-up; the
    // platform's own set ran just before it, on the same datasource.
    Optional<Flyway> application = beans.findBean(Flyway.class, Qualifiers.byName("default"));
    Optional<Flyway> platform =
        beans.findBean(PlatformMigrations.class).flatMap(PlatformMigrations::flyway);
    if (application.isEmpty() || platform.isEmpty()) {
      return List.of(
          CheckMessage.error(
              NOT_CONFIGURED, "Flyway has not run on the default datasource in this process."));
    }
    Optional<List<List<Object>>> history =
        history(platform.get()).flatMap(p -> history(application.get()).map(a -> concat(p, a)));
    Verdict previous = last;
    if (history.isPresent() && previous != null && previous.history().equals(history.get())) {
      return previous.messages();
    }
    List<CheckMessage> messages =
        verdict(platform.get().info().all(), application.get().info().all());
    // Read before info(): if a table changed in between, the next run sees rows that differ.
    history.ifPresent(rows -> last = new Verdict(rows, messages));
    return messages;
  }

  private static List<List<Object>> concat(List<List<Object>> first, List<List<Object>> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static List<CheckMessage> verdict(MigrationInfo[] platform, MigrationInfo[] application) {
    List<CheckMessage> messages = new ArrayList<>();
    // IGNORED: carried by the build but skipped because a later version is applied (e.g. V1 lost
    // from the history while V2 is there); Flyway will not apply it, so it is as missing.
    Predicate<MigrationState> notApplied =
        state -> state == MigrationState.PENDING || state == MigrationState.IGNORED;
    String pending = versions(platform, application, notApplied);
    if (!pending.isEmpty()) {
      messages.add(CheckMessage.error(PENDING, "Migrations not applied: " + pending + "."));
    }
    String failed = versions(platform, application, MigrationState::isFailed);
    if (!failed.isEmpty()) {
      messages.add(CheckMessage.error(FAILED, "Migrations failed: " + failed + "."));
    }
    return List.copyOf(messages);
  }

  /**
   * The rows of Flyway's history table, or empty when they cannot be read (no table yet, database
   * away): then {@code info()} decides and reports.
   */
  private static Optional<List<List<Object>>> history(Flyway flyway) {
    Configuration configuration = flyway.getConfiguration();
    String schema =
        configuration.getDefaultSchema() != null
            ? configuration.getDefaultSchema()
            : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : null;
    String table = (schema == null ? "" : quoted(schema) + ".") + quoted(configuration.getTable());
    String sql =
        "SELECT installed_rank, version, description, type, script, checksum, success FROM "
            + table
            + " ORDER BY installed_rank";
    try (Connection connection = configuration.getDataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<List<Object>> history = new ArrayList<>();
      while (rows.next()) {
        List<Object> row = new ArrayList<>(7);
        for (int column = 1; column <= 7; column++) {
          row.add(rows.getObject(column));
        }
        history.add(row);
      }
      return Optional.of(history);
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The messages of one {@code info()}, and the history rows they were computed for. */
  private record Verdict(List<List<Object>> history, List<CheckMessage> messages) {}

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(timeout);
  }

  /** The platform's first, named as such ("plinth V1 task runs"), then the application's. */
  private static String versions(
      MigrationInfo[] platform, MigrationInfo[] application, Predicate<MigrationState> wanted) {
    return Stream.concat(labels(platform, "plinth ", wanted), labels(application, "", wanted))
        .collect(Collectors.joining(", "));
  }

  private static Stream<String> labels(
      MigrationInfo[] all, String set, Predicate<MigrationState> wanted) {
    return Stream.of(all).filter(info -> wanted.test(info.getState())).map(i -> set + label(i));
  }

  private static String label(MigrationInfo info) {
    return info.getVersion() == null
        ? "R " + info.getDescription()
        : "V" + info.getVersion() + " " + info.getDescription();
  }
}
