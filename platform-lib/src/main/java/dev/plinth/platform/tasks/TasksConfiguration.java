package dev.plinth.platform.tasks;

import dev.plinth.platform.config.PlinthProperties;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;
import java.time.Duration;
import java.util.List;

/**
 * {@code plinth.tasks.*}: the task layer's settings and the defaults every task gets unless its
 * enqueue options say otherwise. The defaults live here, in one place.
 */
@ConfigurationProperties(PlinthProperties.TASKS)
public class TasksConfiguration {

  /** Queue type of the task queues. Celery clients must declare the same (see docs/tasks.md). */
  public enum QueueType {
    CLASSIC,
    QUORUM
  }

  private boolean enabled = true;
  private String defaultQueue = "celery";
  private List<String> queues = List.of();
  private QueueType queueType = QueueType.CLASSIC;
  private Integer prefetch;
  private Integer maxPriority;
  private Duration revokeTtl = Duration.ofHours(3);
  private List<String> rateLimits = List.of();
  private int maxRetries = 3;
  private Duration backoff = Duration.ofSeconds(2);
  private double backoffMultiplier = 2.0;
  private Duration maxBackoff = Duration.ofMinutes(10);
  private Duration timeLimit = Duration.ofMinutes(5);
  private boolean recordState = true;
  private Duration shutdownGrace = Duration.ofSeconds(20);
  private Duration confirmTimeout = Duration.ofSeconds(10);
  private List<Duration> delayBuckets =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          Duration.ofHours(1));
  private int inProcessQueueCapacity = 1000;
  private int maxBodySize = 16 * 1024 * 1024;

  /** {@code plinth.tasks.enabled=false} switches the whole task layer off. */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Where enqueue publishes without a {@code queue} option; Celery's default is {@code celery}. */
  public String getDefaultQueue() {
    return defaultQueue;
  }

  public void setDefaultQueue(String defaultQueue) {
    this.defaultQueue = defaultQueue;
  }

  /** Queues the worker consumes; empty means the default queue only. */
  public List<String> getQueues() {
    return queues.isEmpty() ? List.of(defaultQueue) : queues;
  }

  public void setQueues(List<String> queues) {
    this.queues = List.copyOf(queues);
  }

  public QueueType getQueueType() {
    return queueType;
  }

  public void setQueueType(QueueType queueType) {
    this.queueType = queueType;
  }

  /** Unacknowledged messages per worker channel; unset means 4 × the worker count. */
  public Integer getPrefetch() {
    return prefetch;
  }

  public void setPrefetch(Integer prefetch) {
    this.prefetch = prefetch;
  }

  /**
   * Priority queues: the task queues are declared with {@code x-max-priority} of this (1-255), and
   * a message's {@code priority} orders its delivery; unset, none (Celery's {@code
   * task_queue_max_priority} must say the same, as both sides declare the queue). Classic queues
   * only.
   */
  public Integer getMaxPriority() {
    return maxPriority;
  }

  public void setMaxPriority(Integer maxPriority) {
    if (maxPriority != null && (maxPriority < 1 || maxPriority > 255)) {
      throw new IllegalArgumentException("plinth.tasks.max-priority: expected 1 to 255");
    }
    this.maxPriority = maxPriority;
  }

  /**
   * Rate limits, {@code TASK=RATE} each in Celery's notation ({@code
   * app.sync=10/s,app.mail=100/m}): across every worker when the cache's Redis is configured, per
   * worker otherwise.
   */
  public List<String> getRateLimits() {
    return rateLimits;
  }

  public void setRateLimits(List<String> rateLimits) {
    this.rateLimits = List.copyOf(rateLimits);
  }

  /** How long a revoke is honoured (Celery's worker keeps its revokes three hours too). */
  public Duration getRevokeTtl() {
    return revokeTtl;
  }

  public void setRevokeTtl(Duration revokeTtl) {
    this.revokeTtl = revokeTtl;
  }

  public int getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
  }

  public Duration getBackoff() {
    return backoff;
  }

  public void setBackoff(Duration backoff) {
    this.backoff = backoff;
  }

  public double getBackoffMultiplier() {
    return backoffMultiplier;
  }

  public void setBackoffMultiplier(double backoffMultiplier) {
    this.backoffMultiplier = backoffMultiplier;
  }

  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  public void setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
  }

  public Duration getTimeLimit() {
    return timeLimit;
  }

  public void setTimeLimit(Duration timeLimit) {
    this.timeLimit = timeLimit;
  }

  /** Record each run in {@code task_run}; off trades the run history for throughput. */
  public boolean isRecordState() {
    return recordState;
  }

  public void setRecordState(boolean recordState) {
    this.recordState = recordState;
  }

  /** On SIGTERM, how long in-flight tasks may take before the rest is requeued. */
  public Duration getShutdownGrace() {
    return shutdownGrace;
  }

  public void setShutdownGrace(Duration shutdownGrace) {
    this.shutdownGrace = shutdownGrace;
  }

  /**
   * A task message body larger than this is dead-lettered ({@code too-large}) unread. The AMQP
   * client's own ceiling (512 MiB, set by {@code boot.ContractProperties}) sits above any message
   * RabbitMQ accepts, so an oversized message never costs the connection (and a redelivery loop).
   */
  public int getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(@ReadableBytes int maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  public Duration getConfirmTimeout() {
    return confirmTimeout;
  }

  public void setConfirmTimeout(Duration confirmTimeout) {
    this.confirmTimeout = confirmTimeout;
  }

  /**
   * TTLs of the wait queues that hold delayed and retried messages. A delay waits in the largest
   * bucket not longer than what remains, then again for the rest: long delays never queue in front
   * of short ones.
   */
  public List<Duration> getDelayBuckets() {
    return delayBuckets;
  }

  public void setDelayBuckets(List<Duration> delayBuckets) {
    this.delayBuckets = delayBuckets.stream().sorted().toList();
  }

  /** Embedded mode: tasks waiting for a thread before enqueue refuses more. */
  public int getInProcessQueueCapacity() {
    return inProcessQueueCapacity;
  }

  public void setInProcessQueueCapacity(int inProcessQueueCapacity) {
    this.inProcessQueueCapacity = inProcessQueueCapacity;
  }

  /** The delay before retry number {@code retry} (1-based). */
  public Duration backoffFor(int retry, Duration first, double multiplier) {
    double millis = first.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }
}
