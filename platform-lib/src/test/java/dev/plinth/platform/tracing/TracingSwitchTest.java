package dev.plinth.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestModes;
import io.micronaut.tracing.opentelemetry.instrument.http.server.OpenTelemetryServerFilter;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both sides of the switch: without an OTLP endpoint the process holds no OpenTelemetry SDK and no
 * span filter (the task layer's spans are no-ops); with one, all are there.
 */
class TracingSwitchTest {
  @Test
  void withoutAnEndpointOpenTelemetryIsNotThere() throws Exception {
    try (InProcessMode web =
        InProcessMode.startPlatform(
            TestModes.WEB, Files.createTempDirectory("plinth-otel-off"), Map.of(), Map.of())) {
      assertThat(web.context().containsBean(OpenTelemetry.class)).isFalse();
      assertThat(web.context().containsBean(OpenTelemetryServerFilter.class)).isFalse();
      assertThat(web.context().getBean(TaskTracing.class).enabled()).isFalse();
    }
  }

  @Test
  void anEndpointSwitchesTheSdkTheFilterAndTheTaskSpansOn() throws Exception {
    try (LocalOtlpReceiver receiver = new LocalOtlpReceiver();
        InProcessMode web =
            InProcessMode.startPlatform(
                TestModes.WEB,
                Files.createTempDirectory("plinth-otel-on"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()),
                Map.of())) {
      assertThat(web.context().containsBean(OpenTelemetry.class)).isTrue();
      assertThat(web.context().containsBean(OpenTelemetryServerFilter.class)).isTrue();
      assertThat(web.context().getBean(TaskTracing.class).enabled()).isTrue();
    }
  }
}
