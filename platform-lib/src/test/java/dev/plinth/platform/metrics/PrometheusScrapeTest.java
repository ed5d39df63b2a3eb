package dev.plinth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.secrets.TestWeb;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape endpoint on the management port, and its off switch. */
class PrometheusScrapeTest {
  private static final Map<String, Object> HELLO = Map.of("plinth.test.hello-controller", true);

  @Test
  void scrapeServesHttpTimersJvmAndPoolMetricsOnTheManagementPort() {
    try (TestWeb web = TestWeb.start(Map.of(), HELLO)) {
      assertThat(web.get("/test/metrics/hello/ada", Map.of()).body()).isEqualTo("hello ada");
      assertThat(web.get("/test/metrics/hello/bob", Map.of()).statusCode()).isEqualTo(200);

      HttpResponse<String> scrape = web.management("/prometheus");

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("text/plain");
      assertThat(scrape.body())
          .containsPattern(
              "http_server_requests_seconds_count\\{[^}]*uri=\"/test/metrics/hello/\\{name}\"[^}]*} 2")
          .contains("# TYPE http_server_requests_seconds summary")
          .contains("jvm_memory_used_bytes")
          .contains("jvm_threads_live_threads")
          .contains("hikaricp_connections")
          .contains("application=\"plinth\"");
      // Public and management ports are apart: no scrape on the public one.
      assertThat(web.get("/prometheus", Map.of()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsSwitchOff() {
    try (TestWeb web = TestWeb.start(Map.of("PLINTH_METRICS_ENABLED", "false"), HELLO)) {
      assertThat(web.context().containsBean(MeterRegistry.class)).isFalse();
      assertThat(web.management("/prometheus").statusCode()).isEqualTo(404);
      assertThat(web.management("/health").statusCode()).isEqualTo(200);
    }
  }
}
