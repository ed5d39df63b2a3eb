package dev.plinth.platform.tasks.queue;

import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.execution.TaskThreads;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tracing.TaskTracing;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default (no {@code RABBITMQ_HOST}): tasks run in this process on a bounded executor
 * ({@code APP_WORKER_COUNT} threads, {@code plinth.tasks.in-process-queue-capacity} waiting), with
 * the same retries, backoff, time limits, run state and logs as on the broker. What is lost: a
 * restart drops queued tasks, and a dead task only has its run row (there is no dead-letter queue).
 * For development and single-instance demos, not production.
 */
@Singleton
@Requires(missingProperty = PlinthProperties.BROKER_HOST)
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class InProcessTaskQueue extends AbstractTaskQueue {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessTaskQueue.class);

  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;

  public InProcessTaskQueue(
      TaskExecution execution,
      CeleryProtocol protocol,
      TaskRuns runs,
      TasksConfiguration configuration,
      JsonMapper json,
      TaskTracing tracing,
      @Value("${" + PlinthProperties.WORKER_COUNT + ":1}") int workerCount) {
    super(execution, protocol, runs, configuration, json, tracing);
    this.executor =
        TaskThreads.pool(
            workerCount,
            new ArrayBlockingQueue<>(configuration.getInProcessQueueCapacity()),
            "plinth-task",
            true);
    this.timer = TaskThreads.timer("plinth-task-timer");
  }

  @Override
  protected void dispatch(String queue, TaskMessage message) {
    schedule(queue, message);
  }

  private void schedule(String queue, TaskMessage message) {
    long delay =
        message.eta() == null
            ? 0
            : Math.max(0, Duration.between(Instant.now(), message.eta()).toNanos());
    Runnable run = () -> submitNow(queue, message);
    if (delay == 0) {
      run.run();
    } else {
      timer.schedule(run, delay, TimeUnit.NANOSECONDS);
    }
  }

  private void submitNow(String queue, TaskMessage message) {
    try {
      executor.execute(() -> runOne(queue, message));
    } catch (RejectedExecutionException e) {
      throw new TaskPublishException(
          "the in-process task queue is full ("
              + configuration.getInProcessQueueCapacity()
              + " waiting)",
          e);
    }
  }

  private void runOne(String queue, TaskMessage message) {
    TaskExecution.Outcome outcome = execution.execute(message, queue);
    if (outcome instanceof TaskExecution.Retry retry) {
      schedule(queue, retry.next());
      return;
    }
    if (outcome instanceof TaskExecution.Throttled throttled) {
      schedule(queue, throttled.next());
      return;
    }
    if (!awaited(message.id())) {
      return;
    }
    try {
      CeleryProtocol.Encoded encoded = TaskExecution.reply(protocol, message, outcome);
      replied(message.id(), protocol.decodeReply(encoded.body()));
    } catch (IOException e) {
      LOG.atError().setCause(e).log("cannot encode the result of task " + message.id());
    }
  }

  @Override
  protected String replyTo() {
    return "in-process";
  }

  @PreDestroy
  void close() throws InterruptedException {
    timer.shutdownNow();
    executor.shutdown();
    if (!executor.awaitTermination(
        configuration.getShutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("in-process tasks still running at shutdown: they are lost");
      executor.shutdownNow();
    }
  }
}
