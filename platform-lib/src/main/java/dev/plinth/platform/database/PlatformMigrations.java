package dev.plinth.platform.database;

import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
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
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The platform's own tables ({@code task_run}, {@code beat_runs}, {@code shedlock}): migrations in
 * {@value #LOCATION} with their own history table, {@value #HISTORY_TABLE}, so that the
 * application's migrations ({@code db/migration}, Flyway's default table) never interleave with
 * them and a fork numbers its own from V1.
 *
 * <p>Runs when the default datasource is created, before micronaut-flyway migrates the
 * application's (its listener has order 0), with the same Flyway settings (connect retries,
 * schemas). Each set may find the schema holding the other's tables, so both baseline at version 0
 * on a schema without their history table (the application's by {@code
 * plinth-defaults.properties}): every migration of the set still runs.
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

  private static final String DEFAULT = "default";

  private final BeanLocator beans;
  private final DataSourceResolver resolver;
  private volatile Flyway flyway;

  PlatformMigrations(BeanLocator beans, Optional<DataSourceResolver> resolver) {
    this.beans = beans;
    this.resolver = resolver.orElse(DataSourceResolver.DEFAULT);
  }

  /**
   * The platform's Flyway on {@code base}'s datasource and settings: its location, its history
   * table, a baseline below its first version.
   */
  public static Flyway flyway(Configuration base) {
    return Flyway.configure()
        .configuration(base)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
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
                Flyway platform = flyway(base);
                platform.migrate();
                flyway = platform;
              });
    }
    return event.getBean();
  }
}
