package dev.plinth.platform.dockerflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the registered {@link HealthCheck}s for a heartbeat: all at once, each within its time
 * limit, and turns what they say into a {@link HeartbeatReport}. Framework free; the HTTP endpoint
 * is a thin adapter around {@link #runAsync()}.
 *
 * <p>A check that throws, returns null or overruns its limit is reported as an ERROR with the id
 * {@code <prefix>.E000}; the text names the exception's class only, since exception messages can
 * carry connection strings or credentials (the exception itself goes to the log).
 *
 * <p>A check still running from an earlier heartbeat is joined rather than started again, so a hung
 * backing service holds at most one thread per check however often the load balancer asks.
 */
public final class HeartbeatRegistry implements AutoCloseable {
  /** The time limit of a check that declares none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatRegistry.class);

  private final List<HealthCheck> checks;
  private final Duration defaultTimeout;
  private final ExecutorService executor;
  private final Map<String, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param checks the checks; names must be distinct and not blank
   * @param defaultTimeout the limit of checks that declare none; positive
   */
  public HeartbeatRegistry(Collection<? extends HealthCheck> checks, Duration defaultTimeout) {
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("the check timeout must be positive: " + defaultTimeout);
    }
    List<HealthCheck> sorted = new ArrayList<>(checks);
    sorted.sort(Comparator.comparing(HealthCheck::name));
    for (int i = 0; i < sorted.size(); i++) {
      String name = sorted.get(i).name();
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "a health check has no name: " + sorted.get(i).getClass().getName());
      }
      if (i > 0 && name.equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("two health checks are named " + name);
      }
    }
    this.checks = List.copyOf(sorted);
    this.defaultTimeout = defaultTimeout;
    this.executor = Executors.newCachedThreadPool(new CheckThreads());
  }

  /** The names of the registered checks, in the order the report lists them. */
  public List<String> names() {
    return checks.stream().map(HealthCheck::name).toList();
  }

  /**
   * Runs every check; completes when the last one has answered or run out of time. The future never
   * fails; only a closed registry refuses to start checks.
   */
  public CompletableFuture<HeartbeatReport> runAsync() {
    List<CompletableFuture<CheckResult>> running = checks.stream().map(this::start).toList();
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> HeartbeatReport.of(running.stream().map(CompletableFuture::join).toList()));
  }

  /** Runs every check and waits for the report. */
  public HeartbeatReport run() {
    return runAsync().join();
  }

  /** Stops the check threads; checks still running are interrupted. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  private CompletableFuture<CheckResult> start(HealthCheck check) {
    Duration limit = check.timeout().orElse(defaultTimeout);
    CompletableFuture<Outcome> run =
        inFlight.compute(
            check.name(),
            (name, previous) ->
                previous != null && !previous.isDone()
                    ? previous
                    : CompletableFuture.supplyAsync(() -> call(check), executor));
    // A copy, so that this heartbeat's time limit does not complete the shared run for others.
    return run.copy()
        .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (outcome, failure) -> {
              if (failure instanceof TimeoutException) {
                LOG.atWarn()
                    .addKeyValue("check", check.name())
                    .addKeyValue("limit_ms", limit.toMillis())
                    .log("Heartbeat check timed out");
                return CheckResult.of(check.name(), List.of(check.timeoutMessage(limit)));
              }
              if (failure != null) {
                // An Error that call() lets through (a VirtualMachineError): still a finding.
                Throwable cause =
                    failure instanceof CompletionException ? failure.getCause() : failure;
                return CheckResult.of(check.name(), new Outcome(null, cause).messages(check));
              }
              return CheckResult.of(check.name(), outcome.messages(check));
            });
  }

  private static Outcome call(HealthCheck check) {
    try {
      return new Outcome(check.run(), null);
    } catch (Exception | LinkageError e) {
      // LinkageError: a check whose optional library is missing must not take the heartbeat down.
      LOG.atWarn().addKeyValue("check", check.name()).setCause(e).log("Heartbeat check failed");
      return new Outcome(null, e);
    }
  }

  /** What a check's run produced: its messages, or the throwable it ended with. */
  private record Outcome(List<CheckMessage> result, Throwable failure) {
    List<CheckMessage> messages(HealthCheck check) {
      String id = check.messageIdPrefix() + ".E000";
      if (failure != null) {
        return List.of(
            CheckMessage.error(
                id,
                "The "
                    + check.name()
                    + " check raised "
                    + failure.getClass().getName()
                    + "; the log has the details."));
      }
      if (result == null || result.stream().anyMatch(Objects::isNull)) {
        return List.of(CheckMessage.error(id, "The " + check.name() + " check returned null."));
      }
      return result;
    }
  }

  private static final class CheckThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "plinth-heartbeat-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
