package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.LogCapture;
import dev.plinth.platform.tracing.LocalOtlpReceiver;
import dev.plinth.platform.tracing.LocalOtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A WORKER exporting to a local OTLP receiver: each attempt of a message that carries W3C trace
 * context is a consumer span of that trace, child of the publishing span, its retry a sibling; the
 * log lines written meanwhile name the trace and the attempt's span; a message without trace
 * context starts a trace of its own.
 */
class WorkerTracesTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PUBLISHER = "00f067aa0ba902b7";

  @Test
  void eachAttemptContinuesTheTraceItsMessageCarries() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-worker-traces");
    try (Connection rabbit = TaskTestSupport.rabbit();
        LocalOtlpReceiver receiver = new LocalOtlpReceiver();
        LogCapture logs = new LogCapture()) {
      Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
      env.put("PLINTH_TASKS_BACKOFF", "100ms");
      env.put("PORT", String.valueOf(FreePorts.pick()));
      env.put("APP_MANAGEMENT_PORT", String.valueOf(FreePorts.pick()));
      env.put("APP_NAME", "traced-worker");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
      try (InProcessMode worker = InProcessMode.start(Application.MODE, Application.class, env);
          TaskTestSupport.Producer producer = new TaskTestSupport.Producer(rabbit)) {
        assertThat(worker.context().isRunning()).isTrue();
        String flaky = UUID.randomUUID().toString();
        CeleryProtocol protocol = producer.protocol();
        TaskMessage traced =
            protocol
                .newMessage(flaky, "test.flaky", new TestTasks.Flaky("traced", 1), null, null, null)
                .toBuilder()
                .ignoreResult(true)
                .maxRetries(2)
                .traceparent("00-" + TRACE + "-" + PUBLISHER + "-01")
                .tracestate("plinth=test")
                .build();
        CeleryProtocol.Encoded encoded = protocol.encode(traced);
        producer.sendRaw(queue, encoded.properties(), encoded.body());
        String lone = producer.send(queue, "test.echo", new TestTasks.Echo("lone", 0));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    receiver.named("run/test.flaky").size() == 2
                        && receiver.named("run/test.echo").size() == 1);

        List<ReceivedSpan> attempts = receiver.named("run/test.flaky");
        assertThat(attempts)
            .allSatisfy(
                span -> {
                  assertThat(span.traceId()).isEqualTo(TRACE);
                  assertThat(span.parentSpanId()).isEqualTo(PUBLISHER);
                  assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
                  assertThat(span.service()).isEqualTo("traced-worker");
                  assertThat(span.attributes())
                      .containsEntry("messaging.message.id", flaky)
                      .containsEntry("messaging.destination.name", queue)
                      .containsEntry("celery.task_name", "test.flaky");
                });
        ReceivedSpan first = attempt(attempts, "1");
        ReceivedSpan second = attempt(attempts, "2");
        assertThat(first.attributes()).containsEntry("celery.state", "RETRY");
        assertThat(first.error()).isTrue();
        assertThat(second.attributes()).containsEntry("celery.state", "SUCCESS");
        assertThat(second.error()).isFalse();

        ReceivedSpan own = receiver.named("run/test.echo").get(0);
        assertThat(own.traceId()).isNotEqualTo(TRACE);
        assertThat(own.parentSpanId()).isEmpty();
        assertThat(own.attributes()).containsEntry("messaging.message.id", lone);

        // Every line of an attempt names its trace and span: here, each attempt's summary line.
        List<String> summaries =
            logs.mozlogLines().stream()
                .filter(l -> l.contains("\"task.summary\"") && l.contains(flaky))
                .toList();
        assertThat(summaries).hasSize(2);
        assertThat(summaries)
            .anySatisfy(l -> assertThat(l).contains(ids(first)))
            .anySatisfy(l -> assertThat(l).contains(ids(second)));
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private static ReceivedSpan attempt(List<ReceivedSpan> spans, String attempt) {
    return spans.stream()
        .filter(s -> attempt.equals(s.attributes().get("plinth.task.attempt")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no attempt " + attempt + " in " + spans));
  }

  private static String ids(ReceivedSpan span) {
    return "\"trace_id\":\"" + span.traceId() + "\",\"span_id\":\"" + span.spanId() + "\"";
  }
}
