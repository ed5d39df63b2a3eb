package dev.plinth.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starts a WEB-mode context in-process on a random port, calls it over HTTP and reads the mozlog
 * lines it writes: one request.summary per request, and the request id on every line of it.
 */
class RequestLoggingTest {
  private static final String HEX_ID = "[0-9a-f]{32}";

  @TempDir static Path dataDir;

  private static ApplicationContext context;
  private static HttpClient httpClient;
  private static BlockingHttpClient client;
  private CapturedLog log;

  @BeforeAll
  static void start() {
    context =
        PlinthApplication.builder(
                TestModes.WEB,
                LoggingTestApplication.class,
                Map.of(
                    "APP_DEBUG", "true",
                    "PORT", "0",
                    "APP_MANAGEMENT_PORT", "0",
                    "APP_DATA_DIR", dataDir.toString()))
            .properties(
                Map.of(
                    LoggingTestApplication.ENABLED,
                    "true",
                    PlinthProperties.REQUEST_SUMMARY + ".exclude-paths",
                    List.of("/logging-test/excluded")))
            .start();
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    assertThat(server.getPort()).as("PORT=0 gives a random port").isPositive();
    httpClient = HttpClient.create(server.getURL());
    client = httpClient.toBlocking();
  }

  @AfterAll
  static void stop() {
    if (httpClient != null) {
      httpClient.close();
    }
    if (context != null) {
      context.close();
    }
  }

  @BeforeEach
  void capture() {
    log = CapturedLog.root();
  }

  @AfterEach
  void release() {
    log.close();
  }

  private List<JsonNode> summaries(String rid) {
    return log.lines().stream()
        .filter(line -> line.get("Type").textValue().equals(RequestSummaryLog.LOGGER_NAME))
        .filter(line -> rid.equals(line.get("Fields").path("rid").textValue()))
        .toList();
  }

  private List<JsonNode> controllerLines() {
    return log.lines().stream()
        .filter(
            line -> line.get("Type").textValue().equals(LoggingTestApplication.CONTROLLER_LOGGER))
        .toList();
  }

  /** The one summary of the request with this rid (waits for it, then checks it stays one). */
  private JsonNode onlySummary(String rid) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !summaries(rid).isEmpty());
    List<JsonNode> summaries = summaries(rid);
    assertThat(summaries).hasSize(1);
    return summaries.get(0);
  }

  @Test
  void logsOneSummaryWithEveryFieldAndEchoesTheCallersRequestId() {
    MutableHttpRequest<?> request =
        HttpRequest.GET("/logging-test/hello?a=1&b=x%20y")
            .header("X-Request-ID", "caller-rid.1_A")
            .header("User-Agent", "plinth-test/1.0")
            .header("Accept-Language", "fr-CH, fr;q=0.9");

    HttpResponse<String> response = client.exchange(request, String.class);

    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.header("X-Request-ID")).isEqualTo("caller-rid.1_A");
    JsonNode summary = onlySummary("caller-rid.1_A");
    assertThat(summary.get("Severity").intValue()).isEqualTo(6);
    assertThat(summary.get("Logger").textValue()).isEqualTo("plinth-test");
    JsonNode fields = summary.get("Fields");
    assertThat(fields.get("path").textValue()).isEqualTo("/logging-test/hello");
    assertThat(fields.get("method").textValue()).isEqualTo("GET");
    assertThat(fields.get("code").isInt()).isTrue();
    assertThat(fields.get("code").intValue()).isEqualTo(200);
    assertThat(fields.get("errno").intValue()).isZero();
    assertThat(fields.get("t").isIntegralNumber()).isTrue();
    assertThat(fields.get("t").longValue()).isNotNegative();
    assertThat(fields.get("agent").textValue()).isEqualTo("plinth-test/1.0");
    assertThat(fields.get("lang").textValue()).isEqualTo("fr-CH, fr;q=0.9");
    assertThat(fields.get("uid").textValue()).isEmpty();
    assertThat(fields.get("querystring").textValue()).isEqualTo("a=1&b=x%20y");
    assertThat(fields.has("msg")).isFalse();

    List<JsonNode> controller = controllerLines();
    assertThat(controller).hasSize(1);
    assertThat(controller.get(0).get("Fields").get("rid").textValue()).isEqualTo("caller-rid.1_A");
  }

  @Test
  void theLoadBalancerHeartbeatAnsweredInThePipelineLogsTheSameSummary() {
    MutableHttpRequest<?> request =
        HttpRequest.GET("/__lbheartbeat__?probe=1")
            .header("X-Request-ID", "lb-probe-1")
            .header("User-Agent", "ELB-HealthChecker/2.0")
            .header("Accept-Language", "de");

    HttpResponse<String> response = client.exchange(request, String.class);

    assertThat(response.code()).isEqualTo(200);
    assertThat(response.header("X-Request-ID")).isEqualTo("lb-probe-1");
    JsonNode fields = onlySummary("lb-probe-1").get("Fields");
    assertThat(fields.get("path").textValue()).isEqualTo("/__lbheartbeat__");
    assertThat(fields.get("method").textValue()).isEqualTo("GET");
    assertThat(fields.get("code").intValue()).isEqualTo(200);
    assertThat(fields.get("errno").intValue()).isZero();
    assertThat(fields.get("t").longValue()).isNotNegative();
    assertThat(fields.get("agent").textValue()).isEqualTo("ELB-HealthChecker/2.0");
    assertThat(fields.get("lang").textValue()).isEqualTo("de");
    assertThat(fields.get("uid").textValue()).isEmpty();
    assertThat(fields.get("querystring").textValue()).isEqualTo("probe=1");
  }

  @Test
  void generatesARequestIdWhenNoneIsGiven() {
    HttpResponse<String> response =
        client.exchange(HttpRequest.GET("/logging-test/hello"), String.class);

    String rid = response.header("X-Request-ID");
    assertThat(rid).matches(HEX_ID);
    JsonNode fields = onlySummary(rid).get("Fields");
    assertThat(fields.has("querystring")).isFalse();
    assertThat(fields.get("agent").isTextual()).isTrue();
    assertThat(fields.get("lang").textValue()).isEmpty();
    assertThat(controllerLines())
        .singleElement()
        .satisfies(line -> assertThat(line.get("Fields").get("rid").textValue()).isEqualTo(rid));
  }

  @Test
  void replacesAnUnsafeRequestId() {
    for (String unsafe : List.of("has space", "x".repeat(129), "quote\"", "semi;colon", "é")) {
      HttpResponse<String> response =
          client.exchange(
              HttpRequest.GET("/logging-test/hello").header("X-Request-ID", unsafe), String.class);

      String rid = response.header("X-Request-ID");
      assertThat(rid).as(unsafe).matches(HEX_ID);
      onlySummary(rid);
    }
    assertThat(log.text()).doesNotContain("has space", "semi;colon");
  }

  @Test
  void namesTheAuthenticatedPrincipalAsUid() {
    client.exchange(
        HttpRequest.GET("/logging-test/hello")
            .header("X-Request-ID", "user-rid")
            .header("X-Test-User", "alice"),
        String.class);

    assertThat(onlySummary("user-rid").get("Fields").get("uid").textValue()).isEqualTo("alice");
  }

  @Test
  void acceptsARequestIdOfExactly128Characters() {
    String longest = "a".repeat(128);
    HttpResponse<String> response =
        client.exchange(
            HttpRequest.GET("/logging-test/hello").header("X-Request-ID", longest), String.class);

    assertThat(response.header("X-Request-ID")).isEqualTo(longest);
    onlySummary(longest);
  }

  @Test
  void carriesTheRequestIdOntoTheBlockingExecutor() {
    HttpResponse<String> response =
        client.exchange(
            HttpRequest.GET("/logging-test/blocking").header("X-Request-ID", "blocking-rid"),
            String.class);

    assertThat(response.body()).as("RequestIds.current() in the route").isEqualTo("blocking-rid");
    JsonNode line = controllerLines().get(0);
    assertThat(line.get("Fields").get("rid").textValue()).isEqualTo("blocking-rid");
    assertThat(line.get("Fields").get("thread").textValue()).doesNotContain("event-loop");
    onlySummary("blocking-rid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/logging-test/fail", "/logging-test/fail-blocking"})
  void logsOneSummaryForAServerError(String path) {
    HttpClientResponseException error =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () ->
                client.exchange(
                    HttpRequest.GET(path).header("X-Request-ID", "failing-rid"), String.class));

    assertThat(error.getStatus().getCode()).isEqualTo(500);
    assertThat(error.getResponse().header("X-Request-ID")).isEqualTo("failing-rid");
    JsonNode fields = onlySummary("failing-rid").get("Fields");
    assertThat(fields.get("code").intValue()).isEqualTo(500);
    assertThat(fields.get("errno").intValue()).isEqualTo(500);
    assertThat(onlySummary("failing-rid").get("Severity").intValue()).isEqualTo(6);
    // Micronaut's own error line for the exception carries the rid too.
    assertThat(log.lines())
        .filteredOn(line -> line.get("Fields").has("traceback"))
        .isNotEmpty()
        .allSatisfy(
            line -> assertThat(line.get("Fields").get("rid").textValue()).isEqualTo("failing-rid"));
  }

  @Test
  void logsOneSummaryForANotFound() {
    HttpClientResponseException error =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () ->
                client.exchange(
                    HttpRequest.GET("/logging-test/nowhere").header("X-Request-ID", "missing-rid"),
                    String.class));

    assertThat(error.getStatus().getCode()).isEqualTo(404);
    JsonNode fields = onlySummary("missing-rid").get("Fields");
    assertThat(fields.get("code").intValue()).isEqualTo(404);
    assertThat(fields.get("errno").intValue()).isEqualTo(404);
    assertThat(fields.get("path").textValue()).isEqualTo("/logging-test/nowhere");
  }

  @Test
  void skipsTheSummaryOfAnExcludedPathButStillEchoesTheRequestId() {
    HttpResponse<String> excluded =
        client.exchange(
            HttpRequest.GET("/logging-test/excluded").header("X-Request-ID", "excluded-rid"),
            String.class);
    // A request after it, to know the server has written everything the first one would have.
    client.exchange(
        HttpRequest.GET("/logging-test/hello").header("X-Request-ID", "after-excluded"),
        String.class);

    assertThat(excluded.header("X-Request-ID")).isEqualTo("excluded-rid");
    onlySummary("after-excluded");
    assertThat(summaries("excluded-rid")).isEmpty();
  }

  @Test
  void leavesNoRequestIdBehindOnServerThreads() {
    client.exchange(
        HttpRequest.GET("/logging-test/hello").header("X-Request-ID", "first-rid"), String.class);
    HttpResponse<String> second =
        client.exchange(HttpRequest.GET("/logging-test/blocking"), String.class);

    assertThat(second.body()).isNotEqualTo("first-rid").matches(HEX_ID);
  }

  @Test
  void reportsTheRealPort() {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);

    assertThat(URI.create(server.getURL().toString()).getPort()).isEqualTo(server.getPort());
  }
}
