package dev.plinth.platform.database;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.naming.NameResolver;
import io.micronaut.core.util.StringUtils;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The platform's own tables ({@code task_run}, {@code beat_runs}, {@code shedlock}): migrations in
 * {@value #LOCATION} (portable SQL) and {@code db/postgresql/plinth} or {@code db/mysql/plinth}
 * (each family's own, {@link SqlFamily}) with their own history table, {@value #HISTORY_TABLE}, so
 * that the application's migrations ({@code db/migration}, Flyway's default table) never interleave
 * with them and a fork numbers its own from V1.
 *
 * <p>Runs when the default datasource is created, before micronaut-flyway migrates the
 * application's (its listener has order 0), with the same Flyway settings (connect retries,
 * schemas). Each set may find the schema holding the other's tables, so both baseline at version 0
 * on a schema without their history table (the application's by {@code
 * plinth-defaults.properties}): every migration of the set still runs. One process at a time
 * migrates both sets ({@link MigrationLock}, released after the application's).
 */
@Singleton
@Order(PlatformMigrations.ORDER)
@Requires(property = PlatformMigrations.ENABLED, notEquals = StringUtils.FALSE)
public class PlatformMigrations implements BeanCreatedEventListener<DataSource> {
  /** Where the platform's migrations live on the class path. */
  public static final String LOCATION = "classpath:db/plinth";

  /** The platform's Flyway history table. */
  public static final String HISTORY_TABLE = "plinth_schema_history";

  /** micronaut-flyway's switch for the default datasource: off, neither set migrates. */
  static final String ENABLED = "flyway.datasources.default.enabled";

  static final int ORDER = -100;

  static final int RELEASE_ORDER = 100;

  private static final String DEFAULT = "default";

  private final BeanLocator beans;
  private final DataSourceResolver resolver;
  private final SqlFamily family;
  private volatile Flyway flyway;
  private volatile MigrationLock lock;

  PlatformMigrations(
      BeanLocator beans,
      Optional<DataSourceResolver> resolver,
      @Value("${" + PlinthProperties.DATABASE_FAMILY + ":postgresql}") String family) {
    this.beans = beans;
    this.resolver = resolver.orElse(DataSourceResolver.DEFAULT);
    // From the contract, not from a connection: the database may not answer yet (Flyway retries).
    this.family = SqlFamily.valueOf(family.toUpperCase(java.util.Locale.ROOT));
  }

  /**
   * The platform's Flyway on {@code base}'s datasource and settings: its location, its history
   * table, a baseline below its first version.
   */
  public static Flyway flyway(Configuration base) {
    try (java.sql.Connection c = base.getDataSource().getConnection()) {
      return flyway(base, SqlFamily.of(c));
    } catch (java.sql.SQLException e) {
      throw new org.flywaydb.core.api.FlywayException("cannot reach the database", e);
    }
  }

  /** As {@link #flyway(Configuration)}, for a database of {@code family}. */
  public static Flyway flyway(Configuration base, SqlFamily family) {
    return Flyway.configure()
        .configuration(base)
        .locations(LOCATION, "classpath:db/" + family.folder() + "/plinth")
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  /** Releases the migration lock once the application's set has migrated too. */
  void migrated() {
    MigrationLock taken = lock;
    lock = null;
    if (taken != null) {
      taken.close();
    }
  }

  /**
   * After micronaut-flyway (order 0) migrated the application's set: the lock that kept other
   * processes out of both sets goes.
   */
  @Singleton
  @Order(PlatformMigrations.RELEASE_ORDER)
  @Requires(property = PlatformMigrations.ENABLED, notEquals = StringUtils.FALSE)
  static final class Release implements BeanCreatedEventListener<DataSource> {
    private final BeanProvider<PlatformMigrations> migrations;

    Release(BeanProvider<PlatformMigrations> migrations) {
      this.migrations = migrations;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
      migrations.get().migrated();
      return event.getBean();
    }
  }

  /** The Flyway that migrated the platform's tables in this process, once it has. */
  public Optional<Flyway> flyway() {
    return Optional.ofNullable(flyway);
  }

  @Override
  public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
    boolean isDefault =
        event.getBeanDefinition() instanceof NameResolver named
            && named.resolveName().map(DEFAULT::equals).orElse(false);
    if (isDefault) {
      beans
          .findBean(FlywayConfigurationProperties.class, Qualifiers.byName(DEFAULT))
          .filter(FlywayConfigurationProperties::isEnabled)
          .ifPresent(
              config -> {
                FluentConfiguration base =
                    Flyway.configure()
                        .configuration(config.getFluentConfiguration())
                        .dataSource(resolver.resolve(event.getBean()));
                Flyway platform = flyway(base, family);
                MigrationLock taken;
                try {
                  taken = MigrationLock.acquire(base.getDataSource(), 0, 0);
                } catch (FlywayException unreachable) {
                  // Not up yet: Flyway's own retries (and their log lines) wait for it, as they
                  // did before the lock; then the lock.
                  platform.info();
                  taken =
                      MigrationLock.acquire(
                          base.getDataSource(),
                          base.getConnectRetries(),
                          base.getConnectRetriesInterval());
                }
                try {
                  platform.migrate();
                } catch (RuntimeException e) {
                  taken.close();
                  throw e;
                }
                lock = taken;
                flyway = platform;
              });
    }
    return event.getBean();
  }
}
