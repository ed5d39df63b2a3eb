package dev.plinth.worker.consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.execution.TaskThreads;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.protocol.HeaderLimits;
import dev.plinth.platform.tasks.protocol.PoisonMessageException;
import dev.plinth.platform.tasks.protocol.TaskMessage;
import dev.plinth.platform.tasks.state.TaskRuns;
import dev.plinth.platform.tasks.state.TaskStateException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WORKER mode's consumer. One channel, {@code basicQos(prefetch)}, manual acknowledgement: a
 * message is acknowledged only after its handler returned and its state was recorded, or after its
 * retry or dead letter was confirmed by the broker. {@code APP_WORKER_COUNT} threads run handlers.
 *
 * <p>Successes are acknowledged in groups ({@link Acknowledgements}): one {@code multiple=true} ack
 * after each group commit of run state (or, with state off, when the handler threads run out of
 * queued work or every {@value Acknowledgements#FLUSH_EVERY} successes), never covering a delivery
 * that is still running, held or unrecorded. A periodic sweep acknowledges successes held back
 * behind a long-running delivery.
 *
 * <p>Broker loss: the client's automatic recovery reopens the connection and re-attaches the
 * consumers; unacknowledged messages are redelivered by the broker, and acknowledgements for the
 * old channel are dropped by the client (and forgotten by the record of unsettled deliveries). A
 * redelivered message whose run already succeeded is acknowledged without running.
 *
 * <p>Shutdown (SIGTERM): cancel the consumers (nothing new arrives), requeue what was prefetched
 * but not started, let running handlers finish within {@code plinth.tasks.shutdown-grace}, then
 * close the channel, which requeues anything still unacknowledged.
 */
@Singleton
@Requires(property = "plinth.tasks.broker.host")
@Requires(property = "plinth.mode", value = "WORKER")
@Requires(property = TasksConfiguration.ENABLED, notEquals = "false")
public class TaskWorker {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);

  /** How often successes held back behind a long-running delivery are looked at. */
  private static final long SWEEP_MILLIS = 50;

  private final BrokerClient broker;
  private final TaskExecution execution;
  private final CeleryProtocol protocol;
  private final TaskRuns runs;
  private final TasksConfiguration configuration;
  private final int workerCount;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;
  private final Map<String, String> consumers = new ConcurrentHashMap<>();
  private final Thread shutdownHook = new Thread(this::stop, "plinth-worker-drain");
  private volatile Channel channel;
  private volatile Acknowledgements acks;
  private ScheduledFuture<?> sweeper;
  private volatile boolean draining;
  private boolean stopped;
  private final AtomicReference<ShutdownSignalException> lastLoss = new AtomicReference<>();

  public TaskWorker(
      BrokerClient broker,
      TaskExecution execution,
      CeleryProtocol protocol,
      TaskRuns runs,
      TasksConfiguration configuration,
      @Value("${plinth.worker-count:1}") int workerCount) {
    this.broker = broker;
    this.execution = execution;
    this.protocol = protocol;
    this.runs = runs;
    this.configuration = configuration;
    this.workerCount = workerCount;
    // Not daemons: a handler in flight keeps the JVM up until the drain lets it finish.
    this.executor =
        TaskThreads.pool(workerCount, new LinkedBlockingQueue<>(), "plinth-worker", false);
    this.timer = TaskThreads.timer("plinth-worker-eta");
  }

  @EventListener
  void onStartup(StartupEvent event) {
    start();
  }

  /** Declares the queues and attaches one consumer per queue. */
  public synchronized void start() {
    if (channel != null) {
      return;
    }
    List<String> queues = configuration.getQueues();
    int prefetch =
        configuration.getPrefetch() != null ? configuration.getPrefetch() : workerCount * 4;
    try {
      for (String queue : queues) {
        broker.declare(queue);
      }
      Channel c = broker.consumerConnection().createChannel();
      Acknowledgements a = new Acknowledgements(c);
      acks = a;
      if (runs.enabled()) {
        // One multiple ack per group commit, after its successes became ready.
        runs.afterCommit(a::flush);
      }
      sweeper =
          timer.scheduleWithFixedDelay(a::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
      c.basicQos(prefetch);
      for (String queue : queues) {
        String tag = c.basicConsume(queue, false, new Consumer(c, a, queue));
        consumers.put(queue, tag);
      }
      channel = c;
      // SIGTERM drains before the JVM exits, whether or not the context is closed by a hook.
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      LOG.atInfo()
          .addKeyValue("queues", queues)
          .addKeyValue("prefetch", prefetch)
          .addKeyValue("workers", workerCount)
          .log("task worker consuming");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start consuming tasks: " + e.getMessage(), e);
    }
  }

  /** True while every configured queue has a consumer on an open channel. */
  public boolean consuming() {
    Channel c = channel;
    return c != null
        && c.isOpen()
        && !draining
        && consumers.size() == configuration.getQueues().size();
  }

  public List<String> queues() {
    return configuration.getQueues();
  }

  private final class Consumer extends DefaultConsumer {
    private final Acknowledgements acks;
    private final String queue;

    Consumer(Channel channel, Acknowledgements acks, String queue) {
      super(channel);
      this.acks = acks;
      this.queue = queue;
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      // In delivery order, before any handler thread can settle it.
      acks.received(envelope.getDeliveryTag());
      executor.execute(() -> process(acks, queue, envelope, properties, body));
    }

    @Override
    public void handleCancel(String tag) {
      consumers.remove(queue);
      LOG.atError().addKeyValue("queue", queue).log("the broker cancelled the task consumer");
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
      // The client calls this after every delivery of the lost channel: its deliveries are gone
      // (redelivered by the broker). Once per loss, whichever queue's consumer hears it first.
      if (lastLoss.getAndSet(signal) != signal) {
        acks.channelLost();
      }
      if (!draining) {
        LOG.atWarn()
            .addKeyValue("queue", queue)
            .log("task channel lost, recovering: " + signal.getMessage());
      }
    }
  }

  private void process(
      Acknowledgements a,
      String queue,
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body) {
    long tag = envelope.getDeliveryTag();
    try {
      if (draining) {
        a.requeue(tag);
        return;
      }
      TaskMessage message;
      try {
        if (body.length > configuration.getMaxBodySize()) {
          throw new PoisonMessageException(
              "too-large",
              "body of "
                  + body.length
                  + " bytes exceeds plinth.tasks.max-body-size ("
                  + configuration.getMaxBodySize()
                  + ")");
        }
        message = protocol.decode(properties, body);
      } catch (PoisonMessageException e) {
        poison(a, queue, properties, body, tag, e);
        return;
      }
      Instant eta = message.eta();
      if (eta != null && eta.isAfter(Instant.now())) {
        park(a, queue, properties, body, message, tag, envelope.isRedeliver());
        return;
      }
      act(
          a,
          queue,
          properties,
          body,
          tag,
          message,
          execution.executeUnrecorded(message, queue, envelope.isRedeliver()));
    } catch (IOException | RuntimeException e) {
      if (refusedState(e) != null) {
        refuse(a, queue, properties, body, tag, refusedState(e));
        return;
      }
      // State or broker unavailable: leave the message to the broker, it is not lost.
      LOG.atError().setCause(e).log("task message left unacknowledged, requeueing it");
      a.requeue(tag);
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
  private void refuse(
      Acknowledgements a,
      String queue,
      AMQP.BasicProperties properties,
      byte[] body,
      long tag,
      TaskStateException state) {
    LOG.atError()
        .addKeyValue("queue", queue)
        .addKeyValue("reason", "bad-state")
        .log("task message dead-lettered, its run state is refused: " + state.getMessage());
    try {
      broker.deadLetter(
          queue, properties, body, "bad-state", "TaskStateRefused", state.getMessage(), 0);
      a.ack(tag);
    } catch (IOException | RuntimeException e) {
      LOG.atError().setCause(e).log("task message left unacknowledged, requeueing it");
      a.requeue(tag);
    }
  }

  private void act(
      Acknowledgements a,
      String queue,
      AMQP.BasicProperties properties,
      byte[] body,
      long tag,
      TaskMessage message,
      TaskExecution.Outcome outcome)
      throws IOException {
    boolean replies = message.replyTo() != null && !message.ignoreResult();
    if (outcome instanceof TaskExecution.Succeeded ok) {
      // The handler thread moves on; the ack follows the group commit of the success: the
      // commit makes it ready, and one multiple ack after the commit covers the group.
      boolean grouped = runs.enabled();
      ok.recorded()
          .whenComplete(
              (recorded, error) -> {
                if (error != null && refusedState(error) != null) {
                  refuse(a, queue, properties, body, tag, refusedState(error));
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
                        message.replyTo(), protocol.successReply(message.id(), ok.result()));
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
      broker.publishTask(queue, protocol.encode(retry.next()), retry.next().eta());
    } else if (outcome instanceof TaskExecution.Dead dead) {
      broker.deadLetter(
          queue,
          properties,
          body,
          dead.reason(),
          dead.excType(),
          dead.message(),
          message.attempt());
      if (replies) {
        broker.reply(
            message.replyTo(),
            protocol.failureReply(
                message.id(),
                "FAILURE",
                dead.excType(),
                dead.excModule(),
                dead.message(),
                dead.error()));
      }
    } else if (outcome instanceof TaskExecution.Expired && replies) {
      broker.reply(
          message.replyTo(),
          protocol.failureReply(
              message.id(), "REVOKED", "TaskRevokedError", "celery.exceptions", "expired", null));
    }
    a.ack(tag);
  }

  /** Dead-letters a message no handler can take, with its reason; the worker carries on. */
  private void poison(
      Acknowledgements a,
      String queue,
      AMQP.BasicProperties properties,
      byte[] body,
      long tag,
      PoisonMessageException e)
      throws IOException {
    LOG.atError()
        .addKeyValue("queue", queue)
        .addKeyValue("reason", e.reason())
        .log("poison message dead-lettered: " + e.getMessage());
    broker.deadLetter(queue, properties, body, e.reason(), "PoisonMessage", e.getMessage(), 0);
    // The run's dead row, when its headers can name one; a failed write must not keep the
    // message: it is on the dead-letter queue already, and the ack below takes it off this one.
    Map<String, Object> headers =
        properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    String id = CeleryProtocol.string(headers.get("id"));
    String name = CeleryProtocol.string(headers.get("task"));
    if (id != null && name != null && HeaderLimits.storable(id, name)) {
      try {
        runs.dead(id, name, null, e.reason() + ": " + e.getMessage(), Instant.now());
      } catch (RuntimeException stateFailure) {
        LOG.atWarn()
            .addKeyValue("queue", queue)
            .log("poison message's dead state not recorded: " + stateFailure.getMessage());
      }
    }
    a.ack(tag);
  }

  /**
   * A message that is not due yet (a Celery client's countdown/eta). Long waits go to a wait queue
   * and the delivery is acknowledged, so that RabbitMQ's consumer timeout never fires; a wait
   * shorter than the smallest bucket is held here, unacknowledged.
   */
  private void park(
      Acknowledgements a,
      String queue,
      AMQP.BasicProperties properties,
      byte[] body,
      TaskMessage message,
      long tag,
      boolean redelivered)
      throws IOException {
    String route = broker.routeFor(queue, message.eta());
    if (!route.equals(queue)) {
      broker.publishTask(queue, protocol.encode(message), message.eta());
      a.ack(tag);
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), message.eta()).toNanos());
    timer.schedule(
        () ->
            executor.execute(
                () -> {
                  try {
                    if (draining) {
                      a.requeue(tag);
                      return;
                    }
                    act(
                        a,
                        queue,
                        properties,
                        body,
                        tag,
                        message,
                        execution.executeUnrecorded(message, queue, redelivered));
                  } catch (IOException | RuntimeException e) {
                    LOG.atError().setCause(e).log("held task left unacknowledged, requeueing it");
                    a.requeue(tag);
                  }
                }),
        delay,
        TimeUnit.NANOSECONDS);
  }

  @PreDestroy
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    draining = true;
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down already: the hook is running or about to.
      }
    }
    Channel c = channel;
    if (c == null) {
      return;
    }
    for (String tag : consumers.values()) {
      try {
        c.basicCancel(tag);
      } catch (IOException | RuntimeException e) {
        LOG.debug("cancelling a consumer failed", e);
      }
    }
    consumers.clear();
    timer.shutdownNow();
    executor.shutdown();
    try {
      long grace = configuration.getShutdownGrace().toMillis();
      if (!executor.awaitTermination(grace, TimeUnit.MILLISECONDS)) {
        LOG.warn("tasks still running after the shutdown grace: the broker requeues them");
      }
      // Acknowledge what finished: the last group commit runs before the channel closes.
      runs.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Acknowledgements a = acks;
    a.settleReady();
    try {
      c.close();
    } catch (IOException | TimeoutException | RuntimeException e) {
      LOG.debug("closing the consumer channel failed", e);
    }
    long[] sent = a.sent();
    LOG.atInfo()
        .addKeyValue("multiple_acks", sent[0])
        .addKeyValue("single_acks", sent[1])
        .log("task worker stopped");
  }
}
