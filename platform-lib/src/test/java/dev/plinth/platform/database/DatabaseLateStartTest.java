package dev.plinth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PlatformTestApplication;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TcpProxy;
import dev.plinth.platform.testing.TestModes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A database that answers only after the process has begun to start (as in a compose stack) does
 * not fail the start: the migration at start-up retries the connection (plinth-defaults).
 */
class DatabaseLateStartTest {
  @Test
  void startsOnceTheDatabaseAnswers(@TempDir Path dataDir) throws Exception {
    // Flyway says when it retries: that is the moment the database must come up, no earlier.
    Logger flywayJdbc =
        (Logger) LoggerFactory.getLogger("org.flywaydb.core.internal.jdbc.JdbcUtils");
    AtomicBoolean retried = new AtomicBoolean();
    AppenderBase<ILoggingEvent> watcher =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains("Retrying")) {
              retried.set(true);
            }
          }
        };
    watcher.start();
    flywayJdbc.addAppender(watcher);
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.host(), PostgresTestDatabase.port())) {
      proxy.refuseConnections();
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(database.environment("127.0.0.1", proxy.port()));

      CompletableFuture<InProcessMode> starting =
          CompletableFuture.supplyAsync(
              () -> InProcessMode.start(TestModes.WEB, PlatformTestApplication.class, env));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> retried.get() || starting.isDone());
        assertThat(starting).as("start-up gave up instead of retrying the database").isNotDone();
        proxy.forwardConnections();

        try (InProcessMode web = starting.get(120, TimeUnit.SECONDS)) {
          assertThat(web.get("/__heartbeat__").statusCode()).isEqualTo(200);
        }
      } finally {
        // Whatever happened above, a context that did start must not outlive the test.
        starting.thenAccept(InProcessMode::close);
      }
    } finally {
      flywayJdbc.detachAppender(watcher);
    }
  }
}
