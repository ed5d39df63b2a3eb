package dev.plinth.platform.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatRegistryTest {
  private final List<HeartbeatRegistry> registries = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeRegistries() {
    release.countDown();
    registries.forEach(HeartbeatRegistry::close);
  }

  @Test
  void noChecksIsOk() {
    HeartbeatReport report = registry(List.of()).run();

    assertThat(report.status()).isEqualTo("ok");
    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.body())
        .isEqualTo(Map.of("status", "ok", "checks", Map.of(), "details", Map.of()));
  }

  @Test
  void theWorstLevelDecidesStatusAndCode() {
    HeartbeatReport warning =
        registry(
                List.of(
                    check("a", List.of()),
                    check("b", List.of(CheckMessage.warning("x.b.W001", "careful"))),
                    check("c", List.of(CheckMessage.info("x.c.I001", "fyi")))))
            .run();
    assertThat(warning.status()).isEqualTo("warning");
    assertThat(warning.httpStatus()).isEqualTo(200);

    HeartbeatReport error =
        registry(
                List.of(
                    check("a", List.of(CheckMessage.warning("x.a.W001", "careful"))),
                    check("b", List.of(CheckMessage.error("x.b.E001", "broken")))))
            .run();
    assertThat(error.status()).isEqualTo("error");
    assertThat(error.httpStatus()).isEqualTo(500);

    HeartbeatReport critical =
        registry(
                List.of(
                    check(
                        "a",
                        List.of(
                            new CheckMessage(CheckLevel.CRITICAL, "x.a.C001", "on fire"),
                            CheckMessage.error("x.a.E001", "broken")))))
            .run();
    assertThat(critical.status()).isEqualTo("critical");
    assertThat(critical.httpStatus()).isEqualTo(500);
    assertThat(critical.results().get("a").level()).isEqualTo(CheckLevel.CRITICAL);
  }

  @Test
  void bodyHasTheDockerflowShapeWithDetailsForChecksThatSaidSomething() {
    HeartbeatReport report =
        registry(
                List.of(
                    check("quiet", List.of()),
                    check(
                        "loud",
                        List.of(
                            CheckMessage.warning("x.loud.W001", "first"),
                            CheckMessage.error("x.loud.E001", "second"),
                            CheckMessage.error("x.loud.E001", "a repeated id keeps the first")))))
            .run();

    assertThat(report.body())
        .isEqualTo(
            Map.of(
                "status",
                "error",
                "checks",
                Map.of("loud", "error", "quiet", "ok"),
                "details",
                Map.of(
                    "loud",
                    Map.of(
                        "status",
                        "error",
                        "level",
                        40,
                        "messages",
                        Map.of("x.loud.W001", "first", "x.loud.E001", "second")))));
  }

  @Test
  void checksAreListedByNameWhateverTheRegistrationOrder() {
    HeartbeatRegistry registry =
        registry(
            List.of(
                check("redis", List.of()),
                check("database", List.of(CheckMessage.error("x.E1", "down"))),
                check("migrations", List.of(CheckMessage.error("x.E2", "pending")))));

    assertThat(registry.names()).containsExactly("database", "migrations", "redis");
    HeartbeatReport report = registry.run();
    assertThat(keys(report.body())).containsExactly("status", "checks", "details");
    assertThat(keys(report.body().get("checks")))
        .containsExactly("database", "migrations", "redis");
    assertThat(keys(report.body().get("details"))).containsExactly("database", "migrations");
  }

  @Test
  void namesMustBeDistinctAndPresent() {
    assertThatThrownBy(() -> registry(List.of(check("db", List.of()), check("db", List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two health checks are named db");
    assertThatThrownBy(() -> registry(List.of(check(" ", List.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no name");
    assertThatThrownBy(() -> new HeartbeatRegistry(List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anExceptionBecomesAnErrorNamingItsClassButNotItsMessage() {
    HealthCheck leaky =
        new Named("database") {
          @Override
          public List<CheckMessage> run() throws Exception {
            throw new java.sql.SQLException("password=hunter2 for jdbc:postgresql://db/x");
          }
        };

    HeartbeatReport report = registry(List.of(leaky, check("other", List.of()))).run();

    assertThat(report.httpStatus()).isEqualTo(500);
    CheckResult result = report.results().get("database");
    assertThat(result.level()).isEqualTo(CheckLevel.ERROR);
    assertThat(result.messages()).hasSize(1);
    CheckMessage message = result.messages().get(0);
    assertThat(message.id()).isEqualTo("plinth.database.E000");
    assertThat(message.text()).contains("java.sql.SQLException").doesNotContain("hunter2", "jdbc:");
    assertThat(report.results().get("other").level()).isEqualTo(CheckLevel.OK);
  }

  @Test
  void aNullResultIsAnError() {
    HealthCheck sloppy =
        new Named("sloppy") {
          @Override
          public List<CheckMessage> run() {
            return null;
          }
        };

    CheckResult result = registry(List.of(sloppy)).run().results().get("sloppy");

    assertThat(result.messages())
        .containsExactly(
            CheckMessage.error("plinth.sloppy.E000", "The sloppy check returned null."));
  }

  @Test
  void aCheckThatOverrunsItsLimitIsAnErrorAndTheOthersStillAnswer() {
    HeartbeatRegistry registry =
        new HeartbeatRegistry(
            List.of(hanging("slow"), check("fast", List.of())), Duration.ofMillis(200));
    registries.add(registry);

    HeartbeatReport report = registry.run();

    assertThat(report.httpStatus()).isEqualTo(500);
    assertThat(report.results().get("slow").messages())
        .containsExactly(
            CheckMessage.error("plinth.slow.E000", "The slow check did not finish within 200 ms."));
    assertThat(report.results().get("fast").level()).isEqualTo(CheckLevel.OK);
  }

  @Test
  void aCheckMayDeclareItsOwnLimitAndTimeoutMessage() {
    HealthCheck declared =
        new Named("database") {
          @Override
          public List<CheckMessage> run() throws InterruptedException {
            release.await();
            return List.of();
          }

          @Override
          public Optional<Duration> timeout() {
            return Optional.of(Duration.ofMillis(50));
          }

          @Override
          public CheckMessage timeoutMessage(Duration limit) {
            return CheckMessage.error("plinth.database.E001", "no answer in " + limit.toMillis());
          }
        };
    // The registry default would wait far longer than the test runs.
    HeartbeatRegistry registry = new HeartbeatRegistry(List.of(declared), Duration.ofHours(1));
    registries.add(registry);

    assertThat(registry.run().results().get("database").messages())
        .containsExactly(CheckMessage.error("plinth.database.E001", "no answer in 50"));
  }

  @Test
  void checksRunConcurrently() {
    // Each check waits for the other at a barrier: sequential runs could never pass it.
    CyclicBarrier barrier = new CyclicBarrier(2);
    List<HealthCheck> checks = new ArrayList<>();
    for (String name : List.of("left", "right")) {
      checks.add(
          new Named(name) {
            @Override
            public List<CheckMessage> run() throws Exception {
              barrier.await(30, TimeUnit.SECONDS);
              return List.of();
            }
          });
    }
    HeartbeatRegistry registry = new HeartbeatRegistry(checks, Duration.ofSeconds(30));
    registries.add(registry);

    HeartbeatReport report = registry.run();

    assertThat(report.status()).isEqualTo("ok");
  }

  @Test
  void aHungCheckIsJoinedNotStartedAgain() {
    AtomicInteger starts = new AtomicInteger();
    HealthCheck hung =
        new Named("hung") {
          @Override
          public List<CheckMessage> run() throws InterruptedException {
            starts.incrementAndGet();
            release.await();
            return List.of(CheckMessage.warning("plinth.hung.W001", "late"));
          }
        };
    HeartbeatRegistry registry = new HeartbeatRegistry(List.of(hung), Duration.ofMillis(100));
    registries.add(registry);

    assertThat(registry.run().results().get("hung").messages().get(0).id())
        .isEqualTo("plinth.hung.E000");
    assertThat(registry.run().results().get("hung").messages().get(0).id())
        .isEqualTo("plinth.hung.E000");
    assertThat(starts).hasValue(1);

    // Once the stuck run ends, the next heartbeat starts a fresh run.
    release.countDown();
    org.awaitility.Awaitility.await()
        .untilAsserted(
            () -> {
              registry.run();
              assertThat(starts).hasValue(2);
            });
  }

  private HeartbeatRegistry registry(List<HealthCheck> checks) {
    HeartbeatRegistry registry = new HeartbeatRegistry(checks, Duration.ofSeconds(30));
    registries.add(registry);
    return registry;
  }

  private HealthCheck hanging(String name) {
    return new Named(name) {
      @Override
      public List<CheckMessage> run() throws InterruptedException {
        release.await();
        return List.of();
      }
    };
  }

  private static HealthCheck check(String name, List<CheckMessage> messages) {
    return new Named(name) {
      @Override
      public List<CheckMessage> run() {
        return messages;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static List<String> keys(Object map) {
    return new ArrayList<>(((Map<String, Object>) map).keySet());
  }

  private abstract static class Named implements HealthCheck {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
