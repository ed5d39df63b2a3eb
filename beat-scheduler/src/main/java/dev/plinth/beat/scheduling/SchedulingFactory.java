package dev.plinth.beat.scheduling;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/** The scheduler's collaborators that are not its own classes. */
@Factory
class SchedulingFactory {
  /** The system clock in UTC; a test replaces it with a clock it moves. */
  @Singleton
  @Secondary
  Clock clock() {
    return Clock.systemUTC();
  }

  /** ShedLock on the service's database (table {@code shedlock}, platform migration V3). */
  @Singleton
  @Requires(property = BeatConfiguration.ENABLED, notEquals = "false")
  LockProvider lockProvider(DataSource dataSource, DataSourceResolver resolver) {
    return new JdbcLockProvider(resolver.resolve(dataSource), "shedlock");
  }
}
