package dev.plinth.worker.consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.plinth.platform.config.PlinthProperties;
import dev.plinth.platform.tasks.TasksConfiguration;
import dev.plinth.platform.tasks.broker.BrokerClient;
import dev.plinth.platform.tasks.execution.TaskExecution;
import dev.plinth.platform.tasks.execution.TaskThreads;
import dev.plinth.platform.tasks.metrics.TaskMetrics;
import dev.plinth.platform.tasks.protocol.CeleryProtocol;
import dev.plinth.platform.tasks.state.TaskRuns;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
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
@Requires(property = PlinthProperties.BROKER_HOST)
@Requires(property = TaskWorker.ENABLED, value = "true")
@Requires(property = PlinthProperties.TASKS_ENABLED, notEquals = "false")
public class TaskWorker {
  /**
   * Set by the WORKER mode ({@code Application.MODE}) and nowhere else: a test class path that
   * holds this module beside another mode's must not consume there.
   */
  public static final String ENABLED = "plinth.worker.enabled";

  private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);

  /** How often successes held back behind a long-running delivery are looked at. */
  private static final long SWEEP_MILLIS = 50;

  private final BrokerClient broker;
  private final TaskRuns runs;
  private final TaskMetrics metrics;
  private final TasksConfiguration configuration;
  private final int workerCount;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;
  private final Deliveries deliveries;
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
      TaskMetrics metrics,
      @Value("${" + PlinthProperties.WORKER_COUNT + ":1}") int workerCount) {
    this.broker = broker;
    this.metrics = metrics;
    this.runs = runs;
    this.configuration = configuration;
    this.workerCount = workerCount;
    // Not daemons: a handler in flight keeps the JVM up until the drain lets it finish.
    this.executor =
        TaskThreads.pool(workerCount, new LinkedBlockingQueue<>(), "plinth-worker", false);
    this.timer = TaskThreads.timer("plinth-worker-eta");
    this.deliveries =
        new Deliveries(
            broker, execution, protocol, runs, configuration, executor, timer, () -> draining);
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
      metrics.consuming(
          prefetch,
          () -> {
            Acknowledgements current = acks;
            return current == null ? 0 : current.unsettled();
          });
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
      Deliveries.Delivery delivery =
          new Deliveries.Delivery(
              acks, queue, properties, body, envelope.getDeliveryTag(), envelope.isRedeliver());
      executor.execute(() -> deliveries.process(delivery));
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
