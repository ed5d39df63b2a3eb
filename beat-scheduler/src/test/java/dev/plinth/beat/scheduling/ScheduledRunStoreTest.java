package dev.plinth.beat.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.MariaDbTestDatabase;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestDatabase;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.jdbc.DataSourceResolver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run store's SQL on each engine, on the data source and migrations the contract sets up: the
 * embedded H2, PostgreSQL and MariaDB.
 */
class ScheduledRunStoreTest {
  static Stream<Arguments> engines() {
    Supplier<TestDatabase> none = () -> null;
    Supplier<TestDatabase> postgres = PostgresTestDatabase::create;
    Supplier<TestDatabase> mariadb = MariaDbTestDatabase::create;
    return Stream.of(
        Arguments.of("h2", none),
        Arguments.of("postgresql", postgres),
        Arguments.of("mariadb", mariadb));
  }

  private static DueRun run(String schedule, Instant due) {
    return new DueRun(schedule, "example.tick", "{}", null, due, schedule + "-" + due);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aRunIsClaimedOnceItsDueTimesRoundTripAndThePurgeKeepsTheLatest(
      String engine, Supplier<TestDatabase> databases, @TempDir Path dataDir) throws Exception {
    TestDatabase database = databases.get();
    // A zone of the JVM's that is not UTC, with a DST change on the test's date: nothing may lean
    // on the JVM's zone to store or read an instant.
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Europe/London"));
    Map<String, String> env = database == null ? Map.of() : database.environment();
    try (InProcessMode task = InProcessMode.startPlatform(TestModes.TASK, dataDir, env, Map.of())) {
      DataSource dataSource =
          task.context()
              .getBean(DataSourceResolver.class)
              .resolve(task.context().getBean(DataSource.class));
      ScheduledRunStore store = new ScheduledRunStore(dataSource);
      Instant t0 = Instant.parse("2026-03-29T00:59:00.123456Z");
      Instant t1 = t0.plusSeconds(60);
      Instant t2 = t0.plusSeconds(120);
      Instant now = Instant.parse("2026-03-29T02:00:00Z");

      // The primary key decides: the second claim of one due run reports false.
      assertThat(store.claim(run("a", t0), false, "node-1", now)).isTrue();
      assertThat(store.claim(run("a", t0), false, "node-2", now)).isFalse();
      assertThat(store.claim(run("a", t1), false, "node-1", now)).isTrue();
      assertThat(store.claim(run("a", t2), false, "node-1", now)).isTrue();
      assertThat(store.claim(run("b", t0), true, "node-1", now)).isTrue();
      store.markPublished(run("a", t1), now);
      store.markPublished(run("a", t2), now);

      // Microseconds and the instant itself survive, whatever the JVM's time zone.
      assertThat(store.lastDueTimes()).containsExactlyInAnyOrderEntriesOf(Map.of("a", t2, "b", t0));
      assertThat(store.countUnpublished(now.plusSeconds(1))).isEqualTo(1);

      // t1 is published and not a's latest: it goes. t0 was never published, t2 is the latest,
      // and b's only row is its latest: they stay.
      assertThat(store.purge(now)).isEqualTo(1);
      assertThat(store.lastDueTimes()).containsExactlyInAnyOrderEntriesOf(Map.of("a", t2, "b", t0));
      assertThat(store.countUnpublished(now.plusSeconds(1))).isEqualTo(1);
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
      if (database != null) {
        database.close();
      }
    }
  }
}
