package dev.plinth.platform.tracing;

import dev.plinth.platform.tasks.protocol.TaskMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trace context across the broker, carried as opentelemetry-instrumentation-celery carries it (W3C
 * {@code traceparent}/{@code tracestate} message headers) and named as it names its spans: a {@code
 * apply_async/<task>} producer span per publish, child of whatever is current (the HTTP request,
 * the task that enqueues), and a {@code run/<task>} consumer span per attempt, child of the
 * publishing span, current while the handler runs. A retry is published with its first
 * publication's context, so every attempt is a sibling in the one trace. Without an OpenTelemetry
 * bean (tracing off) every call returns a shared no-op.
 */
@Singleton
public class TaskTracing {
  static final String INSTRUMENTATION_SCOPE = "dev.plinth.tasks";
  static final AttributeKey<String> TASK_NAME = AttributeKey.stringKey("celery.task_name");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("celery.action");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("celery.state");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("plinth.task.attempt");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");

  private static final TextMapGetter<TaskMessage> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TaskMessage message) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TaskMessage message, String key) {
          if (message == null) {
            return null;
          }
          return switch (key) {
            case "traceparent" -> message.traceparent();
            case "tracestate" -> message.tracestate();
            default -> null;
          };
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public TaskTracing(Optional<OpenTelemetry> openTelemetry) {
    this.tracer = openTelemetry.map(o -> o.getTracer(INSTRUMENTATION_SCOPE)).orElse(null);
    this.propagator =
        openTelemetry.map(o -> o.getPropagators().getTextMapPropagator()).orElse(null);
  }

  /** True when spans are recorded (an exporter is configured). */
  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the span of publishing {@code taskName} to {@code queue} ({@code taskId} null for a
   * batch): stamp the messages with it, then end it once the broker confirmed or refused them.
   */
  public Publish publish(String taskName, String queue, String taskId) {
    if (tracer == null) {
      return Publish.OFF;
    }
    var builder =
        tracer
            .spanBuilder("apply_async/" + taskName)
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(ACTION, "apply_async")
            .setAttribute(TASK_NAME, taskName)
            .setAttribute(SYSTEM, "rabbitmq")
            .setAttribute(DESTINATION, queue);
    if (taskId != null) {
      builder.setAttribute(MESSAGE_ID, taskId);
    }
    Span span = builder.startSpan();
    Map<String, String> carrier = new HashMap<>(4);
    propagator.inject(Context.current().with(span), carrier, Map::put);
    return new Publish(span, carrier.get("traceparent"), carrier.get("tracestate"));
  }

  /**
   * Starts the span of one attempt of {@code message} and makes it current on this thread (log
   * lines carry its ids; tasks enqueued meanwhile are its children). Close it on the same thread.
   */
  public Run run(TaskMessage message, String queue) {
    if (tracer == null) {
      return Run.OFF;
    }
    // From the root, never from whatever a pooled thread last held: the message says the parent.
    Context parent = propagator.extract(Context.root(), message, HEADERS);
    var builder =
        tracer
            .spanBuilder("run/" + message.name())
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(ACTION, "run")
            .setAttribute(TASK_NAME, message.name())
            .setAttribute(MESSAGE_ID, message.id())
            .setAttribute(ATTEMPT, (long) message.attempt())
            .setAttribute(SYSTEM, "rabbitmq");
    if (queue != null) {
      builder.setAttribute(DESTINATION, queue);
    }
    Span span = builder.startSpan();
    return new Run(span, parent.with(span).makeCurrent());
  }

  /** A publish span, or the no-op; stamps messages with its context. */
  public static final class Publish {
    static final Publish OFF = new Publish(null, null, null);

    private final Span span;
    private final String traceparent;
    private final String tracestate;

    Publish(Span span, String traceparent, String tracestate) {
      this.span = span;
      this.traceparent = traceparent;
      this.tracestate = tracestate;
    }

    /** {@code message} carrying this span's context (unchanged when tracing is off). */
    public TaskMessage stamp(TaskMessage message) {
      if (span == null) {
        return message;
      }
      return message.toBuilder().traceparent(traceparent).tracestate(tracestate).build();
    }

    /** Ends the span; {@code error} null when the broker confirmed. */
    public void end(Throwable error) {
      if (span == null) {
        return;
      }
      if (error != null) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
      }
      span.end();
    }
  }

  /** An attempt's span, current until {@link #end}; or the no-op. */
  public static final class Run {
    static final Run OFF = new Run(null, null);

    private final Span span;
    private final Scope scope;

    Run(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    /**
     * Ends the attempt's span with its {@code state} (Celery's word: SUCCESS, RETRY, FAILURE,
     * REVOKED, IGNORED); an {@code error} or FAILURE marks it failed.
     */
    public void end(String state, Throwable error) {
      if (span == null) {
        return;
      }
      scope.close();
      span.setAttribute(STATE, state);
      if (error != null) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
      } else if ("FAILURE".equals(state)) {
        span.setStatus(StatusCode.ERROR, state);
      }
      span.end();
    }
  }
}
