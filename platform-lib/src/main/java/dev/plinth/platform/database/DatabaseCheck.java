package dev.plinth.platform.database;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.dockerflow.CheckIds;
import dev.plinth.platform.dockerflow.CheckMessage;
import dev.plinth.platform.dockerflow.HealthCheck;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat check {@code database}: a pooled connection can be had and answers. {@code
 * plinth.database.E001} when not; the message names engine, host and database, never credentials.
 */
@Singleton
@Requires(beans = DataSource.class)
@Requires(property = PlinthProperties.DATABASE_CHECKS + ".enabled", notEquals = StringUtils.FALSE)
public class DatabaseCheck implements HealthCheck {
  public static final String NAME = CheckIds.DATABASE;
  public static final String UNREACHABLE = CheckIds.DATABASE_UNREACHABLE;

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseCheck.class);

  private final DataSource dataSource;
  private final String description;
  private final Duration timeout;

  DatabaseCheck(
      DataSource dataSource,
      @Nullable DataSourceResolver resolver,
      @Property(name = "datasources.default.url") @Nullable String jdbcUrl,
      DatabaseChecksConfiguration configuration) {
    // Past micronaut-data's contextual wrapper: the check wants a plain pooled connection.
    this.dataSource =
        (resolver != null ? resolver : DataSourceResolver.DEFAULT).resolve(dataSource);
    this.description = DatabaseDescription.of(jdbcUrl);
    this.timeout = configuration.getTimeout();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CheckMessage> run() {
    // The pool waits up to its connection-timeout for a dead database; the registry stops waiting
    // at this check's timeout and reports timeoutMessage, so no limit is needed here.
    try (Connection connection = dataSource.getConnection()) {
      int seconds = (int) Math.max(1, timeout.toSeconds());
      if (!connection.isValid(seconds)) {
        return List.of(
            CheckMessage.error(UNREACHABLE, capitalised(description) + " does not answer."));
      }
      return List.of();
    } catch (SQLException e) {
      LOG.atWarn()
          .addKeyValue("sql_state", e.getSQLState())
          .setCause(e)
          .log("Database check failed");
      return List.of(
          CheckMessage.error(
              UNREACHABLE,
              "Cannot reach "
                  + description
                  + " (SQL state "
                  + e.getSQLState()
                  + ", "
                  + e.getClass().getSimpleName()
                  + ")"
                  + tlsFailure(e)
                  + "."));
    }
  }

  // A refused handshake (DATABASE_SSLMODE, APP_CA_BUNDLE) says why: the fix is not the network.
  private static String tlsFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof javax.net.ssl.SSLException) {
        return ": TLS failed: " + cause.getMessage();
      }
    }
    return "";
  }

  @Override
  public Optional<Duration> timeout() {
    return Optional.of(timeout);
  }

  @Override
  public CheckMessage timeoutMessage(Duration limit) {
    return CheckMessage.error(
        UNREACHABLE,
        capitalised(description) + " did not answer within " + limit.toMillis() + " ms.");
  }

  private static String capitalised(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
