package dev.plinth.platform.database;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code plinth.database.checks.*}: the heartbeat's {@code database} and {@code migrations} checks.
 * The defaults are the constants here.
 */
@ConfigurationProperties(PlinthProperties.DATABASE_CHECKS)
public class DatabaseChecksConfiguration {

  /** The checks are registered unless {@code plinth.database.checks.enabled=false}. */
  public static final boolean DEFAULT_ENABLED = true;

  /**
   * Below the heartbeat's default 3 s and below Hikari's connection-timeout (3 s), so that a dead
   * database is reported by this check's own message while the pool is still waiting.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private boolean enabled = DEFAULT_ENABLED;
  private Duration timeout = DEFAULT_TIMEOUT;

  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled false leaves both checks out of the heartbeat
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getTimeout() {
    return timeout;
  }

  /**
   * @param timeout how long a heartbeat waits for the database before calling it unreachable
   */
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }
}
