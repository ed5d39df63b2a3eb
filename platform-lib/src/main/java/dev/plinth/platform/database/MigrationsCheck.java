package dev.plinth.platform.database;

import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Heartbeat check {@code migrations}: every migration this build carries is applied and none
 * failed. {@code plinth.migrations.E001} lists pending migrations, {@code plinth.migrations.E002}
 * failed ones. Uses the Flyway that micronaut-flyway configured for the default datasource (same
 * datasource, same locations).
 */
@Singleton
@Requires(beans = DataSource.class)
@Requires(property = DatabaseChecksConfiguration.PREFIX + ".enabled", notEquals = StringUtils.FALSE)
@Requires(property = "flyway.datasources.default.enabled", notEquals = StringUtils.FALSE)
public class MigrationsCheck implements HealthCheck {
  public static final String NAME = "migrations";
  public static final String PENDING = "plinth.migrations.E001";
  public static final String FAILED = "plinth.migrations.E002";
  public static final String NOT_CONFIGURED = "plinth.migrations.E003";

  private final BeanLocator beans;
  private final Duration timeout;

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
    // Registered by micronaut-flyway when it migrated the default datasource at start-up.
    Optional<Flyway> flyway = beans.findBean(Flyway.class, Qualifiers.byName("default"));
    if (flyway.isEmpty()) {
      return List.of(
          CheckMessage.error(
              NOT_CONFIGURED, "Flyway has not run on the default datasource in this process."));
    }
    MigrationInfo[] all = flyway.get().info().all();
    List<CheckMessage> messages = new ArrayList<>();
    String pending = versions(all, state -> state == MigrationState.PENDING);
    if (!pending.isEmpty()) {
      messages.add(CheckMessage.error(PENDING, "Migrations not applied: " + pending + "."));
    }
    String failed = versions(all, MigrationState::isFailed);
    if (!failed.isEmpty()) {
      messages.add(CheckMessage.error(FAILED, "Migrations failed: " + failed + "."));
    }
    return messages;
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(timeout);
  }

  private static String versions(
      MigrationInfo[] all, java.util.function.Predicate<MigrationState> wanted) {
    return Stream.of(all)
        .filter(info -> wanted.test(info.getState()))
        .map(MigrationsCheck::label)
        .collect(Collectors.joining(", "));
  }

  private static String label(MigrationInfo info) {
    return info.getVersion() == null
        ? "R " + info.getDescription()
        : "V" + info.getVersion() + " " + info.getDescription();
  }
}
