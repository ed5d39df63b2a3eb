package dev.plinth.worker.consumer;

import com.rabbitmq.client.AMQP;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.HeaderLimits;
import dev.plinth.platform.tasks.protocol.PoisonMessageException;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tasks.state.TaskStateException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the worker does with one delivery, on a handler thread: decode it (a bad one is
 * dead-lettered with its reason), park it when it is not due, run it, and settle it — acknowledge,
 * retry, dead-letter or reply — once its outcome is recorded. {@link TaskWorker} owns the channel,
 * the consumers and the drain; this owns no state of its own.
 */
final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  /** One delivery, as the consumer received it. */
  record Delivery(
      Acknowledgements acks,
      String queue,
      AMQP.BasicProperties properties,
      byte[] body,
      long tag,
      boolean redelivered) {}

  private final BrokerClient broker;
  private final TaskExecution execution;
  private final CeleryProtocol protocol;
  private final TaskRuns runs;
  private final TasksConfiguration configuration;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;
  private final BooleanSupplier draining;

  Deliveries(
      BrokerClient broker,
      TaskExecution execution,
      CeleryProtocol protocol,
      TaskRuns runs,
      TasksConfiguration configuration,
      ThreadPoolExecutor executor,
      ScheduledExecutorService timer,
      BooleanSupplier draining) {
    this.broker = broker;
    this.execution = execution;
    this.protocol = protocol;
    this.runs = runs;
    this.configuration = configuration;
    this.executor = executor;
    this.timer = timer;
    this.draining = draining;
  }

  /** Decodes, runs and settles one delivery; never throws. */
  void process(Delivery d) {
    try {
      if (draining.getAsBoolean()) {
        d.acks().requeue(d.tag());
        return;
      }
      TaskMessage message;
      try {
        if (d.body().length > configuration.getMaxBodySize()) {
          throw new PoisonMessageException(
              "too-large",
              "body of "
                  + d.body().length
                  + " bytes exceeds plinth.tasks.max-body-size ("
                  + configuration.getMaxBodySize()
                  + ")");
        }
        message = protocol.decode(d.properties(), d.body());
      } catch (PoisonMessageException e) {
        poison(d, e);
        return;
      }
      Instant eta = message.eta();
      if (eta != null && eta.isAfter(Instant.now())) {
        park(d, message);
        return;
      }
      act(d, message, execution.executeUnrecorded(message, d.queue(), d.redelivered()));
    } catch (IOException | RuntimeException e) {
      if (refusedState(e) != null) {
        refuse(d, refusedState(e));
        return;
      }
      // State or broker unavailable: leave the message to the broker, it is not lost.
      LOG.atError().setCause(e).log("task message left unacknowledged, requeueing it");
      d.acks().requeue(d.tag());
    }
  }

  /** The refused run-state write behind {@code e}, if that is what it is. */
  private static TaskStateException refusedState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TaskStateException state && state.refused()) {
        return state;
      }
    }
    return null;
  }

  // The database will never take this message's row: requeueing would loop, so it goes to the
  // dead-letter queue once, and the rest of its group committed without it. No state write here:
  // the row was refused, and this may run on the run-state writer's own thread.
  private void refuse(Delivery d, TaskStateException state) {
    LOG.atError()
        .addKeyValue("queue", d.queue())
        .addKeyValue("reason", "bad-state")
        .log("task message dead-lettered, its run state is refused: " + state.getMessage());
    try {
      broker.deadLetter(
          d.queue(),
          d.properties(),
          d.body(),
          "bad-state",
          "TaskStateRefused",
          state.getMessage(),
          0);
      d.acks().ack(d.tag());
    } catch (IOException | RuntimeException e) {
      LOG.atError().setCause(e).log("task message left unacknowledged, requeueing it");
      d.acks().requeue(d.tag());
    }
  }

  private void act(Delivery d, TaskMessage message, TaskExecution.Outcome outcome)
      throws IOException {
    Acknowledgements a = d.acks();
    long tag = d.tag();
    boolean replies = message.replyTo() != null && !message.ignoreResult();
    if (outcome instanceof TaskExecution.Succeeded ok) {
      // The handler thread moves on; the ack follows the group commit of the success: the
      // commit makes it ready, and one multiple ack after the commit covers the group.
      boolean grouped = runs.enabled();
      ok.recorded()
          .whenComplete(
              (recorded, error) -> {
                if (error != null && refusedState(error) != null) {
                  refuse(d, refusedState(error));
                  return;
                }
                if (error != null) {
                  LOG.atError()
                      .setCause(error)
                      .log("task succeeded but its state was not recorded, requeueing it");
                  a.requeue(tag);
                  return;
                }
                try {
                  if (replies) {
                    broker.reply(
                        message.replyTo(), TaskExecution.reply(protocol, message, outcome));
                  }
                } catch (IOException | RuntimeException e) {
                  LOG.atError().setCause(e).log("task message left unacknowledged, requeueing it");
                  a.requeue(tag);
                  return;
                }
                if (grouped) {
                  a.ready(tag);
                } else {
                  // Nothing to wait for: acknowledge when the handlers run out of queued work.
                  a.readyAndFlushSometimes(tag, executor.getQueue().isEmpty());
                }
              });
      return;
    } else if (outcome instanceof TaskExecution.Retry retry) {
      broker.publishTask(d.queue(), protocol.encode(retry.next()), retry.next().eta());
    } else if (outcome instanceof TaskExecution.Throttled throttled) {
      // Back to the broker until its slot: no prefetch slot held while it waits.
      broker.publishTask(d.queue(), protocol.encode(throttled.next()), throttled.next().eta());
    } else if (outcome instanceof TaskExecution.Dead dead) {
      broker.deadLetter(
          d.queue(),
          d.properties(),
          d.body(),
          dead.reason(),
          dead.excType(),
          dead.message(),
          message.attempt());
      if (replies) {
        broker.reply(message.replyTo(), TaskExecution.reply(protocol, message, outcome));
      }
    } else if ((outcome instanceof TaskExecution.Expired
            || outcome instanceof TaskExecution.Revoked)
        && replies) {
      broker.reply(message.replyTo(), TaskExecution.reply(protocol, message, outcome));
    }
    a.ack(tag);
  }

  /** Dead-letters a message no handler can take, with its reason; the worker carries on. */
  private void poison(Delivery d, PoisonMessageException e) throws IOException {
    // The queue as an MDC value, so that Sentry tags the event with it.
    MDC.put("queue", d.queue());
    try {
      LOG.atError()
          .addKeyValue("reason", e.reason())
          .log("poison message dead-lettered: " + e.getMessage());
    } finally {
      MDC.remove("queue");
    }
    broker.deadLetter(
        d.queue(), d.properties(), d.body(), e.reason(), "PoisonMessage", e.getMessage(), 0);
    // The run's dead row, when its headers can name one; a failed write must not keep the
    // message: it is on the dead-letter queue already, and the ack below takes it off this one.
    Map<String, Object> headers =
        d.properties().getHeaders() == null ? Map.of() : d.properties().getHeaders();
    String id = CeleryProtocol.string(headers.get("id"));
    String name = CeleryProtocol.string(headers.get("task"));
    if (id != null && name != null && HeaderLimits.storable(id, name)) {
      try {
        runs.dead(id, name, null, e.reason() + ": " + e.getMessage(), Instant.now());
      } catch (RuntimeException stateFailure) {
        LOG.atWarn()
            .addKeyValue("queue", d.queue())
            .log("poison message's dead state not recorded: " + stateFailure.getMessage());
      }
    }
    d.acks().ack(d.tag());
  }

  /**
   * A message that is not due yet (a Celery client's countdown/eta). Long waits go to a wait queue
   * and the delivery is acknowledged, so that RabbitMQ's consumer timeout never fires; a wait
   * shorter than the smallest bucket is held here, unacknowledged.
   */
  private void park(Delivery d, TaskMessage message) throws IOException {
    String route = broker.routeFor(d.queue(), message.eta());
    if (!route.equals(d.queue())) {
      broker.publishTask(d.queue(), protocol.encode(message), message.eta());
      d.acks().ack(d.tag());
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), message.eta()).toNanos());
    timer.schedule(
        () ->
            executor.execute(
                () -> {
                  try {
                    if (draining.getAsBoolean()) {
                      d.acks().requeue(d.tag());
                      return;
                    }
                    act(
                        d,
                        message,
                        execution.executeUnrecorded(message, d.queue(), d.redelivered()));
                  } catch (IOException | RuntimeException e) {
                    LOG.atError().setCause(e).log("held task left unacknowledged, requeueing it");
                    d.acks().requeue(d.tag());
                  }
                }),
        delay,
        TimeUnit.NANOSECONDS);
  }
}
