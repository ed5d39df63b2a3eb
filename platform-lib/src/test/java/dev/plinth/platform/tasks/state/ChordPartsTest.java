package dev.plinth.platform.tasks.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.testing.MariaDbTestDatabase;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chord's count in the run-state store (migration V6), on the local PostgreSQL and MariaDB: each
 * part counts once however often it is delivered, only the part that completed the count is told to
 * publish the body (again on its own redelivery, until the body is marked published), parts
 * finishing at once on many connections complete it exactly once, and a failed part stops it.
 */
class ChordPartsTest {
  private static TestDatabase database(String engine) {
    return engine.equals("postgresql")
        ? PostgresTestDatabase.create()
        : MariaDbTestDatabase.create();
  }

  private static ChordParts chords(TestDatabase db) throws Exception {
    return new ChordParts(db.withPlatformSchema(), new TasksConfiguration());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void eachPartCountsOnceAndOnlyTheCompletingOnePublishes(String engine) throws Exception {
    try (TestDatabase db = database(engine)) {
      ChordParts chords = chords(db);
      String group = UUID.randomUUID().toString();
      assertThat(chords.partSucceeded(group, 0, 3, "0")).isEmpty();
      assertThat(chords.partSucceeded(group, 0, 3, "0")).as("a redelivery").isEmpty();
      assertThat(chords.partSucceeded(group, 2, 3, "20")).isEmpty();
      assertThat(chords.partSucceeded(group, 1, 3, "10")).contains(List.of("0", "10", "20"));
      // Its worker died before the body was out: the redelivery publishes it.
      assertThat(chords.partSucceeded(group, 1, 3, "10")).contains(List.of("0", "10", "20"));
      assertThat(chords.partSucceeded(group, 0, 3, "0")).as("not the completing part").isEmpty();
      chords.bodyPublished(group);
      assertThat(chords.partSucceeded(group, 1, 3, "10")).as("the body is out").isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void partsFinishingAtOnceCompleteTheCountExactlyOnce(String engine) throws Exception {
    try (TestDatabase db = database(engine)) {
      ChordParts chords = chords(db);
      int size = 20;
      List<String> expected =
          IntStream.range(0, size).mapToObj(i -> Integer.toString(i * i)).toList();
      for (int round = 0; round < 3; round++) {
        String group = UUID.randomUUID().toString();
        Map<Integer, List<String>> told = deliverAtOnce(chords, group, size);
        assertThat(told).as("round " + round).hasSize(1);
        assertThat(told.values().iterator().next()).containsExactlyElementsOf(expected);
        int completer = told.keySet().iterator().next();
        // Every part redelivered at once (their workers gone): only the completer's is told.
        assertThat(deliverAtOnce(chords, group, size)).containsOnlyKeys(completer);
        chords.bodyPublished(group);
        assertThat(deliverAtOnce(chords, group, size)).isEmpty();
      }
    }
  }

  /** Each of {@code size} parts delivered once, on 8 threads at once: the parts that were told. */
  private static Map<Integer, List<String>> deliverAtOnce(ChordParts chords, String group, int size)
      throws Exception {
    List<Integer> parts = new ArrayList<>(IntStream.range(0, size).boxed().toList());
    Collections.shuffle(parts);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Map<Integer, Future<Optional<List<String>>>> done = new LinkedHashMap<>();
      for (int part : parts) {
        done.put(
            part,
            pool.submit(
                () -> {
                  go.await();
                  return chords.partSucceeded(group, part, size, Integer.toString(part * part));
                }));
      }
      go.countDown();
      Map<Integer, List<String>> told = new LinkedHashMap<>();
      for (Map.Entry<Integer, Future<Optional<List<String>>>> e : done.entrySet()) {
        e.getValue().get().ifPresent(results -> told.put(e.getKey(), results));
      }
      return told;
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aFailedPartStopsTheBody(String engine) throws Exception {
    try (TestDatabase db = database(engine)) {
      ChordParts chords = chords(db);
      String group = UUID.randomUUID().toString();
      assertThat(chords.partSucceeded(group, 0, 2, "0")).isEmpty();
      assertThat(chords.partFailed(group, 2)).as("the first failure").isTrue();
      assertThat(chords.partFailed(group, 2)).as("told once").isFalse();
      assertThat(chords.partSucceeded(group, 1, 2, "1")).isEmpty();
    }
  }
}
