package dev.plinth.platform.tasks.execution;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.logging.RequestIds;
import dev.plinth.platform.tasks.SoftTimeLimitExceededException;
import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskHandler;
import dev.plinth.platform.tasks.TaskRegistry;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.metrics.TaskMetrics;
import dev.plinth.platform.tasks.protocol.CeleryCanvas;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.PoisonMessageException;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.ratelimit.TaskRateLimits;
import dev.plinth.platform.tasks.revoke.Revocations;
import dev.plinth.platform.tasks.state.ChordParts;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tracing.TaskTracing;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt of a task and says what must happen to its message: the part the broker worker
 * and the in-process queue share, so both have the same retry, time-limit, state and log semantics.
 * It records the run state; the caller acts on the {@link Outcome} (ack, re-publish, dead-letter)
 * and only then acknowledges. Somewhat over the house's 400 lines: an attempt's every decision
 * (revoke, expiry, limits, retry, death, its summary) reads in one place, in the order it is taken.
 */
@Singleton
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskExecution {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);
  private static final Logger SUMMARY = LoggerFactory.getLogger("task.summary");

  /** What to do with the message after an attempt. */
  public sealed interface Outcome {}

  /**
   * Ran: acknowledge once {@code recorded} completes (the success is durable); reply with {@code
   * result}. If {@code recorded} fails, the message must stay unacknowledged.
   */
  public record Succeeded(Object result, CompletableFuture<Void> recorded) implements Outcome {}

  /** Already succeeded before (a redelivery): acknowledge without running. */
  public record AlreadyDone() implements Outcome {}

  /** Failed with retries left: re-publish {@code next} after {@code delay}, then acknowledge. */
  public record Retry(TaskMessage next, Duration delay, Throwable error) implements Outcome {}

  /**
   * Will never succeed: dead-letter with {@code reason}, reply FAILURE ({@code excType} in {@code
   * excModule}), then acknowledge.
   */
  public record Dead(
      String reason, String excType, String excModule, String message, Throwable error)
      implements Outcome {}

  /** Past its {@code expires}: acknowledge and reply REVOKED, as Celery does. */
  public record Expired() implements Outcome {}

  /**
   * Over its rate limit: its slot {@code delay} from now is reserved; publish {@code next} (due
   * then), then acknowledge.
   */
  public record Throttled(TaskMessage next, Duration delay) implements Outcome {}

  /** Revoked (before or while it ran): acknowledge and reply REVOKED, as Celery does. */
  public record Revoked() implements Outcome {}

  /**
   * The {@code rpc://} reply Celery sends for {@code outcome}: SUCCESS with the result, FAILURE
   * with a dead run's exception, REVOKED for an expired one; null for a retry, which is no answer
   * yet.
   */
  public static CeleryProtocol.Encoded reply(
      CeleryProtocol protocol, TaskMessage message, Outcome outcome) throws IOException {
    if (outcome instanceof Succeeded ok) {
      return protocol.successReply(message.id(), ok.result());
    }
    if (outcome instanceof Dead dead) {
      return protocol.failureReply(
          message.id(), "FAILURE", dead.excType(), dead.excModule(), dead.message(), dead.error());
    }
    if (outcome instanceof Expired || outcome instanceof Revoked) {
      return protocol.failureReply(
          message.id(),
          "REVOKED",
          "TaskRevokedError",
          "celery.exceptions",
          outcome instanceof Expired ? "expired" : "revoked",
          null);
    }
    return null;
  }

  private final TaskMetrics metrics;
  private final TaskTracing tracing;
  private final WorkflowSteps workflow;
  private final Revocations revocations;
  private final TaskRateLimits rateLimits;
  private final Map<String, TimeLimits.Attempt> running = new ConcurrentHashMap<>();
  private final TaskRegistry registry;
  private final TaskRuns runs;
  private final TasksConfiguration configuration;
  private final CeleryProtocol protocol;
  private final TimeLimits timeLimits = new TimeLimits("plinth-task-time-limit");

  public TaskExecution(
      TaskRegistry registry,
      TaskRuns runs,
      TasksConfiguration configuration,
      CeleryProtocol protocol,
      TaskMetrics metrics,
      TaskTracing tracing,
      CeleryCanvas canvas,
      Optional<StepPublisher> steps,
      Revocations revocations,
      TaskRateLimits rateLimits,
      ChordParts chords,
      JsonMapper json) {
    this.revocations = revocations;
    this.rateLimits = rateLimits;
    this.registry = registry;
    this.workflow = new WorkflowSteps(canvas, steps.orElse(null), chords, json);
    this.metrics = metrics;
    this.tracing = tracing;
    this.runs = runs;
    this.configuration = configuration;
    this.protocol = protocol;
  }

  /** Runs {@code message} once on the calling thread; returns once its state is recorded. */
  public Outcome execute(TaskMessage message, String queue) {
    Outcome outcome = executeUnrecorded(message, queue);
    if (outcome instanceof Succeeded ok) {
      try {
        ok.recorded().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    return outcome;
  }

  /**
   * Runs {@code message} once on the calling thread without waiting for a success to be recorded
   * (the group commit): the caller acknowledges when {@link Succeeded#recorded()} completes.
   */
  public Outcome executeUnrecorded(TaskMessage message, String queue) {
    return executeUnrecorded(message, queue, true);
  }

  /**
   * As {@link #executeUnrecorded(TaskMessage, String)}. {@code redelivered} false (the broker's
   * flag on a first delivery) skips the read that looks for an earlier success of the same run: a
   * message the broker never delivered before cannot be a redelivery.
   */
  @SuppressWarnings("try") // the scope is only opened and closed
  public Outcome executeUnrecorded(TaskMessage message, String queue, boolean redelivered) {
    Instant received = Instant.now();
    MDC.put("task_id", message.id());
    MDC.put("task_name", message.name());
    MDC.put("attempt", Integer.toString(message.attempt()));
    if (queue != null) {
      MDC.put("queue", queue);
    }
    if (message.uid() != null) {
      MDC.put(RequestIds.UID_MDC_KEY, message.uid());
    }
    long startNanos = System.nanoTime();
    Outcome outcome;
    metrics.started();
    // The attempt's span: current for the handler's log lines and the tasks it enqueues.
    TaskTracing.Run span = tracing.run(message, queue);
    try {
      // The enqueuing request's id: in the MDC of every line, and on the tasks this one enqueues.
      try (PropagatedContext.Scope rid =
          message.rid() == null
              ? PropagatedContext.getOrEmpty().propagate()
              : RequestIds.propagate(message.rid())) {
        outcome = attempt(message, received, redelivered);
      } finally {
        MDC.remove("task_id");
        MDC.remove("task_name");
        MDC.remove("attempt");
        MDC.remove("queue");
        MDC.remove(RequestIds.UID_MDC_KEY);
        metrics.finished();
      }
      summary(message, queue, outcome, received, startNanos);
    } catch (RuntimeException | Error e) {
      span.end("FAILURE", e);
      throw e;
    }
    endSpan(span, outcome);
    return outcome;
  }

  private static void endSpan(TaskTracing.Run span, Outcome outcome) {
    if (outcome instanceof Succeeded) {
      span.end("SUCCESS", null);
    } else if (outcome instanceof AlreadyDone) {
      span.end("IGNORED", null);
    } else if (outcome instanceof Retry retry) {
      span.end("RETRY", retry.error());
    } else if (outcome instanceof Dead dead) {
      span.end("FAILURE", dead.error());
    } else if (outcome instanceof Throttled) {
      span.end("THROTTLED", null);
    } else {
      span.end("REVOKED", null);
    }
  }

  private Outcome attempt(TaskMessage message, Instant received, boolean redelivered) {
    TaskHandler<?> handler = registry.find(message.name()).orElse(null);
    if (handler == null) {
      String text = "no handler for task " + message.name();
      // ERROR, in the task's MDC: what fails for good reaches Sentry once, tagged (the retries
      // before a last attempt are warnings).
      LOG.error("task dead-lettered: {}", text);
      runs.dead(message.id(), message.name(), message.rid(), text, received);
      return new Dead("unknown-task", "NotRegistered", "celery.exceptions", message.name(), null);
    }
    if (revocations.revoked(message.id())) {
      LOG.info("task revoked: acknowledging it without running it");
      runs.revoked(message.id(), message.name(), message.rid(), received);
      return new Revoked();
    }
    if (message.expires() != null && received.isAfter(message.expires())) {
      runs.dead(message.id(), message.name(), message.rid(), "expired", received);
      return new Expired();
    }
    if (!message.rateReserved() && rateLimits.limited(message.name())) {
      Duration wait = rateLimits.reserve(message.name());
      if (!wait.isZero()) {
        return new Throttled(
            message.toBuilder().eta(received.plus(wait)).rateReserved(true).build(), wait);
      }
    }
    Object payload;
    try {
      payload = protocol.bind(message, handler.definition().payloadType());
    } catch (PoisonMessageException e) {
      LOG.error("task dead-lettered: its payload does not bind: {}", e.getMessage());
      workflow.afterFailure(message);
      runs.dead(message.id(), message.name(), message.rid(), e.getMessage(), received);
      return new Dead(e.reason(), "TypeError", "builtins", e.getMessage(), e);
    }
    Instant enqueued = message.enqueuedAt() == null ? received : message.enqueuedAt();
    if (!runs.started(
        message.id(),
        message.name(),
        message.attempt(),
        message.rid(),
        enqueued,
        received,
        redelivered)) {
      LOG.info("task already succeeded: acknowledging the redelivery without running it");
      return new AlreadyDone();
    }
    int maxRetries =
        message.maxRetries() != null ? message.maxRetries() : configuration.getMaxRetries();
    Duration limit =
        message.timeLimitSeconds() != null
            ? Duration.ofMillis((long) (message.timeLimitSeconds() * 1000))
            : configuration.getTimeLimit();
    Duration soft =
        message.softTimeLimitSeconds() != null
            ? Duration.ofMillis((long) (message.softTimeLimitSeconds() * 1000))
            : null;
    try {
      Object result = runWithin(handler, payload, message, maxRetries, limit, soft);
      // Before the success is recorded: a step that cannot be published fails the attempt, and
      // its retry publishes it again (a redelivery of a recorded success would not).
      workflow.afterSuccess(message, result);
      return new Succeeded(
          result,
          runs.finishing(
              message.id(),
              message.name(),
              message.attempt(),
              message.rid(),
              enqueued,
              received,
              TaskRun.SUCCEEDED,
              null,
              Instant.now()));
    } catch (Exception e) {
      if (revocations.revoked(message.id())) {
        // Terminated by a revoke: no retry, whatever the interrupt made the handler throw.
        LOG.atWarn().setCause(e).log("task revoked while it ran: its attempt was interrupted");
        runs.revoked(message.id(), message.name(), message.rid(), Instant.now());
        return new Revoked();
      }
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (message.retries() < maxRetries) {
        Duration first =
            message.backoffMillis() != null
                ? Duration.ofMillis(message.backoffMillis())
                : configuration.getBackoff();
        double multiplier =
            message.backoffMultiplier() != null
                ? message.backoffMultiplier()
                : configuration.getBackoffMultiplier();
        Duration delay = configuration.backoffFor(message.retries() + 1, first, multiplier);
        LOG.atWarn()
            .setCause(e)
            .addKeyValue("retry_in_ms", delay.toMillis())
            .log("task failed, retrying");
        runs.finished(message.id(), TaskRun.FAILED, error, Instant.now());
        return new Retry(message.retryAt(Instant.now().plus(delay)), delay, e);
      }
      LOG.atError().setCause(e).log("task failed after its last attempt: dead-lettering it");
      workflow.afterFailure(message);
      runs.finished(message.id(), TaskRun.DEAD, error, Instant.now());
      boolean timeLimit = e instanceof TimeLimitExceededException;
      boolean celery = timeLimit || e instanceof SoftTimeLimitExceededException;
      return new Dead(
          timeLimit ? "time-limit" : "max-retries",
          timeLimit
              ? "TimeLimitExceeded"
              : celery ? "SoftTimeLimitExceeded" : e.getClass().getSimpleName(),
          celery ? "celery.exceptions" : e.getClass().getPackageName(),
          String.valueOf(e.getMessage()),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private Object runWithin(
      TaskHandler<?> handler,
      Object payload,
      TaskMessage message,
      int maxRetries,
      Duration limit,
      Duration soft)
      throws Exception {
    long softNanos = soft == null ? Long.MAX_VALUE : soft.toNanos();
    // Closing the attempt clears an interrupt of the limit that came after the handler returned.
    try (TimeLimits.Attempt attempt = timeLimits.start(limit.toNanos(), softNanos)) {
      running.put(message.id(), attempt);
      TaskContext context =
          new TaskContext(
              message.id(),
              message.name(),
              message.attempt(),
              maxRetries,
              message.rid(),
              attempt::softPassed,
              message.uid());
      try {
        Object result = ((TaskHandler<Object>) handler).run(payload, context);
        if (attempt.timedOut()) {
          throw new TimeLimitExceededException(limit);
        }
        return result;
      } catch (Exception e) {
        if (attempt.timedOut()) {
          throw new TimeLimitExceededException(limit);
        }
        // Whatever the soft interrupt made the handler throw, the attempt failed of its limit.
        if (attempt.softPassed() && !(e instanceof SoftTimeLimitExceededException)) {
          SoftTimeLimitExceededException exceeded = new SoftTimeLimitExceededException();
          exceeded.initCause(e);
          throw exceeded;
        }
        throw e;
      } finally {
        running.remove(message.id(), attempt);
      }
    }
  }

  /** Interrupts the running attempts of {@code taskIds} (a revoke with {@code terminate}). */
  public void terminate(java.util.Collection<String> taskIds) {
    for (String id : taskIds) {
      TimeLimits.Attempt attempt = running.get(id);
      if (attempt != null) {
        attempt.terminate();
      }
    }
  }

  private void summary(
      TaskMessage message, String queue, Outcome outcome, Instant received, long startNanos) {
    String status;
    if (outcome instanceof Succeeded) {
      status = TaskRun.SUCCEEDED;
    } else if (outcome instanceof AlreadyDone) {
      status = "duplicate";
    } else if (outcome instanceof Retry) {
      status = TaskRun.FAILED;
    } else if (outcome instanceof Dead) {
      status = TaskRun.DEAD;
    } else if (outcome instanceof Revoked) {
      status = TaskRun.REVOKED;
    } else if (outcome instanceof Throttled) {
      status = "throttled";
    } else {
      status = "expired";
    }
    Instant readyAt =
        message.eta() != null
            ? message.eta()
            : message.enqueuedAt() != null ? message.enqueuedAt() : received;
    long waitMs = Math.max(0, Duration.between(readyAt, received).toMillis());
    long nanos = System.nanoTime() - startNanos;
    metrics.run(message.name(), TaskRun.FAILED.equals(status) ? "retried" : status, nanos, waitMs);
    SUMMARY
        .atInfo()
        .addKeyValue("task_id", message.id())
        .addKeyValue("name", message.name())
        .addKeyValue("status", status)
        .addKeyValue("t", nanos / 1_000_000)
        .addKeyValue("attempt", message.attempt())
        .addKeyValue("queue_wait", waitMs)
        .addKeyValue("queue", queue)
        .addKeyValue("rid", message.rid())
        .addKeyValue("uid", message.uid() == null ? "" : message.uid())
        .log("task.summary");
  }

  @PreDestroy
  void close() {
    timeLimits.close();
  }

  /** An attempt ran past its hard time limit and was interrupted. */
  public static final class TimeLimitExceededException extends Exception {
    private static final long serialVersionUID = 1L;

    TimeLimitExceededException(Duration limit) {
      super("hard time limit (" + limit.toMillis() + " ms) exceeded");
    }
  }
}
