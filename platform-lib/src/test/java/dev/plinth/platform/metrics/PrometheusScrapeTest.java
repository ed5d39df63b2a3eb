package dev.plinth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestModes;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus scrape endpoint on the management port, and its off switch. */
class PrometheusScrapeTest {
  @TempDir Path dataDir;

  private InProcessMode startWeb(Map<String, String> variables, Map<String, Object> properties) {
    return InProcessMode.startPlatform(TestModes.WEB, dataDir, variables, properties);
  }

  private static final Map<String, Object> HELLO = Map.of("plinth.test.hello-controller", true);

  @Test
  void scrapeServesHttpTimersJvmAndPoolMetricsOnTheManagementPort() {
    try (InProcessMode web = startWeb(Map.of(), HELLO)) {
      assertThat(web.get("/test/metrics/hello/ada").body()).isEqualTo("hello ada");
      assertThat(web.get("/test/metrics/hello/bob").statusCode()).isEqualTo(200);

      HttpResponse<String> scrape = web.get(web.managementPort(), "/prometheus");

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
      assertThat(web.get("/prometheus").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsSwitchOff() {
    try (InProcessMode web = startWeb(Map.of("PLINTH_METRICS_ENABLED", "false"), HELLO)) {
      assertThat(web.context().containsBean(MeterRegistry.class)).isFalse();
      assertThat(web.get(web.managementPort(), "/prometheus").statusCode()).isEqualTo(404);
      assertThat(web.get(web.managementPort(), "/health").statusCode()).isEqualTo(200);
    }
  }
}
