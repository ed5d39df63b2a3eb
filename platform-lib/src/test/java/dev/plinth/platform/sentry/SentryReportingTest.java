package dev.plinth.platform.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestModes;
import io.sentry.Sentry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Sentry through the real SDK against a local endpoint that receives its envelopes. */
class SentryReportingTest {
  @TempDir Path dataDir;

  private InProcessMode startWeb(Map<String, String> variables, Map<String, Object> properties) {
    return InProcessMode.startPlatform(TestModes.WEB, dataDir, variables, properties);
  }

  private static final String SECRET_KEY = "sentry-test-secret-key-98765";
  private static final String COOKIE = "session-cookie-value-4711";
  private static final String QUERY_SECRET = "query-secret-value-0815";
  private static final String BEARER = "bearer-token-value-0815";

  private static LocalSentryServer sentry;

  @BeforeAll
  static void startSentry() throws IOException {
    sentry = new LocalSentryServer();
  }

  @AfterAll
  static void stopSentry() {
    sentry.close();
  }

  @Test
  void errorsArriveOnceTaggedAndScrubbed() throws IOException {
    Path versionFile = Files.createTempFile("version", ".json");
    Files.writeString(
        versionFile,
        "{\"source\":\"https://example.org/plinth\",\"version\":\"1.2.3\",\"commit\":\"abc123\","
            + "\"build\":\"https://ci/42\"}");
    Map<String, String> env =
        Map.of(
            "SENTRY_DSN",
            sentry.dsn(),
            "APP_ENVIRONMENT",
            "staging",
            "APP_SECRET_KEY",
            SECRET_KEY,
            "HOSTNAME",
            "web-7f9c");
    Map<String, Object> properties =
        Map.of(
            "plinth.test.failing-controller",
            true,
            "plinth.sentry.version-file",
            versionFile.toString());
    try (InProcessMode web = startWeb(env, properties)) {
      assertThat(web.context().getBean(ErrorReporter.class)).isNotSameAs(ErrorReporter.NONE);

      HttpResponse<String> response =
          web.get(
              web.port(),
              "/test/sentry/boom?page=2&password=" + QUERY_SECRET + "&api_key=" + QUERY_SECRET,
              Map.of(
                  "X-Request-Id", "req-sentry-1",
                  "Cookie", "session=" + COOKIE,
                  "Authorization", "Bearer " + BEARER,
                  "X-Auth-Token", BEARER,
                  "Referer", "https://example.org/?token=" + QUERY_SECRET));
      assertThat(response.statusCode()).isEqualTo(500);
      Sentry.flush(5000);
      await().atMost(Duration.ofSeconds(10)).until(() -> !sentry.events().isEmpty());
      List<String> events = sentry.events();
      assertThat(events).hasSize(1);
      String event = events.get(0);
      assertThat(event)
          .contains("\"release\":\"1.2.3\"")
          .contains("\"environment\":\"staging\"")
          .contains("\"server_name\":\"web-7f9c\"")
          .contains("\"rid\":\"req-sentry-1\"")
          .contains("IllegalStateException")
          .contains("/test/sentry/boom")
          .contains("page=2")
          .doesNotContain(QUERY_SECRET)
          .doesNotContain(SECRET_KEY)
          .doesNotContain(COOKIE)
          .doesNotContain(BEARER);

      // An ERROR log line from task code, with the task id and its user in the MDC.
      MDC.put("task_id", "task-42");
      MDC.put("uid", "alice");
      try {
        LoggerFactory.getLogger("dev.plinth.service.tasks")
            .error("task failed using " + SECRET_KEY, new IllegalArgumentException(SECRET_KEY));
        web.context()
            .getBean(ErrorReporter.class)
            .report(new UnsupportedOperationException("command failed " + SECRET_KEY));
      } finally {
        MDC.remove("task_id");
        MDC.remove("uid");
      }
      Sentry.flush(5000);
      await().atMost(Duration.ofSeconds(10)).until(() -> sentry.events().size() == 3);
      for (String later : sentry.events().subList(1, 3)) {
        assertThat(later)
            .contains("\"task_id\":\"task-42\"")
            .containsPattern("\"user\":\\{\"id\":\"alice\"\\}")
            .doesNotContain(SECRET_KEY);
      }
      assertThat(sentry.envelopes()).noneMatch(e -> e.contains(SECRET_KEY));
    }
    assertThat(Sentry.isEnabled()).isFalse();
  }

  @Test
  void nothingIsSentWithoutDsnOrWhenSwitchedOff() {
    int before = sentry.envelopes().size();
    Map<String, Object> properties = Map.of("plinth.test.failing-controller", true);
    try (InProcessMode web = startWeb(Map.of("APP_SECRET_KEY", SECRET_KEY), properties)) {
      assertOff(web);
    }
    try (InProcessMode web =
        startWeb(
            Map.of(
                "APP_SECRET_KEY",
                SECRET_KEY,
                "SENTRY_DSN",
                sentry.dsn(),
                "PLINTH_SENTRY_ENABLED",
                "false"),
            properties)) {
      assertOff(web);
    }
    assertThat(sentry.envelopes()).hasSize(before);
  }

  private static void assertOff(InProcessMode web) {
    assertThat(web.context().containsBean(SentryLifecycle.class)).isFalse();
    assertThat(web.context().getBean(ErrorReporter.class)).isSameAs(ErrorReporter.NONE);
    assertThat(web.get("/test/sentry/boom").statusCode()).isEqualTo(500);
    web.context().getBean(ErrorReporter.class).report(new IllegalStateException("ignored"));
    assertThat(Sentry.isEnabled()).isFalse();
  }
}
